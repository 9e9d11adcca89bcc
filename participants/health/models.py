"""The committee's care for announced pairs: the cohort's health settings, liaisons,
touch-points and the mid-program pulse check."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from cohorts.models import Cohort
from matching.models import Pairing


def new_pulse_token() -> str:
    return secrets.token_urlsafe(32)


class HealthSettings(models.Model):
    """A cohort's match-health settings; a cohort without a row uses the defaults."""

    DEFAULT_NO_CHECK_IN_DAYS = 45
    DEFAULT_PULSE_FIRST_DAYS = 30
    DEFAULT_PULSE_EVERY_DAYS = 60

    cohort = models.OneToOneField(
        Cohort,
        on_delete=models.CASCADE,
        related_name="health_settings",
        verbose_name=_("cohort"),
    )
    no_check_in_days = models.PositiveSmallIntegerField(
        _("at risk after this many days without a check-in"),
        default=DEFAULT_NO_CHECK_IN_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("Counted from the last check-in, or from the introduction if none."),
    )
    pulse_enabled = models.BooleanField(_("send pulse checks"), default=True)
    pulse_first_days = models.PositiveSmallIntegerField(
        _("first pulse check, days after the introduction"),
        default=DEFAULT_PULSE_FIRST_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    pulse_every_days = models.PositiveSmallIntegerField(
        _("then every this many days"),
        default=DEFAULT_PULSE_EVERY_DAYS,
        validators=[MinValueValidator(14), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("match health settings")
        verbose_name_plural = _("match health settings")

    def __str__(self):
        return str(_("Match health settings of %(cohort)s") % {"cohort": self.cohort})

    @classmethod
    def for_cohort(cls, cohort: Cohort) -> "HealthSettings":
        """The cohort's settings, or unsaved defaults."""
        found = cls.objects.filter(cohort=cohort).first()
        return found or cls(cohort=cohort)


class LiaisonAssignment(models.Model):
    """The committee member who looks after one pair (a pair has at most one liaison)."""

    pairing = models.OneToOneField(
        Pairing,
        on_delete=models.CASCADE,
        related_name="liaison_assignment",
        verbose_name=_("pairing"),
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
        verbose_name=_("liaison"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned"))

    PROGRAM_PATH = "pairing__cohort__program"

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["pairing_id"]

    def __str__(self):
        return f"{self.liaison} → {self.pairing}"


class TouchPoint(models.Model):
    """A contact between the committee and a pair: a liaison's call, email or meeting, or a
    nudge sent through the site. The note is the committee's own."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        CALL = "call", _("Phone or video call")
        MEETING = "meeting", _("Meeting")
        MESSAGE = "message", _("Chat or message")
        NUDGE = "nudge", _("Nudge sent through the site")
        OTHER = "other", _("Other")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="touch_points", verbose_name=_("pairing")
    )
    kind = models.CharField(_("how"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    PROGRAM_PATH = "pairing__cohort__program"

    class Meta:
        verbose_name = _("touch-point")
        verbose_name_plural = _("touch-points")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "date"], name="touchpoint_pairing_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.date:%Y-%m-%d}"


class PulseCheck(models.Model):
    """One participant's answer to "How is your mentoring going?" at one offset after the
    introduction: a score from 1 to 5 and an optional comment, by a personal token link.

    One per pair, participant and offset (a database constraint). The comment is read only by
    the program's chairs and the pair's liaison (participants.health.selectors); the partner
    never sees either.
    """

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="pulse_checks", verbose_name=_("pairing")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="pulse_checks",
        verbose_name=_("participant"),
    )
    offset_days = models.PositiveSmallIntegerField(_("days after the introduction"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_pulse_token)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    score = models.PositiveSmallIntegerField(
        _("how it is going (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    PROGRAM_PATH = "pairing__cohort__program"

    class Meta:
        verbose_name = _("pulse check")
        verbose_name_plural = _("pulse checks")
        ordering = ["pairing_id", "offset_days", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "application", "offset_days"],
                name="pulse_check_once_per_offset",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="pulse_check_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.pairing} ({self.offset_days} days)"

    def get_absolute_url(self):
        return reverse("participants:pulse", kwargs={"token": self.token})

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def role(self) -> str:
        return "mentor" if self.application_id == self.pairing.mentor_id else "mentee"


class CohortCockpit(Cohort):
    """The committee's landing page in the admin: one card per cohort with its to-do list."""

    ADMIN_INDEX_FIRST = True

    class Meta:
        proxy = True
        verbose_name = _("cohort cockpit")
        verbose_name_plural = _("cohort cockpit")
