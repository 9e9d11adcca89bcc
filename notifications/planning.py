"""Planners decide which scheduled messages are due and create them through the outbox.

The planner protocol (follow it, so the beat, `manage.py tick` and the admin's dry run all work):

- A planner is a function `plan_<something>(*, now) -> int` in its app's `planners.py`,
  returning how many notifications it created. It is registered by its dotted path in
  settings.NOTIFICATION_PLANNERS, which run_planners and preview_planners read.
- It creates every message with `notifications.services.notification_create(...)` and a
  deterministic key (for example `deadline-reminder:<cohort_id>:<application_id>:7d`), so running
  it twice, or in two beat processes at once, creates each message once. It never sends mail or
  enqueues tasks itself.
- It is safe to dry-run: the admin's preview and `manage.py tick --dry-run` (preview_planners)
  call it inside `notifications_collected()` and a transaction that is rolled back at the end.
  There, notification_create renders the message and collects it instead of writing; it returns
  an unsaved Notification (pk None) with created=True when a real run would create it. So a
  planner must not rely on the returned row's pk, and any other change it makes (for example
  recording on an invitation that it was sent) must go through the database in the same thread,
  where the rollback undoes it.
- `now` is the moment to plan for (timezone-aware); do not read the clock yourself, so the dry
  run and tests can plan for any moment.
- One bad row never stops the others: plan each message inside `guard.row(key=..., cohort=...)`
  of a `PlannerGuard`. A row that raises is rolled back, logged and recorded as a
  PlanningFailure (shown to staff in the admin and the daily digest); the planner goes on, tries
  the row again next time, and clears the record once the message exists.
"""

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PlanningFailure
from .services import PlannedMessage, notifications_collected

logger = logging.getLogger(__name__)


class PlannerGuard:
    """Plans one row at a time so that a row that fails is recorded and skipped (see above)."""

    def __init__(self, planner: str):
        self.planner = planner
        self.failed_keys = set(
            PlanningFailure.objects.filter(planner=planner).values_list("key", flat=True)
        )
        self.failures = 0

    @contextlib.contextmanager
    def row(self, *, key: str, cohort=None) -> Iterator[None]:
        try:
            with transaction.atomic():
                yield
        except Exception as error:
            self.failures += 1
            logger.exception("Planner %s could not plan %s", self.planner, key)
            planning_failure_record(planner=self.planner, key=key, cohort=cohort, error=error)
        else:
            if key in self.failed_keys:
                PlanningFailure.objects.filter(key=key).delete()
                self.failed_keys.discard(key)


def planning_failure_record(*, planner: str, key: str, cohort, error: BaseException) -> None:
    """Record (or count again) a row a planner could not plan."""
    now = timezone.now()
    text = f"{type(error).__name__}: {error}"[:2000]
    failure, created = PlanningFailure.objects.get_or_create(
        key=key[:255],
        defaults={"planner": planner, "cohort": cohort, "error": text},
    )
    if not created:
        PlanningFailure.objects.filter(pk=failure.pk).update(
            error=text, attempts=failure.attempts + 1, last_failed_at=now
        )


def run_planners(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered planner; one failing planner does not stop the others.

    Returns {dotted path: notifications created}, -1 for a planner that raised.
    """
    now = now or timezone.now()
    created = {}
    for dotted_path in settings.NOTIFICATION_PLANNERS:
        try:
            created[dotted_path] = import_string(dotted_path)(now=now) or 0
        except Exception:
            logger.exception("Planner %s failed", dotted_path)
            created[dotted_path] = -1
    return created


@dataclass
class PlannerPreview:
    planner: str
    messages: list[PlannedMessage] = field(default_factory=list)
    error: str = ""

    @property
    def new_messages(self) -> list[PlannedMessage]:
        return [m for m in self.messages if not m.already_exists]

    @property
    def existing_count(self) -> int:
        return sum(m.already_exists for m in self.messages)


def preview_planners(*, now: dt.datetime | None = None) -> list[PlannerPreview]:
    """Dry run: what every registered planner would create now, without creating or sending.

    Each planner runs with notification_create collecting instead of writing, inside a
    transaction that is always rolled back, so nothing a planner does is kept.
    """
    now = now or timezone.now()
    previews = []
    with transaction.atomic():
        for dotted_path in settings.NOTIFICATION_PLANNERS:
            preview = PlannerPreview(planner=dotted_path)
            with notifications_collected() as collected:
                try:
                    with transaction.atomic():
                        import_string(dotted_path)(now=now)
                except Exception as error:
                    logger.exception("Planner %s failed in a dry run", dotted_path)
                    preview.error = f"{type(error).__name__}: {error}"
            preview.messages = collected
            previews.append(preview)
        transaction.set_rollback(True)
    return previews
