"""Pair progress for the committee: goals, last contact, problems; goals and check-ins."""

import datetime as dt

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin, scope_queryset
from cohorts.models import Program
from matching.models import Pairing

from .. import selectors, services
from ..models import (
    CheckIn,
    Goal,
    GoalProgressNote,
    PairingProgress,
    ProblemReport,
)


def _announced_before(cutoff: dt.date) -> Q:
    """Pairings announced before `cutoff` (announced_at, else the cohort's notification date)."""
    return Q(announced_at__date__lt=cutoff) | Q(
        announced_at__isnull=True, cohort__pairings_notified__lt=cutoff
    )


def goal_sheet_overdue_q(queryset, *, today: dt.date) -> Q:
    """Pairings whose goal-sheet date (announcement + the program's days) is before `today`."""
    condition = Q(pk__in=[])
    programs = Program.objects.filter(
        goal_sheet_due_days__isnull=False,
        pk__in=queryset.values("cohort__program"),
    )
    for program in programs:
        cutoff = today - dt.timedelta(days=program.goal_sheet_due_days)
        condition |= Q(cohort__program=program) & _announced_before(cutoff)
    return condition


class GoalSheetFilter(admin.SimpleListFilter):
    """Which pairs have not sent their goals by the goal-sheet date."""

    title = _("goal sheet")
    parameter_name = "goal_sheet"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Not submitted by the due date")),
            ("missing", _("No goals yet")),
            ("submitted", _("Goals submitted")),
        ]

    def queryset(self, request, queryset):
        has_goals = Exists(Goal.objects.filter(pairing=OuterRef("pk")))
        if self.value() == "submitted":
            return queryset.filter(has_goals)
        if self.value() == "missing":
            return queryset.exclude(has_goals)
        if self.value() == "overdue":
            return (
                queryset.filter(status__in=Pairing.ANNOUNCED_STATUSES)
                .exclude(has_goals)
                .filter(goal_sheet_overdue_q(queryset, today=timezone.localdate()))
            )
        return queryset


class NoContactFilter(admin.SimpleListFilter):
    """Announced and active pairs with no check-in for N weeks (none since the announcement)."""

    title = _("no contact for")
    parameter_name = "no_contact_weeks"
    WEEKS = (2, 4, 8)

    def lookups(self, request, model_admin):
        return [
            (str(weeks), ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks})
            for weeks in self.WEEKS
        ]

    def queryset(self, request, queryset):
        try:
            weeks = int(self.value() or 0)
        except ValueError:
            return queryset
        if weeks not in self.WEEKS:
            return queryset
        cutoff = timezone.localdate() - dt.timedelta(weeks=weeks)
        recent = CheckIn.objects.filter(pairing=OuterRef("pk"), date__gte=cutoff)
        return (
            queryset.filter(status__in=(Pairing.Status.ANNOUNCED, Pairing.Status.ACTIVE))
            .filter(_announced_before(cutoff))
            .exclude(Exists(recent))
        )


class _ParentScopedInline(ProgramScopedAdminMixin):
    """An inline shown on a parent the parent's admin already scoped (and answered 404 for)."""

    extra = 0
    can_delete = False
    show_change_link = True

    def _in_scope(self, request, obj) -> bool:
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GoalInline(_ParentScopedInline, admin.StackedInline):
    model = Goal
    fields = ["title", "status", "target_date", *Goal.SMART_FIELDS]
    readonly_fields = fields


class CheckInInline(_ParentScopedInline, admin.TabularInline):
    """The date and how the pair met; the notes are the pair's own (My mentoring says so)."""

    model = CheckIn
    fields = ["date", "mode", "logged_by"]
    readonly_fields = fields


