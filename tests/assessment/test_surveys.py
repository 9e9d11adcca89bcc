import datetime as dt

import pytest
from django.core.management import call_command

from assessment.models import (
    Answer,
    Audience,
    Invitation,
    QuestionKind,
    Response,
    Survey,
    SurveyTemplate,
)
from assessment.services import surveys_create_for_cohort
from cohorts.models import Cohort
from cohorts.services import cohort_insert
from tests.cohorts.factories import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def new_cohort(program):
    """A cohort created the way the app creates one (cohort_create runs the hooks)."""
    return cohort_insert(cohort=CohortFactory.build(program=program))


def codes(survey):
    return list(survey.questions.values_list("code", flat=True))


def test_a_new_cohort_gets_a_mentor_and_a_mentee_survey_from_its_programs_templates(program):
    cohort = new_cohort(program)
    mentee = cohort.surveys.get(audience=Audience.MENTEE)
    mentor = cohort.surveys.get(audience=Audience.MENTOR)
    assert {"career_planning", "job_assistance", "shaping_career", "leadership"} <= set(
        codes(mentee)
    )
    assert {"new_ideas", "professional_challenge", "reflect_on_practice"} <= set(codes(mentor))
    shared = set(codes(mentee)) & set(codes(mentor))
    assert {
        "goals_reached",
        "contact_frequency",
        "orientation_useful",
        "take_part_again",
        "recommend",
        "comments",
    } <= shared
    kinds = set(mentee.questions.values_list("kind", flat=True))
    assert kinds == set(QuestionKind.values)  # every kind of question is used
    assert mentee.anonymous and mentor.anonymous
    assert mentee.opens_at.date().isoformat() > cohort.mentoring_ends.isoformat()


def test_alsc_asks_about_the_networking_session_instead_of_an_orientation():
    cohort = new_cohort(ProgramFactory(slug="alsc"))
    survey = cohort.surveys.get(audience=Audience.MENTEE)
    assert "networking_useful" in codes(survey)
    assert "orientation_useful" not in codes(survey)


def test_the_committees_template_edits_shape_the_next_cohorts_surveys(program):
    new_cohort(program)
    template = SurveyTemplate.objects.get(program=program, audience=Audience.MENTOR)
    template.title = "How was mentoring?"
    template.anonymous = False
    template.save()
    template.questions.filter(code="comments").delete()
    template.questions.create(
        code="liaison", kind=QuestionKind.YES_NO, text="Did your liaison help?", order=999
    )

    survey = new_cohort(program).surveys.get(audience=Audience.MENTOR)
    assert survey.title == "How was mentoring?"
    assert not survey.anonymous
    assert "liaison" in codes(survey) and "comments" not in codes(survey)


def test_creating_surveys_again_changes_nothing(program):
    cohort = new_cohort(program)
    before = list(Survey.objects.values_list("pk", flat=True))
    assert surveys_create_for_cohort(cohort=cohort) == []
    assert list(Survey.objects.values_list("pk", flat=True)) == before


def test_create_surveys_command_fills_in_an_existing_cohort(program, capsys):
    cohort = CohortFactory(program=program)
    assert not cohort.surveys.exists()
    call_command("create_surveys", str(cohort.pk))
    assert cohort.surveys.count() == 2
    call_command("create_surveys")
    assert cohort.surveys.count() == 2
    assert "2 survey(s) created." in capsys.readouterr().out


def test_a_cohort_added_in_the_admin_gets_its_surveys(client, staff_user, program):
    client.force_login(staff_user)
    response = client.post(
        "/admin/cohorts/cohort/add/",
        {
            "program": program.pk,
            "name": "2040 cohort",
            "slug": "2040",
            "default_mentor_capacity": 1,
            "applications_open": "2039-08-01",
            "applications_close": "2039-09-15",
            "pairings_notified": "2039-11-01",
            "mentoring_starts": "2039-12-01",
            "mentoring_ends": "2040-06-30",
            "assessment_closes": "2040-07-31",
            "orientation_required": "on",
            "milestones-TOTAL_FORMS": "0",
            "milestones-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Survey.objects.filter(cohort__slug="2040").count() == 2


def test_chair_creates_the_default_surveys_for_their_cohort_only(
    client, chair, program, other_program
):
    mine = CohortFactory(program=program)
    theirs = CohortFactory(program=other_program)
    client.force_login(chair)
    url = "/admin/assessment/survey/create-defaults/"
    page = client.get(url).content.decode()
    assert str(mine) in page and str(theirs) not in page
    response = client.post(url, {"cohort": theirs.pk})
    assert response.status_code == 200 and not theirs.surveys.exists()
    response = client.post(url, {"cohort": mine.pk})
    assert response.status_code == 302
    assert mine.surveys.count() == 2


def test_seed_demo_gives_the_three_programs_templates_and_every_cohort_surveys():
    call_command("seed_demo")
    first = {m.__name__: m.objects.count() for m in (Survey, Response, Answer, Invitation)}
    call_command("seed_demo")
    assert {m.__name__: m.objects.count() for m in (Survey, Response, Answer, Invitation)} == first
    for slug in ("core", "alcts", "alsc"):
        assert SurveyTemplate.objects.filter(program__slug=slug).count() == 2
    for cohort in Cohort.objects.all():
        assert cohort.surveys.count() == 2
    # The closed demo cohorts have a few fictional answers for the results page.
    assert first["Response"] > 0
    assert not Response.objects.filter(survey__cohort__assessment_closes__gte=dt.date.today())
