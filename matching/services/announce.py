"""Releasing a cohort's approved pairings: the introductions and the "not matched" emails."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.timezones import person_zone
from applications.models import Application
from cohorts.models import Cohort
from cohorts.permissions import require_chair
from cohorts.timeline import start_of_day
from notifications.services import notification_create, render_email

from ..models import AuditEntry, Pairing
from .audit import audit_record

SEND_TIME = dt.time(9, 0)  # program time on the notification date


@dataclass
class PlannedEmail:
    key: str
    kind: str
    to: str
    template: str
    context: dict
    user: object
    recipient_name: str

    def render(self) -> tuple[str, str]:
        subject, text, _html = render_email(template=self.template, context=self.context)
        return subject, text


@dataclass
class AnnouncementPlan:
    cohort: Cohort
    send_at: dt.datetime
    pairings: list[Pairing] = field(default_factory=list)
    not_matched: list[Application] = field(default_factory=list)
    still_proposed: int = 0
    emails: list[PlannedEmail] = field(default_factory=list)


def announcement_send_at(*, cohort: Cohort, now: dt.datetime) -> dt.datetime:
    """9 a.m. program time on the cohort's notification date, or now if that has passed."""
    planned = dt.datetime.combine(cohort.pairings_notified, SEND_TIME, tzinfo=cohort.tz)
    return max(planned, now)


def _contact(application: Application) -> str:
    return application.email or application.applicant.email


def _dates(cohort: Cohort) -> dict:
    return {
        "orientation_starts_at": cohort.orientation_starts_at,
        "orientation_date": cohort.orientation_date,
        "orientation_time": cohort.orientation_time,
        "orientation_link": cohort.orientation_link,
        "orientation_required": cohort.orientation_required,
        "mentoring_starts": cohort.mentoring_starts,
        "mentoring_ends": cohort.mentoring_ends,
        "goal_sheet_due_days": cohort.program.goal_sheet_due_days,
    }


def _introduction(pairing: Pairing, side: str) -> PlannedEmail:
    mentor, mentee = pairing.mentor, pairing.mentee
    me, partner = (mentor, mentee) if side == "mentor" else (mentee, mentor)
    cohort = pairing.cohort
    mine = {area.pk: area.name for area in me.areas.all()}
    shared = [area.name for area in partner.areas.all() if area.pk in mine]
    context = {
        "program_name": cohort.program.name,
        "program": cohort.program,
        "cohort": cohort,
        "cohort_url": cohort.get_absolute_url(),
        "role": side,
        "recipient_name": me.full_name,
        "partner": {
            "name": partner.full_name,
            "pronouns": partner.pronouns,
            "job_title": partner.job_title,
            "employer": partner.employer,
            "email": _contact(partner),
            "goals": partner.mentee_goals if side == "mentor" else "",
            "offer": partner.mentor_offer if side == "mentee" else "",
        },
        "shared_areas": shared,
        "reader_zone": person_zone(me.time_zone, me.applicant.time_zone),
        **_dates(cohort),
    }
    return PlannedEmail(
        key=f"pairing-announced:{pairing.pk}:{side}",
        kind="pairing-announced",
        to=_contact(me),
        template="matching/emails/pairing_announced",
        context=context,
        user=me.applicant,
        recipient_name=me.full_name,
    )


def _not_matched(application: Application) -> PlannedEmail:
    cohort = application.cohort
    return PlannedEmail(
        key=f"not-matched:{cohort.pk}:{application.pk}",
        kind="not-matched",
        to=_contact(application),
        template="matching/emails/not_matched",
        context={
            "program_name": cohort.program.name,
            "program": cohort.program,
            "cohort": cohort,
            "program_url": cohort.program.get_absolute_url(),
            "recipient_name": application.full_name,
            "role": application.get_role_display().lower(),
        },
        user=application.applicant,
        recipient_name=application.full_name,
    )


