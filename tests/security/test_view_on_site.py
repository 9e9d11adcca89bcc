"""Finding 1: the admin's "View on site" shortcut (`/admin/r/<content type>/<id>/`) is scoped.

Objects outside the person's programs answer 404 exactly like missing ones; objects whose link
is a password (survey invitations, calendar feeds) have no link for anyone; the link goes to
SITE_URL, never the Sites framework's example.com; an application's goes to a page the
committee can open.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site

from participants.models import CalendarFeed
from participants.services import calendar_feed_create
from tests.applications.factories import ApplicationFactory
from tests.assessment.factories import InvitationFactory
from tests.cohorts.factories import CohortFactory
from tests.security.helpers import page_without_csrf_token

pytestmark = pytest.mark.django_db


def shortcut(obj) -> str:
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_view_on_site_answers_404_for_another_programs_objects(client, member, other_program):
    application = ApplicationFactory(cohort=CohortFactory(program=other_program))
    invitation = InvitationFactory(survey__cohort__program=other_program)
    client.force_login(member)

    for obj in (application, invitation, application.cohort, other_program):
        response = client.get(shortcut(obj))
        assert response.status_code == 404, obj
        assert invitation.token not in response.get("Location", "")


def test_view_on_site_does_not_tell_an_existing_application_from_a_missing_one(
    client, member, other_program
):
    application = ApplicationFactory(cohort=CohortFactory(program=other_program))
    client.force_login(member)
    content_type = ContentType.objects.get_for_model(application).pk

    existing = client.get(f"/admin/r/{content_type}/{application.pk}/")
    missing = client.get(f"/admin/r/{content_type}/{application.pk + 1000}/")

    assert existing.status_code == missing.status_code == 404
    assert page_without_csrf_token(existing) == page_without_csrf_token(missing)


def test_private_links_have_no_view_on_site_even_for_staff(client, staff_user, program):
    invitation = InvitationFactory(survey__cohort__program=program)
    feed = calendar_feed_create(user=invitation.user)
    client.force_login(staff_user)

    for obj, change in (
        (invitation, f"/admin/assessment/invitation/{invitation.pk}/change/"),
        (feed, f"/admin/participants/calendarfeed/{feed.pk}/change/"),
    ):
        assert client.get(shortcut(obj)).status_code == 404
        page = client.get(change).content.decode()
        assert "View on site" not in page
        assert obj.token not in page


def test_the_calendar_feed_of_anyone_answers_404_to_a_committee_member(client, member):
    feed = calendar_feed_create(user=ApplicationFactory().applicant)
    client.force_login(member)
    response = client.get(shortcut(feed))
    assert response.status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).token not in response.get("Location", "")


def test_view_on_site_goes_to_site_url_and_an_application_to_its_cohorts_page(
    client, chair, program, settings
):
    settings.SITE_URL = "https://mentoring.example.net"
    cohort = CohortFactory(program=program)
    application = ApplicationFactory(cohort=cohort)
    client.force_login(chair)

    assert client.get(shortcut(cohort))["Location"] == (
        f"https://mentoring.example.net{cohort.get_absolute_url()}"
    )
    # The applicant's own page would answer 404 to the committee: the cohort's page does not.
    response = client.get(shortcut(application))
    assert response["Location"] == f"https://mentoring.example.net{cohort.get_absolute_url()}"
    page = client.get(f"/admin/applications/application/{application.pk}/change/")
    assert f'href="https://mentoring.example.net{cohort.get_absolute_url()}"' in (
        page.content.decode()
    )


def test_the_sites_framework_is_named_after_site_url():
    # Set on migrate (the test database's: SITE_URL's default).
    assert Site.objects.get_current().domain == "127.0.0.1:8000"
