"""The committee's pages for a 2,000-application cohort: server time and queries per page.

Issue 18 asks for at most 15 queries a page and the review within 300 ms of server time for a
2,000-application cohort. Builds 1,000 mentees and 1,000 mentors with 1,000 pairings (half
proposed, half announced and under way) in a throwaway database (<name>_bench, created and
dropped here), then times each page through Django's test client (no network). Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring \\
        .venv/bin/python benchmarks/committee_pages.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

REPEATS = 7


def main() -> None:
    default = settings.DATABASES["default"]
    default["TEST"]["NAME"] = f"{default['NAME']}_bench"
    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False)
    try:
        run_benchmark()
    finally:
        teardown_databases(old, verbosity=0)


def run_benchmark() -> None:
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from cohorts.models import AreaOfInterest, CommitteeMembership, Program
    from cohorts.services import cohort_create
    from matching.models import Pairing
    from tests.matching.bulk import bulk_cohort

    program = Program.objects.create(
        name="Benchmark Program",
        short_name="Bench",
        slug="bench",
        organization="Bench",
        description="Benchmark",
    )
    areas = [
        AreaOfInterest.objects.create(program=program, name=f"Area {n}", slug=f"area-{n}", order=n)
        for n in range(8)
    ]
    today = dt.date.today()
    cohort = cohort_create(
        program=program,
        name="Bench cohort",
        slug="bench",
        applications_open=today - dt.timedelta(days=150),
        applications_close=today - dt.timedelta(days=120),
        pairings_notified=today - dt.timedelta(days=60),
        mentoring_starts=today - dt.timedelta(days=30),
        mentoring_ends=today + dt.timedelta(days=150),
        assessment_closes=today + dt.timedelta(days=180),
    )
    bulk_cohort(cohort, mentees=1000, mentors=1000, areas=areas, pairs=1000)
    under_way = list(Pairing.objects.filter(cohort=cohort).order_by("pk")[:500])
    Pairing.objects.filter(pk__in=[p.pk for p in under_way]).update(
        status=Pairing.Status.ACTIVE, announced_at=timezone.now() - dt.timedelta(days=60)
    )
    chair = User.objects.create_user(email="chair@bench.example.org", password=None)
    CommitteeMembership.objects.create(user=chair, program=program, role="chair")
    client = Client()
    client.force_login(chair)
    review = f"/admin/matching/pairing/cohort/{cohort.pk}/review/"
    pages = {
        "cockpit": "/admin/participants/cohortcockpit/",
        "match health": f"/admin/participants/cohortcockpit/health/{cohort.pk}/",
        "review": review,
        "review, low score": review + "?show=low",
        "review, sorted by mentor, page 10": review + "?o=mentor&page=10",
        "review, unmatched": review + "?show=unmatched",
        "review, mentors": review + "?show=mentors",
        "review CSV (1,000 rows)": f"/admin/matching/pairing/cohort/{cohort.pk}/review.csv",
    }
    print(f"cohort: 2,000 accepted applications, 1,000 pairings ({len(under_way)} under way)")
    for name, url in pages.items():
        times = []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                else:
                    response.content  # noqa: B018
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:38} median {statistics.median(times) * 1000:6.0f} ms, "
            f"max {max(times) * 1000:6.0f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
