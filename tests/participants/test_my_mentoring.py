import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from cohorts.models import Milestone
from matching.models import Pairing
from participants.models import Attendance
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.assessment.factories import InvitationFactory, SurveyFactory
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory, MilestoneFactory
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import CheckInFactory, GoalFactory, GoalProgressNoteFactory

pytestmark = pytest.mark.django_db

HOME = reverse("participants:home")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, user):
    client.force_login(user)
    return client


def pairing_urls(pairing, goal):
    return [
        reverse("participants:goal_create", args=[pairing.pk]),
        reverse("participants:goal_update", args=[pairing.pk, goal.pk]),
        reverse("participants:progress_note_create", args=[pairing.pk, goal.pk]),
        reverse("participants:check_in_create", args=[pairing.pk]),
        reverse("participants:problem_report_create", args=[pairing.pk]),
    ]


def test_my_mentoring_asks_to_log_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_participant_sees_the_partner_but_never_their_demographics(client):
    cohort = CohortFactory(phase="in_progress")
    shared = AreaOfInterestFactory(program=cohort.program, name="Cataloging and metadata")
    only_mentee = AreaOfInterestFactory(program=cohort.program, name="Preservation")
    pairing = AnnouncedPairingFactory(
        cohort=cohort,
        mentee__full_name="Ada Quill",
        mentee__pronouns="she/her",
        mentee__job_title="Metadata Librarian",
        mentee__employer="Guam Public Library System",
        mentee__state="GU",
        mentee__time_zone="Pacific/Guam",
        mentee__email="ada.quill@example.org",
        mentee__mentee_goals="Learn to lead a cataloging team.",
        mentee__demographics=["bipoc", "lgbtq"],
        mentee__areas=[shared, only_mentee],
        mentor__areas=[shared],
    )
    response = login(client, pairing.mentor.applicant).get(HOME)
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Your mentee: Ada Quill",
        "she/her",
        "Metadata Librarian",
        "Guam Public Library System",
        "Guam",
        "Chamorro (Guam, Northern Mariana Islands)",
        "mailto:ada.quill@example.org",
        "Cataloging and metadata",
        "Learn to lead a cataloging team.",
    ]:
        assert text in page, text
    assert "Preservation" not in page  # not shared
    assert "Black, Indigenous" not in page
    assert "LGBTQ" not in page
    assert "bipoc" not in page


def test_mentee_sees_what_the_mentor_offers(client):
    pairing = AnnouncedPairingFactory(mentor__mentor_offer="Twenty years in acquisitions.")
    page = login(client, pairing.mentee.applicant).get(HOME).content.decode()
    assert f"Your mentor: {pairing.mentor.full_name}" in page
    assert "Twenty years in acquisitions." in page


@pytest.mark.parametrize("status", [Pairing.Status.PROPOSED, Pairing.Status.APPROVED])
def test_partner_is_hidden_before_the_announcement(client, status):
    pairing = AnnouncedPairingFactory(
        cohort=CohortFactory(phase="matching"), status=status, announced_at=None
    )
    client = login(client, pairing.mentee.applicant)
    page = client.get(HOME).content.decode()
    assert pairing.mentor.full_name not in page
    assert "will be announced" in page
    assert client.get(reverse("participants:check_in_create", args=[pairing.pk])).status_code == 404


def test_dissolved_pairing_disappears(client):
    pairing = AnnouncedPairingFactory(status=Pairing.Status.DISSOLVED)
    page = login(client, pairing.mentee.applicant).get(HOME).content.decode()
    assert pairing.mentor.full_name not in page


def test_a_both_participant_sees_both_relationships(client):
    cohort = CohortFactory(phase="in_progress")
    both = ApplicationFactory(cohort=cohort, role="both", status="accepted", full_name="Bo Th")
    as_mentor = AnnouncedPairingFactory(cohort=cohort, mentor=both, mentee__full_name="Mia Mentee")
    as_mentee = AnnouncedPairingFactory(cohort=cohort, mentee=both, mentor__full_name="Max Mentor")
    page = login(client, both.applicant).get(HOME).content.decode()
    assert "a mentor and a mentee" in page
    assert "Your mentee: Mia Mentee" in page
    assert "Your mentor: Max Mentor" in page
    assert f'id="pairing-{as_mentor.pk}"' in page
    assert f'id="pairing-{as_mentee.pk}"' in page
    assert "will be announced" not in page


