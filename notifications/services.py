import contextlib
import contextvars
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Left, StrIndex
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def mask_private_links(body: str) -> str:
    """Hide personal links (e.g. a survey's token link) from everyone who reads the outbox.

    A survey link opens the participant's answers; showing it in the admin would let a reader
    see who said what in an anonymous survey. Patterns come from NOTIFICATION_PRIVATE_LINKS.
    """
    for pattern, replacement in settings.NOTIFICATION_PRIVATE_LINKS:
        body = re.sub(pattern, replacement, body)
    return body


def render_email(*, template: str, context: dict) -> tuple[str, str, str]:
    """Render `<template>.txt` (first line is the subject) and `<template>.html` if it exists.

    The text is rendered without HTML escaping (it is plain text) and ends with the standard
    footer (`notifications/emails/footer.txt`) after a signature line; the HTML is escaped.
    `SITE_URL` is in the context of both, and `program_name` should be. Returns (subject, text,
    html). Without an HTML template the html is "": the HTML part is then the text in the
    house layout (`notifications/emails/base.html`), drawn from the stored text when the message
    is sent or previewed (`email_html`), not stored beside it: a release of thousands of emails
    renders and writes half as much.

    Every link must be absolute (`{{ SITE_URL }}{% url ... %}`): tests/notifications/
    test_templates.py renders every email template with sample context and fails on a relative
    one. Nothing is checked here, at run time, where the text a person typed would be scanned
    too and could stop a whole cohort's email.
    """
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    text = render_to_string(f"{template}.txt", context, using="text").strip()
    subject, _sep, body = text.partition("\n")
    subject = " ".join(subject.split())
    footer = _footer(
        *(str(context.get(name) or "") for name in ("program_name", "SITE_NAME", "SITE_URL")),
        str(context.get("footer_reason") or ""),
    )
    body = f"{body.strip()}{SIGNATURE}{footer}\n"
    html = ""
    if _has_html_template(template):
        html = render_to_string(f"{template}.html", {**context, "subject": subject}, using="django")
    return subject, body, html


# Between an email's text and its footer: the usual signature line ("-- ", RFC 3676).
SIGNATURE = "\n\n-- \n"


def has_html_part(notification: Notification) -> bool:
    """Whether the message goes out with an HTML part: its own, or its text in the layout."""
    return bool(notification.body_html or notification.body_text)


def email_html(notification: Notification) -> str:
    """The message's HTML part: its own HTML if it has one, else its text in the house layout
    (the program's name on top, the footer below; "" for a message without text).

    The layout reads the footer render_email put after the last signature line (the program's
    name, the site's address, why the person receives it), so the HTML says what the text says.
    """
    if notification.body_html or not notification.body_text:
        return notification.body_html
    body, sep, footer = notification.body_text.rpartition(SIGNATURE)
    if not sep:
        body, footer = notification.body_text, ""
    lines = footer.strip().split("\n")
    return render_to_string(
        "notifications/emails/base.html",
        {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "subject": notification.subject,
            "body_text": body.strip(),
            "program_name": lines[0],
            "footer_reason": " ".join(line for line in lines[3:] if line),
        },
        using="django",
    )


@lru_cache(maxsize=1024)
def _footer(program_name: str, site_name: str, site_url: str, footer_reason: str) -> str:
    """The standard footer, rendered once per program and reason (a release renders thousands
    of emails with a handful of footers). footer.txt reads only these four values."""
    context = {
        "program_name": program_name,
        "SITE_NAME": site_name,
        "SITE_URL": site_url,
        "footer_reason": footer_reason,
    }
    return render_to_string("notifications/emails/footer.txt", context, using="text").strip()


