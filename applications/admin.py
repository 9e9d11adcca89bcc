from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin

from . import fields, services
from .choices import Demographic, MeetingMode, MembershipStatus
from .models import Application

# Answers the admin shows through a method that turns stored values into words.
SHOWN_AS = {
    "areas": "areas_display",
    "meeting_modes": "meeting_modes_display",
    "demographics": "demographics_display",
    "demographic_preference": "demographic_preference_display",
}
# Shown with a section's answers, after them.
SECTION_EXTRAS = {"membership": ["membership_confirmed_at", "membership_confirmed_by"]}
DEMOGRAPHIC_FIELDS = tuple(SHOWN_AS.get(name, name) for name in fields.DEMOGRAPHIC_FIELDS)
COMMITTEE_EDITS = ["priority", "committee_notes"]


def _review_fieldsets() -> list[tuple]:
    """The committee's review: the applicant's answers in the form's sections (see
    applications.fields), then the committee's own fields."""
    fieldsets = [
        (None, {"fields": ["cohort", "applicant", *fields.section("role").fields, "status"]})
    ]
    for section in fields.SECTIONS:
        if section.key == "role":
            continue
        names = [SHOWN_AS.get(name, name) for name in section.fields]
        names += SECTION_EXTRAS.get(section.key, [])
        fieldsets.append((section.heading_for_review, {"fields": names}))
    fieldsets.append(
        (
            _("Committee"),
            {
                "fields": [
                    *COMMITTEE_EDITS,
                    "decided_by",
                    "decided_at",
                    "submitted_at",
                    "withdrawn_at",
                    "created_at",
                    "updated_at",
                ]
            },
        )
    )
    return fieldsets


class FundedMembershipFilter(admin.SimpleListFilter):
    """The staff queue: non-members who asked for funded membership, awaiting staff."""

    title = _("funded membership")
    parameter_name = "funded"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("Requested, awaiting staff")),
            ("confirmed", _("Requested, confirmed")),
        ]

    def queryset(self, request, queryset):
        funded = Q(membership_status=MembershipStatus.FUNDED_REQUEST)
        if self.value() == "waiting":
            return queryset.filter(funded, membership_confirmed_at__isnull=True).exclude(
                status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]
            )
        if self.value() == "confirmed":
            return queryset.filter(funded, membership_confirmed_at__isnull=False)
        return queryset


def _decision_action(decision, description):
    def action(modeladmin, request, queryset):
        modeladmin.decide(request, queryset, decision)

    action.__name__ = f"mark_{decision}"
    action.short_description = description
    return action


@admin.register(Application)
class ApplicationAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """The committee's review of applications: read the answers, decide, record who and when.

    The answers are the applicant's own: the committee reads them, it does not edit them. Opt-in
    demographics stay hidden from committee members unless the program allows it.
    """

    committee_can_add = False
    list_display = [
        "full_name",
        "role",
        "status",
        "cohort",
        "library_type",
        "state",
        "years_experience",
        "submitted_at",
        "staff_queue",
    ]
    list_filter = [
        "cohort",
        "role",
        "status",
        "library_type",
        "areas",
        "state",
        FundedMembershipFilter,
        "priority",
    ]
    list_select_related = ["cohort__program"]
    search_fields = [
        "full_name",
        "email",
        "applicant__email",
        "employer",
        "job_title",
        "membership_number",
    ]
    date_hierarchy = "submitted_at"
    actions = [
        _decision_action(Application.Status.ACCEPTED, _("Accept the selected applications")),
        _decision_action(Application.Status.WAITLISTED, _("Waitlist the selected applications")),
        _decision_action(
            Application.Status.DECLINED, _("Decline the selected (not matched this cycle)")
        ),
        _decision_action(Application.Status.INELIGIBLE, _("Mark the selected ineligible")),
        _decision_action(Application.Status.UNDER_REVIEW, _("Mark the selected under review")),
        "confirm_membership",
    ]
    fieldsets = _review_fieldsets()
    # The answers are the applicant's: the committee reads them and edits only its own fields.
    readonly_fields = [
        name
        for _heading, options in fieldsets
        for name in options["fields"]
        if name not in COMMITTEE_EDITS
    ]

    def has_add_permission(self, request, *args):
        return False  # applications come from applicants

    # --- confidential demographics ----------------------------------------------------------

    def sees_demographics(self, request, obj=None) -> bool:
        if obj is None:
            return permissions.is_staff(request.user)
        return permissions.sees_demographics(request.user, obj.cohort.program)

    def view_on_site(self, obj):
        """The cohort's page the applicant applied from: the applicant's own page is theirs."""
        return f"{settings.SITE_URL}{obj.cohort.get_absolute_url()}"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.sees_demographics(request, obj):
            return fieldsets
        return [
            (name, options)
            for name, options in fieldsets
            if not set(options["fields"]) & set(DEMOGRAPHIC_FIELDS)
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.sees_demographics(request, obj):
            return fields
        return [f for f in fields if f not in DEMOGRAPHIC_FIELDS]

    # --- readable answers -------------------------------------------------------------------

    @admin.display(description=_("areas of interest"))
    def areas_display(self, obj):
        return ", ".join(area.name for area in obj.areas.all()) or "–"

    @admin.display(description=_("ways to meet"))
    def meeting_modes_display(self, obj):
        labels = dict(MeetingMode.choices)
        return ", ".join(str(labels.get(m, m)) for m in obj.meeting_modes) or "–"

    @admin.display(description=_("identifies as"))
    def demographics_display(self, obj):
        labels = dict(Demographic.choices)
        return ", ".join(str(labels.get(d, d)) for d in obj.demographics) or "–"

    @admin.display(description=_("would like a match who shares"))
    def demographic_preference_display(self, obj):
        labels = dict(Demographic.choices)
        return ", ".join(str(labels.get(d, d)) for d in obj.demographic_preference) or "–"

    @admin.display(description=_("staff queue"), boolean=True)
    def staff_queue(self, obj):
        return obj.membership_status == MembershipStatus.FUNDED_REQUEST and (
            obj.membership_confirmed_at is None
        )

    # --- actions call the services ----------------------------------------------------------

    def decide(self, request, queryset, decision):
        done, refused = 0, []
        for application in queryset:
            try:
                services.application_decide(
                    application=application, decision=decision, decided_by=request.user
                )
            except ValidationError as error:
                refused.extend(error.messages)
            else:
                done += 1
        if done:
            label = Application.Status(decision).label
            self.message_user(
                request,
                ngettext(
                    "%(count)d application marked “%(status)s”.",
                    "%(count)d applications marked “%(status)s”.",
                    done,
                )
                % {"count": done, "status": label},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Confirm membership (staff; grants a funded membership)"))
    def confirm_membership(self, request, queryset):
        if not request.user.sees_all_programs:
            self.message_user(
                request, _("Only association staff confirm memberships."), messages.ERROR
            )
            return
        for application in queryset:
            services.application_confirm_membership(
                application=application, confirmed_by=request.user
            )
        self.message_user(
            request,
            _("Membership confirmed for %(count)d application(s).") % {"count": queryset.count()},
            messages.SUCCESS,
        )
