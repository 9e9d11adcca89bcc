from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.admin_scoping import ProgramScopedAdminMixin, scope_queryset
from cohorts.models import Cohort

from . import selectors, services
from .exports import responses_csv
from .models import (
    QUESTION_FIELDS,
    Answer,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyTemplate,
    TemplateQuestion,
)


class TemplateQuestionInline(ProgramScopedAdminMixin, admin.StackedInline):
    committee_edits = "chair"
    model = TemplateQuestion
    extra = 0
    fields = list(QUESTION_FIELDS)


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """The survey each new cohort of the program gets; edits apply to cohorts created later."""

    # A program's surveys are its chairs' to write, like its other settings; members read.
    committee_edits = "chair"

    list_display = ["title", "program", "audience", "anonymous", "question_count"]
    list_filter = ["program", "audience"]
    search_fields = ["title", "program__name"]
    list_select_related = ["program"]
    inlines = [TemplateQuestionInline]

    @admin.display(description=_("questions"))
    def question_count(self, obj):
        return obj.questions.count()


@admin.register(TemplateQuestion)
class TemplateQuestionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    committee_edits = "chair"
    list_display = ["text", "template", "code", "kind", "required", "order"]
    list_filter = ["template__program", "template__audience", "kind"]
    search_fields = ["text", "code"]
    list_select_related = ["template__program"]


