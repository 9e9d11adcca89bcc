import datetime as dt

import pytest
from django.utils import timezone

from tests.cohorts.factories import CohortFactory, MilestoneFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_home_lists_every_program_with_its_current_cohort_and_phase(
    client, django_assert_max_num_queries
):
    accepting = CohortFactory(phase="accepting", program=ProgramFactory(name="Alpha Program"))
    in_progress = CohortFactory(phase="in_progress", program=ProgramFactory(name="Beta Program"))
    CohortFactory(phase="closed", program=in_progress.program)
    with django_assert_max_num_queries(6):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alpha Program" in page and "Beta Program" in page
    assert accepting.name in page and "Accepting applications" in page
    assert in_progress.name in page and "Mentoring in progress" in page
    days = (accepting.applications_close - timezone.localdate()).days
    assert f"{days} days left to apply" in page


def test_program_page_shows_objectives_guidelines_and_past_cohorts(client):
    program = ProgramFactory(objectives="Build strong leaders\nExpand learning circles")
    CohortFactory(program=program, phase="closed", name="2019 cohort")
    CohortFactory(program=program, phase="matching", name="2031 cohort")
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Build strong leaders" in page and "Expand learning circles" in page
    assert "2019 cohort" in page and "2031 cohort" in page
    assert "Reviewing and matching" in page


def test_cohort_page_shows_the_timeline_with_the_current_phase_marked(client):
    cohort = CohortFactory(phase="accepting")
    MilestoneFactory(cohort=cohort, title="January networking session")
    response = client.get(cohort.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert '<li aria-current="step">Accepting applications</li>' in page
    assert "January networking session" in page
    assert cohort.applications_close.strftime("%B") in page
    days = (cohort.applications_close - timezone.localdate()).days
    assert f"{days} days left to apply" in page
    deadline = cohort.applications_close.strftime("%A, %B %-d, %Y")
    assert f"Applications close {deadline}, 11:59 p.m. Central Time." in page
    assert "CST" not in page and "CDT" not in page


def test_a_reader_in_guam_also_reads_the_deadline_in_guam_time(client):
    cohort = CohortFactory(phase="accepting")
    client.cookies["tz"] = "Pacific/Guam"
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "11:59 p.m. Central Time (" in page and " Chamorro for you)" in page


def test_cohort_page_before_opening_says_when_applications_open(client):
    cohort = CohortFactory(phase="upcoming")
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Applications open" in page
    assert "left to apply" not in page


def test_a_cohort_of_another_program_or_a_missing_one_is_404(client):
    cohort = CohortFactory()
    other = ProgramFactory()
    assert client.get(f"/programs/{other.slug}/cohorts/{cohort.slug}/").status_code == 404
    assert client.get("/programs/nope/").status_code == 404
    assert client.get(f"/programs/{cohort.program.slug}/cohorts/nope/").status_code == 404


def test_last_day_to_apply_is_announced(client):
    today = timezone.localdate()
    cohort = CohortFactory(
        phase="accepting",
        applications_close=today,
        applications_open=today - dt.timedelta(days=5),
    )
    assert "last day to apply" in client.get(cohort.get_absolute_url()).content.decode()


def test_deadline_day_is_shown_in_the_program_time_zone_not_the_servers(client):
    # 23:59 on the deadline day in Honolulu is already the next day in Chicago (the server's zone).
    cohort = CohortFactory(phase="accepting", program=ProgramFactory(time_zone="Pacific/Honolulu"))
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert f"{cohort.applications_close:%A, %B} {cohort.applications_close.day}," in page
    assert "11:59 p.m. Hawaii Time" in page
