"""Finding 6: two-factor authentication for the people who can see every applicant's data.

With ADMIN_REQUIRES_MFA (DJANGO_ADMIN_REQUIRES_MFA; on by default when DEBUG is off), staff and
committee members open the admin and the reports only once they have an authenticator app (TOTP,
with recovery codes) or a passkey; then every login asks for the code.
"""

import time

import pytest
from django.core.cache import cache

from tests.accounts.factories import PASSWORD, UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_REQUIRES_MFA = True
    cache.clear()


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol(user) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("who", ["chair", "member", "staff_user"])
def test_privileged_people_set_up_a_second_factor_before_the_admin_or_reports_open(
    client, request, who, program
):
    person = request.getfixturevalue(who)
    client.force_login(person)
    for url in ("/admin/", "/admin/applications/application/", "/reports/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/2fa/", url
    assert "Set up two-factor authentication" in client.get("/accounts/2fa/").content.decode()

    enrol(person)
    assert client.get("/admin/").status_code == 200


def test_a_superuser_too(client):
    root = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"


def test_everyone_else_is_untouched_and_may_opt_in(client):
    applicant = ApplicationFactory().applicant
    client.force_login(applicant)
    assert client.get("/my/applications/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200  # optional for everyone
    assert client.get("/admin/").status_code == 302  # to the login, as before
    assert client.get("/admin/")["Location"] != "/accounts/2fa/"


def test_the_login_asks_for_the_code_once_a_factor_is_set_up(client, chair):
    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)
    secret = enrol(chair)

    response = client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert "_auth_user_id" in client.session
    assert client.get("/admin/").status_code == 200


def test_the_demo_with_debug_on_does_not_require_it(client, chair, settings):
    settings.ADMIN_REQUIRES_MFA = False
    client.force_login(chair)
    assert client.get("/admin/").status_code == 200
