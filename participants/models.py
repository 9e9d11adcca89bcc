"""What a pair does once announced: SMART goals and progress notes, check-ins, problem reports,
attendance, calendar feeds, and the committee's proxy view of pair progress.

These models began in the matching app; their tables keep the names it gave them (db_table)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from matching.models import Pairing

# --- What a pair does once announced: goals, check-ins, problem reports, attendance ----------


# The longest text a participant or the committee may write in one field (goals, notes,
# problem reports): bounded on the model and in every form.
NOTE_LIMIT = 5000


class Goal(models.Model):
    """One of a pairing's 1 to 3 SMART goals (the cap is enforced in goal_create)."""

    MAX_PER_PAIRING = 3
    # The five SMART questions, in order; and everything a partner writes on a goal.
    SMART_FIELDS = ("specific", "measurable", "achievable", "relevant", "time_bound")
    EDITABLE_FIELDS = ("title", *SMART_FIELDS, "target_date", "status")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        REVISED = "revised", _("Revised or set aside")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="goals", verbose_name=_("pairing")
    )
    title = models.CharField(
        _("goal"), max_length=200, help_text=_("A short name for the goal, in a few words.")
    )
    specific = models.TextField(
        _("specific"),
        help_text=_("What exactly will be accomplished, and by whom?"),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    measurable = models.TextField(
        _("measurable"),
        help_text=_("How will you both know it has been reached?"),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    achievable = models.TextField(
        _("achievable"),
        help_text=_("Why is it realistic with the time and support you have?"),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    relevant = models.TextField(
        _("relevant"),
        help_text=_("How does it serve the mentee's growth and career?"),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    time_bound = models.TextField(
        _("time-bound"),
        help_text=_("The steps along the way and when each is due."),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PROGRAM_PATH = "pairing__cohort__program"

    class Meta:
        db_table = "matching_goal"
        verbose_name = _("SMART goal")
        verbose_name_plural = _("SMART goals")
        ordering = ["pairing_id", "created_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def smart_answers(self) -> list[tuple[str, str]]:
        """(question, answer) for each SMART field, in order, for pages that show a goal."""
        return [
            (str(self._meta.get_field(name).verbose_name).capitalize(), getattr(self, name))
            for name in self.SMART_FIELDS
        ]


class GoalProgressNote(models.Model):
    """A dated note by either partner on how a goal stands."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="progress_notes", verbose_name=_("goal")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    date = models.DateField(_("date"))
    note = models.TextField(
        _("progress"), max_length=NOTE_LIMIT, validators=[MaxLengthValidator(NOTE_LIMIT)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    PROGRAM_PATH = "goal__pairing__cohort__program"

    class Meta:
        db_table = "matching_goalprogressnote"
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["goal_id", "-date", "-pk"]

    def __str__(self):
        return f"{self.goal} ({self.date:%Y-%m-%d})"


class CheckIn(models.Model):
    """A meeting of the pair, logged by either partner."""

    class Mode(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat or messaging")
        OTHER = "other", _("Other")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("pairing")
    )
    date = models.DateField(_("date"))
    mode = models.CharField(_("how you met"), max_length=20, choices=Mode.choices)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Optional. Your partner can read these too."),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    PROGRAM_PATH = "pairing__cohort__program"

    class Meta:
        db_table = "matching_checkin"
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["pairing_id", "-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "date"], name="checkin_pairing_date_idx")]

    def __str__(self):
        return f"{self.get_mode_display()}, {self.date:%Y-%m-%d}"


class ProblemReport(models.Model):
    """A private flag from one partner to the program's committee; the other never sees it."""

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="problem_reports",
        verbose_name=_("pairing"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    message = models.TextField(
        _("what is wrong"), max_length=NOTE_LIMIT, validators=[MaxLengthValidator(NOTE_LIMIT)]
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    committee_notes = models.TextField(
        _("committee notes"),
        blank=True,
        help_text=_("Seen by the program's chairs only."),
        max_length=NOTE_LIMIT,
        validators=[MaxLengthValidator(NOTE_LIMIT)],
    )

    PROGRAM_PATH = "pairing__cohort__program"
    # "Only the committee chairs read this" (the form's promise): members never see a report.
    CHAIRS_ONLY = True

    class Meta:
        db_table = "matching_problemreport"
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pairing} ({self.created_at:%Y-%m-%d})"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Attendance(models.Model):
    """Whether a participant attended the orientation (no milestone) or a milestone event."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("participant"),
    )
    milestone = models.ForeignKey(
        "cohorts.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("event"),
        help_text=_("Leave empty for the cohort's orientation."),
    )
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    PROGRAM_PATH = "application__cohort__program"

    class Meta:
        db_table = "matching_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["application_id", "milestone_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(milestone__isnull=True),
                name="attendance_one_per_orientation",
                violation_error_message=_("Orientation attendance is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["application", "milestone"],
                condition=models.Q(milestone__isnull=False),
                name="attendance_one_per_event",
                violation_error_message=_("Attendance at this event is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.application.full_name}: {self.event_name}"

    def clean(self):
        super().clean()
        if (
            self.milestone_id
            and self.application_id
            and self.milestone.cohort_id != self.application.cohort_id
        ):
            raise ValidationError(
                {"milestone": _("This event belongs to another cohort than the participant.")}
            )

    @property
    def event_name(self) -> str:
        return self.milestone.title if self.milestone_id else str(_("Orientation"))


class CalendarFeed(models.Model):
    """A person's secret calendar address. Revoking it makes the address answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    # The address is a password: the admin never shows it or redirects to it.
    PRIVATE_LINK = True

    class Meta:
        db_table = "matching_calendarfeed"
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"

    def get_absolute_url(self):
        return reverse("participants:calendar_feed", kwargs={"token": self.token})


class PairingProgress(Pairing):
    """The committee's view of how announced pairs are doing: goals, contact, problems."""

    class Meta:
        proxy = True
        verbose_name = _("pair progress")
        verbose_name_plural = _("pair progress")


# The committee's care for announced pairs (match health): its models live in their own module.
from .health.models import (  # noqa: E402, F401
    CohortCockpit,
    HealthSettings,
    LiaisonAssignment,
    PulseCheck,
    TouchPoint,
)