class ProblemReportInline(_ParentScopedInline, admin.TabularInline):
    """Shown to the program's chairs and staff only, as the report form promises."""

    model = ProblemReport
    fields = ["created_at", "reported_by", "message", "resolved_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        program = obj.cohort.program if obj is not None else None
        return permissions.reads_problem_reports(request.user, program)


@admin.register(PairingProgress)
class PairingProgressAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """How each announced pair is doing. Read-only: pairings change in the pairing workflow."""

    committee_can_add = False
    committee_can_change = False
    list_display = [
        "pair",
        "cohort",
        "status",
        "goal_count",
        "goal_sheet_due",
        "last_contact",
        "open_problems",
    ]
    list_filter = ["cohort__program", "cohort", "status", GoalSheetFilter, NoContactFilter]
    search_fields = ["mentor__full_name", "mentee__full_name", "mentor__email", "mentee__email"]
    list_select_related = ["cohort__program", "mentor", "mentee"]
    ordering = ["cohort__program__name", "-cohort__mentoring_starts", "mentor__full_name", "pk"]
    fields = ["cohort", "mentor", "mentee", "status", "announced_at"]
    readonly_fields = fields
    inlines = [GoalInline, CheckInInline, ProblemReportInline]
    actions = ["record_orientation_attendance"]

    def get_queryset(self, request):
        last_contact = (
            CheckIn.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
        )
        goals = (
            Goal.objects.filter(pairing=OuterRef("pk"))
            .order_by()
            .values("pairing")
            .annotate(n=Count("pk"))
            .values("n")
        )
        problems = (
            scope_queryset(ProblemReport.objects.all(), request.user)
            .filter(pairing=OuterRef("pk"), resolved_at__isnull=True)
            .order_by()
            .values("pairing")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .filter(status__in=Pairing.ANNOUNCED_STATUSES)
            .annotate(
                last_contact_date=Subquery(last_contact),
                goal_total=Subquery(goals),
                open_problem_total=Subquery(problems),
            )
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_record_attendance_permission(self, request):
        return self.has_view_permission(request)

    def get_list_display(self, request):
        # How many problems are open is the chairs' to know, like the reports themselves.
        shown = super().get_list_display(request)
        if permissions.reads_problem_reports(request.user):
            return shown
        return [name for name in shown if name != "open_problems"]

    @admin.display(description=_("pair"), ordering="mentor__full_name")
    def pair(self, obj):
        return f"{obj.mentor.full_name} → {obj.mentee.full_name}"

    @admin.display(description=_("goals"), ordering="goal_total")
    def goal_count(self, obj):
        return obj.goal_total or 0

    @admin.display(description=_("goal sheet due"))
    def goal_sheet_due(self, obj):
        due = selectors.goal_sheet_due(obj)
        if due is None:
            return "—"
        label = date_format(due, "M j, Y")
        if not obj.goal_total and due < timezone.localdate():
            return _("%(date)s (overdue)") % {"date": label}
        return label

    @admin.display(description=_("last contact"), ordering="last_contact_date")
    def last_contact(self, obj):
        if obj.last_contact_date is None:
            return _("none logged")
        return date_format(obj.last_contact_date, "M j, Y")

    @admin.display(description=_("open problems"), ordering="open_problem_total")
    def open_problems(self, obj):
        return obj.open_problem_total or 0

    @admin.action(
        description=_("Record orientation attendance (attended) for both partners"),
        permissions=["record_attendance"],
    )
    def record_orientation_attendance(self, request, queryset):
        recorded = 0
        for pairing in queryset.select_related("cohort", "mentor", "mentee"):
            if not pairing.cohort.orientation_date:
                continue
            for application in (pairing.mentor, pairing.mentee):
                services.attendance_record(
                    application=application, attended=True, recorded_by=request.user
                )
                recorded += 1
        self.message_user(
            request,
            ngettext(
                "Recorded %(n)d participant as attending the orientation.",
                "Recorded %(n)d participants as attending the orientation.",
                recorded,
            )
            % {"n": recorded},
            messages.SUCCESS,
        )


class GoalProgressNoteInline(_ParentScopedInline, admin.TabularInline):
    model = GoalProgressNote
    fields = ["date", "author", "note"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Goal)
class GoalAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Goals are the pair's own: the committee and staff read them; only the pair writes them
    (through My mentoring and participants.services)."""

    committee_can_add = False
    committee_can_change = False
    list_display = ["title", "pairing", "status", "target_date", "created_at"]
    list_filter = ["status", "pairing__cohort__program", "pairing__cohort"]
    search_fields = ["title", "pairing__mentor__full_name", "pairing__mentee__full_name"]
    list_select_related = ["pairing__mentor", "pairing__mentee"]
    readonly_fields = ["pairing", "created_by", "created_at", "updated_at"]
    inlines = [GoalProgressNoteInline]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """When and how each pair met. Read-only, and never the notes: My mentoring tells the pair
    that "the committee sees only the date and how you met"."""

    committee_can_add = False
    committee_can_change = False
    list_display = ["date", "pairing", "mode", "logged_by"]
    list_filter = ["mode", "pairing__cohort__program", "pairing__cohort"]
    search_fields = ["pairing__mentor__full_name", "pairing__mentee__full_name"]
    list_select_related = ["pairing__mentor", "pairing__mentee", "logged_by"]
    date_hierarchy = "date"
    fields = ["pairing", "date", "mode", "logged_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
