"""The cohort cockpit: the committee's landing page, one card per open cohort with the to-do
list of its phase; every item goes away when it is done; the queries do not grow with pairs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.choices import MembershipStatus
from applications.models import Application
from assessment.models import Invitation
from cohorts.models import CommitteeMembership
from matching.models import MatchRun, Pairing
from notifications.models import Notification
from participants.health.cockpit import cockpit_cards
from participants.models import Attendance, ProblemReport
from tests.applications.factories import ApplicationFactory
from tests.assessment.factories import InvitationFactory, SurveyFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.bulk import bulk_cohort
from tests.matching.factories import PairingFactory
from tests.notifications.factories import NotificationFactory
from tests.participants.health_helpers import introduced_pair

pytestmark = pytest.mark.django_db
COCKPIT = reverse("admin:participants_cohortcockpit_changelist")


def todos(cards, cohort) -> dict[str, str]:
    card = next(c for c in cards if c.cohort.pk == cohort.pk)
    return {todo.key: todo.text for todo in card.todos + card.notes}


def test_the_cockpit_comes_first_in_the_admin_index(client, member):
    client.force_login(member)
    page = client.get("/admin/").content.decode()
    content = page[page.index('id="content-main"') :]
    first_model = content.index('<th scope="row"')
    first_row = content[first_model:].split("</th>")[0]
    assert f'<a href="{COCKPIT}">Cohort cockpit</a>' in first_row


def test_accepting_applications_decide_and_funded_membership(chair, program):
    cohort = CohortFactory(program=program, phase="accepting")
    ApplicationFactory.create_batch(2, cohort=cohort)
    ApplicationFactory(cohort=cohort, status=Application.Status.UNDER_REVIEW)
    ApplicationFactory(cohort=cohort, membership_status=MembershipStatus.FUNDED_REQUEST)
    ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    items = todos(cockpit_cards(user=chair), cohort)
    assert items["decide"] == "4 applications to decide"
    assert items["funded"] == "1 funded-membership request waiting for staff"
    assert "run" not in items and "approve" not in items

    Application.objects.filter(cohort=cohort).exclude(status="draft").update(status="accepted")
    Application.objects.filter(membership_status=MembershipStatus.FUNDED_REQUEST).update(
        membership_confirmed_at=timezone.now()
    )
    assert todos(cockpit_cards(user=chair), cohort) == {}


def test_matching_run_approve_and_release(chair, member, program):
    cohort = CohortFactory(program=program, phase="matching")
    proposed = PairingFactory(cohort=cohort)
    approved = PairingFactory(cohort=cohort, status=Pairing.Status.APPROVED)
    ApplicationFactory(cohort=cohort, role="mentee", status="accepted", full_name="Unpaired")
    items = todos(cockpit_cards(user=chair), cohort)
    assert items["run"] == "Run matching for 1 accepted mentee"
    assert items["approve"] == "1 proposal to approve"
    assert items["release"] == "1 approved pairing to release"
    assert todos(cockpit_cards(user=member), cohort)["approve"] == (
        "1 proposal waiting for the chair"
    )
    MatchRun.objects.create(cohort=cohort, status=MatchRun.Status.DONE)
    assert todos(cockpit_cards(user=chair), cohort)["run"].startswith(
        "1 accepted mentee without a pairing: run matching again"
    )

    PairingFactory(cohort=cohort, mentee=Application.objects.get(full_name="Unpaired"))
    Pairing.objects.filter(pk__in=[proposed.pk]).update(status=Pairing.Status.APPROVED)
    Pairing.objects.filter(cohort=cohort).update(status=Pairing.Status.ANNOUNCED)
    assert approved.pk and todos(cockpit_cards(user=chair), cohort) == {}


def test_in_progress_attendance_goal_sheets_pairs_at_risk_reports_and_emails(chair, program):
    program.goal_sheet_due_days = 30
    program.save()
    cohort = CohortFactory(program=program, phase="in_progress")
    quiet = introduced_pair(cohort=cohort, days_ago=50)
    fine = introduced_pair(cohort=cohort, days_ago=50)
    fine.check_ins.create(date=timezone.localdate(), mode="video")
    fine.goals.create(
        title="Lead",
        specific="s",
        measurable="m",
        achievable="a",
        relevant="r",
        time_bound="t",
        target_date=cohort.mentoring_ends,
    )
    ProblemReport.objects.create(pairing=fine, message="Private words", reported_by=None)
    NotificationFactory(cohort=cohort, status=Notification.Status.FAILED)
    NotificationFactory.create_batch(
        2, cohort=cohort, scheduled_at=timezone.now() + dt.timedelta(days=3)
    )
    items = todos(cockpit_cards(user=chair), cohort)
    assert items["attendance"] == "Orientation attendance to record for 4 participants"
    assert items["goal_sheet"] == "1 goal sheet overdue"
    assert items["at_risk"] == "2 pairs at risk"
    assert items["reports"] == "1 problem report open"
    assert items["emails_failed"] == "1 email failed"
    assert items["emails_scheduled"] == "2 emails scheduled"

    for application in (quiet.mentor, quiet.mentee, fine.mentor, fine.mentee):
        Attendance.objects.create(application=application, attended=True)
    quiet.check_ins.create(date=timezone.localdate(), mode="phone")
    quiet.goals.create(
        title="Grow",
        specific="s",
        measurable="m",
        achievable="a",
        relevant="r",
        time_bound="t",
        target_date=cohort.mentoring_ends,
    )
    ProblemReport.objects.update(resolved_at=timezone.now())
    Notification.objects.filter(status="failed").update(status="sent")
    assert set(todos(cockpit_cards(user=chair), cohort)) == {"emails_scheduled"}


def test_assessment_surveys_answered_until_all_are(chair, program):
    cohort = CohortFactory(program=program, phase="assessment")
    survey = SurveyFactory(cohort=cohort)
    answered, waiting = InvitationFactory.create_batch(2, survey=survey, sent_at=timezone.now())
    Invitation.objects.filter(pk=answered.pk).update(completed_at=timezone.now())
    assert todos(cockpit_cards(user=chair), cohort)["surveys"] == "1 of 2 surveys answered"
    Invitation.objects.filter(pk=waiting.pk).update(completed_at=timezone.now())
    assert "surveys" not in todos(cockpit_cards(user=chair), cohort)


def test_upcoming_has_nothing_to_do_and_closed_cohorts_have_no_card(client, chair, program):
    upcoming = CohortFactory(program=program, phase="upcoming", name="Upcoming cohort")
    CohortFactory(program=program, phase="closed", name="Closed cohort")
    client.force_login(chair)
    page = client.get(COCKPIT).content.decode()
    assert str(upcoming) in page and "Nothing to do now." in page
    assert "Closed cohort" not in page
    assert "Next: Call for applications opens" in page


def test_a_committee_sees_only_its_programs_cards(client, chair, other_chair, program):
    CohortFactory(program=program, phase="matching", name="Mine")
    client.force_login(other_chair)
    page = client.get(COCKPIT).content.decode()
    assert "Mine" not in page and "No open cohorts in your programs." in page
    assert client.get("/admin/participants/cohortcockpit/health/999999/").status_code == 404


def _cockpit_queries(client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(COCKPIT)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_cockpit_takes_the_same_queries_for_5_or_500_pairs(
    client, chair, program, django_assert_max_num_queries
):
    areas = AreaOfInterestFactory.create_batch(4, program=program)
    small = CohortFactory(program=program, phase="in_progress")
    bulk_cohort(small, mentees=5, mentors=5, areas=areas, pairs=5)
    Pairing.objects.update(status=Pairing.Status.ACTIVE, announced_at=timezone.now())
    client.force_login(chair)
    few = _cockpit_queries(client, django_assert_max_num_queries, 15)

    big = CohortFactory(program=program, phase="in_progress")
    bulk_cohort(big, mentees=500, mentors=400, areas=areas, pairs=500, seed=2)
    Pairing.objects.filter(cohort=big).update(
        status=Pairing.Status.ACTIVE, announced_at=timezone.now() - dt.timedelta(days=60)
    )
    assert Pairing.objects.filter(cohort=big).count() == 500
    many = _cockpit_queries(client, django_assert_max_num_queries, 15)
    assert many == few
    page = client.get(COCKPIT).content.decode()
    assert "500 pairs at risk" in page
    assert CommitteeMembership.objects.filter(user=chair).exists()


def test_every_to_do_link_opens_a_page_filtered_to_the_cohort(client, chair, member, program):
    program.goal_sheet_due_days = 30
    program.save()
    accepting = CohortFactory(program=program, phase="accepting")
    ApplicationFactory(cohort=accepting, full_name="Undecided Person")
    ApplicationFactory(cohort=CohortFactory(program=program), full_name="Elsewhere Person")
    ApplicationFactory(cohort=accepting, membership_status=MembershipStatus.FUNDED_REQUEST)
    matching = CohortFactory(program=program, phase="matching")
    PairingFactory(cohort=matching)
    PairingFactory(cohort=matching, status=Pairing.Status.APPROVED)
    ApplicationFactory(cohort=matching, role="mentee", status="accepted")
    running = CohortFactory(program=program, phase="in_progress")
    pair = introduced_pair(cohort=running, days_ago=60)
    ProblemReport.objects.create(pairing=pair, message="Private")
    NotificationFactory(cohort=running, status=Notification.Status.FAILED)
    NotificationFactory(cohort=running, scheduled_at=timezone.now() + dt.timedelta(days=2))
    for user in (chair, member):
        client.force_login(user)
        for card in cockpit_cards(user=user):
            for todo in card.todos + card.notes:
                response = client.get(todo.url)
                assert response.status_code == 200, (todo.key, todo.url)
    client.force_login(chair)
    decide = next(t.url for c in cockpit_cards(user=chair) for t in c.todos if t.key == "decide")
    page = client.get(decide).content.decode()
    assert "Undecided Person" in page and "Elsewhere Person" not in page


def test_a_program_that_assigns_liaisons_sees_the_pairs_without_one(chair, program):
    from participants.health.models import LiaisonAssignment

    program.assigns_committee_liaison = True
    program.save()
    cohort = CohortFactory(program=program, phase="in_progress")
    first = introduced_pair(cohort=cohort, days_ago=3)
    introduced_pair(cohort=cohort, days_ago=3)
    assert todos(cockpit_cards(user=chair), cohort)["liaisons"] == "2 pairs without a liaison"
    LiaisonAssignment.objects.create(pairing=first, liaison=chair, assigned_at=timezone.now())
    assert todos(cockpit_cards(user=chair), cohort)["liaisons"] == "1 pair without a liaison"
    program.assigns_committee_liaison = False
    program.save()
    assert "liaisons" not in todos(cockpit_cards(user=chair), cohort)
