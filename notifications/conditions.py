"""Every message is true when it arrives: each kind states when it still holds.

The app that owns a kind of message defines its condition, in a dict from kind to check:

    # matching/conditions.py
    def introduction_holds(notifications, *, now) -> dict[int, str]:
        ...  # {notification pk: why it no longer holds} for those that do not

    CONDITIONS = {"pairing-announced": introduction_holds}

and names that dict in settings.NOTIFICATION_CONDITIONS ("matching.conditions.CONDITIONS"),
so this app imports none of the others. A check reads the ids in each message's `about`,
takes a list (so a cohort's pending messages cost a few queries, not one per message) and must
only read. A kind with no condition is always true (a receipt of something that happened).

The deliverer asks just before it sends (and withdraws instead of sending); the services that
change the state a message describes ask in their own transaction (notifications_recheck).
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .models import Notification

logger = logging.getLogger(__name__)

Check = Callable[..., dict[int, str]]

_cache: dict[tuple[str, ...], dict[str, Check]] = {}


def registry() -> dict[str, Check]:
    """{kind: check} from every dict named in settings.NOTIFICATION_CONDITIONS."""
    paths = tuple(settings.NOTIFICATION_CONDITIONS)
    if paths not in _cache:
        merged: dict[str, Check] = {}
        for path in paths:
            for kind, check in import_string(path).items():
                if kind in merged:
                    raise ImproperlyConfigured(f"Two conditions for the kind {kind!r} ({path}).")
                merged[kind] = check
        _cache[paths] = merged
    return _cache[paths]


def untrue(notifications: Iterable[Notification], *, now: dt.datetime) -> dict[int, str]:
    """{pk: reason} for the messages whose kind's condition no longer holds."""
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_kind[notification.kind].append(notification)
    checks = registry()
    reasons: dict[int, str] = {}
    for kind, rows in by_kind.items():
        check = checks.get(kind)
        if check is not None:
            reasons.update(check(rows, now=now))
    return reasons


def key_ids(notification: Notification, count: int) -> tuple[int, ...]:
    """The first `count` ids of the message's key (`<kind>:<id>:<id>...`, an offset written
    `30d`; a reissue's `#2` left off), for a check reading a message written before its
    `about` named them; () when the key does not hold them."""
    parts = notification.key.split("#", 1)[0].split(":")[1 : 1 + count]
    try:
        ids = tuple(int(part.removesuffix("d")) for part in parts)
    except ValueError:
        return ()
    return ids if len(ids) == count else ()


def about_id(notification: Notification, name: str, *, in_key: int = 0) -> int | None:
    """The id `name` in the message's `about`, or, for a message written before its about named
    it, the id at position `in_key` of its key (key_ids); None when neither holds it."""
    if notification.about.get(name) is not None:
        return notification.about[name]
    ids = key_ids(notification, in_key + 1)
    return ids[in_key] if ids else None
