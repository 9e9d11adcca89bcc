"""Claiming and sending due notifications: at most one sender per message at any time.

A deliverer claims rows with SELECT ... FOR UPDATE SKIP LOCKED and gives each a lease
(settings.NOTIFICATION_LEASE_SECONDS). Sending happens outside the claiming transaction, one row
at a time, and each row is marked sent as soon as the SMTP server has accepted it. A row whose
lease expired (its worker was killed mid-send) is due again, so the next tick sends it. A sender
never starts a message when its lease is about to run out: it hands the rest back instead, so a
slow SMTP server cannot make two workers send the same message.

Just before sending, each message's kind is asked whether it still holds
(notifications.conditions): one that no longer does is withdrawn, with the reason, not sent.

Errors are classified: temporary ones (4xx replies, timeouts, a refused or dropped connection)
put the row back to pending with a capped exponential backoff; permanent ones (5xx replies, a
message that cannot be built) end as failed, shown in the admin with the error and a retry action.
"""

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .conditions import untrue
from .models import Notification
from .services import email_html

logger = logging.getLogger(__name__)

# Do not start sending a message unless this much of its lease is left (a send that starts must
# end, by success or by the SMTP timeout, before another worker may claim the row).
SEND_MARGIN = dt.timedelta(seconds=60)


@dataclass
class DeliveryOutcome:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    released: int = 0
    withdrawn: int = 0
    # Seconds until the earliest retry of a row that hit a temporary error, if any.
    retry_in: float | None = None

    def add(self, other: "DeliveryOutcome") -> None:
        self.sent += other.sent
        self.retry += other.retry
        self.failed += other.failed
        self.released += other.released
        self.withdrawn += other.withdrawn
        if other.retry_in is not None:
            self.note_retry(other.retry_in)

    def note_retry(self, seconds: float) -> None:
        self.retry_in = seconds if self.retry_in is None else min(self.retry_in, seconds)

    def __str__(self) -> str:
        return (
            f"{self.sent} sent, {self.retry} to retry, {self.failed} failed, "
            f"{self.released} handed back, {self.withdrawn} withdrawn"
        )


def lease_duration() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def send_margin() -> dt.timedelta:
    return min(SEND_MARGIN, lease_duration() / 2)


def retry_delay(attempts: int) -> dt.timedelta:
    """Capped exponential backoff after `attempts` tries: base, 2 base, 4 base ... at most the cap.

    With the defaults: 1, 2, 4, 8, 16, 32, 60, 60 minutes.
    """
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    seconds = min(settings.NOTIFICATION_RETRY_MAX_SECONDS, base * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=seconds)


def claim_due(*, limit: int = 100, ids: list[int] | None = None) -> list[Notification]:
    """Claim up to `limit` due rows (only among `ids` if given); another worker skips them."""
    now = timezone.now()
    lease_expires_at = now + lease_duration()
    with transaction.atomic():
        queryset = Notification.objects.due(now)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        rows = list(
            queryset.select_for_update(skip_locked=True).order_by("scheduled_at", "pk")[:limit]
        )
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=Notification.Status.SENDING,
                lease_expires_at=lease_expires_at,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
    for row in rows:
        row.status = Notification.Status.SENDING
        row.lease_expires_at = lease_expires_at
        row.attempts += 1
    return rows


def build_message(notification: Notification, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        to=[notification.recipient],
        headers={"Message-ID": notification.message_id, "X-Mentoring-Key": notification.key},
        connection=connection,
    )
    if html := email_html(notification):
        message.attach_alternative(html, "text/html")
    return message


