"""When the committee moves a cohort's deadline or notification date, the applicants it
concerns are told the new date: their receipt or reminder named the old one."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from cohorts.services import cohort_update
from notifications.delivery import deliver_due
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _day(date: dt.date) -> str:
    return f"{date.strftime('%B')} {date.day}, {date.year}"


def _told() -> list[tuple[int, str]]:
    """(application id, status) of each dates email, oldest first."""
    emails = Notification.objects.filter(kind="cohort_dates_changed").order_by("pk")
    return [(n.about["application"], n.status) for n in emails]


def test_a_moved_deadline_reaches_drafts_and_submitted_applications(program, mailoutbox):
    cohort = CohortFactory(program=program, phase="accepting")
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    submitted = ApplicationFactory(cohort=cohort)
    ApplicationFactory(cohort=cohort, status=Application.Status.WITHDRAWN)
    earlier = cohort.applications_close - dt.timedelta(days=10)

    cohort_update(cohort=cohort, applications_close=earlier)
    deliver_due()

    by_person = {m.to[0]: m for m in mailoutbox}
    assert set(by_person) == {draft.applicant.email, submitted.applicant.email}
    to_draft, to_submitted = by_person[draft.applicant.email], by_person[submitted.applicant.email]
    assert to_draft.subject.endswith(f"new dates for the {cohort.name}")
    assert _day(earlier) in to_draft.body and "still a draft" in to_draft.body
    assert "You can change your answers until then." in to_submitted.body
    # Only the deadline moved: nothing about the outcome's date.
    assert "outcome" not in to_draft.body and "outcome" not in to_submitted.body
    assert f"/my/applications/{submitted.pk}/" in to_submitted.body


def test_a_call_closed_early_tells_drafts_they_are_out_and_submitted_ones_they_are_in(
    program, mailoutbox
):
    cohort = CohortFactory(program=program, phase="accepting")
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    submitted = ApplicationFactory(cohort=cohort)
    closed = cohort.applications_open + dt.timedelta(days=2)  # already past

    cohort_update(cohort=cohort, applications_close=closed)
    deliver_due()

    by_person = {m.to[0]: m.body for m in mailoutbox}
    to_draft = by_person[draft.applicant.email]
    assert f"{_day(closed)}, 11:59" in to_draft.split("Applications to this call closed ")[1]
    assert "will not be considered" in by_person[draft.applicant.email]
    assert "with the committee as you submitted it" in by_person[submitted.applicant.email]
    assert "You can change your answers" not in by_person[submitted.applicant.email]


def test_a_postponed_call_tells_drafts_and_submissions_they_are_kept(program, mailoutbox):
    cohort = CohortFactory(program=program, phase="accepting")
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    submitted = ApplicationFactory(cohort=cohort)
    opens = cohort.applications_open + dt.timedelta(days=15)  # five days from now

    cohort_update(cohort=cohort, applications_open=opens)
    deliver_due()

    by_person = {m.to[0]: m.body for m in mailoutbox}
    to_draft = by_person[draft.applicant.email]
    assert f"The call was postponed: applications now open {_day(opens)}" in to_draft
    assert "Your draft is kept: submit it once the call opens." in to_draft
    assert "kept as you submitted it" in by_person[submitted.applicant.email]


def test_a_moved_notification_date_reaches_everyone_awaiting_the_outcome(program, mailoutbox):
    cohort = CohortFactory(program=program, phase="matching")
    waiting = [
        ApplicationFactory(cohort=cohort, status=status)
        for status in ("submitted", "under_review", "accepted", "waitlisted", "declined")
    ]
    ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)  # never submitted
    ApplicationFactory(cohort=cohort, status=Application.Status.WITHDRAWN)
    later = cohort.pairings_notified + dt.timedelta(days=3)  # still before the orientation

    cohort_update(cohort=cohort, pairings_notified=later)
    deliver_due()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.applicant.email for a in waiting)
    body = mailoutbox[0].body
    assert f"tell you the outcome of your application by {_day(later)}" in body
    assert "Applications now close" not in body  # the call is closed: no deadline to tell


def test_a_second_change_replaces_an_unsent_email_and_a_withdrawal_stops_one(program):
    cohort = CohortFactory(program=program, phase="accepting")
    application = ApplicationFactory(cohort=cohort)
    close = cohort.applications_close
    cohort_update(cohort=cohort, applications_close=close + dt.timedelta(days=3))
    first = Notification.objects.get(kind="cohort_dates_changed")

    cohort_update(cohort=cohort, applications_close=close + dt.timedelta(days=7))
    first.refresh_from_db()
    assert (first.status, first.withdrawn_reason) == (
        "withdrawn",
        "The cohort's dates changed again.",
    )
    assert _told() == [(application.pk, "withdrawn"), (application.pk, "pending")]

    # Withdrawn by its applicant before the email went out: it concerns them no more.
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    deliver_due()
    latest = Notification.objects.filter(kind="cohort_dates_changed").latest("pk")
    assert latest.status == "withdrawn"
    assert latest.withdrawn_reason == "The new dates no longer concern the application."


def test_other_changes_and_past_dates_tell_nobody(program):
    cohort = CohortFactory(program=program, phase="accepting")
    ApplicationFactory(cohort=cohort)
    cohort_update(cohort=cohort, name="Renamed cohort")
    closed = CohortFactory(program=program, phase="in_progress")
    ApplicationFactory(cohort=closed, status=Application.Status.ACCEPTED)
    cohort_update(cohort=closed, applications_close=closed.applications_close - dt.timedelta(1))
    cohort_update(cohort=closed, pairings_notified=closed.pairings_notified - dt.timedelta(1))
    assert _told() == []


def test_telling_a_cohort_costs_the_same_statements_for_3_or_30_applicants(program):
    def statements(count: int) -> int:
        cohort = CohortFactory(program=program, phase="accepting")
        ApplicationFactory.create_batch(count, cohort=cohort)
        close = cohort.applications_close + dt.timedelta(days=5)
        with CaptureQueriesContext(connection) as captured:
            cohort_update(cohort=cohort, applications_close=close)
        return len(captured)

    few, many = statements(3), statements(30)
    assert Notification.objects.filter(kind="cohort_dates_changed").count() == 33
    assert few == many
