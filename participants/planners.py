"""Planners (registered in settings.NOTIFICATION_PLANNERS): the orientation reminder and the
goal-sheet reminder. Idempotent by key: a second run, or a second beat, sends nothing more."""

import datetime as dt
import hashlib

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from accounts import timezones
from applications.models import Application
from cohorts.models import Cohort
from matching.models import Pairing
from notifications.models import Notification
from notifications.planning import PlannerGuard
from notifications.services import notification_create, notifications_create_many

from . import selectors
from .models import Goal

ORIENTATION_LEAD = dt.timedelta(days=2)
GOAL_SHEET_LEAD = dt.timedelta(days=7)


def orientation_reminder_key(cohort_id: int, application_id: int, starts: dt.datetime) -> str:
    """Keyed by the orientation's start too: a moved orientation gets its own reminder."""
    return f"orientation-reminder:{cohort_id}:{application_id}:{starts.isoformat()}:2d"


def goal_sheet_reminder_key(pairing_id: int, application_id: int) -> str:
    return f"goal-sheet-reminder:{pairing_id}:{application_id}:7d"


def _existing(keys: list[str], *, but: str | None = None) -> set[str]:
    """The keys among `keys` already in the outbox (`but` those in that status)."""
    found = Notification.objects.filter(key__in=keys)
    if but is not None:
        found = found.exclude(status=but)
    return set(found.values_list("key", flat=True))


def plan_orientation_reminders(*, now: dt.datetime) -> int:
    """Two days before a cohort's orientation, remind every accepted participant, once.

    A beat that was down catches up until the orientation starts; after that nothing is sent.
    A reminder of a date that moved is withdrawn (participants.conditions).
    """
    guard = PlannerGuard("participants.planners.plan_orientation_reminders")
    today = now.date()
    cohorts = Cohort.objects.filter(
        orientation_date__gte=today - dt.timedelta(days=1),
        orientation_date__lte=today + ORIENTATION_LEAD + dt.timedelta(days=1),
    ).select_related("program")
    created = 0
    for cohort in cohorts:
        starts = cohort.orientation_starts_at
        if not starts or not (starts - ORIENTATION_LEAD <= now < starts):
            continue
        participants = list(
            cohort.applications.filter(status=Application.Status.ACCEPTED).select_related(
                "applicant"
            )
        )
        keys = [orientation_reminder_key(cohort.pk, a.pk, starts) for a in participants]
        # A reminder withdrawn unsent (its link changed) is written again with the cohort's
        # details as they are now; one staff canceled stays canceled.
        done = _existing(keys, but=Notification.Status.WITHDRAWN)
        for application in participants:
            key = orientation_reminder_key(cohort.pk, application.pk, starts)
            if key in done:
                continue
            with guard.row(key=key, cohort=cohort):
                created += _orientation_reminder(key, cohort, application, starts)
    return created


def _orientation_context(cohort: Cohort, application: Application, starts: dt.datetime) -> dict:
    """What an email about the orientation says, in the person's own zone."""
    tz = selectors.person_time_zone(
        user=application.applicant, application=application, program=cohort.program
    )
    local = starts.astimezone(tz)
    return {
        "program_name": cohort.program.name,
        "cohort": cohort,
        "name": application.full_name or application.applicant.get_short_name(),
        "when": timezones.when(
            starts if cohort.orientation_time else cohort.orientation_date,
            zone=cohort.tz,
            reader_zone=tz,
        ),
        "short_day": date_format(
            local if cohort.orientation_time else cohort.orientation_date, "l, F j"
        ),
    }


def _orientation_about(cohort: Cohort, application: Application, starts: dt.datetime) -> dict:
    """What an email about the orientation names, for its condition (participants.conditions)."""
    return {
        "application": application.pk,
        "orientation": starts.isoformat(),
        "link": cohort.orientation_link,
    }


def _orientation_reminder(
    key: str, cohort: Cohort, application: Application, starts: dt.datetime
) -> int:
    _notification, created = notification_create(
        key=key,
        reissue=True,  # after one withdrawn because its link changed
        kind="orientation_reminder",
        to=application.mail_to,
        template="participants/emails/orientation_reminder",
        context=_orientation_context(cohort, application, starts),
        user=application.applicant,
        cohort=cohort,
        about=_orientation_about(cohort, application, starts),
    )
    return created


def _participants_sent(cohort: Cohort, kinds: tuple[str, ...]):
    """The cohort's accepted participants sent (or being sent) an email of one of `kinds`: what
    it told them is what they know."""
    told = set(
        Notification.objects.filter(
            cohort=cohort,
            kind__in=kinds,
            status__in=(Notification.Status.SENDING, Notification.Status.SENT),
        ).values_list("about__application", flat=True)
    ) - {None}
    return (
        cohort.applications.filter(pk__in=told, status=Application.Status.ACCEPTED)
        .select_related("applicant")
        .order_by("pk")
    )


# Emails that tell a participant when and where the orientation is.
ORIENTATION_TOLD_KINDS = ("pairing-announced", "orientation_reminder")
ORIENTATION_FIELDS = {"orientation_date", "orientation_time", "orientation_link"}


