"""Scheduled emails of the assessment app, run by the beat (see notifications.planning): the
survey request once formal mentoring has ended, and the reminders to those who have not answered."""

import datetime as dt

from django.db.models import Q

from notifications.planning import PlannerGuard

from .models import Invitation, Survey
from .selectors import participants_for
from .services import invitation_remind, invitation_send

REMINDER_AFTER = dt.timedelta(days=7)
LAST_REMINDER_BEFORE_CLOSE = dt.timedelta(days=2)


def plan_survey_invitations(*, now: dt.datetime) -> int:
    """The beat planner: invitations once mentoring has ended, a reminder 7 days later to those
    who have not answered, and a last reminder 2 days before the survey closes.

    Idempotent: each invitation's emails have fixed keys and the invitation records what it got.
    One row that fails is recorded and skipped (notifications.planning.PlannerGuard).
    """
    guard = PlannerGuard("assessment.planners.plan_survey_invitations")
    created = 0
    # Cheap date prefilter (a day of slack either side for time zones); exact checks below.
    surveys = Survey.objects.select_related("cohort__program").filter(
        Q(closes__gte=now)
        | Q(closes__isnull=True, cohort__assessment_closes__gte=now.date() - dt.timedelta(days=1)),
        cohort__mentoring_ends__lt=now.date() + dt.timedelta(days=1),
    )
    for survey in surveys:
        if now <= survey.mentoring_ended_at or not survey.is_open(now):
            continue
        already_sent = Invitation.objects.filter(survey=survey, sent_at__isnull=False)
        for application in participants_for(survey).exclude(
            pk__in=already_sent.values("application_id")
        ):
            with guard.row(key=f"survey-invite:{survey.pk}:{application.pk}", cohort=survey.cohort):
                created += invitation_send(survey=survey, application=application, now=now)
        pending = survey.invitations.filter(completed_at__isnull=True, sent_at__isnull=False)
        last_window = now >= survey.closes_at - LAST_REMINDER_BEFORE_CLOSE
        if last_window:
            # Someone invited within the last day is not reminded yet again.
            for invitation in pending.filter(
                last_reminded_at__isnull=True, sent_at__lte=now - dt.timedelta(days=1)
            ):
                with guard.row(key=f"survey-reminder:{invitation.pk}:last", cohort=survey.cohort):
                    created += invitation_remind(invitation=invitation, last=True, now=now)
        else:
            for invitation in pending.filter(
                reminded_at__isnull=True, sent_at__lte=now - REMINDER_AFTER
            ):
                with guard.row(key=f"survey-reminder:{invitation.pk}:7d", cohort=survey.cohort):
                    created += invitation_remind(invitation=invitation, last=False, now=now)
    return created
