import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Attendance, CheckIn, PairingProgress, ProblemReport
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db

PROGRESS = reverse("admin:participants_pairingprogress_changelist")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pair_in(program, days_ago, cohort=None):
    """An active pairing announced `days_ago` days ago."""
    cohort = cohort or CohortFactory(program=program, phase="in_progress")
    pairing = AnnouncedPairingFactory(cohort=cohort)
    pairing.announced_at = timezone.now() - dt.timedelta(days=days_ago)
    pairing.save(update_fields=["announced_at"])
    return pairing


def listed(client, **params):
    response = client.get(PROGRESS, params)
    assert response.status_code == 200
    return {p.pk for p in response.context["cl"].result_list}


def test_the_committee_sees_which_pairs_missed_the_goal_sheet(client, chair, program):
    program.goal_sheet_due_days = 30
    program.save()
    overdue = pair_in(program, 40)
    with_goals = pair_in(program, 40)
    GoalFactory(pairing=with_goals)
    not_yet_due = pair_in(program, 10)
    client.force_login(chair)
    assert listed(client, goal_sheet="overdue") == {overdue.pk}
    assert listed(client, goal_sheet="missing") == {overdue.pk, not_yet_due.pk}
    assert listed(client, goal_sheet="submitted") == {with_goals.pk}
    assert "(overdue)" in client.get(PROGRESS).content.decode()


@pytest.mark.parametrize(
    ("weeks", "expected"), [("2", {"quiet", "silent", "recent"}), ("4", {"quiet", "silent"})]
)
def test_no_contact_for_n_weeks(client, chair, program, weeks, expected):
    pairs = {
        "quiet": pair_in(program, 90),
        "silent": pair_in(program, 60),
        "recent": pair_in(program, 90),
        "new": pair_in(program, 5),
    }
    today = timezone.localdate()
    CheckInFactory(pairing=pairs["quiet"], date=today - dt.timedelta(weeks=5))
    CheckInFactory(pairing=pairs["recent"], date=today - dt.timedelta(weeks=3))
    client.force_login(chair)
    names = {pk: name for name, pairing in pairs.items() for pk in [pairing.pk]}
    assert {names[pk] for pk in listed(client, no_contact_weeks=weeks)} == expected
    page = client.get(PROGRESS).content.decode()
    assert "none logged" in page


def test_pair_progress_is_scoped_to_the_program(client, chair, other_chair, program):
    mine = pair_in(program, 10)
    client.force_login(other_chair)
    assert mine.pk not in listed(client)
    url = reverse("admin:participants_pairingprogress_change", args=[mine.pk])
    assert client.get(url).status_code == 404
    for name in ("goal", "checkin", "problemreport", "attendance"):
        assert client.get(reverse(f"admin:participants_{name}_changelist")).status_code == 200
    goal = GoalFactory(pairing=mine)
    assert client.get(reverse("admin:participants_goal_change", args=[goal.pk])).status_code == 404
    client.force_login(chair)
    response = client.get(url)
    assert response.status_code == 200
    assert goal.title in response.content.decode()


def test_pair_progress_list_costs_a_fixed_number_of_queries(
    client, chair, program, django_assert_max_num_queries
):
    client.force_login(chair)
    cohort = CohortFactory(program=program, phase="in_progress")
    counts = []
    for days in (10, 20, 30, 40, 50):
        pairing = pair_in(program, days, cohort=cohort)
        GoalFactory(pairing=pairing)
        CheckInFactory(pairing=pairing)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PROGRESS).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[-1], counts
    # Most of the budget is the admin's per-model permission checks, not the rows.
    with django_assert_max_num_queries(60):
        client.get(PROGRESS)


