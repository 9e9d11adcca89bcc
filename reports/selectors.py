"""Reads for the reports: who may see which program, and every figure of a cohort or program.

Every figure comes from an aggregate query (GROUP BY, COUNT ... FILTER, SUM), so a report costs
the same handful of queries for a cohort of 40 applications or of 50,000.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts import permissions
from cohorts.models import Cohort, Program
from matching.models import Pairing

from . import participation, surveys
from .charts import BarChart, Series
from .cohort_figures import (
    MENTEE_ROLES,
    MENTOR_ROLES,
    OUT_OF_POOL,
    AnnouncementTiming,
    ApplicationFigures,
    DemographicFigures,
    MatchFigures,
    Status,
    SupplyAndDemand,
    announcement_timing,
    application_counts,
    applications_by_role_and_status,
    demographic_figures,
    library_types,
    match_figures,
    states_and_territories,
    supply_and_demand,
)
from .figures import Figure, Section, percent
from .question_figures import QuestionFigure, question_figures

# --- who may see what ---------------------------------------------------------------------------


def reportable_programs(*, user) -> QuerySet[Program]:
    """Staff see every program; committee chairs and members see their own; others none."""
    return permissions.programs_for(user)


def report_program(*, user, slug: str) -> Program:
    """The program `user` may report on, else 404 (missing and forbidden look the same)."""
    return get_object_or_404(reportable_programs(user=user), slug=slug)


def report_cohort(*, user, program_slug: str, slug: str) -> Cohort:
    return get_object_or_404(
        Cohort.objects.select_related("program").filter(program__in=reportable_programs(user=user)),
        program__slug=program_slug,
        slug=slug,
    )


def report_index(*, user) -> list[Program]:
    programs = list(reportable_programs(user=user).prefetch_related("cohorts"))
    for program in programs:
        program.report_cohorts = sorted(
            program.cohorts.all(), key=lambda c: c.applications_open, reverse=True
        )
    return programs


def may_see_demographics(user) -> bool:
    """Opt-in demographics are shown only to association staff, and only in aggregate."""
    return permissions.is_staff(user)


# --- the whole cohort report --------------------------------------------------------------------


@dataclass
class CohortReport:
    cohort: Cohort
    applications: ApplicationFigures
    supply_demand: SupplyAndDemand
    library_types: BarChart
    states: BarChart
    matching: MatchFigures
    timing: AnnouncementTiming
    demographics: DemographicFigures | None = None
    questions: list[QuestionFigure] = field(default_factory=list)  # the program's own questions
    sections: list[Section] = field(default_factory=list)
    extra_figures: list[Figure] = field(default_factory=list)

    @property
    def headline(self) -> list[Figure]:
        m = self.matching
        figures = [
            Figure(
                _("Applications"),
                f"{self.applications.total:,}",
                _("%(mentors)s mentors, %(mentees)s mentees in the cycle")
                % {"mentors": self.applications.mentors, "mentees": self.applications.mentees},
            ),
            Figure(
                _("Match rate"),
                f"{m.rate:g}%" if m.rate is not None else "–",
                _("%(matched)s of %(mentees)s mentees matched")
                % {"matched": m.matched, "mentees": m.mentees},
            ),
            Figure(
                _("Mentor places"),
                f"{m.places_filled:,} / {m.places:,}",
                _("places filled of places offered by %(mentors)s mentors")
                % {"mentors": m.mentors},
            ),
        ]
        if self.timing.median_days is not None:
            figures.append(
                Figure(
                    _("Deadline to announcement"),
                    _("%(days)s days") % {"days": f"{self.timing.median_days:g}"},
                    _("median; the timeline planned %(days)s") % {"days": self.timing.planned_days},
                )
            )
        return figures + self.extra_figures


def cohort_report(*, cohort: Cohort, user, now: dt.datetime | None = None) -> CohortReport:
    now = now or timezone.now()
    goals, goal_figure = participation.goal_sheet_section(cohort=cohort, now=now)
    attendance = participation.orientation_line(cohort=cohort)
    if attendance:
        goals.lines.append(attendance)
    survey, survey_figures = surveys.survey_section(cohort=cohort)
    counted = application_counts(cohort=cohort)
    return CohortReport(
        cohort=cohort,
        applications=applications_by_role_and_status(cohort=cohort, counted=counted),
        supply_demand=supply_and_demand(cohort=cohort),
        library_types=library_types(cohort=cohort, counted=counted),
        states=states_and_territories(cohort=cohort, counted=counted),
        matching=match_figures(cohort=cohort, counted=counted),
        timing=announcement_timing(cohort=cohort),
        demographics=demographic_figures(cohort=cohort) if may_see_demographics(user) else None,
        questions=question_figures(cohort=cohort),
        sections=[goals, survey],
        extra_figures=([goal_figure] if goal_figure else []) + survey_figures,
    )


# --- the program report: year over year ---------------------------------------------------------


@dataclass
class CohortYear:
    cohort: Cohort
    applications: int = 0
    mentors: int = 0
    mentees: int = 0
    matched: int = 0
    pairs: int = 0
    announced: int = 0
    completed: int = 0
    goal_sheet_rate: float | None = None
    response_rate: float | None = None
    satisfaction: float | None = None
    extra_values: list[str] = field(default_factory=list)

    @property
    def match_rate(self) -> float | None:
        return percent(self.matched, self.mentees)

    @property
    def completion_rate(self) -> float | None:
        """None (a dash) until a pair can have completed: before formal mentoring ends."""
        if not self.completed and not _has_passed(self.cohort.mentoring_ends, self.cohort):
            return None
        return percent(self.completed, self.announced)


def _has_passed(day, cohort: Cohort) -> bool:
    return timezone.now().astimezone(cohort.tz).date() > day


@dataclass
class ProgramReport:
    program: Program
    years: list[CohortYear]
    charts: list[BarChart]
    extra_columns: list[str] = field(default_factory=list)


def program_report(*, program: Program) -> ProgramReport:
    """The same headline figures for each of the program's cohorts, oldest first."""
    cohorts = list(Cohort.objects.filter(program=program).order_by("applications_open"))
    years = {cohort.pk: CohortYear(cohort=cohort) for cohort in cohorts}
    _count_applications(program, years)
    _count_pairings(program, years)
    _add_goal_sheets_and_surveys(program, years)
    ordered = [years[cohort.pk] for cohort in cohorts]
    return ProgramReport(
        program=program,
        years=ordered,
        charts=_year_over_year_charts(ordered),
        extra_columns=[_("Goal sheets in"), _("Survey response rate"), _("Satisfaction (1–5)")],
    )


