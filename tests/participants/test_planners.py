import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from notifications.models import Notification
from participants.planners import plan_goal_sheet_reminders, plan_orientation_reminders
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import GoalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run a planner and deliver what it created, as the beat does."""

    def run(planner, now):
        with django_capture_on_commit_callbacks(execute=True):
            return planner(now=now)

    return run


def test_planners_are_registered():
    assert "participants.planners.plan_orientation_reminders" in (settings.NOTIFICATION_PLANNERS)
    assert "participants.planners.plan_goal_sheet_reminders" in (settings.NOTIFICATION_PLANNERS)


@pytest.fixture
def orientation_cohort():
    cohort = CohortFactory(
        phase="orientation",
        orientation_time=dt.time(13, 0),
        orientation_link="https://meet.example.org/o",
    )
    accepted = [
        ApplicationFactory(cohort=cohort, status="accepted", time_zone="America/New_York"),
        ApplicationFactory(cohort=cohort, status="accepted", role="mentor"),
    ]
    ApplicationFactory(cohort=cohort, status="waitlisted")
    ApplicationFactory(cohort=cohort, status="declined")
    return cohort, accepted


def test_orientation_reminder_goes_two_days_before_to_every_accepted_participant_once(
    orientation_cohort, send_now
):
    cohort, accepted = orientation_cohort
    starts = cohort.orientation_starts_at
    assert send_now(plan_orientation_reminders, starts - dt.timedelta(days=3)) == 0
    assert send_now(plan_orientation_reminders, starts - dt.timedelta(hours=47)) == 2
    assert send_now(plan_orientation_reminders, starts - dt.timedelta(hours=46)) == 0
    assert send_now(plan_orientation_reminders, starts - dt.timedelta(hours=2)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in accepted)
    eastern = next(m for m in mail.outbox if m.to[0] == accepted[0].email)
    assert "orientation" in eastern.subject
    # 1 p.m. Chicago, and in the person's Eastern time, in the one phrase.
    assert "1 p.m. Central Time (2 p.m. Eastern for you)" in eastern.body
    assert "https://meet.example.org/o" in eastern.body
    assert "/my/mentoring/" in eastern.body
    assert Notification.objects.filter(kind="orientation_reminder").count() == 2


def test_no_orientation_reminder_once_the_orientation_has_started(orientation_cohort, send_now):
    cohort, _accepted = orientation_cohort
    assert send_now(plan_orientation_reminders, cohort.orientation_starts_at) == 0
    assert mail.outbox == []


@pytest.fixture
def goal_program_pairing():
    def make(days_since_announcement, **kwargs):
        cohort = CohortFactory(phase="in_progress", program__goal_sheet_due_days=30)
        pairing = AnnouncedPairingFactory(cohort=cohort, **kwargs)
        return pairing, pairing.announced_at + dt.timedelta(days=days_since_announcement)

    return make


def test_goal_sheet_reminder_goes_to_both_partners_seven_days_before_once(
    goal_program_pairing, send_now
):
    pairing, now = goal_program_pairing(24)  # due in 6 days
    assert send_now(plan_goal_sheet_reminders, now) == 2
    assert send_now(plan_goal_sheet_reminders, now + dt.timedelta(days=1)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [pairing.mentor.email, pairing.mentee.email]
    )
    message = mail.outbox[0]
    assert "goal sheet" in message.subject
    assert "SMART" in message.body


@pytest.mark.parametrize("days_since_announcement", [20, 31])  # due in 10 days; a day late
def test_no_goal_sheet_reminder_too_early_or_after_the_date(
    goal_program_pairing, send_now, days_since_announcement
):
    _pairing, now = goal_program_pairing(days_since_announcement)
    assert send_now(plan_goal_sheet_reminders, now) == 0
    assert mail.outbox == []


def test_no_goal_sheet_reminder_for_a_pair_with_goals(goal_program_pairing, send_now):
    pairing, now = goal_program_pairing(25)
    GoalFactory(pairing=pairing)
    assert send_now(plan_goal_sheet_reminders, now) == 0
    assert mail.outbox == []


def test_no_goal_sheet_reminder_where_the_program_sets_no_date(send_now):
    pairing = AnnouncedPairingFactory(cohort__program__goal_sheet_due_days=None)
    assert send_now(plan_goal_sheet_reminders, pairing.announced_at + dt.timedelta(days=25)) == 0
