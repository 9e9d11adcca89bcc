"""Finding 6: two-factor authentication for the people who can see every applicant's data.

With ADMIN_REQUIRES_MFA (DJANGO_ADMIN_REQUIRES_MFA; on by default when DEBUG is off), staff and
committee members open the admin and the reports only once they have an authenticator app (TOTP,
with recovery codes) or a passkey; then every login asks for the code.
"""

import pytest
from django.core.cache import cache

from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.helpers import current_code, emailed_login_code, enrol
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_REQUIRES_MFA = True
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at the end of a 30-second step
    cache.clear()


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


# --- a password alone does not set up a second factor ----------------------------------------


def test_without_a_factor_yet_the_login_also_asks_for_a_code_sent_to_their_email(client, chair):
    """Someone who has learned a chair's password, and nothing else, cannot add an
    authenticator of their own: before the page that sets one up, the login asks for a code
    sent to the chair's email."""
    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)
    response = client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/login/code/confirm/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/login/code/confirm/").content.decode()
    assert "Enter the code we emailed you" in page and chair.email in page
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302
    assert "_auth_user_id" not in client.session

    code = emailed_login_code(chair.email)
    client.post("/accounts/login/code/confirm/", {"code": "AAAA-AAAA" if code[0] != "A" else "B"})
    assert "_auth_user_id" not in client.session
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert "_auth_user_id" in client.session
    assert client.get("/admin/")["Location"] == "/accounts/2fa/"  # now they set one up

    enrol(chair)  # once they have one, the login asks for it instead of an email
    client.logout()
    response = client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_applicants_and_the_demo_log_in_with_the_password_alone(client, chair, settings):
    applicant = UserFactory(verified_email=True)
    response = client.post("/accounts/login/", {"login": applicant.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session, response.get("Location")

    client.logout()
    settings.ADMIN_REQUIRES_MFA = False
    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)
    client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_a_login_code_held_up_past_its_expiry_is_withdrawn_not_sent(client, chair, mailoutbox):
    """The code is good for three minutes; an email a mail server held up longer is not sent."""
    import datetime as dt

    from notifications.delivery import deliver_due
    from notifications.models import Notification

    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)
    client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    code = Notification.objects.get(kind="account-login-code")
    Notification.objects.filter(pk=code.pk).update(
        scheduled_at=code.scheduled_at - dt.timedelta(minutes=4)
    )
    deliver_due()
    code.refresh_from_db()
    assert code.status == Notification.Status.WITHDRAWN
    assert "expired" in code.withdrawn_reason
    assert not mailoutbox

    client.logout()
    client.post("/accounts/login/", {"login": chair.email, "password": PASSWORD})
    deliver_due()  # a fresh one goes out
    assert len(mailoutbox) == 1 and emailed_login_code(chair.email) in mailoutbox[0].body