def test_the_committee_records_orientation_attendance_and_the_participant_sees_it(
    client, chair, program
):
    pairing = pair_in(program, 10)
    client.force_login(chair)
    response = client.post(
        PROGRESS,
        {"action": "record_orientation_attendance", "_selected_action": [pairing.pk]},
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(milestone__isnull=True, attended=True).count() == 2
    assert Attendance.objects.first().recorded_by == chair
    client.force_login(pairing.mentee.applicant)
    assert "Attendance recorded" in client.get(reverse("participants:home")).content.decode()


def test_attendance_changed_in_the_admin_is_recorded_by_the_chair(client, chair, program):
    pairing = pair_in(program, 10)
    client.force_login(chair)
    response = client.post(
        reverse("admin:participants_attendance_add"),
        {"application": pairing.mentor.pk, "milestone": "", "attended": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    attendance = Attendance.objects.get()
    assert (attendance.application, attendance.recorded_by) == (pairing.mentor, chair)


def test_a_chair_resolves_a_problem_report(client, chair, program):
    pairing = pair_in(program, 10)
    report = ProblemReport.objects.create(
        pairing=pairing, reported_by=pairing.mentee.applicant, message="No reply"
    )
    client.force_login(chair)
    url = reverse("admin:participants_problemreport_changelist")
    client.post(url, {"action": "mark_resolved", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.resolved_by == chair
    assert report.is_resolved


def test_calendar_feeds_are_for_association_staff_only(client, chair, staff_user):
    url = reverse("admin:participants_calendarfeed_changelist")
    client.force_login(chair)
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_committee_cannot_add_goals_or_check_ins_in_the_admin(client, chair):
    client.force_login(chair)
    assert client.get(reverse("admin:participants_goal_add")).status_code == 403
    assert client.get(reverse("admin:participants_checkin_add")).status_code == 403
    assert PairingProgress.objects.count() == 0
    assert CheckIn.objects.count() == 0


def _without_orientation(pairing):
    cohort = pairing.cohort
    cohort.orientation_date = None
    cohort.orientation_time = None
    cohort.save()


def test_attendance_at_an_orientation_that_is_not_held_is_refused_beside_the_field(
    client, chair, program
):
    pairing = pair_in(program, 10)
    _without_orientation(pairing)
    client.force_login(chair)
    response = client.post(
        reverse("admin:participants_attendance_add"),
        {"application": pairing.mentor.pk, "milestone": "", "attended": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["milestone"] == [
        "This cohort has no orientation."
    ]
    assert not Attendance.objects.exists()


def test_the_bulk_actions_and_the_list_go_through_the_service_and_its_check(
    client, chair, member, program
):
    pairing = pair_in(program, 10)
    held = Attendance.objects.create(application=pairing.mentee, attended=True)
    stale = Attendance.objects.create(application=pairing.mentor, attended=True)
    changelist = reverse("admin:participants_attendance_changelist")
    client.force_login(member)
    client.post(changelist, {"action": "mark_absent", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert (held.attended, held.recorded_by) == (False, member)

    _without_orientation(pairing)
    client.force_login(chair)
    response = client.post(
        changelist, {"action": "mark_absent", "_selected_action": [stale.pk]}, follow=True
    )
    assert "This cohort has no orientation." in response.content.decode()
    stale.refresh_from_db()
    assert stale.attended is True

    rows = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(stale.pk),
        "_save": "Save",
    }
    response = client.post(changelist, rows)
    assert response.status_code == 200
    assert "This cohort has no orientation." in response.content.decode()
    stale.refresh_from_db()
    assert stale.attended is True


def test_goals_are_read_only_in_the_admin_even_for_staff(client, staff_user, program):
    goal = GoalFactory(pairing=pair_in(program, 10))
    client.force_login(staff_user)
    url = reverse("admin:participants_goal_change", args=[goal.pk])
    client.post(url, {"title": "Changed by staff", "status": "achieved"})
    goal.refresh_from_db()
    assert goal.title != "Changed by staff"
    assert "Changed by staff" not in client.get(url).content.decode()


def test_staff_turn_off_a_leaked_calendar_address_through_the_service(client, staff_user):
    feed = services.calendar_feed_create(user=staff_user)
    client.force_login(staff_user)
    client.post(
        reverse("admin:participants_calendarfeed_changelist"),
        {"action": "revoke", "_selected_action": [feed.pk]},
    )
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_committee_notes_on_a_problem_report_are_saved_through_the_service(client, chair, program):
    pairing = pair_in(program, 10)
    report = ProblemReport.objects.create(
        pairing=pairing, reported_by=pairing.mentee.applicant, message="No reply"
    )
    client.force_login(chair)
    url = reverse("admin:participants_problemreport_change", args=[report.pk])
    response = client.post(url, {"committee_notes": "Called the mentor.", "message": "Changed"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.committee_notes, report.message) == ("Called the mentor.", "No reply")
