"""The decisions' audit trail: one ApplicationDecision row per committee decision, mirrored in
the admin's "Recent actions" (Django's LogEntry) so the person who decided sees it there too."""

import datetime as dt

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
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
    """Write the decision's row and its "Recent actions" entry (in the caller's transaction):
    decisions_record_many for one."""
    [decision] = decisions_record_many(
        decided=[(application, before)], note=note, decided_by=decided_by, now=now
    )
    return decision


def decisions_record_many(
    *, decided: list[tuple[Application, str]], note: str, decided_by: User, now: dt.datetime
) -> list[ApplicationDecision]:
    """decision_record for many decisions at once, (application, status before) each: one
    INSERT of the decisions' rows and one of their "Recent actions" entries."""
    rows = ApplicationDecision.objects.bulk_create(
        [
            ApplicationDecision(
                application=application,
                from_status=before,
                to_status=application.status,
                note=note,
                decided_by=decided_by,
                decided_at=now,
            )
            for application, before in decided
        ]
    )
    if decided and decided_by is not None and decided_by.pk:
        content_type = ContentType.objects.get_for_model(Application, for_concrete_model=False)
        summaries = {
            (before, application.status): decision_summary(
                before=before, after=application.status, note=note
            )[:2000]
            for application, before in decided
        }
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    action_time=now,
                    user_id=decided_by.pk,
                    content_type_id=content_type.pk,
                    object_id=str(application.pk),
                    object_repr=str(application)[:200],
                    action_flag=CHANGE,
                    change_message=summaries[before, application.status],
                )
                for application, before in decided
            ]
        )
    return rows
