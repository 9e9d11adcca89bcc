"""The committee's screens for cohorts and pairs under way, in the admin: the cohort cockpit
(the landing page, first in the index), a cohort's match health (pairs at risk, worst first,
with nudges, liaisons and touch-points), its settings, and a liaison's own pairs.

Every screen finds its cohort through scope_queryset (another program's answers 404, like a
missing one); the services check chair and liaison rights again.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.admin_scoping import scope_queryset
from cohorts.models import Cohort
from cohorts.permissions import is_chair, is_chair_or_pair_liaison
from matching.models import Pairing

from . import selectors, services
from .cockpit import cockpit
from .forms import HealthSettingsForm, LiaisonForm, NudgeForm, TouchPointForm
from .models import CohortCockpit, HealthSettings, LiaisonAssignment

PAGE_SIZE = 50
SHOW = {
    "at_risk": _("At risk"),
    "problem_report": _("Problem report open"),
    "low_pulse": _("Low pulse check"),
    "no_check_in": _("No recent check-in"),
    "goal_sheet": _("Goal sheet overdue"),
    "not_signed_in": _("Not signed in"),
    "all": _("All pairs"),
}


@admin.register(CohortCockpit)
class CohortCockpitAdmin(admin.ModelAdmin):
    """Read-only screens; nothing here is added, changed or deleted through admin forms."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        pair = "health/<int:cohort_id>/pair/<int:pairing_id>"
        return [
            path("my-pairs/", wrap(self.my_pairs_view), name="participants_cohortcockpit_mine"),
            path(
                "health/<int:cohort_id>/",
                wrap(self.health_view),
                name="participants_cohortcockpit_health",
            ),
            path(
                "health/<int:cohort_id>/settings/",
                wrap(self.settings_view),
                name="participants_cohortcockpit_settings",
            ),
            path(f"{pair}/nudge/", wrap(self.nudge_view), name="participants_cohortcockpit_nudge"),
            path(
                f"{pair}/liaison/",
                wrap(self.liaison_view),
                name="participants_cohortcockpit_liaison",
            ),
            path(
                f"{pair}/touch-point/",
                wrap(self.touch_point_view),
                name="participants_cohortcockpit_touch_point",
            ),
            path("", wrap(self.changelist_view), name="participants_cohortcockpit_changelist"),
        ]

    # --- helpers ------------------------------------------------------------------------------

    def _render(self, request, template, context, cohort=None):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "cohort": cohort,
                **context,
            },
        )

    def _cohort(self, request, cohort_id) -> Cohort:
        queryset = scope_queryset(Cohort.objects.select_related("program"), request.user)
        return get_object_or_404(queryset, pk=cohort_id)

    def _pairing(self, cohort, pairing_id) -> Pairing:
        return get_object_or_404(
            Pairing.objects.select_related(
                "cohort__program", "mentor__applicant", "mentee__applicant"
            ),
            cohort=cohort,
            pk=pairing_id,
        )

    def _health_url(self, cohort, **query) -> str:
        url = reverse("admin:participants_cohortcockpit_health", args=[cohort.pk])
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return url

    # --- the cockpit --------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = cockpit(user=request.user)
        return self._render(
            request,
            "admin/participants/cockpit/cockpit.html",
            {"title": _("Cohort cockpit"), "cards": found.cards, "is_liaison": found.is_liaison},
        )

    # --- a cohort's match health --------------------------------------------------------------

    def health_view(self, request, cohort_id):
        cohort = self._cohort(request, cohort_id)
        show = request.GET.get("show", "at_risk")
        if show not in SHOW:
            show = "at_risk"
        everyone = selectors.cohort_health(cohort=cohort)
        rows = selectors.at_risk_filter(everyone, show)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        chair = is_chair(request.user, cohort.program)
        shown = selectors.with_pulses(
            selectors.load_pairings(list(page.object_list)),
            user=request.user,
            chaired={cohort.program_id} if chair else set(),
        )
        touch_points = selectors.recent_touch_points(pairings=[r.pairing for r in shown])
        members = selectors.liaison_choices(cohort=cohort) if chair else []
        for row in shown:
            row.touch_points = touch_points.get(row.pairing.pk, [])
            row.cares = chair or row.liaison_id == request.user.pk
            if chair:
                row.liaison_form = LiaisonForm(
                    members=members,
                    initial={"liaison": row.liaison.pk if row.liaison else ""},
                    auto_id=f"liaison-{row.pairing.pk}-%s",
                )
        at_risk = sum(1 for row in everyone if row.health.at_risk)
        return self._render(
            request,
            "admin/participants/cockpit/health.html",
            {
                "title": _("Match health: %(cohort)s") % {"cohort": cohort},
                "rows": shown,
                "page": page,
                "show": show,
                "filters": [(key, label, key == show) for key, label in SHOW.items()],
                "total": len(everyone),
                "at_risk_text": ngettext(
                    "At risk: %(n)d of %(total)d pair under way.",
                    "At risk: %(n)d of %(total)d pairs under way.",
                    len(everyone),
                )
                % {"n": at_risk, "total": len(everyone)},
                "is_chair": chair,
                "settings": everyone[0].settings if everyone else HealthSettings.for_cohort(cohort),
            },
            cohort,
        )

    def settings_view(self, request, cohort_id):
        cohort = self._cohort(request, cohort_id)
        chair = is_chair(request.user, cohort.program)
        current = HealthSettings.for_cohort(cohort)
        form = HealthSettingsForm(request.POST or None, instance=current)
        if request.method == "POST":
            if not chair:
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.health_settings_update(
                        cohort=cohort, by=request.user, **form.cleaned_data
                    )
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, problems)
                else:
                    messages.success(request, _("The match-health settings are saved."))
                    return redirect(self._health_url(cohort))
        if not chair:
            for field in form.fields.values():
                field.disabled = True
        return self._render(
            request,
            "admin/participants/cockpit/settings.html",
            {
                "title": _("Match-health settings: %(cohort)s") % {"cohort": cohort},
                "form": form,
                "is_chair": chair,
            },
            cohort,
        )

    def nudge_view(self, request, cohort_id, pairing_id):
        cohort = self._cohort(request, cohort_id)
        pairing = self._pairing(cohort, pairing_id)
        form = NudgeForm(request.POST or None)
        previews = []
        try:
            if form.is_valid() and request.POST.get("send"):
                created = services.pair_nudge_send(
                    pairing=pairing, by=request.user, message=form.cleaned_data["message"]
                )
                if created:
                    messages.success(
                        request,
                        ngettext(
                            "The nudge is in the outbox: %(n)d email.",
                            "The nudge is in the outbox: %(n)d emails.",
                            created,
                        )
                        % {"n": created},
                    )
                else:
                    messages.info(
                        request, _("This pair was already nudged today; nothing more was sent.")
                    )
                return redirect(self._health_url(cohort))
            message = (
                form.cleaned_data.get("message", "") if form.is_bound and form.is_valid() else ""
            )
            previews = services.pair_nudge_preview(
                pairing=pairing, by=request.user, message=message
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self._health_url(cohort))
        return self._render(
            request,
            "admin/participants/cockpit/nudge.html",
            {
                "title": _("Nudge %(mentor)s and %(mentee)s")
                % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name},
                "pairing": pairing,
                "form": form,
                "previews": previews,
            },
            cohort,
        )

    def liaison_view(self, request, cohort_id, pairing_id):
        cohort = self._cohort(request, cohort_id)
        pairing = self._pairing(cohort, pairing_id)
        if request.method != "POST":
            return redirect(self._health_url(cohort))
        form = LiaisonForm(request.POST, members=selectors.liaison_choices(cohort=cohort))
        if not form.is_valid():
            messages.error(request, _("Choose a member of the committee."))
            return redirect(self._health_url(cohort))
        try:
            assignment = services.liaison_assign(
                pairing=pairing, liaison=form.chosen(), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            pair = f"{pairing.mentor.full_name} → {pairing.mentee.full_name}"
            if assignment is None:
                messages.success(request, _("%(pair)s has no liaison now.") % {"pair": pair})
            else:
                messages.success(
                    request,
                    _("%(liaison)s is the liaison of %(pair)s.")
                    % {"liaison": assignment.liaison, "pair": pair},
                )
        back = request.POST.get("next", "")
        # Only back to this cohort's own health page (never to an address someone typed in).
        if not back.startswith(self._health_url(cohort)):
            back = self._health_url(cohort)
        return redirect(back)

    def touch_point_view(self, request, cohort_id, pairing_id):
        cohort = self._cohort(request, cohort_id)
        pairing = self._pairing(cohort, pairing_id)
        liaison_id = (
            LiaisonAssignment.objects.filter(pairing=pairing)
            .values_list("liaison_id", flat=True)
            .first()
        )
        if not is_chair_or_pair_liaison(request.user, cohort.program, liaison_id=liaison_id):
            raise PermissionDenied
        form = TouchPointForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.touch_point_record(pairing=pairing, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The touch-point is recorded."))
                return redirect(
                    reverse("admin:participants_cohortcockpit_mine")
                    if liaison_id == request.user.pk
                    else self._health_url(cohort)
                )
        return self._render(
            request,
            "admin/participants/cockpit/touch_point.html",
            {
                "title": _("Record a touch-point with %(mentor)s and %(mentee)s")
                % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name},
                "pairing": pairing,
                "form": form,
            },
            cohort,
        )

    # --- a liaison's pairs --------------------------------------------------------------------

    def my_pairs_view(self, request):
        rows = selectors.liaison_pairs(user=request.user)
        touch_points = selectors.recent_touch_points(pairings=[r.pairing for r in rows])
        for row in rows:
            row.touch_points = touch_points.get(row.pairing.pk, [])
            row.cares = True
        return self._render(
            request,
            "admin/participants/cockpit/my_pairs.html",
            {"title": _("The pairs I look after"), "rows": rows},
        )
