"""Demo data: the ALCTS cohort in matching compares its applicants' own answers.

"Language you would like to mentor in": the same language earns points; "What type of
mentoring relationship are you seeking?" against "What kinds of mentoring relationship can you
offer?": a relationship in common earns points. Idempotent.
"""

from django.db import transaction

from applications.models import CohortQuestion
from cohorts.demo import DEMO_NOTE
from cohorts.models import Cohort

from .models import QuestionCriterion

CRITERIA = [
    # (mentee question, mentor question or None for the same, rule, weight)
    ("Language you would like to mentor in", None, QuestionCriterion.Rule.SAME, 2.0),
    (
        "What type of mentoring relationship are you seeking?",
        "What kinds of mentoring relationship can you offer?",
        QuestionCriterion.Rule.OVERLAP,
        1.5,
    ),
]


@transaction.atomic
def seed() -> list[str]:
    lines = []
    for cohort in Cohort.objects.filter(program__slug="alcts", notes=DEMO_NOTE):
        questions = {q.label: q for q in CohortQuestion.objects.filter(cohort=cohort)}
        for mentee_label, mentor_label, rule, weight in CRITERIA:
            mentee_question = questions.get(mentee_label)
            mentor_question = questions.get(mentor_label) if mentor_label else None
            if mentee_question is None or (mentor_label and mentor_question is None):
                continue
            _criterion, created = QuestionCriterion.objects.get_or_create(
                cohort=cohort,
                mentee_question=mentee_question,
                mentor_question=mentor_question,
                defaults={"rule": rule, "weight": weight},
            )
            if created:
                lines.append(f"Matching in {cohort} compares answers to “{mentee_label}”.")
    return lines
