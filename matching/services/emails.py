"""The matching app's emails, built but not yet created: introductions, the notes to accepted
applicants without a pairing, to waitlisted and declined applicants, and dissolution notices.

Each is a PlannedEmail: the release plans them (and shows them before a chair confirms), then
creates them through the outbox with `create`. Every one carries `about` ids for its condition
(matching.conditions) and a key that is reissued after a withdrawal (a release undone, then
done again, tells people again).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.utils.translation import gettext_lazy as _

from accounts.timezones import person_zone
from applications.models import Application
from notifications.models import Notification
from notifications.services import (
    notification_create,
    notifications_create_many,
    render_email,
)

from ..models import Pairing

# The kinds of message a release sends, in the order the confirmation lists them.
INTRODUCTION = "pairing-announced"
NOT_MATCHED = "not-matched"
WAITLISTED = "application-waitlisted"
DECLINED = "application-declined"
DISSOLVED = "pairing-dissolved"
RELEASE_KINDS = (INTRODUCTION, NOT_MATCHED, WAITLISTED, DECLINED)
KINDS_TOLD = (NOT_MATCHED, WAITLISTED, DECLINED)  # once per person

KIND_LABELS = {
    INTRODUCTION: _("Introduction to a partner"),
    NOT_MATCHED: _("Accepted, but not matched this cycle"),
    WAITLISTED: _("On the waitlist"),
    DECLINED: _("Not offered a place"),
    DISSOLVED: _("Pairing ended"),
}

# Earlier news a later introduction has to set right ("a place has opened up").
EARLIER_NEWS = (NOT_MATCHED, WAITLISTED)


@dataclass
class PlannedEmail:
    key: str
    kind: str
    to: str
    template: str
    build: Callable[[], dict]  # the template's context
    user: object
    recipient_name: str
    role: str = ""  # the role the email is worded for (an introduction: the recipient's side)
    about: dict = field(default_factory=dict)

    @cached_property
    def context(self) -> dict:
        """Built when the email is rendered or created, not when it is planned: a preview
        renders one email of each kind, and building every context would cost as much."""
        return self.build()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def render(self) -> tuple[str, str]:
        subject, text, _html = render_email(template=self.template, context=self.context)
        return subject, text

    def message(self, *, cohort, scheduled_at: dt.datetime | None, release=None) -> dict:
        """The outbox's keyword arguments for this email (notification_create's)."""
        about = {**self.about, **({"release": release.pk} if release is not None else {})}
        return {
            "key": self.key,
            "kind": self.kind,
            "to": self.to,
            "template": self.template,
            "context": self.context,
            "user": self.user,
            "cohort": cohort,
            "scheduled_at": scheduled_at,
            "about": about,
        }

    def create(self, *, cohort, scheduled_at: dt.datetime | None, release=None):
        """Create it in the outbox (idempotent); returns (notification, created)."""
        return notification_create(
            **self.message(cohort=cohort, scheduled_at=scheduled_at, release=release),
            reissue=True,
        )


def create_all(
    planned: list[PlannedEmail], *, cohort, scheduled_at: dt.datetime | None, release=None
) -> int:
    """Create many planned emails in the outbox at once (idempotent, reissued like `create`);
    returns how many were created."""
    results = notifications_create_many(
        messages=[
            email.message(cohort=cohort, scheduled_at=scheduled_at, release=release)
            for email in planned
        ],
        reissue=True,
    )
    return sum(created for _notification, created in results)


@dataclass
class EarlierMessages:
    """What people of a cohort were already sent or are about to be: one query."""

    live: dict[str, set[int]]  # kind -> applications with a live message of that kind
    sent_news: set[int]  # applications sent "not matched" or "waitlisted" news

    @classmethod
    def of(cls, cohort) -> "EarlierMessages":
        """Of the applications to `cohort`, read by the cohort each message carries (a list of
        the thousands of applications' ids in the query would cost more to send than it
        saves)."""
        rows = Notification.objects.filter(cohort=cohort, kind__in=KINDS_TOLD).values_list(
            "kind", "status", "about__application"
        )
        live: dict[str, set[int]] = {kind: set() for kind in KINDS_TOLD}
        sent_news = set()
        for kind, status, application_id in rows:
            if status not in Notification.FINAL_UNSENT:
                live[kind].add(application_id)
            if kind in EARLIER_NEWS and status == Notification.Status.SENT:
                sent_news.add(application_id)
        return cls(live=live, sent_news=sent_news)


def _dates(cohort) -> dict:
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


def _base(cohort, application: Application) -> dict:
    return {
        "program_name": cohort.program.name,
        "program": cohort.program,
        "cohort": cohort,
        "recipient_name": application.full_name,
        # Dates in the recipient's own time too ({% when %}).
        "reader_zone": person_zone(application.time_zone, application.applicant.time_zone),
    }


def introductions(
    pairings: list[Pairing], cohort, earlier: set[int], areas: dict[int, list[tuple[int, str]]]
) -> list[PlannedEmail]:
    """One introduction to each partner of each pairing; `earlier` are the applications that
    were sent news the introduction sets right ("a place has opened up"); `areas` the
    (id, name) of each application's areas of interest, in the program's order."""
    emails = []
    # The same in every introduction of the cohort: worked out once, not once an email.
    shared = {"cohort_url": cohort.get_absolute_url(), **_dates(cohort)}
    for pairing in pairings:
        for side in ("mentor", "mentee"):
            emails.append(_introduction(pairing, side, cohort, earlier, areas, shared))
    return emails


def _introduction(pairing: Pairing, side: str, cohort, earlier, areas, shared) -> PlannedEmail:
    me, partner = (
        (pairing.mentor, pairing.mentee) if side == "mentor" else (pairing.mentee, pairing.mentor)
    )
    return PlannedEmail(
        key=f"pairing-announced:{pairing.pk}:{side}",
        kind=INTRODUCTION,
        to=me.mail_to,
        template="matching/emails/pairing_announced",
        build=partial(_introduction_context, cohort, side, me, partner, earlier, areas, shared),
        user=me.applicant,
        recipient_name=me.full_name,
        role=side,
        about={"pairing": pairing.pk, "side": side, "application": me.pk},
    )


def _introduction_context(cohort, side, me, partner, earlier, areas, shared) -> dict:
    mine = {pk for pk, _name in areas.get(me.pk, [])}
    return {
        **_base(cohort, me),
        **shared,
        "role": side,
        "after_earlier_news": me.pk in earlier,
        "partner": {
            "name": partner.full_name,
            "pronouns": partner.pronouns,
            "job_title": partner.job_title,
            "employer": partner.employer,
            # The contact address the partner gave for this purpose.
            "email": partner.email or partner.applicant.email,
            "goals": partner.mentee_goals if side == "mentor" else "",
            "offer": partner.mentor_offer if side == "mentee" else "",
        },
        "shared_areas": [name for pk, name in areas.get(partner.pk, []) if pk in mine],
    }


def not_matched(application: Application, cohort, *, mentor_places_left: int) -> PlannedEmail:
    """Worded by role: a mentee was one of more people asking than there were places; a mentor
    with free places is thanked and told that no mentee was left for them."""
    return PlannedEmail(
        key=f"not-matched:{cohort.pk}:{application.pk}",
        kind=NOT_MATCHED,
        to=application.mail_to,
        template="matching/emails/not_matched",
        build=lambda: {
            **_base(cohort, application),
            "program_url": cohort.program.get_absolute_url(),
            "role": application.role,
            "mentor_places_left": mentor_places_left,
        },
        user=application.applicant,
        recipient_name=application.full_name,
        role=application.role,
        about={"application": application.pk},
    )


def decision_note(application: Application, cohort) -> PlannedEmail:
    """The waitlisted or declined applicant's own email, worded by role."""
    waitlisted = application.status == Application.Status.WAITLISTED
    kind = WAITLISTED if waitlisted else DECLINED
    return PlannedEmail(
        key=f"{kind}:{cohort.pk}:{application.pk}",
        kind=kind,
        to=application.mail_to,
        template=f"matching/emails/{'waitlisted' if waitlisted else 'declined'}",
        build=lambda: {
            **_base(cohort, application),
            "program_url": cohort.program.get_absolute_url(),
            "role": application.role,
        },
        user=application.applicant,
        recipient_name=application.full_name,
        role=application.role,
        about={"application": application.pk},
    )


def dissolution_notices(pairing: Pairing) -> list[PlannedEmail]:
    """A kind notice to both partners: no blame, no reason given, and what happens next."""
    cohort = pairing.cohort
    emails = []
    for side, me, partner in (
        ("mentor", pairing.mentor, pairing.mentee),
        ("mentee", pairing.mentee, pairing.mentor),
    ):
        emails.append(
            PlannedEmail(
                key=f"pairing-dissolved:{pairing.pk}:{side}",
                kind=DISSOLVED,
                to=me.mail_to,
                template="matching/emails/pairing_dissolved",
                build=partial(_dissolution_context, cohort, side, me, partner),
                user=me.applicant,
                recipient_name=me.full_name,
                role=side,
                about={"pairing": pairing.pk, "side": side, "application": me.pk},
            )
        )
    return emails


def _dissolution_context(cohort, side, me, partner) -> dict:
    return {
        **_base(cohort, me),
        "role": side,
        "partner_name": partner.full_name,
        "contact_email": cohort.program.contact_email,
    }
