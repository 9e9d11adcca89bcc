"""Scheduled emails of the applications app, run by the beat (see notifications.planning)."""

import datetime as dt

from accounts.timezones import person_zone
from cohorts.models import Cohort
from notifications.planning import PlannerGuard
from notifications.services import notification_create

from .models import Application

# Reminders to finish a draft, by days left before the deadline day (program time).
REMINDER_DAYS = (7, 1)


def reminder_due(days_left: int) -> int | None:
    """Which reminder is due with `days_left` whole days to go: the closest one not passed.

    A beat that missed a day still sends the 7-day reminder on day 5, but on the last day only
    the 1-day one: each person gets each reminder once, and never two on the same day.
    """
    due = [days for days in REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def plan_deadline_reminders(*, now: dt.datetime) -> int:
    """Remind people with an unsubmitted draft 7 days and 1 day before the deadline.

    Idempotent: the key `deadline-reminder:<cohort>:<application>:<deadline>:<n>d` exists once;
    a new deadline (the cohort's dates changed) makes new reminders, and the ones for the old
    deadline are withdrawn (applications.conditions). One row that fails is recorded and
    skipped.
    """
    guard = PlannerGuard("applications.planners.plan_deadline_reminders")
    created = 0
    window = now.date()
    cohorts = Cohort.objects.select_related("program").filter(
        applications_open__lte=window + dt.timedelta(days=1),
        applications_close__gte=window - dt.timedelta(days=1),
    )
    for cohort in cohorts:
        days_left = cohort.days_left_to_apply(now)
        if days_left is None:
            continue
        which = reminder_due(days_left)
        if which is None:
            continue
        drafts = Application.objects.filter(
            cohort=cohort, status=Application.Status.DRAFT
        ).select_related("applicant")
        deadline = cohort.applications_close.isoformat()
        for application in drafts:
            key = f"deadline-reminder:{cohort.pk}:{application.pk}:{deadline}:{which}d"
            with guard.row(key=key, cohort=cohort):
                _notification, made = notification_create(
                    key=key,
                    kind="deadline_reminder",
                    to=application.mail_to,
                    template="applications/emails/deadline_reminder",
                    context={
                        "application": application,
                        "cohort": cohort,
                        "program": cohort.program,
                        "program_name": cohort.program.name,
                        "days_left": days_left,
                        "reader_zone": person_zone(
                            application.time_zone, application.applicant.time_zone
                        ),
                    },
                    user=application.applicant,
                    cohort=cohort,
                    about={"application": application.pk, "deadline": deadline},
                )
                created += made
    return created
