import datetime as dt
import io
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cohorts.models import Program
from notifications.models import Notification
from notifications.planning import preview_planners, run_planners
from notifications.services import (
    email_html,
    notification_cancel,
    notification_create,
    notification_retry,
    render_email,
)
from tests.conftest import free_port
from tests.notifications.conftest import use_broker
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """The test runs in a transaction: `with commit():` runs on-commit callbacks as a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def templates(tmp_path, settings):
    folder = tmp_path / "tests_emails"
    folder.mkdir()
    (folder / "welcome.txt").write_text(
        "Welcome to {{ program_name }}, {{ name }}\n\n"
        "Hello {{ name }},\n\nSee your cohort at {{ SITE_URL }}/cohorts/core-2031/.\n"
    )
    (folder / "styled.txt").write_text("Styled {{ name }}\n\nHello {{ name }}.\n")
    (folder / "styled.html").write_text(
        '{% extends "notifications/emails/base.html" %}{% block body %}'
        '<p>Hello {{ name }}, <a href="{{ SITE_URL }}/cohorts/">your cohort</a>.</p>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]
    settings.SITE_URL = "https://mentoring.example.org"


def create(key="welcome:1", **kwargs):
    return notification_create(
        key=key,
        kind="welcome",
        to="ann@example.org",
        template="tests_emails/welcome",
        context={"name": "Ann & Bo", "program_name": "Core Mentoring Program"},
        **kwargs,
    )


# --- the look -----------------------------------------------------------------------------


def test_render_email_puts_the_program_name_and_absolute_links_in_both_versions():
    subject, text, html = render_email(
        template="tests_emails/welcome",
        context={"name": "Ann & Bo", "program_name": "Core Mentoring Program"},
    )
    assert subject == "Welcome to Core Mentoring Program, Ann & Bo"
    assert "Hello Ann & Bo," in text  # plain text is not escaped
    assert "https://mentoring.example.org/cohorts/core-2031/" in text
    assert text.rstrip().endswith("a mentoring program.")
    assert "Core Mentoring Program\nhttps://mentoring.example.org/" in text  # the footer
    assert html == ""  # no HTML template: the house layout is drawn from the text when sent
    html = email_html(Notification(subject=subject, body_text=text))
    assert "Core Mentoring Program" in html
    assert "Hello Ann &amp; Bo" in html
    assert 'href="https://mentoring.example.org/cohorts/core-2031/"' in html


def test_an_html_template_extends_the_base_layout():
    _subject, _text, html = render_email(
        template="tests_emails/styled", context={"name": "<b>Ann</b>", "program_name": "ALSC"}
    )
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html
    assert 'href="https://mentoring.example.org/cohorts/"' in html
    assert ">ALSC</p>" in html


# --- creating -----------------------------------------------------------------------------


def test_one_transaction_enqueues_one_delivery_task_for_all_its_messages(commit):
    with mock.patch("notifications.tasks.deliver_notifications_task.delay") as delay:
        with commit(), transaction.atomic():
            first, _ = create("welcome:1")
            second, _ = create("welcome:2")
            third, _ = create("welcome:3")
        assert delay.call_count == 1
        assert delay.call_args.args == ([first.pk, second.pk, third.pk],)


def test_a_message_scheduled_later_is_not_enqueued_now(commit):
    with mock.patch("notifications.tasks.deliver_notifications_task.delay") as delay:
        with commit(), transaction.atomic():
            create(scheduled_at=timezone.now() + dt.timedelta(days=1))
        assert delay.call_count == 0


def test_an_unreachable_broker_never_fails_the_caller_and_the_tick_sends_it(commit):
    use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        started = time.monotonic()
        with commit() as callbacks, transaction.atomic():
            notification, created = create()
        assert len(callbacks) == 1  # delivery was requested, and could not be enqueued
        assert created
        assert time.monotonic() - started < 3
    finally:
        use_broker("memory://", eager=True)
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.PENDING
    assert mail.outbox == []

    call_command("tick", stdout=io.StringIO())

    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_retry_sends_failed_messages_again_and_leaves_sent_ones_alone(commit):
    failed = NotificationFactory(status="failed", attempts=1, last_error="550 no such user")
    sent = NotificationFactory(status="sent")

    with commit():
        count = notification_retry(notifications=Notification.objects.all())

    assert count == 1
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT  # eager here: delivered on commit
    assert failed.attempts == 1
    assert [m.to for m in mail.outbox] == [[failed.recipient]]
    sent.refresh_from_db()
    assert sent.status == Notification.Status.SENT


def test_cancel_stops_unsent_messages_only():
    pending = NotificationFactory(scheduled_at=timezone.now() + dt.timedelta(days=1))
    sent = NotificationFactory(status="sent")
    assert notification_cancel(notifications=Notification.objects.all()) == 1
    pending.refresh_from_db()
    sent.refresh_from_db()
    assert (pending.status, sent.status) == ("cancelled", "sent")


# --- planners -----------------------------------------------------------------------------


def plan_welcomes(*, now) -> int:
    """A planner that also changes something else, as real ones do."""
    Program.objects.create(name="Made by the planner", short_name="MBP", slug="made-by-planner")
    created = 0
    for number in range(2):
        _notification, new = create(f"planned-welcome:{number}")
        created += new
    return created


def plan_nothing_but_fail(*, now) -> int:
    raise RuntimeError("the planner broke")


PLANNERS = [f"{__name__}.plan_nothing_but_fail", f"{__name__}.plan_welcomes"]


def test_a_dry_run_shows_what_planners_would_send_and_changes_nothing(settings):
    settings.NOTIFICATION_PLANNERS = PLANNERS
    create("planned-welcome:1")  # already created by an earlier tick
    mail.outbox.clear()

    failing, welcomes = preview_planners()

    assert "the planner broke" in failing.error
    assert [m.notification.key for m in welcomes.new_messages] == ["planned-welcome:0"]
    assert welcomes.existing_count == 1
    assert welcomes.new_messages[0].notification.subject.startswith("Welcome to Core")
    assert Notification.objects.count() == 1
    assert not Program.objects.filter(slug="made-by-planner").exists()
    assert mail.outbox == []


def test_run_planners_goes_on_after_a_failing_planner_and_is_idempotent(settings, commit):
    settings.NOTIFICATION_PLANNERS = PLANNERS
    with commit():
        assert run_planners() == {PLANNERS[0]: -1, PLANNERS[1]: 2}
    Program.objects.filter(slug="made-by-planner").delete()
    with commit():
        assert run_planners()[PLANNERS[1]] == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_tick_runs_the_planners_and_delivers(settings, capsys, commit):
    settings.NOTIFICATION_PLANNERS = [PLANNERS[1]]
    call_command("tick", "--dry-run")
    assert "planned-welcome:0 → ann@example.org" in capsys.readouterr().out
    assert Notification.objects.count() == 0

    with commit():
        call_command("tick")
    out = capsys.readouterr().out
    assert f"{PLANNERS[1]}: 2 created" in out
    assert Notification.objects.filter(status="sent").count() == 2