def test_both_participant_waiting_for_one_match_is_told_so(client):
    cohort = CohortFactory(phase="in_progress")
    both = ApplicationFactory(cohort=cohort, role="both", status="accepted")
    AnnouncedPairingFactory(cohort=cohort, mentor=both)
    page = login(client, both.applicant).get(HOME).content.decode()
    assert "Your other match will be announced" in page


def test_another_pairs_urls_answer_404_to_everyone_else(client, chair, other_chair):
    pairing = AnnouncedPairingFactory(
        cohort=CohortFactory(program=chair.committee_memberships.get().program, phase="in_progress")
    )
    goal = GoalFactory(pairing=pairing)
    someone_else = AnnouncedPairingFactory(cohort=pairing.cohort).mentee.applicant
    outsiders = [someone_else, chair, other_chair, UserFactory()]
    for outsider in outsiders:
        client.logout()
        login(client, outsider)
        for url in pairing_urls(pairing, goal):
            assert client.get(url).status_code == 404, (outsider, url)
            assert client.post(url, {"message": "x", "title": "x"}).status_code == 404
        assert pairing.mentor.full_name not in client.get(HOME).content.decode()
    assert pairing.goals.count() == 1
    assert not pairing.problem_reports.exists()


def test_both_partners_reach_their_pairing_urls(client):
    pairing = AnnouncedPairingFactory()
    goal = GoalFactory(pairing=pairing)
    for user in (pairing.mentor.applicant, pairing.mentee.applicant):
        client.logout()
        login(client, user)
        for url in pairing_urls(pairing, goal):
            assert client.get(url).status_code == 200, url


def test_a_goal_of_another_pairing_answers_404_under_my_pairing(client):
    mine = AnnouncedPairingFactory()
    theirs = GoalFactory()
    client = login(client, mine.mentee.applicant)
    for name in ("participants:goal_update", "participants:progress_note_create"):
        assert client.get(reverse(name, args=[mine.pk, theirs.pk])).status_code == 404


def test_orientation_in_the_persons_own_time_zone_with_link_and_attendance(client):
    cohort = CohortFactory(
        phase="orientation",
        orientation_time=dt.time(13, 0),
        orientation_link="https://meet.example.org/orientation",
        orientation_required=True,
    )
    pairing = AnnouncedPairingFactory(
        cohort=cohort, status=Pairing.Status.ANNOUNCED, mentee__time_zone="America/Los_Angeles"
    )
    client = login(client, pairing.mentee.applicant)
    page = client.get(HOME).content.decode()
    # 1 p.m. Chicago is 11 a.m. in Los Angeles, in the one phrase used everywhere.
    assert "1 p.m. Central Time (11 a.m. Pacific for you)" in page
    assert "https://meet.example.org/orientation" in page
    assert "Attendance is required." in page
    assert "Attendance recorded" not in page
    Attendance.objects.create(application=pairing.mentee, attended=True)
    assert "Attendance recorded" in client.get(HOME).content.decode()


def test_milestones_for_my_role_with_attendance(client):
    pairing = AnnouncedPairingFactory()
    networking = MilestoneFactory(cohort=pairing.cohort, title="January networking session")
    MilestoneFactory(
        cohort=pairing.cohort, title="Mentor roundtable", audience=Milestone.Audience.MENTORS
    )
    Attendance.objects.create(application=pairing.mentee, milestone=networking, attended=True)
    page = login(client, pairing.mentee.applicant).get(HOME).content.decode()
    assert "January networking session" in page
    assert "Attended" in page
    assert "Mentor roundtable" not in page


