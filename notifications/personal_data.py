"""The outbox's part of "Your data" and of deleting an account (accounts.services).

Takes the user object it is given and imports no app, so its section is a plain
(key, title, data) tuple.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Notification
from .services import notification_cancel


def _to(user) -> Q:
    return Q(user=user) | Q(recipient__iexact=user.email)


def section(*, user) -> tuple[str, str, list]:
    rows = Notification.objects.filter(_to(user)).order_by("created_at", "pk")
    return (
        "emails",
        _("Emails we sent you"),
        [
            {
                "subject": n.subject,
                "to": n.recipient,
                "status": n.get_status_display(),
                "created": n.created_at,
                "sent": n.sent_at,
                "text": n.body_text,
            }
            for n in rows
        ],
    )


def erase(*, user) -> None:
    """Cancel what has not gone out, and keep of the rest only that a message was sent."""
    rows = Notification.objects.filter(_to(user))
    notification_cancel(notifications=rows)
    rows.update(recipient=f"deleted-{user.pk}@deleted.invalid", body_text="", body_html="")
