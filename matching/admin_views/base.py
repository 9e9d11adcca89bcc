"""What every committee screen shares: finding the cohort, pairing or application in the user's
scope, rendering inside the admin, and reporting a refused action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from cohorts.admin_scoping import scope_queryset
from cohorts.models import Cohort
from cohorts.permissions import is_chair

from ..models import Pairing
from ..outbox import cohort_failures_count


class CommitteeViewsBase:
    """Bound to the PairingAdmin, which supplies the admin site's context and URLs."""

    def __init__(self, model_admin):
        self.model_admin = model_admin
        self.site = model_admin.admin_site

    # --- helpers ------------------------------------------------------------------------------

    def cohort(self, request, cohort_id) -> Cohort:
        queryset = scope_queryset(Cohort.objects.select_related("program"), request.user)
        return get_object_or_404(queryset, pk=cohort_id)

    def pairing(self, cohort, pairing_id) -> Pairing:
        return get_object_or_404(
            Pairing.objects.select_related("mentor", "mentee", "cohort__program"),
            cohort=cohort,
            pk=pairing_id,
        )

    def application(self, cohort, application_id) -> Application:
        try:
            application_id = int(application_id)
        except (TypeError, ValueError):
            raise Http404 from None
        return get_object_or_404(
            Application.objects.select_related("cohort"), cohort=cohort, pk=application_id
        )

    def render(self, request, template, context, cohort=None):
        context = {
            **self.site.each_context(request),
            "opts": Pairing._meta,
            "cohort": cohort,
            **context,
            "is_chair": context["is_chair"]
            if "is_chair" in context
            else cohort is not None and is_chair(request.user, cohort.program),
        }
        if "failures_count" not in context:
            # Failed emails of the cohort show on every one of its committee pages.
            context["failures_count"] = (
                cohort_failures_count(cohort=cohort) if cohort is not None else 0
            )
        return TemplateResponse(request, template, context)

    def review_url(self, cohort) -> str:
        return reverse("admin:matching_review", args=[cohort.pk])

    def back_to_review(self, request, cohort) -> str:
        """The review page the form was posted from (its filter, sort and page), else the
        review's first page. Only the review's own address is followed."""
        back = request.POST.get("next", "")
        return back if back.startswith(self.review_url(cohort) + "?") else self.review_url(cohort)

    def refuse(self, request, error) -> None:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)


def approval_messages(outcome, *, selected: int) -> list[tuple[int, str]]:
    """(level, text) of what approving `selected` pairings did: all approved, or, all or
    nothing, none, with each pairing that stopped it and why."""
    if outcome.refused:
        return [
            (
                messages.ERROR,
                ngettext(
                    "Nothing was approved: %(count)d of the %(selected)d selected pairings "
                    "cannot be approved as it stands. Move it, exclude it or leave it out of "
                    "the selection, then approve again.",
                    "Nothing was approved: %(count)d of the %(selected)d selected pairings "
                    "cannot be approved as they stand. Move them, exclude them or leave them "
                    "out of the selection, then approve again.",
                    len(outcome.refused),
                )
                % {"count": len(outcome.refused), "selected": selected},
            ),
            *[
                (
                    messages.ERROR,
                    _("Not approved: %(pair)s. %(reason)s")
                    % {
                        "pair": f"{pairing.mentor.full_name} → {pairing.mentee.full_name}",
                        "reason": reason,
                    },
                )
                for pairing, reason in outcome.refused
            ],
        ]
    answer = []
    if outcome.done:
        answer.append(
            (
                messages.SUCCESS,
                ngettext("Approved %(n)s pairing.", "Approved %(n)s pairings.", len(outcome.done))
                % {"n": len(outcome.done)},
            )
        )
    if outcome.already:
        answer.append(
            (
                messages.INFO,
                ngettext(
                    "%(n)s pairing was already approved.",
                    "%(n)s pairings were already approved.",
                    len(outcome.already),
                )
                % {"n": len(outcome.already)},
            )
        )
    return answer
