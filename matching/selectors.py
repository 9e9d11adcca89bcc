"""Reads of the committee workflow: settings, scores and warnings, the review screen's data."""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from cohorts.models import Cohort

from .loading import CohortPool, allowed_matrix, load_pool, person_of, score_matrix
from .models import Exclusion, MatchingSettings, MatchRun, Pairing
from .scoring import Explanation, Weights, build_scores, explain

CRITERION_LABELS = {
    "areas": gettext_lazy("Shared areas of interest"),
    "library_type": gettext_lazy("Library type preference"),
    "experience": gettext_lazy("Experience gap"),
    "proximity": gettext_lazy("Region or time zone"),
    "meeting_modes": gettext_lazy("Ways to meet"),
    "demographics": gettext_lazy("Preferences the applicant asked for"),
    "priority": gettext_lazy("Waitlist priority"),
}


def matching_settings(*, cohort: Cohort) -> tuple[Weights, bool]:
    """The cohort's weights (the defaults until a committee changes them) and whether people
    of the same employer are kept apart."""
    stored = MatchingSettings.objects.filter(cohort=cohort).first()
    if stored is None:
        return Weights(), True
    return Weights.from_dict(stored.weights or {}), stored.exclude_same_employer


def previous_cohort(*, cohort: Cohort) -> Cohort | None:
    return (
        Cohort.objects.filter(
            program_id=cohort.program_id, mentoring_starts__lt=cohort.mentoring_starts
        )
        .order_by("-mentoring_starts")
        .first()
    )


def carried_priority_applicant_ids(*, cohort: Cohort) -> set[int]:
    """People accepted but not paired in the program's previous cohort: they have priority."""
    previous = previous_cohort(cohort=cohort)
    if previous is None:
        return set()
    paired = Pairing.objects.filter(cohort=previous).current()
    return set(
        Application.objects.filter(cohort=previous, status=Application.Status.ACCEPTED)
        .exclude(pk__in=paired.values("mentor_id"))
        .exclude(pk__in=paired.values("mentee_id"))
        .values_list("applicant_id", flat=True)
    )


@dataclass
class PairScore:
    score: float
    breakdown: dict
    reasons: list[str]


def _with_areas(*applications: Application) -> list[Application]:
    return list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .select_related("cohort__program")
        .prefetch_related("areas")
    )


def pair_score(*, cohort: Cohort, mentee: Application, mentor: Application) -> PairScore:
    """The score, per-criterion points and reasons of one pair, with the cohort's weights."""
    weights, _same = matching_settings(cohort=cohort)
    loaded = {a.pk: a for a in _with_areas(mentee, mentor)}
    names = dict(cohort.program.areas.values_list("slug", "name"))
    explanation = explain(
        person_of(loaded[mentee.pk], cohort=cohort),
        person_of(loaded[mentor.pk], cohort=cohort),
        weights,
        names,
    )
    return PairScore(explanation.total, explanation.points, explanation.reasons)


def _employer(text: str) -> str:
    return " ".join(text.casefold().split())


def pair_warnings(*, cohort: Cohort, mentee: Application, mentor: Application) -> list[str]:
    """What a committee member should know before making this pair by hand."""
    _weights, exclude_same_employer = matching_settings(cohort=cohort)
    warnings = []
    mentor = Application.objects.select_related("cohort").get(pk=mentor.pk)
    used = Pairing.objects.current().filter(mentor=mentor).exclude(mentee=mentee).count()
    if used >= mentor.mentor_capacity:
        warnings.append(
            _("%(mentor)s already has %(used)s pairings for %(capacity)s places.")
            % {"mentor": mentor.full_name, "used": used, "capacity": mentor.mentor_capacity}
        )
    exclusion = Exclusion.objects.filter(mentor=mentor, mentee=mentee).first()
    if exclusion is not None:
        warnings.append(
            _("The committee excluded this pair: %(reason)s") % {"reason": exclusion.reason}
        )
    if (
        exclude_same_employer
        and _employer(mentor.employer)
        and _employer(mentor.employer) == _employer(mentee.employer)
    ):
        warnings.append(
            _("Both work at %(employer)s, and this cohort keeps colleagues apart.")
            % {"employer": mentor.employer}
        )
    return warnings


# --- the review screen --------------------------------------------------------------------


@dataclass
class Side:
    """What the review screen shows of one person."""

    application: Application
    area_names: list[str]

    @property
    def region(self) -> str:
        a = self.application
        if a.state and a.state != "INTL":
            return a.get_state_display()
        return a.country or _("not given")


@dataclass
class PairRow:
    pairing: Pairing
    mentee: Side
    mentor: Side
    breakdown: list[tuple[str, float]]
    rematch: bool = False


@dataclass
class UnmatchedMentee:
    side: Side
    reason: str


@dataclass
class SpareMentor:
    side: Side
    used: int
    capacity: int
    reason: str


