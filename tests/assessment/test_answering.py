import datetime as dt
import secrets

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import Answer, Audience, Question, QuestionKind, Response
from assessment.services import SurveyClosed, response_submit
from tests.cohorts.factories import CohortFactory

from .factories import InvitationFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(program):
    """A small mentee survey: one of each kind of question, two of them required."""
    cohort = CohortFactory(program=program, name="2031 cohort", phase="assessment", surveys=True)
    survey = cohort.surveys.get(audience=Audience.MENTEE)
    survey.questions.all().delete()
    QuestionFactory(
        survey=survey,
        code="satisfaction",
        text="How satisfied are you?",
        required=True,
        low_label="Very dissatisfied",
        high_label="Very satisfied",
    )
    QuestionFactory(
        survey=survey,
        code="contact",
        kind=QuestionKind.SINGLE,
        text="How often did you meet?",
        choices="Weekly\nMonthly",
        required=True,
    )
    QuestionFactory(
        survey=survey,
        code="modes",
        kind=QuestionKind.MULTIPLE,
        text="How did you meet?",
        choices="Email\nVideo call\nIn person",
    )
    QuestionFactory(survey=survey, code="again", kind=QuestionKind.YES_NO, text="Again?")
    QuestionFactory(survey=survey, code="topic", kind=QuestionKind.SHORT_TEXT, text="Topic?")
    QuestionFactory(survey=survey, code="comments", kind=QuestionKind.LONG_TEXT, text="Comments?")
    return survey


@pytest.fixture
def invitation(survey):
    return InvitationFactory(
        survey=survey,
        application__full_name="Juniper Oyelaran",
        sent_at=timezone.now(),
    )


def q(survey, code) -> Question:
    return survey.questions.get(code=code)


def form_data(survey, **values):
    return {q(survey, code).field_name: value for code, value in values.items()}


def url(invitation):
    return f"/surveys/{invitation.token}/"


def test_the_link_opens_the_survey_without_logging_in_and_says_who_it_is_for(client, invitation):
    page = client.get(url(invitation)).content.decode()
    assert "For Juniper, as a mentee in the" in page
    assert "2031 cohort" in page
    assert "Oyelaran" not in page  # first name only: the link may be forwarded
    assert "How satisfied are you?" in page
    # Radio groups are fieldsets with a legend; the scale's ends are labeled.
    assert page.count("<fieldset") == 4 and "<legend" in page
    assert "1 = Very dissatisfied" in page and "5 = Very satisfied" in page
    assert 'name="robots" content="noindex"' in page


def test_a_forged_token_is_a_404(client, invitation):
    for token in (
        secrets.token_urlsafe(32),
        invitation.token[:-1],
        invitation.token.upper(),
        "x",
        invitation.token + "x",
    ):
        assert client.get(f"/surveys/{token}/").status_code == 404
        assert client.post(f"/surveys/{token}/", {}).status_code == 404
    assert not Response.objects.exists()


def test_a_token_answers_only_its_own_survey(client, invitation, survey):
    mentor_survey = survey.cohort.surveys.get(audience=Audience.MENTOR)
    mentor_question = mentor_survey.questions.filter(kind=QuestionKind.LIKERT).first()
    other = InvitationFactory(survey=mentor_survey, sent_at=timezone.now())

    data = form_data(survey, satisfaction="4", contact="Weekly")
    data[mentor_question.field_name] = "1"  # a question of another survey, slipped in
    client.post(url(invitation), data)

    assert list(Response.objects.values_list("survey", flat=True)) == [survey.pk]
    assert not Answer.objects.filter(question=mentor_question).exists()
    # The mentor's own token shows the mentor survey, not the mentee one.
    page = client.get(url(other)).content.decode()
    assert mentor_question.text in page and "How satisfied are you?" not in page


