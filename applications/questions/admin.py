"""The program's own questions in the admin: its chairs and staff write them, its committee
members read them; each cohort's copy is read-only and can only stop being asked."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.admin_scoping import ProgramScopedAdminMixin
from cohorts.permissions import chaired_programs, may_edit_questions

from . import services
from .models import CohortQuestion, ProgramQuestion

DEFINITION = [
    "label",
    "short_label",
    "help_text",
    "kind",
    "asked_of",
    "section",
    "order",
    "required",
]
RULES = ["choices", "max_length", "min_value", "max_value"]


class ArchivedFilter(admin.SimpleListFilter):
    title = _("asked")
    parameter_name = "asked"

    def lookups(self, request, model_admin):
        return [("yes", _("Still asked")), ("no", _("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=False)
        return queryset


def _removed_message(request, modeladmin, outcomes: list[str]) -> None:
    archived = outcomes.count("archived")
    deleted = outcomes.count("deleted")
    if deleted:
        modeladmin.message_user(
            request,
            ngettext("%(count)d question deleted.", "%(count)d questions deleted.", deleted)
            % {"count": deleted},
            messages.SUCCESS,
        )
    if archived:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d question archived: it is no longer asked, and the answers already "
                "given stay readable.",
                "%(count)d questions archived: they are no longer asked, and the answers "
                "already given stay readable.",
                archived,
            )
            % {"count": archived},
            messages.SUCCESS,
        )


@admin.register(ProgramQuestion)
class ProgramQuestionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """A program's questions for its next cohorts. Chairs and staff add and change them;
    members read them. A cohort whose call has opened keeps the copy it took."""

    list_display = [
        "label",
        "program",
        "asked_of",
        "kind",
        "section",
        "order",
        "required",
        "shown_to_partner",
        "archived_at",
    ]
    list_filter = ["program", ArchivedFilter, "kind", "asked_of", "section"]
    list_select_related = ["program"]
    search_fields = ["label", "short_label", "help_text"]
    ordering = ["program", "section", "order", "pk"]
    readonly_fields = ["archived_at"]
    actions = ["remove_questions"]
    fieldsets = [
        (
            None,
            {
                "fields": ["program", *DEFINITION],
                "description": _(
                    "Changes apply to the program's cohorts whose call has not opened yet. "
                    "A cohort that is accepting applications keeps the questions its "
                    "applicants saw (see “Cohort questions”)."
                ),
            },
        ),
        (_("What counts as an answer"), {"fields": RULES}),
        (_("Sharing"), {"fields": ["shown_to_partner", "archived_at"]}),
    ]

    # Writing is for the program's chairs and staff; members read (the mixin scopes both).
    def has_add_permission(self, request, *args):
        return may_edit_questions(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return may_edit_questions(request.user)
        return may_edit_questions(request.user, obj.program)

    def has_delete_permission(self, request, obj=None):
        return False  # "Remove" archives what a cohort already asked (see the action)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "program" and formfield is not None:
            formfield.queryset = formfield.queryset.filter(
                pk__in=chaired_programs(request.user).values("pk")
            )
        return formfield

    def save_model(self, request, obj, form, change):
        services.program_question_save(question=obj, saved_by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_edit_questions(request.user):
            actions.pop("remove_questions", None)
        return actions

    @admin.action(description=_("Remove the selected questions (archived if a cohort asked them)"))
    def remove_questions(self, request, queryset):
        outcomes = []
        try:
            for question in queryset.select_related("program"):
                outcomes.append(
                    services.program_question_remove(question=question, removed_by=request.user)
                )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        _removed_message(request, self, outcomes)


@admin.register(CohortQuestion)
class CohortQuestionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """What a cohort's applicants were asked: its copy of the program's questions, fixed when
    its call opened. Read-only; a chair may stop asking one (archived once answered)."""

    list_display = [
        "label",
        "cohort",
        "asked_of",
        "kind",
        "required",
        "answer_count",
        "archived_at",
    ]
    list_filter = ["cohort", ArchivedFilter, "kind"]
    list_select_related = ["cohort__program"]
    search_fields = ["label", "short_label"]
    actions = ["remove_questions"]
    fieldsets = [
        (None, {"fields": ["cohort", "source", *DEFINITION]}),
        (_("What counts as an answer"), {"fields": RULES}),
        (_("Sharing"), {"fields": ["shown_to_partner", "archived_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answers_given=Count("answers"))

    def get_readonly_fields(self, request, obj=None):
        return [name for _heading, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request, *args):
        return False  # taken from the program's questions when the call opens

    def has_change_permission(self, request, obj=None):
        return False  # what applicants answered does not change

    def has_delete_permission(self, request, obj=None):
        return False  # see the action: answered questions are archived, never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        if may_edit_questions(request.user):
            return actions
        return {}

    @admin.display(description=_("answers"), ordering="answers_given")
    def answer_count(self, obj):
        return obj.answers_given

    @admin.action(description=_("Stop asking the selected questions (archived once answered)"))
    def remove_questions(self, request, queryset):
        outcomes = []
        try:
            for question in queryset.select_related("cohort__program"):
                outcomes.append(
                    services.cohort_question_remove(question=question, removed_by=request.user)
                )
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        _removed_message(request, self, outcomes)
