"""Writes of the accounts app: the person's own profile and the deletion of their account.

Apps above accounts keep rows about a person (applications, pairings, goals, surveys, emails).
They are not imported here: each names a function in settings.ACCOUNT_ERASERS, `eraser(*,
user)`, which removes the person's name and contact details from its own rows and keeps what
the association's reports count. user_delete runs them all in one transaction.
"""

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import User
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
