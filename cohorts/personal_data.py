"""The cohorts app's part of "Your data" and of deleting an account (see accounts.services)."""

from django.utils.translation import gettext as _

from accounts.personal_data import Section

from .models import CallSubscription, CommitteeMembership


def _addresses(user) -> set[str]:
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()}
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    emails.update(address.lower() for address in addresses)
    return emails


def section(*, user) -> Section:
    subscriptions = CallSubscription.objects.filter(email__in=_addresses(user)).select_related(
        "program"
    )
    memberships = CommitteeMembership.objects.filter(user=user).select_related("program")
    return Section(
        "programs",
        _("Calls you asked to hear about, and committees"),
        {
            "call_subscriptions": [
                {
                    "program": s.program.name,
                    "email": s.email,
                    "status": s.get_status_display(),
                    "asked": s.created_at,
                    "confirmed": s.confirmed_at,
                    "last_told": s.notified_at,
                }
                for s in subscriptions
            ],
            "committees": [
                {"program": m.program.name, "role": m.get_role_display()} for m in memberships
            ],
        },
    )


def erase(*, user) -> None:
    """Forget the person's "Tell me when applications open" requests (their addresses)."""
    CallSubscription.objects.filter(email__in=_addresses(user)).delete()
