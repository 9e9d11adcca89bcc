"""A program's own application questions, the copy each cohort keeps of them, and the answers.

A committee edits its program's questions (ProgramQuestion) in the admin. When a cohort's call
opens, the first use of its form takes a copy of the program's questions (CohortQuestion rows
and one CohortQuestionnaire row that says the copy was taken); from then on the program's edits
shape the next cohort, never the questions this cohort's applicants answered. A question removed
while answers exist is archived: no longer asked, its answers still shown wherever answers are.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Program

from ..fields import QUESTION_SECTION_CHOICES, section
from . import kinds
from .kinds import AskedOf, QuestionKind


class QuestionDefinition(models.Model):
    """What a question asks and how its answer is checked: shared by the program's question and
    the cohort's copy of it."""

    asked_of = models.CharField(
        _("asked of"), max_length=10, choices=AskedOf.choices, default=AskedOf.EVERYONE
    )
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    short_label = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_(
            "Names the question in reports, exports and matching reasons, e.g. “Language”. "
            "Leave empty to use the question itself."
        ),
    )
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    section = models.CharField(
        _("section of the form"),
        max_length=20,
        choices=QUESTION_SECTION_CHOICES,
        default="interests",
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Within its section, after the built-in questions.")
    )
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("For single and multiple choice: one choice per line."),
    )
    max_length = models.PositiveIntegerField(
        _("maximum length (characters)"),
        null=True,
        blank=True,
        help_text=_("For text answers. Short text takes at most 200, long text at most 3,000."),
    )
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    shown_to_partner = models.BooleanField(
        _("shown to the partner after the introduction"),
        default=False,
        help_text=_("The mentor or mentee sees this answer on My mentoring once introduced."),
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("No longer asked; answers already given stay readable."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def name(self) -> str:
        """The short name for reports, exports and reasons."""
        return self.short_label or self.label

    def choice_list(self) -> list[str]:
        return kinds.choice_lines(self.choices)

    def clean(self):
        super().clean()
        errors = kinds.definition_errors(
            kind=self.kind,
            choices=self.choice_list(),
            max_length=self.max_length,
            min_value=self.min_value,
            max_value=self.max_value,
        )
        role = section(self.section).role if self.section else ""
        if role and self.asked_of not in (role, AskedOf.EVERYONE):
            errors["asked_of"] = _("Questions in “%(section)s” are asked only of %(role)ss.") % {
                "section": section(self.section).heading,
                "role": role,
            }
        if errors:
            raise ValidationError(errors)

    def roles(self) -> tuple[str, ...]:
        """The roles this question is asked of (a role's section asks only that role)."""
        role = section(self.section).role if self.section else ""
        if role:
            return (role,)
        if self.asked_of == AskedOf.EVERYONE:
            return (AskedOf.MENTOR.value, AskedOf.MENTEE.value)
        return (self.asked_of,)

    def applies_to(self, applicant_roles) -> bool:
        return any(role in applicant_roles for role in self.roles())

    @property
    def spec(self) -> kinds.Spec:
        return kinds.Spec(
            kind=self.kind,
            required=self.required,
            choices=tuple(self.choice_list()),
            max_length=self.max_length,
            min_value=self.min_value,
            max_value=self.max_value,
        )

    def display(self, value) -> str:
        return kinds.display(self.kind, value)


class ProgramQuestion(QuestionDefinition):
    """One of a program's own questions, as its committee keeps it for the next cohort."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="questions", verbose_name=_("program")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PROGRAM_PATH = "program"

    class Meta:
        verbose_name = _("program question")
        verbose_name_plural = _("program questions")
        ordering = ["program", "section", "order", "pk"]


class CohortQuestion(QuestionDefinition):
    """A cohort's own copy of a program question, taken when the cohort's call opened: what its
    applicants were asked. Never edited; archived when removed."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="questions", verbose_name=_("cohort")
    )
    source = models.ForeignKey(
        ProgramQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("cohort question")
        verbose_name_plural = _("cohort questions")
        ordering = ["cohort", "section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "source"], name="cohort_question_one_copy_per_source"
            )
        ]

    @property
    def lineage(self) -> str:
        """The same question across cohorts (one export column per program question)."""
        return f"p{self.source_id}" if self.source_id else f"c{self.pk}"


# What a cohort's copy takes from the program's question (not whether it is archived).
COPIED_FIELDS = [f.name for f in QuestionDefinition._meta.local_fields if f.name != "archived_at"]


class CohortQuestionnaire(models.Model):
    """Says that a cohort has taken its copy of the program's questions, and when."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="questionnaire", verbose_name=_("cohort")
    )
    frozen_at = models.DateTimeField(_("questions fixed"), auto_now_add=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("cohort questionnaire")
        verbose_name_plural = _("cohort questionnaires")

    def __str__(self):
        return str(self.cohort)


class ApplicationAnswer(models.Model):
    """One applicant's answer to one of their cohort's questions (a JSON value of the question's
    kind: text, a choice, a list of choices, true or false, a number)."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("application"),
    )
    question = models.ForeignKey(
        CohortQuestion,
        on_delete=models.PROTECT,  # answered questions are archived, never deleted
        related_name="answers",
        verbose_name=_("question"),
    )
    value = models.JSONField(_("answer"))

    PROGRAM_PATH = "application__cohort__program"

    class Meta:
        verbose_name = _("answer to a program question")
        verbose_name_plural = _("answers to program questions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="application_answer_one_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question.name}: {self.display}"

    @property
    def display(self) -> str:
        return self.question.display(self.value)
