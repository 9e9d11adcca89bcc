"""The decisions' audit trail: one ApplicationDecision row per committee decision, mirrored in
the admin's "Recent actions" (Django's LogEntry) so the person who decided sees it there too."""

import datetime as dt

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Application, ApplicationDecision


def decision_summary(*, before: str, after: str, note: str) -> str:
    """ "Submitted → Accepted. Note: strong fit." in words, for the log and the history."""
    labels = dict(Application.Status.choices)
    text = _("Decision: %(before)s → %(after)s.") % {
        "before": labels.get(before, before),
        "after": labels.get(after, after),
    }
    if note:
        text += " " + _("Note: %(note)s") % {"note": note}
    return text


def decision_record(
    *, application: Application, before: str, note: str, decided_by: User, now: dt.datetime
) -> ApplicationDecision:
    """Write the decision's row and its "Recent actions" entry (in the caller's transaction)."""
    decision = ApplicationDecision.objects.create(
        application=application,
        from_status=before,
        to_status=application.status,
        note=note,
        decided_by=decided_by,
        decided_at=now,
    )
    if decided_by is not None and decided_by.pk:
        LogEntry.objects.log_actions(
            user_id=decided_by.pk,
            queryset=[application],
            action_flag=CHANGE,
            change_message=decision_summary(before=before, after=application.status, note=note)[
                :2000
            ],
        )
    return decision
