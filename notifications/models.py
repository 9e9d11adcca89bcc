import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        """Rows a deliverer may claim: pending and due, or sending with an expired lease."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status=Notification.Status.PENDING, scheduled_at__lte=now)
            | models.Q(status=Notification.Status.SENDING, lease_expires_at__lt=now)
        )


def chairs_only_messages() -> models.Q:
    """Messages only a program's chairs and staff may read in the outbox: those whose kind is in
    settings.NOTIFICATION_CHAIRS_ONLY_KINDS (a problem report to the chairs)."""
    return models.Q(kind__in=settings.NOTIFICATION_CHAIRS_ONLY_KINDS)


class Notification(models.Model):
    """One email that must go out, exactly once.

    The key (for example `deadline-reminder:<cohort>:<application>:7d`) is unique, so a second
    create of the same message, by a retry, a second beat or a double click, is a no-op.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Canceled")
        # No longer true: the state it describes changed before it went out (see `reason`).
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A message that will not go out any more, whatever happens.
    FINAL_UNSENT = (Status.CANCELLED, Status.WITHDRAWN)

    key = models.CharField(_("key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    # Referenced by name so this app imports none of the others.
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("cohort"),
    )
    # What the message is about, as ids (for example {"pairing": 12, "side": "mentor"}): its
    # kind's still-true condition reads them (notifications.conditions).
    about = models.JSONField(_("about"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    scheduled_at = models.DateTimeField(_("send at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationQuerySet.as_manager()

    PROGRAM_PATH = "cohort__program"
    # Read by the program's chairs and staff only (see cohorts.admin_scoping).
    CHAIRS_ONLY = staticmethod(chairs_only_messages)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="notification_due_idx")]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"

    @property
    def message_id(self) -> str:
        """A Message-ID derived from the key: the same message always carries the same id."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"<{digest}@{domain or 'mentoring.local'}>"


class PlanningFailure(models.Model):
    """A message a planner could not create (for example, its template failed to render).

    The planner logged it, recorded it here and went on with the others; it tries the row again
    on its next run and removes this record once the message exists. Staff see these in the
    admin and in the daily digest.
    """

    planner = models.CharField(_("planner"), max_length=200)
    key = models.CharField(_("message key"), max_length=255, unique=True)
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="planning_failures",
        verbose_name=_("cohort"),
    )
    error = models.TextField(_("error"))
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    first_failed_at = models.DateTimeField(_("first failed"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed"), default=timezone.now)

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("planning failure")
        verbose_name_plural = _("planning failures")
        ordering = ["-last_failed_at"]

    def __str__(self):
        return f"{self.key}: {self.error[:80]}"
