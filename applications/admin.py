from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts import permissions
from cohorts.admin_scoping import ProgramScopedAdminMixin

from . import fields, services
from .choices import Demographic, MeetingMode, MembershipStatus
from .models import Application, ApplicationDecision
from .questions.admin import CohortQuestionAdmin, ProgramQuestionAdmin
from .questions.selectors import answered_questions

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
# The program's own questions, shown after the built-in answers of their section.
QUESTION_FIELDS = {key: f"questions_{key}" for key, _heading in fields.QUESTION_SECTION_CHOICES}
COMMITTEE_EDITS = ["priority", "committee_notes"]
DECISION_FIELDS = ["decision", "decision_note"]


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
        if section.key in QUESTION_FIELDS:
            names.append(QUESTION_FIELDS[section.key])
        fieldsets.append((section.heading_for_review, {"fields": names}))
    fieldsets.append(
        (
            _("Committee"),
            {
                "fields": [
                    *DECISION_FIELDS,
                    *COMMITTEE_EDITS,
                    "decided_by",
                    "decided_at",
                    "decision_history",
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


class ApplicationReviewForm(forms.ModelForm):
    """The committee's fields, and a decision with its note made on the application's page.

    The decision is checked here with the service's own rule, so a refusal (a funded
    membership staff have not confirmed, say) shows next to the field and nothing is lost.
    """

    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            ("", _("Keep the current status")),
            *[(value, Application.Status(value).label) for value in services.DECISIONS],
        ],
    )
    decision_note = forms.CharField(
        label=_("Note on the decision"),
        required=False,
        max_length=services.DECISION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. Kept with the decision in its history."),
    )

    class Meta:
        model = Application
        fields = COMMITTEE_EDITS

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision:
            try:
                services.application_decision_check(application=self.instance, decision=decision)
            except ValidationError as error:
                self.add_error("decision", error.messages)
        elif cleaned.get("decision_note"):
            self.add_error("decision", _("Choose the decision this note goes with."))
        return cleaned


class DecisionActionForm(ActionForm):
    """The list's action bar, with a note that goes with a bulk decision."""

    # No max_length here: an invalid action form makes Django drop the action without a word;
    # decide() says why instead.
    note = forms.CharField(label=_("Note on the decision (optional):"), required=False)


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
    form = ApplicationReviewForm
    action_form = DecisionActionForm
    fieldsets = _review_fieldsets()
    # The answers are the applicant's: the committee reads them and edits only its own fields.
    readonly_fields = [
        name
        for _heading, options in fieldsets
        for name in options["fields"]
        if name not in COMMITTEE_EDITS + DECISION_FIELDS
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
        fieldsets = self._with_answered_sections(super().get_fieldsets(request, obj), obj)
        if obj is None or obj.status not in services.DECIDABLE_STATUSES:
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [f for f in options["fields"] if f not in DECISION_FIELDS],
                    },
                )
                for name, options in fieldsets
            ]
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

    # --- the program's own questions ---------------------------------------------------------

    def _answered(self, obj) -> list:
        """(question, value) of the application's answers, read once per page."""
        if not hasattr(obj, "_answered_questions"):
            obj._answered_questions = answered_questions(obj)
        return obj._answered_questions

    def _with_answered_sections(self, fieldsets, obj):
        """Show a section's program-question row only when the application answered one."""
        answered = {q.section for q, _value in self._answered(obj)} if obj else set()
        hidden = {name for key, name in QUESTION_FIELDS.items() if key not in answered}
        return [
            (heading, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for heading, options in fieldsets
        ]

    def section_answers(self, obj, key: str):
        rows = [(q, value) for q, value in self._answered(obj) if q.section == key]
        return format_html(
            '<dl class="program-answers">{}</dl>',
            format_html_join(
                "",
                "<dt>{}{}</dt><dd>{}</dd>",
                (
                    (
                        question.label,
                        _(" (no longer asked)") if question.archived_at else "",
                        question.display(value),
                    )
                    for question, value in rows
                ),
            ),
        )

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

    @admin.display(description=_("decision history"))
    def decision_history(self, obj):
        rows = obj.decisions.select_related("decided_by") if obj.pk else []
        return format_html_join(
            "",
            "<p>{}: {} → {}{}{}</p>",
            (
                (
                    date_format(localtime(d.decided_at), "N j, Y, P"),
                    d.get_from_status_display(),
                    d.get_to_status_display(),
                    f" ({d.decided_by})" if d.decided_by else "",
                    f". {d.note}" if d.note else "",
                )
                for d in rows
            ),
        ) or _("No decision yet.")

    @admin.display(description=_("staff queue"), boolean=True)
    def staff_queue(self, obj):
        return obj.membership_status == MembershipStatus.FUNDED_REQUEST and (
            obj.membership_confirmed_at is None
        )

    # --- saves and actions call the services ------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        decision = form.cleaned_data.get("decision")
        if decision:
            decided = services.application_decide(
                application=obj,
                decision=decision,
                decided_by=request.user,
                note=form.cleaned_data.get("decision_note", ""),
            )
            obj.status, obj.decided_by, obj.decided_at = (
                decided.status,
                decided.decided_by,
                decided.decided_at,
            )

    def decide(self, request, queryset, decision):
        note = request.POST.get("note", "")
        if len(note) > services.DECISION_NOTE_MAX:
            self.message_user(
                request,
                _("Keep the note under %(max)s characters; nothing was decided.")
                % {"max": services.DECISION_NOTE_MAX},
                messages.ERROR,
            )
            return
        try:
            outcome = services.applications_decide(
                applications=queryset, decision=decision, decided_by=request.user, note=note
            )
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                self.message_user(request, message, messages.ERROR)
            return
        done = len(outcome.decided) + len(outcome.unchanged)
        refused = [reason for _application, reason in outcome.refused]
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
        count = 0
        for application in queryset:
            services.application_confirm_membership(
                application=application, confirmed_by=request.user
            )
            count += 1
        self.message_user(
            request,
            ngettext(
                "Membership confirmed for %(count)d application.",
                "Membership confirmed for %(count)d applications.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApplicationDecision)
class ApplicationDecisionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Every decision on every application, with its note: read-only, never deleted."""

    list_display = ["decided_at", "application", "from_status", "to_status", "decided_by", "note"]
    list_filter = ["to_status", "application__cohort"]
    search_fields = ["application__full_name", "note", "decided_by__email"]
    list_select_related = ["application__cohort__program", "decided_by"]
    date_hierarchy = "decided_at"
    fields = ["decided_at", "application", "from_status", "to_status", "note", "decided_by"]
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _section_answers_field(key: str):
    def show(self, obj):
        return self.section_answers(obj, key)

    show.short_description = _("the program's questions")
    show.__name__ = QUESTION_FIELDS[key]
    return show


for _key, _name in QUESTION_FIELDS.items():
    setattr(ApplicationAdmin, _name, _section_answers_field(_key))

__all__ = [
    "ApplicationAdmin",
    "ApplicationDecisionAdmin",
    "CohortQuestionAdmin",
    "ProgramQuestionAdmin",
]
