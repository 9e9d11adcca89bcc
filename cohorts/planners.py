"""Scheduled emails of the cohorts app (run by the beat, see settings.NOTIFICATION_PLANNERS)."""

import datetime as dt

from .models import CallSubscription, Cohort
from .services import call_open_notify


def plan_call_open_notices(*, now: dt.datetime) -> int:
    """When a cohort's call for applications has opened, tell the program's subscribers.

    "Opens" is the start of the applications_open day in the program's zone, not the moment the
    cohort was created: a cohort entered in the admin months ahead tells nobody until its call
    opens, and one entered after its call opened tells them at the next tick. Only while the
    call is open: a subscriber is never told of a call that has already closed.
    """
    waiting = set(CallSubscription.objects.waiting().values_list("program_id", flat=True))
    if not waiting:
        return 0
    candidates = Cohort.objects.filter(
        program_id__in=waiting,
        applications_open__lte=now.date() + dt.timedelta(days=1),
        applications_close__gte=now.date() - dt.timedelta(days=1),
    ).order_by("applications_close")
    created = 0
    for cohort in candidates:
        if cohort.is_accepting_applications(now):
            created += call_open_notify(cohort=cohort, now=now)
    return created
