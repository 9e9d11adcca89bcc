import csv
import io

import pytest
from django.utils import timezone

from assessment.exports import neutralize
from assessment.models import Audience, Response
from assessment.selectors import cohort_results, open_invitations_for_user
from assessment.services import response_submit
from tests.cohorts.factories import CohortFactory

from .factories import InvitationFactory

pytestmark = pytest.mark.django_db

MENTEES = ["Juniper Oyelaran", "Anselm Varga", "Priya Castellanos", "Wren Abernathy"]
MENTORS = ["Rosalind Feathersby", "Tobias Quennell"]


def submit(invitation, **values):
    """Answer every required question with its first option, then the given ones by code."""
    answers = {}
    for question in invitation.survey.questions.all():
        if question.code in values:
            answers[question.pk] = values[question.code]
        elif question.required:
            answers[question.pk] = question.options()[0][0]
    response_submit(invitation=invitation, answers=answers)


@pytest.fixture
def cohort(program):
    """Hand-made: 4 mentees invited, 3 answer (anonymous); 2 mentors invited, both answer
    (named)."""
    cohort = CohortFactory(program=program, name="2031 cohort", phase="assessment", surveys=True)
    mentee_survey = cohort.surveys.get(audience=Audience.MENTEE)
    mentor_survey = cohort.surveys.get(audience=Audience.MENTOR)
    mentor_survey.anonymous = False
    mentor_survey.save()
    now = timezone.now()
    mentees = [
        InvitationFactory(survey=mentee_survey, application__full_name=name, sent_at=now)
        for name in MENTEES
    ]
    mentors = [
        InvitationFactory(survey=mentor_survey, application__full_name=name, sent_at=now)
        for name in MENTORS
    ]
    submit(
        mentees[0],
        satisfaction=5,
        contact_frequency="Every week",
        take_part_again="yes",
        most_valuable="Zebra talk",
        comments='=HYPERLINK("http://evil.example")',
    )
    submit(
        mentees[1],
        satisfaction=4,
        contact_frequency="About once a month",
        take_part_again="yes",
        most_valuable="Apple idea",
        meeting_modes=["Email", "Video call"],
    )
    submit(
        mentees[2],
        satisfaction=4,
        contact_frequency="About once a month",
        take_part_again="no",
        meeting_modes=["Video call"],
    )
    submit(mentors[0], satisfaction=3, contact_frequency="Every week", new_ideas=4)
    submit(
        mentors[1],
        satisfaction=5,
        contact_frequency="Every week",
        new_ideas=4,
        most_valuable="Mentor insight",
    )
    return cohort


def by_code(results, code):
    return next(q for q in results.questions if q.code == code)


def counts(distribution):
    return {o.label: (o.count, o.percent) for o in distribution.options if o.count}


def test_results_are_computed_correctly_for_a_seeded_cohort(cohort, django_assert_num_queries):
    with django_assert_num_queries(3):  # however many responses
        results = cohort_results(cohort=cohort)

    rates = {r.audience: (r.invited, r.responded, r.rate) for r in results.rates}
    assert rates == {"mentee": (4, 3, 75), "mentor": (2, 2, 100)}

    satisfaction = by_code(results, "satisfaction")
    mentee, mentor = satisfaction.by_role["mentee"], satisfaction.by_role["mentor"]
    assert (mentee.answered, mentee.mean) == (3, 4.33)
    assert counts(mentee) == {"4": (2, 67), "5 (Very satisfied)": (1, 33)}
    assert (mentor.answered, mentor.mean) == (2, 4.0)
    assert counts(mentor) == {"3": (1, 50), "5 (Very satisfied)": (1, 50)}

    contact = by_code(results, "contact_frequency")
    assert counts(contact.by_role["mentee"]) == {
        "Every week": (1, 33),
        "About once a month": (2, 67),
    }
    assert counts(contact.by_role["mentor"]) == {"Every week": (2, 100)}

    again = by_code(results, "take_part_again")
    assert counts(again.by_role["mentee"]) == {"Yes": (2, 67), "No": (1, 33)}

    modes = by_code(results, "meeting_modes")  # several choices: percent of who answered
    assert counts(modes.by_role["mentee"]) == {"Email": (1, 50), "Video call": (2, 100)}

    ideas = by_code(results, "new_ideas")  # asked of mentors only
    assert ideas.by_role.get("mentee") is None
    assert counts(ideas.by_role["mentor"]) == {"4": (2, 100)}

    valuable = by_code(results, "most_valuable")
    # Anonymous: no names, and sorted by text rather than in the order people answered.
    assert valuable.by_role["mentee"].texts == [(None, "Apple idea"), (None, "Zebra talk")]
    assert valuable.by_role["mentor"].texts == [("Tobias Quennell", "Mentor insight")]


