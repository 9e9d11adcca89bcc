"""One lock order for every writer of a cohort's pairings: the cohort row first, then pairings
(then applications, then messages).

A match run saving its proposals, an approval, a move, a dissolution and a release all start
by locking the cohort row with `cohort_lock`, so two of them on one cohort queue up instead of
locking each other's rows in opposite orders (a run deleting a pairing that an approval holds,
while the approval's audit entry waits for the cohort the run holds). FOR NO KEY UPDATE: rows
that merely point at the cohort (a new application, a message in the outbox) are not held up.

`retry_on_conflict` runs a service again when the database still reports a deadlock or a
serialization failure, so a conflict is retried, never shown as an error page.
"""

import functools
import logging
import random
import time

from django.db import OperationalError, connection

from cohorts.models import Cohort

logger = logging.getLogger(__name__)

CONFLICT_CODES = {"40P01", "40001"}  # deadlock_detected, serialization_failure
ATTEMPTS = 3


def cohort_lock(cohort_id: int) -> None:
    """Lock the cohort row for this transaction (call it first, inside the transaction)."""
    Cohort.objects.select_for_update(no_key=True).filter(pk=cohort_id).exists()


def cohorts_lock(cohort_ids) -> list[Cohort]:
    """Lock several cohort rows in one statement, in id order (two callers locking overlapping
    sets never wait on each other in a circle); returns them with their programs."""
    return list(
        Cohort.objects.select_for_update(no_key=True, of=("self",))
        .select_related("program")
        .filter(pk__in=cohort_ids)
        .order_by("pk")
    )


def is_conflict(error: BaseException) -> bool:
    code = getattr(getattr(error, "__cause__", None), "sqlstate", None) or getattr(
        getattr(error, "__cause__", None), "pgcode", None
    )
    return code in CONFLICT_CODES


def retry_on_conflict(function):
    """Run `function` (a service that owns its transaction) up to ATTEMPTS times when the
    database reports a deadlock or a serialization failure. Inside an outer transaction it does
    not retry (the outer transaction is already broken): the error goes up."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            outermost = not connection.in_atomic_block
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not (outermost and is_conflict(error)) or attempt == ATTEMPTS:
                    raise
                logger.warning("%s: conflict, retrying (%s)", function.__name__, error)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    return wrapper
