"""The receipts an applicant gets for submitting and withdrawing: to their account's address,
at most RECEIPTS_PER_DAY in 24 hours (past it the change still happens, without an email, and
the page says so)."""

import datetime as dt
import logging

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.timezones import person_zone
from notifications.models import Notification
from notifications.services import notification_create

from .models import Application
from .summary import answer_summary

logger = logging.getLogger(__name__)

# At most this many submit and withdraw receipts go to one applicant in 24 hours; past it the
# change still happens, without an email, and the page says so.
RECEIPTS_PER_DAY = 3
RECEIPT_KINDS = ("application_submitted", "application_withdrawn")


def receipts_left(*, applicant: User, now: dt.datetime) -> int:
    sent = Notification.objects.filter(
        user=applicant, kind__in=RECEIPT_KINDS, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    return max(0, RECEIPTS_PER_DAY - sent)


def receipt(
    *,
    application: Application,
    kind: str,
    template: str,
    now: dt.datetime,
    new: bool = False,
    areas=None,
    answered=None,
) -> bool:
    """Email the applicant a receipt of their submission or withdrawal, to their account's
    address, unless they already had RECEIPTS_PER_DAY today. Returns whether it was created.

    `new`: the application was created by this very transaction, so no receipt is about it
    yet. `areas` and `answered` (see answer_summary) spare reading back what was just saved."""
    if not receipts_left(applicant=application.applicant, now=now):
        logger.info("No %s receipt for application %s: daily limit", kind, application.pk)
        return False
    # Numbered per application: the caller holds the application's row lock, so two receipts
    # never take one number, and a double click (which changes nothing) asks for none.
    number = (
        0
        if new
        else Notification.objects.filter(kind=kind, about__application=application.pk).count()
    )
    _notification, created = notification_create(
        key=f"{kind.replace('_', '-')}:{application.pk}:{number + 1}",
        kind=kind,
        to=application.mail_to,
        template=template,
        context=_email_context(application, areas=areas, answered=answered),
        user=application.applicant,
        cohort=application.cohort,
        about={"application": application.pk},
    )
    return created


def _email_context(application: Application, *, areas=None, answered=None) -> dict:
    cohort = application.cohort
    return {
        "application": application,
        "cohort": cohort,
        "program": cohort.program,
        "program_name": cohort.program.name,
        "summary": answer_summary(application, areas=areas, answered=answered),
        "deadline": cohort.application_deadline,
        "reader_zone": person_zone(application.time_zone, application.applicant.time_zone),
    }


def receipt_limit_message(application: Application) -> str:
    """What the page says when the daily limit of receipts kept this one from being emailed."""
    status = application.get_status_display().lower()
    return _(
        "Your application is %(status)s. We did not email you about it: you have had "
        "%(count)s emails about your applications today, the most we send in a day. "
        "Your applications page always shows where things stand."
    ) % {"status": status, "count": RECEIPTS_PER_DAY}
