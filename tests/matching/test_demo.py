import pytest

from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from cohorts.demo import seed as cohorts_seed
from cohorts.models import Cohort
from matching.demo import seed
from matching.models import Pairing
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_does_nothing_without_accepted_applicants():
    cohorts_seed()
    assert seed() == []
    assert not Pairing.objects.exists()
    assert seed() == []


def test_demo_seed_pairs_the_cohorts_past_their_notification_once_and_leaves_alcts_for_the_chair():
    cohorts_seed()
    core = Cohort.objects.get(program__slug="core", notes=DEMO_NOTE)  # under way
    alsc = Cohort.objects.get(program__slug="alsc", notes=DEMO_EARLIER_NOTE)  # finished
    alcts = Cohort.objects.get(program__slug="alcts", notes=DEMO_NOTE)  # in matching
    for cohort in (core, alsc, alcts):
        for _ in range(2):
            ApplicationFactory(cohort=cohort, role="mentor", status="accepted")
            ApplicationFactory(cohort=cohort, role="mentee", status="accepted")

    assert seed() == [
        f"Paired 2 mentees in {alsc} (completed).",
        f"Paired 2 mentees in {core} (active).",
    ]
    assert seed() == []
    assert set(Pairing.objects.filter(cohort=core).values_list("status", flat=True)) == {
        Pairing.Status.ACTIVE
    }
    assert set(Pairing.objects.filter(cohort=alsc).values_list("status", flat=True)) == {
        Pairing.Status.COMPLETED
    }
    assert all(p.reasons and p.announced_at for p in Pairing.objects.all())
    assert not Pairing.objects.filter(cohort=alcts).exists()
