#!/usr/bin/env python
"""Export N applications as CSV and as XLSX through the real views; print time and memory.

    .venv/bin/python benchmarks/exports.py [--rows 50000] [--keep]

Creates a throwaway database next to the one DATABASE_URL names (PostgreSQL; a temporary
SQLite file when DATABASE_URL is not PostgreSQL), migrates it, inserts N submitted
applications (half mentors, half mentees, two areas each) and a pairing for every mentee, then
runs each export in a fresh subprocess: a Django test client asks for the program's export,
the streamed response is consumed chunk by chunk, and the subprocess reports its wall time,
its time to the first chunk, its resident memory before the request and its peak during it.
The last line reads:

    RESULT rows=<n> csv_seconds=<s> csv_peak_mb=<m> xlsx_seconds=<s> xlsx_peak_mb=<m>

where *_peak_mb is the subprocess's peak resident memory (VmHWM, reset just before the request)
while the export runs: Python, Django and the export together. It stays flat when the export
streams in constant memory.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentoring"
PROGRAM_SLUG = "bench"
STAFF_EMAIL = "bench-staff@example.org"
PRODUCTION_LIKE = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def reset_peak() -> None:
    """Start the peak over from the current size (Linux); ru_maxrss cannot be reset, and a
    child process inherits its parent's peak through fork."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def rss_mb() -> float:
    return _status_mb("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mb() -> float:
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")
    import django

    django.setup()


# --- the throwaway database ---------------------------------------------------------------------


def throwaway_url() -> tuple[str, object]:
    base = os.environ.get("DATABASE_URL", DEFAULT_URL)
    parsed = urlparse(base)
    if not parsed.scheme.startswith("postgres"):
        path = Path(tempfile.mkdtemp(prefix="exports-bench-")) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    name = f"{parsed.path.lstrip('/') or 'mentoring'}_exports_bench"
    url = urlunparse(parsed._replace(path=f"/{name}"))
    admin = urlunparse(parsed._replace(path="/postgres"))

    import psycopg

    def execute(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    return url, lambda: execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from applications.models import Application
    from cohorts.models import AreaOfInterest, Program
    from cohorts.services import cohort_create
    from matching.models import Pairing

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user_model.objects.create_user(STAFF_EMAIL, is_staff=True, is_association_staff=True)
    program = Program.objects.create(
        name="Benchmark Mentoring Program",
        short_name="Bench",
        slug=PROGRAM_SLUG,
        organization="Benchmark Library Association",
        description="Benchmark data.",
    )
    today = timezone.localdate()
    cohort = cohort_create(
        program=program,
        name="Benchmark cohort",
        slug="benchmark",
        applications_open=today - dt.timedelta(days=200),
        applications_close=today - dt.timedelta(days=170),
        pairings_notified=today - dt.timedelta(days=120),
        mentoring_starts=today - dt.timedelta(days=100),
        mentoring_ends=today + dt.timedelta(days=100),
        assessment_closes=today + dt.timedelta(days=130),
    )
    areas = AreaOfInterest.objects.bulk_create(
        AreaOfInterest(program=program, name=name, slug=name.lower().replace(" ", "-"), order=i)
        for i, name in enumerate(
            ["Cataloging and metadata", "Leadership", "Acquisitions", "Preservation"]
        )
    )
    batch = 5000
    now = timezone.now()
    states = ["IL", "NY", "CA", "TX", "GU", "PR", "WA", "MA"]
    for start in range(0, rows, batch):
        size = min(batch, rows - start)
        users = user_model.objects.bulk_create(
            # "!" is Django's unusable password: these people never log in.
            user_model(email=f"applicant{start + i}@example.org", password="!")  # noqa: S106
            for i in range(size)
        )
        applications = Application.objects.bulk_create(
            Application(
                cohort=cohort,
                applicant=user,
                role="mentor" if (start + i) % 2 == 0 else "mentee",
                status="accepted",
                full_name=f"Applicant {start + i}",
                email=user.email,
                job_title="Cataloging Librarian",
                employer=f"Library {start + i}",
                library_type="academic",
                state=states[(start + i) % len(states)],
                time_zone="America/Chicago",
                years_experience=(start + i) % 30,
                membership_status="member",
                membership_number=str(1_000_000 + start + i),
                mentee_goals="Grow into a leadership role; learn about linked data.",
                mentor_offer="Twenty years in technical services and cataloging.",
                meeting_modes=["video", "email"],
                hours_per_month=4,
                capacity=1 if (start + i) % 2 == 0 else None,
                commits_orientation=True,
                commits_assessment=True,
                submitted_at=now,
                demographics=["bipoc"] if i % 7 == 0 else [],
            )
            for i, user in enumerate(users)
        )
        Application.areas.through.objects.bulk_create(
            Application.areas.through(
                application_id=app.pk, areaofinterest_id=areas[(app.pk + k) % len(areas)].pk
            )
            for app in applications
            for k in (0, 1)
        )
        Pairing.objects.bulk_create(
            Pairing(
                cohort=cohort,
                mentor=applications[i],
                mentee=applications[i + 1],
                status="active",
                score=10.5,
                breakdown={"areas": 6.0, "library_type": 2.5, "region": 2.0},
                reasons=["shared areas: Leadership", "same region"],
                announced_at=now,
            )
            for i in range(0, len(applications) - 1, 2)
        )


# --- one export, measured in its own process ----------------------------------------------------


def measure(fmt: str, database_url: str) -> dict:
    setup_django(database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(email=STAFF_EMAIL))
    if fmt == "csv":
        url = reverse("reports:export_csv", args=[PROGRAM_SLUG, "applications"])
    else:
        url = reverse("reports:export_xlsx", args=[PROGRAM_SLUG])
    reset_peak()
    baseline = rss_mb()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.streaming
    first = None
    size = chunks = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        chunks += 1
    response.close()
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "first_chunk_seconds": round(first or 0, 3),
        "bytes": size,
        "chunks": chunks,
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="applications to export")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--measure", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.measure, args.database_url)))
        return

    url, drop = throwaway_url()
    try:
        started = time.perf_counter()
        setup_django(url)
        seed(args.rows)
        print(f"seeded {args.rows:,} applications in {time.perf_counter() - started:.1f} s")
        results = {}
        for fmt in ("csv", "xlsx"):
            child = subprocess.run(
                [sys.executable, __file__, "--measure", fmt, "--database-url", url],
                env={**os.environ, **PRODUCTION_LIKE},
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode:
                sys.exit(f"{fmt} export failed:\n{child.stderr}")
            results[fmt] = json.loads(child.stdout.strip().splitlines()[-1])
            r = results[fmt]
            print(
                f"{fmt}: {r['bytes'] / 1e6:.1f} MB in {r['chunks']} chunks, {r['seconds']} s "
                f"(first chunk after {r['first_chunk_seconds']} s), peak RSS {r['peak_mb']} MB "
                f"(before the request {r['baseline_mb']} MB)"
            )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop()
    print(
        f"RESULT rows={args.rows} csv_seconds={results['csv']['seconds']} "
        f"csv_peak_mb={results['csv']['peak_mb']} xlsx_seconds={results['xlsx']['seconds']} "
        f"xlsx_peak_mb={results['xlsx']['peak_mb']}"
    )


if __name__ == "__main__":
    main()
