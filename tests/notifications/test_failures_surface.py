"""A permanent SMTP failure no longer waits silently (issue 14, finding 8): it shows on the
cohort's committee pages (tests/matching/test_scheduled_emails.py) and in a daily digest to
staff, with the server's reply and a one-click retry."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import deliver_due
from notifications.models import Notification
from notifications.planners import plan_failure_digest
from notifications.services import email_html
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

REPLY = "550 5.1.1 <lou@example.org>: Recipient address rejected"


class RejectsLou:
    """A mail server that answers 550 for one address and accepts the rest."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            if "lou@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"lou@example.org": (550, REPLY.encode())})
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def failed(settings, program):
    settings.EMAIL_BACKEND = "tests.notifications.test_failures_surface.RejectsLou"
    cohort = CohortFactory(program=program, phase="matching")
    notification = NotificationFactory(
        cohort=cohort, recipient="lou@example.org", subject="Meet your mentor"
    )
    deliver_due()
    notification.refresh_from_db()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return notification


def test_a_permanent_failure_reaches_the_staff_digest_with_the_reply_and_a_retry_link(
    failed, staff_user, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    assert failed.status == Notification.Status.FAILED
    UserFactory(email="volunteer@example.org")  # not staff: no digest
    # Noon where the site is: three hours on is the same day whenever the test runs (from
    # timezone.now(), between 9 p.m. and midnight in Chicago, it was the next day).
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)

    assert plan_failure_digest(now=now) == 1
    assert plan_failure_digest(now=now + dt.timedelta(hours=3)) == 0  # once a day

    digest = Notification.objects.get(kind="failure-digest")
    assert digest.recipient == staff_user.email
    assert "1 email could not be delivered" in digest.body_text
    assert "Meet your mentor" in digest.body_text and "lou@example.org" in digest.body_text
    assert "Recipient address rejected" in digest.body_text
    retry = reverse("admin:notifications_notification_retry", args=[failed.pk])
    assert f"https://mentoring.example.org{retry}" in digest.body_text


def test_the_digest_says_why_staff_receive_it_not_that_they_take_part_in_a_program(
    failed, staff_user
):
    plan_failure_digest(now=timezone.now())

    digest = Notification.objects.get(kind="failure-digest")
    html = email_html(digest)
    reason = "You receive this email as association staff, on each day an email could not be sent"
    for part in (digest.body_text, html):
        assert reason in " ".join(part.split())
        assert "take part in, or applied to" not in part


def test_no_digest_when_nothing_failed(staff_user):
    NotificationFactory(status="sent")
    assert plan_failure_digest(now=timezone.now()) == 0
    assert not Notification.objects.filter(kind="failure-digest").exists()


def test_the_retry_link_shows_the_reply_and_one_click_sends_it_again(
    client, failed, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    url = reverse("admin:notifications_notification_retry", args=[failed.pk])

    page = client.get(url).content.decode()
    assert "Recipient address rejected" in page
    assert "Send it again" in page
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert [m.to for m in mail.outbox] == [["lou@example.org"]]


def test_the_retry_link_is_404_to_another_programs_committee(client, failed, other_chair):
    client.force_login(other_chair)
    url = reverse("admin:notifications_notification_retry", args=[failed.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED
