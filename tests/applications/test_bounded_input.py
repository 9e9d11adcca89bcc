"""Bounded input (issue 14, finding 9): application emails go to the account's address, at most
a few submit and withdraw receipts a day, and every free-text field has a maximum length on the
model and in the form, refused with a clear message that keeps what was typed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import ANSWER_LIMIT, Application
from applications.receipts import RECEIPTS_PER_DAY
from matching.models import Pairing
from notifications.models import Notification
from participants.models import NOTE_LIMIT, CheckIn, ProblemReport
from participants.services import problem_report_create
from tests.applications.helpers import apply_url, complete_answers
from tests.cohorts.factories import CommitteeMembershipFactory
from tests.matching.factories import AnnouncedPairingFactory

pytestmark = pytest.mark.django_db


def submit(client, cohort, **answers):
    return client.post(
        apply_url(cohort), {**complete_answers(cohort), **answers, "action": "submit"}
    )


def withdraw(client, application):
    return client.post(reverse("applications:withdraw", args=[application.pk]), follow=True)


def test_application_emails_go_to_the_accounts_address_never_the_typed_contact(
    client, cohort, applicant
):
    client.force_login(applicant)
    submit(client, cohort, email="someone.else@example.com")

    application = Application.objects.get(applicant=applicant)
    assert application.email == "someone.else@example.com"  # kept: shown to the partner
    receipt = Notification.objects.get(kind="application_submitted")
    assert receipt.recipient == applicant.email == "applicant@example.org"


def test_five_submit_and_withdraw_cycles_send_at_most_three_receipts_then_say_so(
    client, cohort, applicant
):
    client.force_login(applicant)
    pages = []
    for _cycle in range(5):
        response = submit(client, cohort, email="third.party@example.com")
        pages.append(client.get(response.url).content.decode())
        application = Application.objects.get(applicant=applicant)
        pages.append(withdraw(client, application).content.decode())

    receipts = Notification.objects.filter(kind__startswith="application_")
    assert receipts.count() == RECEIPTS_PER_DAY == 3
    assert set(receipts.values_list("recipient", flat=True)) == {"applicant@example.org"}
    assert "A confirmation is on its way" in pages[0]
    assert "the most we send in a day" in pages[-1]
    assert "the most we send in a day" in pages[-2]
    # A day later the receipts come again.
    Notification.objects.update(created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    submit(client, cohort)
    assert receipts.count() == 4


def test_an_answer_over_the_limit_is_refused_beside_the_field_and_kept(client, cohort, applicant):
    client.force_login(applicant)
    too_long = "x" * (ANSWER_LIMIT + 1)
    response = submit(client, cohort, mentee_goals=too_long)

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Ensure this value has at most {ANSWER_LIMIT} characters" in page
    assert too_long in page
    assert f'maxlength="{ANSWER_LIMIT}"' in page
    assert not Notification.objects.exists()


def test_the_application_model_refuses_an_answer_over_the_limit(cohort, applicant):
    application = Application(cohort=cohort, applicant=applicant, role="mentee")
    application.mentee_goals = "x" * (ANSWER_LIMIT + 1)
    with pytest.raises(ValidationError) as refused:
        application.full_clean(exclude=["areas"], validate_unique=False)
    assert "mentee_goals" in refused.value.message_dict


# --- notes of a pair -------------------------------------------------------------------------


@pytest.fixture
def pairing(program):
    pairing = AnnouncedPairingFactory(cohort__program=program, status=Pairing.Status.ACTIVE)
    CommitteeMembershipFactory(program=program, role="chair")
    return pairing


@pytest.mark.parametrize(
    ("url_name", "field", "extra"),
    [
        ("participants:check_in_create", "notes", {"mode": "video"}),
        ("participants:problem_report_create", "message", {}),
    ],
)
def test_a_note_over_5000_characters_is_refused_beside_the_field_and_kept(
    client, pairing, url_name, field, extra
):
    client.force_login(pairing.mentee.applicant)
    too_long = "A long story. " * (NOTE_LIMIT // 14 + 1)
    assert len(too_long) > NOTE_LIMIT

    response = client.post(
        reverse(url_name, args=[pairing.pk]),
        {field: too_long, "date": pairing.cohort.mentoring_starts.isoformat(), **extra},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in page
    assert too_long.strip() in page
    assert f'maxlength="{NOTE_LIMIT}"' in page
    assert not CheckIn.objects.exists() and not ProblemReport.objects.exists()
    assert not Notification.objects.exists()  # nothing emailed to the chairs


def test_a_million_character_problem_report_is_refused_by_the_service_too(pairing):
    with pytest.raises(ValidationError) as refused:
        problem_report_create(
            pairing=pairing, reported_by=pairing.mentee.applicant, message="x" * 1_000_000
        )
    assert "message" in refused.value.message_dict
    assert not ProblemReport.objects.exists()
    assert not Notification.objects.exists()
