"""Writes of the cohorts app: creating and changing a cohort.

Apps above cohorts that must act when a cohort is created (assessment gives it its surveys) do
not listen for a signal: they name a function in settings.COHORT_CREATED_HOOKS, each
`hook(*, cohort) -> object`, which cohort_create runs in its own transaction. So a cohort never
exists without what the hooks make for it, and cohorts imports no app above it.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.services import privilege_change_record

from . import permissions
from .models import Cohort, CommitteeMembership, Program


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

    Runs no hooks: no app keeps anything derived from a cohort's values (its phase is computed
    from the dates, and the planners read the dates each time they run).
    """
    for name, value in fields.items():
        setattr(cohort, name, value)
    if fields:
        cohort.save(update_fields=list(fields))
    return cohort


def _committee_role(membership: CommitteeMembership | None) -> str:
    return membership.get_role_display() if membership is not None else "none"


@transaction.atomic
def committee_membership_save(
    *, membership: CommitteeMembership, changed_by
) -> CommitteeMembership:
    """Appoint someone to a program's committee, or change their role; staff only. Recorded in
    the privilege trail (a committee seat opens the program's applications)."""
    if not permissions.is_staff(changed_by):
        raise PermissionDenied(_("Only association staff appoint committees."))
    before = None
    if membership.pk:
        before = (
            CommitteeMembership.objects.select_for_update()
            .select_related("user", "program")
            .filter(pk=membership.pk)
            .first()
        )
    membership.full_clean()
    membership.save()
    if before is not None and (before.user_id, before.program_id) != (
        membership.user_id,
        membership.program_id,
    ):
        # The seat moved to another person or program: the old one ends.
        _record_committee_change(before, changed_by, before=_committee_role(before), after="none")
        before = None
    if before is None or before.role != membership.role:
        _record_committee_change(
            membership,
            changed_by,
            before=_committee_role(before),
            after=_committee_role(membership),
        )
    return membership


@transaction.atomic
def committee_membership_remove(*, membership: CommitteeMembership, changed_by) -> None:
    """Take someone off a program's committee; staff only. Recorded in the privilege trail."""
    if not permissions.is_staff(changed_by):
        raise PermissionDenied(_("Only association staff appoint committees."))
    _record_committee_change(
        membership, changed_by, before=_committee_role(membership), after="none"
    )
    membership.delete()


def _record_committee_change(membership, changed_by, *, before: str, after: str) -> None:
    privilege_change_record(
        user=membership.user,
        changed_by=changed_by,
        what=f"committee of {membership.program.short_name or membership.program.name}",
        before=before,
        after=after,
    )
