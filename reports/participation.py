"""Figures and exports of formal mentoring: goal sheets, goals, last contact, attendance.

The goal sheet of a pair is due `program.goal_sheet_due_days` days after the pair is announced;
it counts as in when the pair has set at least one SMART goal.
"""

import datetime as dt
from collections.abc import Iterator

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts.models import Cohort, Program
from matching.models import Pairing
from participants.models import Attendance, CheckIn, Goal, GoalProgressNote

from .charts import BarChart, Series
from .datasets import CHUNK_SIZE, Dataset, labels, local_time, scope, yes_no
from .figures import Figure, Section, percent

CONTACT_BUCKETS = (30, 60, 90)


def _announced_pairs(cohort_filter: Q):
    return Pairing.objects.filter(
        cohort_filter, status__in=Pairing.ANNOUNCED_STATUSES, announced_at__isnull=False
    )


def _goal_sheet_counts(*, tz, due_days: int | None, today: dt.date) -> dict:
    """Aggregates over announced pairs: with goals and, when the program sets a goal-sheet
    date (announcement day + due_days, program time, as My mentoring shows it), on time and
    overdue."""
    has_goal = Exists(Goal.objects.filter(pairing=OuterRef("pk")))
    # Pairs joined to their goals: a pair counts once (distinct), each goal once by status.
    counts = {
        "pairs": Count("id", distinct=True),
        "with_goals": Count("id", distinct=True, filter=Q(has_goal)),
        **{
            f"goals_{value}": Count("goals", filter=Q(goals__status=value))
            for value in Goal.Status.values
        },
    }
    if due_days is not None:
        # A goal is on time when its day (program time) minus the allowed days is not after
        # the announcement day; the arithmetic stays inside the subquery.
        shifted = ExpressionWrapper(
            TruncDate("created_at", tzinfo=tz) - dt.timedelta(days=due_days),
            output_field=DateTimeField(),
        )
        on_time = Exists(
            Goal.objects.annotate(
                shifted=shifted, announced_day=TruncDate("pairing__announced_at", tzinfo=tz)
            ).filter(pairing=OuterRef("pk"), shifted__lte=F("announced_day"))
        )
        cutoff = today - dt.timedelta(days=due_days)
        counts["on_time"] = Count("id", distinct=True, filter=Q(on_time))
        counts["overdue"] = Count(
            "id", distinct=True, filter=~Q(has_goal) & Q(announced_day__lt=cutoff)
        )
    return counts


def goal_sheet_section(*, cohort: Cohort, now: dt.datetime) -> tuple[Section, Figure | None]:
    """Goal-sheet completion, goals by status, and how recently each pair last met."""
    due_days = cohort.program.goal_sheet_due_days
    tz = cohort.tz
    totals = (
        _announced_pairs(Q(cohort=cohort))
        .annotate(announced_day=TruncDate("announced_at", tzinfo=tz))
        .aggregate(**_goal_sheet_counts(tz=tz, due_days=due_days, today=now.astimezone(tz).date()))
    )
    pairs, with_goals = totals["pairs"], totals["with_goals"]
    section = Section(
        key="goals",
        title=_("Goal sheets and contact"),
        heading=_("Pairs"),
        empty=_("No pairs announced yet."),
    )
    if not pairs:
        section.lines.append(_("No pairs announced yet."))
        return section, None
    line = _("%(with)s of %(pairs)s announced pairs have set their goals (%(rate)s%%).") % {
        "with": with_goals,
        "pairs": pairs,
        "rate": percent(with_goals, pairs),
    }
    if due_days is not None:
        line += " " + _(
            "%(on_time)s did so within %(days)s days of the announcement; %(overdue)s are overdue."
        ) % {"on_time": totals["on_time"], "days": due_days, "overdue": totals["overdue"]}
        categories = [
            _("Set on time"),
            _("Set late"),
            _("Not set, overdue"),
            _("Not set, not yet due"),
        ]
        values = [
            totals["on_time"],
            with_goals - totals["on_time"],
            totals["overdue"],
            pairs - with_goals - totals["overdue"],
        ]
    else:
        categories = [_("Goals set"), _("No goals yet")]
        values = [with_goals, pairs - with_goals]
    section.lines.append(line)
    section.charts.append(
        BarChart(
            key="goal-sheets",
            title=_("Goal sheets of announced pairs"),
            categories=categories,
            series=[Series(_("Pairs"), values)],
        )
    )
    statuses = {value: totals[f"goals_{value}"] for value in Goal.Status.values}
    section.charts.append(
        BarChart(
            key="goal-status",
            title=_("SMART goals by status"),
            categories=[str(label) for _value, label in Goal.Status.choices],
            series=[Series(_("Goals"), [statuses.get(value, 0) for value in Goal.Status.values])],
        )
    )
    section.charts.append(last_contact(cohort=cohort, now=now))
    started = now.astimezone(tz).date() >= cohort.mentoring_starts
    figure = Figure(
        _("Goal sheets in"),
        f"{percent(with_goals, pairs):g}%" if with_goals or started else "–",
        _("%(with)s of %(pairs)s announced pairs") % {"with": with_goals, "pairs": pairs},
    )
    return section, figure


