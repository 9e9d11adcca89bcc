"""allauth's emails go through the outbox: sign-up and password reset succeed with SMTP down,
and each message is delivered once when the server is back."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.services import notification_retry
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


class SmtpDown(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_adapter.SmtpDown"


def smtp_back(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The backoff put the row a minute ahead; the next tick after it delivers it.
    deliver_due()
    Notification.objects.filter(status=Notification.Status.PENDING).update(
        scheduled_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    deliver_due()


def test_sign_up_succeeds_with_smtp_down_and_the_confirmation_goes_out_once_later(
    client, smtp_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new.member@example.org",
                "password1": "a-Str0ng-sign-up-password",
                "password2": "a-Str0ng-sign-up-password",
            },
        )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="new.member@example.org").exists()
    message = Notification.objects.get(recipient="new.member@example.org")
    assert message.kind == "account-email-confirmation-signup"
    assert message.status == Notification.Status.PENDING and message.attempts == 1
    assert "Connection refused" in message.last_error
    assert "/accounts/confirm-email/" in message.body_text

    smtp_back(settings)
    smtp_back(settings)  # a second tick sends nothing twice

    assert [m.to for m in mail.outbox] == [["new.member@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == Notification.Status.SENT


def test_password_reset_succeeds_with_smtp_down_and_the_link_goes_out_once_later(
    client, smtp_down, settings, django_capture_on_commit_callbacks
):
    UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    message = Notification.objects.get(recipient="member@example.org")
    assert message.kind == "account-password-reset-key"
    assert message.user.email == "member@example.org"

    smtp_back(settings)
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_failed_account_email_can_be_retried_like_any_other(
    client, settings, django_capture_on_commit_callbacks
):
    UserFactory(email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "member@example.org"})
    message = Notification.objects.get()
    assert message.status == Notification.Status.SENT
    assert notification_retry(notifications=Notification.objects.all()) == 0  # never twice
