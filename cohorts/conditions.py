"""When the cohorts app's messages are still true (see notifications.conditions).

- "Applications are open" ("call_open") holds while its subscriber has not unsubscribed, the
  cohort still takes applications, and its deadline is still the one the email gives. So does
  "New deadline" ("call_deadline_changed"), its correction after the deadline moved.
- "Call postponed" holds while the address is subscribed and the call opens on the day it gives,
  still ahead; "Call closed early" while the address is subscribed and the call closed on the
  day it gives.
"""

import datetime as dt

from django.utils.translation import gettext as _

from notifications.conditions import about_id

from .models import CallSubscription, Cohort


def _about(notification, name: str) -> int | None:
    """The id in the message's about, or in its key (call-open:<subscription>:<cohort>)."""
    return about_id(notification, name, in_key=("subscription", "cohort").index(name))


def call_open_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    subscriptions = CallSubscription.objects.in_bulk(
        {_about(n, "subscription") for n in notifications} - {None}
    )
    cohorts = Cohort.objects.select_related("program").in_bulk(
        {_about(n, "cohort") for n in notifications} - {None}
    )
    reasons = {}
    for n in notifications:
        subscription = subscriptions.get(_about(n, "subscription"))
        cohort = cohorts.get(_about(n, "cohort"))
        deadline = n.about.get("deadline")
        if subscription is None or subscription.status != CallSubscription.Status.CONFIRMED:
            reasons[n.pk] = _("The address unsubscribed.")
        elif cohort is None or not cohort.is_accepting_applications(now):
            reasons[n.pk] = _("The call for applications is no longer open.")
        elif deadline is not None and deadline != cohort.application_deadline.isoformat():
            reasons[n.pk] = _("The deadline changed.")
    return reasons


def _call_changed_holds(notifications, *, now: dt.datetime, kind: str) -> dict[int, str]:
    subscriptions = CallSubscription.objects.in_bulk(
        {n.about.get("subscription") for n in notifications} - {None}
    )
    cohorts = Cohort.objects.select_related("program").in_bulk(
        {n.about.get("cohort") for n in notifications} - {None}
    )
    reasons = {}
    for n in notifications:
        subscription = subscriptions.get(n.about.get("subscription"))
        cohort = cohorts.get(n.about.get("cohort"))
        if subscription is None or subscription.status != CallSubscription.Status.CONFIRMED:
            reasons[n.pk] = _("The address unsubscribed.")
        elif cohort is None or (n.about.get("opens"), n.about.get("deadline")) != (
            cohort.applications_open.isoformat(),
            cohort.application_deadline.isoformat(),
        ):
            reasons[n.pk] = _("The call's dates changed again.")
        elif kind == "call_postponed" and now >= cohort.applications_open_at:
            reasons[n.pk] = _("The call has opened.")
    return reasons


def call_postponed_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    return _call_changed_holds(notifications, now=now, kind="call_postponed")


def call_closed_early_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    return _call_changed_holds(notifications, now=now, kind="call_closed_early")


CONDITIONS = {
    "call_open": call_open_holds,
    "call_deadline_changed": call_open_holds,
    "call_postponed": call_postponed_holds,
    "call_closed_early": call_closed_early_holds,
}
