"""When allauth's messages are still true (see notifications.conditions).

- A login code ("account-login-code") holds while it can still be entered: allauth refuses it
  LOGIN_BY_CODE_TIMEOUT (three minutes) after it was issued, so an email that a mail server
  held up longer would only send its reader to an error.
"""

import datetime as dt

from allauth.account import app_settings
from django.utils.translation import gettext as _


def login_code_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    expires_after = dt.timedelta(seconds=app_settings.LOGIN_BY_CODE_TIMEOUT)
    return {
        n.pk: _("The code expired before it could be sent; a new login sends a new one.")
        for n in notifications
        if now >= n.scheduled_at + expires_after
    }


CONDITIONS = {"account-login-code": login_code_holds}
