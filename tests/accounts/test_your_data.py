"""Your data: download everything the product holds about you, and delete your account while
the association's reports keep their counts."""

import dataclasses
import json

import pytest
from django.core import mail

from accounts.models import User
from applications.models import Application
from cohorts.models import CallSubscription
from notifications.models import Notification
from participants.models import ProblemReport
from reports import cohort_figures
from tests.accounts.factories import PASSWORD, UserFactory
from tests.applications.factories import ApplicationFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.notifications.factories import NotificationFactory
from tests.participants.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db


def log_in(client, user):
    """Through allauth's forms, as a person does: log in, then confirm the password again
    (reading or deleting your data asks for it; with MFA, allauth asks for the code too)."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def pair():
    mentee = UserFactory(verified_email=True, email="mentee@example.org", full_name="Dana Mentee")
    mentor = UserFactory(verified_email=True, email="mentor@example.org", full_name="Robin Mentor")
    pairing = AnnouncedPairingFactory(
        mentee__applicant=mentee,
        mentee__full_name="Dana Mentee",
        mentee__mentee_goals="Learn to lead a storytime team.",
        mentee__membership_number="12345678",
        mentor__applicant=mentor,
        mentor__full_name="Robin Mentor",
        mentor__role="mentor",
    )
    GoalFactory(pairing=pairing, title="Plan a bilingual storytime")
    CheckInFactory(pairing=pairing, notes="Met by video; agreed on goals.")
    ProblemReport.objects.create(pairing=pairing, reported_by=mentee, message="We never meet.")
    NotificationFactory(user=mentee, recipient=mentee.email, subject="Your mentor", status="sent")
    CallSubscription.objects.create(
        program=pairing.cohort.program, email="mentee@example.org", status="confirmed"
    )
    return pairing


def test_download_holds_everything_about_me_and_nothing_of_others(client, pair):
    other = ApplicationFactory(cohort=pair.cohort, full_name="Someone Else", role="mentee")
    log_in(client, pair.mentee.applicant)
    response = client.get("/my/account/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    sections = document["sections"]
    assert sections["account"]["data"]["email"] == "mentee@example.org"
    application = sections["applications"]["data"][0]
    assert application["status"] == "Accepted" or application["status"]
    answers = json.dumps(application["answers"])
    assert "Learn to lead a storytime team." in answers and "12345678" in answers
    assert sections["pairings"]["data"][0]["partner"] == "Robin Mentor"
    pair_data = sections["mentoring"]["data"]["pairs"][0]
    assert pair_data["goals"][0]["title"] == "Plan a bilingual storytime"
    assert pair_data["check_ins"][0]["notes"] == "Met by video; agreed on goals."
    assert sections["mentoring"]["data"]["problem_reports"][0]["message"] == "We never meet."
    assert sections["emails"]["data"][0]["subject"] == "Your mentor"
    assert sections["programs"]["data"]["call_subscriptions"][0]["status"] == "Confirmed"
    assert other.full_name not in response.content.decode()
    # The committee's scores and notes are not the person's data to read here.
    assert "score" not in response.content.decode()

    page = client.get("/my/account/data/").content.decode()
    assert "Plan a bilingual storytime" in page and "Robin Mentor" in page
    assert "Learn to lead a storytime team." in page


def test_your_data_needs_a_login_and_the_password_again(client):
    response = client.get("/my/account/data.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    user = UserFactory(verified_email=True)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/my/account/delete/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]


def figures(cohort):
    return [
        dataclasses.asdict(cohort_figures.applications_by_role_and_status(cohort=cohort)),
        dataclasses.asdict(cohort_figures.match_figures(cohort=cohort)),
        dataclasses.asdict(cohort_figures.library_types(cohort=cohort)),
        dataclasses.asdict(cohort_figures.states_and_territories(cohort=cohort)),
    ]


def test_deleting_my_account_keeps_the_reports_counts_and_forgets_who_i_was(client, pair):
    mentee = pair.mentee.applicant
    before = figures(pair.cohort)
    log_in(client, mentee)

    page = client.get("/my/account/delete/").content.decode()
    assert "Delete my account" in page and "download your data" in page
    # The confirmation step: without the box checked nothing happens.
    response = client.post("/my/account/delete/", {})
    assert response.status_code == 200
    assert "Check the box to confirm" in response.content.decode()
    assert User.objects.get(pk=mentee.pk).is_active

    response = client.post("/my/account/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert figures(pair.cohort) == before

    mentee.refresh_from_db()
    assert not mentee.is_active and not mentee.has_usable_password()
    assert mentee.email.endswith("@deleted.invalid") and mentee.full_name == ""
    application = Application.objects.get(pk=pair.mentee_id)
    assert application.full_name == application.email == application.membership_number == ""
    assert application.mentee_goals == ""
    assert (application.role, application.status) == (pair.mentee.role, pair.mentee.status)
    assert ProblemReport.objects.get().message.startswith("(Removed")
    assert not CallSubscription.objects.exists()
    sent = Notification.objects.get(subject="Your mentor")
    assert sent.recipient.endswith("@deleted.invalid") and sent.body_text == ""

    # Logged out, and the old password no longer works; the address is free again.
    assert client.get("/my/applications/").status_code == 302
    assert not client.login(email="mentee@example.org", password=PASSWORD)
    response = client.post(
        "/accounts/signup/",
        {"email": "mentee@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302

    # The partner keeps the pairing, its goals and check-ins, and learns nothing private.
    client.logout()
    log_in(client, pair.mentor.applicant)
    page = client.get("/my/mentoring/").content.decode()
    assert "Dana Mentee" not in page and "mentee@example.org" not in page
    assert "details are no longer available" in page
    assert "Plan a bilingual storytime" in page
    assert not [m for m in mail.outbox if "mentor@example.org" in m.to]


def test_admin_and_committee_accounts_cannot_delete_themselves_here(client):
    staff = UserFactory(verified_email=True, is_staff=True)
    log_in(client, staff)
    page = client.get("/my/account/delete/").content.decode()
    assert "Ask another administrator" in page
    client.post("/my/account/delete/", {"confirm": "on"})
    staff.refresh_from_db()
    assert staff.is_active


def test_my_time_zone_is_saved_and_a_bad_one_refused(client):
    user = UserFactory(verified_email=True, time_zone="")
    log_in(client, user)
    response = client.post("/my/account/", {"time_zone": "Pacific/Guam"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Pacific/Guam"
    response = client.post("/my/account/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
