"""Writes of the accounts app: the person's own profile, the deletion of their account, and
every change of privilege (each in the audit trail, PrivilegeChange).

Apps above accounts keep rows about a person (applications, pairings, goals, surveys, emails).
They are not imported here: each names a function in settings.ACCOUNT_ERASERS, `eraser(*,
user)`, which removes the person's name and contact details from its own rows and keeps what
the association's reports count. user_delete runs them all in one transaction.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import PrivilegeChange, User
from .privileges import may_edit_user, may_grant_privileges
from .timezones import zone_from_name

# What a deleted account's email becomes: unique, never deliverable (.invalid, RFC 2606).
DELETED_EMAIL = "deleted-{pk}@deleted.invalid"


def user_update_time_zone(*, user: User, time_zone: str) -> User:
    """Set (or clear, with "") the zone the person reads dates in."""
    if time_zone and zone_from_name(time_zone) is None:
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user


def deletion_refusal(user: User) -> str:
    """Why this account cannot delete itself here (empty when it can)."""
    if user.is_staff or user.is_superuser or user.is_association_staff:
        return _(
            "Your account has admin access. Ask another administrator to remove that access "
            "first; then you can delete your account here."
        )
    if user.committee_memberships.exists():
        return _(
            "You serve on a program committee. Ask association staff to take you off the "
            "committee first; then you can delete your account here."
        )
    return ""


@transaction.atomic
def user_delete(*, user: User, now: dt.datetime | None = None) -> User:
    """Delete the person's account: they can no longer log in, and nothing left names them.

    Applications, pairings, goals, attendance and survey answers stay, without name or contact
    details, so the association's reports keep their counts; every app does its part through
    settings.ACCOUNT_ERASERS. The User row stays as an anonymous stub because those rows point
    at it. Refuses admin and committee accounts (see deletion_refusal). Idempotent.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if refusal := deletion_refusal(user):
        raise ValidationError(refusal)
    for dotted_path in settings.ACCOUNT_ERASERS:
        import_string(dotted_path)(user=user)
    _forget_logins(user)
    user.email = DELETED_EMAIL.format(pk=user.pk)
    user.full_name = ""
    user.pronouns = ""
    user.job_title = ""
    user.employer = ""
    user.time_zone = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()  # also ends every session: their auth hash no longer matches
    user.save()
    return user


def _forget_logins(user: User) -> None:
    """allauth's addresses, and the MFA authenticators when allauth.mfa is installed."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.mfa"):
        apps.get_model("mfa", "Authenticator").objects.filter(user=user).delete()
    if apps.is_installed("allauth.usersessions"):
        apps.get_model("usersessions", "UserSession").objects.filter(user=user).delete()


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
