import contextlib
import contextvars
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# An href or src that is not absolute: every link in an email must start with SITE_URL (or be
# mailto:, tel: or an in-page anchor), because a mail client has no site to resolve it against.
_RELATIVE_LINK = re.compile(
    r"""\b(?:href|src)\s*=\s*["']?+(?!https?://|mailto:|tel:|#|cid:|data:)""", re.IGNORECASE
)


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """Render `<template>.txt` (first line is the subject) and `<template>.html` if it exists.

    The text is rendered without HTML escaping (it is plain text) and ends with the standard
    footer (`notifications/emails/footer.txt`); the HTML is escaped. Without an HTML template,
    the plain text is wrapped in the base HTML email layout. `SITE_URL` is in the context of
    both, and `program_name` should be. Raises ValueError when the HTML holds a relative link.
    Returns (subject, text, html).
    """
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    text = render_to_string(f"{template}.txt", context, using="text").strip()
    subject, _sep, body = text.partition("\n")
    subject = " ".join(subject.split())
    footer = render_to_string("notifications/emails/footer.txt", context, using="text").strip()
    body = f"{body.strip()}\n\n-- \n{footer}\n"
    try:
        html = render_to_string(f"{template}.html", {**context, "subject": subject}, using="django")
    except TemplateDoesNotExist:
        html = render_to_string(
            "notifications/emails/base.html",
            {**context, "subject": subject, "body_text": text.partition("\n")[2].strip()},
            using="django",
        )
    if match := _RELATIVE_LINK.search(html):
        snippet = html[match.start() : match.start() + 60]
        raise ValueError(f"Email template {template} has a relative link: {snippet!r}")
    return subject, body, html


# --- dry runs -------------------------------------------------------------------------------


@dataclass
class PlannedMessage:
    """A message notification_create was asked for during a dry run (nothing was written)."""

    notification: Notification  # unsaved; pk is None
    already_exists: bool  # a row with this key exists, so a real run would not send it again


_collector: contextvars.ContextVar[list[PlannedMessage] | None] = contextvars.ContextVar(
    "notification_dry_run", default=None
)


@contextlib.contextmanager
def notifications_collected() -> Iterator[list[PlannedMessage]]:
    """Within this block notification_create writes and sends nothing: it collects instead.

    Used by the planners' dry run (notifications.planning.preview_planners).
    """
    collected: list[PlannedMessage] = []
    token = _collector.set(collected)
    try:
        yield collected
    finally:
        _collector.reset(token)


# --- writes ---------------------------------------------------------------------------------


def notification_create(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict,
    user=None,
    cohort=None,
    scheduled_at: dt.datetime | None = None,
) -> tuple[Notification, bool]:
    """Create the message keyed `key` unless it exists; return (notification, created).

    Call it inside the transaction of the change that causes the message, so both commit or
    neither does. Idempotent on the key, also when two transactions race (the unique key decides:
    the loser waits for the winner's commit, then finds its row). Delivery is requested after
    commit and never fails the caller: if the broker is down the row waits for the next tick.

    During a dry run (notifications_collected) nothing is written: the rendered message is
    collected, and an unsaved Notification is returned with created=True if a real run would
    create it.
    """
    collector = _collector.get()
    if collector is not None:
        existing = Notification.objects.filter(key=key).first()
        notification = existing
        if notification is None:
            subject, text, html = render_email(template=template, context=context)
            notification = Notification(
                key=key,
                kind=kind,
                recipient=to,
                user=user,
                cohort=cohort,
                subject=subject,
                body_text=text,
                body_html=html,
                scheduled_at=scheduled_at or timezone.now(),
            )
        collector.append(PlannedMessage(notification, already_exists=existing is not None))
        return notification, existing is None
    subject, text, html = render_email(template=template, context=context)
    notification = Notification(
        key=key,
        kind=kind,
        recipient=to,
        user=user,
        cohort=cohort,
        subject=subject,
        body_text=text,
        body_html=html,
        scheduled_at=scheduled_at or timezone.now(),
    )
    if not _insert_unless_key_exists(notification):
        return Notification.objects.get(key=key), False
    if notification.scheduled_at <= timezone.now():
        _deliver_on_commit(notification.pk)
    return notification, True


def _insert_unless_key_exists(notification: Notification) -> bool:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id: one round trip, no savepoint.

    Returns whether the row was inserted (and sets its pk). A concurrent transaction inserting
    the same key makes this statement wait for it; if it commits, nothing is inserted here.
    """
    meta = Notification._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(notification, add=True), connection)
        for field in fields
    ]
    quote = connection.ops.quote_name
    # Only quoted model metadata is interpolated; every value is a query parameter.
    table, key, pk = (
        quote(meta.db_table),
        quote(meta.get_field("key").column),
        quote(meta.pk.column),
    )
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT ({key}) DO NOTHING RETURNING {pk}"  # noqa: E501, S608
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    notification.pk = row[0]
    notification._state.adding = False
    notification._state.db = connection.alias
    return True


@transaction.atomic
def notification_retry(*, notifications: QuerySet[Notification]) -> int:
    """Send failed messages again from scratch (attempts reset); returns how many.

    Only failed rows are touched: a sent message is never sent twice by a retry.
    """
    ids = list(
        notifications.filter(status=Notification.Status.FAILED)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    count = Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.PENDING,
        attempts=0,
        scheduled_at=now,
        lease_expires_at=None,
        updated_at=now,
    )
    if count:
        transaction.on_commit(lambda: request_delivery(notification_ids=ids))
    return count


@transaction.atomic
def notification_cancel(*, notifications: QuerySet[Notification]) -> int:
    """Cancel messages that have not gone out yet (pending or failed); returns how many."""
    ids = list(
        notifications.filter(status__in=[Notification.Status.PENDING, Notification.Status.FAILED])
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    return Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.CANCELLED, lease_expires_at=None, updated_at=timezone.now()
    )


# --- asking a worker ------------------------------------------------------------------------


class _DeliveryRequest:
    """The on-commit callback of one transaction: one task for every message it created.

    A planner that creates 500 reminders in one transaction enqueues one task, which sends them
    over one SMTP connection. An id whose savepoint was rolled back may stay in the list; the
    task claims only rows that exist and are due, so it is skipped.
    """

    def __init__(self, notification_id: int):
        self.ids = [notification_id]

    def __call__(self) -> None:
        request_delivery(notification_ids=self.ids)


def _deliver_on_commit(notification_id: int) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Join the request this transaction already registered (still pending: Django drops the
        # callbacks of a rolled-back savepoint from run_on_commit).
        for _savepoints, callback, _robust in getattr(connection, "run_on_commit", []):
            if isinstance(callback, _DeliveryRequest):
                callback.ids.append(notification_id)
                return
    transaction.on_commit(_DeliveryRequest(notification_id))


def request_delivery(*, notification_ids: list[int]) -> None:
    """Ask a worker to deliver these messages now. Never fails the caller: the tick is the net."""
    from .tasks import deliver_notifications_task

    _enqueue(deliver_notifications_task, notification_ids)


def _enqueue(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the broker is down or unreachable; the row is safe in the database
        logger.warning(
            "Could not enqueue %s%s; the next tick does it.", task.name, args, exc_info=True
        )
