"""Reads of match health: announced pairs with their health, worst first; a liaison's pairs;
the pulse comments a reader may see. A fixed number of queries however many pairs.

The health of every pair under way is worked out from one query of plain values (what the
rules need, nothing more); model objects are loaded only for the pairs a page shows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Cohort, CommitteeMembership
from cohorts.permissions import is_chair_or_pair_liaison
from cohorts.timeline import start_of_day
from matching.models import Pairing

from ..models import CheckIn, Goal, ProblemReport
from .models import HealthSettings, PulseCheck, TouchPoint
from .rules import Health, PairFacts, assess, worst_first_key

UNDER_CARE = (Pairing.Status.ANNOUNCED, Pairing.Status.ACTIVE)
HEALTH_FILTERS = ("problem_report", "low_pulse", "no_check_in", "goal_sheet", "not_signed_in")


def _latest_pulse(side: str) -> Subquery:
    return Subquery(
        PulseCheck.objects.filter(
            pairing=OuterRef("pk"), application=OuterRef(f"{side}_id"), answered_at__isnull=False
        )
        .order_by("-answered_at", "-pk")
        .values("score")[:1]
    )


def _under_care(cohorts, now: dt.datetime) -> QuerySet[Pairing]:
    """Announced and active pairs of `cohorts` whose partners know each other."""
    return Pairing.objects.filter(cohort__in=cohorts, status__in=UNDER_CARE).visible_to_partners(
        now
    )


def _facts_values(pairings: QuerySet[Pairing]) -> QuerySet:
    """What the rules need of each pair, as plain values, in one query."""
    open_reports = (
        ProblemReport.objects.filter(pairing=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("pairing")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return pairings.values(
        "pk",
        "cohort_id",
        "announced_at",
        "mentor__applicant__last_login",
        "mentee__applicant__last_login",
        "liaison_assignment__liaison_id",
    ).annotate(
        last_check_in=Subquery(
            CheckIn.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
        ),
        has_goals=Exists(Goal.objects.filter(pairing=OuterRef("pk"))),
        open_reports=Coalesce(Subquery(open_reports), 0, output_field=IntegerField()),
        mentor_pulse=_latest_pulse("mentor"),
        mentee_pulse=_latest_pulse("mentee"),
    )


def settings_by_cohort(cohorts: Iterable[Cohort]) -> dict[int, HealthSettings]:
    cohorts = list(cohorts)
    stored = {s.cohort_id: s for s in HealthSettings.objects.filter(cohort__in=cohorts)}
    return {c.pk: stored.get(c.pk) or HealthSettings(cohort=c) for c in cohorts}


def introduced_at(pairing: Pairing) -> dt.datetime:
    """When the partners learned of each other: the announcement, else the notification day."""
    cohort = pairing.cohort
    return pairing.announced_at or start_of_day(cohort.pairings_notified, cohort.tz)


def pair_facts(row: dict, *, cohort: Cohort, settings: HealthSettings, now: dt.datetime):
    """The rules' facts of one pair from its values (see _facts_values)."""
    tz = cohort.tz
    introduced = row["announced_at"] or start_of_day(cohort.pairings_notified, tz)
    introduced_on = introduced.astimezone(tz).date()
    days = cohort.program.goal_sheet_due_days
    return PairFacts(
        today=now.astimezone(tz).date(),
        introduced_at=introduced,
        introduced_on=introduced_on,
        no_check_in_days=settings.no_check_in_days,
        last_check_in=row["last_check_in"],
        has_goals=row["has_goals"],
        # As My mentoring shows it: the announcement day (program time) plus the program's days.
        goal_sheet_due=None if days is None else introduced_on + dt.timedelta(days=days),
        open_reports=row["open_reports"],
        mentor_last_login=row["mentor__applicant__last_login"],
        mentee_last_login=row["mentee__applicant__last_login"],
        mentor_pulse=row["mentor_pulse"],
        mentee_pulse=row["mentee_pulse"],
    )


@dataclass
class PairHealth:
    """One pair's health; `pairing` (with its last check-in and touch-point) is loaded only
    for the pairs a page shows (see load_pairings)."""

    pairing_id: int
    cohort_id: int
    liaison_id: int | None
    health: Health
    settings: HealthSettings
    pairing: Pairing | None = None
    pulses: list[PulseCheck] = field(default_factory=list)
    comments_visible: bool = False

    @property
    def liaison(self):
        # A missing reverse one-to-one raises a subclass of AttributeError: getattr's default.
        assignment = getattr(self.pairing, "liaison_assignment", None)
        return assignment.liaison if assignment else None


