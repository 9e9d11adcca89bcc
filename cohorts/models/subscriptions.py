"""People who asked to hear when a program's next call for applications opens."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort
from .programs import Program


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CallSubscriptionQuerySet(models.QuerySet):
    def waiting(self):
        """Confirmed and not unsubscribed: the people the next call's notice goes to."""
        return self.filter(status=CallSubscription.Status.CONFIRMED)


class CallSubscription(models.Model):
    """ "Tell me when applications open": an email address, no account needed.

    Double opt-in: a request is pending until the link in the confirmation email is followed.
    Each time one of the program's cohorts opens its call, a confirmed subscription gets one
    email about it, until it unsubscribes; every email carries a one-click unsubscribe link. One
    row per program and address: asking again re-uses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    # How many confirmation emails one address may be sent for one program, all told.
    MAX_CONFIRMATIONS = 3

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="call_subscriptions",
        verbose_name=_("program"),
    )
    email = models.EmailField(_("email address"), max_length=254)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    confirmations_sent = models.PositiveSmallIntegerField(_("confirmation emails sent"), default=0)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    notified_at = models.DateTimeField(_("last told"), null=True, blank=True)
    notified_cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last told about"),
    )

    objects = CallSubscriptionQuerySet.as_manager()

    PROGRAM_PATH = "program"

    class Meta:
        verbose_name = _("call subscription")
        verbose_name_plural = _("call subscriptions")
        ordering = ["program", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "email"], name="call_subscription_one_per_address"
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.program.short_name})"

    def get_confirm_url(self) -> str:
        return reverse("cohorts:subscription_confirm", kwargs={"token": self.token})

    def get_unsubscribe_url(self) -> str:
        return reverse("cohorts:subscription_unsubscribe", kwargs={"token": self.token})
