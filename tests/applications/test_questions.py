"""A program's own questions: validated like the built-in ones, frozen per cohort when its call
opens, kept in drafts, archived rather than lost, and shown wherever answers are read."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationAnswer, CohortQuestion
from applications.questions import services as question_services
from applications.questions.kinds import QuestionKind
from applications.summary import answer_summary
from notifications.models import Notification
from tests.applications.factories import (
    ApplicationFactory,
    CohortQuestionFactory,
    ProgramQuestionFactory,
    answer,
)
from tests.applications.helpers import apply_url, complete_answers
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _field(question) -> str:
    return f"q_{question.pk}"


def _open_form(client, cohort):
    response = client.get(apply_url(cohort))
    assert response.status_code == 200
    return response


# --- each kind's rules, with the error beside the field ----------------------------------------

CASES = [
    # kind, definition, a bad answer, the message beside the field
    (QuestionKind.SHORT_TEXT, {"max_length": 10}, "x" * 11, "10 characters or fewer (it has 11)"),
    (QuestionKind.LONG_TEXT, {}, "y" * 3001, "3000 characters or fewer"),
    (QuestionKind.CHOICE, {}, "Klingon", "“Klingon” is not one of the choices."),
    (QuestionKind.MULTIPLE_CHOICE, {}, ["Spanish", "Elvish"], "“Elvish” is not one of"),
    (QuestionKind.YES_NO, {}, "maybe", "Select a valid choice"),
    (QuestionKind.SCALE, {}, "6", "Select a valid choice"),
    (QuestionKind.NUMBER, {"min_value": 1, "max_value": 20}, "21", "from 1 to 20"),
    (QuestionKind.NUMBER, {}, "many", "Enter a whole number."),
]


@pytest.mark.parametrize(("kind", "definition", "bad", "message"), CASES)
def test_each_kind_refuses_a_bad_answer_beside_its_field_and_keeps_the_rest(
    client, cohort, applicant, kind, definition, bad, message
):
    question = ProgramQuestionFactory(program=cohort.program, kind=kind, **definition)
    client.force_login(applicant)
    _open_form(client, cohort)  # the cohort takes its copy
    copy = CohortQuestion.objects.get(cohort=cohort, source=question)

    data = {**complete_answers(cohort), _field(copy): bad, "action": "submit"}
    response = client.post(apply_url(cohort), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [_field(copy)]
    assert message in " ".join(errors[_field(copy)])
    page = response.content.decode()
    field_block = page.split(f'id="div_id_{_field(copy)}"', 1)[1].split('<div id="div_id_', 1)[0]
    assert "invalid-feedback" in field_block  # the message sits beside the field
    assert 'value="Riverbend Public Library"' in page  # nothing typed is lost
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("kind", "good", "stored"),
    [
        (QuestionKind.SHORT_TEXT, "Spanish and Tagalog", "Spanish and Tagalog"),
        (QuestionKind.LONG_TEXT, "Line one\nLine two", "Line one\nLine two"),
        (QuestionKind.CHOICE, "Spanish", "Spanish"),
        (QuestionKind.MULTIPLE_CHOICE, ["French", "English"], ["English", "French"]),
        (QuestionKind.YES_NO, "yes", True),
        (QuestionKind.SCALE, "4", 4),
        (QuestionKind.NUMBER, "12", 12),
    ],
)
def test_each_kind_stores_a_good_answer(client, cohort, applicant, kind, good, stored):
    question = CohortQuestionFactory(cohort=cohort, kind=kind, required=True)
    client.force_login(applicant)
    data = {**complete_answers(cohort), _field(question): good, "action": "submit"}
    response = client.post(apply_url(cohort), data)
    assert response.status_code == 302
    assert ApplicationAnswer.objects.get(question=question).value == stored


def test_a_required_question_is_marked_and_required_on_submit_only(client, cohort, applicant):
    question = CohortQuestionFactory(cohort=cohort, kind=QuestionKind.YES_NO, required=True)
    optional = CohortQuestionFactory(cohort=cohort, kind=QuestionKind.SHORT_TEXT)
    client.force_login(applicant)
    page = _open_form(client, cohort).content.decode()
    for radio in re.findall(rf'<input[^>]*name="{_field(question)}"[^>]*>', page):
        assert " required" in radio
    text = re.search(rf'<input[^>]*name="{_field(optional)}"[^>]*>', page).group(0)
    assert "aria-required" not in text

    empty = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "review"})
    assert empty.context["form"].errors == {_field(question): ["This answer is required."]}
    links = re.findall(r'href="#(id_\w+)"', empty.content.decode().split("form-errors")[1])
    assert links == [f"id_{_field(question)}_0"]  # the first of its radio buttons

    draft = client.post(apply_url(cohort), {**complete_answers(cohort), "action": "draft"})
    assert draft.status_code == 302  # a draft may leave it empty


def test_a_role_question_is_asked_and_required_only_of_that_role(client, cohort, applicant):
    for_mentors = CohortQuestionFactory(
        cohort=cohort, asked_of="mentor", kind=QuestionKind.SHORT_TEXT, required=True
    )
    client.force_login(applicant)
    page = _open_form(client, cohort).content.decode()
    assert f'data-role="mentor"> <div id="div_id_{_field(for_mentors)}"' in page

    mentee = {**complete_answers(cohort, role="mentee"), _field(for_mentors): "Kept?"}
    assert client.post(apply_url(cohort), {**mentee, "action": "submit"}).status_code == 302
    # A mentee's answer to a mentors' question is not kept, like the built-in role answers.
    assert not ApplicationAnswer.objects.exists()

    mentor_user = ApplicationFactory.build().applicant
    mentor_user.save()
    client.force_login(mentor_user)
    mentor = complete_answers(cohort, role="mentor")
    response = client.post(apply_url(cohort), {**mentor, "action": "submit"})
    assert _field(for_mentors) in response.context["form"].errors


def test_the_committees_words_are_shown_as_text_never_as_markup(client, cohort, applicant):
    CohortQuestionFactory(
        cohort=cohort,
        label="<b>Bold</b> question",
        help_text='<img src=x onerror="alert(1)">',
        choices="<i>One</i>\nTwo",
        required=True,
    )
    client.force_login(applicant)
    page = _open_form(client, cohort).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; question" in page
    assert "<i>One</i>" not in page


def test_drafts_keep_the_answers_and_they_stay_editable_until_the_deadline(
    client, cohort, applicant
):
    question = CohortQuestionFactory(cohort=cohort, kind=QuestionKind.MULTIPLE_CHOICE)
    client.force_login(applicant)
    client.post(apply_url(cohort), {_field(question): ["Spanish", "French"], "action": "draft"})
    page = _open_form(client, cohort).content.decode()
    assert re.search(r'value="Spanish"[^>]*checked|checked[^>]*value="Spanish"', page)

    data = {**complete_answers(cohort), _field(question): ["English"], "action": "submit"}
    client.post(apply_url(cohort), data)
    data[_field(question)] = ["French"]
    client.post(apply_url(cohort), data)  # a submitted application changed before the deadline
    assert ApplicationAnswer.objects.get().value == ["French"]


# --- frozen per cohort, archived not lost -------------------------------------------------------


def test_a_cohort_keeps_the_questions_its_applicants_saw(client, program, applicant):
    question = ProgramQuestionFactory(program=program, label="Language you would like to use")
    cohort = CohortFactory(program=program, phase="accepting")
    client.force_login(applicant)
    _open_form(client, cohort)
    client.post(apply_url(cohort), {f"q_{cohort.questions.get().pk}": "Spanish", "action": "draft"})

    question.label = "Preferred language"
    question.choices = "English\nSpanish\nFrench\nTagalog"
    question.save()
    ProgramQuestionFactory(program=program, label="Added after the call opened")

    form = _open_form(client, cohort).context["form"]
    assert [q.label for q in form.questions] == ["Language you would like to use"]
    assert [c for c, _label in form.fields[f"q_{form.questions[0].pk}"].choices] == [
        "English",
        "Spanish",
        "French",
    ]
    # The next cohort, whose call opens later, takes the program's questions as they are then.
    later = CohortFactory(program=program, phase="upcoming")
    assert not question_services.cohort_questions_freeze(cohort=later)
    assert not later.questions.exists()
    opens = later.applications_open_at + dt.timedelta(minutes=1)
    assert question_services.cohort_questions_freeze(cohort=later, now=opens)
    assert sorted(later.questions.values_list("label", flat=True)) == [
        "Added after the call opened",
        "Preferred language",
    ]


def test_taking_the_copy_twice_makes_one_copy(program):
    ProgramQuestionFactory(program=program)
    ProgramQuestionFactory(program=program, archived_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    cohort = CohortFactory(program=program, phase="accepting")
    assert question_services.cohort_questions_freeze(cohort=cohort)
    assert question_services.cohort_questions_freeze(cohort=cohort)
    assert cohort.questions.count() == 1  # an archived program question is not asked again


def test_the_form_learns_the_copy_was_taken_from_the_cohort_query(client, cohort, applicant):
    """Every request of the form asks whether the cohort took its copy: the answer comes with
    the cohort (its questionnaire joined), not from a query of its own."""
    question = CohortQuestionFactory(cohort=cohort)  # the copy taken
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as queries:
        page = _open_form(client, cohort).content.decode()
    asked = [q["sql"] for q in queries.captured_queries if "cohortquestionnaire" in q["sql"]]
    assert len(asked) == 1 and '"cohorts_cohort"."slug"' in asked[0]
    assert f'id="div_id_{_field(question)}"' in page


def test_a_question_removed_after_answers_is_archived_and_its_answers_stay_readable(
    client, cohort, chair, staff_user
):
    question = CohortQuestionFactory(cohort=cohort, label="Spanish speaker?", kind="yes_no")
    unanswered = CohortQuestionFactory(cohort=cohort)
    application = ApplicationFactory(cohort=cohort)
    answer(application, question, True)

    assert question_services.cohort_question_remove(question=question, removed_by=chair) == (
        "archived"
    )
    assert question_services.cohort_question_remove(question=unanswered, removed_by=chair) == (
        "deleted"
    )
    question.refresh_from_db()
    assert question.archived_at is not None
    # No longer asked...
    client.force_login(application.applicant)
    assert "Spanish speaker?" not in _open_form(client, cohort).content.decode()
    # ...but read wherever answers are.
    assert ("Spanish speaker?", "Yes") in answer_summary(application)[-2][1]
    client.force_login(staff_user)
    admin_page = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert "Spanish speaker? (no longer asked)" in admin_page.content.decode()


def test_a_program_question_a_cohort_asked_is_archived_not_deleted(cohort, chair, member):
    asked = ProgramQuestionFactory(program=cohort.program)
    never = ProgramQuestionFactory(program=cohort.program)
    question_services.cohort_questions_freeze(cohort=cohort)
    later = ProgramQuestionFactory(program=cohort.program)  # after the cohort took its copy
    with pytest.raises(PermissionDenied):
        question_services.program_question_remove(question=later, removed_by=member)
    assert question_services.program_question_remove(question=later, removed_by=chair) == (
        "deleted"
    )
    assert question_services.program_question_remove(question=asked, removed_by=chair) == (
        "archived"
    )
    assert cohort.questions.filter(source=asked).exists()
    assert never.copies.exists()


# --- the admin: chairs and staff write, members read -------------------------------------------


def _question_post(program, **overrides):
    data = {
        "program": program.pk,
        "label": "Language you would like to mentor in",
        "short_label": "Language",
        "help_text": "",
        "kind": "choice",
        "asked_of": "everyone",
        "section": "working",
        "order": "1",
        "choices": "English\nSpanish",
        "max_length": "",
        "min_value": "",
        "max_value": "",
    }
    data.update(overrides)
    return data


def test_a_chair_adds_a_question_and_a_member_only_reads_it(
    client, program, chair, member, other_chair
):
    add = reverse("admin:applications_programquestion_add")
    client.force_login(chair)
    response = client.post(add, _question_post(program))
    assert response.status_code == 302, response.context["adminform"].form.errors
    question = program.questions.get()
    assert question.short_label == "Language"

    bad = client.post(add, _question_post(program, choices="Only one"))
    assert "Give at least two choices" in bad.content.decode()

    client.force_login(member)
    change = reverse("admin:applications_programquestion_change", args=[question.pk])
    assert client.get(change).status_code == 200  # reads it...
    assert client.get(add).status_code == 403  # ...cannot add...
    client.post(change, _question_post(program, label="Changed by a member"))
    question.refresh_from_db()
    assert question.label == "Language you would like to mentor in"  # ...nor change it

    client.force_login(other_chair)
    assert client.get(change).status_code == 404  # another program's chair
    refused = client.post(add, _question_post(program))
    assert "Select a valid choice" in refused.content.decode()
    assert program.questions.count() == 1


def test_a_question_in_a_role_section_is_asked_of_that_role_only(program, chair):
    question = ProgramQuestionFactory.build(program=program, section="mentor", asked_of="mentee")
    with pytest.raises(Exception, match="asked only of mentors"):
        question_services.program_question_save(question=question, saved_by=chair)


# --- everywhere an answer is read (the applicant's side) ---------------------------------------


def test_the_summary_and_the_confirmation_email_show_the_answers_in_their_section(
    client, cohort, applicant
):
    language = CohortQuestionFactory(
        cohort=cohort, label="Language you would like to mentor in", section="working"
    )
    scale = CohortQuestionFactory(
        cohort=cohort, label="How much time can you commit?", kind="scale", section="mentee"
    )
    client.force_login(applicant)
    data = {
        **complete_answers(cohort),
        _field(language): "Spanish",
        _field(scale): "4",
        "action": "submit",
    }
    assert client.post(apply_url(cohort), data).status_code == 302

    application = Application.objects.get()
    sections = dict(answer_summary(application))
    assert ("Language you would like to mentor in", "Spanish") in sections[
        "Interests and working together"
    ]
    assert ("How much time can you commit?", "4 of 5") in sections["As a mentee"]
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Language you would like to mentor in" in page and "4 of 5" in page
    email = Notification.objects.get(kind="application_submitted")
    assert "- Language you would like to mentor in: Spanish" in email.body_text
    assert "- How much time can you commit?: 4 of 5" in email.body_text


def test_the_committee_page_shows_the_answers_in_their_sections(client, cohort, member):
    question = CohortQuestionFactory(
        cohort=cohort, label="Why do you want to be mentored?", kind="long_text", section="mentee"
    )
    application = ApplicationFactory(cohort=cohort)
    answer(application, question, "To grow <b>bold</b>.")
    client.force_login(member)
    page = client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    mentee_section = page.split("As a mentee")[1].split("<fieldset")[0]
    assert "Why do you want to be mentored?" in mentee_section
    assert "To grow &lt;b&gt;bold&lt;/b&gt;." in mentee_section


# --- query budgets whatever the number of questions --------------------------------------------


@pytest.mark.parametrize("which", ["form", "review", "submit", "committee"])
def test_pages_keep_their_query_budget_with_1_or_20_questions(
    client, cohort, applicant, staff_user, which
):
    counts = []
    for how_many in (1, 20):
        ApplicationAnswer.objects.all().delete()
        CohortQuestion.objects.filter(cohort=cohort).delete()
        Application.objects.all().delete()
        questions = [
            CohortQuestionFactory(cohort=cohort, kind=kind)
            for kind, _n in zip(
                [
                    QuestionKind.CHOICE,
                    QuestionKind.MULTIPLE_CHOICE,
                    QuestionKind.YES_NO,
                    QuestionKind.SCALE,
                    QuestionKind.SHORT_TEXT,
                ]
                * 4,
                range(how_many),
                strict=False,
            )
        ]
        values = {
            QuestionKind.CHOICE: "Spanish",
            QuestionKind.MULTIPLE_CHOICE: ["Spanish"],
            QuestionKind.YES_NO: "yes",
            QuestionKind.SCALE: "3",
            QuestionKind.SHORT_TEXT: "Some words",
        }
        answers = {_field(q): values[q.kind] for q in questions}
        client.force_login(applicant)
        client.post(apply_url(cohort), {**complete_answers(cohort), **answers, "action": "submit"})
        application = Application.objects.get(applicant=applicant)
        assert application.answers.count() == how_many
        if which == "form":
            url, data = apply_url(cohort), None
        elif which in ("review", "submit"):
            url = apply_url(cohort)
            data = {**complete_answers(cohort), **answers, "action": which}
        else:
            client.force_login(staff_user)
            url = reverse("admin:applications_application_change", args=[application.pk])
            data = None
        client.get(url)  # warm the per-process caches (content types, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data) if data else client.get(url)
        assert response.status_code in (200, 302)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[1] <= {"form": 12, "review": 17, "submit": 21, "committee": 11}[which], counts