def test_timeline_phase_next_date_goal_sheet_and_program_resources(client):
    pairing = AnnouncedPairingFactory()
    program = pairing.cohort.program
    program.goal_sheet_due_days = 30
    program.suggested_activities = "Read a new picture book together"
    program.resources = "The guide: https://example.org/mentoring-guide"
    program.working_with_a_match = "Introduce yourselves"
    program.mentee_expectations = "Career planning."
    program.save()
    page = login(client, pairing.mentee.applicant).get(HOME).content.decode()
    assert "Mentoring in progress" in page
    assert "Next:" in page
    assert "Formal mentoring ends" in page
    assert "Read a new picture book together" in page
    assert 'href="https://example.org/mentoring-guide"' in page
    assert "Introduce yourselves" in page
    assert "Career planning." in page
    assert "goal sheet was due" in page  # announced 60 days ago, no goals


def test_accepted_applicant_without_a_pairing_sees_the_cohort(client):
    application = ApplicationFactory(
        cohort=CohortFactory(phase="matching"), status=Application.Status.ACCEPTED
    )
    page = login(client, application.applicant).get(HOME).content.decode()
    assert application.cohort.name in page
    assert "Your match will be announced by" in page


def test_someone_outside_every_cohort_sees_how_to_join(client):
    ApplicationFactory()  # submitted elsewhere, by someone else
    user = UserFactory()
    page = login(client, user).get(HOME).content.decode()
    assert "You are not taking part in a cohort yet" in page


def test_the_nav_offers_my_mentoring_when_logged_in(client):
    assert b"My mentoring" not in client.get("/").content
    assert b"My mentoring" in login(client, UserFactory()).get("/").content


def _fill(pairing, n):
    for _i in range(n):
        goal = GoalFactory(pairing=pairing)
        GoalProgressNoteFactory(goal=goal)
        CheckInFactory(pairing=pairing)


def test_my_mentoring_page_costs_the_same_queries_for_1_or_30_goals(
    client, django_assert_max_num_queries
):
    cohort = CohortFactory(phase="in_progress")
    MilestoneFactory(cohort=cohort)
    small = AnnouncedPairingFactory(cohort=cohort)
    big = AnnouncedPairingFactory(cohort=cohort)
    _fill(small, 1)
    _fill(big, 30)
    counts = []
    for pairing in (small, big):
        client.logout()
        login(client, pairing.mentor.applicant)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(16):
        client.get(HOME)


def test_my_mentoring_lists_my_open_surveys_with_due_date_link_and_whether_answered(client):
    cohort = CohortFactory(phase="assessment")
    pairing = AnnouncedPairingFactory(cohort=cohort, status=Pairing.Status.COMPLETED)
    now = timezone.now()
    mine = InvitationFactory(
        survey=SurveyFactory(cohort=cohort, audience="mentee"),
        application=pairing.mentee,
        user=pairing.mentee.applicant,
        sent_at=now,
    )
    partners = InvitationFactory(
        survey=SurveyFactory(cohort=cohort, audience="mentor"),
        application=pairing.mentor,
        user=pairing.mentor.applicant,
        sent_at=now,
    )
    login(client, pairing.mentee.applicant)

    page = client.get(HOME).content.decode()
    assert mine.survey.title in page
    assert "Not answered yet" in page
    assert mine.get_absolute_url() in page
    assert partners.get_absolute_url() not in page  # the partner's link is theirs alone
    closes = timezone.localtime(mine.survey.closes_at, cohort.tz)
    assert closes.strftime("%B %-d, %Y") in page

    mine.completed_at = now
    mine.save()
    page = client.get(HOME).content.decode()
    assert "Answered" in page and "Not answered yet" not in page
    assert "You can change your answers until" in page


def test_a_closed_survey_is_not_listed(client):
    cohort = CohortFactory(phase="closed")
    pairing = AnnouncedPairingFactory(cohort=cohort, status=Pairing.Status.COMPLETED)
    closed = InvitationFactory(
        survey=SurveyFactory(cohort=cohort, audience="mentee"),
        application=pairing.mentee,
        user=pairing.mentee.applicant,
        sent_at=timezone.now(),
    )
    login(client, pairing.mentee.applicant)
    assert closed.get_absolute_url() not in client.get(HOME).content.decode()
