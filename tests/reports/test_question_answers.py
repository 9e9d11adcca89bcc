"""The program's own questions in the exports (one column each, neutralized) and in the cohort
report (a chart and its table for each choice, yes/no and scale question)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.factories import ApplicationFactory, CohortQuestionFactory, answer
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def _csv(client, program, cohort=None) -> list[dict]:
    url = reverse("reports:export_csv", args=[program.slug, "applications"])
    response = client.get(url, {"cohort": cohort.slug} if cohort else {})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], rows[0]


@pytest.fixture
def asked(program):
    cohort = CohortFactory(program=program, phase="matching")
    language = CohortQuestionFactory(
        cohort=cohort, label="Language you would like to mentor in", section="working"
    )
    time = CohortQuestionFactory(cohort=cohort, label="How much time can you commit?", kind="scale")
    modes = CohortQuestionFactory(
        cohort=cohort,
        label='=HYPERLINK("http://x")',  # a committee's words, as a spreadsheet would run them
        kind="multiple_choice",
    )
    yes_no = CohortQuestionFactory(cohort=cohort, label="Mentored before?", kind="yes_no")
    mentee = ApplicationFactory(cohort=cohort, role="mentee", full_name="Ana Mentee")
    mentor = ApplicationFactory(cohort=cohort, role="mentor", full_name="Bo Mentor")
    both = ApplicationFactory(cohort=cohort, role="both", full_name="Cy Both")
    answer(mentee, language, "Spanish")
    answer(mentee, time, 4)
    answer(mentee, modes, ["English", "French"])
    answer(mentee, yes_no, False)
    answer(mentor, language, "=1+1")
    answer(mentor, yes_no, True)
    answer(both, language, "Spanish")
    answer(both, yes_no, True)
    draft = ApplicationFactory(cohort=cohort, status=Application.Status.DRAFT)
    answer(draft, language, "French")  # a draft is not in the exports nor the report
    return cohort


def test_each_question_is_one_column_of_the_applications_export(client, staff_user, asked):
    cohort = asked
    client.force_login(staff_user)
    records, header = _csv(client, cohort.program, cohort)

    # After the built-in answers, before the committee's columns.
    assert header[-3:] == ["Priority", "Submitted (program time)", "Withdrawn (program time)"]
    assert header.index("Mentor capacity") < header.index("Language you would like to mentor in")
    assert '\'=HYPERLINK("http://x")' in header  # the heading is neutralized too
    by_name = {r["Full name"]: r for r in records}
    assert set(by_name) == {"Ana Mentee", "Bo Mentor", "Cy Both"}
    ana = by_name["Ana Mentee"]
    assert ana["Language you would like to mentor in"] == "Spanish"
    assert ana["How much time can you commit?"] == "4"
    assert ana['\'=HYPERLINK("http://x")'] == "English; French"
    assert ana["Mentored before?"] == "no"
    assert by_name["Bo Mentor"]["Language you would like to mentor in"] == "'=1+1"
    assert by_name["Bo Mentor"]["How much time can you commit?"] == ""


def test_the_xlsx_export_has_the_same_columns_with_numbers_as_numbers(client, staff_user, asked):
    cohort = asked
    client.force_login(staff_user)
    response = client.get(reverse("reports:export_xlsx", args=[cohort.program.slug]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Applications"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    ana = dict(zip(header, next(r for r in rows if "Ana Mentee" in r), strict=True))
    assert ana["How much time can you commit?"] == 4
    assert ana["Language you would like to mentor in"] == "Spanish"
    bo = dict(zip(header, next(r for r in rows if "Bo Mentor" in r), strict=True))
    assert bo["Language you would like to mentor in"] == "'=1+1"


def test_a_program_export_gives_one_column_to_a_question_asked_in_two_cohorts(
    client, staff_user, program
):
    from applications.models import ProgramQuestion
    from applications.questions.services import cohort_questions_freeze

    ProgramQuestion.objects.create(
        program=program, label="Language", kind="choice", choices="English\nSpanish"
    )
    first = CohortFactory(program=program, phase="closed")
    second = CohortFactory(program=program, phase="accepting")
    for cohort in (first, second):
        # Both copies come from the same program question (taken when each call opened).
        cohort_questions_freeze(cohort=cohort, now=cohort.applications_open_at)
        answer(ApplicationFactory(cohort=cohort), cohort.questions.get(), "Spanish")
    client.force_login(staff_user)
    records, header = _csv(client, program)
    assert header.count("Language") == 1
    assert [r["Language"] for r in records] == ["Spanish", "Spanish"]


def test_the_cohort_report_charts_each_choice_yes_no_and_scale_question(
    client, staff_user, asked, django_assert_max_num_queries
):
    cohort = asked
    CohortQuestionFactory(cohort=cohort, label="Anything else?", kind="long_text")
    client.force_login(staff_user)
    url = reverse("reports:cohort", args=[cohort.program.slug, cohort.slug])
    with django_assert_max_num_queries(19):
        response = client.get(url)
    report = response.context["report"]
    charts = {f.question.label: f for f in report.questions}
    assert set(charts) == {
        "Language you would like to mentor in",
        "How much time can you commit?",
        '=HYPERLINK("http://x")',
        "Mentored before?",
    }
    language = charts["Language you would like to mentor in"].chart
    assert language.categories == ["English", "Spanish", "French"]
    # Mentors: Bo (=1+1, not a choice) and Cy (both); mentees: Ana and Cy.
    assert [s.label for s in language.series] == ["Mentors", "Mentees"]
    assert language.series[0].values == [0, 1, 0]
    assert language.series[1].values == [0, 2, 0]
    yes_no = charts["Mentored before?"].chart
    assert yes_no.categories == ["Yes", "No"]
    assert yes_no.series[0].values == [2, 0] and yes_no.series[1].values == [1, 1]
    assert charts["How much time can you commit?"].chart.series[1].values == [0, 0, 0, 1, 0]
    page = response.content.decode()
    assert 'id="questions-heading"' in page
    assert '<caption class="caption-top">Language you would like to mentor in</caption>' in page
    assert "Anything else?" not in page  # free text is read in the exports, not charted