def _count_applications(program: Program, years: dict[int, CohortYear]) -> None:
    in_pool = ~Q(status__in=OUT_OF_POOL)
    is_matched = Exists(
        Pairing.objects.filter(mentee=OuterRef("pk"), status__in=Pairing.CAPACITY_STATUSES)
    )
    for row in (
        Application.objects.filter(cohort__program=program)
        .values("cohort")
        .annotate(
            applications=Count("id", filter=~Q(status=Status.DRAFT)),
            mentors=Count("id", filter=in_pool & Q(role__in=MENTOR_ROLES)),
            mentees=Count("id", filter=in_pool & Q(role__in=MENTEE_ROLES)),
            matched=Count("id", filter=in_pool & Q(role__in=MENTEE_ROLES) & Q(is_matched)),
        )
        .order_by()
    ):
        year = years[row["cohort"]]
        for name in ("applications", "mentors", "mentees", "matched"):
            setattr(year, name, row[name])


def _count_pairings(program: Program, years: dict[int, CohortYear]) -> None:
    for row in (
        Pairing.objects.filter(cohort__program=program)
        .values("cohort")
        .annotate(
            pairs=Count("id", filter=Q(status__in=Pairing.CAPACITY_STATUSES)),
            announced=Count("id", filter=Q(announced_at__isnull=False)),
            completed=Count("id", filter=Q(status=Pairing.Status.COMPLETED)),
        )
        .order_by()
    ):
        year = years[row["cohort"]]
        year.pairs, year.announced, year.completed = (
            row["pairs"],
            row["announced"],
            row["completed"],
        )


def _add_goal_sheets_and_surveys(program: Program, years: dict[int, CohortYear]) -> None:
    goal_sheets = participation.program_goal_sheets(program=program)
    survey_figures = surveys.program_survey_figures(program=program)
    for pk, year in years.items():
        goal_rate = goal_sheets.get(pk)
        if not goal_rate and not _has_passed(year.cohort.mentoring_starts, year.cohort):
            goal_rate = None  # a dash, not 0%, before the cohort has started
        response_rate, satisfaction = survey_figures.get(pk, (None, None))
        year.goal_sheet_rate, year.response_rate = goal_rate, response_rate
        year.satisfaction = satisfaction
        year.extra_values = [
            f"{goal_rate:g}%" if goal_rate is not None else "–",
            f"{response_rate:g}%" if response_rate is not None else "–",
            f"{satisfaction:g}" if satisfaction is not None else "–",
        ]


def _year_over_year_charts(ordered: list[CohortYear]) -> list[BarChart]:
    names = [year.cohort.name for year in ordered]
    return [
        BarChart(
            key="yoy-volume",
            title=_("Applications and pairs by cohort"),
            categories=names,
            series=[
                Series(_("Applications"), [year.applications for year in ordered]),
                Series(_("Pairs"), [year.pairs for year in ordered]),
            ],
            summary=_("Applications submitted and pairs approved or beyond, oldest cohort first."),
        ),
        BarChart(
            key="yoy-rates",
            title=_("Match rate, completion, goal sheets and survey responses by cohort"),
            categories=names,
            series=[
                Series(_("Match rate"), [year.match_rate for year in ordered]),
                Series(_("Completion"), [year.completion_rate for year in ordered]),
                Series(_("Goal sheets in"), [year.goal_sheet_rate for year in ordered]),
                Series(_("Survey response rate"), [year.response_rate for year in ordered]),
            ],
            unit="%",
            max_value=100,
            summary=_(
                "Match rate: mentees matched of mentees in the cycle. Completion: pairs that "
                "completed the program of pairs announced."
            )
            + " "
            + _(
                "Goal sheets: announced pairs that set goals. Survey response rate: invited "
                "participants who answered."
            ),
        ),
        BarChart(
            key="yoy-satisfaction",
            title=_("Satisfaction by cohort, 1 (low) to 5 (high)"),
            categories=names,
            series=[Series(_("Mean satisfaction"), [year.satisfaction for year in ordered])],
            max_value=5,
            summary=_("Mean answer to the overall satisfaction question, mentors and mentees."),
        ),
    ]
