#!/usr/bin/env python
"""The web app at association scale: every page's queries and time at two sizes, the
committee's bulk actions, and, with --load, throughput under 50 concurrent users.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring \\
        .venv/bin/python benchmarks/web.py [--load] [--duration 30] [--connections 50]

Builds a throwaway database (<name>_bench, created and dropped here; PostgreSQL), with DEBUG
off and the cache on Redis (database 14, or BENCHMARK_CACHE_URL) as in production, and
measures in two steps:

- small: a program with a cohort open for applications, a cohort of 20 applications (13
  mentees, 7 mentors) going through the committee's decisions and a cohort of 5 announced
  pairings with goals and check-ins;
- large: the same again with a cohort of 2,000 applications (1,300 mentees, 700 mentors) and
  one of 500 announced pairings, added to the same database.

Each page is asked for through Django's test client (no network) REPEATS times; the lines read

    RESULT page=<name>-<size> queries=<n> ms=<median>
    RESULT bulk=<action> n=<rows> seconds=<s> statements=<n>

where the bulk actions are the chair's own requests: accept every application of the cohort
(the applications list's action), approve every proposed pairing (the review page's "Approve
all") and release the announcement (the announce page's form). With --load, gunicorn starts on
this database with gunicorn.conf.py and two workers, beside a Celery worker that sends the
emails the web processes hand it through Redis (database 11, or BENCHMARK_BROKER_URL), as
docker-compose runs them; wrk (Debian's package, installed here if missing) asks each page
for --duration seconds over --connections connections, and then 300 applicants submit a
complete application each within 10 seconds (the worker sends every receipt meanwhile, or a
NOTE line says how many it had not sent a minute later):

    RESULT load=<page> rps=<n> p95_ms=<n> ratio=<rps / the trivial page's rps beside it>
    RESULT burst=300 errors=<n> p95_ms=<n> duplicates=<n>

The trivial page is measured before the first page and again after each page, and each
page's ratio divides by the mean of the two trivial runs beside it: on a shared machine the
speed drifts over the minutes a load phase takes (`load=trivial` prints the median of them,
and a NOTE line their range).

First of all it prints how fast this machine runs plain Python, so figures taken on two
machines (or on one whose neighbors are busy) can be compared:

    RESULT machine cpus=<n> python_ms=<median of a fixed pure-Python loop>

`load=trivial` is a page not found: Django's cheapest answer through the same middleware;
`load=trivial-signed-in` is the same page for a signed-in participant, the floor of every
personal page.
"""

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentoring"
PRODUCTION_LIKE = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_ADMIN_REQUIRES_MFA": "false",
    "DJANGO_LOG_LEVEL": "WARNING",
    "CELERY_BROKER_URL": "memory://",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "memorymail://",
    # Shared by the web processes, as docker-compose runs it: the call pages and the sessions
    # are read from it. Its own Redis database, emptied before the run.
    "CACHE_URL": os.environ.get("BENCHMARK_CACHE_URL", "redis://127.0.0.1:6379/14"),
}
REPEATS = 5

os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.update(PRODUCTION_LIKE)
os.environ["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from throwaway import throwaway_database  # noqa: E402

from mentoring.runtime import load_what_requests_share, tune_garbage_collection  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="also run wrk and the burst")
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=50, help="wrk's connections")
    args = parser.parse_args()
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("benchmarks/web.py measures on PostgreSQL: set DATABASE_URL to one.")
    sys.stdout.reconfigure(line_buffering=True)
    _machine()
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    cache.clear()  # nothing kept from an earlier run
    load_what_requests_share()  # as the web process does once loaded (mentoring/wsgi.py)
    tune_garbage_collection()
    with throwaway_database():
        world = World()
        for size in ("small", "large"):
            world.build(size)
            _analyze()  # fresh statistics, as autovacuum would leave them, before measuring
            world.measure(size)
        if args.load:
            from web_load import Load  # beside this script; needs Django set up

            # The committee's bulk actions just rewrote thousands of rows: vacuumed now, as
            # autovacuum would soon do, rather than by autovacuum in the middle of a page's run.
            _vacuum()

            connection.close()
            Load(world, duration=args.duration, connections=args.connections).run()