def orientation_follow_cohort(*, cohort: Cohort, changed: list[str]) -> int:
    """A COHORT_CHANGED_HOOKS hook: when the orientation's day, time or link changes while it is
    still ahead, each accepted participant already sent its details (their introduction or the
    reminder) is emailed the new ones ("orientation_changed"), once per application and
    details. It holds on the reminder's terms (participants.conditions): withdrawn if the
    details change again first. Returns how many emails it wrote."""
    if not ORIENTATION_FIELDS & set(changed):
        return 0
    starts = cohort.orientation_starts_at
    if starts is None or starts <= timezone.now():
        return 0
    participants = _participants_sent(cohort, ORIENTATION_TOLD_KINDS)
    link = hashlib.sha256(cohort.orientation_link.encode()).hexdigest()[:12]
    made = notifications_create_many(
        messages=[
            {
                "key": f"orientation-changed:{application.pk}:{starts.isoformat()}:{link}",
                "kind": "orientation_changed",
                "to": application.mail_to,
                "template": "participants/emails/orientation_changed",
                "context": _orientation_context(cohort, application, starts),
                "user": application.applicant,
                "cohort": cohort,
                "about": _orientation_about(cohort, application, starts),
            }
            for application in participants
        ],
        reissue=True,  # the details changed away from these and back again
    )
    return sum(created for _notification, created in made)


MENTORING_FIELDS = {"mentoring_starts", "mentoring_ends"}


def mentoring_dates_follow_cohort(*, cohort: Cohort, changed: list[str]) -> int:
    """A COHORT_CHANGED_HOOKS hook: when formal mentoring's start or end moves before it has
    ended, each accepted participant whose introduction (which gives both dates) was sent is
    emailed the new ones ("mentoring_dates_changed"), once per application and dates; withdrawn
    if the dates change again first (participants.conditions). Returns how many it wrote."""
    if not MENTORING_FIELDS & set(changed):
        return 0
    if cohort.mentoring_ends < timezone.now().astimezone(cohort.tz).date():
        return 0
    participants = _participants_sent(cohort, ("pairing-announced",))
    dates = {
        "mentoring_starts": cohort.mentoring_starts.isoformat(),
        "mentoring_ends": cohort.mentoring_ends.isoformat(),
    }
    made = notifications_create_many(
        messages=[
            {
                "key": (
                    f"mentoring-dates:{application.pk}:{cohort.mentoring_starts}:"
                    f"{cohort.mentoring_ends}"
                ),
                "kind": "mentoring_dates_changed",
                "to": application.mail_to,
                "template": "participants/emails/mentoring_dates_changed",
                "context": {
                    "program_name": cohort.program.name,
                    "cohort": cohort,
                    "name": application.full_name or application.applicant.get_short_name(),
                },
                "user": application.applicant,
                "cohort": cohort,
                "about": {"application": application.pk, **dates},
            }
            for application in participants
        ],
        reissue=True,  # the dates changed away from these and back again
    )
    return sum(created for _notification, created in made)


def plan_goal_sheet_reminders(*, now: dt.datetime) -> int:
    """Seven days before the goal-sheet date, remind both partners of a pair with no goals."""
    guard = PlannerGuard("participants.planners.plan_goal_sheet_reminders")
    pairings = (
        Pairing.objects.filter(
            status__in=(Pairing.Status.ANNOUNCED, Pairing.Status.ACTIVE),
            cohort__program__goal_sheet_due_days__isnull=False,
            cohort__mentoring_ends__gte=now.date() - dt.timedelta(days=1),
        )
        .exclude(Exists(Goal.objects.filter(pairing=OuterRef("pk"))))
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
    )
    due_pairings = []
    for pairing in pairings:
        due = selectors.goal_sheet_due(pairing)
        today = now.astimezone(pairing.cohort.tz).date()
        if due and due - GOAL_SHEET_LEAD <= today <= due:
            due_pairings.append((pairing, due))
    done = _existing(
        [
            goal_sheet_reminder_key(p.pk, a.pk)
            for p, _due in due_pairings
            for a in (p.mentor, p.mentee)
        ]
    )
    created = 0
    for pairing, due in due_pairings:
        program = pairing.cohort.program
        for me, partner, partner_role in (
            (pairing.mentor, pairing.mentee, "mentee"),
            (pairing.mentee, pairing.mentor, "mentor"),
        ):
            key = goal_sheet_reminder_key(pairing.pk, me.pk)
            if key in done:
                continue
            with guard.row(key=key, cohort=pairing.cohort):
                _notification, was_created = notification_create(
                    key=key,
                    kind="goal_sheet_reminder",
                    to=me.mail_to,
                    template="participants/emails/goal_sheet_reminder",
                    context={
                        "program_name": program.name,
                        "name": me.full_name or me.applicant.get_short_name(),
                        "partner_name": partner.full_name,
                        "partner_role": partner_role,
                        "due": due,
                        "days": program.goal_sheet_due_days,
                        "max_goals": Goal.MAX_PER_PAIRING,
                    },
                    user=me.applicant,
                    cohort=pairing.cohort,
                    about={"pairing": pairing.pk, "application": me.pk},
                )
                created += was_created
    return created
