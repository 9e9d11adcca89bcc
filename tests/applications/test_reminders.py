import datetime as dt

import pytest
from django.core.management import call_command

from applications.planners import plan_deadline_reminders
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def at(cohort, days_before: int, hour: int = 9) -> dt.datetime:
    day = cohort.applications_close - dt.timedelta(days=days_before)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=cohort.tz)


def test_drafts_get_a_7_day_and_a_1_day_reminder_exactly_once_each(cohort):
    draft = ApplicationFactory(cohort=cohort, status="draft", email="draft@example.org")
    ApplicationFactory(cohort=cohort, status="submitted")
    ApplicationFactory(cohort=cohort, status="withdrawn")

    assert plan_deadline_reminders(now=at(cohort, 8)) == 0
    assert plan_deadline_reminders(now=at(cohort, 7)) == 1
    assert plan_deadline_reminders(now=at(cohort, 7, hour=10)) == 0  # a second beat
    assert plan_deadline_reminders(now=at(cohort, 5)) == 0
    assert plan_deadline_reminders(now=at(cohort, 1)) == 1
    assert plan_deadline_reminders(now=at(cohort, 0)) == 0
    keys = sorted(Notification.objects.values_list("key", flat=True))
    assert keys == [
        f"deadline-reminder:{cohort.pk}:{draft.pk}:{cohort.applications_close}:1d",
        f"deadline-reminder:{cohort.pk}:{draft.pk}:{cohort.applications_close}:7d",
    ]
    reminder = Notification.objects.get(key__endswith=":7d")
    assert reminder.recipient == draft.applicant.email  # the account, not the typed contact
    assert "7 days left" in reminder.subject
    assert "/apply/" in reminder.body_text and reminder.body_text.count("http") >= 1


def test_a_missed_beat_still_sends_the_7_day_reminder_but_never_two_on_the_last_day(cohort):
    ApplicationFactory(cohort=cohort, status="draft")
    assert plan_deadline_reminders(now=at(cohort, 4)) == 1
    late = ApplicationFactory(cohort=cohort, status="draft")
    assert plan_deadline_reminders(now=at(cohort, 1)) == 2
    assert not Notification.objects.filter(key__contains=f":{late.pk}:7d").exists()


def test_no_reminder_after_the_deadline_or_once_submitted(cohort):
    application = ApplicationFactory(cohort=cohort, status="draft")
    after = cohort.application_deadline + dt.timedelta(minutes=1)
    assert plan_deadline_reminders(now=after) == 0
    application.status = "submitted"
    application.save()
    assert plan_deadline_reminders(now=at(cohort, 1)) == 0


def test_the_planner_is_registered_and_runs_from_tick(cohort, settings):
    assert "applications.planners.plan_deadline_reminders" in settings.NOTIFICATION_PLANNERS
    call_command("tick")  # runs without error on a cohort 20 days from its deadline
    assert not Notification.objects.exists()
