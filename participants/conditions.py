"""When the participants app's reminders are still true (see notifications.conditions).

- An orientation reminder holds while the person is still accepted and the orientation still
  starts at the time the reminder names, in the future.
- A goal-sheet reminder holds while the pairing is still under way (announced or active) and
  has no goals yet.
"""

import datetime as dt

from django.utils.translation import gettext as _

from applications.models import Application
from matching.models import Pairing

from .models import Goal


def _ids(notifications, name: str) -> set[int]:
    return {n.about[name] for n in notifications if n.about.get(name) is not None}


def orientation_reminder_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    applications = Application.objects.select_related("cohort__program").in_bulk(
        _ids(notifications, "application")
    )
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        starts = application.cohort.orientation_starts_at if application else None
        if application is None:
            reasons[notification.pk] = _("The application no longer exists.")
        elif application.status != Application.Status.ACCEPTED:
            reasons[notification.pk] = _("The person is no longer an accepted participant.")
        elif starts is None or notification.about.get("orientation") != starts.isoformat():
            reasons[notification.pk] = _("The orientation moved.")
        elif now >= starts:
            reasons[notification.pk] = _("The orientation has started.")
    return reasons


def goal_sheet_reminder_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    ids = _ids(notifications, "pairing")
    pairings = Pairing.objects.in_bulk(ids)
    with_goals = set(Goal.objects.filter(pairing_id__in=ids).values_list("pairing_id", flat=True))
    reasons = {}
    for notification in notifications:
        pairing = pairings.get(notification.about.get("pairing"))
        if pairing is None or pairing.status not in (
            Pairing.Status.ANNOUNCED,
            Pairing.Status.ACTIVE,
        ):
            reasons[notification.pk] = _("The pairing is no longer under way.")
        elif pairing.pk in with_goals:
            reasons[notification.pk] = _("The pair has set its goals.")
    return reasons


CONDITIONS = {
    "orientation_reminder": orientation_reminder_holds,
    "goal_sheet_reminder": goal_sheet_reminder_holds,
}
