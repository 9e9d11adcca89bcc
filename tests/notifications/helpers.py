"""Delivering the outbox in tests as the beat would, at a moment of the test's choosing."""

import datetime as dt
from unittest import mock

from django.utils import timezone

from notifications.delivery import DeliveryOutcome, deliver_due


def deliver_as_of(moment: dt.datetime | None = None) -> DeliveryOutcome:
    """Run the beat's deliverer as if the clock said `moment` (now if None): every message due
    by then is checked against its condition, then sent or withdrawn."""
    if moment is None:
        return deliver_due()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return deliver_due()


def far_future() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=400)
