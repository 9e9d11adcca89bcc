"""allauth's emails go through the outbox like every other message.

Sign-up confirmations, password resets and the notices allauth sends are rendered by allauth,
then written to the outbox (notifications.services.notification_create) instead of being sent
in the request: with the mail server down, signing up and resetting a password still succeed,
and the message goes out once when the server is back.

It also asks for a code sent by email at the login of someone who must set up a second factor
and has none yet (settings.ACCOUNT_ADAPTER names this adapter).
"""

import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from mentoring.middleware import requires_second_factor
from notifications.services import notification_create


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message as allauth does, and queue it in the outbox.

        The key is derived from the message itself, so a retry of the same request queues
        nothing twice, while a second request (a new reset link) is a new message.
        """
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        text, html = message.body, ""
        if getattr(message, "content_subtype", "plain") == "html":
            text, html = "", message.body
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        name = template_prefix.rsplit("/", 1)[-1]
        digest = hashlib.sha256(f"{email}\n{message.subject}\n{text}{html}".encode()).hexdigest()
        user = context.get("user")
        notification_create(
            key=f"account:{name}:{digest[:40]}",
            kind=f"account-{name.replace('_', '-')}",
            to=email,
            rendered=(message.subject, text or html, html),
            user=user if getattr(user, "pk", None) else None,
        )

    def is_login_by_code_required(self, login) -> bool:
        """A password alone does not open the page that sets up a second factor for staff and
        committees: whoever logs in as one of them without a factor yet also enters a code
        sent to their email (allauth's login-code step), so someone who has only learned
        their password cannot add an authenticator of their own and open the admin.
        Once they have a factor, the login asks for it instead."""
        if super().is_login_by_code_required(login):
            return True
        records = get_authentication_records(self.request, login.user)
        if records and records[-1]["method"] == "code":
            return False  # this login's code is entered
        return bool(
            settings.ADMIN_REQUIRES_MFA
            and login.user is not None
            and requires_second_factor(login.user)
        )
