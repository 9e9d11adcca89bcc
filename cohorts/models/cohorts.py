"""Cohorts, one yearly round of a program each, with their dated timeline and milestones."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..timeline import PHASE_DESCRIPTIONS, Phase, TimelineDates, end_of_day, start_of_day
from .programs import Program

# The longest text of one of a cohort's or milestone's free-text fields.
TEXT_LIMIT = 5000


class CohortManager(models.Manager):
    """A cohort is always shown with its program's name, so fetch the program with it."""

    def get_queryset(self):
        return super().get_queryset().select_related("program")


@dataclass(frozen=True)
class TimelineEntry:
    """One row of a cohort's public timeline."""

    key: str
    label: str
    starts: dt.date
    ends: dt.date | None
    phase: Phase
    state: str  # "past", "current" or "future"
    at: dt.datetime | None = None  # the instant, for a deadline or an event with a time

    @property
    def when(self) -> str:
        if self.ends and self.ends != self.starts:
            return f"{date_format(self.starts, 'F j, Y')} – {date_format(self.ends, 'F j, Y')}"
        return date_format(self.starts, "F j, Y")


class Cohort(models.Model):
    """One yearly round of a program, with its dated timeline.

    Its phase is derived from the dates and the current time (see cohorts.timeline), never stored.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_('e.g. "2024 cohort"'))
    slug = models.SlugField(_("slug"), max_length=60)
    applications_open = models.DateField(_("applications open"))
    applications_close = models.DateField(
        _("application deadline"),
        help_text=_("Applications are accepted until 23:59 on this day, program time."),
    )
    pairings_notified = models.DateField(_("pairings notified by"))
    orientation_date = models.DateField(_("orientation date"), null=True, blank=True)
    orientation_end_date = models.DateField(
        _("orientation end date"),
        null=True,
        blank=True,
        help_text=_("For an orientation spread over several days."),
    )
    orientation_time = models.TimeField(
        _("orientation time"), null=True, blank=True, help_text=_("Program time.")
    )
    orientation_link = models.URLField(_("orientation link"), blank=True)
    orientation_details = models.TextField(
        _("orientation details"),
        blank=True,
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    orientation_required = models.BooleanField(_("orientation attendance required"), default=True)
    mentoring_starts = models.DateField(_("formal mentoring starts"))
    mentoring_ends = models.DateField(_("formal mentoring ends"))
    assessment_closes = models.DateField(_("assessment closes"))
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("How many mentees a mentor takes unless they say otherwise (1 to 3)."),
    )
    notes = models.TextField(
        _("notes"), blank=True, max_length=TEXT_LIMIT, validators=[MaxLengthValidator(TEXT_LIMIT)]
    )

    objects = CohortManager()

    PROGRAM_PATH = "program"

    # The timeline in the order the dates must come: (earlier, later, later must be a later day).
    DATE_ORDER = (
        ("applications_open", "applications_close", False),
        ("applications_close", "pairings_notified", True),
        ("pairings_notified", "mentoring_starts", False),
        ("mentoring_starts", "mentoring_ends", True),
        ("mentoring_ends", "assessment_closes", True),
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["program", "-mentoring_starts"]
        get_latest_by = "mentoring_starts"
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="cohort_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(applications_open__lte=models.F("applications_close"))
                & models.Q(applications_close__lt=models.F("pairings_notified"))
                & models.Q(pairings_notified__lte=models.F("mentoring_starts"))
                & models.Q(mentoring_starts__lt=models.F("mentoring_ends"))
                & models.Q(mentoring_ends__lt=models.F("assessment_closes")),
                name="cohort_dates_in_order",
                violation_error_message=_("The cohort's dates are not in order."),
            ),
            models.CheckConstraint(
                condition=models.Q(default_mentor_capacity__gte=1)
                & models.Q(default_mentor_capacity__lte=3),
                name="cohort_capacity_1_to_3",
            ),
        ]

    def __str__(self):
        return f"{self.program.short_name} {self.name}"

    def get_absolute_url(self):
        return reverse(
            "cohorts:cohort_detail",
            kwargs={"program_slug": self.program.slug, "slug": self.slug},
        )

    def clean(self):
        """Check the timeline order and name the field at fault."""
        super().clean()
        errors = {}
        for earlier, later, strict in self.DATE_ORDER:
            first, second = getattr(self, earlier), getattr(self, later)
            if first is None or second is None or later in errors:
                continue
            if second < first or (strict and second == first):
                errors[later] = _("%(field)s must come after %(earlier)s (%(date)s).") % {
                    "field": str(self._meta.get_field(later).verbose_name).capitalize(),
                    "earlier": self._meta.get_field(earlier).verbose_name,
                    "date": date_format(first, "F j, Y"),
                }
        if (
            self.orientation_date
            and self.pairings_notified
            and self.mentoring_starts
            and not self.pairings_notified <= self.orientation_date <= self.mentoring_starts
        ):
            errors["orientation_date"] = _(
                "The orientation must fall between the pairing notification (%(start)s) "
                "and the start of formal mentoring (%(end)s)."
            ) % {
                "start": date_format(self.pairings_notified, "F j, Y"),
                "end": date_format(self.mentoring_starts, "F j, Y"),
            }
        if self.orientation_end_date:
            if not self.orientation_date:
                errors["orientation_end_date"] = _("Set the orientation date first.")
            elif self.orientation_end_date < self.orientation_date:
                errors["orientation_end_date"] = _(
                    "The orientation cannot end before it starts (%(date)s)."
                ) % {"date": date_format(self.orientation_date, "F j, Y")}
        if errors:
            raise ValidationError(errors)

    # --- the timeline -------------------------------------------------------------------------

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return self.program.tz

    @property
    def timeline_dates(self) -> TimelineDates:
        return TimelineDates(
            tz=self.tz,
            applications_open=self.applications_open,
            applications_close=self.applications_close,
            pairings_notified=self.pairings_notified,
            mentoring_starts=self.mentoring_starts,
            mentoring_ends=self.mentoring_ends,
            assessment_closes=self.assessment_closes,
        )

    def phase(self, now: dt.datetime | None = None) -> Phase:
        return self.timeline_dates.phase_at(now or timezone.now())

    def phase_description(self, now: dt.datetime | None = None) -> str:
        return PHASE_DESCRIPTIONS[self.phase(now)]

    @property
    def applications_open_at(self) -> dt.datetime:
        return start_of_day(self.applications_open, self.tz)

    @property
    def application_deadline(self) -> dt.datetime:
        """The last instant an application is accepted: 23:59:59 on the deadline day, local."""
        return end_of_day(self.applications_close, self.tz)

    def is_accepting_applications(self, now: dt.datetime | None = None) -> bool:
        return self.phase(now) == Phase.ACCEPTING

    def days_left_to_apply(self, now: dt.datetime | None = None) -> int | None:
        """Whole calendar days left, counting the deadline day (0 on the deadline day itself)."""
        now = now or timezone.now()
        if not self.is_accepting_applications(now):
            return None
        today = now.astimezone(self.tz).date()
        return (self.applications_close - today).days

    @property
    def orientation_starts_at(self) -> dt.datetime | None:
        if not self.orientation_date:
            return None
        if self.orientation_time:
            return dt.datetime.combine(self.orientation_date, self.orientation_time, self.tz)
        return start_of_day(self.orientation_date, self.tz)

    @property
    def orientation_zone(self) -> str:
        starts = self.orientation_starts_at
        return starts.strftime("%Z") if starts else ""

    def timeline(self, now: dt.datetime | None = None) -> list[TimelineEntry]:
        """The cohort's dated steps in order, each marked past, current or future."""
        now = now or timezone.now()
        today = now.astimezone(self.tz).date()
        rows = [
            (
                "applications_open",
                _("Call for applications opens"),
                self.applications_open,
                None,
                Phase.ACCEPTING,
                None,
            ),
            (
                "applications_close",
                _("Application deadline"),
                self.applications_close,
                None,
                Phase.ACCEPTING,
                self.application_deadline,
            ),
            (
                "pairings_notified",
                _("Mentors and mentees notified of pairings"),
                self.pairings_notified,
                None,
                Phase.MATCHING,
                None,
            ),
        ]
        if self.orientation_date:
            rows.append(
                (
                    "orientation",
                    _("Virtual orientation"),
                    self.orientation_date,
                    self.orientation_end_date,
                    Phase.ORIENTATION,
                    self.orientation_starts_at if self.orientation_time else None,
                )
            )
        rows.append(
            (
                "mentoring_starts",
                _("Formal mentoring begins"),
                self.mentoring_starts,
                None,
                Phase.IN_PROGRESS,
                None,
            )
        )
        rows.extend(
            (f"milestone-{m.pk}", m.title, m.date, m.end_date, Phase.IN_PROGRESS, m.starts_at)
            for m in self.milestones.all()
        )
        rows.append(
            (
                "mentoring_ends",
                _("Formal mentoring ends"),
                self.mentoring_ends,
                None,
                Phase.IN_PROGRESS,
                None,
            )
        )
        rows.append(
            (
                "assessment_closes",
                _("Assessment and feedback close"),
                self.assessment_closes,
                None,
                Phase.ASSESSMENT,
                None,
            )
        )
        rows.sort(key=lambda row: row[2])
        entries = []
        for key, label, starts, ends, phase, at in rows:
            last = ends or starts
            if last < today:
                state = "past"
            elif starts <= today:
                state = "current"
            else:
                state = "future"
            entries.append(TimelineEntry(key, str(label), starts, ends, phase, state, at))
        return entries

    def next_date(self, now: dt.datetime | None = None) -> TimelineEntry | None:
        """The next date that matters: today's step, or the first one still ahead."""
        for entry in self.timeline(now):
            if entry.state in ("current", "future"):
                return entry
        return None


class Milestone(models.Model):
    """A dated event in a cohort beyond the main timeline: a networking session, a check-in."""

    class Kind(models.TextChoices):
        NETWORKING = "networking", _("Networking session")
        CHECK_IN = "check_in", _("Check-in")
        GOAL_SHEET = "goal_sheet", _("Goal sheet due")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Mentors and mentees")
        MENTORS = "mentors", _("Mentors")
        MENTEES = "mentees", _("Mentees")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("cohort")
    )
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True, help_text=_("Program time."))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=TEXT_LIMIT,
        validators=[MaxLengthValidator(TEXT_LIMIT)],
    )
    link = models.URLField(_("link"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["cohort", "date", "time"]

    def __str__(self):
        return f"{self.title} ({date_format(self.date, 'F j, Y')})"

    def clean(self):
        super().clean()
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The end date cannot come before the date.")})

    @property
    def starts_at(self) -> dt.datetime | None:
        if self.time is None:
            return None
        return dt.datetime.combine(self.date, self.time, self.cohort.tz)