def _machine() -> None:
    """The machine's speed at plain Python: a fixed loop's median time over five runs."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        times.append(time.perf_counter() - start)
    ms = statistics.median(times) * 1000
    print(f"RESULT machine cpus={os.cpu_count()} python_ms={ms:.0f}")


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _vacuum() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- the data ---------------------------------------------------------------------------------

SIZES = {
    # committee cohort: mentees, mentors; running cohort: announced pairings
    "small": {"mentees": 13, "mentors": 7, "running": 5},
    "large": {"mentees": 1300, "mentors": 700, "running": 500},
}


# Each cohort's dates, in days from today: one open for applications, one in the committee's
# hands (applications closed, the announcement ahead), one under way.
DATE_FIELDS = (
    "applications_open",
    "applications_close",
    "pairings_notified",
    "mentoring_starts",
    "mentoring_ends",
    "assessment_closes",
)
TIMELINES = {
    "open": (-10, 20, 40, 50, 230, 260),
    "committee": (-40, -10, 10, 20, 200, 230),
    "running": (-150, -120, -60, -30, 150, 180),
}


class World:
    """The program, its cohorts of each size, and who looks at them."""

    def __init__(self):
        from accounts.models import User
        from cohorts.models import AreaOfInterest, CommitteeMembership, Program

        self.program = Program.objects.create(
            name="Benchmark Mentoring Program",
            short_name="Bench",
            slug="bench",
            organization="Benchmark Association",
            description="Mentoring for the benchmark.",
        )
        self.areas = [
            AreaOfInterest.objects.create(
                program=self.program, name=f"Area {n}", slug=f"area-{n}", order=n
            )
            for n in range(8)
        ]
        self.chair = User.objects.create_user(
            email="chair@bench.example.org", full_name="Casey Chair", password=None
        )
        CommitteeMembership.objects.create(user=self.chair, program=self.program, role="chair")
        self.cohorts = {}
        self.participant = {}
        self.pages = {}

    def build(self, size: str) -> None:
        from cohorts.services import cohort_create

        today = timezone.localdate()
        n = SIZES[size]
        year = 2040 if size == "small" else 2050
        self.cohorts[size] = {
            kind: cohort_create(
                program=self.program,
                name=f"{year - age} cohort",
                slug=f"{year - age}",
                **{
                    name: today + dt.timedelta(days=days)
                    for name, days in zip(DATE_FIELDS, offsets, strict=True)
                },
            )
            for age, (kind, offsets) in enumerate(TIMELINES.items())
        }
        committee, running = self.cohorts[size]["committee"], self.cohorts[size]["running"]
        self._committee_pool(committee, n["mentees"], n["mentors"])
        self.participant[size] = self._running_pairs(running, n["running"])

    def _committee_pool(self, cohort, mentees: int, mentors: int) -> None:
        """Submitted applications (the committee decides them) and the engine's proposals."""
        from applications.models import Application
        from tests.matching.bulk import bulk_cohort

        bulk_cohort(cohort, mentees=mentees, mentors=mentors, areas=self.areas, pairs=mentees)
        Application.objects.filter(cohort=cohort).update(status=Application.Status.SUBMITTED)

    def _running_pairs(self, cohort, pairs: int):
        """Announced pairings under way, each with two goals and three check-ins."""
        from tests.matching.bulk import bulk_cohort
        from tests.scale import announce

        mentees, _mentors = bulk_cohort(
            cohort, mentees=pairs, mentors=pairs, areas=self.areas, pairs=pairs, seed=2
        )
        announce(cohort, goals=2, check_ins=3, days_ago=60)
        return mentees[0].applicant

    # --- measuring ----------------------------------------------------------------------------

    def urls(self, size: str) -> dict[str, tuple[str, object]]:
        """Each page: its address and who asks for it (None: a visitor)."""
        cohorts = self.cohorts[size]
        program = self.program.slug
        open_cohort, committee, running = cohorts["open"], cohorts["committee"], cohorts["running"]
        participant = self.participant[size]
        pairing_admin = "/admin/matching/pairing"
        return {
            "home": ("/", None),
            "program": (f"/programs/{program}/", None),
            "cohort": (open_cohort.get_absolute_url(), None),
            "apply": (f"/programs/{program}/cohorts/{open_cohort.slug}/apply/", participant),
            "my-applications": ("/my/applications/", participant),
            "my-mentoring": ("/my/mentoring/", participant),
            "admin-index": ("/admin/", self.chair),
            "admin-applications": (
                f"/admin/applications/application/?cohort__id__exact={committee.pk}",
                self.chair,
            ),
            "admin-pairings": (f"{pairing_admin}/?cohort__id__exact={committee.pk}", self.chair),
            "review": (f"{pairing_admin}/cohort/{committee.pk}/review/", self.chair),
            "run-form": (f"{pairing_admin}/cohort/{committee.pk}/run/", self.chair),
            "announce": (f"{pairing_admin}/cohort/{committee.pk}/announce/", self.chair),
            "reports-cohort": (
                f"/reports/programs/{program}/cohorts/{running.slug}/",
                self.chair,
            ),
            "reports-program": (f"/reports/programs/{program}/", self.chair),
            # the committee's other daily pages
            "cockpit": ("/admin/participants/cohortcockpit/", self.chair),
            "match-health": (
                f"/admin/participants/cohortcockpit/health/{running.pk}/",
                self.chair,
            ),
            "review-csv": (f"{pairing_admin}/cohort/{committee.pk}/review.csv", self.chair),
        }

    def measure(self, size: str) -> None:
        urls = self.urls(size)
        self.pages[size] = urls
        before_approval = [name for name in urls if name != "announce"]
        for name in before_approval:
            page(f"{name}-{size}", *urls[name])
        committee = self.cohorts[size]["committee"]
        self.bulk_accept(committee)
        self.bulk_approve(committee, urls["review"][0])
        page(f"announce-{size}", *urls["announce"])
        self.bulk_release(committee, urls["announce"][0])

    def bulk_accept(self, cohort) -> None:
        from applications.models import Application

        ids = list(
            Application.objects.filter(cohort=cohort, status=Application.Status.SUBMITTED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        data = {  # the list's "Select all" across its pages, as a chair does it
            "action": "mark_accepted",
            "_selected_action": [str(ids[0])],
            "select_across": "1",
            "index": "0",
            "note": "",
        }
        url = f"/admin/applications/application/?cohort__id__exact={cohort.pk}"
        _bulk("accept", len(ids), self.chair, url, data)
        accepted = Application.objects.filter(
            cohort=cohort, status=Application.Status.ACCEPTED
        ).count()
        assert accepted == len(ids), f"accepted {accepted} of {len(ids)}"

    def bulk_approve(self, cohort, review_url: str) -> None:
        from matching.models import Pairing

        proposed = Pairing.objects.filter(cohort=cohort, status=Pairing.Status.PROPOSED).count()
        _bulk("approve", proposed, self.chair, review_url, {"action": "approve_all"})
        approved = Pairing.objects.filter(cohort=cohort, status=Pairing.Status.APPROVED).count()
        assert approved == proposed, f"approved {approved} of {proposed}"

    def bulk_release(self, cohort, announce_url: str) -> None:
        from notifications.models import Notification

        client = _client(self.chair)
        preview = client.get(announce_url).content.decode()
        fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview).group(1)
        before = Notification.objects.count()
        data = {"fingerprint": fingerprint, "confirmed": "on"}
        seconds, statements = _timed_post(client, announce_url, data)
        created = Notification.objects.count() - before
        assert created > 0, "the release created no email"
        print(f"RESULT bulk=release n={created} seconds={seconds:.2f} statements={statements}")


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(name: str, url: str, user) -> None:
    client = _client(user)
    times, queries = [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            else:
                response.content  # noqa: B018
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (name, url, response.status_code)
        queries = len(captured)
    print(f"RESULT page={name} queries={queries} ms={statistics.median(times) * 1000:.0f}")


def _timed_post(client, url: str, data: dict) -> tuple[float, int]:
    """Seconds and statements of one request (counted as sent: no log kept, no limit)."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.post(url, data)
        seconds = time.perf_counter() - started
    assert response.status_code in (200, 302), (url, response.status_code)
    return seconds, statements


def _bulk(action: str, rows: int, user, url: str, data: dict) -> None:
    seconds, statements = _timed_post(_client(user), url, data)
    print(f"RESULT bulk={action} n={rows} seconds={seconds:.2f} statements={statements}")


if __name__ == "__main__":
    main()