def health_rows(*, cohorts: Iterable[Cohort], now: dt.datetime | None = None, only=None):
    """Every pair under way in `cohorts` with its health, worst first (two queries). `only`
    narrows the pairings (a liaison's, say)."""
    now = now or timezone.now()
    cohorts = {c.pk: c for c in cohorts}
    if not cohorts:
        return []
    settings = settings_by_cohort(cohorts.values())
    pairings = _under_care(list(cohorts), now)
    if only is not None:
        pairings = pairings.filter(only)
    rows = []
    for values in _facts_values(pairings):
        cohort = cohorts[values["cohort_id"]]
        facts = pair_facts(values, cohort=cohort, settings=settings[cohort.pk], now=now)
        rows.append(
            PairHealth(
                pairing_id=values["pk"],
                cohort_id=cohort.pk,
                liaison_id=values["liaison_assignment__liaison_id"],
                health=assess(facts),
                settings=settings[cohort.pk],
            )
        )
    rows.sort(key=lambda row: worst_first_key(row.pairing_id, row.health))
    return rows


def load_pairings(rows: list[PairHealth]) -> list[PairHealth]:
    """Load the pairings of `rows` (a page of them) with what the page shows: one query."""
    if not rows:
        return rows
    pairings = (
        Pairing.objects.filter(pk__in=[row.pairing_id for row in rows])
        .select_related("cohort__program", "mentor", "mentee", "liaison_assignment__liaison")
        .annotate(
            last_check_in=Subquery(
                CheckIn.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
            )
        )
        .in_bulk()
    )
    for row in rows:
        row.pairing = pairings[row.pairing_id]
    return rows


def with_pulses(
    rows: list[PairHealth], *, user, chaired: set[int] | None = None
) -> list[PairHealth]:
    """Attach each pair's answered pulse checks (one query); mark whether `user` may read
    their comments (chairs and the pair's liaison). Others get the scores only, and the
    comments are not even loaded for them. `chaired`, the program ids the caller already knows
    `user` chairs, saves asking again."""
    if not rows:
        return rows
    pulses: dict[int, list[PulseCheck]] = {}
    carers: dict[tuple, bool] = {}  # asked once per program and liaison, not once per pair
    readable = set()
    for row in rows:
        program = row.pairing.cohort.program
        # Only the reader's own liaison id matters; others collapse into one question.
        asked = (program.pk, row.liaison_id if row.liaison_id == user.pk else None)
        if asked not in carers:
            carers[asked] = is_chair_or_pair_liaison(
                user,
                program,
                liaison_id=asked[1],
                chair=(program.pk in chaired) if chaired is not None else None,
            )
        if carers[asked]:
            readable.add(row.pairing_id)
    query = PulseCheck.objects.filter(
        pairing__in=[row.pairing_id for row in rows], answered_at__isnull=False
    ).order_by("-answered_at", "-pk")
    for pulse in query.only(
        "pk", "pairing_id", "application_id", "offset_days", "score", "answered_at", "comment"
    ):
        if pulse.pairing_id not in readable:
            pulse.comment = ""
        pulses.setdefault(pulse.pairing_id, []).append(pulse)
    for row in rows:
        row.pulses = pulses.get(row.pairing_id, [])
        row.comments_visible = row.pairing_id in readable
    return rows


def cohort_health(*, cohort: Cohort, now: dt.datetime | None = None) -> list[PairHealth]:
    """Every pair under way in the cohort, worst first (the pairings not loaded)."""
    return health_rows(cohorts=[cohort], now=now)


def liaison_pairs(*, user, now: dt.datetime | None = None) -> list[PairHealth]:
    """The pairs `user` looks after as a liaison, in the programs they are still on the
    committee of, worst first, loaded with their pulse comments."""
    programs = CommitteeMembership.objects.filter(user=user).values("program")
    cohorts = Cohort.objects.filter(program__in=programs).select_related("program")
    rows = health_rows(cohorts=cohorts, now=now, only=Q(liaison_assignment__liaison=user))
    return with_pulses(load_pairings(rows), user=user)


def liaison_choices(*, cohort: Cohort) -> list:
    """The committee members of the cohort's program who may look after a pair."""
    return [
        m.user
        for m in CommitteeMembership.objects.filter(program=cohort.program, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def recent_touch_points(*, pairings: list[Pairing], per_pair: int = 3) -> dict[int, list]:
    touch_points: dict[int, list[TouchPoint]] = {}
    for tp in TouchPoint.objects.filter(pairing__in=pairings).select_related("recorded_by"):
        bucket = touch_points.setdefault(tp.pairing_id, [])
        if len(bucket) < per_pair:
            bucket.append(tp)
    return touch_points


def at_risk_filter(rows: list[PairHealth], show: str) -> list[PairHealth]:
    if show == "all":
        return rows
    if show in HEALTH_FILTERS:
        return [row for row in rows if row.health.has(show)]
    return [row for row in rows if row.health.at_risk]
