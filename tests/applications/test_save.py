"""application_save decides what the application page's Save draft or Submit does."""

import datetime as dt

import pytest

from applications import services
from applications.forms import ApplicationForm
from applications.models import Application
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import complete_answers

pytestmark = pytest.mark.django_db
Outcome = services.SaveOutcome


def save(cohort, applicant, action, data, **kwargs):
    """What the view does: check the posted form in the page's mode, then save."""
    application = Application.objects.filter(cohort=cohort, applicant=applicant).first()
    mode = services.application_form_mode(application=application, action=action)
    form = ApplicationForm(data, instance=application, cohort=cohort, mode=mode)
    valid = form.is_valid()
    draft = ApplicationForm(data, instance=application, cohort=cohort, mode="draft")
    draft.is_valid()
    return services.application_save(
        cohort=cohort,
        applicant=applicant,
        action=action,
        answers=draft.answers(),
        valid=valid,
        **kwargs,
    )


def test_a_complete_submission_is_submitted_once_and_then_changes_are_saved(cohort, applicant):
    result = save(cohort, applicant, "submit", complete_answers(cohort))
    assert result.outcome == Outcome.SUBMITTED
    assert result.application.status == Application.Status.SUBMITTED
    assert "applicant@example.org" in result.message

    again = save(
        cohort, applicant, "draft", complete_answers(cohort, job_title="Head of Cataloging")
    )
    assert again.outcome == Outcome.CHANGES_SAVED  # a submitted application stays submitted
    assert again.application.job_title == "Head of Cataloging"
    assert Notification.objects.filter(kind="application_submitted").count() == 1


def test_an_incomplete_submission_needs_attention_and_saves_nothing(cohort, applicant):
    result = save(cohort, applicant, "submit", complete_answers(cohort, mentee_goals=""))
    assert result.outcome == Outcome.NEEDS_ATTENTION
    assert "Nothing is saved yet" in result.message
    assert result.application is None
    assert not Application.objects.filter(cohort=cohort, applicant=applicant).exists()


def test_an_incomplete_submission_leaves_an_existing_draft_as_it_was(cohort, applicant):
    save(cohort, applicant, "draft", complete_answers(cohort, job_title="Draft title"))
    result = save(
        cohort, applicant, "submit", complete_answers(cohort, mentee_goals="", job_title="New")
    )
    assert result.outcome == Outcome.NEEDS_ATTENTION
    assert result.application.status == Application.Status.DRAFT
    result.application.refresh_from_db()
    assert result.application.job_title == "Draft title"


def test_a_draft_with_a_bad_answer_is_saved_without_it(cohort, applicant):
    result = save(cohort, applicant, "draft", complete_answers(cohort, hours_per_month="99"))
    assert result.outcome == Outcome.DRAFT_PARTLY_SAVED
    assert result.application.hours_per_month is None
    assert result.application.job_title == "Cataloging Librarian"
    complete = save(cohort, applicant, "draft", complete_answers(cohort))
    assert complete.outcome == Outcome.DRAFT_SAVED and "Draft saved" in complete.message


def test_after_the_deadline_a_draft_keeps_the_words_and_a_submission_stands(cohort, applicant):
    later = cohort.application_deadline + dt.timedelta(minutes=1)
    result = save(cohort, applicant, "submit", complete_answers(cohort), now=later)
    assert result.outcome == Outcome.CLOSED
    assert "saved as a draft" in result.message
    assert result.application.status == Application.Status.DRAFT

    submitted = ApplicationFactory(cohort=cohort, job_title="Archivist")
    closed = save(cohort, submitted.applicant, "submit", complete_answers(cohort), now=later)
    assert closed.outcome == Outcome.CLOSED
    assert "your submitted answers stand" in closed.message
    submitted.refresh_from_db()
    assert submitted.job_title == "Archivist"


def test_nothing_is_saved_before_the_call_opens_or_once_decided(cohort, applicant):
    early = cohort.applications_open_at - dt.timedelta(minutes=1)
    result = save(cohort, applicant, "draft", complete_answers(cohort), now=early)
    assert result.outcome == Outcome.NOT_OPEN and result.application is None
    assert not Application.objects.exists()

    accepted = ApplicationFactory(cohort=cohort, status=Application.Status.ACCEPTED)
    locked = save(cohort, accepted.applicant, "submit", complete_answers(cohort))
    assert locked.outcome == Outcome.LOCKED
    assert locked.application == accepted


def test_a_deadline_passing_during_the_request_keeps_a_draft_instead_of_failing(
    cohort, applicant, monkeypatch
):
    # The page's checks ran just before the deadline; the submission itself comes after it.
    monkeypatch.setattr(services.page, "application_refusal", lambda **kwargs: None)
    later = cohort.application_deadline + dt.timedelta(microseconds=1)
    result = save(cohort, applicant, "submit", complete_answers(cohort), now=later)
    assert result.outcome == Outcome.CLOSED
    assert result.application.status == Application.Status.DRAFT
