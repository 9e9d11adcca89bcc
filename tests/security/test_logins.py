"""Finding 5: one login, rate-limited on every path, that does not reveal who has an account.

`/admin/login/` hands over to the site's login (so chairs and members can use it) and returns
to the admin; failed attempts are limited per address and per account, and a stranger's wrong
passwords hold the real owner back for at most a minute; sign-up, login and password reset
answer the same whether or not an account exists.
"""

import time
import types
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache

from notifications.delivery import deliver_due
from tests.accounts.factories import PASSWORD, UserFactory
from tests.security.helpers import page_without_csrf_token

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    return UserFactory(email="owner@example.org", verified_email=True)


def log_in(client, email, password, ip="10.0.0.1", url=LOGIN):
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def later(seconds: float):
    """allauth's rate limiter, `seconds` from now (its history is a list of times)."""
    real = time.time
    shifted = types.SimpleNamespace(
        time=lambda: real() + seconds, monotonic=time.monotonic, sleep=time.sleep
    )
    return mock.patch("allauth.core.internal.ratelimit.time", shifted)


def test_a_chair_logs_in_at_the_admin_and_lands_on_the_admin_page_asked_for(client, chair):
    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)

    response = client.get("/admin/login/?next=/admin/cohorts/cohort/")
    assert response.status_code == 302
    site_login = response["Location"]
    assert site_login.startswith(LOGIN)

    response = client.post(site_login, {"login": chair.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/admin/cohorts/cohort/"
    assert client.get("/admin/cohorts/cohort/").status_code == 200


def test_the_admin_login_never_checks_a_password_itself(client, staff_user):
    for _attempt in range(25):
        client.post("/admin/login/", {"username": staff_user.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": staff_user.email, "password": PASSWORD})
    assert not logged_in(client)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_wrong_passwords_from_one_address_are_limited_even_before_the_right_one(client, owner):
    for _attempt in range(10):
        log_in(client, owner.email, "wrong", ip="10.0.0.9")
    response = log_in(client, owner.email, PASSWORD, ip="10.0.0.9")
    assert not logged_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_strangers_wrong_passwords_hold_the_owner_back_a_minute_at_most(client, owner):
    for attempt in range(10):
        log_in(client, owner.email, "wrong", ip=f"192.0.2.{attempt}")

    with later(61):
        response = log_in(client, owner.email, PASSWORD, ip="198.51.100.7")

    assert response.status_code == 302, response.content.decode()[:500]
    assert logged_in(client)


def test_the_account_limit_still_stops_a_spread_out_attack(client, owner):
    for attempt in range(10):
        log_in(client, owner.email, "wrong", ip=f"192.0.2.{attempt}")
    log_in(client, owner.email, PASSWORD, ip="198.51.100.7")
    assert not logged_in(client)


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(client, owner):
    def sign_up(email):
        response = client.post(
            "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        )
        client.logout()
        return response

    taken, free = sign_up("OWNER@example.org"), sign_up("nobody.yet@example.org")

    assert (taken.status_code, taken.get("Location")) == (free.status_code, free.get("Location"))
    assert "already" not in taken.content.decode()
    # The owner of the taken address is told by email instead; the page said nothing.
    deliver_due()  # allauth's emails travel through the outbox
    to_owner = [m for m in mail.outbox if m.to == ["owner@example.org"]]
    assert len(to_owner) == 1


def test_login_and_password_reset_answer_the_same_for_unknown_addresses(client, owner):
    known = page_without_csrf_token(log_in(client, owner.email, "wrong", ip="10.1.0.1"))
    unknown = page_without_csrf_token(log_in(client, "nobody@example.org", "wrong", ip="10.1.0.2"))
    assert known.replace(owner.email, "X") == unknown.replace("nobody@example.org", "X")

    resets = [
        client.post("/accounts/password/reset/", {"email": email})
        for email in (owner.email, "nobody@example.org")
    ]
    assert [r.status_code for r in resets] == [302, 302]
    assert resets[0]["Location"] == resets[1]["Location"]
