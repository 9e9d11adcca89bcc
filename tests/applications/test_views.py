import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from applications.models import Application
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import apply_url, complete_answers
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_apply_page_asks_anonymous_visitors_to_log_in(client, cohort):
    response = client.get(apply_url(cohort))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_apply_page_shows_the_sections_and_prefills_from_the_profile(client, cohort, applicant):
    client.force_login(applicant)
    page = client.get(apply_url(cohort)).content.decode()
    for section in ("About you", "Membership", "As a mentee", "As a mentor", "Commitments"):
        assert section in page
    assert 'value="Pat Applicant"' in page
    assert 'value="applicant@example.org"' in page
    assert "Cataloging and metadata" in page


def test_prefill_comes_from_the_last_application(client, cohort, applicant):
    earlier = CohortFactory(program=cohort.program, phase="closed")
    ApplicationFactory(
        cohort=earlier, applicant=applicant, employer="Harbor County Library", state="PR"
    )
    client.force_login(applicant)
    page = client.get(apply_url(cohort)).content.decode()
    assert 'value="Harbor County Library"' in page
    assert '<option value="PR" selected>' in page


def test_save_draft_with_partial_answers(client, cohort, applicant):
    client.force_login(applicant)
    response = client.post(
        apply_url(cohort), {"action": "draft", "role": "both", "mentee_goals": "Half a thought"}
    )
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.status == Application.Status.DRAFT
    assert application.mentee_goals == "Half a thought"
    assert mail.outbox == []
    page = client.get(apply_url(cohort)).content.decode()
    assert "Half a thought" in page


def test_submit_sends_one_confirmation_with_a_summary_and_updates_the_profile(
    client, cohort, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "submit"})
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["applicant@example.org"]]
    body = mail.outbox[0].body
    assert "Learn to lead a team." in body and "Guam" in body and "Cataloging and metadata" in body
    assert f"http://testserver{application.get_absolute_url()}" in body or (
        application.get_absolute_url() in body
    )
    applicant.refresh_from_db()
    assert applicant.employer == "Riverbend Public Library"
    assert applicant.time_zone == "Pacific/Guam"


def test_submit_with_errors_shows_each_beside_its_field_and_keeps_every_answer(
    client, cohort, applicant
):
    client.force_login(applicant)
    data = complete_answers(
        cohort, role="both", mentor_offer="", capacity="", job_title="", areas=[]
    )
    data["mentee_goals"] = "Keep this text"
    response = client.post(apply_url(cohort), {**data, "action": "submit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"mentor_offer", "capacity", "job_title", "areas"}
    page = response.content.decode()
    assert "Keep this text" in page and 'value="Riverbend Public Library"' in page
    assert page.count("invalid-feedback") >= 4
    # Nothing typed is lost (it is all on the page again), and only "Save draft" makes a
    # draft: an incomplete submission saves nothing and sends nothing.
    assert not Application.objects.filter(applicant=applicant).exists()
    assert mail.outbox == []


def test_role_decides_what_is_required_without_javascript(client, cohort, applicant):
    client.force_login(applicant)
    # A mentee need not describe a mentor offer or a capacity...
    data = complete_answers(cohort, role="mentee", mentor_offer="", capacity="")
    response = client.post(apply_url(cohort), {**data, "action": "submit"})
    assert response.status_code == 302
    # ...a mentor must.
    other = UserFactory()
    client.force_login(other)
    data = complete_answers(cohort, role="mentor", mentor_offer="", capacity="")
    response = client.post(apply_url(cohort), {**data, "action": "submit"})
    assert set(response.context["form"].errors) == {"mentor_offer", "capacity"}


def test_mentee_answers_are_cleared_when_submitting_as_a_mentor(client, cohort, applicant):
    client.force_login(applicant)
    data = complete_answers(cohort, role="mentor", mentee_goals="Leftover from a draft")
    client.post(apply_url(cohort), {**data, "action": "submit"})
    application = Application.objects.get(applicant=applicant)
    assert application.mentee_goals == "" and application.capacity == 2


def test_edit_a_submitted_application_until_the_deadline(
    client, cohort, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url(cohort), {**complete_answers(cohort), "action": "submit"})
    page = client.get(apply_url(cohort)).content.decode()
    assert "Save changes" in page and "Save draft" not in page
    data = complete_answers(cohort, job_title="Head of Cataloging")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(cohort), {**data, "action": "draft"})
    assert response.status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert application.job_title == "Head of Cataloging"
    assert application.status == Application.Status.SUBMITTED
    assert len(mail.outbox) == 1  # no second confirmation for an edit


def test_submit_after_the_deadline_is_refused_and_the_text_kept_as_a_draft(
    client, cohort, applicant, settings
):
    settings.SESSION_COOKIE_AGE = 10**8  # the clock jumps weeks ahead
    client.force_login(applicant)
    assert client.get(apply_url(cohort)).status_code == 200  # loaded in time
    after = cohort.application_deadline + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        data = complete_answers(cohort, mentee_goals="Written in the evening")
        response = client.post(apply_url(cohort), {**data, "action": "submit"})
    assert response.status_code == 200
    assert (
        "deadline" in response.content.decode() and "saved as a draft" in response.content.decode()
    )
    application = Application.objects.get(applicant=applicant)
    assert application.status == Application.Status.DRAFT
    assert application.mentee_goals == "Written in the evening"
    assert mail.outbox == []


def test_the_whole_deadline_day_counts_in_the_programs_time_zone(
    client, cohort, applicant, settings
):
    settings.SESSION_COOKIE_AGE = 10**8
    client.force_login(applicant)
    last_minute = cohort.application_deadline - dt.timedelta(seconds=30)
    assert last_minute.astimezone(dt.UTC).date() > cohort.applications_close  # next day in UTC
    with mock.patch("django.utils.timezone.now", return_value=last_minute):
        response = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "submit"})
    assert response.status_code == 302
    assert Application.objects.get(applicant=applicant).status == Application.Status.SUBMITTED


