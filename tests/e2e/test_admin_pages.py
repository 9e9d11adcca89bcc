"""The admin pages a committee chair works in pass axe-core, like the rest of the site."""

import pytest
from django.core.management import call_command
from django.test import Client

from applications.models import Application
from cohorts.demo import DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import Cohort

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_committee_admin_pages_are_accessible(live_server, page, assert_accessible):
    call_command("seed_demo")
    cohort = Cohort.objects.get(program__slug="alcts", notes=DEMO_NOTE)
    application = Application.objects.filter(cohort=cohort).first()
    client = Client()
    assert client.login(email="alcts-chair@example.org", password=DEMO_PASSWORD)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for url in [
        "/admin/",
        "/admin/cohorts/cohort/",
        f"/admin/cohorts/cohort/{cohort.pk}/change/",
        "/admin/applications/application/",
        f"/admin/applications/application/{application.pk}/change/",
        "/admin/matching/pairing/",
        "/admin/notifications/notification/",
        f"/admin/cohorts/program/{cohort.program_id}/change/",
        "/admin/participants/pairingprogress/",
        "/admin/matching/auditentry/",
        "/admin/assessment/survey/",
    ]:
        page.goto(live_server.url + url)
        assert_accessible(page)