class QuestionInline(ProgramScopedAdminMixin, admin.StackedInline):
    committee_edits = "chair"
    model = Question
    extra = 0
    fields = list(QUESTION_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        # Once answers exist, changing what a question is would garble them.
        if obj is not None and obj.responses.exists():
            return ["code", "kind"]
        return []

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.responses.exists():
            return False
        return super().has_add_permission(request, obj)


class CreateSurveysForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), label=_("Cohort"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = scope_queryset(
            Cohort.objects.select_related("program"), user
        )


@admin.register(Survey)
class SurveyAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    committee_edits = "chair"
    list_display = [
        "title",
        "cohort",
        "audience",
        "opens_display",
        "closes_display",
        "anonymous",
        "results_link",
    ]
    list_filter = ["cohort__program", "audience", "anonymous"]
    search_fields = ["title", "cohort__name", "cohort__program__name"]
    list_select_related = ["cohort__program"]
    autocomplete_fields = ["cohort"]
    inlines = [QuestionInline]
    fields = ["cohort", "audience", "title", "introduction", "opens", "closes", "anonymous"]
    change_list_template = "admin/assessment/survey/change_list.html"

    @admin.display(description=_("opens"))
    def opens_display(self, obj):
        return obj.opens_at

    @admin.display(description=_("closes"))
    def closes_display(self, obj):
        return obj.closes_at

    @admin.display(description=_("results"))
    def results_link(self, obj):
        url = reverse("admin:assessment_survey_results", args=[obj.cohort_id])
        return format_html('<a href="{}">{}</a>', url, _("Results"))

    def has_delete_permission(self, request, obj=None):
        # The confirmation page lists invitations with their responses: not for anonymous ones.
        if obj is not None and obj.anonymous and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "results/<int:cohort_id>/",
                wrap(self.results_view),
                name="assessment_survey_results",
            ),
            path(
                "results/<int:cohort_id>/csv/",
                wrap(self.results_csv_view),
                name="assessment_survey_results_csv",
            ),
            path(
                "create-defaults/",
                wrap(self.create_defaults_view),
                name="assessment_survey_create_defaults",
            ),
            *super().get_urls(),
        ]

    def _cohort(self, request, cohort_id) -> Cohort:
        """The cohort if the person may read its results; 404 otherwise (missing or not theirs)."""
        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(
            scope_queryset(Cohort.objects.select_related("program"), request.user), pk=cohort_id
        )

    def results_view(self, request, cohort_id):
        cohort = self._cohort(request, cohort_id)
        results = selectors.cohort_results(cohort=cohort)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Survey results: %(cohort)s") % {"cohort": cohort},
            "results": results,
            "cohort": cohort,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/assessment/results.html", context)

    def results_csv_view(self, request, cohort_id):
        cohort = self._cohort(request, cohort_id)
        name = slugify(f"{cohort.program.short_name} {cohort.name} survey responses")
        return responses_csv(cohort=cohort, filename=f"{name}.csv")

    def create_defaults_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        form = CreateSurveysForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            cohort = form.cleaned_data["cohort"]
            created = services.surveys_create_for_cohort(cohort=cohort)
            if created:
                self.message_user(
                    request,
                    _("Created %(count)s survey(s) for %(cohort)s.")
                    % {"count": len(created), "cohort": cohort},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request, _("%(cohort)s already has its surveys.") % {"cohort": cohort}
                )
            return redirect("admin:assessment_survey_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Create the default surveys for a cohort"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/assessment/create_defaults.html", context)


@admin.register(Question)
class QuestionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    committee_edits = "chair"
    list_display = ["text", "survey", "code", "kind", "required", "order"]
    list_filter = ["survey__cohort__program", "survey__audience", "kind"]
    search_fields = ["text", "code"]
    list_select_related = ["survey__cohort__program"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.answers.exists():
            return ["survey", "code", "kind"]
        return []


@admin.register(Invitation)
class InvitationAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Who was invited and reminded. The token (a password in a link) is never shown, and there
    is no "view on site" (it would open the person's answers); staff may replace a leaked link
    and send the new one. For an anonymous survey only whether someone answered, not when (times
    could be matched)."""

    committee_can_add = False
    committee_can_change = False
    view_on_site = False
    actions = ["send_new_link"]
    list_display = [
        "participant",
        "survey",
        "sent_at",
        "reminded_at",
        "last_reminded_at",
        "answered",
    ]
    list_filter = ["survey__cohort__program", "survey__audience"]
    search_fields = ["application__full_name", "application__email", "user__email"]
    list_select_related = ["survey__cohort__program", "application", "user"]
    readonly_fields = [
        "survey",
        "participant",
        "sent_at",
        "reminded_at",
        "last_reminded_at",
        "answered",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False  # the planner invites

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The delete confirmation would list the invitation's response next to the person.
        return False

    def has_renew_permission(self, request):
        return request.user.sees_all_programs

    @admin.display(description=_("participant"))
    def participant(self, obj):
        return f"{obj.full_name} <{obj.email}>"

    @admin.action(
        description=_("Send a new personal link (the old one stops working)"),
        permissions=["renew"],
    )
    def send_new_link(self, request, queryset):
        count = 0
        for invitation in queryset:
            services.invitation_renew(invitation=invitation)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Sent %(n)d new link; the old one no longer works.",
                "Sent %(n)d new links; the old ones no longer work.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("answered"))
    def answered(self, obj):
        if obj.completed_at is None:
            return _("No")
        if obj.survey.anonymous:
            return _("Yes")
        return obj.completed_at


class AnswerInline(ProgramScopedAdminMixin, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "shown_value"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("answer"))
    def shown_value(self, obj):
        return obj.question.display(obj.value)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Responses, read-only. For an anonymous survey nothing here tells who answered: no
    participant, no invitation, no times, and no search or filter by person."""

    list_display = ["__str__", "survey", "respondent", "changed"]
    list_filter = ["survey__cohort__program", "survey__audience"]
    search_fields = ["survey__title", "survey__cohort__name"]
    list_select_related = [
        "survey__cohort__program",
        "invitation__application",
        "invitation__user",
    ]
    inlines = [AnswerInline]

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.survey.anonymous:
            return ["survey", "respondent", "submitted_at", "updated_at"]
        return ["survey"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("respondent"))
    def respondent(self, obj):
        if obj.survey.anonymous:
            return _("Anonymous")
        return obj.invitation.full_name

    @admin.display(description=_("last changed"))
    def changed(self, obj):
        return "" if obj.survey.anonymous else obj.updated_at


@admin.register(Answer)
class AnswerAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    list_display = ["question", "shown_value", "response"]
    list_filter = ["response__survey__cohort__program", "response__survey__audience"]
    search_fields = ["question__text", "question__code"]
    list_select_related = ["question", "response__survey__cohort__program"]
    fields = ["response", "question", "shown_value"]
    readonly_fields = fields

    @admin.display(description=_("answer"))
    def shown_value(self, obj):
        return obj.question.display(obj.value)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
