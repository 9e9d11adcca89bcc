"""Writes of the program questions: the cohort's copy, saving answers, removing a question.

Freezing: a cohort takes its copy of the program's questions the first time its form is used
once its call has opened (copy on first use). Nobody can answer before the call opens (the
application services refuse), so the copy is always taken before the first answer, and later
edits of the program's questions shape the next cohort only. A cohort created long before its
call keeps following its program's edits until the call opens, which is what committees expect
when they prepare next year's form.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.models import Cohort
from cohorts.permissions import require_question_editor

from .kinds import check_value
from .models import (
    COPIED_FIELDS,
    ApplicationAnswer,
    CohortQuestion,
    CohortQuestionnaire,
    ProgramQuestion,
)


def _copy_taken(cohort: Cohort) -> bool:
    """Whether the cohort took its copy: read from the cohort when its query joined the
    questionnaire (applications.selectors.cohort_for_apply), else asked."""
    if Cohort.questionnaire.is_cached(cohort):
        return hasattr(cohort, "questionnaire")  # (None cached raises an AttributeError)
    return CohortQuestionnaire.objects.filter(cohort=cohort).exists()


def cohort_questions_freeze(*, cohort: Cohort, now: dt.datetime | None = None) -> bool:
    """Take the cohort's copy of its program's current questions, while its call is open.

    Idempotent: a second call, or a concurrent first call (two applicants opening the form at
    the same moment), finds the copy taken and changes nothing. Returns whether the cohort's
    questions are fixed. Before the call opens nothing is copied (the program's edits still
    shape this cohort); after the deadline neither (nobody answered: a closed cohort does not
    take this year's questions).
    """
    now = now or timezone.now()
    if _copy_taken(cohort):
        return True
    if not cohort.is_accepting_applications(now):
        return False
    try:
        with transaction.atomic():
            CohortQuestionnaire.objects.create(cohort=cohort)
            program_questions = ProgramQuestion.objects.filter(
                program_id=cohort.program_id, archived_at__isnull=True
            )
            CohortQuestion.objects.bulk_create(
                [
                    CohortQuestion(
                        cohort=cohort,
                        source=question,
                        **{name: getattr(question, name) for name in COPIED_FIELDS},
                    )
                    for question in program_questions
                ]
            )
    except IntegrityError:  # another request took the copy first (one questionnaire per cohort)
        pass
    return True


def answers_save(
    *, application, questions: Iterable[CohortQuestion], answers: dict
) -> list[tuple[CohortQuestion, object]]:
    """Store the answers given for `questions` ({question id: value}); an empty answer removes
    the stored one. Questions not in `answers` keep their stored answer. Runs in the calling
    service's transaction; raises ValidationError (by field name) on an answer that breaks its
    question's rules, whichever way it arrived. Returns (question, value) of each answer
    stored, in the order of `questions`."""
    by_id = {q.pk: q for q in questions}
    keep, drop, errors = [], [], {}
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None:
            continue  # not a question of this cohort's form: never stored
        try:
            value = check_value(question.spec, value)
        except ValidationError as error:
            errors[f"q_{question_id}"] = error.messages
            continue
        if value is None:
            drop.append(question_id)
        else:
            keep.append(ApplicationAnswer(application=application, question=question, value=value))
    if errors:
        raise ValidationError(errors)
    if drop:
        ApplicationAnswer.objects.filter(application=application, question_id__in=drop).delete()
    if keep:
        ApplicationAnswer.objects.bulk_create(
            keep,
            update_conflicts=True,
            unique_fields=["application", "question"],
            update_fields=["value"],
        )
    order = {q.pk: n for n, q in enumerate(by_id.values())}
    return [(a.question, a.value) for a in sorted(keep, key=lambda a: order[a.question.pk])]


@transaction.atomic
def program_question_remove(
    *, question: ProgramQuestion, removed_by, now: dt.datetime | None = None
) -> str:
    """Remove a program question: archived ("archived") when a cohort already asked it, so its
    history stays; deleted ("deleted") when no cohort ever did. Cohorts keep their copies."""
    require_question_editor(removed_by, question.program)
    question = ProgramQuestion.objects.select_for_update().get(pk=question.pk)
    if question.copies.exists():
        if question.archived_at is None:
            question.archived_at = now or timezone.now()
            question.save(update_fields=["archived_at", "updated_at"])
        return "archived"
    question.delete()
    return "deleted"


@transaction.atomic
def cohort_question_remove(
    *, question: CohortQuestion, removed_by, now: dt.datetime | None = None
) -> str:
    """Stop asking a question in one cohort: archived ("archived") when someone answered it, so
    the answers stay readable everywhere; deleted ("deleted") when nobody did."""
    require_question_editor(removed_by, question.cohort.program)
    question = CohortQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answers.exists():
        if question.archived_at is None:
            question.archived_at = now or timezone.now()
            question.save(update_fields=["archived_at"])
        return "archived"
    question.delete()
    return "deleted"


@transaction.atomic
def program_question_save(*, question: ProgramQuestion, saved_by) -> ProgramQuestion:
    """Create or change a program question (the program's chairs and staff). Checks the
    definition; changes reach cohorts whose call has not opened yet."""
    require_question_editor(saved_by, question.program)
    question.full_clean()
    question.save()
    return question
