import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from applications import services
from applications.choices import MembershipStatus
from applications.models import Application
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import answers_for
from tests.cohorts.factories import CohortFactory
from tests.concurrency import at_once


@pytest.mark.django_db
def test_application_submit_refuses_an_incomplete_application_even_without_the_form(
    cohort, applicant
):
    answers = answers_for(cohort)
    answers["mentee_goals"] = ""
    with pytest.raises(ValidationError) as error:
        services.application_submit(cohort=cohort, applicant=applicant, answers=answers)
    assert "mentee_goals" in error.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_application_submit_after_the_deadline_raises_and_saves_nothing(cohort, applicant):
    later = cohort.application_deadline + dt.timedelta(microseconds=1)
    with pytest.raises(services.ApplicationsClosed, match="deadline"):
        services.application_submit(
            cohort=cohort, applicant=applicant, answers=answers_for(cohort), now=later
        )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_application_decide_records_who_and_when(cohort, chair):
    application = ApplicationFactory(cohort=cohort)
    decided = services.application_decide(
        application=application, decision=Application.Status.WAITLISTED, decided_by=chair
    )
    assert decided.status == Application.Status.WAITLISTED
    assert decided.decided_by == chair and decided.decided_at is not None


@pytest.mark.django_db
def test_application_decide_refuses_drafts_withdrawn_and_unknown_decisions(cohort, chair):
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    withdrawn = ApplicationFactory(cohort=cohort, status=Application.Status.WITHDRAWN)
    for application in (draft, withdrawn):
        with pytest.raises(ValidationError):
            services.application_decide(
                application=application, decision="accepted", decided_by=chair
            )
    with pytest.raises(ValidationError):
        services.application_decide(
            application=ApplicationFactory(cohort=cohort), decision="submitted", decided_by=chair
        )


@pytest.mark.django_db
def test_a_funded_membership_request_waits_for_staff_before_acceptance(
    alsc_cohort, chair, staff_user
):
    application = ApplicationFactory(
        cohort=alsc_cohort,
        membership_status=MembershipStatus.FUNDED_REQUEST,
        demographics=["bipoc"],
        membership_number="",
    )
    with pytest.raises(ValidationError, match="funded membership"):
        services.application_decide(application=application, decision="accepted", decided_by=chair)
    services.application_confirm_membership(application=application, confirmed_by=staff_user)
    accepted = services.application_decide(
        application=application, decision="accepted", decided_by=chair
    )
    assert accepted.status == "accepted"


@pytest.mark.django_db
def test_withdrawn_then_applying_again_reopens_the_same_application(
    cohort, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.application_submit(
            cohort=cohort, applicant=applicant, answers=answers_for(cohort)
        )
        services.application_withdraw(application=first)
        again = services.application_submit(
            cohort=cohort,
            applicant=applicant,
            answers=answers_for(cohort),
            now=first.submitted_at + dt.timedelta(minutes=5),
        )
    assert again.pk == first.pk and again.status == Application.Status.SUBMITTED
    assert [m.subject.split(":")[1].strip()[:11] for m in mail.outbox] == [
        "we received",
        "your applic",
        "we received",
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_creates_one_application_and_one_email(postgres, applicant):
    from tests.cohorts.factories import AreaOfInterestFactory

    cohort = CohortFactory(phase="accepting")
    AreaOfInterestFactory(program=cohort.program)
    answers = answers_for(cohort)

    def submit():
        services.application_submit(cohort=cohort, applicant=applicant, answers=answers)

    outcomes = at_once(submit, submit)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Application.objects.filter(cohort=cohort, applicant=applicant).count() == 1
    assert Notification.objects.filter(kind="application_submitted").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_submissions_insert_once_and_the_later_updates_that_row(
    postgres, applicant
):
    """The page submits a first application with one insert and no locking read (it saw none);
    two at once: the one-per-person constraint refuses the second insert, which starts over
    as an update of the row the first made."""
    from tests.cohorts.factories import AreaOfInterestFactory

    cohort = CohortFactory(phase="accepting")
    AreaOfInterestFactory(program=cohort.program)
    answers = answers_for(cohort)

    def submit():
        services.application_submit(
            cohort=cohort, applicant=applicant, answers=answers, started=False
        )

    outcomes = at_once(submit, submit)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    application = Application.objects.get(cohort=cohort, applicant=applicant)
    assert application.status == Application.Status.SUBMITTED
    assert list(application.areas.all()) == list(cohort.program.areas.all())
    assert Notification.objects.filter(kind="application_submitted").count() == 1


@pytest.mark.django_db
def test_a_first_submission_that_finds_the_row_taken_updates_it(cohort, applicant):
    draft = ApplicationFactory(
        cohort=cohort, applicant=applicant, status=Application.Status.DRAFT, areas=[]
    )
    saved = services.application_submit(
        cohort=cohort, applicant=applicant, answers=answers_for(cohort), started=False
    )
    assert saved.pk == draft.pk and saved.status == Application.Status.SUBMITTED
    assert Application.objects.filter(applicant=applicant).count() == 1
    assert Notification.objects.filter(kind="application_submitted").count() == 1
