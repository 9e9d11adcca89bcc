"""Announcing a cohort's approved pairings (the list of emails, a confirmation, the release,
its undo) and the cohort's scheduled emails (send now, postpone, withdraw, retry).

Committee members see both screens; the chair acts (the services check again).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application
from applications.services import application_decide
from cohorts.permissions import is_chair

from .. import selectors, services
from ..forms import EmailGroupForm, PostponeForm, ReleaseForm, WithdrawForm
from ..models import Release
from ..outbox import cohort_outbox, cohort_releases
from .base import CommitteeViewsBase


class AnnounceViews(CommitteeViewsBase):
    # --- announce -----------------------------------------------------------------------------

    def announce(self, request, cohort_id):
        cohort = self.cohort(request, cohort_id)
        form = ReleaseForm()
        if request.method == "POST":
            if not is_chair(request.user, cohort.program):
                raise PermissionDenied(_("Only the committee chair may release or undo."))
            action = request.POST.get("action")
            if action == "undo":
                return self._undo(request, cohort)
            if action == "accept-waitlisted":
                return self._accept_waitlisted(request, cohort)
            form = ReleaseForm(request.POST)
            if form.is_valid():
                try:
                    outcome = services.pairings_announce(
                        cohort=cohort,
                        by=request.user,
                        fingerprint=form.cleaned_data["fingerprint"],
                    )
                except ValidationError as error:
                    self.refuse(request, error)
                else:
                    messages.success(request, self._released_message(cohort, outcome))
                    return redirect("admin:matching_announce", cohort.pk)
        plan, groups = services.announcement_preview(cohort=cohort)
        form.initial = {"fingerprint": plan.fingerprint}
        if form.is_bound:
            form.data = {**form.data.dict(), "fingerprint": plan.fingerprint}
        return self.render(
            request,
            "admin/matching/announce.html",
            {
                "title": _("Announce pairings: %(cohort)s") % {"cohort": cohort},
                "plan": plan,
                "groups": groups,
                "form": form,
                "summary": self._plan_summary(plan),
                "announced_count": plan.announced,
                "releases": cohort_releases(cohort=cohort),
                "waitlist": selectors.waitlist_offer(cohort=cohort),
            },
            cohort,
        )

    def _plan_summary(self, plan) -> str:
        pairings = ngettext(
            "%(count)s approved pairing is ready to release",
            "%(count)s approved pairings are ready to release",
            len(plan.pairings),
        ) % {"count": len(plan.pairings)}
        if not plan.pairings:
            return _("No approved pairing is ready to release.")
        emails = ngettext(
            "%(count)s email to %(people)s",
            "%(count)s emails to %(people)s",
            len(plan.emails),
        ) % {
            "count": len(plan.emails),
            "people": ngettext("%(n)s person", "%(n)s people", plan.recipient_count)
            % {"n": plan.recipient_count},
        }
        return _("%(pairings)s: %(emails)s.") % {"pairings": pairings, "emails": emails}

    def _released_message(self, cohort, outcome) -> str:
        when = date_format(timezone.localtime(outcome.send_at, cohort.tz), "F j, Y, g:i A")
        released = ngettext(
            "Released %(count)s pairing.", "Released %(count)s pairings.", outcome.pairings
        ) % {"count": outcome.pairings}
        sent = ngettext(
            "%(count)s email goes out %(when)s.",
            "%(count)s emails go out %(when)s.",
            outcome.emails_created,
        ) % {"count": outcome.emails_created, "when": when}
        return f"{released} {sent} " + _("You can undo the release on this page until then.")

    def _undo(self, request, cohort):
        release = get_object_or_404(Release, cohort=cohort, pk=request.POST.get("release") or 0)
        try:
            withdrawn = services.release_undo(release=release, by=request.user)
        except ValidationError as error:
            self.refuse(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The release is undone: %(count)s email withdrawn; its pairings are "
                    "approved again.",
                    "The release is undone: %(count)s emails withdrawn; its pairings are "
                    "approved again.",
                    withdrawn,
                )
                % {"count": withdrawn},
            )
        return redirect("admin:matching_announce", cohort.pk)

    def _accept_waitlisted(self, request, cohort):
        if not is_chair(request.user, cohort.program):
            raise PermissionDenied(_("Only the committee chair may accept from the waitlist."))
        application = self.application(cohort, request.POST.get("application"))
        if application.status != Application.Status.WAITLISTED:
            messages.info(
                request, _("%(name)s is no longer waitlisted.") % {"name": application.full_name}
            )
            return redirect(request.POST.get("next") or self.review_url(cohort))
        try:
            application_decide(
                application=application,
                decision=Application.Status.ACCEPTED,
                decided_by=request.user,
            )
        except ValidationError as error:
            self.refuse(request, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is accepted from the waitlist. Pair them on the review screen; "
                    "their waitlist email, if still scheduled, is withdrawn."
                )
                % {"name": application.full_name},
            )
        return redirect("admin:matching_review", cohort.pk)

    # --- scheduled emails ---------------------------------------------------------------------

    def scheduled(self, request, cohort_id):
        cohort = self.cohort(request, cohort_id)
        if request.method == "POST":
            return self._scheduled_action(request, cohort)
        return self._scheduled_page(request, cohort)

    def _scheduled_page(self, request, cohort, bound=None):
        """The page; `bound` is (action, form) of an action refused, shown beside its group
        with what was typed."""
        outbox = cohort_outbox(cohort=cohort, user=request.user)
        for group in outbox.groups:
            initial = {"kind": group.kind, "scheduled_at": group.scheduled_at.isoformat()}
            group.postpone_form = PostponeForm(initial=initial, auto_id=False)
            group.withdraw_form = WithdrawForm(initial=initial, auto_id=False)
            group.send_now_form = EmailGroupForm(initial=initial, auto_id=False)
            if bound is not None and _same_group(bound[1], group):
                setattr(group, f"{bound[0]}_form", bound[1])
        return self.render(
            request,
            "admin/matching/scheduled.html",
            {
                "title": _("Scheduled emails: %(cohort)s") % {"cohort": cohort},
                "outbox": outbox,
                "failures_count": outbox.failures_count,
                "today": timezone.localdate(timezone=cohort.tz),
            },
            cohort,
        )

    def _scheduled_action(self, request, cohort):
        if not is_chair(request.user, cohort.program):
            raise PermissionDenied(_("Only the committee chair may change scheduled emails."))
        action = request.POST.get("action")
        if action == "retry":
            try:
                count = services.scheduled_email_retry(
                    cohort=cohort,
                    notification_id=_int(request.POST.get("notification")),
                    by=request.user,
                )
            except ValidationError as error:
                self.refuse(request, error)
            else:
                messages.success(
                    request,
                    _("The email will be sent again.") if count else _("Nothing to retry."),
                )
            return redirect("admin:matching_scheduled", cohort.pk)
        form_class = GROUP_FORMS.get(action)
        if form_class is None:
            return redirect("admin:matching_scheduled", cohort.pk)
        form = form_class(request.POST, auto_id=False)
        if form.is_valid():
            try:
                done = self._group_action(request, cohort, action, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return redirect("admin:matching_scheduled", cohort.pk)
        messages.error(request, _("That was not done: see the note beside the emails."))
        return self._scheduled_page(request, cohort, bound=(action.replace("-", "_"), form))

    def _group_action(self, request, cohort, action, data) -> str:
        group = services.Group(kind=data["kind"], scheduled_at=data["scheduled_at"])
        if action == "send-now":
            count = services.scheduled_emails_send_now(cohort=cohort, group=group, by=request.user)
            return ngettext(
                "%(count)s email is on its way now.",
                "%(count)s emails are on their way now.",
                count,
            ) % {"count": count}
        if action == "postpone":
            count = services.scheduled_emails_postpone(
                cohort=cohort, group=group, to_date=data["to_date"], by=request.user
            )
            return ngettext(
                "%(count)s email postponed to %(day)s.",
                "%(count)s emails postponed to %(day)s.",
                count,
            ) % {"count": count, "day": date_format(data["to_date"], "F j, Y")}
        count = services.scheduled_emails_withdraw(
            cohort=cohort, group=group, reason=data["reason"], by=request.user
        )
        return ngettext("%(count)s email withdrawn.", "%(count)s emails withdrawn.", count) % {
            "count": count
        }


GROUP_FORMS = {"send-now": EmailGroupForm, "postpone": PostponeForm, "withdraw": WithdrawForm}


def _same_group(form, group) -> bool:
    when = parse_datetime(form.data.get("scheduled_at", "") or "")
    return form.data.get("kind") == group.kind and when == group.scheduled_at


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
