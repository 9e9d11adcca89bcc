"""Deadlines in one phrase on the applicant's pages and emails, also in the applicant's time."""

import pytest
from django.core import mail

from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import apply_url, complete_answers

pytestmark = pytest.mark.django_db


def test_a_guam_applicant_reads_the_deadline_in_chicago_and_guam_time(
    client, cohort, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "submit"})
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "as a mentee." in body
    assert "11:59 p.m. Central Time (" in body and " Chamorro for you)" in body
    assert "Time zone: Chamorro (Guam, Northern Mariana Islands)" in body
    assert "Pacific/Guam" not in body and "CST" not in body and "CDT" not in body

    # The profile now holds Guam: the form's deadline line speaks both times.
    page = client.get(apply_url(cohort)).content.decode()
    assert "Applications close " in page and " Chamorro for you)" in page


def test_my_applications_uses_the_phrase_not_the_zone_name(client, cohort, applicant):
    ApplicationFactory(cohort=cohort, applicant=applicant, status="draft")
    client.force_login(applicant)
    page = client.get("/my/applications/").content.decode()
    assert "submit it by " in page and "11:59 p.m. Central Time" in page
    assert "America/Chicago" not in page


def test_the_role_in_words():
    assert ApplicationFactory.build(role="mentor").role_phrase == "a mentor"
    assert ApplicationFactory.build(role="both").role_phrase == "a mentor and a mentee"


def test_join_or_renew_links_to_the_programs_membership_page(client, cohort, applicant):
    cohort.program.membership_url = "https://www.example.org/join?a=1&b=2"
    cohort.program.save()
    client.force_login(applicant)
    data = complete_answers(cohort, membership_status="not_member", membership_number="")
    page = client.post(apply_url(cohort), {**data, "action": "submit"}).content.decode()
    assert '<a href="https://www.example.org/join?a=1&amp;b=2">join or renew</a>' in page


def test_join_or_renew_stays_plain_text_without_a_membership_page(client, cohort, applicant):
    client.force_login(applicant)
    data = complete_answers(cohort, membership_status="not_member", membership_number="")
    page = client.post(apply_url(cohort), {**data, "action": "submit"}).content.decode()
    assert "kept as a draft: join or renew, then submit." in page
