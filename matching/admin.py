from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.questions.kinds import MATCHABLE_KINDS
from cohorts.admin_scoping import ProgramScopedAdminMixin
from cohorts.permissions import is_chair

from . import services
from .admin_views import CommitteeViews
from .admin_views.base import approval_messages
from .models import AuditEntry, Exclusion, MatchRun, Pairing, Proposal, QuestionCriterion


def _never(self, request, *args, **kwargs):
    """Rows written only by the committee workflow's services: visible, never edited here."""
    return False


@admin.register(Pairing)
class PairingAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Pairings change only through the review screen and the actions below (services)."""

    has_add_permission = _never
    has_change_permission = _never

    list_display = ["mentor_name", "mentee_name", "cohort", "status", "score", "locked", "source"]
    list_filter = ["status", "source", "locked", "cohort"]
    search_fields = ["mentor__full_name", "mentee__full_name", "cohort__name"]
    list_select_related = ["mentor", "mentee", "cohort__program"]
    actions = ["approve_selected", "lock_selected", "unlock_selected"]
    readonly_fields = ["review_link"]
    fields = [
        "review_link",
        "cohort",
        "mentor",
        "mentee",
        "status",
        "source",
        "locked",
        "run",
        "score",
        "breakdown",
        "reasons",
        "approved_by",
        "approved_at",
        "announced_at",
        "dissolved_at",
        "dissolution_reason",
    ]

    def get_urls(self):
        views = CommitteeViews(self)
        wrap = self.admin_site.admin_view
        return [
            path("cohorts/", wrap(views.cohorts), name="matching_cohorts"),
            path("cohort/<int:cohort_id>/run/", wrap(views.run), name="matching_run"),
            path("run/<int:run_id>/", wrap(views.run_status), name="matching_run_status"),
            path(
                "run/<int:run_id>/status.json",
                wrap(views.run_status_json),
                name="matching_run_status_json",
            ),
            path("cohort/<int:cohort_id>/review/", wrap(views.review), name="matching_review"),
            path(
                "cohort/<int:cohort_id>/review.csv",
                wrap(views.review_csv),
                name="matching_review_csv",
            ),
            path(
                "cohort/<int:cohort_id>/mentor/<int:application_id>/capacity/",
                wrap(views.capacity),
                name="matching_capacity",
            ),
            path("cohort/<int:cohort_id>/manual/", wrap(views.manual), name="matching_manual"),
            path(
                "cohort/<int:cohort_id>/announce/", wrap(views.announce), name="matching_announce"
            ),
            path(
                "cohort/<int:cohort_id>/emails/", wrap(views.scheduled), name="matching_scheduled"
            ),
            path(
                "cohort/<int:cohort_id>/pairing/<int:pairing_id>/move/",
                wrap(views.move),
                name="matching_move",
            ),
            path(
                "cohort/<int:cohort_id>/pairing/<int:pairing_id>/exclude/",
                wrap(views.exclude),
                name="matching_exclude",
            ),
            path(
                "cohort/<int:cohort_id>/pairing/<int:pairing_id>/dissolve/",
                wrap(views.dissolve),
                name="matching_dissolve",
            ),
            path(
                "cohort/<int:cohort_id>/pairing/<int:pairing_id>/rematch/",
                wrap(views.rematch),
                name="matching_rematch",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("mentor"), ordering="mentor__full_name")
    def mentor_name(self, obj):
        return obj.mentor.full_name

    @admin.display(description=_("mentee"), ordering="mentee__full_name")
    def mentee_name(self, obj):
        return obj.mentee.full_name

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:matching_review", args=[obj.cohort_id]),
            _("Review this cohort's pairings"),
        )

    def _run(self, request, queryset, call, done_message):
        done = 0
        for pairing in queryset.select_related("cohort__program", "mentor", "mentee"):
            try:
                call(pairing)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{pairing}: {text}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Approve the selected pairings (chairs)"))
    def approve_selected(self, request, queryset):
        """All or nothing, like the review's approve (see services.pairings_approve_all)."""
        pairings = list(queryset.select_related("mentor", "mentee"))
        try:
            outcome = services.pairings_approve_all(pairings=pairings, approved_by=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        for level, text in approval_messages(outcome, selected=len(pairings)):
            self.message_user(request, text, level)

    @admin.action(description=_("Lock the selected pairings"))
    def lock_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda p: services.pairing_lock(pairing=p, locked=True, by=request.user),
            lambda n: ngettext("Locked %(n)s pairing.", "Locked %(n)s pairings.", n) % {"n": n},
        )

    @admin.action(description=_("Unlock the selected pairings"))
    def unlock_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda p: services.pairing_lock(pairing=p, locked=False, by=request.user),
            lambda n: ngettext("Unlocked %(n)s pairing.", "Unlocked %(n)s pairings.", n) % {"n": n},
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_chair(request.user):
            actions.pop("approve_selected", None)
        return actions


