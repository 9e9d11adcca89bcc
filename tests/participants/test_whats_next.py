"""My mentoring's "What's next": each item appears while it is to be done and goes once done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Milestone
from participants.health.models import PulseCheck
from participants.models import Attendance
from participants.selectors import participations_for_user
from participants.todo import todo_items
from tests.assessment.factories import InvitationFactory, SurveyFactory
from tests.cohorts.factories import CohortFactory, MilestoneFactory, ProgramFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import CheckInFactory, GoalFactory

pytestmark = pytest.mark.django_db

HOME = reverse("participants:home")


def todo(user, now=None):
    now = now or timezone.now()
    participations = participations_for_user(user=user, now=now)
    return {
        item.key.rsplit("-", 1)[0]: item
        for item in todo_items(user=user, participations=participations, now=now)
    }


def whats_next(client, user) -> str:
    client.force_login(user)
    page = client.get(HOME).content.decode()
    return page.split('id="todo-heading"', 1)[1].split("</section>", 1)[0]


def test_the_survey_is_asked_until_it_is_answered(client):
    cohort = CohortFactory(phase="assessment")
    pairing = AnnouncedPairingFactory(cohort=cohort, status="completed")
    invitation = InvitationFactory(
        survey=SurveyFactory(cohort=cohort, audience="mentee"),
        application=pairing.mentee,
        user=pairing.mentee.applicant,
        sent_at=timezone.now(),
    )
    box = whats_next(client, pairing.mentee.applicant)
    assert f"Answer the {invitation.survey.title}." in box
    assert invitation.get_absolute_url() in box
    assert "Central Time" in box  # its closing time, in the one phrase

    invitation.completed_at = timezone.now()
    invitation.save()
    box = whats_next(client, pairing.mentee.applicant)
    assert invitation.get_absolute_url() not in box


def test_the_goal_sheet_is_asked_until_the_pair_has_a_goal_and_marked_overdue():
    program = ProgramFactory(goal_sheet_due_days=30)
    pairing = AnnouncedPairingFactory(cohort__program=program)  # announced 60 days ago
    items = todo(pairing.mentee.applicant)
    assert "goal-sheet" in items and items["goal-sheet"].overdue
    assert items["goal-sheet"].url == reverse("participants:goal_create", args=[pairing.pk])
    GoalFactory(pairing=pairing)
    assert "goal-sheet" not in todo(pairing.mentee.applicant)
    assert "goal-sheet" not in todo(AnnouncedPairingFactory().mentee.applicant)  # no date set


def test_the_orientation_with_attendance_until_it_is_over():
    cohort = CohortFactory(phase="orientation", orientation_time=dt.time(13, 0))
    pairing = AnnouncedPairingFactory(cohort=cohort, status="announced")
    mentee = pairing.mentee.applicant
    item = todo(mentee)["orientation"]
    assert item.text == "Attend the virtual orientation (attendance is required)."
    assert item.due == cohort.orientation_starts_at and item.status == ""
    Attendance.objects.create(application=pairing.mentee, attended=True)
    assert todo(mentee)["orientation"].status == "Attendance recorded"
    after = dt.datetime.combine(
        cohort.orientation_date + dt.timedelta(days=1), dt.time(9), cohort.tz
    )
    assert "orientation" not in todo(mentee, now=after)


def test_the_networking_session_with_attendance_until_it_is_over():
    pairing = AnnouncedPairingFactory()
    today = timezone.localdate()
    session = MilestoneFactory(
        cohort=pairing.cohort,
        title="virtual networking session",
        kind=Milestone.Kind.NETWORKING,
        date=today + dt.timedelta(days=40),
        time=dt.time(14, 0),
        link="https://meet.example.org/networking",
    )
    CheckInFactory(pairing=pairing)
    mentee = pairing.mentee.applicant
    item = todo(mentee)["milestone"]
    assert item.text == "Join the virtual networking session."
    assert item.url == "https://meet.example.org/networking" and item.due == session.starts_at
    Attendance.objects.create(application=pairing.mentee, milestone=session, attended=False)
    assert todo(mentee)["milestone"].status == "Recorded as absent"
    after = timezone.now() + dt.timedelta(days=42)
    assert "milestone" not in todo(mentee, now=after)


def test_a_check_in_is_asked_when_the_pair_has_not_met_for_30_days(client):
    pairing = AnnouncedPairingFactory()  # announced 60 days ago, no check-in yet
    box = whats_next(client, pairing.mentee.applicant)
    assert "Meet your mentor: no check-in is logged yet." in box
    assert reverse("participants:check_in_create", args=[pairing.pk]) in box

    today = timezone.localdate()
    CheckInFactory(pairing=pairing, date=today - dt.timedelta(days=31))
    assert "last check-in was 31 days ago" in todo(pairing.mentor.applicant)["check-in"].text

    CheckInFactory(pairing=pairing, date=today - dt.timedelta(days=2))
    box = whats_next(client, pairing.mentee.applicant)
    assert "Meet your mentor" not in box
    assert "Nothing to do right now." in box


def test_nothing_is_asked_of_a_closed_cohort():
    cohort = CohortFactory(phase="closed")
    pairing = AnnouncedPairingFactory(cohort=cohort, status="completed")
    assert todo(pairing.mentee.applicant) == {}


def test_an_open_pulse_check_is_asked_until_it_is_answered(client):
    pairing = AnnouncedPairingFactory()
    CheckInFactory(pairing=pairing)
    pulse = PulseCheck.objects.create(pairing=pairing, application=pairing.mentee, offset_days=30)
    partners = PulseCheck.objects.create(
        pairing=pairing, application=pairing.mentor, offset_days=30
    )
    box = whats_next(client, pairing.mentee.applicant)
    assert "how your mentoring is going" in box
    assert pulse.get_absolute_url() in box
    assert partners.get_absolute_url() not in box  # the partner's link is theirs alone
    pulse.answered_at = timezone.now()
    pulse.score = 4
    pulse.save()
    assert "how your mentoring is going" not in whats_next(client, pairing.mentee.applicant)


def test_whats_next_costs_no_extra_query(client, django_assert_max_num_queries):
    program = ProgramFactory(goal_sheet_due_days=30)
    pairing = AnnouncedPairingFactory(cohort__program=program)
    MilestoneFactory(cohort=pairing.cohort, kind=Milestone.Kind.NETWORKING)
    client.force_login(pairing.mentee.applicant)
    with django_assert_max_num_queries(15):
        assert client.get(HOME).status_code == 200
