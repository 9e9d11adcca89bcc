"""Problem reports: read by the program's chairs and association staff only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin

from .. import services
from ..models import (
    ProblemReport,
)


class ResolvedFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("yes", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(ProblemReport)
class ProblemReportAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Read by the program's chairs and staff only ("Only the committee chairs read this", the
    form says): ProblemReport.CHAIRS_ONLY keeps members' lists and pages empty (404)."""

    committee_can_add = False
    list_display = ["created_at", "pairing", "reported_by", "is_resolved"]
    list_filter = [ResolvedFilter, "pairing__cohort__program", "pairing__cohort"]
    search_fields = ["message", "pairing__mentor__full_name", "pairing__mentee__full_name"]
    list_select_related = ["pairing__mentor", "pairing__mentee", "reported_by"]
    fields = [
        "pairing",
        "reported_by",
        "created_at",
        "message",
        "committee_notes",
        "resolved_at",
        "resolved_by",
    ]
    readonly_fields = [
        "pairing",
        "reported_by",
        "created_at",
        "message",
        "resolved_at",
        "resolved_by",
    ]
    actions = ["mark_resolved"]

    def has_add_permission(self, request, *args):
        return False

    def has_module_permission(self, request):
        return permissions.reads_problem_reports(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.reads_problem_reports(request.user) and super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return permissions.reads_problem_reports(request.user) and super().has_change_permission(
            request, obj
        )

    @admin.display(description=_("resolved"), boolean=True)
    def is_resolved(self, obj):
        return obj.is_resolved

    def save_model(self, request, obj, form, change):
        services.problem_report_note(
            report=obj, committee_notes=obj.committee_notes, by=request.user
        )

    @admin.action(description=_("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        for report in queryset:
            services.problem_report_resolve(report=report, resolved_by=request.user)
        self.message_user(request, _("Marked as resolved."), messages.SUCCESS)
