"""Writes of the cohorts app: creating and changing a cohort.

Apps above cohorts that must act when a cohort is created (assessment gives it its surveys) do
not listen for a signal: they name a function in settings.COHORT_CREATED_HOOKS, each
`hook(*, cohort) -> object`, which cohort_create runs in its own transaction. So a cohort never
exists without what the hooks make for it, and cohorts imports no app above it.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from notifications.models import Notification
from notifications.services import notifications_recheck

from .models import Cohort, Program


def cohort_create(*, program: Program, **fields: Any) -> Cohort:
    """Create a cohort of `program` from its field values (see cohort_insert)."""
    return cohort_insert(cohort=Cohort(program=program, **fields))


@transaction.atomic
def cohort_insert(*, cohort: Cohort) -> Cohort:
    """Save a new cohort built but not yet saved (the admin's form builds one, and its milestone
    inlines point at that very object), then run every COHORT_CREATED_HOOKS on it.

    All or nothing: a hook that raises rolls the cohort back too.
    """
    if not cohort._state.adding:
        raise ValueError("cohort_insert takes a cohort that is not saved yet.")
    cohort.save(force_insert=True)
    for dotted_path in settings.COHORT_CREATED_HOOKS:
        import_string(dotted_path)(cohort=cohort)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, **fields: Any) -> Cohort:
    """Change the given fields of a saved cohort and write only those.

    The cohort's scheduled messages follow: each COHORT_CHANGED_HOOKS runs (the release moves
    its announcements to a new notification date), then every unsent message of the cohort
    whose condition no longer holds is withdrawn (a reminder of the old deadline or
    orientation date); the planners plan reminders of the new dates on their next run.
    The cohort row is locked first, like every writer of its pairings.
    """
    Cohort.objects.select_for_update(no_key=True).filter(pk=cohort.pk).exists()
    for name, value in fields.items():
        setattr(cohort, name, value)
    if not fields:
        return cohort
    cohort.save(update_fields=list(fields))
    for dotted_path in settings.COHORT_CHANGED_HOOKS:
        import_string(dotted_path)(cohort=cohort, changed=list(fields))
    notifications_recheck(notifications=Notification.objects.filter(cohort=cohort))
    return cohort
