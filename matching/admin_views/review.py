"""Reviewing a cohort's pairings and adjusting them: approve, lock, move, exclude, dissolve,
re-match and pair by hand."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from cohorts.permissions import is_chair

from .. import selectors, services
from ..forms import ConfirmForm, ManualPairForm, ReasonForm
from ..models import Pairing
from .base import CommitteeViewsBase, approval_messages


class ReviewViews(CommitteeViewsBase):
    # --- acting on the selected pairs of the review ------------------------------------------

    def _selected(self, request, cohort) -> list[Pairing]:
        raw = request.POST.getlist("pairing")
        try:
            ids = {int(value) for value in raw}
        except ValueError:
            raise Http404 from None
        pairings = list(
            Pairing.objects.filter(cohort=cohort, pk__in=ids).select_related(
                "cohort__program", "mentor", "mentee"
            )
        )
        if len(pairings) != len(ids):
            raise Http404  # another program's (or a made-up) pairing: never acted on
        return pairings

    def review_action(self, request, cohort):
        action = request.POST.get("action", "")
        if action == "approve_all":
            pairings = list(
                Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED)
                .select_related("cohort__program", "mentor", "mentee")
                .order_by("-score", "pk")
            )
        else:
            pairings = self._selected(request, cohort)
        if action not in ("approve", "approve_all", "lock", "unlock"):
            messages.error(request, _("Choose an action."))
            return redirect(self.back_to_review(request, cohort))
        if not pairings:
            messages.warning(request, _("Select at least one pairing first."))
            return redirect(self.back_to_review(request, cohort))
        if action in ("approve", "approve_all"):
            if not is_chair(request.user, cohort.program):
                raise PermissionDenied(_("Only the committee chair may approve pairings."))
            outcome = services.pairings_approve_all(pairings=pairings, approved_by=request.user)
            for level, text in approval_messages(outcome, selected=len(pairings)):
                messages.add_message(request, level, text)
        else:
            changed = 0
            for pairing in pairings:
                try:
                    services.pairing_lock(pairing=pairing, locked=action == "lock", by=request.user)
                    changed += 1
                except ValidationError as error:
                    self.refuse(request, error)
            if changed:
                if action == "lock":
                    text = ngettext("Locked %(n)s pairing.", "Locked %(n)s pairings.", changed)
                else:
                    text = ngettext("Unlocked %(n)s pairing.", "Unlocked %(n)s pairings.", changed)
                messages.success(request, text % {"n": changed})
        return redirect(self.back_to_review(request, cohort))

    # --- one pairing: move, exclude, dissolve, re-match ------------------------------------

    def move(self, request, cohort_id, pairing_id):
        cohort = self.cohort(request, cohort_id)
        pairing = self.pairing(cohort, pairing_id)
        options = selectors.mentor_options(cohort=cohort, mentee=pairing.mentee)
        chosen = None
        form = ConfirmForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            chosen = next((o for o in options if o.mentor.pk == form.cleaned_data["mentor"]), None)
            if chosen is None:
                raise Http404
            try:
                services.pairing_move(
                    pairing=pairing,
                    mentor=chosen.mentor,
                    by=request.user,
                    confirmed=form.cleaned_data["confirmed"],
                )
            except ValidationError as error:
                self.refuse(request, error)
            else:
                messages.success(
                    request,
                    _("%(mentee)s now has %(mentor)s as a proposed mentor (score %(score).1f).")
                    % {
                        "mentee": pairing.mentee.full_name,
                        "mentor": chosen.mentor.full_name,
                        "score": chosen.score,
                    },
                )
                return redirect(self.review_url(cohort))
        elif request.GET.get("mentor"):
            try:
                wanted = int(request.GET["mentor"])
            except ValueError:
                raise Http404 from None
            chosen = next((o for o in options if o.mentor.pk == wanted), None)
        return self.render(
            request,
            "admin/matching/move.html",
            {
                "title": _("Move %(mentee)s to another mentor")
                % {"mentee": pairing.mentee.full_name},
                "pairing": pairing,
                "options": options,
                "chosen": chosen,
            },
            cohort,
        )

    def exclude(self, request, cohort_id, pairing_id):
        cohort = self.cohort(request, cohort_id)
        pairing = self.pairing(cohort, pairing_id)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.exclusion_create(
                    cohort=cohort,
                    mentor=pairing.mentor,
                    mentee=pairing.mentee,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                self.refuse(request, error)
            else:
                messages.success(
                    request,
                    _("%(mentor)s and %(mentee)s will not be paired in this cohort.")
                    % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name},
                )
                return redirect(self.review_url(cohort))
        return self.render(
            request,
            "admin/matching/reason_form.html",
            {
                "title": _("Exclude this pair"),
                "intro": _(
                    "%(mentor)s will never be proposed as the mentor of %(mentee)s in this "
                    "cohort. The current proposal is withdrawn."
                )
                % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name},
                "form": form,
                "submit": _("Exclude the pair"),
            },
            cohort,
        )

    def dissolve(self, request, cohort_id, pairing_id):
        cohort = self.cohort(request, cohort_id)
        pairing = self.pairing(cohort, pairing_id)
        if not is_chair(request.user, cohort.program):
            raise PermissionDenied(_("Only the committee chair may dissolve a pairing."))
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.pairing_dissolve(
                    pairing=pairing, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                self.refuse(request, error)
            else:
                messages.success(
                    request,
                    _(
                        "The pairing is dissolved. Emails it made untrue are withdrawn; if the "
                        "partners had been introduced, both are told kindly. You can re-match "
                        "them now."
                    ),
                )
                return redirect(self.review_url(cohort))
        return self.render(
            request,
            "admin/matching/reason_form.html",
            {
                "title": _("Dissolve a pairing"),
                "intro": _(
                    "End the pairing of %(mentor)s and %(mentee)s. Each of them can then be "
                    "re-matched with someone who has room. If they have been introduced, both "
                    "get a short, kind email saying the pairing has ended and what happens next; "
                    "your reason stays with the committee."
                )
                % {"mentor": pairing.mentor.full_name, "mentee": pairing.mentee.full_name},
                "form": form,
                "submit": _("Dissolve the pairing"),
            },
            cohort,
        )

    def rematch(self, request, cohort_id, pairing_id):
        cohort = self.cohort(request, cohort_id)
        pairing = self.pairing(cohort, pairing_id)
        if pairing.status != Pairing.Status.DISSOLVED:
            raise Http404
        if not is_chair(request.user, cohort.program):
            raise PermissionDenied(_("Only the committee chair may re-match."))
        if Pairing.objects.current().filter(mentee=pairing.mentee).exists():
            messages.info(
                request, _("%(name)s is already paired again.") % {"name": pairing.mentee.full_name}
            )
            return redirect(self.review_url(cohort))
        options = selectors.mentor_options(
            cohort=cohort, mentee=pairing.mentee, only_with_room=True
        )
        options = [o for o in options if o.mentor.pk != pairing.mentor_id and not o.warnings]
        if request.method == "POST":
            form = ConfirmForm(request.POST)
            chosen = None
            if form.is_valid():
                chosen = next(
                    (o for o in options if o.mentor.pk == form.cleaned_data["mentor"]), None
                )
            if chosen is None:
                raise Http404
            try:
                services.pairing_rematch(
                    cohort=cohort, mentor=chosen.mentor, mentee=pairing.mentee, by=request.user
                )
            except ValidationError as error:
                self.refuse(request, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(mentee)s is paired with %(mentor)s (approved). "
                        "Announce it to send the introductions."
                    )
                    % {"mentee": pairing.mentee.full_name, "mentor": chosen.mentor.full_name},
                )
                return redirect("admin:matching_announce", cohort.pk)
        return self.render(
            request,
            "admin/matching/rematch.html",
            {
                "title": _("Re-match %(mentee)s") % {"mentee": pairing.mentee.full_name},
                "pairing": pairing,
                "options": options,
            },
            cohort,
        )

    def manual(self, request, cohort_id):
        cohort = self.cohort(request, cohort_id)
        if request.method != "POST":
            return redirect(self.review_url(cohort))
        accepted = Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        form = ManualPairForm(
            request.POST, mentees=accepted.as_mentee(), mentors=accepted.as_mentor()
        )
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.review_url(cohort))
        try:
            pairing = services.pairing_create_manual(
                cohort=cohort,
                mentor=form.cleaned_data["mentor"],
                mentee=form.cleaned_data["mentee"],
                by=request.user,
                confirmed=form.cleaned_data["confirmed"],
            )
        except ValidationError as error:
            self.refuse(request, error)
        else:
            messages.success(
                request,
                _("Paired %(mentor)s → %(mentee)s by hand (score %(score).1f); the pair is locked.")
                % {
                    "mentor": pairing.mentor.full_name,
                    "mentee": pairing.mentee.full_name,
                    "score": pairing.score or 0,
                },
            )
        return redirect(self.review_url(cohort))