def announcement_plan(
    *, cohort: Cohort, now: dt.datetime | None = None, lock: bool = False
) -> AnnouncementPlan:
    """Every email the release would create: an introduction to each side of each approved
    pairing, and a kind note to each accepted applicant without any pairing."""
    now = now or timezone.now()
    cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
    approved = (
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.APPROVED)
        .select_related("mentor__applicant", "mentee__applicant")
        .prefetch_related("mentor__areas", "mentee__areas")
        .order_by("mentor__full_name", "mentee__full_name", "pk")
    )
    if lock:
        approved = approved.select_for_update(of=("self",))
    plan = AnnouncementPlan(cohort=cohort, send_at=announcement_send_at(cohort=cohort, now=now))
    plan.pairings = list(approved)
    for pairing in plan.pairings:
        pairing.cohort = cohort
        plan.emails.append(_introduction(pairing, "mentor"))
        plan.emails.append(_introduction(pairing, "mentee"))
    plan.still_proposed = Pairing.objects.filter(
        cohort=cohort, status=Pairing.Status.PROPOSED
    ).count()
    paired = Pairing.objects.filter(cohort=cohort).current()
    plan.not_matched = list(
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .exclude(pk__in=paired.values("mentor_id"))
        .exclude(pk__in=paired.values("mentee_id"))
        .select_related("applicant")
        .order_by("full_name", "pk")
    )
    for application in plan.not_matched:
        application.cohort = cohort
        plan.emails.append(_not_matched(application))
    return plan


def announcement_preview(*, cohort: Cohort, now: dt.datetime | None = None):
    """The plan with every email rendered: [(planned email, subject, text)]."""
    plan = announcement_plan(cohort=cohort, now=now)
    return plan, [(email, *email.render()) for email in plan.emails]


@dataclass
class AnnounceOutcome:
    pairings: int
    emails_created: int
    send_at: dt.datetime


@transaction.atomic
def pairings_announce(*, cohort: Cohort, by, now: dt.datetime | None = None) -> AnnounceOutcome:
    """Release the cohort's approved pairings (chairs only).

    Each approved pairing becomes announced (active if mentoring has begun); each partner gets
    an introduction and each accepted applicant with no pairing a "not matched this cycle" note,
    all through the outbox, scheduled for the notification date (at once if it has passed).
    Idempotent: a second release finds nothing new, and every email is keyed.
    """
    require_chair(by, cohort.program)
    now = now or timezone.now()
    Cohort.objects.select_for_update().filter(pk=cohort.pk).exists()
    plan = announcement_plan(cohort=cohort, now=now, lock=True)
    started = now >= start_of_day(plan.cohort.mentoring_starts, plan.cohort.tz)
    status = Pairing.Status.ACTIVE if started else Pairing.Status.ANNOUNCED
    created = 0
    for email in plan.emails:
        _notification, was_created = notification_create(
            key=email.key,
            kind=email.kind,
            to=email.to,
            template=email.template,
            context=email.context,
            user=email.user,
            cohort=plan.cohort,
            scheduled_at=plan.send_at,
        )
        created += was_created
    if plan.pairings:
        Pairing.objects.filter(pk__in=[p.pk for p in plan.pairings]).update(
            # Partners see each other on the site from the moment their emails go out.
            status=status,
            announced_at=plan.send_at,
            updated_at=now,
        )
    if plan.pairings or created:
        audit_record(
            cohort=plan.cohort,
            actor=by,
            action=AuditEntry.Action.ANNOUNCE,
            summary=_("Announced %(pairings)s pairings; %(emails)s emails scheduled for %(when)s.")
            % {
                "pairings": len(plan.pairings),
                "emails": created,
                "when": timezone.localtime(plan.send_at, plan.cohort.tz).strftime(
                    "%Y-%m-%d %H:%M %Z"
                ),
            },
            changes={
                "pairings": [p.pk for p in plan.pairings],
                "not_matched": [a.pk for a in plan.not_matched],
                "status": status,
                "send_at": plan.send_at.isoformat(),
            },
        )
    return AnnounceOutcome(
        pairings=len(plan.pairings), emails_created=created, send_at=plan.send_at
    )
