import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_with_email_only_and_confirm_the_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        response = client.post(
            "/accounts/signup/",
            {"email": "New.Person@Example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="new.person@example.org")
    assert not hasattr(user, "username")
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    assert user.emailaddress_set.get().verified


def test_email_is_unique_regardless_of_case(client):
    UserFactory(email="taken@example.org")
    client.post(
        "/accounts/signup/",
        {"email": "TAKEN@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1


def test_log_in_and_out_with_email(client):
    UserFactory(email="member@example.org", verified_email=True)
    response = client.post(
        "/accounts/login/", {"login": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_shows_an_error_and_keeps_the_email(client):
    UserFactory(email="member@example.org")
    response = client.post("/accounts/login/", {"login": "member@example.org", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "not correct" in page
    assert 'value="member@example.org"' in page


def test_password_reset_sends_a_link_that_works(client, django_capture_on_commit_callbacks):
    UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        client.post("/accounts/password/reset/", {"email": "member@example.org"})
    assert len(mail.outbox) == 1
    path = re.search(r"testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_path, {"password1": "n3w-Passw0rd!x", "password2": "n3w-Passw0rd!x"}
    )
    assert response.status_code == 302
    assert client.login(email="member@example.org", password="n3w-Passw0rd!x")
