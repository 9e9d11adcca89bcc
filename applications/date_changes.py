"""Applicants hear when the committee moves a date they were given.

The receipt of a submission says "you can change your answers until <deadline>" and "we will
tell you the outcome by <notification date>"; a draft's reminder names the deadline. When a
cohort's closing or notification date changes (cohort_update, through
settings.COHORT_CHANGED_HOOKS), each applicant whose plans the change touches gets one email
with the new dates:

- the call's dates, while the call is still open: drafts (to be submitted by then) and
  submitted applications (editable until then); when it was postponed (it opens later): their
  work is kept for the day it opens; or when it closed early (the cohort under review before
  its notification date): drafts can no longer be submitted, answers no longer changed;
- the notification date, while it is still ahead: everyone awaiting the outcome.

One email per application and set of dates, keyed
`cohort-dates:<application>:<opening date>:<closing date>:<notification date>`. It holds while
the dates are still the ones it gives and the application still waits for them
(applications.conditions): a second change before it goes out withdraws it, and the newer one
replaces it.
"""

import datetime as dt

from django.utils import timezone

from accounts.timezones import person_zone
from cohorts.timeline import Phase
from notifications.services import notifications_create_many

from .models import Application

KIND = "cohort_dates_changed"
TEMPLATE = "applications/emails/dates_changed"

# Whom each date concerns.
FOR_DEADLINE = (Application.Status.DRAFT, Application.Status.SUBMITTED)
FOR_OUTCOME = (
    Application.Status.SUBMITTED,
    Application.Status.UNDER_REVIEW,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
)


def concerns(application: Application, *, now: dt.datetime) -> tuple[bool, bool]:
    """(the call's dates, the notification date): which of its cohort's dates concern the
    applicant now. The call's dates while it is open, postponed, or closed and under review,
    and the application a draft or submitted; the notification date while it is ahead and the
    application awaits its outcome."""
    cohort = application.cohort
    deadline = (
        cohort.phase(now) in (Phase.UPCOMING, Phase.ACCEPTING, Phase.MATCHING)
        and application.status in FOR_DEADLINE
    )
    outcome = (
        now.astimezone(cohort.tz).date() < cohort.pairings_notified
        and application.status in FOR_OUTCOME
    )
    return deadline, outcome


def dates_named(deadline: bool, outcome: bool) -> list[str]:
    """The names of the dates an email tells (or that concern an applicant), as `about` keeps
    them."""
    return [name for name, told in (("deadline", deadline), ("outcome", outcome)) if told]


def applicants_told_of_new_dates(*, cohort, changed: list[str]) -> int:
    """A COHORT_CHANGED_HOOKS hook: email the applicants a moved date concerns (see above).
    Returns how many emails it wrote."""
    moved = {"applications_open", "applications_close", "pairings_notified"} & set(changed)
    if not moved:
        return 0
    now = timezone.now()
    phase = cohort.phase(now)
    call = {Phase.UPCOMING: "postponed", Phase.ACCEPTING: "open"}.get(phase, "closed")
    dates = f"{cohort.applications_open}:{cohort.applications_close}:{cohort.pairings_notified}"
    messages = []
    applications = (
        Application.objects.filter(cohort=cohort, status__in={*FOR_DEADLINE, *FOR_OUTCOME})
        .select_related("applicant", "cohort__program")
        .order_by("pk")
    )
    for application in applications:
        deadline, outcome = concerns(application, now=now)
        deadline = deadline and bool({"applications_open", "applications_close"} & moved)
        outcome = outcome and "pairings_notified" in moved
        if not (deadline or outcome):
            continue
        messages.append(
            {
                "key": f"cohort-dates:{application.pk}:{dates}",
                "kind": KIND,
                "to": application.mail_to,
                "template": TEMPLATE,
                "context": {
                    "application": application,
                    "cohort": application.cohort,
                    "program": application.cohort.program,
                    "program_name": application.cohort.program.name,
                    "tell_deadline": deadline,
                    "call": call,
                    "tell_outcome": outcome,
                    "reader_zone": person_zone(
                        application.time_zone, application.applicant.time_zone
                    ),
                },
                "user": application.applicant,
                "cohort": cohort,
                "about": {
                    "application": application.pk,
                    "opens": cohort.applications_open.isoformat(),
                    "deadline": cohort.applications_close.isoformat(),
                    "pairings_notified": cohort.pairings_notified.isoformat(),
                    "tells": dates_named(deadline, outcome),
                },
            }
        )
    # A date moved away and back again: the email of that pair of dates is written anew.
    made = notifications_create_many(messages=messages, reissue=True)
    return sum(created for _notification, created in made)
