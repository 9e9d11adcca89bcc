"""Two-factor helpers shared by the tests: an authenticator app set up, its current code, and
the login code the site emails."""

import re
import time

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from notifications.models import Notification


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol(user) -> str:
    """An authenticator app set up for `user`; its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def emailed_login_code(email: str) -> str:
    """The code in the last login-code email to `email` (in the outbox)."""
    message = Notification.objects.filter(recipient=email, kind="account-login-code").latest("pk")
    assert message.subject.endswith("Your login code")
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body_text, flags=re.M).group(1)
