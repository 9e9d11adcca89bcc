"""The application form's new states are valid HTML (Nu Html Checker): with the program's own
questions of every kind, with every error at once, and the review before the final submit."""

import pytest
from django.urls import reverse

from tests.applications.factories import ApplicationFactory, CohortQuestionFactory, answer
from tests.applications.helpers import apply_url, complete_answers

pytestmark = pytest.mark.django_db

KINDS = ["short_text", "long_text", "choice", "multiple_choice", "yes_no", "scale", "number"]


def test_the_form_its_errors_its_review_and_the_report_are_valid_html(
    client, cohort, applicant, staff_user, assert_valid_html
):
    questions = [
        CohortQuestionFactory(cohort=cohort, kind=kind, required=True, section=section)
        for kind, section in zip(
            KINDS, ["about", "mentee", "interests", "working"] * 2, strict=False
        )
    ]
    client.force_login(applicant)
    pages = {"form": client.get(apply_url(cohort)).content}
    pages["errors"] = client.post(apply_url(cohort), {"action": "review"}).content
    values = {
        "short_text": "Words",
        "long_text": "More\nwords",
        "choice": "Spanish",
        "multiple_choice": ["Spanish", "French"],
        "yes_no": "yes",
        "scale": "4",
        "number": "12",
    }
    data = {**complete_answers(cohort), "action": "review"}
    data |= {f"q_{q.pk}": values[q.kind] for q in questions}
    review = client.post(apply_url(cohort), data)
    assert review.templates[0].name == "applications/application_review.html"
    pages["review"] = review.content

    submitted = ApplicationFactory(cohort=cohort)
    for question in questions:
        if question.kind in ("choice", "yes_no", "scale"):
            answer(
                submitted,
                question,
                {"choice": "English", "yes_no": True, "scale": 2}[question.kind],
            )
    client.force_login(staff_user)
    pages["report"] = client.get(
        reverse("reports:cohort", args=[cohort.program.slug, cohort.slug])
    ).content
    assert_valid_html(pages)
