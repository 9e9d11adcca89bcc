import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessment.models import Invitation
from assessment.planners import plan_survey_invitations
from assessment.services import response_submit
from matching.models import Pairing
from notifications.delivery import deliver_due
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory
from tests.matching.factories import PairingFactory

from .factories import active_pairing

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    program.contact_email = "committee@example.org"
    program.save()
    return CohortFactory(program=program, phase="assessment", surveys=True)


def test_two_ticks_send_one_invitation_email_per_participant_and_role(cohort):
    pairing = active_pairing(cohort)
    both = ApplicationFactory(cohort=cohort, role="both", status="accepted")
    second_mentee = ApplicationFactory(cohort=cohort, role="mentee", status="accepted")
    PairingFactory(
        cohort=cohort, mentor=both, mentee=second_mentee, status=Pairing.Status.COMPLETED
    )
    PairingFactory(
        cohort=cohort, mentor=pairing.mentor, mentee=both, status=Pairing.Status.ANNOUNCED
    )

    call_command("tick")
    call_command("tick")

    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(
        [
            pairing.mentor.email,
            pairing.mentee.email,
            both.email,
            both.email,
            second_mentee.email,
        ]
    )
    assert recipients == expected
    assert Invitation.objects.count() == 5
    assert Invitation.objects.filter(application=both).count() == 2  # a mentor and a mentee survey
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"survey-invite:{i.pk}" for i in Invitation.objects.all()}
    message = next(m for m in mail.outbox if m.to == [pairing.mentee.email])
    invitation = Invitation.objects.get(application=pairing.mentee)
    assert f"http://127.0.0.1:8000/surveys/{invitation.token}/" in message.body
    assert invitation.first_name in message.body
    assert "mentee" in message.subject
    assert all(i.sent_at for i in Invitation.objects.all())


def test_nobody_is_invited_before_mentoring_ends_or_without_an_announced_pairing(program):
    running = CohortFactory(program=program, phase="in_progress")
    active_pairing(running)
    ended = CohortFactory(program=program, phase="assessment")
    PairingFactory(cohort=ended, status=Pairing.Status.APPROVED)
    PairingFactory(cohort=ended, status=Pairing.Status.DISSOLVED)

    assert plan_survey_invitations(now=timezone.now()) == 0
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_closed_survey_invites_nobody(program):
    active_pairing(CohortFactory(program=program, phase="closed"))
    assert plan_survey_invitations(now=timezone.now()) == 0


def test_reminder_a_week_later_goes_once_and_only_to_those_who_have_not_answered(cohort):
    first = active_pairing(cohort)
    now = timezone.now()
    plan_survey_invitations(now=now)
    answered = Invitation.objects.get(application=first.mentee)
    survey = answered.survey
    answers = {q.pk: _valid(q) for q in survey.questions.all()}
    response_submit(invitation=answered, answers=answers, now=now)
    deliver_due()
    mail.outbox.clear()

    assert plan_survey_invitations(now=now + dt.timedelta(days=6)) == 0
    later = now + dt.timedelta(days=7, minutes=1)
    assert plan_survey_invitations(now=later) == 1
    assert plan_survey_invitations(now=later + dt.timedelta(hours=1)) == 0

    deliver_due()
    assert [m.to for m in mail.outbox] == [[first.mentor.email]]
    assert mail.outbox[0].subject.startswith("Reminder")
    mentor_invitation = Invitation.objects.get(application=first.mentor)
    assert Notification.objects.filter(key=f"survey-reminder:{mentor_invitation.pk}:7d").exists()
    assert mentor_invitation.reminded_at is not None


def test_last_reminder_two_days_before_closing_goes_once(cohort):
    pairing = active_pairing(cohort)
    plan_survey_invitations(now=timezone.now())
    invitation = Invitation.objects.get(application=pairing.mentee)
    closes = invitation.survey.closes_at
    deliver_due()
    mail.outbox.clear()

    assert plan_survey_invitations(now=closes - dt.timedelta(days=2, minutes=5)) == 2  # 7-day
    assert plan_survey_invitations(now=closes - dt.timedelta(days=1, hours=23)) == 2  # last
    assert plan_survey_invitations(now=closes - dt.timedelta(days=1)) == 0
    assert plan_survey_invitations(now=closes + dt.timedelta(minutes=1)) == 0

    deliver_due()
    subjects = [m.subject for m in mail.outbox if m.to == [pairing.mentee.email]]
    assert len(subjects) == 2 and subjects[1].startswith("Last chance")
    assert Notification.objects.filter(key=f"survey-reminder:{invitation.pk}:last").count() == 1
    invitation.refresh_from_db()
    assert invitation.last_reminded_at is not None


def _valid(question):
    options = question.options()
    if question.kind == "multiple":
        return [options[0][0]]
    if options:
        return options[0][0]
    return "Fine."


def test_the_outbox_admin_never_shows_a_survey_link(cohort, client, staff_user, chair):
    pairing = active_pairing(cohort)
    call_command("tick")
    invitation = Invitation.objects.get(application=pairing.mentee)
    notification = Notification.objects.get(key=f"survey-invite:{invitation.pk}")
    assert invitation.token in notification.body_text
    for reader in (staff_user, chair):
        client.force_login(reader)
        page = client.get(
            f"/admin/notifications/notification/{notification.pk}/change/"
        ).content.decode()
        assert invitation.token not in page
        assert "/surveys/(personal link)/" in page
