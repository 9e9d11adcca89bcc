from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from cohorts.demo import DEMO_EARLIER_NOTE, DEMO_NOTE
from tests.applications.factories import AcceptedApplicationFactory
from tests.cohorts.factories import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_membership_recheck_lists_accepted_participants_not_confirmed_at_start(staff_user):
    core = ProgramFactory(membership_rechecked_at_start=True)
    cohort = CohortFactory(program=core, phase="orientation")
    confirmed = AcceptedApplicationFactory(cohort=cohort, full_name="Confirmed Person")
    confirmed.membership_confirmed_at = timezone.now()
    confirmed.save()
    AcceptedApplicationFactory(cohort=cohort, full_name="Unconfirmed Person")
    AcceptedApplicationFactory(
        cohort=CohortFactory(phase="orientation"), full_name="Other Program Person"
    )
    out = StringIO()
    call_command("check_membership_at_start", stdout=out)
    text = out.getvalue()
    assert "Unconfirmed Person" in text
    assert "Confirmed Person" not in text and "Other Program Person" not in text
    assert "1 participant(s) to confirm." in text


def test_demo_gives_each_current_cohort_its_applicants_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = {
        slug: Application.objects.filter(
            cohort__program__slug=slug, cohort__notes=DEMO_NOTE
        ).count()
        for slug in ("core", "alcts", "alsc")
    }
    assert counts["core"] == 10 and counts["alcts"] == 40 and counts["alsc"] == 8
    earlier = Application.objects.filter(cohort__notes=DEMO_EARLIER_NOTE)
    assert earlier.filter(cohort__program__slug="alsc", status="accepted").count() == 12
    assert earlier.filter(cohort__program__slug="alcts", status="accepted").count() == 6
    # ALSC's open call shows its rules: a mentee who is not a member, a funded-membership request.
    alsc = Application.objects.filter(cohort__program__slug="alsc", cohort__notes=DEMO_NOTE)
    assert alsc.filter(role="mentee", membership_status="not_member", status="submitted").exists()
    assert alsc.filter(role="mentor", membership_status="funded_request").exists()
    alcts = Application.objects.filter(cohort__program__slug="alcts", cohort__notes=DEMO_NOTE)
    assert set(alcts.values_list("status", flat=True)) == {"accepted"}
    assert {"mentor", "mentee", "both"} <= set(alcts.values_list("role", flat=True))
    assert alcts.filter(state__in=["GU", "PR"]).exists()
    assert Application.objects.filter(
        applicant__email="applicant@example.org", status="submitted"
    ).exists()
    assert all(a.areas.exists() for a in alcts[:10])
    before = Application.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Application.objects.count() == before
