#!/usr/bin/env python
"""The web app at association scale: every page's queries and time at two sizes, the
committee's bulk actions, and, with --load, throughput under 50 concurrent users.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring \\
        .venv/bin/python benchmarks/web.py [--load] [--duration 30] [--connections 50]

Builds a throwaway database (<name>_bench, created and dropped here; PostgreSQL), with DEBUG
off as in production, and measures in two steps:

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
this database with gunicorn.conf.py and two workers, wrk (Debian's package, installed here if
missing) asks each page for --duration seconds over --connections connections, and then 300
applicants submit a complete application each within 10 seconds:

    RESULT load=<page> rps=<n> p95_ms=<n> ratio=<rps / the trivial page's rps>
    RESULT burst=300 errors=<n> p95_ms=<n> duplicates=<n>

`load=trivial` is a page not found: Django's cheapest answer through the same middleware.
"""

import argparse
import concurrent.futures
import datetime as dt
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
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
    "CACHE_URL": "locmemcache://",
}
REPEATS = 5
BURST = 300
BURST_SECONDS = 10
LOAD_PAGES = ("home", "program", "cohort", "my-applications", "my-mentoring", "apply")

os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.update(PRODUCTION_LIKE)
os.environ["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load", action="store_true", help="also run wrk and the burst")
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=50, help="wrk's connections")
    args = parser.parse_args()
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("benchmarks/web.py measures on PostgreSQL: set DATABASE_URL to one.")
    default["TEST"]["NAME"] = f"{default['NAME']}_bench"
    sys.stdout.reconfigure(line_buffering=True)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    old = setup_databases(verbosity=0, interactive=False)
    try:
        world = World()
        for size in ("small", "large"):
            world.build(size)
            _analyze()  # fresh statistics, as autovacuum would leave them, before measuring
            world.measure(size)
        if args.load:
            connection.close()
            Load(world, duration=args.duration, connections=args.connections).run()
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the data ---------------------------------------------------------------------------------

SIZES = {
    # committee cohort: mentees, mentors; running cohort: announced pairings
    "small": {"mentees": 13, "mentors": 7, "running": 5},
    "large": {"mentees": 1300, "mentors": 700, "running": 500},
}


def _dates(today: dt.date, **offsets: int) -> dict:
    return {name: today + dt.timedelta(days=days) for name, days in offsets.items()}


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
        open_cohort = cohort_create(
            program=self.program,
            name=f"{year} cohort",
            slug=f"{year}",
            **_dates(
                today,
                applications_open=-10,
                applications_close=20,
                pairings_notified=40,
                mentoring_starts=50,
                mentoring_ends=230,
                assessment_closes=260,
            ),
        )
        committee = cohort_create(
            program=self.program,
            name=f"{year - 1} cohort",
            slug=f"{year - 1}",
            **_dates(
                today,
                applications_open=-40,
                applications_close=-10,
                pairings_notified=10,
                mentoring_starts=20,
                mentoring_ends=200,
                assessment_closes=230,
            ),
        )
        running = cohort_create(
            program=self.program,
            name=f"{year - 2} cohort",
            slug=f"{year - 2}",
            **_dates(
                today,
                applications_open=-150,
                applications_close=-120,
                pairings_notified=-60,
                mentoring_starts=-30,
                mentoring_ends=150,
                assessment_closes=180,
            ),
        )
        self.cohorts[size] = {"open": open_cohort, "committee": committee, "running": running}
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
        from matching.models import Pairing
        from participants.models import CheckIn, Goal
        from tests.matching.bulk import bulk_cohort

        mentees, _mentors = bulk_cohort(
            cohort, mentees=pairs, mentors=pairs, areas=self.areas, pairs=pairs, seed=2
        )
        announced = timezone.now() - dt.timedelta(days=60)
        Pairing.objects.filter(cohort=cohort).update(
            status=Pairing.Status.ACTIVE, announced_at=announced, approved_at=announced
        )
        pairings = list(Pairing.objects.filter(cohort=cohort).select_related("mentee", "mentor"))
        Goal.objects.bulk_create(
            Goal(
                pairing=p,
                title=f"Goal {k} of {p.pk}",
                specific="Lead a storytime.",
                measurable="Three sessions held.",
                achievable="The branch runs storytimes weekly.",
                relevant="Early literacy is the mentee's focus.",
                time_bound="By the fourth month.",
                target_date=cohort.mentoring_ends,
                created_by_id=p.mentee.applicant_id,
            )
            for p in pairings
            for k in range(2)
        )
        CheckIn.objects.bulk_create(
            CheckIn(
                pairing=p,
                date=timezone.localdate() - dt.timedelta(days=10 * k),
                mode=CheckIn.Mode.VIDEO,
                notes="",
                logged_by_id=p.mentor.applicant_id,
            )
            for p in pairings
            for k in range(3)
        )
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


# --- under load -------------------------------------------------------------------------------

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    "WRK {\\"requests\\": %d, \\"duration_us\\": %d, \\"p95_us\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(95),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


