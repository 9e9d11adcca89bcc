"""A run's progress in words: its step, the bar and the time left; the result at once when the
run finished inside the request that started it (the embedded default)."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchRun
from matching.progress import estimate_seconds, run_progress
from matching.scoring import Weights
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import MatchRunFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2031, 5, 1, 12, 0, tzinfo=dt.UTC)


def running(progress: int, *, seconds_ago: float, estimate: float | None = None) -> MatchRun:
    return MatchRun(
        status=MatchRun.Status.RUNNING,
        progress=progress,
        started_at=NOW - dt.timedelta(seconds=seconds_ago),
        estimated_seconds=estimate,
    )


def test_steps_and_time_left_from_the_estimate_and_from_the_pace():
    queued = run_progress(MatchRun(status=MatchRun.Status.QUEUED), NOW)
    assert queued.step_text == "Step 1 of 5: Waiting for a worker."
    assert queued.remaining_text == "Estimating the time left…"
    loading = run_progress(running(5, seconds_ago=2, estimate=30), NOW)
    assert loading.step_text == "Step 2 of 5: Loading the accepted applications."
    assert loading.remaining_text == "About 28 seconds left."
    # No estimate: the pace so far (half-way after 40 s) says 40 s more.
    solving = run_progress(running(50, seconds_ago=40), NOW)
    assert solving.step_text == "Step 4 of 5: Finding the best assignment."
    assert solving.remaining_text == "About 40 seconds left."
    # An estimate already passed: the pace decides, never "0 seconds".
    late = run_progress(running(80, seconds_ago=200, estimate=60), NOW)
    assert late.remaining_text == "About 50 seconds left."
    slow = run_progress(running(20, seconds_ago=60), NOW)
    assert slow.remaining_text == "About 4 minutes left."
    assert run_progress(running(20, seconds_ago=0, estimate=0.2), NOW).remaining_text == (
        "About 1 second left."
    )


def test_the_estimate_learns_from_the_programs_latest_runs(program):
    cohort = CohortFactory(program=program)
    assert estimate_seconds(program_id=program.pk, mentees=100) is None
    for seconds in (2.0, 4.0, 3.0):
        MatchRunFactory(
            cohort=cohort,
            duration_seconds=seconds,
            matched_count=90,
            unmatched_count=10,
            finished_at=timezone.now(),
        )
    assert estimate_seconds(program_id=program.pk, mentees=200) == pytest.approx(6.0)


def test_a_running_run_shows_its_step_bar_and_time_left(client, member, program):
    cohort = CohortFactory(program=program, phase="matching")
    run = MatchRun.objects.create(
        cohort=cohort,
        status=MatchRun.Status.RUNNING,
        progress=45,
        started_at=timezone.now() - dt.timedelta(seconds=10),
        estimated_seconds=30,
        progress_message="Finding the best assignment.",
    )
    client.force_login(member)
    page = client.get(reverse("admin:matching_run_status", args=[run.pk])).content.decode()
    assert "Step 4 of 5: Finding the best assignment." in page
    assert '<progress id="run-progress" max="100" value="45">' in page
    assert "seconds left." in page
    status = json.loads(
        client.get(reverse("admin:matching_run_status_json", args=[run.pk])).content
    )
    assert status["step"] == "Step 4 of 5: Finding the best assignment."
    assert status["remaining"].endswith("seconds left.") and not status["finished"]


def test_on_the_embedded_default_the_result_shows_at_once_without_a_bar(
    client, member, program, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(program=program, phase="matching")
    client.force_login(member)
    data = {"keep_locked": "on", "keep_approved": "on", "exclude_same_employer": "on"}
    data.update({f"w_{name}": value for name, value in Weights().as_dict().items()})
    with django_capture_on_commit_callbacks(execute=True):  # eager tasks run on commit
        response = client.post(reverse("admin:matching_run", args=[cohort.pk]), data)
    page = client.get(response["Location"]).content.decode()
    assert "Matching finished in" in page and "Review the proposed pairs" in page
    assert "<progress" not in page and "Estimating" not in page


def test_the_run_page_counts_in_words_that_agree(client, member, program):
    from tests.applications.factories import ApplicationFactory
    from tests.matching.factories import PairingFactory

    cohort = CohortFactory(program=program, phase="matching")
    ApplicationFactory(cohort=cohort, role="mentee", status="accepted")
    PairingFactory(cohort=cohort, locked=True)
    client.force_login(member)
    page = client.get(reverse("admin:matching_run", args=[cohort.pk])).content.decode()
    assert "2 accepted mentees and 1 accepted mentor with 1 place." in page
    assert "Kept unless you say otherwise: 1 locked pairing and 0 approved pairings." in page