@lru_cache(maxsize=256)
def _has_html_template(template: str) -> bool:
    """Whether `<template>.html` exists (templates do not change while a process runs)."""
    try:
        get_template(f"{template}.html", using="django")
    except TemplateDoesNotExist:
        return False
    return True


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
    template: str = "",
    context: dict | None = None,
    rendered: tuple[str, str, str] | None = None,
    user=None,
    cohort=None,
    scheduled_at: dt.datetime | None = None,
    about: dict | None = None,
    reissue: bool = False,
) -> tuple[Notification, bool]:
    """Create the message keyed `key` unless it exists; return (notification, created).

    Call it inside the transaction of the change that causes the message, so both commit or
    neither does. Idempotent on the key, also when two transactions race (the unique key decides:
    the loser waits for the winner's commit, then finds its row). Delivery is requested after
    commit and never fails the caller: if the broker is down the row waits for the next tick.

    The message is `template` rendered with `context`, or `rendered` (subject, text, html) as
    given. `about` holds the ids its kind's still-true condition reads (notifications.conditions).
    With `reissue`, a message under `key` that was withdrawn or cancelled does not stop a new
    one: it is created as `key#2` (then `#3`...), so a person who was told, then untold, can be
    told again; a live one (pending, sending, sent or failed) is returned as it is.

    During a dry run (notifications_collected) nothing is written: the rendered message is
    collected, and an unsaved Notification is returned with created=True if a real run would
    create it.
    """
    if reissue:
        key, existing = _reissue_keys([key])[key]
    else:
        existing = None
    collector = _collector.get()
    if collector is not None:
        existing = existing or Notification.objects.filter(key=key).first()
        notification = existing or _build(
            key, kind, to, template, context, rendered, user, cohort, scheduled_at, about
        )
        collector.append(PlannedMessage(notification, already_exists=existing is not None))
        return notification, existing is None
    if existing is not None:
        return existing, False
    notification = _build(
        key, kind, to, template, context, rendered, user, cohort, scheduled_at, about
    )
    if not _insert_unless_key_exists(notification):
        return Notification.objects.get(key=key), False
    if notification.scheduled_at <= timezone.now():
        _deliver_on_commit(notification.pk)
    return notification, True


def notifications_create_many(
    *, messages: Iterable[dict], reissue: bool = False
) -> list[tuple[Notification, bool]]:
    """notification_create for many messages: (notification, created) for each, in order.

    Each message is a dict of notification_create's keyword arguments (key, kind, to,
    template and context or rendered, user, cohort, scheduled_at, about). The same contract:
    idempotent on each key (also under a race: the unique key decides), `reissue` as there,
    delivery requested after commit for those due, nothing written during a dry run. A message
    whose key exists is not even rendered. The statements do not grow with the number of
    messages: a read of the keys (two with `reissue`), one INSERT ... ON CONFLICT (key) DO
    NOTHING for the new rows, and a read of the rows a concurrent transaction created first.
    """
    messages = [dict(message) for message in messages]
    if not messages:
        return []
    keys = list(dict.fromkeys(message["key"] for message in messages))
    if reissue:
        targets = _reissue_keys(keys)
    else:
        found = Notification.objects.filter(key__in=keys).in_bulk(field_name="key")
        targets = {key: (key, found.get(key)) for key in keys}
    built: dict[str, Notification] = {}
    for message in messages:
        key, existing = targets[message["key"]]
        if existing is None and key not in built:
            built[key] = _build(
                key,
                message["kind"],
                message["to"],
                message.get("template", ""),
                message.get("context"),
                message.get("rendered"),
                message.get("user"),
                message.get("cohort"),
                message.get("scheduled_at"),
                message.get("about"),
            )
    collector = _collector.get()
    if collector is not None:
        return _collect_many(collector, messages, targets, built)
    inserted = _insert_many_unless_keys_exist(list(built.values()))
    lost = [key for key in built if key not in inserted]
    winners = Notification.objects.filter(key__in=lost).in_bulk(field_name="key") if lost else {}
    now = timezone.now()
    due = [built[key].pk for key in inserted if built[key].scheduled_at <= now]
    if due:
        _deliver_on_commit(*due)
    answer, seen = [], set()
    for message in messages:
        key, existing = targets[message["key"]]
        created = key in inserted and key not in seen
        seen.add(key)
        answer.append((existing or winners.get(key) or built[key], created))
    return answer