def is_temporary(error: BaseException) -> bool:
    """4xx replies, timeouts and network errors are worth retrying; 5xx and the rest are not."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    # SMTPServerDisconnected, ConnectionRefusedError, TimeoutError, socket errors (all OSError).
    return isinstance(error, OSError)


def connection_lost(error: BaseException) -> bool:
    """The server cannot be reached at all: the rest of the batch would fail the same way."""
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def send_claimed(notifications: list[Notification]) -> DeliveryOutcome:
    """Send claimed rows over one SMTP connection and record the outcome of each."""
    outcome = DeliveryOutcome()
    if not notifications:
        return outcome
    connection = get_connection(fail_silently=False)
    remaining = list(notifications)
    try:
        while remaining:
            notification = remaining[0]
            if timezone.now() >= notification.lease_expires_at - send_margin():
                outcome.released += release(remaining)
                break
            try:
                reason = no_longer_true(notification)
            except Exception as error:
                # A check that cannot decide holds the message back, as a temporary error: it
                # is retried with backoff, and ends failed (shown to staff) if it never can.
                logger.exception("The condition of %s failed", notification.key)
                remaining.pop(0)
                retry_at = record_failure(notification, error, temporary=True)
                outcome.retry += retry_at is not None
                outcome.failed += retry_at is None
                continue
            if reason:
                remaining.pop(0)
                outcome.withdrawn += mark_withdrawn(notification, reason)
                continue
            try:
                build_message(notification, connection).send()
            except SoftTimeLimitExceeded:
                # The task is out of time: nothing of the rest has been tried.
                release(remaining)
                raise
            except Exception as error:
                remaining.pop(0)
                retry_at = record_failure(notification, error, temporary=is_temporary(error))
                if retry_at is None:
                    outcome.failed += 1
                else:
                    outcome.retry += 1
                    outcome.note_retry(max(0.0, (retry_at - timezone.now()).total_seconds()))
                _close_quietly(connection)  # a fresh connection for the next message
                if retry_at is not None and connection_lost(error):
                    outcome.released += release(remaining, until=retry_at)
                    break
            else:
                remaining.pop(0)
                mark_sent(notification)
                outcome.sent += 1
    finally:
        _close_quietly(connection)
    return outcome


def no_longer_true(notification: Notification) -> str:
    """Why the message should not go out any more ("" if it still holds)."""
    return untrue([notification], now=timezone.now()).get(notification.pk, "")


def mark_withdrawn(notification: Notification, reason: str) -> int:
    count = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING
    ).update(
        status=Notification.Status.WITHDRAWN,
        withdrawn_reason=reason[:500],
        lease_expires_at=None,
        attempts=F("attempts") - 1,
        updated_at=timezone.now(),
    )
    logger.info("Notification %s withdrawn at send time: %s", notification.key, reason)
    return count


def mark_sent(notification: Notification) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT,
        sent_at=now,
        lease_expires_at=None,
        last_error="",
        updated_at=now,
    )


def record_failure(
    notification: Notification, error: BaseException, *, temporary: bool
) -> dt.datetime | None:
    """Put the row back to pending with a backoff, or mark it failed. Returns the retry time."""
    now = timezone.now()
    retry = temporary and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS
    retry_at = now + retry_delay(notification.attempts) if retry else None
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING if retry else Notification.Status.FAILED,
        scheduled_at=retry_at or notification.scheduled_at,
        lease_expires_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        updated_at=now,
    )
    logger.warning(
        "Notification %s attempt %s: %s (%s)",
        notification.key,
        notification.attempts,
        error,
        "will retry" if retry else "failed",
    )
    return retry_at


def release(notifications: list[Notification], *, until: dt.datetime | None = None) -> int:
    """Hand claimed rows back untried: pending again, the claim's attempt not counted."""
    if not notifications:
        return 0
    now = timezone.now()
    changes = {
        "status": Notification.Status.PENDING,
        "lease_expires_at": None,
        "attempts": F("attempts") - 1,
        "updated_at": now,
    }
    if until is not None:
        changes["scheduled_at"] = until
    return Notification.objects.filter(
        pk__in=[n.pk for n in notifications], status=Notification.Status.SENDING
    ).update(**changes)


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection must not hide the outcome
        logger.debug("closing the SMTP connection failed", exc_info=True)


def deliver_due(
    *,
    limit: int = 100,
    ids: list[int] | None = None,
    time_budget: dt.timedelta | None = None,
) -> DeliveryOutcome:
    """Claim and send due notifications, `limit` at a time, until none is left.

    With `ids`, only those rows. With `time_budget`, claim no new batch once it is
    spent: whatever is left waits for the next tick, and a task stays inside its time limit.
    """
    totals = DeliveryOutcome()
    deadline = timezone.now() + time_budget if time_budget is not None else None
    while deadline is None or timezone.now() < deadline:
        claimed = claim_due(limit=limit, ids=ids)
        if not claimed:
            break
        totals.add(send_claimed(claimed))
    return totals
