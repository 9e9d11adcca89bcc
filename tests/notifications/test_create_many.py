"""notifications_create_many: the outbox's keyed create for many messages in one statement,
with the single create's contract (issue 18)."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    notification_create,
    notifications_collected,
    notifications_create_many,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def template(tmp_path, settings):
    folder = tmp_path / "tests_emails"
    folder.mkdir()
    (folder / "hello.txt").write_text("Hello {{ name }}\n\nDear {{ name }},\n\nWelcome.\n")
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]


def messages(count: int, *, prefix: str = "hello", **extra) -> list[dict]:
    return [
        {
            "key": f"{prefix}:{n}",
            "kind": "hello",
            "to": f"person{n}@example.org",
            "template": "tests_emails/hello",
            "context": {"name": f"Person {n}", "program_name": "Core"},
            "about": {"application": n},
            **extra,
        }
        for n in range(count)
    ]


def statements(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_create_many_takes_the_same_statements_for_5_and_50_messages():
    small = statements(lambda: notifications_create_many(messages=messages(5, prefix="a")))
    large = statements(lambda: notifications_create_many(messages=messages(50, prefix="b")))

    assert small == large <= 2
    assert Notification.objects.count() == 55


def test_create_many_writes_what_the_single_create_writes_and_says_what_it_created():
    results = notifications_create_many(messages=messages(3))
    single, _created = notification_create(**messages(4, prefix="one")[3])

    assert [created for _n, created in results] == [True, True, True]
    row = Notification.objects.get(key="hello:2")
    assert row.pk == results[2][0].pk
    assert row.subject == "Hello Person 2" and "Dear Person 2," in row.body_text
    assert row.body_text.replace("Person 2", "Person 3") == single.body_text
    assert row.recipient == "person2@example.org" and row.about == {"application": 2}
    assert row.status == Notification.Status.PENDING


def test_create_many_twice_creates_nothing_twice_and_renders_nothing_again():
    first = notifications_create_many(messages=messages(4))
    with mock.patch("notifications.services.render_email") as render:
        again = notifications_create_many(messages=messages(4) + messages(4))

    render.assert_not_called()
    assert [created for _n, created in again] == [False] * 8
    assert [n.pk for n, _c in again[:4]] == [n.pk for n, _c in first]
    assert Notification.objects.count() == 4


def test_a_key_given_twice_in_one_call_is_created_once():
    results = notifications_create_many(messages=messages(2) + messages(1))

    assert [created for _n, created in results] == [True, True, False]
    assert results[2][0].pk == results[0][0].pk
    assert Notification.objects.count() == 2


def test_create_many_reissues_withdrawn_messages_like_the_single_create():
    notifications_create_many(messages=messages(3), reissue=True)
    Notification.objects.filter(key__in=["hello:0", "hello:1"]).update(
        status=Notification.Status.WITHDRAWN
    )

    results = notifications_create_many(messages=messages(3), reissue=True)
    again = notifications_create_many(messages=messages(3), reissue=True)

    assert [(n.key, created) for n, created in results] == [
        ("hello:0#2", True),
        ("hello:1#2", True),
        ("hello:2", False),
    ]
    assert [created for _n, created in again] == [False, False, False]
    assert [n.key for n, _c in again] == ["hello:0#2", "hello:1#2", "hello:2"]
    assert notification_create(**messages(1)[0], reissue=True)[0].key == "hello:0#2"


def test_one_delivery_task_after_commit_for_the_due_messages_only(
    django_capture_on_commit_callbacks,
):
    later = timezone.now() + dt.timedelta(days=3)
    with (
        mock.patch("notifications.services.request_delivery") as deliver,
        django_capture_on_commit_callbacks(execute=True),
    ):
        due = notifications_create_many(messages=messages(3))
        notifications_create_many(messages=messages(2, prefix="later", scheduled_at=later))

    deliver.assert_called_once()
    assert sorted(deliver.call_args.kwargs["notification_ids"]) == sorted(n.pk for n, _c in due)


def test_a_dry_run_collects_and_writes_nothing():
    notifications_create_many(messages=messages(1))
    with notifications_collected() as collected:
        results = notifications_create_many(messages=messages(3))

    assert [created for _n, created in results] == [False, True, True]
    assert [planned.already_exists for planned in collected] == [True, False, False]
    assert collected[2].notification.subject == "Hello Person 2"
    assert Notification.objects.count() == 1
