"""A chair's release of a cohort's approved pairings, which a chair may undo until it goes out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort


class Release(models.Model):
    """One release: the approved pairings it announced, and the emails it scheduled for
    `send_at` (introductions to both partners, and a note to each accepted, waitlisted or
    declined applicant who had not heard yet). Until `send_at`, and while none of its emails
    has gone out, a chair may undo it: its emails are withdrawn and its pairings are approved
    again."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="releases", verbose_name=_("cohort")
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    send_at = models.DateTimeField(_("emails go out"))
    created_at = models.DateTimeField(_("released"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    PROGRAM_PATH = "cohort__program"

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(_("Release %(pk)s of %(cohort)s") % {"pk": self.pk, "cohort": self.cohort})
