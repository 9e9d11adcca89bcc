"""The call pages' content (home, a program, a cohort), rendered once and served from the cache
until it could say something different.

These are the pages most visitors ask for, and under a deadline rush the same for everyone who
reads them in the same time zone. Their content is kept under a key that changes whenever what
it says could change, so it is never stale:

- the data's stamp: for each table the pages draw on (programs, their areas of interest,
  cohorts and their events), its number of rows and the sums of its rows' transaction ids and
  command ids (PostgreSQL's `xmin` and `cmin` system columns: every inserted or updated row
  version gets the id of the transaction, and of the statement within it, that wrote it), read
  in one query before the content is. Any write to those tables, by the admin, a service, a
  bulk update or SQL typed by hand, changes it: on every web process at once when committed,
  and at once in the transaction that made it;
- the reader's time zone (deadlines are shown in theirs too) and language;
- the day: phases, days left to apply and the month of the next call change at midnight in a
  program's zone, so what is kept serves from the last such midnight to the next (a process
  whose clock is behind another's never serves the other's tomorrow).

Each web process also remembers the last few hundred pieces of content it served, under the
same keys: a key names one version of the data, so a copy held in the process is exactly as true
as the shared one, and answering from it spares the cache's round trip.

The subscribe form's CSRF token is the one part that belongs to the reader: the content is
rendered with a placeholder in its place, replaced by the reader's own token on the way out.

Other databases (SQLite runs the demo) have no such stamp: there the content is rendered every
time, which is always true and fast enough for one person trying the site.
"""

import datetime as dt
import functools
import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from accounts.timezones import reader_zone_for

from .models import AreaOfInterest, Cohort, Milestone, Program
from .timeline import start_of_day

# The tables the call pages draw on: a write to any of them changes the stamp.
SOURCES = (Program, AreaOfInterest, Cohort, Milestone)
# What is kept is looked at again at least this often, whatever the calendar says.
LONGEST_KEEP = 3600
# Pieces of content each web process holds itself (a few MB at most).
HELD_IN_PROCESS = 256


@dataclass(frozen=True)
class Content:
    """A page's own part: its title and the HTML of its content block."""

    title: str
    html: str


def served(
    request, page: str, render: Callable[[dict], tuple[Content, Iterable[Program]]]
) -> Content:
    """The content of `page` (its name and arguments, e.g. "program:core-mentoring") for this
    reader: from the cache when the data and the day are the same, else from `render`.

    `render(context)` draws the content with `context` (the reader's zone and the CSRF
    placeholder) and names the programs whose zones decide when it lapses. It may raise Http404:
    nothing is kept then.
    """
    reader_zone = reader_zone_for(request)
    context = {"reader_zone": reader_zone, "csrf_token": _placeholder()}
    stamp = data_stamp()
    if stamp is None:
        content, _programs = render(context)
        return _personal(request, content)
    key = _key(page, stamp, reader_zone)
    now = timezone.now()
    kept = _held.get(key)
    if kept is None and (kept := cache.get(key)) is not None:
        _held.put(key, kept)  # another process drew it: hold it here too
    if kept is not None and kept[1] <= now < kept[2]:
        return _personal(request, kept[0])
    content, programs = render(context)
    begins, ends = day_of(programs, now)
    seconds = min(LONGEST_KEEP, max(1, int((ends - now).total_seconds())))
    cache.set(key, (content, begins, ends), timeout=seconds)
    _held.put(key, (content, begins, ends))
    return _personal(request, content)


class _Held:
    """The content this process served last, by key, the least recently used let go first."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, tuple[Content, dt.datetime, dt.datetime]] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's threads share the process

    def get(self, key: str) -> tuple[Content, dt.datetime, dt.datetime] | None:
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key: str, item: tuple[Content, dt.datetime, dt.datetime]) -> None:
        with self.lock:
            self.items[key] = item
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_held = _Held(HELD_IN_PROCESS)


def render_content(template: str, context: dict, title: str) -> Content:
    return Content(title=str(title), html=render_to_string(template, context))


def data_stamp() -> str | None:
    """A short digest that changes with every committed write to the pages' tables, or None
    where the database keeps no row versions."""
    if connection.vendor != "postgresql":
        return None
    versions = ", ".join(
        ["count(*)", "coalesce(sum(xmin::text::bigint), 0)", "coalesce(sum(cmin::text::bigint), 0)"]
    )
    parts = " UNION ALL ".join(  # table names from the models, quoted: no outside text
        f"SELECT {versions} FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
        for model in SOURCES
    )
    with connection.cursor() as cursor:
        cursor.execute(parts)
        rows = cursor.fetchall()
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


def day_of(programs: Iterable[Program], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The stretch around `now` in which it is the same day in each of the programs' zones
    (UTC's if none): from the latest midnight up to `now` to the first one after it."""
    zones = {program.tz for program in programs} or {dt.UTC}
    days = [(now.astimezone(zone).date(), zone) for zone in zones]
    begins = max(start_of_day(day, zone) for day, zone in days)
    ends = min(start_of_day(day + dt.timedelta(days=1), zone) for day, zone in days)
    return begins, ends


def _key(page: str, stamp: str, reader_zone) -> str:
    zone = getattr(reader_zone, "key", "")
    return f"public-page:{page}:{stamp}:{zone}:{translation.get_language()}"


@functools.cache
def _placeholder() -> str:
    """Stands for the reader's CSRF token in kept content: not guessable, so no text a program
    writes can contain it; the same in every web process, which share what is kept."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"public-pages-csrf-placeholder", hashlib.sha256
    ).hexdigest()


def _personal(request, content: Content) -> Content:
    placeholder = _placeholder()
    if placeholder not in content.html:
        return content
    html = content.html.replace(placeholder, get_token(request))
    return Content(title=content.title, html=mark_safe(html))  # noqa: S308 - rendered escaped; a token added
