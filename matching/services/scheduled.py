"""A cohort's scheduled emails, as the committee sees and steers them: send a group now,
postpone it to a date, withdraw it, retry a failed message. Chairs act; every action is in the
audit trail.

A group is the cohort's unsent messages of one kind due at one moment (`scheduled_at`). The
introductions of a release are its group: sending them now or postponing them moves the release
(and the moment the partners see each other on the site) with them; withdrawing them is undoing
the release (announce.release_undo), so the pairings are approved again, not left announced
without a word.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Cohort
from cohorts.permissions import require_chair
from notifications.models import Notification
from notifications.services import notification_retry, notifications_withdraw, request_delivery

from ..models import AuditEntry, Release
from . import emails
from .announce import SEND_TIME, release_reschedule
from .audit import audit_record
from .locks import cohort_lock, retry_on_conflict


@dataclass
class Group:
    kind: str
    scheduled_at: dt.datetime


def _group(cohort: Cohort, group: Group):
    return Notification.objects.filter(
        cohort=cohort,
        kind=group.kind,
        scheduled_at=group.scheduled_at,
        status=Notification.Status.PENDING,
    )


def _releases_in(queryset) -> list[Release]:
    ids = {pk for pk in queryset.values_list("about__release", flat=True) if pk is not None}
    return list(Release.objects.select_for_update().filter(pk__in=ids, undone_at__isnull=True))


def _label(group: Group) -> str:
    return str(emails.KIND_LABELS.get(group.kind, group.kind))


def _when(moment: dt.datetime, cohort: Cohort) -> str:
    return date_format(timezone.localtime(moment, cohort.tz), "F j, Y, g:i A")


def _locked_group(cohort: Cohort, group: Group, by) -> list[int]:
    require_chair(by, cohort.program)
    cohort_lock(cohort.pk)
    ids = list(_group(cohort, group).select_for_update().values_list("pk", flat=True))
    if not ids:
        raise ValidationError(
            _("Those emails are no longer waiting to go out; the list below is up to date.")
        )
    return ids


@retry_on_conflict
@transaction.atomic
def scheduled_emails_send_now(
    *, cohort: Cohort, group: Group, by, now: dt.datetime | None = None
) -> int:
    """Send a group of scheduled emails now instead of at their time. Returns how many."""
    now = now or timezone.now()
    ids = _locked_group(cohort, group, by)
    queryset = Notification.objects.filter(pk__in=ids)
    for release in _releases_in(queryset):
        release_reschedule(release=release, send_at=now)
    count = queryset.update(scheduled_at=now, updated_at=now)
    transaction.on_commit(lambda: request_delivery(notification_ids=ids))
    audit_record(
        cohort=cohort,
        actor=by,
        action=AuditEntry.Action.SEND_NOW,
        summary=ngettext(
            "Sent %(count)s “%(kind)s” email now instead of %(when)s.",
            "Sent %(count)s “%(kind)s” emails now instead of %(when)s.",
            count,
        )
        % {"count": count, "kind": _label(group), "when": _when(group.scheduled_at, cohort)},
        changes={"kind": group.kind, "was": group.scheduled_at.isoformat(), "ids": ids},
    )
    return count


@retry_on_conflict
@transaction.atomic
def scheduled_emails_postpone(
    *, cohort: Cohort, group: Group, to_date: dt.date, by, now: dt.datetime | None = None
) -> int:
    """Postpone a group to a later day (9 a.m. program time). Returns how many moved."""
    now = now or timezone.now()
    send_at = dt.datetime.combine(to_date, SEND_TIME, tzinfo=cohort.tz)
    if send_at <= now:
        raise ValidationError(
            {"to_date": _("Choose a day after today: emails cannot be postponed to the past.")}
        )
    ids = _locked_group(cohort, group, by)
    queryset = Notification.objects.filter(pk__in=ids)
    for release in _releases_in(queryset):
        release_reschedule(release=release, send_at=send_at)
    count = queryset.update(scheduled_at=send_at, updated_at=now)
    audit_record(
        cohort=cohort,
        actor=by,
        action=AuditEntry.Action.POSTPONE,
        summary=ngettext(
            "Postponed %(count)s “%(kind)s” email from %(was)s to %(when)s.",
            "Postponed %(count)s “%(kind)s” emails from %(was)s to %(when)s.",
            count,
        )
        % {
            "count": count,
            "kind": _label(group),
            "was": _when(group.scheduled_at, cohort),
            "when": _when(send_at, cohort),
        },
        changes={
            "kind": group.kind,
            "was": group.scheduled_at.isoformat(),
            "now": send_at.isoformat(),
            "ids": ids,
        },
    )
    return count


@retry_on_conflict
@transaction.atomic
def scheduled_emails_withdraw(*, cohort: Cohort, group: Group, reason: str, by) -> int:
    """Withdraw a group, with the reason (introductions: undo their release instead)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these emails should not go out.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    if group.kind == emails.INTRODUCTION:
        raise ValidationError(
            _("Introductions follow their release: undo the release to withdraw them.")
        )
    ids = _locked_group(cohort, group, by)
    count = notifications_withdraw(
        notifications=Notification.objects.filter(pk__in=ids),
        reason=_("Withdrawn by %(who)s: %(reason)s")
        % {"who": by.get_short_name() or by, "reason": reason},
    )
    audit_record(
        cohort=cohort,
        actor=by,
        action=AuditEntry.Action.WITHDRAW,
        summary=ngettext(
            "Withdrew %(count)s “%(kind)s” email due %(when)s: %(reason)s",
            "Withdrew %(count)s “%(kind)s” emails due %(when)s: %(reason)s",
            count,
        )
        % {
            "count": count,
            "kind": _label(group),
            "when": _when(group.scheduled_at, cohort),
            "reason": reason,
        },
        changes={"kind": group.kind, "when": group.scheduled_at.isoformat(), "ids": ids},
    )
    return count


@retry_on_conflict
@transaction.atomic
def scheduled_email_retry(*, cohort: Cohort, notification_id: int, by) -> int:
    """Send one failed message of the cohort again. Returns 1, or 0 if it was not failed."""
    require_chair(by, cohort.program)
    notification = Notification.objects.filter(cohort=cohort, pk=notification_id).first()
    if notification is None:
        raise ValidationError(_("That email is not one of this cohort's."))
    count = notification_retry(notifications=Notification.objects.filter(pk=notification.pk))
    if count:
        audit_record(
            cohort=cohort,
            actor=by,
            action=AuditEntry.Action.RETRY,
            summary=_("Retried the failed email “%(subject)s” to %(to)s.")
            % {"subject": notification.subject, "to": notification.recipient},
            changes={"notification": notification.pk, "error": notification.last_error},
        )
    return count
