"""A dash, not 0%, before there is anything to count; no "every mentee is matched" for 0 of 0."""

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Pairing
from reports.selectors import program_report
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory

pytestmark = pytest.mark.django_db


def test_completion_and_goal_sheets_are_a_dash_before_the_cohort_can_have_them(program):
    program.goal_sheet_due_days = 30
    program.save()
    upcoming = CohortFactory(program=program, phase="orientation")
    PairingFactory(cohort=upcoming, status=Pairing.Status.ANNOUNCED, announced_at=timezone.now())
    running = CohortFactory(program=program, phase="in_progress")
    PairingFactory(cohort=running, status=Pairing.Status.ACTIVE, announced_at=timezone.now())
    ended = CohortFactory(program=program, phase="assessment")
    PairingFactory(cohort=ended, status=Pairing.Status.ACTIVE, announced_at=timezone.now())
    years = {year.cohort: year for year in program_report(program=program).years}
    assert years[upcoming].completion_rate is None and years[upcoming].goal_sheet_rate is None
    assert years[upcoming].extra_values[0] == "–"
    assert years[running].completion_rate is None  # mentoring has not ended
    assert years[running].goal_sheet_rate == 0 and years[running].extra_values[0] == "0%"
    assert years[ended].completion_rate == 0


def test_a_cohort_with_no_mentees_does_not_say_every_mentee_is_matched(client, program, chair):
    cohort = CohortFactory(program=program, phase="accepting")
    client.force_login(chair)
    page = client.get(reverse("reports:cohort", args=[program.slug, cohort.slug]))
    text = page.content.decode()
    assert "Every mentee in the cycle is matched." not in text
    assert "No mentees in the cycle yet." in text