def test_answers_are_saved_and_the_invitation_marked_answered(client, invitation, survey):
    response = client.post(
        url(invitation),
        form_data(
            survey,
            satisfaction="5",
            contact="Monthly",
            modes=["Email", "In person"],
            again="yes",
            topic="Storytime",
            comments="=HYPERLINK(1)",
        ),
    )
    assert response.status_code == 302 and response["Location"] == url(invitation)
    answers = {a.question.code: a.value for a in Answer.objects.select_related("question")}
    assert answers == {
        "satisfaction": 5,
        "contact": "Monthly",
        "modes": ["Email", "In person"],
        "again": "yes",
        "topic": "Storytime",
        "comments": "=HYPERLINK(1)",
    }
    invitation.refresh_from_db()
    assert invitation.completed_at is not None
    page = client.get(url(invitation)).content.decode()
    assert "Thank you: your answers are saved" in page
    assert "Save my changes" in page
    assert 'value="Monthly" checked' in page  # shown again, to change


def test_a_second_submission_edits_the_response_never_duplicates_it(client, invitation, survey):
    client.post(url(invitation), form_data(survey, satisfaction="2", contact="Weekly", topic="A"))
    first = Response.objects.get()
    client.post(url(invitation), form_data(survey, satisfaction="4", contact="Weekly"))

    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert response.pk == first.pk and response.updated_at >= first.updated_at
    answers = {a.question.code: a.value for a in response.answers.select_related("question")}
    assert answers == {"satisfaction": 4, "contact": "Weekly"}  # the cleared topic is gone


def test_the_database_allows_one_response_per_invitation(invitation, survey):
    Response.objects.create(invitation=invitation, survey=survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(invitation=invitation, survey=survey)


def test_missing_and_invalid_answers_show_errors_beside_the_field_and_keep_the_rest(
    client, invitation, survey
):
    response = client.post(
        url(invitation),
        form_data(survey, satisfaction="9", modes=["Email", "Carrier pigeon"], topic="Budgets"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    satisfaction, contact, modes = (q(survey, c) for c in ("satisfaction", "contact", "modes"))
    assert f'id="id_{satisfaction.field_name}-error">Choose from the choices given.' in page
    assert f'id="id_{contact.field_name}-error">Please answer this question.' in page
    assert f'id="id_{modes.field_name}-error"' in page
    assert f'aria-describedby="id_{contact.field_name}-error"' in page
    # A group's message sits under its question, before its options.
    for question in (satisfaction, modes):
        error = page.index(f'id="id_{question.field_name}-error"')
        group = page[page.rindex("<fieldset", 0, error) : page.index("</fieldset>", error)]
        error = group.index(f'id="id_{question.field_name}-error"')
        assert group.index("</legend>") < error < group.index(f'name="{question.field_name}"')
    assert 'value="Budgets"' in page  # what was typed is kept
    assert not Response.objects.exists()


def test_answers_after_closing_are_refused(client, invitation, survey):
    survey.closes = timezone.now() - dt.timedelta(minutes=1)
    survey.opens = timezone.now() - dt.timedelta(days=30)
    survey.save()

    page = client.get(url(invitation)).content.decode()
    assert "This survey has closed" in page and "<form method" not in page
    response = client.post(url(invitation), form_data(survey, satisfaction="5", contact="Weekly"))
    assert response.status_code == 403
    assert "This survey has closed" in response.content.decode()
    assert not Response.objects.exists()
    with pytest.raises(SurveyClosed):
        response_submit(invitation=invitation, answers={})


def test_a_survey_not_yet_open_says_when_it_opens(client, program):
    cohort = CohortFactory(program=program, phase="in_progress", surveys=True)
    invitation = InvitationFactory(survey=cohort.surveys.get(audience=Audience.MENTOR))
    page = client.get(url(invitation)).content.decode()
    assert "This survey opens on" in page
    assert client.post(url(invitation), {}).status_code == 403


def test_the_closing_date_is_the_programs_own_day(client, other_program):
    """A Pacific program's survey closes at 23:59 Pacific: still that day, not the next."""
    cohort = CohortFactory(program=other_program, phase="assessment", surveys=True)
    invitation = InvitationFactory(survey=cohort.surveys.get(audience=Audience.MENTEE))
    page = client.get(url(invitation)).content.decode()
    assert f"Open until {cohort.assessment_closes:%A, %B} {cohort.assessment_closes.day}," in page