class Load:
    """gunicorn on the benchmark's database, wrk against each page, then the burst."""

    def __init__(self, world: World, *, duration: int, connections: int):
        self.world = world
        self.duration = duration
        self.connections = connections
        self.port = 8765
        self.base = f"http://127.0.0.1:{self.port}"

    def run(self) -> None:
        wrk = _wrk()
        server = self._gunicorn()
        try:
            trivial = self._wrk(wrk, "/benchmark-trivial-page-not-found/", None)
            print(f"RESULT load=trivial rps={trivial[0]:.0f} p95_ms={trivial[1]:.0f} ratio=1.00")
            urls = self.world.pages["large"]
            for name in LOAD_PAGES:
                url, user = urls[name]
                rps, p95 = self._wrk(wrk, url, user)
                print(
                    f"RESULT load={name} rps={rps:.0f} p95_ms={p95:.0f} "
                    f"ratio={rps / trivial[0]:.2f}"
                )
            self._burst()
        finally:
            server.terminate()
            server.wait(timeout=30)

    def _gunicorn(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "--config", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=env
        )
        for _ in range(100):
            try:
                _http("GET", self.base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            server.terminate()
            sys.exit("gunicorn did not start")
        return server

    def _wrk(self, wrk: str, url: str, user) -> tuple[float, float]:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        command = [wrk, "-t2", f"-c{self.connections}", f"-d{self.duration}s", "-s", script.name]
        if user is not None:
            command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={_session(user)}"]
        self._warm(url, user)
        result = subprocess.run(
            [*command, self.base + url], capture_output=True, text=True, check=True
        )
        os.unlink(script.name)
        line = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
        figures = json.loads(line[4:])
        rps = figures["requests"] / (figures["duration_us"] / 1e6)
        return rps, figures["p95_us"] / 1000

    def _warm(self, url: str, user) -> None:
        cookie = f"{settings.SESSION_COOKIE_NAME}={_session(user)}" if user else ""
        for _ in range(20):
            _http("GET", self.base + url, cookie=cookie)

    def _burst(self) -> None:
        """300 applicants, each with the form open, submit within 10 seconds."""
        from applications.models import Application
        from tests.applications.helpers import complete_answers

        cohort = self.world.cohorts["large"]["open"]
        url = f"{self.base}/programs/{cohort.program.slug}/cohorts/{cohort.slug}/apply/"
        applicants = _burst_applicants(BURST)
        for user in applicants:
            _session(user)  # in this thread: the threads below only read them
        # Everything that reads the database is done here, in this thread: the threads below
        # only talk HTTP (a thread of its own would open a connection of its own).
        bodies = [
            complete_answers(cohort, full_name=user.full_name, email=user.email, action="submit")
            for user in applicants
        ]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            forms = list(pool.map(lambda u: _open_form(url, u), applicants))
        start = time.perf_counter() + 1
        results: list[tuple[float, int]] = []
        lock = threading.Lock()

        def submit(k: int) -> None:
            _user, cookies, token = forms[k]
            time.sleep(max(0.0, start + k * BURST_SECONDS / BURST - time.perf_counter()))
            answers = {**bodies[k], "csrfmiddlewaretoken": token}
            body = urllib.parse.urlencode(answers, doseq=True)
            began = time.perf_counter()
            try:
                status = _http("POST", url, cookie=cookies, body=body)[0]
            except OSError:
                status = 0
            with lock:
                results.append((time.perf_counter() - began, status))

        with concurrent.futures.ThreadPoolExecutor(100) as pool:
            list(pool.map(submit, range(BURST)))
        connection.close()
        submitted = Application.objects.filter(
            cohort=cohort, applicant__in=applicants, status=Application.Status.SUBMITTED
        )
        errors = sum(1 for _seconds, status in results if status != 302)
        errors += BURST - len(results)
        duplicates = Application.objects.filter(cohort=cohort, applicant__in=applicants).count()
        duplicates -= submitted.values("applicant").distinct().count()
        missing = BURST - submitted.count()
        p95 = statistics.quantiles([s for s, _ in results], n=20)[-1] * 1000
        print(
            f"RESULT burst={BURST} errors={max(errors, missing)} p95_ms={p95:.0f} "
            f"duplicates={duplicates}"
        )


def _http(method: str, url: str, *, cookie: str = "", body: str = "", timeout: float = 30):
    """One request on its own connection, redirects not followed: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), body or None, headers
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _burst_applicants(count: int):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    no_password = make_password(None)  # an unusable password: they sign in through their sessions
    return User.objects.bulk_create(
        User(
            email=f"burst-{n}@bench.example.org",
            full_name=f"Burst Applicant {n}",
            password=no_password,
        )
        for n in range(count)
    )


def _open_form(url: str, user) -> tuple[object, str, str]:
    """The applicant's session and CSRF cookie, and the token in the form they opened."""
    session = f"{settings.SESSION_COOKIE_NAME}={_session(user)}"
    _status, headers, body = _http("GET", url, cookie=session)
    html = body.decode()
    set_cookies = headers.get_all("Set-Cookie") or []
    csrf = next(c.split(";")[0] for c in set_cookies if c.startswith(settings.CSRF_COOKIE_NAME))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return user, f"{session}; {csrf}", token


_sessions: dict[int, str] = {}


def _session(user) -> str:
    if user.pk not in _sessions:
        client = Client()
        client.force_login(user)
        _sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return _sessions[user.pk]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    as_root = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*as_root, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


if __name__ == "__main__":
    main()
