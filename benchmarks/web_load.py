"""benchmarks/web.py --load: gunicorn on the benchmark's database, wrk against each page, and
300 applicants submitting within 10 seconds. Imported by web.py once Django is set up."""

import concurrent.futures
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

from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
BURST = 300
BURST_SECONDS = 10
LOAD_PAGES = ("home", "program", "cohort", "my-applications", "my-mentoring", "apply")


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

    def __init__(self, world, *, duration: int, connections: int):
        self.world = world
        self.duration = duration
        self.connections = connections
        self.port = 8765
        self.base = f"http://127.0.0.1:{self.port}"

    def run(self) -> None:
        wrk = _wrk()
        processes = [self._worker()]
        try:
            processes.append(self._gunicorn())
            not_found = "/benchmark-trivial-page-not-found/"
            urls = self.world.pages["large"]
            pages = {
                # The same page for a signed-in person: what every personal page pays before
                # its own work (the session, the person's row, the menu's committee roles).
                "trivial-signed-in": (not_found, urls["my-mentoring"][1]),
                **{name: urls[name] for name in LOAD_PAGES},
            }
            # The trivial page before the first page and after each one: a machine's speed
            # drifts over minutes, so each page is compared with the trivial runs beside it.
            trivial = [self._wrk(wrk, not_found, None)]
            measured = {}
            for name, (url, user) in pages.items():
                measured[name] = self._wrk(wrk, url, user)
                trivial.append(self._wrk(wrk, not_found, None))
            rates = [rps for rps, _p95 in trivial]
            print(
                f"RESULT load=trivial rps={statistics.median(rates):.0f} "
                f"p95_ms={statistics.median(p95 for _rps, p95 in trivial):.0f} ratio=1.00"
            )
            for index, (name, (rps, p95)) in enumerate(measured.items()):
                beside = (rates[index] + rates[index + 1]) / 2
                print(f"RESULT load={name} rps={rps:.0f} p95_ms={p95:.0f} ratio={rps / beside:.2f}")
            print(
                f"NOTE the trivial page ran {len(rates)} times, at {min(rates):.0f}-"
                f"{max(rates):.0f} requests/s (its line gives the median); each page's ratio "
                "divides by the mean of the runs just before and after it"
            )
            self._burst()
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)
            _flush(BROKER_URL)

    def _gunicorn(self) -> subprocess.Popen:
        env = {
            **_served_environ(),
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

    def _worker(self) -> subprocess.Popen:
        """A Celery worker on the same machine, as docker-compose runs one: the web processes
        hand it the emails (an applicant's receipt) and it sends them meanwhile."""
        _flush(BROKER_URL)
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery), "-A", "mentoring", "worker", "--loglevel=WARNING"]
        command += ["--concurrency=1", "--without-gossip", "--without-mingle"]
        worker = subprocess.Popen(command, cwd=ROOT, env=_served_environ())
        _wait_for_worker(worker)
        return worker

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
        rows = Application.objects.filter(cohort=cohort, applicant__in=applicants)
        submitted = rows.filter(status=Application.Status.SUBMITTED).count()
        # An error: an answer other than the redirect to the submitted application, or an
        # application the database does not hold as submitted.
        errors = max(sum(1 for _s, status in results if status != 302), BURST - submitted)
        duplicates = rows.count() - rows.values("applicant").distinct().count()
        p95 = statistics.quantiles([s for s, _ in results], n=20)[-1] * 1000
        print(f"RESULT burst={BURST} errors={errors} p95_ms={p95:.0f} duplicates={duplicates}")
        _receipts_sent(applicants)


def _receipts_sent(applicants) -> None:
    """The worker sends every submission's receipt within a minute, or the run says so."""
    from notifications.models import Notification

    sent = Notification.objects.filter(user__in=applicants, status=Notification.Status.SENT)
    for _ in range(120):
        if sent.count() >= len(applicants):
            return
        time.sleep(0.5)
        connection.close()
    print(f"NOTE only {sent.count()} of {len(applicants)} receipts were sent within a minute")


# The web processes hand emails to a worker through Redis, as in production (docker-compose):
# a database of its own, emptied before and after.
BROKER_URL = os.environ.get("BENCHMARK_BROKER_URL", "redis://127.0.0.1:6379/11")


def _served_environ() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def _wait_for_worker(worker: subprocess.Popen) -> None:
    """Until the worker answers a ping: starting, it takes a core for seconds (imports, the
    app's tasks), which would otherwise count against the first page measured, the trivial
    one that every ratio divides by."""
    from celery import Celery

    # Celery prefers this variable to any broker it is given, and this process's says memory.
    served = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = BROKER_URL
    try:
        control = Celery(set_as_current=False).control
        for _ in range(60):
            if worker.poll() is not None:
                sys.exit("the Celery worker stopped while starting")
            if control.ping(timeout=1):
                return
    finally:
        if served is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = served
    worker.terminate()
    sys.exit("the Celery worker did not answer within a minute")


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


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
