"""Matching criteria drawn from a cohort's own questions (see matching/scoring/answers.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import CohortQuestion
from applications.questions.kinds import MATCHABLE_KINDS, QuestionKind
from cohorts.models import Cohort


class QuestionCriterion(models.Model):
    """Part of a cohort's matching settings: compare a mentee's answer with a mentor's, with a
    weight the committee sets like the built-in criteria'."""

    class Rule(models.TextChoices):
        SAME = "same", _("Same answer")
        DIFFERENT = "different", _("Different answer")
        OVERLAP = "overlap", _("At least one choice in common")
        CLOSENESS = "closeness", _("Close on the 1-5 scale")

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="question_criteria",
        verbose_name=_("cohort"),
    )
    mentee_question = models.ForeignKey(
        CohortQuestion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("question (the mentee's answer)"),
    )
    mentor_question = models.ForeignKey(
        CohortQuestion,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("compared with (the mentor's answer)"),
        help_text=_(
            "Leave empty to compare both answers to the same question. Or choose the mentors' "
            "own question, e.g. “What relationship can you offer?” for “What relationship "
            "are you seeking?”."
        ),
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices, default=Rule.SAME)
    weight = models.FloatField(
        _("weight"),
        default=2.0,
        help_text=_("Points a pair earns when the rule is met (0 turns the criterion off)."),
    )

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("matching criterion from a question")
        verbose_name_plural = _("matching criteria from questions")
        ordering = ["cohort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "mentee_question", "mentor_question"],
                name="question_criterion_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100),
                name="question_criterion_weight_0_to_100",
            ),
        ]

    def __str__(self):
        return f"{self.mentee_question.name}: {self.get_rule_display()}"

    @property
    def compared_question(self) -> CohortQuestion:
        return self.mentor_question or self.mentee_question

    def clean(self):
        super().clean()
        if not self.mentee_question_id:
            return
        errors = {}
        mentee_q, mentor_q = self.mentee_question, self.compared_question
        for name, question, role in (
            ("mentee_question", mentee_q, "mentee"),
            ("mentor_question", mentor_q, "mentor"),
        ):
            if self.cohort_id and question.cohort_id != self.cohort_id:
                errors[name] = _("Choose a question this cohort asks.")
            elif question.kind not in MATCHABLE_KINDS:
                errors[name] = _(
                    "Only single choice, multiple choice, yes/no and scale questions can be "
                    "compared."
                )
            elif role not in question.roles():
                errors[name] = _("This question is not asked of %(role)ss.") % {"role": role}
        scales = [q.kind == QuestionKind.SCALE for q in (mentee_q, mentor_q)]
        if not errors:
            if self.rule == self.Rule.CLOSENESS and not all(scales):
                errors["rule"] = _("Closeness compares two 1-5 scales.")
            elif self.rule != self.Rule.CLOSENESS and any(scales):
                errors["rule"] = _("Compare scales by closeness.")
            elif self.rule == self.Rule.OVERLAP and QuestionKind.MULTIPLE_CHOICE not in (
                mentee_q.kind,
                mentor_q.kind,
            ):
                errors["rule"] = _("“In common” is for multiple choice questions.")
        if errors:
            raise ValidationError(errors)