def last_contact(*, cohort: Cohort, now: dt.datetime) -> BarChart:
    """Days since each announced pair's latest check-in, counted to today or, once formal
    mentoring has ended, to its last day."""
    reference = min(now.astimezone(cohort.tz).date(), cohort.mentoring_ends)
    latest = Subquery(
        CheckIn.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
    )
    buckets = {}
    previous = None
    for days in CONTACT_BUCKETS:
        since = reference - dt.timedelta(days=days)
        condition = Q(latest__gte=since)
        if previous is not None:
            condition &= Q(latest__lt=previous)
        buckets[f"within_{days}"] = Count("id", filter=condition)
        previous = since
    buckets["older"] = Count("id", filter=Q(latest__lt=previous))
    buckets["never"] = Count("id", filter=Q(latest__isnull=True))
    counts = _announced_pairs(Q(cohort=cohort)).annotate(latest=latest).aggregate(**buckets)
    categories = [
        _("Within 30 days"),
        _("31 to 60 days"),
        _("61 to 90 days"),
        _("More than 90 days"),
        _("No check-in logged"),
    ]
    values = [counts[key] for key in ("within_30", "within_60", "within_90", "older", "never")]
    return BarChart(
        key="last-contact",
        title=_("Last check-in of each announced pair"),
        categories=categories,
        series=[Series(_("Pairs"), values)],
        summary=_("Counted to %(day)s.") % {"day": reference.isoformat()},
    )


def orientation_line(*, cohort: Cohort) -> str | None:
    """How many of the cohort's participants (a side of an announced pairing) attended the
    orientation: one aggregate over the set of both sides' ids, so its time grows with the
    cohort, not with its square (an EXISTS over mentor OR mentee per application did)."""
    announced = Pairing.objects.filter(
        cohort=cohort, status__in=Pairing.ANNOUNCED_STATUSES
    ).order_by()
    people = announced.values("mentor_id").union(announced.values("mentee_id"))
    went = Q(attendance__milestone__isnull=True, attendance__attended=True)
    totals = Application.objects.filter(pk__in=people).aggregate(
        participants=Count("id", distinct=True),
        attended=Count("id", filter=went, distinct=True),
    )
    if not totals["participants"]:
        return None
    return _("%(attended)s of %(participants)s participants attended the orientation.") % totals


def program_goal_sheets(*, program: Program) -> dict[int, float | None]:
    """Goal-sheet completion (percent of announced pairs with goals) per cohort."""
    rows = (
        _announced_pairs(Q(cohort__program=program))
        .values("cohort")
        .annotate(
            pairs=Count("id"),
            with_goals=Count("id", filter=Q(Exists(Goal.objects.filter(pairing=OuterRef("pk"))))),
        )
        .order_by()
    )
    return {row["cohort"]: percent(row["with_goals"], row["pairs"]) for row in rows}


# --- exports -----------------------------------------------------------------------------------

