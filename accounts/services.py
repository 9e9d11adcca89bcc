"""Every write of the accounts app that concerns privileges: each change is in the audit trail."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import PrivilegeChange, User
from .privileges import may_edit_user, may_grant_privileges

# The flags a change of which is a change of privilege, with the words the trail uses.
AUDITED_FLAGS = {
    "is_superuser": "superuser",
    "is_staff": "admin access",
    "is_association_staff": "association staff",
    "is_active": "active",
}
GRANTED_ONLY_BY_SUPERUSERS = ("is_superuser", "is_staff", "is_association_staff")


def _yes_no(value) -> str:
    return "yes" if value else "no"


def privilege_change_record(
    *, user: User, changed_by: User | None, what: str, before: str, after: str
) -> PrivilegeChange:
    """Write one line of the privilege trail (call it in the transaction of the change)."""
    return PrivilegeChange.objects.create(
        user=user,
        user_email=user.email,
        changed_by=changed_by,
        changed_by_email=changed_by.email if changed_by else "",
        what=what,
        before=before,
        after=after,
    )


@transaction.atomic
def user_update(*, user: User, changed_by: User, **fields) -> User:
    """Change a person's profile, activity or privilege flags as `changed_by` may.

    Refuses (PermissionDenied) a change to a superuser by anyone but a superuser, and a change
    of superuser, admin-access or association-staff status by anyone but a superuser. Every
    change of a flag in AUDITED_FLAGS is recorded with its before and after.
    """
    current = User.objects.select_for_update().get(pk=user.pk)
    if not may_edit_user(changed_by, current):
        raise PermissionDenied(_("Only a superuser may change a superuser."))
    changed = {name for name, value in fields.items() if getattr(current, name) != value}
    if changed & set(GRANTED_ONLY_BY_SUPERUSERS) and not may_grant_privileges(changed_by):
        raise PermissionDenied(_("Only a superuser may grant or remove privileges."))
    for name in changed:
        setattr(current, name, fields[name])
    current.full_clean(exclude=["password"])
    current.save()
    for name in sorted(changed & set(AUDITED_FLAGS)):
        privilege_change_record(
            user=current,
            changed_by=changed_by,
            what=AUDITED_FLAGS[name],
            before=_yes_no(not fields[name]),
            after=_yes_no(fields[name]),
        )
    return current


def user_permission_sets_record(
    *, user: User, changed_by: User, before: dict[str, set[str]], after: dict[str, set[str]]
) -> None:
    """Record a change of a person's Django groups or permissions (by a superuser)."""
    if not may_grant_privileges(changed_by):
        raise PermissionDenied(_("Only a superuser may grant or remove privileges."))
    for what, old in before.items():
        new = after[what]
        if old != new:
            privilege_change_record(
                user=user,
                changed_by=changed_by,
                what=what,
                before=", ".join(sorted(old)) or "none",
                after=", ".join(sorted(new)) or "none",
            )
