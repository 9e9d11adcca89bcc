"""The demo's match health (participants/health/demo.py): liaisons, touch-points and pulse
answers in each demo cohort under way, one pair at risk for the reasons a committee would see,
one pulse check open on a participant's My mentoring, and no email written."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Cohort
from notifications.models import Notification
from participants.health import demo
from participants.health.models import LiaisonAssignment, PulseCheck, TouchPoint
from participants.health.selectors import cohort_health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_each_demo_cohort_under_way_has_liaisons_pulse_answers_and_one_pair_at_risk(client):
    call_command("seed_demo", stdout=io.StringIO())
    under_way = Cohort.objects.filter(
        pk__in=LiaisonAssignment.objects.values("pairing__cohort")
    ).select_related("program")
    assert {c.program.slug for c in under_way} == {"core", "alcts"}
    for cohort in under_way:
        liaisons = LiaisonAssignment.objects.filter(pairing__cohort=cohort)
        assert liaisons.count() == 2
        assert {a.liaison.email for a in liaisons} == {f"{cohort.program.slug}-member@example.org"}
        assert TouchPoint.objects.filter(pairing__cohort=cohort).count() == 1
        answered = PulseCheck.objects.filter(pairing__cohort=cohort, answered_at__isnull=False)
        assert answered.exists() and not answered.filter(answered_at__gt=timezone.now()).exists()
        assert (
            PulseCheck.objects.filter(pairing__cohort=cohort, answered_at__isnull=True).count() == 1
        )

        health = cohort_health(cohort=cohort)
        at_risk = [row for row in health if row.health.at_risk]
        assert len(health) >= 3 and len(at_risk) == 1
        assert at_risk[0].health.has("low_pulse")

    # The open one is on its mentee's My mentoring.
    pulse = PulseCheck.objects.filter(answered_at__isnull=True).select_related("application")
    client.force_login(pulse.first().application.applicant)
    page = client.get("/my/mentoring/").content.decode()
    assert "Answer the pulse check" in page and pulse.first().get_absolute_url() in page

    # Nothing emailed, and a second run changes nothing.
    assert not Notification.objects.filter(kind__in=["pulse_check", "pulse_alert"]).exists()
    counts = (LiaisonAssignment.objects.count(), PulseCheck.objects.count())
    assert demo.seed() == []
    assert counts == (LiaisonAssignment.objects.count(), PulseCheck.objects.count())
