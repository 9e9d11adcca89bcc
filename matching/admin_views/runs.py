"""The committee's cohort list, and running matching and following the run."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.admin_scoping import scope_queryset
from cohorts.models import Cohort

from .. import selectors, services
from ..forms import RunForm
from ..models import MatchRun
from ..progress import run_progress
from .base import CommitteeViewsBase


class RunViews(CommitteeViewsBase):
    # --- cohorts ------------------------------------------------------------------------------

    def cohorts(self, request):
        cohorts = scope_queryset(Cohort.objects.select_related("program"), request.user).order_by(
            "program__name", "-mentoring_starts"
        )
        rows = [(cohort, cohort.phase()) for cohort in cohorts]
        return self.render(
            request, "admin/matching/cohorts.html", {"rows": rows, "title": _("Matching by cohort")}
        )

    # --- runs ---------------------------------------------------------------------------------

    def run(self, request, cohort_id):
        cohort = self.cohort(request, cohort_id)
        weights, exclude_same_employer = selectors.matching_settings(cohort=cohort)
        criteria = selectors.question_criteria(cohort=cohort)
        if request.method == "POST":
            form = RunForm(request.POST, weights=weights, criteria=criteria)
            if form.is_valid():
                try:
                    run = services.match_run_start(
                        cohort=cohort,
                        started_by=request.user,
                        weights=form.weights(),
                        keep_locked=form.cleaned_data["keep_locked"],
                        exclude_same_employer=form.cleaned_data["exclude_same_employer"],
                        criterion_weights=form.criterion_weights(),
                    )
                except PermissionDenied:
                    raise
                return redirect("admin:matching_run_status", run.pk)
        else:
            form = RunForm(
                weights=weights,
                criteria=criteria,
                initial={"exclude_same_employer": exclude_same_employer},
            )
        counts = selectors.pool_counts(cohort=cohort)
        return self.render(
            request,
            "admin/matching/run_form.html",
            {
                "title": _("Run matching: %(cohort)s") % {"cohort": cohort},
                "form": form,
                "pool_text": _pool_text(
                    mentees=counts.mentees,
                    mentors=counts.mentors,
                    places=counts.places,
                    locked=counts.locked,
                    approved=counts.approved,
                ),
                "runs": MatchRun.objects.filter(cohort=cohort).select_related("started_by")[:5],
                "criteria_url": reverse("admin:matching_questioncriterion_changelist")
                + f"?cohort__id__exact={cohort.pk}",
            },
            cohort,
        )

    def _run(self, request, run_id) -> MatchRun:
        queryset = scope_queryset(
            MatchRun.objects.select_related("cohort__program", "started_by"), request.user
        )
        return get_object_or_404(queryset, pk=run_id)

    def run_status(self, request, run_id):
        """The run's progress (step, bar, time left) while it runs; its result once it has
        finished, with no bar: on the embedded default the run finishes inside the request
        that starts it, and this page shows the result at once."""
        run = self._run(request, run_id)
        progress = run_progress(run)
        return self.render(
            request,
            "admin/matching/run_status.html",
            {
                "title": _("Match run %(pk)s: %(cohort)s") % {"pk": run.pk, "cohort": run.cohort},
                "run": run,
                "progress": progress,
                "finished": progress.finished,
                "status_url": reverse("admin:matching_run_status_json", args=[run.pk]),
            },
            run.cohort,
        )

    def run_status_json(self, request, run_id):
        run = self._run(request, run_id)
        progress = run_progress(run)
        return JsonResponse(
            {
                "status": run.status,
                "status_display": run.get_status_display(),
                "progress": run.progress,
                "step": progress.step_text,
                "remaining": progress.remaining_text,
                "message": run.progress_message,
                "finished": progress.finished,
                "matched": run.matched_count,
                "unmatched": run.unmatched_count,
                "error": run.error,
            }
        )


def _pool_text(*, mentees: int, mentors: int, places: int, locked: int, approved: int) -> str:
    """What the run will work with, each count in words that agree with it."""
    text = _("%(mentees)s and %(mentors)s with %(places)s.") % {
        "mentees": ngettext("%(n)d accepted mentee", "%(n)d accepted mentees", mentees)
        % {"n": mentees},
        "mentors": ngettext("%(n)d accepted mentor", "%(n)d accepted mentors", mentors)
        % {"n": mentors},
        "places": ngettext("%(n)d place", "%(n)d places", places) % {"n": places},
    }
    if locked or approved:
        text += " " + _("Kept unless you say otherwise: %(locked)s and %(approved)s.") % {
            "locked": ngettext("%(n)d locked pairing", "%(n)d locked pairings", locked)
            % {"n": locked},
            "approved": ngettext("%(n)d approved pairing", "%(n)d approved pairings", approved)
            % {"n": approved},
        }
    return text
