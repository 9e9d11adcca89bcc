"""Run calls at the same moment, each in its own thread with its own database connection: the
races the database must decide (one application per person, a mentor's capacity, a message's
key) are tested by really racing."""

import contextlib
import threading
from collections.abc import Callable

import pytest


def at_once(*calls: Callable[[], object], timeout: float = 30) -> list:
    """Start every call together (behind a barrier) and wait for all: each one's result, or the
    exception it raised, in the order given; a call still running after `timeout` fails the
    test. Each thread closes its connection when done."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = call()
        except Exception as error:  # returned: the test says what it expects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    # A call still running has no outcome: that is a hang, not a success.
    assert not any(thread.is_alive() for thread in threads), f"a call ran past {timeout} s"
    return outcomes


def in_words(outcomes: list, *, done: str, refusal: type[Exception]) -> list[str]:
    """The outcomes of at_once, sorted, in words: `done`, or "refused" for the refusal the
    race should end in. Any other exception is raised: the test fails with it."""
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, refusal):
            raise outcome
    return sorted("refused" if isinstance(o, refusal) else done for o in outcomes)


@contextlib.contextmanager
def held(hold: Callable[[], object], timeout: float = 30):
    """While the block runs, another connection is inside a transaction that ran `hold` and has
    not committed: the row locks `hold` took (what a concurrent user's request holds) stay."""
    from django.db import connection, transaction

    holding, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def run() -> None:
        try:
            with transaction.atomic():
                hold()
                holding.set()
                release.wait(timeout)
        except Exception as error:  # reported below: the hold itself must work
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(timeout), "the other transaction never took its locks"
        assert errors == [], errors
        yield
    finally:
        release.set()
        thread.join(timeout)
    assert errors == [], errors


def without_waiting(call: Callable[[], object], seconds: int = 3):
    """`call`'s result; it fails the test if it waits more than `seconds` for a row lock
    (PostgreSQL's lock_timeout), where it would otherwise wait until the holder commits."""
    from django.db import OperationalError, connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(seconds)}s'")
    try:
        return call()
    except OperationalError as error:
        pytest.fail(f"waited for a row lock another transaction held: {error}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
