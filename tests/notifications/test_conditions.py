"""The registry of still-true conditions: each app names its own by a setting, so the outbox
imports none of them; every kind the release and the planners schedule has one."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.conditions import key_ids, registry, untrue
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

TWICE = {"pairing-announced": lambda notifications, *, now: {}}


def test_every_scheduled_kind_states_when_it_is_still_true():
    kinds = set(registry())
    assert {
        "pairing-announced",
        "not-matched",
        "application-waitlisted",
        "application-declined",
        "pairing-dissolved",
        "deadline_reminder",
        "orientation_reminder",
        "goal_sheet_reminder",
        "survey-invitation",
        "survey-reminder",
        "survey-last-reminder",
    } <= kinds


def test_two_conditions_for_one_kind_are_refused(settings):
    settings.NOTIFICATION_CONDITIONS = [
        *settings.NOTIFICATION_CONDITIONS,
        "tests.notifications.test_conditions.TWICE",
    ]
    with pytest.raises(ImproperlyConfigured, match="pairing-announced"):
        registry()


def test_a_kind_with_no_condition_is_always_true():
    receipt = NotificationFactory(kind="application_submitted", about={"application": 999})
    assert untrue([receipt], now=receipt.scheduled_at) == {}


def test_key_ids_read_a_messages_ids_from_its_key_reissued_or_not():
    def ids(key, count):
        return key_ids(SimpleNamespace(key=key), count)

    assert ids("pulse-check:12:34:30d", 3) == (12, 34, 30)
    assert ids("call-open:5:7#2", 2) == (5, 7)
    assert ids("pair-nudge:9:10:2026-11-27", 1) == (9,)
    assert ids("pair-nudge:9:10:2026-11-27", 3) == ()
    assert ids("call-open:5", 2) == ()
