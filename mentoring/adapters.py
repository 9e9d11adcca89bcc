"""allauth's account adapter for this site: accounts' own (its emails go through the outbox),
with the one rule that needs to know who sits on a committee, which accounts cannot.

A password alone does not open the page that sets up a second factor for staff and committees:
whoever logs in as one of them without a factor yet also enters a code sent to their email
(allauth's login-code step), so someone who has only learned their password cannot add an
authenticator of their own and open every applicant's data. Once they have a factor, the login
asks for it instead (mentoring.middleware.RequireMFAMiddleware sends them to set one up).
"""

from allauth.account.internal.flows.login import get_authentication_records
from django.conf import settings

from accounts.adapter import AccountAdapter as OutboxAccountAdapter

from .middleware import requires_second_factor


class AccountAdapter(OutboxAccountAdapter):
    def is_login_by_code_required(self, login) -> bool:
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