@admin.register(Exclusion)
class ExclusionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Exclusions are made from the review screen (with the reason); chairs may lift one."""

    has_add_permission = _never
    has_change_permission = _never

    committee_can_delete = True
    list_display = ["mentor", "mentee", "cohort", "reason", "created_by", "created_at"]
    list_filter = ["cohort"]
    search_fields = ["mentor__full_name", "mentee__full_name", "reason"]
    list_select_related = [
        "mentor__cohort__program",
        "mentee__cohort__program",
        "cohort__program",
        "created_by",
    ]

    def delete_model(self, request, obj):
        services.exclusion_lift(exclusion=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for exclusion in queryset:
            services.exclusion_lift(exclusion=exclusion, by=request.user)


@admin.register(QuestionCriterion)
class QuestionCriterionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """Criteria drawn from a cohort's own questions; the committee sets them like the weights
    (and changes their weights on the run form)."""

    committee_can_delete = True
    list_display = ["__str__", "cohort", "mentee_question", "mentor_question", "rule", "weight"]
    list_filter = ["cohort"]
    list_select_related = ["cohort__program", "mentee_question", "mentor_question"]
    fields = ["cohort", "mentee_question", "mentor_question", "rule", "weight"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ("mentee_question", "mentor_question") and formfield is not None:
            formfield.queryset = (
                formfield.queryset.filter(kind__in=MATCHABLE_KINDS, archived_at__isnull=True)
                .select_related("cohort")
                .order_by("-cohort__applications_open", "order", "pk")
            )
            formfield.label_from_instance = lambda q: f"{q.cohort}: {q.label}"
        return formfield

    def save_model(self, request, obj, form, change):
        services.question_criterion_save(criterion=obj, saved_by=request.user)

    def delete_model(self, request, obj):
        services.question_criterion_delete(criterion=obj, deleted_by=request.user)

    def delete_queryset(self, request, queryset):
        for criterion in queryset.select_related("cohort__program"):
            services.question_criterion_delete(criterion=criterion, deleted_by=request.user)


class ProposalInline(ProgramScopedAdminMixin, admin.TabularInline):
    has_add_permission = _never
    has_change_permission = _never

    model = Proposal
    fields = ["mentee", "mentor", "score", "reasons"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(MatchRun)
class MatchRunAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    has_add_permission = _never
    has_change_permission = _never

    list_display = [
        "__str__",
        "cohort",
        "started_by",
        "status",
        "matched_count",
        "unmatched_count",
        "total_score",
        "duration_seconds",
        "created_at",
    ]
    list_filter = ["status", "cohort"]
    list_select_related = ["cohort__program", "started_by"]
    readonly_fields = ["status_link"]
    fields = [
        "status_link",
        "cohort",
        "started_by",
        "status",
        "progress",
        "progress_message",
        "weights",
        "constraints",
        "created_at",
        "started_at",
        "finished_at",
        "duration_seconds",
        "matched_count",
        "unmatched_count",
        "total_score",
        "error",
    ]
    inlines = [ProposalInline]

    @admin.display(description=_("progress page"))
    def status_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:matching_run_status", args=[obj.pk]),
            _("Follow this run"),
        )


@admin.register(Proposal)
class ProposalAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    has_add_permission = _never
    has_change_permission = _never

    list_display = ["mentee", "mentor", "score", "run"]
    list_filter = ["run__cohort"]
    search_fields = ["mentee__full_name", "mentor__full_name"]
    list_select_related = [
        "mentee__cohort__program",
        "mentor__cohort__program",
        "run__cohort__program",
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(ProgramScopedAdminMixin, admin.ModelAdmin):
    """The audit trail: who did what to which pairing, and when. Nobody edits or deletes it."""

    has_add_permission = _never
    has_change_permission = _never

    list_display = ["created_at", "cohort", "actor", "action", "summary"]
    list_filter = ["action", "cohort"]
    search_fields = ["summary", "actor__email", "actor__full_name"]
    list_select_related = ["cohort__program", "actor"]
    date_hierarchy = "created_at"
    fields = ["created_at", "cohort", "actor", "action", "pairing", "summary", "changes"]

    def has_delete_permission(self, request, obj=None):
        return False