@dataclass
class Review:
    cohort: Cohort
    weights: Weights
    exclude_same_employer: bool
    latest_run: MatchRun | None
    proposed: list[PairRow] = field(default_factory=list)
    approved: list[PairRow] = field(default_factory=list)
    announced: list[PairRow] = field(default_factory=list)
    dissolved: list[PairRow] = field(default_factory=list)
    unmatched: list[UnmatchedMentee] = field(default_factory=list)
    spare: list[SpareMentor] = field(default_factory=list)
    mentees: list[Application] = field(default_factory=list)
    mentors: list[Application] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)

    @property
    def mentee_count(self) -> int:
        return len(self.mentees)


def breakdown_rows(breakdown: dict) -> list[tuple[str, float]]:
    return [
        (str(CRITERION_LABELS.get(name, name.replace("_", " "))), points)
        for name, points in breakdown.items()
    ]


def _side(application: Application, names: dict[int, str]) -> Side:
    return Side(application, [names[a.pk] for a in application.areas.all() if a.pk in names])


def cohort_review(*, cohort: Cohort) -> Review:
    """Everything the review screen shows, in a fixed number of queries whatever the size."""
    weights, exclude_same_employer = matching_settings(cohort=cohort)
    pool = load_pool(cohort)
    cohort = pool.cohort
    names = {area.pk: area.name for area in cohort.program.areas.all()}
    review = Review(
        cohort=cohort,
        weights=weights,
        exclude_same_employer=exclude_same_employer,
        latest_run=MatchRun.objects.filter(cohort=cohort).select_related("started_by").first(),
        mentees=pool.mentees,
        mentors=pool.mentors,
    )
    review.exclusions = list(
        Exclusion.objects.filter(cohort=cohort).select_related("mentor", "mentee", "created_by")
    )
    pairings = list(
        Pairing.objects.filter(cohort=cohort)
        .select_related("mentor", "mentee", "approved_by")
        .prefetch_related("mentor__areas", "mentee__areas")
        .order_by("-score", "mentee__full_name", "pk")
    )
    buckets = {
        Pairing.Status.PROPOSED: review.proposed,
        Pairing.Status.APPROVED: review.approved,
        Pairing.Status.DISSOLVED: review.dissolved,
    }
    for pairing in pairings:
        pairing.cohort = pairing.mentor.cohort = pairing.mentee.cohort = cohort
        row = PairRow(
            pairing,
            _side(pairing.mentee, names),
            _side(pairing.mentor, names),
            breakdown_rows(pairing.breakdown or {}),
        )
        buckets.get(pairing.status, review.announced).append(row)
    current = [p for p in pairings if p.status != Pairing.Status.DISSOLVED]
    paired_again = {p.mentee_id for p in current}
    for row in review.dissolved:
        row.rematch = row.pairing.mentee_id not in paired_again
    _explain_unmatched(review, pool, current, names, weights, exclude_same_employer)
    return review


def _explain_unmatched(review, pool: CohortPool, current, names, weights, exclude_same_employer):
    paired_mentees = {p.mentee_id for p in current}
    used = Counter(p.mentor_id for p in current)
    if not pool.mentees and not pool.mentors:
        return
    allowed = allowed_matrix(
        pool,
        exclude_same_employer=exclude_same_employer,
        exclusions=[(e.mentee_id, e.mentor_id) for e in review.exclusions],
    )
    for pairing in current:
        reverse_i = pool.mentee_pos.get(pairing.mentor_id)
        reverse_j = pool.mentor_pos.get(pairing.mentee_id)
        if reverse_i is not None and reverse_j is not None:
            allowed[reverse_i, reverse_j] = False
    room = pool.capacity - np.array([used[m.pk] for m in pool.mentors], dtype=np.int64)
    scores = score_matrix(pool, weights) if pool.mentees and pool.mentors else None
    unpaired_rows = [i for i, m in enumerate(pool.mentees) if m.pk not in paired_mentees]
    ran = review.latest_run is not None
    for i in unpaired_rows:
        mentee = pool.mentees[i]
        can = allowed[i] if pool.mentors else np.zeros(0, dtype=bool)
        if not can.any():
            reason = _(
                "No allowed mentor: every mentor is this person, a colleague at the same "
                "employer, or excluded by the committee."
            )
            if not pool.mentors:
                reason = _("No allowed mentor: the cohort has no accepted mentors.")
        elif not (can & (room > 0)).any():
            reason = _("Capacity exhausted: every allowed mentor already has all their mentees.")
        else:
            open_scores = np.where(can & (room > 0), scores[i], -np.inf)
            best = int(np.argmax(open_scores))
            reason = _(
                "%(lead)s %(mentor)s has room and is allowed (score %(score).1f); "
                "pair by hand or run matching again."
            ) % {
                "lead": _("Not placed yet:") if ran else _("Matching has not run yet:"),
                "mentor": pool.mentors[best].full_name,
                "score": float(scores[i, best]),
            }
        review.unmatched.append(UnmatchedMentee(_side(mentee, names), reason))
    for j, mentor in enumerate(pool.mentors):
        if room[j] <= 0:
            continue
        candidates = [i for i in unpaired_rows if allowed[i, j]]
        if not unpaired_rows:
            reason = _("Every accepted mentee is already paired.")
        elif not candidates:
            reason = _(
                "None of the unpaired mentees may be paired with them (themselves, a colleague, "
                "or excluded)."
            )
        else:
            reason = _("%(count)s unpaired mentees could be paired with them.") % {
                "count": len(candidates)
            }
        review.spare.append(
            SpareMentor(_side(mentor, names), int(used[mentor.pk]), int(pool.capacity[j]), reason)
        )


