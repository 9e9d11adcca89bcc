"""Run calls at the same moment, each in its own thread with its own database connection: the
races the database must decide (one application per person, a mentor's capacity, a message's
key) are tested by really racing."""

import threading
from collections.abc import Callable


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
