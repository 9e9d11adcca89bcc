"""allauth's emails go through the outbox like every other message.

Sign-up confirmations, password resets and the notices allauth sends are rendered by allauth,
then written to the outbox (notifications.services.notification_create) instead of being sent
in the request: with the mail server down, signing up and resetting a password still succeed,
and the message goes out once when the server is back.

This adapter is about sending mail only; mentoring/adapters.py adds the login rule that needs
the committees (settings.ACCOUNT_ADAPTER names that one).
"""

import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

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
