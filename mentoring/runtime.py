"""The web process's garbage collector, set once the app is loaded (mentoring/wsgi.py).

A committee action builds tens of thousands of objects in one request (the announce page plans
2,700 emails from the pairings and people behind them). With CPython's defaults the cycle
collector runs every 700 new objects, and its full passes rescan everything Django loaded at
start: a fifth to a third of such a request went to it. So:

- what the process loaded at start (modules, URL patterns, templates) is frozen: never scanned
  again, as it lives as long as the process;
- the youngest generation holds 50,000 objects before a pass: a request's own objects are
  mostly gone by then, freed by reference counting. Memory grows by at most that many objects
  awaiting a pass.
"""

import gc

YOUNGEST = 50_000
OLDER = (20, 100)


def tune_garbage_collection() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNGEST, *OLDER)
