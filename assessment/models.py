"""End-of-cohort surveys: the program's templates, each cohort's surveys, the tokenized
invitations that reach participants, and their one response each."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from cohorts.models import Cohort, Program
from cohorts.timeline import end_of_day, start_of_day


class Audience(models.TextChoices):
    MENTOR = "mentor", _("Mentors")
    MENTEE = "mentee", _("Mentees")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Scale of 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    YES_NO = "yes_no", _("Yes or no")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# The longest answer to a text question, in characters.
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 5000}
YES_NO_LABELS = {"yes": _("Yes"), "no": _("No")}


def answer_display(kind: str, value) -> str | int:
    """A stored answer as a reader sees it: a scale's number, Yes or No, the choices made
    joined by "; ", or the text; "" for no answer."""
    if value is None:
        return ""
    if kind == QuestionKind.YES_NO:
        return str(YES_NO_LABELS.get(value, value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, int):
        return value
    return str(value)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class QuestionFields(models.Model):
    """The fields a template question and a survey question share."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=50,
        help_text=_(
            "A short stable name, e.g. recommend. Mentor and mentee questions with the same code "
            "are shown side by side in the results."
        ),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For one choice or several choices: one per line.")
    )
    low_label = models.CharField(
        _("label of 1"), max_length=60, blank=True, help_text=_('For a scale, e.g. "Disagree".')
    )
    high_label = models.CharField(
        _("label of 5"), max_length=60, blank=True, help_text=_('For a scale, e.g. "Agree".')
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.text

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.kind in CHOICE_KINDS and len(self.choice_list()) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        if self.kind == QuestionKind.LIKERT and not (self.low_label and self.high_label):
            raise ValidationError(_("Label both ends of the scale (1 and 5)."))


# What a template question and a survey question share: a cohort's survey copies these from
# the program's template.
QUESTION_FIELDS: tuple[str, ...] = tuple(field.name for field in QuestionFields._meta.fields)


class SurveyTemplate(models.Model):
    """The survey a program sends one audience at the end of every cohort; the committee edits
    it in the admin and each new cohort gets a copy."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="survey_templates",
        verbose_name=_("program"),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("The committee sees the answers without the names of who gave them."),
    )

    PROGRAM_PATH = "program"

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["program", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "audience"], name="survey_template_one_per_audience"
            )
        ]

    def __str__(self):
        return f"{self.program.short_name}: {self.title}"


class TemplateQuestion(QuestionFields):
    template = models.ForeignKey(
        SurveyTemplate,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("template"),
    )

    PROGRAM_PATH = "template__program"

    class Meta:
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"], name="template_question_unique_code"
            )
        ]


class Survey(models.Model):
    """One audience's survey for one cohort.

    Empty opening and closing times follow the cohort: the survey opens the day after formal
    mentoring ends and closes at the end of the day the assessment closes (program time).
    """

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("cohort")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    opens = models.DateTimeField(
        _("opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open the day after formal mentoring ends."),
    )
    closes = models.DateTimeField(
        _("closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close when the cohort's assessment closes."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("The committee sees the answers without the names of who gave them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["cohort", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "audience"], name="survey_one_per_audience"),
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True)
                | models.Q(closes__isnull=True)
                | models.Q(opens__lt=models.F("closes")),
                name="survey_opens_before_it_closes",
                violation_error_message=_("The survey must open before it closes."),
            ),
        ]

    def __str__(self):
        return f"{self.cohort}: {self.title}"

    @property
    def opens_at(self) -> dt.datetime:
        if self.opens:
            return self.opens
        return start_of_day(self.cohort.mentoring_ends + dt.timedelta(days=1), self.cohort.tz)

    @property
    def closes_at(self) -> dt.datetime:
        if self.closes:
            return self.closes
        return end_of_day(self.cohort.assessment_closes, self.cohort.tz)

    @property
    def mentoring_ended_at(self) -> dt.datetime:
        return end_of_day(self.cohort.mentoring_ends, self.cohort.tz)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now <= self.closes_at

    def has_closed(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.closes_at


class Question(QuestionFields):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )

    PROGRAM_PATH = "survey__cohort__program"

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="question_unique_code")
        ]

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def options(self) -> list[tuple[object, str]]:
        """The (stored value, label) pairs a participant picks from, in order."""
        if self.kind == QuestionKind.LIKERT:
            labels = {1: self.low_label, 5: self.high_label}
            return [(n, f"{n} ({labels[n]})" if labels.get(n) else str(n)) for n in range(1, 6)]
        if self.kind == QuestionKind.YES_NO:
            return [(value, str(label)) for value, label in YES_NO_LABELS.items()]
        if self.kind in CHOICE_KINDS:
            return [(choice, choice) for choice in self.choice_list()]
        return []

    def display(self, value) -> str:
        """An answer as a reader sees it (see answer_display)."""
        return str(answer_display(self.kind, value))


class Invitation(models.Model):
    """A participant's personal, unguessable link to one survey (one per person and role)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("participant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    completed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    PROGRAM_PATH = "survey__cohort__program"
    # The link is a password: the admin never shows it or redirects to it (mentoring.admin_site).
    PRIVATE_LINK = True

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "application"],
                condition=models.Q(application__isnull=False),
                name="invitation_one_per_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(application__isnull=False) | models.Q(user__isnull=False),
                name="invitation_has_someone",
                violation_error_message=_("An invitation needs a participant or a user."),
            ),
        ]

    def __str__(self):
        return f"{self.survey}: {self.full_name}"

    def get_absolute_url(self):
        return reverse("assessment:answer", kwargs={"token": self.token})

    @property
    def full_name(self) -> str:
        if self.application_id and self.application.full_name:
            return self.application.full_name
        return self.user.get_full_name() if self.user_id else ""

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""

    @property
    def email(self) -> str:
        """The account's address the person signs in with (never a contact email typed in a
        form, which could be anybody's)."""
        if self.user_id:
            return self.user.email
        return self.application.applicant.email


class Response(models.Model):
    """The one response of an invitation; a second submission edits it."""

    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.CASCADE,
        related_name="response",
        verbose_name=_("invitation"),
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    submitted_at = models.DateTimeField(_("first submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    PROGRAM_PATH = "survey__cohort__program"

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "pk"]

    def __str__(self):
        # Never the participant: the string shows up in admin breadcrumbs and answer lists.
        return _("Response %(number)s to %(survey)s") % {"number": self.pk, "survey": self.survey}


class Answer(models.Model):
    """One answer: an integer (scale), "yes"/"no", a choice, a list of choices, or text."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.JSONField(_("answer"))

    PROGRAM_PATH = "response__survey__cohort__program"

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question")
        ]

    def __str__(self):
        return self.question.display(self.value)
