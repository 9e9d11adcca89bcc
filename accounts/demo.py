"""Demo data of the accounts app: the demo's fictional people have confirmed their addresses.

The site asks every new account to confirm its email before the first login
(ACCOUNT_EMAIL_VERIFICATION = "mandatory"); the demo's accounts, all at example.org (a domain
no one receives mail at), are marked confirmed so that the printed logins work at once.
Runs last in settings.DEMO_SEEDERS.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

DEMO_DOMAIN = "@example.org"


def seed() -> list[str]:
    User = get_user_model()
    unconfirmed = User.objects.filter(email__iendswith=DEMO_DOMAIN).exclude(
        emailaddress__verified=True
    )
    EmailAddress.objects.filter(user__in=unconfirmed).delete()
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in unconfirmed
    )
    return []
