"""When the applications app's scheduled messages are still true (see notifications.conditions).

A deadline reminder holds while the application is still a draft, the deadline it names is
still the cohort's deadline, and that deadline has not passed. "New dates" (a moved deadline or
notification date) holds while the cohort's dates are the ones it gives and one of them still
concerns the application (applications.date_changes). The receipts of a submission or a
withdrawal tell of something that happened: they have no condition.
"""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .date_changes import concerns, dates_named
from .models import Application


def _applications(notifications) -> dict[int, Application]:
    ids = {n.about.get("application") for n in notifications}
    return Application.objects.select_related("cohort__program").in_bulk(
        [pk for pk in ids if pk is not None]
    )


def deadline_reminder_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    applications = _applications(notifications)
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        deadline = application.cohort.applications_close if application else None
        if application is None:
            reasons[notification.pk] = _("The application no longer exists.")
        elif application.status != Application.Status.DRAFT:
            reasons[notification.pk] = _("The application is no longer a draft (%(status)s).") % {
                "status": application.get_status_display().lower()
            }
        elif notification.about.get("deadline") != deadline.isoformat():
            reasons[notification.pk] = _("The deadline moved to %(date)s.") % {
                "date": date_format(deadline, "F j, Y")
            }
        elif now >= application.cohort.application_deadline:
            reasons[notification.pk] = _("The deadline has passed.")
    return reasons


def dates_changed_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    applications = _applications(notifications)
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        if application is None:
            reasons[notification.pk] = _("The application no longer exists.")
            continue
        cohort, about = application.cohort, notification.about
        dates = (about.get("opens"), about.get("deadline"), about.get("pairings_notified"))
        if dates != (
            cohort.applications_open.isoformat(),
            cohort.applications_close.isoformat(),
            cohort.pairings_notified.isoformat(),
        ):
            reasons[notification.pk] = _("The cohort's dates changed again.")
            continue
        deadline, outcome = concerns(application, now=now)
        still = set(dates_named(deadline, outcome))
        if not still & set(about.get("tells", [])):
            reasons[notification.pk] = _("The new dates no longer concern the application.")
    return reasons


CONDITIONS = {
    "deadline_reminder": deadline_reminder_holds,
    "cohort_dates_changed": dates_changed_holds,
}
