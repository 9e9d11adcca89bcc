"""Reads of match health: announced pairs with their health, worst first; a liaison's pairs;
the pulse comments a reader may see. A fixed number of queries however many pairs."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Cohort, CommitteeMembership
from cohorts.permissions import is_chair_or_pair_liaison
from cohorts.timeline import start_of_day
from matching.models import Pairing

from ..models import CheckIn, Goal, ProblemReport
from ..selectors import goal_sheet_due
from .models import HealthSettings, PulseCheck, TouchPoint
from .rules import Health, PairFacts, assess, worst_first_key

UNDER_CARE = (Pairing.Status.ANNOUNCED, Pairing.Status.ACTIVE)


def _latest_pulse(side: str) -> Subquery:
    return Subquery(
        PulseCheck.objects.filter(
            pairing=OuterRef("pk"), application=OuterRef(f"{side}_id"), answered_at__isnull=False
        )
        .order_by("-answered_at", "-pk")
        .values("score")[:1]
    )


def pairs_under_care(*, cohorts, now: dt.datetime | None = None) -> QuerySet[Pairing]:
    """Announced and active pairs of `cohorts` whose partners know each other, annotated with
    what their health needs (one query)."""
    now = now or timezone.now()
    open_reports = (
        ProblemReport.objects.filter(pairing=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("pairing")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Pairing.objects.filter(cohort__in=cohorts, status__in=UNDER_CARE)
        .visible_to_partners(now)
        .select_related(
            "cohort__program",
            "mentor__applicant",
            "mentee__applicant",
            "liaison_assignment__liaison",
        )
        .annotate(
            last_check_in=Subquery(
                CheckIn.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
            ),
            last_touch=Subquery(
                TouchPoint.objects.filter(pairing=OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
            has_goals=Exists(Goal.objects.filter(pairing=OuterRef("pk"))),
            open_reports=Coalesce(Subquery(open_reports), 0, output_field=IntegerField()),
            mentor_pulse=_latest_pulse("mentor"),
            mentee_pulse=_latest_pulse("mentee"),
        )
    )


def settings_by_cohort(cohorts: Iterable[Cohort]) -> dict[int, HealthSettings]:
    cohorts = list(cohorts)
    stored = {s.cohort_id: s for s in HealthSettings.objects.filter(cohort__in=cohorts)}
    return {c.pk: stored.get(c.pk) or HealthSettings(cohort=c) for c in cohorts}


def introduced_at(pairing: Pairing) -> dt.datetime:
    """When the partners learned of each other: the announcement, else the notification day."""
    cohort = pairing.cohort
    return pairing.announced_at or start_of_day(cohort.pairings_notified, cohort.tz)


def pair_facts(pairing: Pairing, *, settings: HealthSettings, now: dt.datetime) -> PairFacts:
    """The facts of an annotated pairing (see pairs_under_care)."""
    tz = pairing.cohort.tz
    introduced = introduced_at(pairing)
    return PairFacts(
        today=now.astimezone(tz).date(),
        introduced_at=introduced,
        introduced_on=introduced.astimezone(tz).date(),
        no_check_in_days=settings.no_check_in_days,
        last_check_in=pairing.last_check_in,
        has_goals=pairing.has_goals,
        goal_sheet_due=goal_sheet_due(pairing),
        open_reports=pairing.open_reports,
        mentor_last_login=pairing.mentor.applicant.last_login,
        mentee_last_login=pairing.mentee.applicant.last_login,
        mentor_pulse=pairing.mentor_pulse,
        mentee_pulse=pairing.mentee_pulse,
    )


@dataclass
class PairHealth:
    pairing: Pairing
    health: Health
    settings: HealthSettings
    pulses: list[PulseCheck] = field(default_factory=list)
    comments_visible: bool = False

    @property
    def liaison(self):
        # A missing reverse one-to-one raises a subclass of AttributeError: getattr's default.
        assignment = getattr(self.pairing, "liaison_assignment", None)
        return assignment.liaison if assignment else None


def health_of(pairings: Iterable[Pairing], *, now: dt.datetime | None = None) -> list[PairHealth]:
    """Each annotated pairing with its health, worst first."""
    now = now or timezone.now()
    pairings = list(pairings)
    settings = settings_by_cohort({p.cohort_id: p.cohort for p in pairings}.values())
    rows = [
        PairHealth(
            p,
            assess(pair_facts(p, settings=settings[p.cohort_id], now=now)),
            settings[p.cohort_id],
        )
        for p in pairings
    ]
    rows.sort(key=lambda row: worst_first_key(row.pairing.pk, row.health))
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
        liaison_id = row.liaison.pk if row.liaison else None
        # Only the reader's own liaison id matters; others collapse into one question.
        asked = (program.pk, liaison_id if liaison_id == user.pk else None)
        if asked not in carers:
            carers[asked] = is_chair_or_pair_liaison(
                user,
                program,
                liaison_id=asked[1],
                chair=(program.pk in chaired) if chaired is not None else None,
            )
        if carers[asked]:
            readable.add(row.pairing.pk)
    query = PulseCheck.objects.filter(
        pairing__in=[row.pairing.pk for row in rows], answered_at__isnull=False
    ).order_by("-answered_at", "-pk")
    for pulse in query.only(
        "pk", "pairing_id", "application_id", "offset_days", "score", "answered_at", "comment"
    ):
        if pulse.pairing_id not in readable:
            pulse.comment = ""
        pulses.setdefault(pulse.pairing_id, []).append(pulse)
    for row in rows:
        row.pulses = pulses.get(row.pairing.pk, [])
        row.comments_visible = row.pairing.pk in readable
    return rows


def cohort_health(*, cohort: Cohort, now: dt.datetime | None = None) -> list[PairHealth]:
    """Every pair under care in the cohort, worst first."""
    return health_of(pairs_under_care(cohorts=[cohort], now=now), now=now)


def liaison_pairs(*, user, now: dt.datetime | None = None) -> list[PairHealth]:
    """The pairs `user` looks after as a liaison, in the programs they are still on the
    committee of, worst first, with their pulse comments."""
    now = now or timezone.now()
    programs = CommitteeMembership.objects.filter(user=user).values("program")
    pairings = pairs_under_care(
        cohorts=Cohort.objects.filter(program__in=programs), now=now
    ).filter(liaison_assignment__liaison=user)
    return with_pulses(health_of(pairings, now=now), user=user)


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
    if show in ("problem_report", "low_pulse", "no_check_in", "goal_sheet", "not_signed_in"):
        return [row for row in rows if row.health.has(show)]
    return [row for row in rows if row.health.at_risk]
