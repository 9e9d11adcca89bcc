import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CommitteeMembership
from cohorts.services import committee_membership_remove, committee_membership_save
from notifications.delivery import deliver_due
from notifications.models import Notification
from participants import services
from participants.models import CheckIn, Goal, ProblemReport
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CommitteeMembershipFactory
from tests.concurrency import at_once, in_words
from tests.matching.factories import AnnouncedPairingFactory
from tests.participants.factories import GoalFactory

pytestmark = pytest.mark.django_db

HOME = reverse("participants:home")
GOAL = {
    "title": "Lead a bilingual storytime",
    "specific": "Plan and lead a Spanish-English storytime.",
    "measurable": "Three sessions held.",
    "achievable": "A bilingual colleague co-leads.",
    "relevant": "Early literacy is my focus.",
    "time_bound": "By the fourth month.",
    "status": Goal.Status.NOT_STARTED,
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def goal_data(pairing, **changes):
    return {**GOAL, "target_date": pairing.cohort.mentoring_ends.isoformat(), **changes}


def test_either_partner_adds_a_goal_and_sees_it(client):
    pairing = AnnouncedPairingFactory()
    client.force_login(pairing.mentor.applicant)
    response = client.post(
        reverse("participants:goal_create", args=[pairing.pk]), goal_data(pairing)
    )
    assert response.status_code == 302
    goal = pairing.goals.get()
    assert goal.created_by == pairing.mentor.applicant
    client.force_login(pairing.mentee.applicant)
    page = client.get(HOME).content.decode()
    assert "Lead a bilingual storytime" in page
    assert "Three sessions held." in page


def test_a_goal_without_its_smart_fields_is_refused_with_errors_beside_them(client):
    pairing = AnnouncedPairingFactory()
    client.force_login(pairing.mentee.applicant)
    data = goal_data(pairing, measurable="", time_bound="", target_date="")
    response = client.post(reverse("participants:goal_create", args=[pairing.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"measurable", "time_bound", "target_date"}
    page = response.content.decode()
    assert 'id="error_1_id_measurable"' in page or "invalid-feedback" in page
    assert 'value="Lead a bilingual storytime"' in page  # what was typed is kept
    assert "Plan and lead a Spanish-English storytime." in page
    assert not pairing.goals.exists()


def test_a_pair_sets_at_most_three_goals(client):
    pairing = AnnouncedPairingFactory()
    GoalFactory.create_batch(3, pairing=pairing)
    client.force_login(pairing.mentee.applicant)
    url = reverse("participants:goal_create", args=[pairing.pk])
    assert "already has its 3 goals" in client.get(url).content.decode()
    response = client.post(url, goal_data(pairing))
    assert response.status_code == 200
    assert "at most 3 goals" in response.content.decode()
    assert pairing.goals.count() == 3
    assert "Add a goal" not in client.get(HOME).content.decode()


def test_goal_create_service_refuses_a_fourth_goal():
    pairing = AnnouncedPairingFactory()
    for n in range(3):
        services.goal_create(
            pairing=pairing,
            created_by=pairing.mentee.applicant,
            **goal_data(pairing, title=f"Goal {n}", target_date=pairing.cohort.mentoring_ends),
        )
    with pytest.raises(ValidationError, match="at most 3"):
        services.goal_create(
            pairing=pairing,
            created_by=pairing.mentor.applicant,
            **goal_data(pairing, target_date=pairing.cohort.mentoring_ends),
        )
    assert pairing.goals.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_partners_saving_at_once_cannot_make_a_fourth_goal(postgres):
    pairing = AnnouncedPairingFactory()
    GoalFactory.create_batch(2, pairing=pairing)

    def save(user):
        return lambda: services.goal_create(
            pairing=pairing,
            created_by=user,
            **goal_data(pairing, target_date=pairing.cohort.mentoring_ends),
        )

    outcomes = at_once(save(pairing.mentor.applicant), save(pairing.mentee.applicant))
    assert in_words(outcomes, done="saved", refusal=ValidationError) == ["refused", "saved"]
    assert Goal.objects.filter(pairing=pairing).count() == 3


def test_services_refuse_anyone_but_the_partners():
    pairing = AnnouncedPairingFactory()
    goal = GoalFactory(pairing=pairing)
    stranger = UserFactory()
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.goal_create(pairing=pairing, created_by=stranger, **goal_data(pairing))
    with pytest.raises(PermissionDenied):
        services.goal_progress_note_create(goal=goal, author=stranger, date=today, note="x")
    with pytest.raises(PermissionDenied):
        services.check_in_create(pairing=pairing, logged_by=stranger, date=today, mode="video")
    with pytest.raises(PermissionDenied):
        services.problem_report_create(pairing=pairing, reported_by=stranger, message="x")


def test_either_partner_edits_a_goal_and_its_status(client):
    pairing = AnnouncedPairingFactory()
    goal = GoalFactory(pairing=pairing)
    client.force_login(pairing.mentor.applicant)
    data = goal_data(pairing, title="Renamed", status=Goal.Status.ACHIEVED)
    response = client.post(reverse("participants:goal_update", args=[pairing.pk, goal.pk]), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Renamed", Goal.Status.ACHIEVED)


def test_either_partner_adds_a_dated_progress_note(client):
    pairing = AnnouncedPairingFactory()
    goal = GoalFactory(pairing=pairing)
    day = timezone.localdate() - dt.timedelta(days=3)
    for user, note in ((pairing.mentee.applicant, "Drafted"), (pairing.mentor.applicant, "Read")):
        client.force_login(user)
        response = client.post(
            reverse("participants:progress_note_create", args=[pairing.pk, goal.pk]),
            {"date": day.isoformat(), "note": note},
        )
        assert response.status_code == 302
    assert list(goal.progress_notes.values_list("note", flat=True).order_by("pk")) == [
        "Drafted",
        "Read",
    ]
    page = client.get(HOME).content.decode()
    assert "Drafted" in page
    assert day.strftime("%B") in page


def test_a_check_in_is_logged_and_shown_as_last_contact(client):
    pairing = AnnouncedPairingFactory()
    client.force_login(pairing.mentee.applicant)
    day = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(
        reverse("participants:check_in_create", args=[pairing.pk]),
        {"date": day.isoformat(), "mode": CheckIn.Mode.PHONE, "notes": ""},
    )
    assert response.status_code == 302
    check_in = pairing.check_ins.get()
    assert (check_in.mode, check_in.logged_by) == ("phone", pairing.mentee.applicant)
    client.force_login(pairing.mentor.applicant)
    page = client.get(HOME).content.decode()
    assert "Last contact:" in page
    assert "phone" in page


def test_a_check_in_in_the_future_or_without_a_mode_is_refused_beside_the_field(client):
    pairing = AnnouncedPairingFactory()
    client.force_login(pairing.mentee.applicant)
    url = reverse("participants:check_in_create", args=[pairing.pk])
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(url, {"date": future, "mode": "video", "notes": "Kept"})
    assert response.status_code == 200
    assert "in the future" in str(response.context["form"].errors["date"])
    assert "Kept" in response.content.decode()
    response = client.post(url, {"date": "not a date", "mode": "", "notes": ""})
    assert set(response.context["form"].errors) == {"date", "mode"}
    assert not pairing.check_ins.exists()
    # The mode's message sits under its question, before the options, and the group names it.
    page = response.content.decode()
    group = page[page.index("<fieldset") : page.index("</fieldset>")]
    assert 'aria-describedby="id_mode_error"' in group
    error = group.index('id="id_mode_error"')
    assert group.index("</legend>") < error < group.index('name="mode"')
    assert "This field is required." in group[error:]


def test_flagging_a_problem_tells_the_chairs_only(
    client, chair, member, other_chair, django_capture_on_commit_callbacks
):
    program = chair.committee_memberships.get().program
    pairing = AnnouncedPairingFactory(cohort__program=program)
    liaison = UserFactory(email="liaison@example.org")
    CommitteeMembershipFactory(user=liaison, program=program, role=CommitteeMembership.Role.STAFF)
    client.force_login(pairing.mentee.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participants:problem_report_create", args=[pairing.pk]),
            {"message": "We have not heard from each other in two months."},
        )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.reported_by == pairing.mentee.applicant
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["chair@example.org", "liaison@example.org"]
    message = mail.outbox[0]
    assert "flagged a problem" in message.subject
    assert "two months" in message.body
    assert f"/admin/participants/problemreport/{report.pk}/change/" in message.body
    # The partner is not told and does not see it; the reporter does.
    client.force_login(pairing.mentor.applicant)
    assert "You flagged a problem" not in client.get(HOME).content.decode()
    client.force_login(pairing.mentee.applicant)
    assert "You flagged a problem" in client.get(HOME).content.decode()


def test_a_problem_report_without_a_chair_goes_to_the_program_address(
    django_capture_on_commit_callbacks,
):
    pairing = AnnouncedPairingFactory(cohort__program__contact_email="committee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_report_create(
            pairing=pairing, reported_by=pairing.mentor.applicant, message="Help"
        )
    assert [m.to for m in mail.outbox] == [["committee@example.org"]]


def _report_emails() -> list[tuple[str, str]]:
    emails = Notification.objects.filter(kind="problem_report").order_by("pk")
    return list(emails.values_list("recipient", "status"))


def test_a_report_not_yet_emailed_reaches_only_who_reads_reports_when_it_goes(
    chair, staff_user, mailoutbox
):
    """The mail server was down when the mentee flagged a problem; meanwhile the chair left
    the committee and another was appointed. The report goes to the new chair, never to the
    one who left."""
    program = chair.committee_memberships.get().program
    program.contact_email = "committee@example.org"
    program.save()
    pairing = AnnouncedPairingFactory(cohort__program=program)
    services.problem_report_create(
        pairing=pairing, reported_by=pairing.mentee.applicant, message="We never met."
    )
    assert _report_emails() == [("chair@example.org", "pending")]

    committee_membership_remove(membership=chair.committee_memberships.get(), changed_by=staff_user)
    # No chair left: the program's address reads it meanwhile.
    assert _report_emails() == [
        ("chair@example.org", "withdrawn"),
        ("committee@example.org", "pending"),
    ]
    gone = Notification.objects.get(recipient="chair@example.org")
    assert gone.withdrawn_reason == "The recipient no longer reads the program's problem reports."
    new_chair = UserFactory(email="new-chair@example.org")
    committee_membership_save(
        membership=CommitteeMembership(
            user=new_chair, program=program, role=CommitteeMembership.Role.CHAIR
        ),
        changed_by=staff_user,
    )
    assert [e for e in _report_emails() if e[1] == "pending"] == [
        ("new-chair@example.org", "pending")
    ]
    deliver_due()
    assert [m.to for m in mailoutbox] == [["new-chair@example.org"]]
    assert "We never met." in mailoutbox[0].body


def test_the_deliverer_withdraws_a_report_to_a_chair_made_a_member(chair, member, mailoutbox):
    program = chair.committee_memberships.get().program
    pairing = AnnouncedPairingFactory(cohort__program=program)
    services.problem_report_create(
        pairing=pairing, reported_by=pairing.mentor.applicant, message="Confidential."
    )
    # By a path that does not readdress (a script, the database).
    CommitteeMembership.objects.filter(user=chair).update(role=CommitteeMembership.Role.MEMBER)
    deliver_due()
    assert mailoutbox == []
    assert _report_emails() == [("chair@example.org", "withdrawn")]


def test_an_empty_problem_report_is_refused(client):
    pairing = AnnouncedPairingFactory()
    client.force_login(pairing.mentee.applicant)
    response = client.post(
        reverse("participants:problem_report_create", args=[pairing.pk]), {"message": "  "}
    )
    assert response.status_code == 200
    assert "message" in response.context["form"].errors
    assert not ProblemReport.objects.exists()
