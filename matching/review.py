"""Reads of the review screen, built to scale: a 2,000-application cohort's review is a page of
50 rows, filtered and sorted by the database, with a fixed number of queries whatever the size.

The table's rows are the cohort's pairings (or, under "unmatched", its accepted mentees without
one, and under "mentors", its accepted mentors with their places). Reasons, per-criterion
points and both sides come with each row of the page; why a mentee is unplaced is computed for
the page's mentees only, on the "unmatched" view.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.models import Application
from applications.questions.selectors import answers_in_words
from cohorts.models import Cohort

from .loading import allowed_matrix, load_pool, score_matrix
from .models import Exclusion, Pairing
from .selectors import criterion_label, matching_settings

PAGE_SIZE = 50

SHOWS = {
    "current": gettext_lazy("All current"),
    "proposed": gettext_lazy("Proposed"),
    "approved": gettext_lazy("Approved"),
    "announced": gettext_lazy("Announced"),
    "locked": gettext_lazy("Locked"),
    "manual": gettext_lazy("Paired by hand"),
    "low": gettext_lazy("Low score"),
    "unmatched": gettext_lazy("Unmatched mentees"),
    "mentors": gettext_lazy("Mentors and capacity"),
    "dissolved": gettext_lazy("Dissolved"),
}
SORTS = {
    "-score": ("-score", "mentee__full_name", "pk"),
    "score": ("score", "mentee__full_name", "pk"),
    "mentee": ("mentee__full_name", "pk"),
    "-mentee": ("-mentee__full_name", "-pk"),
    "mentor": ("mentor__full_name", "mentee__full_name", "pk"),
    "-mentor": ("-mentor__full_name", "-mentee__full_name", "-pk"),
    "state": ("status", "-locked", "-score", "pk"),
    "-state": ("-status", "locked", "-score", "pk"),
}
SHORT_LABELS = {
    "areas": gettext_lazy("Areas"),
    "library_type": gettext_lazy("Library"),
    "experience": gettext_lazy("Experience"),
    "proximity": gettext_lazy("Place"),
    "meeting_modes": gettext_lazy("Meeting"),
    "demographics": gettext_lazy("Asked-for preference"),
    "priority": gettext_lazy("Priority"),
}


# --- the summary ----------------------------------------------------------------------------


@dataclass
class Summary:
    mentees: int = 0
    mentors: int = 0
    places: int = 0
    proposed: int = 0
    approved: int = 0
    announced: int = 0
    dissolved: int = 0
    locked: int = 0
    manual: int = 0
    unmatched: int = 0
    low_below: float | None = None  # a pair scoring below this is "low" (see low_score_line)
    low: int | None = None  # how many: counted only on the low-score view

    @property
    def current(self) -> int:
        return self.proposed + self.approved + self.announced

    def count_of(self, show: str) -> int | None:
        return {
            "current": self.current,
            "proposed": self.proposed,
            "approved": self.approved,
            "announced": self.announced,
            "locked": self.locked,
            "manual": self.manual,
            "low": self.low,
            "unmatched": self.unmatched,
            "mentors": self.mentors,
            "dissolved": self.dissolved,
        }.get(show)


def _current() -> QuerySet[Pairing]:
    return Pairing.objects.exclude(status=Pairing.Status.DISSOLVED)


def review_summary(*, cohort: Cohort, with_low: bool = False) -> Summary:
    """The counts above the table and under each filter (two queries; a third for the low
    score line when `with_low`)."""
    pairs = Pairing.objects.filter(cohort=cohort).aggregate(
        proposed=Count("pk", filter=Q(status=Pairing.Status.PROPOSED)),
        approved=Count("pk", filter=Q(status=Pairing.Status.APPROVED)),
        announced=Count("pk", filter=Q(status__in=Pairing.ANNOUNCED_STATUSES)),
        dissolved=Count("pk", filter=Q(status=Pairing.Status.DISSOLVED)),
        locked=Count("pk", filter=Q(locked=True) & ~Q(status=Pairing.Status.DISSOLVED)),
        manual=Count(
            "pk", filter=Q(source=Pairing.Source.MANUAL) & ~Q(status=Pairing.Status.DISSOLVED)
        ),
    )
    accepted = Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
    as_mentor = Q(role__in=(Application.Role.MENTOR, Application.Role.BOTH))
    people = accepted.aggregate(
        mentees=Count("pk", filter=Q(role__in=(Application.Role.MENTEE, Application.Role.BOTH))),
        mentors=Count("pk", filter=as_mentor),
        places=Coalesce(
            Sum(Coalesce("capacity", Value(cohort.default_mentor_capacity)), filter=as_mentor),
            0,
        ),
        unmatched=Count(
            "pk",
            filter=Q(role__in=(Application.Role.MENTEE, Application.Role.BOTH))
            & ~Q(Exists(_current().filter(mentee=OuterRef("pk")))),
        ),
    )
    summary = Summary(**pairs, **people)
    if with_low:
        summary.low_below, summary.low = low_score_line(cohort=cohort, current=summary.current)
    return summary


def low_score_line(*, cohort: Cohort, current: int) -> tuple[float | None, int]:
    """The score under which a pair is "low" (the lowest quarter of the cohort's current pairs:
    the score of the pair a quarter of the way up), and how many score under it; one query.
    (None, 0) with fewer than four pairs."""
    if current < 4:
        return None, 0
    lowest = list(
        _current()
        .filter(cohort=cohort, score__isnull=False)
        .order_by("score")
        .values_list("score", flat=True)[: current // 4 + 1]
    )
    if len(lowest) <= current // 4:
        return None, 0
    line = float(lowest[current // 4])
    return line, sum(1 for score in lowest if score < line)


# --- the pairs ------------------------------------------------------------------------------


@dataclass
class Row:
    """One pair of the page, in the words and links the table shows (computed here: a template
    looking each of them up on the models, 50 rows a page, took most of the page's time)."""

    pairing: Pairing
    score: str
    mentee: str
    mentor: str
    criteria: list[str]  # the criteria that scored, short: "Areas +6"
    state: str
    reasons: list[str]
    breakdown: list[tuple[str, str]]  # every criterion, full labels
    mentee_facts: str
    mentor_facts: str
    capacity: str
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # (url, text, for whom)
    # The program's own questions, side by side: (question, mentee's answer, mentor's answer).
    answers: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def selectable(self) -> bool:
        return self.pairing.status in (Pairing.Status.PROPOSED, Pairing.Status.APPROVED)


def _points(value: float) -> str:
    text = f"{value:+.1f}".replace(".0", "")
    return text.replace("-", "−")


def _short_label(name: str) -> str:
    # A criterion drawn from the program's own questions is stored as "answer: <question>".
    return (
        name.removeprefix("answer: ")
        if name.startswith("answer: ")
        else SHORT_LABELS.get(name, name)
    )


def compact_criteria(breakdown: dict) -> list[str]:
    return [
        f"{_short_label(name)} {_points(float(points))}"
        for name, points in (breakdown or {}).items()
        if points
    ]


def full_breakdown(breakdown: dict) -> list[tuple[str, str]]:
    return [
        (criterion_label(name), f"{float(points):.1f}")
        for name, points in (breakdown or {}).items()
    ]


def side_by_side(mentee: list[tuple[str, str]], mentor: list[tuple[str, str]]):
    """Both people's answers to the program's questions, one row per question."""
    theirs = dict(mentor)
    rows = [(question, answer, theirs.pop(question, "—")) for question, answer in mentee]
    return rows + [(question, "—", answer) for question, answer in theirs.items()]


def _facts(application: Application) -> str:
    years = application.years_experience
    return "; ".join(
        [
            f"{application.job_title or '—'}, {application.employer or '—'}",
            str(application.get_library_type_display() or _("library type not given")),
            ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
            if years is not None
            else _("experience not given"),
        ]
    )


def _state(pairing: Pairing) -> str:
    parts = [str(pairing.get_status_display())]
    if pairing.locked:
        parts.append(_("locked"))
    if pairing.source == Pairing.Source.MANUAL:
        parts.append(_("by hand"))
    return ", ".join(parts)


def pairings_shown(*, cohort: Cohort, show: str, low_below: float | None) -> QuerySet[Pairing]:
    """The cohort's pairings under the filter `show` (any of SHOWS that lists pairs)."""
    pairings = Pairing.objects.filter(cohort=cohort)
    if show == "dissolved":
        return pairings.filter(status=Pairing.Status.DISSOLVED)
    pairings = pairings.exclude(status=Pairing.Status.DISSOLVED)
    if show == "proposed":
        return pairings.filter(status=Pairing.Status.PROPOSED)
    if show == "approved":
        return pairings.filter(status=Pairing.Status.APPROVED)
    if show == "announced":
        return pairings.filter(status__in=Pairing.ANNOUNCED_STATUSES)
    if show == "locked":
        return pairings.filter(locked=True)
    if show == "manual":
        return pairings.filter(source=Pairing.Source.MANUAL)
    if show == "low":
        if low_below is None:
            return pairings.none()
        return pairings.filter(score__lt=low_below)
    return pairings


def rows_of(pairings, *, links: dict[str, str], is_chair: bool, rematch: set[int]) -> list[Row]:
    """The page's rows. `links` holds each action's address with "{pk}" for the pairing."""
    pairings = list(pairings)
    answers = answers_in_words({p.mentee_id for p in pairings} | {p.mentor_id for p in pairings})
    rows = []
    for p in pairings:
        mentee, mentor = p.mentee.full_name, p.mentor.full_name
        both = _("%(mentee)s and %(mentor)s") % {"mentee": mentee, "mentor": mentor}
        actions = []
        if p.status in (Pairing.Status.PROPOSED, Pairing.Status.APPROVED):
            actions.append(
                (
                    links["move"].format(pk=p.pk),
                    _("Move %(name)s to another mentor") % {"name": mentee},
                    "",
                )
            )
            actions.append((links["exclude"].format(pk=p.pk), _("Exclude this pair"), both))
        if is_chair and p.status not in (
            Pairing.Status.PROPOSED,
            Pairing.Status.DISSOLVED,
            Pairing.Status.COMPLETED,
        ):
            actions.append((links["dissolve"].format(pk=p.pk), _("Dissolve"), both))
        if is_chair and p.pk in rematch:
            actions.append(
                (links["rematch"].format(pk=p.pk), _("Re-match %(name)s") % {"name": mentee}, "")
            )
        rows.append(
            Row(
                pairing=p,
                score="–" if p.score is None else f"{p.score:.1f}",
                mentee=mentee + (f" ({_('priority')})" if p.mentee.priority else ""),
                mentor=mentor,
                criteria=compact_criteria(p.breakdown),
                state=_state(p),
                reasons=[str(r) for r in p.reasons or []],
                breakdown=full_breakdown(p.breakdown),
                mentee_facts=_facts(p.mentee),
                mentor_facts=_facts(p.mentor),
                capacity=str(p.mentor.capacity or _("the cohort's default")),
                actions=actions,
                answers=side_by_side(answers.get(p.mentee_id, []), answers.get(p.mentor_id, [])),
            )
        )
    return rows


def ordered(pairings: QuerySet[Pairing], order: str) -> QuerySet[Pairing]:
    return pairings.select_related("mentor", "mentee").order_by(*SORTS.get(order, SORTS["-score"]))


def rematchable(*, cohort: Cohort, pairings: list[Pairing]) -> set[int]:
    """Dissolved pairings of the page whose mentee has no current pairing again."""
    mentees = [p.mentee_id for p in pairings if p.status == Pairing.Status.DISSOLVED]
    if not mentees:
        return set()
    paired = set(_current().filter(mentee__in=mentees).values_list("mentee_id", flat=True))
    return {
        p.pk for p in pairings if p.status == Pairing.Status.DISSOLVED and p.mentee_id not in paired
    }


# --- mentees without a pairing, and mentors -------------------------------------------------


def unmatched_mentees(*, cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .as_mentee()
        .exclude(Exists(_current().filter(mentee=OuterRef("pk"))))
        .order_by("-priority", "full_name", "pk")
    )


def unmatched_reasons(*, cohort: Cohort, mentees: list[Application], ran: bool) -> dict[int, str]:
    """Why each of `mentees` (a page of them) has no pairing: no allowed mentor, capacity
    exhausted, or who has room and is allowed with the best score. Loads the cohort's pool once
    and scores only these mentees."""
    if not mentees:
        return {}
    weights, exclude_same_employer = matching_settings(cohort=cohort)
    pool = load_pool(cohort)
    if not pool.mentors:
        return {m.pk: _("No allowed mentor: the cohort has no accepted mentors.") for m in mentees}
    current = list(_current().filter(cohort=cohort).values_list("mentor_id", "mentee_id"))
    exclusions = list(Exclusion.objects.filter(cohort=cohort).values_list("mentee_id", "mentor_id"))
    allowed = allowed_matrix(
        pool, exclude_same_employer=exclude_same_employer, exclusions=exclusions
    )
    for mentor_id, mentee_id in current:  # a reverse pair of a current one is not allowed
        reverse_i, reverse_j = pool.mentee_pos.get(mentor_id), pool.mentor_pos.get(mentee_id)
        if reverse_i is not None and reverse_j is not None:
            allowed[reverse_i, reverse_j] = False
    used = Counter(mentor_id for mentor_id, _mentee in current)
    room = pool.capacity - np.array([used[m.pk] for m in pool.mentors], dtype=np.int64)
    rows = [pool.mentee_pos[m.pk] for m in mentees if m.pk in pool.mentee_pos]
    scores = score_matrix(pool, weights)[rows] if rows else None
    reasons = {}
    for k, i in enumerate(rows):
        can = allowed[i]
        mentee = pool.mentees[i]
        if not can.any():
            reasons[mentee.pk] = _(
                "No allowed mentor: every mentor is this person, a colleague at the same "
                "employer, or excluded by the committee."
            )
        elif not (can & (room > 0)).any():
            reasons[mentee.pk] = _(
                "Capacity exhausted: every allowed mentor already has all their mentees."
            )
        else:
            open_scores = np.where(can & (room > 0), scores[k], -np.inf)
            best = int(np.argmax(open_scores))
            reasons[mentee.pk] = _(
                "%(lead)s %(mentor)s has room and is allowed (score %(score).1f); "
                "pair by hand or run matching again."
            ) % {
                "lead": _("Not placed yet:") if ran else _("Matching has not run yet:"),
                "mentor": pool.mentors[best].full_name,
                "score": float(scores[k, best]),
            }
    return reasons


@dataclass
class MentorRow:
    mentor: Application
    used: int  # current pairings: proposed, approved, announced and under way
    approved: int  # those that hold a place for good: approved, announced, under way, done
    capacity: int
    error: str = ""
    typed: str = ""

    @property
    def room(self) -> int:
        return self.capacity - self.used


def mentors_with_places(*, cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .as_mentor()
        .select_related("cohort")
        .annotate(
            used=Count(
                "pairings_as_mentor",
                filter=~Q(pairings_as_mentor__status=Pairing.Status.DISSOLVED),
            ),
            approved=Count(
                "pairings_as_mentor",
                filter=Q(pairings_as_mentor__status__in=Pairing.CAPACITY_STATUSES),
            ),
        )
        .order_by("full_name", "pk")
    )


def mentor_rows(mentors) -> list[MentorRow]:
    return [MentorRow(m, m.used, m.approved, m.mentor_capacity) for m in mentors]


def filter_links(summary: Summary, show: str) -> list[tuple[str, str, int | None, bool]]:
    return [(key, str(label), summary.count_of(key), key == show) for key, label in SHOWS.items()]


def headline(summary: Summary) -> str:
    """The counts above the table, each in words that agree with its number."""
    people = _("%(mentees)s; %(mentors)s with %(places)s.") % {
        "mentees": ngettext("%(n)d accepted mentee", "%(n)d accepted mentees", summary.mentees)
        % {"n": summary.mentees},
        "mentors": ngettext("%(n)d accepted mentor", "%(n)d accepted mentors", summary.mentors)
        % {"n": summary.mentors},
        "places": ngettext("%(n)d place", "%(n)d places", summary.places) % {"n": summary.places},
    }
    pairs = _(
        "%(proposed)d proposed, %(approved)d approved, %(announced)d announced or under way; "
        "%(unmatched)s."
    ) % {
        "proposed": summary.proposed,
        "approved": summary.approved,
        "announced": summary.announced,
        "unmatched": ngettext(
            "%(n)d mentee without a pairing", "%(n)d mentees without a pairing", summary.unmatched
        )
        % {"n": summary.unmatched},
    }
    return f"{people} {pairs}"


def sort_columns(order: str) -> dict[str, tuple[str, str | None]]:
    """For each sortable column: the order its header link asks for, and its aria-sort now."""
    columns = {}
    for key in ("score", "mentee", "mentor", "state"):
        if order.lstrip("-") == key:
            descending = order.startswith("-")
            columns[key] = (
                key if descending else f"-{key}",
                "descending" if descending else "ascending",
            )
        else:
            columns[key] = ("-score" if key == "score" else key, None)
    return columns
