"""Every page a participant, applicant or committee member reads is valid HTML (Nu Html Checker).

The demo data gives each page real content: an application, a pairing with goals and check-ins,
a survey invitation, and the reports of a cohort under way.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from applications.models import Application
from assessment.models import Invitation
from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE, DEMO_PASSWORD
from cohorts.models import Cohort
from matching.models import Pairing
from participants.health.models import PulseCheck

pytestmark = pytest.mark.django_db


def pages_for(email: str, urls: list[str]) -> dict[str, bytes]:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{email} {url}: {response.status_code}"
        pages[f"{url} ({email})"] = response.content
    return pages


def test_the_pages_people_use_are_valid_html(assert_valid_html):
    call_command("seed_demo")
    call = Cohort.objects.get(program__slug="alsc", notes=DEMO_NOTE)  # the open call
    core = Cohort.objects.get(program__slug="core", notes=DEMO_NOTE)  # under way
    alsc = Cohort.objects.get(program__slug="alsc", notes=DEMO_EARLIER_NOTE)  # finished
    application = Application.objects.get(applicant__email="applicant@example.org", cohort=call)
    pairing = Pairing.objects.filter(cohort=core).select_related("mentee__applicant").first()
    participant = pairing.mentee.applicant.email

    pages = pages_for(
        "applicant@example.org",
        [
            "/my/applications/",
            f"/my/applications/{application.pk}/",
            f"/my/applications/{application.pk}/withdraw/",
            f"/programs/alsc/cohorts/{call.slug}/apply/",
            "/my/account/",
        ],
    )
    pages |= pages_for(
        participant,
        [
            "/my/mentoring/",
            f"/my/mentoring/pairings/{pairing.pk}/goals/new/",
            f"/my/mentoring/pairings/{pairing.pk}/check-ins/new/",
            f"/my/mentoring/pairings/{pairing.pk}/flag-a-problem/",
            "/my/mentoring/calendar/",
        ],
    )
    pages |= pages_for(
        "staff@example.org",
        [
            "/reports/",
            "/reports/programs/alsc/",
            f"/reports/programs/alsc/cohorts/{alsc.slug}/",
            "/admin/participants/cohortcockpit/",
            f"/admin/participants/cohortcockpit/health/{core.pk}/?show=all",
            f"/admin/participants/cohortcockpit/health/{core.pk}/settings/",
            f"/admin/participants/cohortcockpit/health/{core.pk}/pair/{pairing.pk}/nudge/",
            f"/admin/participants/cohortcockpit/health/{core.pk}/pair/{pairing.pk}/touch-point/",
            f"/admin/matching/pairing/cohort/{alsc.pk}/review/",
            f"/admin/matching/pairing/cohort/{alsc.pk}/review/?show=mentors",
            f"/admin/matching/pairing/cohort/{alsc.pk}/review/?show=unmatched",
            f"/admin/applications/application/{application.pk}/change/",
        ],
    )
    invitation = Invitation.objects.first()
    anonymous = Client().get(f"/surveys/{invitation.token}/")
    assert anonymous.status_code == 200
    pages["/surveys/<token>/"] = anonymous.content
    pulse = PulseCheck.objects.filter(answered_at__isnull=True).first()  # open in the demo
    pages["/pulse/<token>/"] = Client().get(pulse.get_absolute_url()).content
    for url in ["/", "/programs/alcts/", call.get_absolute_url(), "/programs/core/tell-me/"]:
        response = Client().get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    assert_valid_html(pages)