ATTENDANCE_HEADERS = [
    "Cohort",
    "Participant",
    "Email",
    "Applying as",
    "Event",
    "Event date",
    "Attended",
    "Recorded (program time)",
]


def attendance_rows(*, program: Program, cohort: Cohort | None = None) -> Iterator[list]:
    queryset = (
        scope(Attendance.objects.all(), program, cohort, "application__cohort")
        .order_by("application__cohort__applications_open", "application__full_name", "pk")
        .values_list(
            "application__cohort__name",
            "application__full_name",
            "application__email",
            "application__role",
            "milestone__title",
            "milestone__date",
            "application__cohort__orientation_date",
            "attended",
            "recorded_at",
        )
    )
    roles = labels(Application.Role)
    tz = program.tz
    for (
        cohort_name,
        name,
        email,
        role,
        title,
        day,
        orientation,
        attended,
        recorded,
    ) in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            cohort_name,
            name,
            email,
            roles.get(role, role),
            title or _("Orientation"),
            day if title else orientation,
            yes_no(attended),
            local_time(recorded, tz),
        ]


GOAL_HEADERS = [
    "Cohort",
    "Pairing ID",
    "Mentor",
    "Mentee",
    "Pairing status",
    "Announced (program time)",
    "Goal sheet due",
    "Goal",
    "Goal status",
    "Target date",
    "Set (program time)",
    "Set on time",
    "Progress notes",
    "Last progress note",
]


def goal_rows(*, program: Program, cohort: Cohort | None = None) -> Iterator[list]:
    """One row per goal, then one per announced pair that has set none."""
    due_days = program.goal_sheet_due_days
    pairing_statuses = labels(Pairing.Status)
    goal_statuses = labels(Goal.Status)
    tz = program.tz

    def pair_columns(pk, cohort_name, mentor, mentee, status, announced):
        local = local_time(announced, tz)
        due = (
            (local + dt.timedelta(days=due_days)).date() if local and due_days is not None else None
        )
        return [cohort_name, pk, mentor, mentee, pairing_statuses.get(status, status), local, due]

    pair_fields = [
        "cohort__name",
        "mentor__full_name",
        "mentee__full_name",
        "status",
        "announced_at",
    ]
    notes = GoalProgressNote.objects.filter(goal=OuterRef("pk")).values("goal")
    goals = (
        scope(Goal.objects.all(), program, cohort, "pairing__cohort")
        .annotate(
            note_count=Subquery(notes.annotate(n=Count("id")).values("n")),
            last_note=Subquery(notes.annotate(last=Max("date")).values("last")),
        )
        .order_by("pairing__cohort__applications_open", "pairing_id", "created_at", "pk")
        .values_list(
            "pairing_id",
            *(f"pairing__{name}" for name in pair_fields),
            "title",
            "status",
            "target_date",
            "created_at",
            "note_count",
            "last_note",
        )
    )
    for pk, cohort_name, mentor, mentee, status, announced, *goal in goals.iterator(
        chunk_size=CHUNK_SIZE
    ):
        title, goal_status, target, created, note_count, last_note = goal
        columns = pair_columns(pk, cohort_name, mentor, mentee, status, announced)
        due = columns[-1]
        set_on = local_time(created, tz)
        on_time = yes_no(set_on.date() <= due) if due and set_on else ""
        yield [
            *columns,
            title,
            goal_statuses.get(goal_status, goal_status),
            target,
            set_on,
            on_time,
            note_count or 0,
            last_note,
        ]
    without = (
        scope(_announced_pairs(Q()), program, cohort)
        .exclude(Exists(Goal.objects.filter(pairing=OuterRef("pk"))))
        .order_by("cohort__applications_open", "pk")
        .values_list("pk", *pair_fields)
    )
    for row in without.iterator(chunk_size=CHUNK_SIZE):
        yield [*pair_columns(*row), _("(no goals yet)"), "", None, None, "", 0, None]


PARTICIPATION_DATASETS = [
    Dataset("attendance", "Attendance", ATTENDANCE_HEADERS, attendance_rows),
    Dataset("goals", "Goals", GOAL_HEADERS, goal_rows),
]
