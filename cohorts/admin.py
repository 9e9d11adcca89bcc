from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification

from . import permissions
from .admin_scoping import ProgramScopedAdminMixin
from .models import (
    AreaOfInterest,
    CallSubscription,
    Cohort,
    CommitteeMembership,
    Milestone,
    Program,
)
from .services import (
    cohort_insert,
    cohort_update,
    committee_membership_remove,
    committee_membership_save,
)


class AreaOfInterestInline(ProgramScopedAdminMixin, admin.TabularInline):
    model = AreaOfInterest
    committee_edits = "chair"
    extra = 0
    prepopulated_fields = {"slug": ["name"]}
    fields = ["order", "name", "slug"]


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Chairs edit their program's texts and areas; members read them; the program's identity
    and policy (cohorts.permissions.PROGRAM_STAFF_FIELDS) are association staff's."""

    committee_can_add = False
    committee_edits = "chair"
    list_display = [
        "name",
        "short_name",
        "organization",
        "time_zone",
        "mentee_membership",
        "waiting_for_call",
    ]
    list_filter = ["mentor_membership", "mentee_membership", "time_zone"]
    readonly_fields = ["waiting_for_call"]
    search_fields = ["name", "short_name", "organization", "committee_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [AreaOfInterestInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "organization",
                    "committee_name",
                    "contact_email",
                    "time_zone",
                    "waiting_for_call",
                ]
            },
        ),
        (
            _("About the program"),
            {
                "fields": [
                    "description",
                    "objectives",
                    "guidelines",
                    "mentor_expectations",
                    "mentee_expectations",
                ]
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "allows_both_roles",
                    "mentor_membership",
                    "mentee_membership",
                    "membership_exception",
                    "membership_url",
                    "membership_rechecked_at_start",
                    "membership_number_pattern",
                    "mentees_confirm_children_service",
                    "mentor_min_years_experience",
                    "committee_sees_demographics",
                ]
            },
        ),
        (_("Running the pairs"), {"fields": ["goal_sheet_due_days", "assigns_committee_liaison"]}),
        (
            _("For matched pairs (shown on My mentoring)"),
            {"fields": ["working_with_a_match", "suggested_activities", "resources"]},
        ),
    ]

    def get_queryset(self, request):
        waiting = Q(call_subscriptions__status=CallSubscription.Status.CONFIRMED)
        return (
            super()
            .get_queryset(request)
            .annotate(_waiting=Count("call_subscriptions", filter=waiting))
            .order_by(*Program._meta.ordering)  # an aggregate drops the model's own ordering
        )

    @admin.display(description=_("waiting for the next call"), ordering="_waiting")
    def waiting_for_call(self, obj):
        """Confirmed "Tell me when applications open" requests (a count: no addresses)."""
        return getattr(obj, "_waiting", 0)

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        return readonly + list(permissions.program_fields_readonly_for(request.user))

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug cannot be filled in from the short name.
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)


@admin.register(AreaOfInterest)
class AreaOfInterestAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    committee_edits = "chair"
    list_display = ["name", "program", "order"]
    list_filter = ["program"]
    search_fields = ["name", "program__name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["program", "order"]


class MilestoneInline(ProgramScopedAdminMixin, admin.TabularInline):
    model = Milestone
    committee_edits = "chair"
    extra = 0
    fields = ["title", "kind", "date", "time", "end_date", "audience", "link"]


@admin.register(Cohort)
class CohortAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Chairs set up and change their program's cohorts and milestones; members read them."""

    committee_edits = "chair"
    list_display = [
        "__str__",
        "program",
        "applications_open",
        "applications_close",
        "mentoring_starts",
        "mentoring_ends",
        "current_phase",
    ]
    list_filter = ["program"]
    search_fields = ["name", "program__name", "program__short_name"]
    list_select_related = ["program"]
    date_hierarchy = "mentoring_starts"
    autocomplete_fields = ["program"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline]
    fieldsets = [
        (None, {"fields": ["program", "name", "slug", "default_mentor_capacity"]}),
        (
            _("Applications"),
            {
                "fields": ["applications_open", "applications_close"],
                "description": _(
                    "Moving these dates before the call has closed emails the new dates to "
                    "everyone with a draft or a submitted application, and to the subscribers "
                    "already told of the call."
                ),
            },
        ),
        (
            _("Pairing and orientation"),
            {
                "description": _(
                    "Moving the notification date moves the announcement with it and emails the "
                    "new date to everyone awaiting the outcome of their application. Changing the "
                    "orientation emails the new details to participants already sent them."
                ),
                "fields": [
                    "pairings_notified",
                    "orientation_date",
                    "orientation_end_date",
                    "orientation_time",
                    "orientation_link",
                    "orientation_details",
                    "orientation_required",
                ],
            },
        ),
        (
            _("Formal mentoring and assessment"),
            {
                "fields": ["mentoring_starts", "mentoring_ends", "assessment_closes"],
                "description": _(
                    "Moving formal mentoring's dates emails them to the participants already "
                    "introduced."
                ),
            },
        ),
        (_("Notes"), {"fields": ["notes"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            cohort_insert(cohort=obj)
            return
        started = timezone.now()
        cohort_update(cohort=obj, **{name: getattr(obj, name) for name in form.changed_data})
        written = Notification.objects.filter(cohort=obj, created_at__gte=started).count()
        if written:
            # The chair sees at once what moving a date sent out, and where to read it.
            outbox = reverse("admin:notifications_notification_changelist")
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "This change wrote %(count)s email to the people it concerns.",
                        "This change wrote %(count)s emails to the people it concerns.",
                        written,
                    )
                    % {"count": written},
                    f"{outbox}?cohort__id__exact={obj.pk}",
                    _("See them in the outbox."),
                ),
            )

    @admin.display(description=_("phase"))
    def current_phase(self, obj):
        return obj.phase().label


@admin.register(Milestone)
class MilestoneAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    committee_edits = "chair"
    list_display = ["title", "cohort", "kind", "date", "time", "audience"]
    list_filter = ["kind", "audience", "cohort__program"]
    search_fields = ["title", "description", "cohort__name"]
    list_select_related = ["cohort__program"]
    autocomplete_fields = ["cohort"]


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Committees are visible to their own members; staff appoint them."""

    committee_can_add = False
    committee_can_change = False
    list_display = ["user", "program", "role"]
    list_filter = ["role", "program"]
    search_fields = ["user__email", "user__full_name", "program__name"]
    list_select_related = ["user", "program"]

    def save_model(self, request, obj, form, change):
        committee_membership_save(membership=obj, changed_by=request.user)

    def delete_model(self, request, obj):
        committee_membership_remove(membership=obj, changed_by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "program"):
            committee_membership_remove(membership=membership, changed_by=request.user)


@admin.register(CallSubscription)
class CallSubscriptionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Who asked to hear of the next call. Addresses are personal data: association staff only;
    committees see the count on their program."""

    list_display = ["email", "program", "status", "created_at", "confirmed_at", "notified_at"]
    list_filter = ["status", "program"]
    search_fields = ["email"]
    list_select_related = ["program"]
    fields = [*list_display, "notified_cohort", "confirmations_sent"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.sees_all_programs

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
