"""The figures of one cohort that come from its applications and pairings: applications by role
and status, supply and demand by area, library types, states, match rate, announcement timing,
and (staff only) the opt-in demographics in aggregate. One aggregate query each; the figures
drawn from the applications alone share one (application_counts).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.choices import OUTSIDE_US, STATE_NAMES, Demographic, LibraryType, Role
from applications.models import Application
from cohorts.models import AreaOfInterest, Cohort
from matching.models import Pairing

from .charts import BarChart, Series
from .figures import percent, weighted_median

Status = Application.Status

# Applications that take part in the cycle: submitted, and neither withdrawn nor ineligible.
# "Declined" (not matched this cycle) stays in: it is demand the program could not meet.
OUT_OF_POOL = (Status.DRAFT, Status.WITHDRAWN, Status.INELIGIBLE)
MENTOR_ROLES = (Role.MENTOR, Role.BOTH)
MENTEE_ROLES = (Role.MENTEE, Role.BOTH)
REPORTED_STATUSES = [s for s in Status if s != Status.DRAFT]


# --- small helpers ------------------------------------------------------------------------------


def _pool(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(status__in=OUT_OF_POOL)


# --- applications -------------------------------------------------------------------------------


@dataclass
class ApplicationFigures:
    total: int
    drafts: int
    mentors: int
    mentees: int
    by_status: list[tuple[str, dict[str, int], int]]
    chart: BarChart


def application_counts(*, cohort: Cohort) -> list[dict]:
    """The cohort's applications counted by role, status, library type, state and capacity:
    one query that the applications, library-type, state and mentor figures share."""
    return list(
        Application.objects.filter(cohort=cohort)
        .values("role", "status", "library_type", "state", "capacity")
        .annotate(n=Count("id"))
        .order_by()
    )


def applications_by_role_and_status(
    *, cohort: Cohort, counted: list[dict] | None = None
) -> ApplicationFigures:
    counts: dict[tuple[str, str], int] = {}
    for row in application_counts(cohort=cohort) if counted is None else counted:
        key = (row["role"], row["status"])
        counts[key] = counts.get(key, 0) + row["n"]
    drafts = sum(n for (_role, status), n in counts.items() if status == Status.DRAFT)
    by_status = []
    for status in REPORTED_STATUSES:
        per_role = {role.value: counts.get((role, status), 0) for role in Role}
        by_status.append((str(status.label), per_role, sum(per_role.values())))
    in_pool = {k: n for k, n in counts.items() if k[1] not in OUT_OF_POOL}
    shown = [row for row in by_status if row[2]]
    chart = BarChart(
        key="applications",
        title=_("Applications by status and role"),
        categories=[label for label, _per_role, _total in shown],
        series=[
            Series(str(role.label), [per_role[role.value] for _l, per_role, _t in shown])
            for role in Role
        ],
        summary=_("Applications submitted, by status; drafts and empty statuses left out."),
    )
    return ApplicationFigures(
        total=sum(total for _label, _per_role, total in by_status),
        drafts=drafts,
        mentors=sum(n for (role, _s), n in in_pool.items() if role in MENTOR_ROLES),
        mentees=sum(n for (role, _s), n in in_pool.items() if role in MENTEE_ROLES),
        by_status=by_status,
        chart=chart,
    )


@dataclass
class AreaRow:
    name: str
    mentees: int
    mentors: int
    places: int

    @property
    def gap(self) -> int:
        """Mentor places left over (positive) or missing (negative) for this area."""
        return self.places - self.mentees

    @property
    def shortfall(self) -> int:
        return max(0, -self.gap)


@dataclass
class SupplyAndDemand:
    rows: list[AreaRow]
    chart: BarChart

    @property
    def to_recruit(self) -> list[AreaRow]:
        return [row for row in self.rows if row.gap < 0]


def supply_and_demand(*, cohort: Cohort) -> SupplyAndDemand:
    """Per area of interest: mentees who want it against mentors (and their places) offering it.

    A mentor's places are their capacity, or the cohort's default when they gave none. Areas
    are listed biggest shortfall first: the top of the chart is whom to recruit.
    """
    in_pool = Q(applications__cohort=cohort) & ~Q(applications__status__in=OUT_OF_POOL)
    wants = in_pool & Q(applications__role__in=MENTEE_ROLES)
    offers = in_pool & Q(applications__role__in=MENTOR_ROLES)
    areas = (
        AreaOfInterest.objects.filter(program_id=cohort.program_id)
        .annotate(
            mentees=Count("applications", filter=wants),
            mentors=Count("applications", filter=offers),
            places=Coalesce(
                Sum(
                    Coalesce(
                        "applications__capacity",
                        Value(cohort.default_mentor_capacity),
                        output_field=IntegerField(),
                    ),
                    filter=offers,
                ),
                0,
            ),
        )
        .order_by("order", "name")
    )
    rows = [AreaRow(a.name, a.mentees, a.mentors, a.places) for a in areas]
    rows.sort(key=lambda row: (row.gap, -row.mentees))
    chart = BarChart(
        key="supply-demand",
        title=_("Supply and demand by area of interest"),
        categories=[row.name for row in rows],
        series=[
            Series(_("Mentees wanting"), [row.mentees for row in rows]),
            Series(_("Mentor places offered"), [row.places for row in rows]),
        ],
        summary=_(
            "Mentees who chose each area against the places mentors offering it can take "
            "(their capacity); biggest shortfall first."
        ),
    )
    return SupplyAndDemand(rows=rows, chart=chart)


def _by_role_chart(*, key: str, title: str, rows: list[tuple[str, int, int]]) -> BarChart:
    return BarChart(
        key=key,
        title=title,
        categories=[label for label, _mentors, _mentees in rows],
        series=[
            Series(_("Mentors"), [mentors for _l, mentors, _m in rows]),
            Series(_("Mentees"), [mentees for _l, _m, mentees in rows]),
        ],
        summary=_("Applications in the cycle; someone applying as both counts on each side."),
    )


def _count_by_role(
    cohort: Cohort, field_name: str, counted: list[dict] | None
) -> list[tuple[str, int, int]]:
    """(value of `field_name`, mentors, mentees) among the applications in the cycle."""
    totals: dict[str, list[int]] = {}
    for row in application_counts(cohort=cohort) if counted is None else counted:
        if row["status"] in OUT_OF_POOL:
            continue
        mentors_mentees = totals.setdefault(row[field_name], [0, 0])
        if row["role"] in MENTOR_ROLES:
            mentors_mentees[0] += row["n"]
        if row["role"] in MENTEE_ROLES:
            mentors_mentees[1] += row["n"]
    return [(value, mentors, mentees) for value, (mentors, mentees) in totals.items()]


def library_types(*, cohort: Cohort, counted: list[dict] | None = None) -> BarChart:
    counts = {value: (m, e) for value, m, e in _count_by_role(cohort, "library_type", counted)}
    rows = [(str(label), *counts.pop(value, (0, 0))) for value, label in LibraryType.choices]
    if "" in counts:
        rows.append((_("Not given"), *counts.pop("")))
    rows = [row for row in rows if row[1] or row[2]]
    return _by_role_chart(
        key="library-types", title=_("Type of library or organization"), rows=rows
    )


def states_and_territories(*, cohort: Cohort, counted: list[dict] | None = None) -> BarChart:
    def label(code: str) -> str:
        if code == OUTSIDE_US:
            return _("Outside the United States")
        return STATE_NAMES.get(code) or _("Not given")

    rows = [(label(code), m, e) for code, m, e in _count_by_role(cohort, "state", counted)]
    rows.sort(key=lambda row: (-(row[1] + row[2]), row[0]))
    return _by_role_chart(key="states", title=_("States and territories"), rows=rows)


# --- matching -----------------------------------------------------------------------------------

UNMATCHED_REASONS = {
    "proposed": _("Proposed, waiting for approval"),
    "dissolved": _("Pairing dissolved"),
    Status.SUBMITTED: _("Not yet reviewed"),
    Status.UNDER_REVIEW: _("Under review"),
    Status.ACCEPTED: _("Accepted, no mentor found yet"),
    Status.WAITLISTED: _("Waitlisted"),
    Status.DECLINED: _("Not matched this cycle"),
}


@dataclass
class MatchFigures:
    mentees: int
    matched: int
    mentors: int
    mentors_matched: int
    places: int
    places_filled: int
    unmatched: list[tuple[str, int]]
    chart: BarChart

    @property
    def rate(self) -> float | None:
        return percent(self.matched, self.mentees)


def match_figures(*, cohort: Cohort, counted: list[dict] | None = None) -> MatchFigures:
    """Match rate of the mentees in the cycle, and why the others have no pairing.

    Matched means a pairing approved or beyond (approved, announced, active, completed).
    """
    counting = Pairing.CAPACITY_STATUSES
    mentee_rows = (
        _pool(Application.objects.filter(cohort=cohort, role__in=MENTEE_ROLES))
        .annotate(
            matched=Exists(Pairing.objects.filter(mentee=OuterRef("pk"), status__in=counting)),
            proposed=Exists(
                Pairing.objects.filter(mentee=OuterRef("pk"), status=Pairing.Status.PROPOSED)
            ),
            dissolved=Exists(
                Pairing.objects.filter(mentee=OuterRef("pk"), status=Pairing.Status.DISSOLVED)
            ),
        )
        .values("status", "matched", "proposed", "dissolved")
        .annotate(n=Count("id"))
        .order_by()
    )
    mentees = matched = 0
    reasons: dict[str, int] = {}
    for row in mentee_rows:
        mentees += row["n"]
        if row["matched"]:
            matched += row["n"]
            continue
        if row["proposed"]:
            key = "proposed"
        elif row["dissolved"]:
            key = "dissolved"
        else:
            key = row["status"]
        reasons[key] = reasons.get(key, 0) + row["n"]
    unmatched = [
        (str(label), reasons[key]) for key, label in UNMATCHED_REASONS.items() if key in reasons
    ]

    default = cohort.default_mentor_capacity
    mentor_totals = {"mentors": 0, "matched": 0, "places": 0, "filled": 0}
    for row in application_counts(cohort=cohort) if counted is None else counted:
        if row["role"] in MENTOR_ROLES and row["status"] not in OUT_OF_POOL:
            mentor_totals["mentors"] += row["n"]
            mentor_totals["places"] += row["n"] * (
                row["capacity"] or cohort.default_mentor_capacity
            )
    # The places taken, per mentor with any: one grouped count over the cohort's pairings.
    taken = (
        Pairing.objects.filter(cohort=cohort, status__in=counting, mentor__role__in=MENTOR_ROLES)
        .exclude(mentor__status__in=OUT_OF_POOL)
        .order_by()
        .values("mentor_id", "mentor__capacity")
        .annotate(n=Count("id"))
    )
    for row in taken:
        offered = row["mentor__capacity"] or default
        mentor_totals["matched"] += 1
        mentor_totals["filled"] += min(row["n"], offered)
    chart = BarChart(
        key="unmatched",
        title=_("Why mentees have no pairing"),
        categories=[label for label, _n in unmatched],
        series=[Series(_("Mentees"), [n for _label, n in unmatched])],
        summary=_("%(matched)s of %(mentees)s mentees are matched.")
        % {"matched": matched, "mentees": mentees},
    )
    return MatchFigures(
        mentees=mentees,
        matched=matched,
        mentors=mentor_totals["mentors"],
        mentors_matched=mentor_totals["matched"],
        places=mentor_totals["places"],
        places_filled=mentor_totals["filled"],
        unmatched=unmatched,
        chart=chart,
    )


@dataclass
class AnnouncementTiming:
    planned_days: int
    announced: int
    first_days: int | None = None
    median_days: float | None = None
    last_days: int | None = None
    chart: BarChart | None = None


def announcement_timing(*, cohort: Cohort) -> AnnouncementTiming:
    """Days from the application deadline to each pair's announcement (program time)."""
    deadline = cohort.applications_close
    per_day = list(
        Pairing.objects.filter(cohort=cohort, announced_at__isnull=False)
        .annotate(day=TruncDate("announced_at", tzinfo=cohort.tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    timing = AnnouncementTiming(
        planned_days=(cohort.pairings_notified - deadline).days,
        announced=sum(row["n"] for row in per_day),
    )
    if not per_day:
        return timing
    days = [((row["day"] - deadline).days, row["n"]) for row in per_day]
    timing.first_days = days[0][0]
    timing.last_days = days[-1][0]
    timing.median_days = weighted_median(days)
    timing.chart = BarChart(
        key="announcement",
        title=_("Days from the application deadline to the announcement"),
        categories=[
            _("%(days)s days (%(date)s)")
            % {"days": d, "date": date_format(deadline + dt.timedelta(days=d), "M j, Y")}
            for d, _n in days
        ],
        series=[Series(_("Pairs announced"), [n for _d, n in days])],
        summary=_("The timeline planned %(days)s days.") % {"days": timing.planned_days},
    )
    return timing


# --- demographics (staff only, aggregate only) --------------------------------------------------


@dataclass
class DemographicFigures:
    applicants: int
    answered: int
    chart: BarChart


def demographic_figures(*, cohort: Cohort) -> DemographicFigures:
    """How many applicants in the cycle chose each opt-in identity. Never per person.

    The stored value is a JSON list of codes; matching the quoted code as text works on
    PostgreSQL and SQLite alike and cannot confuse one code with another.
    """
    aggregates = {
        choice.value: Count("id", filter=Q(demographics__icontains=f'"{choice.value}"'))
        for choice in Demographic
    }
    totals = _pool(Application.objects.filter(cohort=cohort)).aggregate(
        applicants=Count("id"),
        unanswered=Count("id", filter=Q(demographics=[])),
        **aggregates,
    )
    return DemographicFigures(
        applicants=totals["applicants"],
        answered=totals["applicants"] - totals["unanswered"],
        chart=BarChart(
            key="demographics",
            title=_("How applicants identify (optional, self-described)"),
            categories=[str(choice.label) for choice in Demographic],
            series=[Series(_("Applicants"), [totals[choice.value] for choice in Demographic])],
            summary=_("Counts of applicants who chose each answer; a person may choose several."),
        ),
    )
