import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import CallSubscription, Cohort, Milestone, Program
from .timeline import Phase

# Phases of a cohort whose call has closed but whose people are still at work.
RUNNING_PHASES = (Phase.MATCHING, Phase.ORIENTATION, Phase.IN_PROGRESS, Phase.ASSESSMENT)


@dataclass
class CohortRow:
    cohort: Cohort
    phase: Phase
    next: object | None = None  # the cohort's next TimelineEntry
    days_left: int | None = None  # to apply, for an open call


@dataclass
class ProgramCard:
    """What the home page says about one program: every open call first, then the cohorts at
    work, then the next call (scheduled, or the month the program's calendar makes likely)."""

    program: Program
    open_calls: list[CohortRow] = field(default_factory=list)
    running: list[CohortRow] = field(default_factory=list)
    upcoming: CohortRow | None = None
    expected_call: dt.date | None = None  # first day of the month the next call is expected
    latest: CohortRow | None = None  # the last cohort, when nothing else is going on

    @property
    def takes_subscriptions(self) -> bool:
        """No call is open: offer "Tell me when applications open"."""
        return not self.open_calls


def expected_call_month(*, cohorts: list[Cohort], today: dt.date) -> dt.date | None:
    """The month the program's next call is likely to open, from its usual calendar.

    Programs open their call in the same month each year: the month of the latest cohort's
    call, a year on, or the first such month from today.
    """
    if not cohorts:
        return None
    latest = max(cohorts, key=lambda c: c.applications_open).applications_open
    year = latest.year + 1
    month = latest.month
    while (year, month) < (today.year, today.month):
        year += 1
    return dt.date(year, month, 1)


def program_card(*, program: Program, now: dt.datetime) -> ProgramCard:
    """One program's card, from its prefetched `cohorts` (no query of its own)."""
    card = ProgramCard(program=program)
    cohorts = sorted(program.cohorts.all(), key=lambda c: c.applications_open)
    for cohort in cohorts:
        phase = cohort.phase(now)
        row = CohortRow(cohort=cohort, phase=phase, next=cohort.next_date(now))
        if phase == Phase.ACCEPTING:
            row.days_left = cohort.days_left_to_apply(now)
            card.open_calls.append(row)
        elif phase in RUNNING_PHASES:
            card.running.append(row)
        elif phase == Phase.UPCOMING and card.upcoming is None:
            card.upcoming = row
    card.open_calls.sort(key=lambda row: row.cohort.applications_close)
    card.running.sort(key=lambda row: row.cohort.mentoring_starts, reverse=True)
    if not card.open_calls and card.upcoming is None:
        card.expected_call = expected_call_month(
            cohorts=cohorts, today=now.astimezone(program.tz).date()
        )
    if not (card.open_calls or card.running or card.upcoming) and cohorts:
        last = cohorts[-1]
        card.latest = CohortRow(cohort=last, phase=last.phase(now))
    return card


def program_cards(*, now: dt.datetime | None = None) -> list[ProgramCard]:
    now = now or timezone.now()
    cohorts = Cohort.objects.prefetch_related("milestones")
    programs = Program.objects.prefetch_related(Prefetch("cohorts", queryset=cohorts))
    return [program_card(program=program, now=now) for program in programs]


def program_detail(*, slug: str) -> Program:
    cohorts = Cohort.objects.prefetch_related("milestones").order_by("-applications_open")
    return get_object_or_404(
        Program.objects.prefetch_related("areas", Prefetch("cohorts", queryset=cohorts)),
        slug=slug,
    )


def cohort_detail(*, program_slug: str, slug: str) -> Cohort:
    return get_object_or_404(
        Cohort.objects.select_related("program").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "time"))
        ),
        program__slug=program_slug,
        slug=slug,
    )


def waiting_for_call(*, program: Program) -> int:
    """How many confirmed addresses wait for the program's next call."""
    return CallSubscription.objects.filter(program=program).waiting().count()
