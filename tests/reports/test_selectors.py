"""Every figure of the report on a seeded cohort, worked out by hand (see factories.py)."""

import pytest

from applications.choices import Role
from reports import cohort_figures, figures, selectors
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory

from .factories import announced, seed_report_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(program):
    return seed_report_cohort(program)


def test_applications_are_counted_by_role_and_status_without_drafts(seeded):
    figures = cohort_figures.applications_by_role_and_status(cohort=seeded.cohort)

    assert figures.total == 11
    assert figures.drafts == 1
    # In the cycle: M1, M2, B1 offer to mentor; B1, E1, E2, E3, E4, E7, E8 want a mentor.
    assert figures.mentors == 3
    assert figures.mentees == 7
    by_status = {label: (per_role, total) for label, per_role, total in figures.by_status}
    assert by_status["Accepted"] == ({"mentor": 2, "mentee": 3, "both": 1}, 6)
    assert by_status["Withdrawn"] == ({"mentor": 1, "mentee": 0, "both": 0}, 1)
    assert by_status["Ineligible"][1] == 1
    assert by_status["Submitted"][1] == 1
    assert "Draft" not in by_status


def test_supply_and_demand_weighs_mentors_by_capacity_and_puts_the_shortfall_first(seeded):
    report = cohort_figures.supply_and_demand(cohort=seeded.cohort)

    rows = [(r.name, r.mentees, r.mentors, r.places, r.gap) for r in report.rows]
    # Preservation: E2, E3, E7 want it; its only mentor (M3) withdrew.
    # Cataloging: B1, E1, E2 (E5 is ineligible); M1 (3 places) and B1 (1 place).
    # Leadership: E4, E8; M1 (3 places) and M2 (no capacity given: the cohort's default 2).
    assert rows == [
        ("Preservation", 3, 0, 0, -3),
        ("Cataloging", 3, 2, 4, 1),
        ("Leadership", 2, 2, 5, 3),
    ]
    assert [r.name for r in report.to_recruit] == ["Preservation"]
    assert report.chart.series[0].values == [3, 3, 2]
    assert report.chart.series[1].values == [0, 4, 5]


def test_library_types_and_states_count_each_side(seeded):
    types = cohort_figures.library_types(cohort=seeded.cohort)
    assert types.table_rows == [
        ("Academic library", ["1", "4"]),
        ("Public library", ["1", "1"]),
        ("School library", ["1", "1"]),
        ("Not given", ["0", "1"]),
    ]

    states = cohort_figures.states_and_territories(cohort=seeded.cohort)
    assert states.table_rows == [
        ("Illinois", ["1", "4"]),
        ("Puerto Rico", ["1", "1"]),
        ("California", ["0", "1"]),
        ("Guam", ["1", "0"]),
        ("Outside the United States", ["0", "1"]),
    ]


def test_match_rate_counts_approved_and_later_pairings_and_explains_the_rest(seeded):
    figures = cohort_figures.match_figures(cohort=seeded.cohort)

    assert (figures.matched, figures.mentees) == (2, 7)
    assert figures.rate == 28.6
    assert dict(figures.unmatched) == {
        "Proposed, waiting for approval": 1,
        "Pairing dissolved": 1,
        "Accepted, no mentor found yet": 1,
        "Waitlisted": 1,
        "Not matched this cycle": 1,
    }
    assert (figures.mentors, figures.mentors_matched) == (3, 1)
    assert (figures.places, figures.places_filled) == (6, 2)


def test_time_from_deadline_to_announcement(seeded):
    timing = cohort_figures.announcement_timing(cohort=seeded.cohort)

    # Announced 40, 40 (later dissolved) and 42 days after the deadline; the factory's
    # in-progress timeline notifies pairings 60 days after the deadline.
    assert timing.announced == 3
    assert (timing.first_days, timing.median_days, timing.last_days) == (40, 40, 42)
    assert timing.planned_days == 60
    assert timing.chart.series[0].values == [2, 1]


def test_weighted_median():
    assert figures.weighted_median([]) is None
    assert figures.weighted_median([(40, 2), (42, 1)]) == 40
    assert figures.weighted_median([(1, 1), (3, 1)]) == 2
    assert figures.weighted_median([(5, 4)]) == 5


def test_demographics_are_aggregated_over_the_cycle_only(seeded):
    figures = cohort_figures.demographic_figures(cohort=seeded.cohort)

    assert figures.applicants == 9
    assert figures.answered == 3
    counts = dict(zip(figures.chart.categories, figures.chart.series[0].values, strict=True))
    # E5 also chose "bipoc" but is ineligible, so outside the cycle.
    assert counts["Black, Indigenous, or a Person of Color"] == 2
    assert counts["LGBTQ+"] == 1
    assert counts["First-generation college graduate"] == 1
    assert counts["Veteran"] == 0


def test_demographics_reach_the_report_only_for_staff(seeded, staff_user, chair):
    assert selectors.cohort_report(cohort=seeded.cohort, user=staff_user).demographics
    assert selectors.cohort_report(cohort=seeded.cohort, user=chair).demographics is None


def test_program_report_compares_cohorts_year_over_year(program, seeded):
    earlier = CohortFactory(program=program, phase="closed")
    mentor = ApplicationFactory(cohort=earlier, role=Role.MENTOR, status="accepted")
    mentee = ApplicationFactory(cohort=earlier, role=Role.MENTEE, status="accepted")
    PairingFactory(
        cohort=earlier,
        mentor=mentor,
        mentee=mentee,
        status="completed",
        announced_at=announced(earlier, 30),
    )

    report = selectors.program_report(program=program)

    first, second = report.years
    assert first.cohort == earlier
    assert (first.applications, first.pairs, first.match_rate, first.completion_rate) == (
        2,
        1,
        100.0,
        100.0,
    )
    assert second.cohort == seeded.cohort
    assert (second.applications, second.mentors, second.mentees) == (11, 3, 7)
    # Pairs: approved or beyond (E1, E2); announced includes the later-dissolved E8 pair.
    assert (second.pairs, second.matched, second.announced, second.completed) == (2, 2, 3, 0)
    assert second.completion_rate is None  # mentoring has not ended: a dash, not 0%
    assert report.charts[0].series[0].values == [2, 11]
