"""Reads of the program questions and their answers, in a fixed number of queries."""

from collections.abc import Iterable

from cohorts.models import Cohort

from ..fields import SECTIONS
from .models import ApplicationAnswer, CohortQuestion

SECTION_ORDER = {section.key: index for index, section in enumerate(SECTIONS)}


def cohort_questions(*, cohort: Cohort, include_archived: bool = False) -> list[CohortQuestion]:
    """The questions the cohort asks (its copy; none before its call opened), in form order.
    With `include_archived`, also those it stopped asking (their answers are still read)."""
    questions = CohortQuestion.objects.filter(cohort=cohort)
    if not include_archived:
        questions = questions.filter(archived_at__isnull=True)
    return list(questions.order_by("order", "pk"))


def answers_of(application) -> dict[int, object]:
    """{question id: stored value} of one application (nothing for an unsaved one)."""
    if application is None or application.pk is None:
        return {}
    return dict(
        ApplicationAnswer.objects.filter(application=application).values_list(
            "question_id", "value"
        )
    )


def _form_order(question) -> tuple[int, int, int]:
    return (SECTION_ORDER.get(question.section, 0), question.order, question.pk)


def answered_questions(application) -> list[tuple[CohortQuestion, object]]:
    """(question, value) of every answer the application holds, archived questions included,
    in the form's order."""
    if application is None or application.pk is None:
        return []
    answers = ApplicationAnswer.objects.filter(application=application).select_related("question")
    return [(a.question, a.value) for a in sorted(answers, key=lambda a: _form_order(a.question))]


def answers_by_application(
    application_ids: Iterable[int],
) -> dict[int, dict[int, object]]:
    """{application id: {question id: value}} for many applications in one query."""
    out: dict[int, dict[int, object]] = {}
    rows = ApplicationAnswer.objects.filter(application_id__in=list(application_ids)).values_list(
        "application_id", "question_id", "value"
    )
    for application_id, question_id, value in rows:
        out.setdefault(application_id, {})[question_id] = value
    return out


def answers_in_words(
    application_ids: Iterable[int], *, shown_to_partner_only: bool = False
) -> dict[int, list[tuple[str, str]]]:
    """{application id: [(question, answer in words)]} for many applications, in the form's
    order, archived questions included; one query (none for no ids). With
    `shown_to_partner_only`, only the questions marked "shown to the partner"."""
    ids = list(application_ids)
    if not ids:
        return {}
    answers = ApplicationAnswer.objects.filter(application_id__in=ids).select_related("question")
    if shown_to_partner_only:
        answers = answers.filter(question__shown_to_partner=True)
    out: dict[int, list[tuple[str, str]]] = {}
    for answer in sorted(answers, key=lambda a: _form_order(a.question)):
        if answer.display:
            out.setdefault(answer.application_id, []).append(
                (answer.question.label, answer.display)
            )
    return out


def answers_shown_to_partners(application_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """The answers a partner sees after the introduction (see answers_in_words)."""
    return answers_in_words(application_ids, shown_to_partner_only=True)
