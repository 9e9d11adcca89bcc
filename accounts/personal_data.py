"""Everything the product holds about a person, for "Download your data".

Each app that keeps rows about people names a function in settings.PERSONAL_DATA_SECTIONS,
`section(*, user) -> Section`; this module asks them all, in order, and never imports them.
A section's data is plain JSON: dicts, lists, strings, numbers, booleans and None.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import User


@dataclass
class Section:
    key: str
    title: str
    data: Any  # JSON: a dict (one thing) or a list of dicts (many)


def plain(value: Any) -> Any:
    """A value as JSON can hold it: datetimes as ISO 8601 in UTC, dates as ISO dates."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def account_section(*, user: User) -> Section:
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return Section(
        "account",
        _("Your account"),
        {
            "email": user.email,
            "full_name": user.full_name,
            "pronouns": user.pronouns,
            "job_title": user.job_title,
            "employer": user.employer,
            "time_zone": user.time_zone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
            ],
        },
    )


def personal_data(*, user: User) -> list[Section]:
    """Every section, in settings order, its data made plain (see `plain`). A provider returns
    a Section or a (key, title, data) tuple (the outbox, which imports no app, returns a
    tuple)."""
    sections = []
    for path in settings.PERSONAL_DATA_SECTIONS:
        found = import_string(path)(user=user)
        if not isinstance(found, tuple):
            found = (found.key, found.title, found.data)
        key, title, data = found
        sections.append(Section(key, str(title), plain(data)))
    return sections


def personal_data_document(*, user: User) -> dict:
    """The JSON download: every section under its key, with when and for whom it was made."""
    return {
        "site": settings.SITE_NAME,
        "made_at": plain(timezone.now()),
        "sections": {s.key: {"title": s.title, "data": s.data} for s in personal_data(user=user)},
    }
