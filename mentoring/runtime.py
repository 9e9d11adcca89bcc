"""The web process at start-up (mentoring/wsgi.py): what every request shares, loaded before the
first one, and the garbage collector, set once the app is loaded.

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


def load_what_requests_share() -> None:
    """Load now what Django otherwise loads on a process's first request: the URL patterns (and
    the views they import), both template engines (each imports every app's template tags, and
    with them cryptography, lxml, openpyxl: some 450 modules), the base page, the site's
    translations and the cache's client library. Measured: a process's first page took 1.5 s
    without this and a few milliseconds with it; and all of it is then frozen with the rest
    (tune_garbage_collection), instead of rescanned by every full collection."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from django.template import engines
    from django.urls import reverse
    from django.utils import translation

    reverse("home")
    engines.all()  # each engine imports the template tag libraries when it is made
    engines["django"].get_template("base.html")  # the pages' frame
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Programs")
    if isinstance(caches["default"], RedisCache):
        import redis  # noqa: F401 (otherwise imported by the first cache read)