def _collect_many(collector, messages, targets, built) -> list[tuple[Notification, bool]]:
    answer = []
    for message in messages:
        key, existing = targets[message["key"]]
        notification = existing or built[key]
        collector.append(PlannedMessage(notification, already_exists=existing is not None))
        answer.append((notification, existing is None))
    return answer


def _reissue_keys(keys: list[str]) -> dict[str, tuple[str, Notification | None]]:
    """For each key, the key a reissued message takes and the live message already under it,
    if any, in at most two queries: the rows under the keys themselves, then, only for keys
    whose message was withdrawn or cancelled, their reissues (`key#n`)."""
    found = {row.key: row for row in Notification.objects.filter(key__in=keys)}
    reissued = [key for key, row in found.items() if row.status in Notification.FINAL_UNSENT]
    family: dict[str, list[Notification]] = {key: [row] for key, row in found.items()}
    if reissued:
        base = Left("key", StrIndex("key", models.Value("#")) - 1)
        later = (
            Notification.objects.filter(key__contains="#")
            .annotate(base_key=base)
            .filter(base_key__in=reissued)
        )
        for row in later:
            family[row.base_key].append(row)
    answer = {}
    for key in keys:
        rows = family.get(key, [])
        live = sorted(
            (row for row in rows if row.status not in Notification.FINAL_UNSENT),
            key=lambda row: (row.scheduled_at, row.pk),
            reverse=True,  # the model's ordering: the newest live message
        )
        if live:
            answer[key] = (live[0].key, live[0])
        else:
            answer[key] = (f"{key}#{len(rows) + 1}" if rows else key, None)
    return answer


def _build(key, kind, to, template, context, rendered, user, cohort, scheduled_at, about):
    if rendered is None:
        rendered = render_email(template=template, context=context or {})
    subject, text, html = rendered
    return Notification(
        key=key,
        kind=kind,
        recipient=to,
        user=user,
        cohort=cohort,
        subject=subject[:255],
        body_text=text,
        body_html=html,
        scheduled_at=scheduled_at or timezone.now(),
        about=about or {},
    )


