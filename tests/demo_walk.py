"""Run by tests/test_demo_on_sqlite.py in a fresh Python on an empty SQLite database: migrate,
seed the demo, then ask for the daily pages of its chair and its applicant, and print
`PAGE <status> <address>` for each."""

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from applications.demo import APPLICANT_LOGIN  # noqa: E402
from cohorts.demo import DEMO_NOTE, DEMO_PASSWORD  # noqa: E402
from cohorts.models import Cohort  # noqa: E402

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
cohort = Cohort.objects.filter(program__slug="alcts", notes=DEMO_NOTE).order_by("-pk").first()
program = cohort.program.slug


def walk(email, addresses):
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD), email
    for address in addresses:
        print("PAGE", client.get(address).status_code, address, flush=True)


walk(
    "alcts-chair@example.org",
    [
        "/admin/",
        "/admin/applications/application/",
        "/admin/matching/pairing/",
        reverse("admin:matching_cohorts"),
        *(
            reverse(f"admin:matching_{view}", args=[cohort.pk])
            for view in ("review", "run", "announce", "scheduled")
        ),
        "/admin/participants/cohortcockpit/",
        "/admin/notifications/notification/",
        reverse("reports:index"),
        f"/reports/programs/{program}/",
        f"/reports/programs/{program}/cohorts/{cohort.slug}/",
    ],
)
walk(
    APPLICANT_LOGIN,
    ["/", f"/programs/{program}/", "/my/applications/", "/my/mentoring/", reverse("accounts:mine")],
)