# --- choosing a mentor: moves, manual pairs and re-matches ----------------------------------


@dataclass
class MentorOption:
    mentor: Application
    score: float
    explanation: Explanation
    warnings: list[str]
    room: int


def mentor_options(
    *, cohort: Cohort, mentee: Application, only_with_room: bool = False
) -> list[MentorOption]:
    """Every accepted mentor of the cohort for this mentee, best score first, with warnings."""
    weights, exclude_same_employer = matching_settings(cohort=cohort)
    pool = load_pool(cohort)
    mentee = (
        next(
            (m for m in pool.mentees if m.pk == mentee.pk),
            None,
        )
        or _with_areas(mentee)[0]
    )
    person = person_of(mentee, cohort=pool.cohort)
    if not pool.mentors:
        return []
    scores = build_scores([person], pool.mentor_people, weights).total[0]
    used = Counter(
        Pairing.objects.current()
        .filter(cohort=cohort)
        .exclude(mentee=mentee)
        .values_list("mentor_id", flat=True)
    )
    excluded = dict(
        Exclusion.objects.filter(cohort=cohort, mentee=mentee).values_list("mentor_id", "reason")
    )
    reverse = set(
        Pairing.objects.current().filter(mentor=mentee).values_list("mentee_id", flat=True)
    )
    options = []
    for j, mentor in enumerate(pool.mentors):
        if mentor.pk == mentee.pk or mentor.applicant_id == mentee.applicant_id:
            continue
        if mentor.pk in reverse:
            continue
        room = int(pool.capacity[j]) - used[mentor.pk]
        if only_with_room and room <= 0:
            continue
        warnings = []
        if room <= 0:
            warnings.append(
                _("At capacity: %(used)s pairings for %(capacity)s places.")
                % {"used": used[mentor.pk], "capacity": int(pool.capacity[j])}
            )
        if mentor.pk in excluded:
            warnings.append(
                _("Excluded by the committee: %(reason)s") % {"reason": excluded[mentor.pk]}
            )
        if (
            exclude_same_employer
            and _employer(mentor.employer)
            and _employer(mentor.employer) == _employer(mentee.employer)
        ):
            warnings.append(_("Same employer (%(employer)s).") % {"employer": mentor.employer})
        explanation = explain(person, pool.mentor_people[j], weights, pool.area_names)
        options.append(MentorOption(mentor, float(scores[j]), explanation, warnings, room))
    options.sort(key=lambda o: (bool(o.warnings), -o.score, o.mentor.full_name))
    return options


@dataclass
class WaitlistOffer:
    """Places that are free, and the waitlisted applicants who could take them, in priority
    order (priority first, then the earliest submitted)."""

    mentor_places: int  # free places of accepted mentors
    mentees_waiting: int  # accepted mentees in no pairing
    mentees: list[Application] = field(default_factory=list)  # waitlisted, for mentor places
    mentors: list[Application] = field(default_factory=list)  # waitlisted, for waiting mentees

    @property
    def any(self) -> bool:
        return bool(self.mentees or self.mentors)

    @property
    def free(self) -> int:
        """How many waitlisted people could be taken now."""
        return abs(self.mentor_places - self.mentees_waiting)


def waitlist_offer(*, cohort: Cohort) -> WaitlistOffer:
    """When a place frees (a pairing dissolved, a mentor with room), the committee is offered
    the waitlist: waitlisted mentees if accepted mentors have free places beyond the accepted
    mentees still waiting, waitlisted mentors if accepted mentees are waiting with no place."""
    applications = list(
        Application.objects.filter(
            cohort=cohort,
            status__in=(Application.Status.ACCEPTED, Application.Status.WAITLISTED),
        )
        .select_related("applicant")
        .order_by("-priority", "submitted_at", "pk")
    )
    for application in applications:
        application.cohort = cohort
    accepted = [a for a in applications if a.status == Application.Status.ACCEPTED]
    waitlisted = [a for a in applications if a.status == Application.Status.WAITLISTED]
    current = list(
        Pairing.objects.filter(cohort=cohort).current().values_list("mentor_id", "mentee_id")
    )
    taken = Counter(mentor for mentor, _mentee in current)  # proposals hold a place too
    paired_mentees = {mentee for _mentor, mentee in current}
    places = sum(max(0, a.mentor_capacity - taken[a.pk]) for a in accepted if a.is_mentor)
    waiting = sum(1 for a in accepted if a.is_mentee and a.pk not in paired_mentees)
    offer = WaitlistOffer(mentor_places=places, mentees_waiting=waiting)
    if places > waiting:
        offer.mentees = [a for a in waitlisted if a.is_mentee]
    elif waiting > places:
        offer.mentors = [a for a in waitlisted if a.is_mentor]
    return offer