def _insert_unless_key_exists(notification: Notification) -> bool:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id: one round trip, no savepoint.

    Returns whether the row was inserted (and sets its pk). A concurrent transaction inserting
    the same key makes this statement wait for it; if it commits, nothing is inserted here.
    """
    return bool(_insert_many_unless_keys_exist([notification]))


def _insert_many_unless_keys_exist(notifications: list[Notification]) -> set[str]:
    """The same statement for many rows: returns the keys inserted and sets their pks; a key
    that exists, or that a concurrent transaction commits meanwhile, is left alone.

    On PostgreSQL the rows travel as one array per column (`SELECT * FROM unnest(...)`): one
    statement with a placeholder per column whatever the number of rows. Elsewhere (the
    embedded SQLite) a VALUES list, in as many statements as the database's parameter limit
    asks.
    """
    if not notifications:
        return set()
    meta = Notification._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Only quoted model metadata is interpolated; every value is a query parameter.
    table, key, pk = (
        quote(meta.db_table),
        quote(meta.get_field("key").column),
        quote(meta.pk.column),
    )
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {table} ({columns})"
    tail = f"ON CONFLICT ({key}) DO NOTHING RETURNING {pk}, {key}"
    rows = [
        [field.get_db_prep_save(field.pre_save(n, add=True), connection) for field in fields]
        for n in notifications
    ]
    statements = []
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        columns_of_values = [list(column) for column in zip(*rows, strict=True)]
        sql = f"{head} SELECT * FROM unnest({arrays}) {tail}"  # noqa: S608
        statements.append((sql, columns_of_values))
    else:
        size = max(1, connection.ops.bulk_batch_size(fields, notifications))
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            values = ", ".join([row] * len(batch))
            params = [value for one in batch for value in one]
            statements.append((f"{head} VALUES {values} {tail}", params))
    by_key = {notification.key: notification for notification in notifications}
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            for new_pk, new_key in cursor.fetchall():
                notification = by_key[new_key]
                notification.pk = new_pk
                notification._state.adding = False
                notification._state.db = connection.alias
                inserted.add(new_key)
    return inserted


@transaction.atomic
def notification_retry(*, notifications: QuerySet[Notification]) -> int:
    """Send failed messages again from scratch (attempts reset); returns how many.

    Only failed rows are touched: a sent message is never sent twice by a retry.
    """
    ids = list(
        notifications.filter(status=Notification.Status.FAILED)
        .select_for_update(of=("self",))
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
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    return Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.CANCELLED, lease_expires_at=None, updated_at=timezone.now()
    )


@transaction.atomic
def notifications_withdraw(*, notifications: QuerySet[Notification], reason: str) -> int:
    """Withdraw messages that have not gone out (pending or failed), with the reason; returns
    how many. Call it in the transaction of the change that makes them untrue. A message being
    sent at this moment is not touched (the deliverer checks its condition just before)."""
    ids = list(
        notifications.filter(status__in=[Notification.Status.PENDING, Notification.Status.FAILED])
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    return _mark_withdrawn(ids, reason)


def _mark_withdrawn(ids: list[int], reason: str) -> int:
    if not ids:
        return 0
    return Notification.objects.filter(
        pk__in=ids, status__in=[Notification.Status.PENDING, Notification.Status.FAILED]
    ).update(
        status=Notification.Status.WITHDRAWN,
        withdrawn_reason=reason[:500],
        lease_expires_at=None,
        updated_at=timezone.now(),
    )


def notifications_recheck(
    *, notifications: QuerySet[Notification], now: dt.datetime | None = None
) -> int:
    """Withdraw, each with its reason, the unsent messages among `notifications` whose kind's
    condition no longer holds (notifications.conditions). Returns how many.

    The services that change what messages describe call it in their own transaction, after
    the change (for example on the cohort's pending messages after a pairing is dissolved).
    """
    # One transaction (and no second savepoint): notifications_recheck_withdrawn's.
    return len(notifications_recheck_withdrawn(notifications=notifications, now=now))


@transaction.atomic
def notifications_recheck_withdrawn(
    *, notifications: QuerySet[Notification], now: dt.datetime | None = None
) -> list[Notification]:
    """notifications_recheck, answering the messages it withdrew (their key, kind, about and
    recipient loaded), for a caller that writes each one's replacement: a low-score alert or a
    problem report whose recipient left the committee goes to whoever reads it now."""
    from .conditions import untrue

    rows = list(
        notifications.filter(status__in=[Notification.Status.PENDING, Notification.Status.FAILED])
        .select_for_update(of=("self",))
        .only("pk", "key", "kind", "about", "user_id", "cohort_id", "recipient", "scheduled_at")
    )
    reasons = untrue(rows, now=now or timezone.now())
    by_reason: dict[str, list[int]] = {}
    for pk, reason in reasons.items():
        by_reason.setdefault(reason, []).append(pk)
    withdrawn: set[int] = set()
    for reason, ids in by_reason.items():
        _mark_withdrawn(ids, reason)
        withdrawn.update(ids)
    return [row for row in rows if row.pk in withdrawn]


# --- asking a worker ------------------------------------------------------------------------


class _DeliveryRequest:
    """The on-commit callback of one transaction: one task for every message it created.

    A planner that creates 500 reminders in one transaction enqueues one task, which sends them
    over one SMTP connection. An id whose savepoint was rolled back may stay in the list; the
    task claims only rows that exist and are due, so it is skipped.
    """

    def __init__(self, *notification_ids: int):
        self.ids = list(notification_ids)

    def __call__(self) -> None:
        request_delivery(notification_ids=self.ids)


def _deliver_on_commit(*notification_ids: int) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Join the request this transaction already registered (still pending: Django drops the
        # callbacks of a rolled-back savepoint from run_on_commit).
        for _savepoints, callback, _robust in getattr(connection, "run_on_commit", []):
            if isinstance(callback, _DeliveryRequest):
                callback.ids.extend(notification_ids)
                return
    transaction.on_commit(_DeliveryRequest(*notification_ids))


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
