"""Finding 4: confidentiality as each page promises it.

Each test reads the promise off the page a participant sees, then checks every page of the
committee against it: problem reports are read by the program's chairs and staff only (admin,
inlines, notification previews), check-in notes are never shown to the committee, survey links
never appear in the admin, demographics only in aggregate and only to staff.
"""

import pytest

from cohorts.models import CommitteeMembership
from notifications.models import Notification
from participants.models import ProblemReport
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.assessment.factories import InvitationFactory
from tests.cohorts.factories import CohortFactory, CommitteeMembershipFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import CheckInFactory

pytestmark = pytest.mark.django_db

SECRET = "My mentor keeps cancelling and I feel stuck."
NOTE = "We talked about my manager, privately."


@pytest.fixture
def pairing(program):
    return AnnouncedPairingFactory(cohort=CohortFactory(program=program, phase="in_progress"))


@pytest.fixture
def reported(client, pairing, chair):
    """A mentee flags a problem through My mentoring, after reading whom it goes to."""
    mentee = pairing.mentee.applicant
    client.force_login(mentee)
    url = f"/my/mentoring/pairings/{pairing.pk}/flag-a-problem/"
    assert "Only the committee chairs read this" in client.get(url).content.decode()
    client.post(url, {"message": SECRET})
    client.logout()
    return ProblemReport.objects.get(pairing=pairing)


def admin_pages_of(report: ProblemReport) -> list[str]:
    email = Notification.objects.get(kind="problem_report")
    return [
        "/admin/participants/problemreport/",
        f"/admin/participants/problemreport/{report.pk}/change/",
        f"/admin/participants/pairingprogress/{report.pairing_id}/change/",
        "/admin/notifications/notification/",
        f"/admin/notifications/notification/{email.pk}/change/",
        f"/admin/notifications/notification/{email.pk}/html/",
    ]


def test_committee_members_never_read_a_problem_report(client, reported, member):
    client.force_login(member)
    for url in admin_pages_of(reported):
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
        if url.endswith(("/change/", "/html/")):
            assert response.status_code in (403, 404) or "pairingprogress" in url, url


def test_the_programs_chairs_and_staff_read_it(client, reported, chair, staff_user):
    for reader in (chair, staff_user):
        client.force_login(reader)
        for url in admin_pages_of(reported)[1:3]:
            assert SECRET in client.get(url).content.decode(), (reader, url)
    assert Notification.objects.filter(kind="problem_report", body_text__contains=SECRET).exists()


def test_chairing_another_program_does_not_open_this_programs_reports(
    client, reported, program, other_program
):
    """Chairing another program does not open this one's reports."""
    person = UserFactory(email="two.hats@example.org")
    CommitteeMembershipFactory(user=person, program=program, role=CommitteeMembership.Role.MEMBER)
    CommitteeMembershipFactory(
        user=person, program=other_program, role=CommitteeMembership.Role.CHAIR
    )
    client.force_login(person)
    for url in admin_pages_of(reported):
        assert SECRET not in client.get(url).content.decode(), url


def test_check_in_notes_are_never_shown_to_the_committee(client, pairing, chair, staff_user):
    client.force_login(pairing.mentee.applicant)
    page = client.get(f"/my/mentoring/pairings/{pairing.pk}/check-ins/new/").content.decode()
    assert "the committee sees only the date and how you met" in page
    check_in = CheckInFactory(pairing=pairing, notes=NOTE)

    for reader in (chair, staff_user):
        client.force_login(reader)
        for url in (
            "/admin/participants/checkin/",
            f"/admin/participants/checkin/{check_in.pk}/change/",
            f"/admin/participants/pairingprogress/{pairing.pk}/change/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert NOTE not in response.content.decode(), (reader, url)


def test_survey_links_never_appear_in_the_admin(client, program, chair, staff_user):
    invitation = InvitationFactory(survey__cohort__program=program, survey__anonymous=True)
    client.force_login(invitation.user)
    page = client.get(f"/surveys/{invitation.token}/").content.decode()
    assert "Your answers are anonymous" in page

    for reader in (chair, staff_user):
        client.force_login(reader)
        for url in (
            "/admin/assessment/invitation/",
            f"/admin/assessment/invitation/{invitation.pk}/change/",
        ):
            response = client.get(url, follow=True)
            assert invitation.token not in response.content.decode(), url
            assert "View on site" not in response.content.decode(), url


def test_demographics_are_shown_only_in_aggregate_and_only_to_staff(
    client, program, chair, staff_user
):
    cohort = CohortFactory(program=program, phase="in_progress")
    application = ApplicationFactory(cohort=cohort, demographics=["lgbtq"])
    open_cohort = CohortFactory(program=program, phase="accepting")
    client.force_login(application.applicant)
    form = client.get(f"/programs/{program.slug}/cohorts/{open_cohort.slug}/apply/")
    assert "never shown to your match" in form.content.decode()

    report = f"/reports/programs/{program.slug}/cohorts/{cohort.slug}/"
    client.force_login(chair)
    assert "Demographics" not in client.get(report).content.decode()
    assert (
        "LGBTQ+"
        not in client.get(
            f"/admin/applications/application/{application.pk}/change/"
        ).content.decode()
    )
    export = client.get(f"/reports/programs/{program.slug}/exports/applications.csv")
    assert "lgbtq" not in b"".join(export.streaming_content).decode().lower()

    client.force_login(staff_user)
    assert "Demographics (staff only)" in client.get(report).content.decode()


def test_staff_replace_a_leaked_survey_link_without_seeing_either(
    client, program, staff_user, chair
):
    invitation = InvitationFactory(survey__cohort__program=program)
    old = invitation.token
    data = {"action": "send_new_link", "_selected_action": [invitation.pk]}

    client.force_login(chair)  # the committee may not
    client.post("/admin/assessment/invitation/", data)
    invitation.refresh_from_db()
    assert invitation.token == old

    client.force_login(staff_user)
    response = client.post("/admin/assessment/invitation/", data, follow=True)
    invitation.refresh_from_db()
    assert invitation.token != old
    page = response.content.decode()
    assert "the old one no longer works" in page
    assert old not in page and invitation.token not in page
    assert client.get(f"/surveys/{old}/").status_code == 404
    email = Notification.objects.get(kind="survey-new-link")
    assert invitation.token in email.body_text and email.recipient == invitation.email
