"""When the assessment app's survey emails are still true (see notifications.conditions):
an invitation or a reminder holds while the survey is not answered and still open."""

import datetime as dt

from django.utils.translation import gettext as _

from .models import Invitation


def survey_email_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    ids = {n.about.get("invitation") for n in notifications} - {None}
    invitations = Invitation.objects.select_related("survey__cohort__program").in_bulk(ids)
    reasons = {}
    for notification in notifications:
        invitation = invitations.get(notification.about.get("invitation"))
        if invitation is None:
            reasons[notification.pk] = _("The survey invitation no longer exists.")
        elif invitation.completed_at is not None:
            reasons[notification.pk] = _("The survey is answered.")
        elif invitation.survey.has_closed(now):
            reasons[notification.pk] = _("The survey has closed.")
    return reasons


CONDITIONS = {
    "survey-invitation": survey_email_holds,
    "survey-reminder": survey_email_holds,
    "survey-last-reminder": survey_email_holds,
}