def results_url(cohort):
    return f"/admin/assessment/survey/results/{cohort.pk}/"


def test_the_results_page_shows_rates_and_mentor_and_mentee_side_by_side(
    client, member, cohort, django_assert_max_num_queries
):
    client.force_login(member)
    # The admin's menu checks permissions model by model; the results add a fixed 3 queries.
    with django_assert_max_num_queries(60):
        response = client.get(results_url(cohort))
    page = response.content.decode()
    assert response.status_code == 200
    assert "75%" in page and "100%" in page
    assert "Mentees (n = 3)" in page and "Mentors (n = 2)" in page
    assert page.index("Asked of mentors and mentees") < page.index("Asked of mentors only")
    assert "Mentors were asked: “Did you and your mentee reach" in page
    assert "4.33" in page
    assert "Apple idea" in page and "Mentor insight" in page and "Tobias Quennell" in page


def test_results_and_export_are_program_scoped(client, other_chair, cohort):
    client.force_login(other_chair)
    assert client.get(results_url(cohort)).status_code == 404
    assert client.get(results_url(cohort) + "csv/").status_code == 404
    assert client.get("/admin/assessment/survey/results/999999/").status_code == 404
    assert client.get("/admin/assessment/response/").content.count(b"Response ") == 0


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_names_only_the_non_anonymous_respondents_and_defuses_formulas(
    client, staff_user, cohort
):
    client.force_login(staff_user)
    response = client.get(results_url(cohort) + "csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:7] == [
        "role",
        "response",
        "anonymous",
        "name",
        "email",
        "first submitted",
        "last changed",
    ]
    assert len(body) == 5
    mentee_rows = [r for r in body if r[0] == "Mentees"]
    assert all(r[2] == "yes" and r[3:7] == ["", "", "", ""] for r in mentee_rows)
    mentor_names = {r[3] for r in body if r[0] == "Mentors"}
    assert mentor_names == set(MENTORS)
    comments = header.index(next(h for h in header if h.endswith("[comments]")))
    assert '\'=HYPERLINK("http://evil.example")' in [r[comments] for r in body]
    text = "\n".join(",".join(r) for r in rows)
    for name in MENTEES:
        assert name not in text


def test_neutralize_defuses_every_dangerous_first_character():
    for first in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralize(f"{first}1+1") == f"'{first}1+1"
    assert neutralize("Fine answer") == "Fine answer"
    assert neutralize(4) == 4


def test_anonymity_holds_in_every_admin_view(client, staff_user, cohort):
    """Staff see everything else, but never which mentee gave which answer."""
    client.force_login(staff_user)
    mentee_response = Response.objects.filter(survey__audience="mentee").first()
    answer = mentee_response.answers.first()
    pages = [
        results_url(cohort),
        "/admin/assessment/response/",
        f"/admin/assessment/response/{mentee_response.pk}/change/",
        "/admin/assessment/answer/",
        f"/admin/assessment/answer/{answer.pk}/change/",
        "/admin/assessment/answer/?q=Juniper",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for name in MENTEES:
            assert name not in page, (url, name)
        assert mentee_response.invitation.application.email not in page
    # Searching responses by a person's name cannot single out their response.
    respondent = client.get("/admin/assessment/response/?q=Juniper").content.decode()
    non_respondent = client.get("/admin/assessment/response/?q=Wren").content.decode()
    assert respondent.count("Response ") == non_respondent.count("Response ")
    # The invitation list says who answered an anonymous survey, but not when.
    invitations = client.get("/admin/assessment/invitation/").content.decode()
    assert "Juniper Oyelaran" in invitations
    # Named mentor responses do show who answered.
    named = Response.objects.filter(survey__audience="mentor").first()
    page = client.get(f"/admin/assessment/response/{named.pk}/change/").content.decode()
    assert named.invitation.application.full_name in page


def test_results_survive_a_question_changed_after_it_was_answered(cohort):
    question = cohort.surveys.get(audience="mentee").questions.get(code="satisfaction")
    question.kind = "multiple"
    question.choices = "4\n5"
    question.save()
    satisfaction = by_code(cohort_results(cohort=cohort), "satisfaction")
    assert counts(satisfaction.by_role["mentee"]) == {"4": (2, 67), "5": (1, 33)}


def test_a_participant_finds_their_open_invitations(cohort, program):
    invitation = Response.objects.filter(survey__audience="mentor").first().invitation
    user = invitation.application.applicant
    closed = CohortFactory(program=program, phase="closed", surveys=True).surveys.get(
        audience="mentor"
    )
    InvitationFactory(survey=closed, application__applicant=user, sent_at=timezone.now())
    assert open_invitations_for_user(user=user) == [invitation]
