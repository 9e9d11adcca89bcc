"""Changing a cohort's dates replans its reminders: a reminder of the old date still waiting is
withdrawn in the same transaction, and the planners plan one for the new date."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.planners import plan_deadline_reminders
from cohorts.services import cohort_update
from notifications.models import Notification
from participants.planners import plan_orientation_reminders
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def seven_days_before(cohort) -> dt.datetime:
    day = cohort.applications_close - dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(9), tzinfo=cohort.tz)


def test_moving_the_deadline_withdraws_the_old_reminder_and_plans_one_for_the_new_date(program):
    cohort = CohortFactory(program=program, phase="accepting")
    draft = ApplicationFactory(cohort=cohort, status="draft")
    plan_deadline_reminders(now=seven_days_before(cohort))
    old = Notification.objects.get(kind="deadline_reminder")  # not sent yet: still pending

    later = cohort.applications_close + dt.timedelta(days=14)
    cohort_update(cohort=cohort, applications_close=later)

    old.refresh_from_db()
    assert old.status == Notification.Status.WITHDRAWN
    assert old.withdrawn_reason.startswith("The deadline moved to")
    assert plan_deadline_reminders(now=seven_days_before(cohort)) == 1
    new = Notification.objects.get(kind="deadline_reminder", status="pending")
    assert later.isoformat() in new.key and new.about["application"] == draft.pk


def test_the_admins_date_change_replans_too(client, program, staff_user):
    cohort = CohortFactory(program=program, phase="accepting")
    ApplicationFactory(cohort=cohort, status="draft")
    plan_deadline_reminders(now=seven_days_before(cohort))
    client.force_login(staff_user)
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["applications_close"] = (cohort.applications_close + dt.timedelta(days=3)).isoformat()
    data.update({"milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Notification.objects.get(kind="deadline_reminder").status == "withdrawn"
    # The draft's author is told the new date, and the staff member sees that it went out.
    assert Notification.objects.filter(kind="cohort_dates_changed").count() == 1
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("This change wrote 1 email to the people it concerns." in m for m in shown)
    assert any(
        f"/admin/notifications/notification/?cohort__id__exact={cohort.pk}" in m for m in shown
    )


def test_moving_the_orientation_withdraws_a_reminder_of_the_old_time(program):
    cohort = CohortFactory(program=program, phase="orientation", orientation_time=dt.time(13))
    ApplicationFactory(cohort=cohort, status="accepted")
    starts = cohort.orientation_starts_at
    assert plan_orientation_reminders(now=starts - dt.timedelta(hours=47)) == 1
    reminder = Notification.objects.get(kind="orientation_reminder")

    cohort_update(cohort=cohort, orientation_time=dt.time(15))

    reminder.refresh_from_db()
    assert (reminder.status, reminder.withdrawn_reason) == ("withdrawn", "The orientation moved.")
    assert plan_orientation_reminders(now=cohort.orientation_starts_at - dt.timedelta(hours=40))