def test_before_opening_the_page_says_when_it_opens(client, cohort, program, applicant):
    upcoming = CohortFactory(program=program, phase="upcoming")
    client.force_login(applicant)
    page = client.get(apply_url(upcoming)).content.decode()
    assert "open on" in page
    assert upcoming.applications_open.strftime("%B") in page
    assert '<form method="post" novalidate' not in page
    response = client.post(apply_url(upcoming), {**complete_answers(upcoming), "action": "draft"})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_withdraw_asks_for_confirmation_then_sends_a_notice(
    client, cohort, applicant, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(cohort=cohort, applicant=applicant)
    client.force_login(applicant)
    url = f"/my/applications/{application.pk}/withdraw/"
    page = client.get(url).content.decode()
    assert "Yes, withdraw my application" in page
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)  # a double click
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.withdrawn_at is not None
    assert len(mail.outbox) == 1 and "withdrawn" in mail.outbox[0].subject


def test_my_applications_shows_each_status_in_plain_words(
    client, cohort, applicant, django_assert_max_num_queries
):
    statuses = ["draft", "submitted", "accepted", "waitlisted", "declined", "withdrawn"]
    for status in statuses:
        ApplicationFactory(
            applicant=applicant, status=status, cohort=CohortFactory(program=cohort.program)
        )
    ApplicationFactory(cohort=cohort, full_name="Somebody Else")
    client.force_login(applicant)
    with django_assert_max_num_queries(8):
        page = client.get("/my/applications/").content.decode()
    for words in (
        "Not submitted yet",
        "Received.",
        "Accepted. You will learn who you are paired with",
        "On the waiting list",
        "could not find you a match in this cycle",
        "You withdrew this application",
    ):
        assert words in page
    assert "Somebody Else" not in page


def test_someone_elses_application_is_404_in_every_url(client, cohort, applicant):
    theirs = ApplicationFactory(cohort=cohort)
    client.force_login(applicant)
    for url in (f"/my/applications/{theirs.pk}/", f"/my/applications/{theirs.pk}/withdraw/"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Application.Status.SUBMITTED


def test_nav_and_cohort_page_offer_apply_and_my_applications(client, cohort, applicant):
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert apply_url(cohort) in page
    assert "My applications" not in page
    client.force_login(applicant)
    assert "/my/applications/" in client.get("/").content.decode()
    closed = CohortFactory(program=cohort.program, phase="matching")
    assert apply_url(closed) not in client.get(closed.get_absolute_url()).content.decode()


def test_a_decided_application_can_no_longer_be_edited(client, cohort, applicant):
    application = ApplicationFactory(cohort=cohort, applicant=applicant, status="accepted")
    client.force_login(applicant)
    response = client.post(
        apply_url(cohort), {**complete_answers(cohort, job_title="Changed"), "action": "submit"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.job_title != "Changed" and application.status == "accepted"
    assert not Notification.objects.exists()
