"""The registry of still-true conditions: each app names its own by a setting, so the outbox
imports none of them; every kind the release and the planners schedule has one."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.conditions import registry, untrue
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
