"""A cohort's matching settings can use its own questions: set in the admin and on the run form,
recorded with the run, scored like the built-in criteria and explained in words."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Pairing, QuestionCriterion
from matching.services import match_run_start, question_criterion_save
from tests.applications.factories import ApplicationFactory, CohortQuestionFactory, answer
from tests.cohorts.factories import AreaOfInterestFactory, CohortFactory
from tests.matching.factories import PairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program, phase="matching")


@pytest.fixture
def language(cohort):
    return CohortQuestionFactory(
        cohort=cohort,
        label="Language you would like to mentor in",
        short_label="Language",
        choices="English\nSpanish\nFrench",
    )


def _people(cohort, language):
    """Built-in criteria pair Ana with Xavier and Bo with Yolanda (a shared area each, the
    same experience gap); their languages say otherwise."""
    cataloging = AreaOfInterestFactory(program=cohort.program, name="Cataloging")
    leadership = AreaOfInterestFactory(program=cohort.program, name="Leadership")
    people = {}
    for name, role, area, spoken in [
        ("Ana", "mentee", cataloging, "Spanish"),
        ("Bo", "mentee", leadership, "French"),
        ("Xavier", "mentor", cataloging, "French"),
        ("Yolanda", "mentor", leadership, "Spanish"),
    ]:
        application = ApplicationFactory(
            cohort=cohort, role=role, status="accepted", full_name=name, areas=[area]
        )
        answer(application, language, spoken)
        people[name] = application
    return people


def _run(cohort, member, capture, **kwargs):
    with capture(execute=True):
        run = match_run_start(cohort=cohort, started_by=member, weights={}, **kwargs)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def _pairs(run) -> set[tuple[str, str]]:
    return {
        (p.mentee.full_name, p.mentor.full_name)
        for p in Pairing.objects.filter(run=run).select_related("mentee", "mentor")
    }


def test_a_language_criterion_changes_the_pairs_and_the_reasons_say_why(
    client, cohort, language, member, django_capture_on_commit_callbacks
):
    _people(cohort, language)
    first = _run(cohort, member, django_capture_on_commit_callbacks)
    assert _pairs(first) == {("Ana", "Xavier"), ("Bo", "Yolanda")}

    criterion = question_criterion_save(
        criterion=QuestionCriterion(cohort=cohort, mentee_question=language, weight=5),
        saved_by=member,
    )
    second = _run(cohort, member, django_capture_on_commit_callbacks)

    assert _pairs(second) == {("Ana", "Yolanda"), ("Bo", "Xavier")}
    pairing = Pairing.objects.get(run=second, mentee__full_name="Ana")
    assert "both chose: Spanish" in pairing.reasons
    assert pairing.breakdown["answer: Language"] == 5.0
    # The run records the criteria it used.
    assert second.weights["answer_criteria"][0]["mentee_question"] == language.pk
    assert second.weights["answer_criteria"][0]["weight"] == 5.0

    # The review: both sides' answers, and the criterion by name in the score.
    client.force_login(member)
    page = client.get(reverse("admin:matching_review", args=[cohort.pk])).content.decode()
    card = page.split(f'<tr id="pair-{pairing.pk}">')[1].split("</tr>\n  {% ")[0]
    card = card.split("</details>")[0]
    answers = card.split("The program's questions")[1]
    assert "Language you would like to mentor in" in answers  # one row, both sides' answers
    assert answers.count("Spanish") == 2  # mentee's and mentor's
    assert "both chose: Spanish" in card
    assert "Answers: Language" in card

    # The run form sets the criterion's weight; 0 turns it off.
    run_url = reverse("admin:matching_run", args=[cohort.pk])
    form_page = client.get(run_url).content.decode()
    assert f'name="c_{criterion.pk}"' in form_page and "Language: same answer" in form_page
    third = _run(
        cohort, member, django_capture_on_commit_callbacks, criterion_weights={criterion.pk: 0}
    )
    criterion.refresh_from_db()
    assert criterion.weight == 0
    assert _pairs(third) == {("Ana", "Xavier"), ("Bo", "Yolanda")}


def test_the_run_form_posts_the_criterion_weights(
    client, cohort, language, member, django_capture_on_commit_callbacks
):
    criterion = QuestionCriterion.objects.create(cohort=cohort, mentee_question=language)
    client.force_login(member)
    url = reverse("admin:matching_run", args=[cohort.pk])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data[f"c_{criterion.pk}"] = "7.5"
    data = {k: v for k, v in data.items() if v is not False}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == 7.5


def test_a_criterion_must_compare_questions_of_the_cohort_that_can_be_compared(
    cohort, language, member, other_chair
):
    text = CohortQuestionFactory(cohort=cohort, kind="long_text")
    scale = CohortQuestionFactory(cohort=cohort, kind="scale")
    mentees_only = CohortQuestionFactory(cohort=cohort, asked_of="mentee")
    elsewhere = CohortQuestionFactory(cohort=CohortFactory(program=cohort.program))
    cases = [
        (dict(mentee_question=text), "Only single choice"),
        (dict(mentee_question=elsewhere), "Choose a question this cohort asks."),
        (dict(mentee_question=scale), "Compare scales by closeness."),
        (dict(mentee_question=language, rule="closeness"), "Closeness compares two 1-5 scales."),
        (dict(mentee_question=language, rule="overlap"), "multiple choice"),
        (dict(mentee_question=mentees_only), "not asked of mentors"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError, match=message):
            question_criterion_save(
                criterion=QuestionCriterion(cohort=cohort, **fields), saved_by=member
            )
    with pytest.raises(PermissionDenied):
        question_criterion_save(
            criterion=QuestionCriterion(cohort=cohort, mentee_question=language),
            saved_by=other_chair,
        )
    assert not QuestionCriterion.objects.exists()


def test_the_committee_adds_a_criterion_in_the_admin_scoped_to_its_program(
    client, cohort, language, member, other_chair
):
    client.force_login(member)
    add = reverse("admin:matching_questioncriterion_add")
    form = client.get(add).context["adminform"].form
    assert language in form.fields["mentee_question"].queryset
    response = client.post(
        add,
        {"cohort": cohort.pk, "mentee_question": language.pk, "rule": "same", "weight": "3"},
    )
    assert response.status_code == 302
    criterion = QuestionCriterion.objects.get()
    client.force_login(other_chair)
    change = reverse("admin:matching_questioncriterion_change", args=[criterion.pk])
    assert client.get(change).status_code == 404
    assert (
        language not in client.get(add).context["adminform"].form.fields["mentee_question"].queryset
    )


def test_the_review_page_costs_the_same_queries_with_1_or_20_questions(client, cohort, member):
    pairing = PairingFactory(cohort=cohort)
    url = reverse("admin:matching_review", args=[cohort.pk])
    client.force_login(member)
    counts, asked = [], 0
    for how_many in (1, 20):
        while asked < how_many:
            asked += 1
            question = CohortQuestionFactory(cohort=cohort, kind="short_text")
            answer(pairing.mentee, question, "Mentee words")
            answer(pairing.mentor, question, "Mentor words")
        client.get(url)  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        counts.append(len(captured))
        assert page.count("Mentee words") == how_many
    assert counts[0] == counts[1], counts
