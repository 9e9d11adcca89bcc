"""User text never breaks rendering, and one bad row never stops a planner (issue 14, finding
4). The relative-link check now runs on the templates (test_templates.py), not on what people
type; a planner that fails on one row records it for staff and goes on with the others."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from applications.models import Application
from applications.planners import plan_deadline_reminders
from matching.models import Pairing
from matching.services import pairings_announce
from notifications.models import Notification, PlanningFailure
from notifications.planners import plan_failure_digest
from notifications.services import render_email
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import apply_url, complete_answers
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.factories import PairingFactory
from tests.notifications.helpers import deliver_as_of, far_future

pytestmark = pytest.mark.django_db

TRICKY = 'I want to learn how href=links work, and src="x" too <b>bold</b>'


def reminder_time(cohort) -> dt.datetime:
    day = cohort.applications_close - dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(9), tzinfo=cohort.tz)


def test_an_application_whose_goals_mention_href_is_submitted_and_confirmed(
    client, django_capture_on_commit_callbacks
):
    AreaOfInterestFactory(program__slug="core")
    cohort = CohortFactory(program__slug="core", phase="accepting")
    applicant = UserFactory(email="ann@example.org")
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            apply_url(cohort),
            {**complete_answers(cohort), "mentee_goals": TRICKY, "action": "submit"},
        )

    assert response.status_code == 302
    application = Application.objects.get(applicant=applicant)
    assert application.status == Application.Status.SUBMITTED
    assert application.mentee_goals == TRICKY
    assert len(mail.outbox) == 1
    assert "learn how href=links work" in mail.outbox[0].body


def test_href_in_a_participants_text_does_not_stop_the_cohorts_announcement(program, chair):
    cohort = CohortFactory(program=program, phase="matching")
    pairings = [PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED) for _ in range(4)]
    Application.objects.filter(pk=pairings[0].mentee_id).update(mentee_goals=TRICKY)

    outcome = pairings_announce(cohort=cohort, by=chair)
    deliver_as_of(far_future())

    assert outcome.pairings == 4
    assert len(mail.outbox) == 8
    to_mentor = next(m for m in mail.outbox if m.to == [pairings[0].mentor.applicant.email])
    assert "learn how href=links work" in to_mentor.body
    html = to_mentor.alternatives[0][0]
    assert "href=links" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_draft_named_with_href_gets_its_reminder_like_every_other(program):
    cohort = CohortFactory(program=program, phase="accepting")
    odd = ApplicationFactory(cohort=cohort, status="draft", full_name="Ann href=x")
    plain = ApplicationFactory(cohort=cohort, status="draft", full_name="Bo Plain")

    assert plan_deadline_reminders(now=reminder_time(cohort)) == 2

    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {odd.applicant.email, plain.applicant.email}
    assert not PlanningFailure.objects.exists()


def test_a_planner_that_fails_on_one_row_records_it_and_plans_the_others(
    client, program, staff_user
):
    cohort = CohortFactory(program=program, phase="accepting")
    broken = ApplicationFactory(cohort=cohort, status="draft", full_name="Broken Row")
    others = [ApplicationFactory(cohort=cohort, status="draft") for _ in range(2)]

    def render(*, template, context):
        if context.get("application") and context["application"].pk == broken.pk:
            raise ValueError("the template could not be rendered")
        return render_email(template=template, context=context)

    with mock.patch("notifications.services.render_email", side_effect=render):
        created = plan_deadline_reminders(now=reminder_time(cohort))

    assert created == 2
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        a.applicant.email for a in others
    }
    failure = PlanningFailure.objects.get()
    assert failure.cohort == cohort and str(broken.pk) in failure.key
    assert "the template could not be rendered" in failure.error
    client.force_login(staff_user)
    listing = client.get("/admin/notifications/planningfailure/").content.decode()
    assert "the template could not be rendered" in listing

    # The next run plans the row (the cause is gone) and clears the record.
    assert plan_deadline_reminders(now=reminder_time(cohort)) == 1
    assert not PlanningFailure.objects.exists()


def test_a_planning_failure_is_in_the_staffs_daily_digest(program, staff_user):
    cohort = CohortFactory(program=program, phase="accepting")
    PlanningFailure.objects.create(
        planner="applications.planners.plan_deadline_reminders",
        key="deadline-reminder:1:2:2031-06-01:7d",
        cohort=cohort,
        error="ValueError: the template could not be rendered",
    )
    assert plan_failure_digest(now=reminder_time(cohort)) == 1
    digest = Notification.objects.get(kind="failure-digest")
    assert digest.recipient == staff_user.email
    assert "the template could not be rendered" in digest.body_text
    assert "1 scheduled email could not be prepared" in digest.body_text
