"""The cohort's matching criteria drawn from its own questions: set and remove them."""

from django.db import transaction

from cohorts.permissions import require_member

from ..models import QuestionCriterion


@transaction.atomic
def question_criterion_save(*, criterion: QuestionCriterion, saved_by) -> QuestionCriterion:
    """Add or change a criterion (the committee sets matching, like the weights). Checks that
    both questions belong to the cohort, can be compared, and suit the rule."""
    require_member(saved_by, criterion.cohort.program)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def question_criterion_delete(*, criterion: QuestionCriterion, deleted_by) -> None:
    """Stop using a criterion in the cohort's next runs (earlier runs keep their record)."""
    require_member(deleted_by, criterion.cohort.program)
    criterion.delete()
