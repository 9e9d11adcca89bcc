import pytest

from cohorts import demo as cohorts_demo
from cohorts.models import Cohort, Program
from participants import demo
from participants.models import CheckIn, Goal, GoalProgressNote
from tests.matching.factories import AnnouncedPairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_demo_fills_program_texts_and_does_nothing_without_pairings():
    cohorts_demo.seed()
    assert demo.seed() == []
    alsc = Program.objects.get(slug="alsc")
    assert "SMART goals" in alsc.working_with_a_match
    assert "storytime" in alsc.suggested_activities
    assert alsc.resources
    assert "six months" in Program.objects.get(slug="core").working_with_a_match
    assert not Goal.objects.exists()


def test_demo_adds_goals_notes_and_check_ins_to_the_demo_pairings_once():
    cohorts_demo.seed()
    cohort = Cohort.objects.get(program__slug="alsc", notes=cohorts_demo.DEMO_EARLIER_NOTE)
    pairing = AnnouncedPairingFactory(cohort=cohort, status="completed")
    alsc = Program.objects.get(slug="alsc")
    alsc.suggested_activities = "Edited by the committee"
    alsc.save()
    assert demo.seed()
    counts = (Goal.objects.count(), GoalProgressNote.objects.count(), CheckIn.objects.count())
    assert counts[0] == 2 and counts[1] == 1 and counts[2] >= 3
    assert demo.seed() == []
    assert counts == (
        Goal.objects.count(),
        GoalProgressNote.objects.count(),
        CheckIn.objects.count(),
    )
    assert pairing.goals.count() == 2
    # The cohort has finished: its goals are achieved, and no check-in is after its end.
    assert set(pairing.goals.values_list("status", flat=True)) == {Goal.Status.ACHIEVED}
    assert not pairing.check_ins.filter(date__gt=cohort.mentoring_ends).exists()
    alsc.refresh_from_db()
    assert alsc.suggested_activities == "Edited by the committee"  # never overwritten
