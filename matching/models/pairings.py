"""The committee's matching workflow: runs and their proposals, pairings, exclusions, the
cohort's matching settings and the audit trail."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from cohorts.models import Cohort

# The longest reason the committee may give for dissolving a pairing or excluding a pair.
REASON_LIMIT = 2000


class MatchRun(models.Model):
    """One run of the matching engine over a cohort: its inputs, outcome and progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="match_runs", verbose_name=_("cohort")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("progress"), max_length=200, blank=True)
    weights = models.JSONField(_("weights"), default=dict)
    constraints = models.JSONField(
        _("constraints"),
        default=dict,
        help_text=_("Keep locked and approved pairs, exclude same employer, and so on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    estimated_seconds = models.FloatField(
        _("expected duration (s)"),
        null=True,
        blank=True,
        help_text=_("Estimated when the run starts, from earlier runs of a similar size."),
    )
    matched_count = models.PositiveIntegerField(_("mentees matched"), null=True, blank=True)
    unmatched_count = models.PositiveIntegerField(_("mentees unmatched"), null=True, blank=True)
    total_score = models.FloatField(_("total score"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.cohort} run {self.pk} ({self.get_status_display()})"


class Proposal(models.Model):
    """A pair the engine proposed in a run, with its score and why."""

    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("run")
    )
    mentee = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    score = models.FloatField(_("score"))
    breakdown = models.JSONField(_("score breakdown"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)

    PROGRAM_PATH = "run__cohort__program"

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["run", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposal_one_per_mentee"),
        ]

    def __str__(self):
        return f"{self.mentee.full_name} ← {self.mentor.full_name} ({self.score:.1f})"


class PairingQuerySet(models.QuerySet):
    def for_program(self, program):
        return self.filter(cohort__program=program)

    def current(self):
        """Every pairing that still counts: all but the dissolved."""
        return self.exclude(status=Pairing.Status.DISSOLVED)

    def counting_against_capacity(self):
        return self.filter(status__in=Pairing.CAPACITY_STATUSES)

    def announced(self):
        """Released by the chair (the partners' emails may still be scheduled)."""
        return self.filter(status__in=Pairing.ANNOUNCED_STATUSES)

    def visible_to_partners(self, now=None):
        """Released pairings whose announcement time has come: from then the partners see
        each other on the site, when their introduction emails go out."""
        now = now or timezone.now()
        return self.announced().filter(
            models.Q(announced_at__isnull=True) | models.Q(announced_at__lte=now)
        )


class Pairing(models.Model):
    """A mentor and a mentee of one cohort, from proposal to the end of the relationship."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ANNOUNCED = "announced", _("Announced")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DISSOLVED = "dissolved", _("Dissolved")

    class Source(models.TextChoices):
        ENGINE = "engine", _("Matching engine")
        MANUAL = "manual", _("Committee (manual)")

    # Statuses that use one of the mentor's places.
    CAPACITY_STATUSES = (Status.APPROVED, Status.ANNOUNCED, Status.ACTIVE, Status.COMPLETED)
    # Statuses in which the partners know of each other.
    ANNOUNCED_STATUSES = (Status.ANNOUNCED, Status.ACTIVE, Status.COMPLETED)

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("cohort")
    )
    mentor = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="pairings_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="pairings_as_mentee",
        verbose_name=_("mentee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENGINE
    )
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Kept as it is when matching runs again.")
    )
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("match run"),
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    breakdown = models.JSONField(_("score breakdown"), default=dict, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    release = models.ForeignKey(
        "matching.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("release"),
        help_text=_("The release that announced it."),
    )
    dissolved_at = models.DateTimeField(_("dissolved"), null=True, blank=True)
    dissolution_reason = models.TextField(
        _("why it was dissolved"),
        blank=True,
        max_length=REASON_LIMIT,
        validators=[MaxLengthValidator(REASON_LIMIT)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PairingQuerySet.as_manager()

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["cohort", "mentor", "mentee"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")),
                name="pairing_mentor_is_not_mentee",
                violation_error_message=_("A person cannot mentor themselves."),
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=~models.Q(status="dissolved"),
                name="pairing_one_current_per_mentee",
                violation_error_message=_("This mentee already has a pairing."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor.full_name} → {self.mentee.full_name} ({self.get_status_display()})"

    @property
    def is_visible_to_partners(self) -> bool:
        return self.is_announced and (
            self.announced_at is None or self.announced_at <= timezone.now()
        )

    @property
    def is_announced(self) -> bool:
        return self.status in self.ANNOUNCED_STATUSES


class Exclusion(models.Model):
    """A pair the committee forbids, with the reason; the engine never proposes it."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="exclusions", verbose_name=_("cohort")
    )
    mentee = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    reason = models.TextField(
        _("reason"), max_length=REASON_LIMIT, validators=[MaxLengthValidator(REASON_LIMIT)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["cohort", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="exclusion_unique_pair"),
        ]

    def __str__(self):
        return f"{self.mentor.full_name} ✕ {self.mentee.full_name}"


class MatchingSettings(models.Model):
    """A cohort's matching settings, kept between runs: the weights the committee last used,
    whether people from the same employer may be paired, and the waitlist-priority weight."""

    cohort = models.OneToOneField(
        Cohort,
        on_delete=models.CASCADE,
        related_name="matching_settings",
        verbose_name=_("cohort"),
    )
    weights = models.JSONField(
        _("weights"),
        default=dict,
        blank=True,
        help_text=_("The criterion weights last used; empty means the defaults."),
    )
    exclude_same_employer = models.BooleanField(
        _("never pair people from the same employer"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self):
        return str(_("Matching settings of %(cohort)s") % {"cohort": self.cohort})


class AuditEntry(models.Model):
    """One thing the committee did to a cohort's pairings: who, when, what changed."""

    class Action(models.TextChoices):
        RUN = "run", _("Ran matching")
        APPROVE = "approve", _("Approved")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        EXCLUDE = "exclude", _("Excluded a pair")
        LIFT_EXCLUSION = "unexclude", _("Lifted an exclusion")
        MOVE = "move", _("Moved a mentee")
        MANUAL = "manual", _("Paired by hand")
        DISSOLVE = "dissolve", _("Dissolved")
        ANNOUNCE = "announce", _("Announced")
        CAPACITY = "capacity", _("Changed a mentor's capacity")
        LIAISON = "liaison", _("Assigned a liaison")
        NUDGE = "nudge", _("Nudged a pair")
        UNDO_RELEASE = "undo", _("Undid a release")
        SEND_NOW = "send_now", _("Sent emails now")
        POSTPONE = "postpone", _("Postponed emails")
        WITHDRAW = "withdraw", _("Withdrew emails")
        RETRY = "retry", _("Retried emails")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("cohort")
    )
    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("pairing"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    summary = models.CharField(_("what happened"), max_length=500)
    changes = models.JSONField(_("what changed"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.summary
