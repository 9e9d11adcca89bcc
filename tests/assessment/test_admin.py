import pytest
from django.utils import timezone

from assessment.models import Audience, Invitation, Question, Survey, SurveyTemplate
from assessment.services import response_submit
from tests.cohorts.factories import CohortFactory

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(program):
    cohort = CohortFactory(program=program, phase="assessment", surveys=True)
    survey = cohort.surveys.get(audience=Audience.MENTEE)
    invitation = InvitationFactory(survey=survey, sent_at=timezone.now())
    answers = {
        q.pk: ([q.options()[0][0]] if q.kind == "multiple" else q.options()[0][0])
        for q in survey.questions.all()
        if q.options()
    }
    response_submit(invitation=invitation, answers=answers)
    return invitation


def change_urls(invitation):
    survey = invitation.survey
    template = SurveyTemplate.objects.get(program=survey.cohort.program, audience=survey.audience)
    return [
        f"/admin/assessment/surveytemplate/{template.pk}/change/",
        f"/admin/assessment/templatequestion/{template.questions.first().pk}/change/",
        f"/admin/assessment/survey/{survey.pk}/change/",
        f"/admin/assessment/question/{survey.questions.first().pk}/change/",
        f"/admin/assessment/invitation/{invitation.pk}/change/",
        f"/admin/assessment/response/{invitation.response.pk}/change/",
        f"/admin/assessment/answer/{invitation.response.answers.first().pk}/change/",
    ]


LISTS = [
    "/admin/assessment/surveytemplate/",
    "/admin/assessment/templatequestion/",
    "/admin/assessment/survey/",
    "/admin/assessment/question/",
    "/admin/assessment/invitation/",
    "/admin/assessment/response/",
    "/admin/assessment/answer/",
]


def test_the_committee_reads_every_assessment_admin_page_of_its_program(client, member, answered):
    client.force_login(member)
    for url in LISTS + change_urls(answered):
        assert client.get(url).status_code == 200, url


def test_another_programs_chair_gets_404_on_every_change_page(client, other_chair, answered):
    client.force_login(other_chair)
    for url in change_urls(answered):
        assert client.get(url).status_code == 404, url
    survey_list = client.get("/admin/assessment/survey/").content.decode()
    assert str(answered.survey.cohort) not in survey_list


def test_the_token_is_never_shown_and_answers_cannot_be_edited_in_the_admin(
    client, staff_user, answered
):
    client.force_login(staff_user)
    for url in LISTS + change_urls(answered):
        assert answered.token not in client.get(url).content.decode(), url
    response_url = f"/admin/assessment/response/{answered.response.pk}/change/"
    client.post(response_url, {"survey": Survey.objects.last().pk})
    assert Invitation.objects.get(pk=answered.pk).response.survey == answered.survey
    assert client.get(f"/admin/assessment/invitation/{answered.pk}/delete/").status_code == 403


def test_committee_edits_a_template_question_in_the_admin(client, chair, program):
    CohortFactory(program=program, surveys=True)
    question = Question.objects.filter(survey__cohort__program=program).first()
    template_question = SurveyTemplate.objects.get(
        program=program, audience=question.survey.audience
    ).questions.get(code=question.code)
    client.force_login(chair)
    url = f"/admin/assessment/templatequestion/{template_question.pk}/change/"
    data = {
        "template": template_question.template_id,
        "order": 5,
        "code": template_question.code,
        "kind": "likert",
        "text": "Reworded by the committee",
        "required": "on",
        "low_label": "No",
        "high_label": "Yes",
    }
    assert client.post(url, data).status_code == 302
    template_question.refresh_from_db()
    assert template_question.text == "Reworded by the committee"
    data.update(kind="single", choices="Only one")
    page = client.post(url, data).content.decode()
    assert "Give at least two choices" in page


def test_a_member_reads_the_surveys_but_only_the_chair_changes_them(client, member, program):
    CohortFactory(program=program, surveys=True)
    template = SurveyTemplate.objects.filter(program=program).first()
    template_question = template.questions.first()
    url = f"/admin/assessment/templatequestion/{template_question.pk}/change/"
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()  # read-only: no field to type in
    response = client.post(url, {"text": "Reworded by a member", "order": 1, "kind": "text"})
    assert response.status_code == 403
    template_question.refresh_from_db()
    assert template_question.text != "Reworded by a member"
    assert client.get("/admin/assessment/surveytemplate/add/").status_code == 403
