"""Reads of the committee workflow: settings, scores and warnings, the review screen's data."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, ApplicationAnswer
from cohorts.models import Cohort

from .loading import (
    answer_criteria,
    load_pool,
    person_of,
)
from .models import Exclusion, MatchingSettings, Pairing, QuestionCriterion
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


def criterion_label(name: str) -> str:
    """The words for a criterion of a score's breakdown, the program's own questions included."""
    if name.startswith("answer: "):  # a criterion drawn from the program's own questions
        return _("Answers: %(question)s") % {"question": name.removeprefix("answer: ")}
    return str(CRITERION_LABELS.get(name, name.replace("_", " ")))


def matching_settings(*, cohort: Cohort) -> tuple[Weights, bool]:
    """The cohort's weights (the defaults until a committee changes them) and whether people
    of the same employer are kept apart."""
    stored = MatchingSettings.objects.filter(cohort=cohort).first()
    if stored is None:
        return Weights(), True
    return Weights.from_dict(stored.weights or {}), stored.exclude_same_employer


def question_criteria(*, cohort: Cohort) -> list[QuestionCriterion]:
    """The cohort's matching criteria drawn from its own questions, for the run form."""
    return list(
        QuestionCriterion.objects.filter(cohort=cohort)
        .select_related("mentee_question", "mentor_question")
        .order_by("pk")
    )


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


def _with_areas(*applications: Application, criteria=()) -> list[Application]:
    """The applications with what scoring reads: their areas, and their answers to the
    questions `criteria` compare."""
    compared = {c.mentee_question for c in criteria} | {c.mentor_question for c in criteria}
    return list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .select_related("cohort__program")
        .prefetch_related(
            "areas",
            Prefetch(
                "answers",
                queryset=ApplicationAnswer.objects.filter(question_id__in=compared).select_related(
                    "question"
                ),
                to_attr="criterion_answers",
            ),
        )
    )


def pair_score(*, cohort: Cohort, mentee: Application, mentor: Application) -> PairScore:
    """The score, per-criterion points and reasons of one pair, with the cohort's weights."""
    weights, _same = matching_settings(cohort=cohort)
    criteria = answer_criteria(cohort)
    loaded = {a.pk: a for a in _with_areas(mentee, mentor, criteria=criteria)}
    names = dict(cohort.program.areas.values_list("slug", "name"))
    explanation = explain(
        person_of(loaded[mentee.pk], cohort=cohort),
        person_of(loaded[mentor.pk], cohort=cohort),
        weights,
        names,
        criteria,
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
        or _with_areas(mentee, criteria=pool.criteria)[0]
    )
    person = person_of(mentee, cohort=pool.cohort)
    if not pool.mentors:
        return []
    scores = build_scores([person], pool.mentor_people, weights, pool.criteria).total[0]
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
        explanation = explain(
            person, pool.mentor_people[j], weights, pool.area_names, pool.criteria
        )
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
        # What the counts and the list read: a large cohort's answers are not loaded.
        .only("cohort_id", "role", "status", "capacity", "priority", "submitted_at", "full_name")
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
