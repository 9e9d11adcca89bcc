"""Releasing a cohort's approved pairings, with a confirmation, and undoing a release.

Only approved pairings are released. A release schedules, for the notification date (at once
if it has passed): an introduction to both partners of each pairing, and a note to each accepted
applicant in no pairing, each waitlisted and each declined applicant who has not had theirs.
With no approved pairing there is nothing to release. The chair confirms a plan they have seen
(its fingerprint); until the send time a chair may undo the release.
"""

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.models import Application
from cohorts.models import Cohort
from cohorts.permissions import require_chair
from cohorts.timeline import start_of_day
from notifications.models import Notification
from notifications.services import notifications_withdraw, render_email

from ..models import AuditEntry, Pairing, Release
from . import emails
from .audit import audit_record
from .locks import cohort_lock, retry_on_conflict

SEND_TIME = dt.time(9, 0)  # program time on the notification date
# What the release's emails read of each person: a cohort's applications are loaded with these
# only, not with every answer (the release and its preview of a large cohort stay fast).
PERSON_FIELDS = (
    "cohort_id",
    "role",
    "status",
    "capacity",
    "full_name",
    "pronouns",
    "job_title",
    "employer",
    "email",
    "mentee_goals",
    "mentor_offer",
    "time_zone",
    "applicant__email",
    "applicant__time_zone",
)
# How the preview names the role an email is worded for (introductions: the recipient's side).
ROLE_NAMES = {
    "mentor": gettext_lazy("mentor"),
    "mentee": gettext_lazy("mentee"),
    "both": gettext_lazy("mentor and mentee"),
}

PlannedEmail = emails.PlannedEmail


@dataclass
class KindCount:
    kind: str
    label: str
    count: int


@dataclass
class AnnouncementPlan:
    cohort: Cohort
    send_at: dt.datetime
    pairings: list[Pairing] = field(default_factory=list)
    not_matched: list[Application] = field(default_factory=list)
    waitlisted: list[Application] = field(default_factory=list)
    declined: list[Application] = field(default_factory=list)
    still_proposed: int = 0
    announced: int = 0  # pairings of the cohort already released
    emails: list[PlannedEmail] = field(default_factory=list)

    @property
    def releasable(self) -> bool:
        return bool(self.pairings)

    @property
    def by_kind(self) -> list[KindCount]:
        counts = Counter(email.kind for email in self.emails)
        return [
            KindCount(kind, str(emails.KIND_LABELS[kind]), counts[kind])
            for kind in emails.RELEASE_KINDS
            if counts[kind]
        ]

    @property
    def recipient_count(self) -> int:
        return len({email.to for email in self.emails})

    @property
    def fingerprint(self) -> str:
        """What the chair saw: the pairings, every email and the send time. A release whose
        plan changed since (another pairing approved meanwhile) is refused."""
        parts = [self.cohort.pairings_notified.isoformat()]
        parts += sorted(f"{p.pk}:{p.mentor_id}:{p.mentee_id}" for p in self.pairings)
        parts += sorted(f"{e.key}>{e.to}" for e in self.emails)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def announcement_send_at(*, cohort: Cohort, now: dt.datetime) -> dt.datetime:
    """9 a.m. program time on the cohort's notification date, or now if that has passed."""
    planned = dt.datetime.combine(cohort.pairings_notified, SEND_TIME, tzinfo=cohort.tz)
    return max(planned, now)


def announcement_plan(
    *, cohort: Cohort, now: dt.datetime | None = None, lock: bool = False
) -> AnnouncementPlan:
    """Every email a release would create now; with no approved pairing, none."""
    now = now or timezone.now()
    if not Cohort.program.is_cached(cohort):
        cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
    plan = AnnouncementPlan(cohort=cohort, send_at=announcement_send_at(cohort=cohort, now=now))
    approved = (
        Pairing.objects.filter(cohort=cohort, status=Pairing.Status.APPROVED)
        .select_related("mentor__applicant", "mentee__applicant")
        .only(
            "cohort_id",
            "mentor_id",
            "mentee_id",
            "status",
            *[f"{side}__{name}" for side in ("mentor", "mentee") for name in PERSON_FIELDS],
        )
        .order_by("mentor__full_name", "mentee__full_name", "pk")
    )
    if lock:
        approved = approved.select_for_update(of=("self",))
    plan.pairings = list(approved)
    current = list(
        Pairing.objects.filter(cohort=cohort)
        .current()
        .values_list("mentor_id", "mentee_id", "status")
    )
    statuses = Counter(status for _mentor, _mentee, status in current)
    plan.still_proposed = statuses[Pairing.Status.PROPOSED]
    plan.announced = sum(statuses[status] for status in Pairing.ANNOUNCED_STATUSES)
    if not plan.pairings:
        return plan
    for pairing in plan.pairings:
        pairing.cohort = cohort
    pairings = Pairing.objects.current().order_by()
    # Two EXISTS, not one with an OR: each is an index lookup.
    in_a_pairing = Exists(pairings.filter(mentor_id=OuterRef("pk"))) | Exists(
        pairings.filter(mentee_id=OuterRef("pk"))
    )
    applications = list(
        Application.objects.filter(
            cohort=cohort,
            status__in=(
                Application.Status.ACCEPTED,
                Application.Status.WAITLISTED,
                Application.Status.DECLINED,
            ),
        )
        # An accepted applicant in a pairing gets no note: not even loaded.
        .exclude(Q(status=Application.Status.ACCEPTED) & in_a_pairing)
        .select_related("applicant")
        .only(*PERSON_FIELDS)
        .order_by("full_name", "pk")
    )
    earlier = emails.EarlierMessages.of(cohort)
    areas = _areas_of(cohort)
    plan.emails += emails.introductions(plan.pairings, cohort, earlier.sent_news, areas)
    _plan_the_others(plan, cohort, applications, current, earlier.live)
    return plan


def _areas_of(cohort) -> dict[int, list[tuple[int, str]]]:
    """(id, name) of the areas of interest of each application to `cohort`, in the program's
    order: one query (the introductions name the areas the partners share). By cohort, not by
    a list of the paired applications' ids: those are most of the cohort, and a list of
    thousands of ids costs more to send than the few rows it saves."""
    rows = (
        Application.areas.through.objects.filter(application__cohort=cohort)
        .order_by("areaofinterest__order", "areaofinterest__name", "areaofinterest_id")
        .values_list("application_id", "areaofinterest_id", "areaofinterest__name")
    )
    areas: dict[int, list[tuple[int, str]]] = {}
    for application_id, area_id, name in rows:
        areas.setdefault(application_id, []).append((area_id, name))
    return areas


def _plan_the_others(plan, cohort, applications, current, told) -> None:
    """The note to each applicant this release leaves without a pairing, once per person:
    "not matched" (worded by role, with a mentor's free places), waitlisted, declined."""
    paired = {mentor for mentor, _mentee, _status in current}
    paired |= {mentee for _mentor, mentee, _status in current}
    used = Counter(
        mentor for mentor, _mentee, status in current if status in Pairing.CAPACITY_STATUSES
    )
    for application in applications:
        application.cohort = cohort
        if application.status == Application.Status.ACCEPTED:
            if application.pk in paired or application.pk in told[emails.NOT_MATCHED]:
                continue
            places_left = max(0, application.mentor_capacity - used[application.pk])
            plan.not_matched.append(application)
            plan.emails.append(
                emails.not_matched(application, cohort, mentor_places_left=places_left)
            )
        elif application.status == Application.Status.WAITLISTED:
            if application.pk not in told[emails.WAITLISTED]:
                plan.waitlisted.append(application)
                plan.emails.append(emails.decision_note(application, cohort))
        elif application.pk not in told[emails.DECLINED]:
            plan.declined.append(application)
            plan.emails.append(emails.decision_note(application, cohort))


@dataclass
class PreviewGroup:
    """The emails of one kind worded for one role: how many, to whom, and one of them
    rendered as the sample of them all."""

    kind: str
    label: str
    emails: list[PlannedEmail]
    subject: str = ""
    body: str = ""

    @property
    def sample(self) -> PlannedEmail:
        return self.emails[0]

    def recipients_html(self):
        """Each recipient as a list item, escaped: built here, as the template's loop over
        thousands of them cost a tenth of the page."""
        return format_html_join(
            "", "<li>{} &lt;{}&gt;</li>", ((e.recipient_name, e.to) for e in self.emails)
        )


def announcement_preview(*, cohort: Cohort, now: dt.datetime | None = None):
    """The plan and its emails by kind and role, each group with one email rendered as its
    sample: (plan, [PreviewGroup]). Rendering every email of a large cohort would take
    seconds; a group's emails differ only in the names, dates and answers they carry."""
    plan = announcement_plan(cohort=cohort, now=now)
    groups: dict[tuple[str, str], PreviewGroup] = {}
    for email in plan.emails:
        role = email.role
        group = groups.get((email.kind, role))
        if group is None:
            label = emails.KIND_LABELS[email.kind]
            if role in ROLE_NAMES:
                label = _("%(kind)s (worded for a %(role)s)") % {
                    "kind": label,
                    "role": ROLE_NAMES[role],
                }
            group = groups[email.kind, role] = PreviewGroup(email.kind, str(label), [])
        group.emails.append(email)
    order = [*ROLE_NAMES, ""]
    ordered = [
        groups[key] for key in sorted(groups, key=lambda k: (_rank(k[0]), order.index(k[1])))
    ]
    for group in ordered:
        group.subject, group.body = group.sample.render()
    return plan, ordered


def _rank(kind: str) -> int:
    return (
        emails.RELEASE_KINDS.index(kind)
        if kind in emails.RELEASE_KINDS
        else len(emails.RELEASE_KINDS)
    )


@dataclass
class AnnounceOutcome:
    pairings: int
    emails_created: int
    send_at: dt.datetime
    release: Release | None = None


@retry_on_conflict
@transaction.atomic
def pairings_announce(
    *, cohort: Cohort, by, fingerprint: str | None = None, now: dt.datetime | None = None
) -> AnnounceOutcome:
    """Release the cohort's approved pairings (chairs only), as planned by announcement_plan.

    Refused with nothing approved, and, given the `fingerprint` of the plan the chair
    confirmed, when the plan has changed since. Each released pairing becomes announced (active
    if mentoring has begun) and visible to the partners from the send time. Idempotent: a second
    release finds nothing approved, and every email is keyed.
    """
    require_chair(by, cohort.program)
    now = now or timezone.now()
    cohort_lock(cohort.pk)
    plan = announcement_plan(cohort=cohort, now=now, lock=True)
    if not plan.releasable:
        raise ValidationError(
            _("There is no approved pairing to release: approve pairings on the review screen.")
        )
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise ValidationError(
            _(
                "What would be sent has changed since you looked (a pairing was approved or an "
                "application decided). Check the new list and confirm again."
            )
        )
    release = Release.objects.create(cohort=plan.cohort, released_by=by, send_at=plan.send_at)
    started = now >= start_of_day(plan.cohort.mentoring_starts, plan.cohort.tz)
    status = Pairing.Status.ACTIVE if started else Pairing.Status.ANNOUNCED
    Pairing.objects.filter(pk__in=[p.pk for p in plan.pairings]).update(
        # Partners see each other on the site from the moment their emails go out.
        status=status,
        announced_at=plan.send_at,
        release=release,
        updated_at=now,
    )
    created = emails.create_all(
        plan.emails, cohort=plan.cohort, scheduled_at=plan.send_at, release=release
    )
    audit_record(
        cohort=plan.cohort,
        actor=by,
        action=AuditEntry.Action.ANNOUNCE,
        summary=release_summary(len(plan.pairings), created, plan),
        changes={
            "release": release.pk,
            "pairings": [p.pk for p in plan.pairings],
            "emails": {k.kind: k.count for k in plan.by_kind},
            "status": status,
            "send_at": plan.send_at.isoformat(),
        },
    )
    return AnnounceOutcome(
        pairings=len(plan.pairings), emails_created=created, send_at=plan.send_at, release=release
    )


def release_summary(pairings: int, emails_created: int, plan: AnnouncementPlan) -> str:
    when = timezone.localtime(plan.send_at, plan.cohort.tz).strftime("%Y-%m-%d %H:%M %Z")
    return ngettext(
        "Released %(pairings)s pairing",
        "Released %(pairings)s pairings",
        pairings,
    ) % {"pairings": pairings} + ngettext(
        "; %(emails)s email scheduled for %(when)s.",
        "; %(emails)s emails scheduled for %(when)s.",
        emails_created,
    ) % {"emails": emails_created, "when": when}


def release_undoable(
    release: Release, *, now: dt.datetime | None = None, emails_gone: bool | None = None
) -> str:
    """Why the release can no longer be undone ("" when it can). `emails_gone`, if the caller
    knows whether any of its emails is sent or being sent, saves a query."""
    now = now or timezone.now()
    if release.undone_at is not None:
        return _("This release was already undone.")
    if now >= release.send_at:
        return _("Its emails were due to go out; a release can be undone only before then.")
    if emails_gone is None:
        emails_gone = Notification.objects.filter(
            about__release=release.pk,
            status__in=(Notification.Status.SENT, Notification.Status.SENDING),
        ).exists()
    if emails_gone:
        return _("Some of its emails have already gone out.")
    return ""


@retry_on_conflict
@transaction.atomic
def release_undo(*, release: Release, by, now: dt.datetime | None = None) -> int:
    """Undo a release before its emails go out (chairs only): its pending emails are withdrawn
    and its pairings are approved again, not announced. Audited. Returns the emails withdrawn."""
    require_chair(by, release.cohort.program)
    now = now or timezone.now()
    cohort_lock(release.cohort_id)
    release = (
        Release.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=release.pk)
    )
    reason = release_undoable(release, now=now)
    if reason:
        raise ValidationError(reason)
    withdrawn = notifications_withdraw(
        notifications=Notification.objects.filter(about__release=release.pk),
        reason=_("The release was undone by %(who)s.") % {"who": by.get_short_name() or by},
    )
    pairing_ids = list(
        Pairing.objects.filter(release=release, status__in=Pairing.ANNOUNCED_STATUSES)
        .select_for_update(of=("self",))
        .order_by("pk")  # not the default order: it joins (and would lock) both applications
        .values_list("pk", flat=True)
    )
    Pairing.objects.filter(pk__in=pairing_ids).update(
        status=Pairing.Status.APPROVED, announced_at=None, release=None, updated_at=now
    )
    release.undone_at = now
    release.undone_by = by
    release.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        cohort=release.cohort,
        actor=by,
        action=AuditEntry.Action.UNDO_RELEASE,
        summary=ngettext(
            "Undid release %(release)s: %(pairings)s pairing is approved again",
            "Undid release %(release)s: %(pairings)s pairings are approved again",
            len(pairing_ids),
        )
        % {"release": release.pk, "pairings": len(pairing_ids)}
        + ngettext("; %(emails)s email withdrawn.", "; %(emails)s emails withdrawn.", withdrawn)
        % {"emails": withdrawn},
        changes={"release": release.pk, "pairings": pairing_ids, "withdrawn": withdrawn},
    )
    return withdrawn


# What an introduction says of its cohort (emails._dates): a change rewrites those not yet sent.
INTRODUCTION_FIELDS = {
    "orientation_date",
    "orientation_time",
    "orientation_link",
    "orientation_required",
    "mentoring_starts",
    "mentoring_ends",
}


def release_follow_cohort_dates(*, cohort: Cohort, changed: list[str]) -> None:
    """A COHORT_CHANGED_HOOKS hook: when the notification date moves, every release still to go
    out moves with it (its pending emails and the moment its partners see each other); when
    what the introductions say of the cohort changes (its orientation, its mentoring dates),
    those not sent yet are written again with the cohort as it is now."""
    if INTRODUCTION_FIELDS & set(changed):
        cohort_lock(cohort.pk)
        introductions_rewrite(cohort=cohort)
    if "pairings_notified" not in changed:
        return
    now = timezone.now()
    cohort_lock(cohort.pk)
    for release in Release.objects.filter(cohort=cohort, undone_at__isnull=True, send_at__gt=now):
        send_at = announcement_send_at(cohort=cohort, now=now)
        release_reschedule(release=release, send_at=send_at)


def introductions_rewrite(*, cohort: Cohort) -> int:
    """Render again, from the cohort and pairings as they are now, the introductions of
    `cohort` not sent yet (waiting for the notification date, or for a retry). Returns how
    many were rewritten. A fixed number of queries whatever their number."""
    waiting = list(
        Notification.objects.filter(
            cohort=cohort,
            kind=emails.INTRODUCTION,
            status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
        ).select_for_update(of=("self",))
    )
    if not waiting:
        return 0
    pairings = Pairing.objects.filter(
        pk__in={n.about.get("pairing") for n in waiting} - {None}
    ).select_related("mentor__applicant", "mentee__applicant")
    planned = {
        (email.about["pairing"], email.about["side"]): email
        for email in emails.introductions(
            list(pairings), cohort, emails.EarlierMessages.of(cohort).sent_news, _areas_of(cohort)
        )
    }
    rewritten = []
    for notification in waiting:
        email = planned.get((notification.about.get("pairing"), notification.about.get("side")))
        if email is None:
            continue
        subject, text, html = render_email(template=email.template, context=email.context)
        notification.subject, notification.body_text, notification.body_html = (
            subject[:255],
            text,
            html,
        )
        notification.updated_at = timezone.now()
        rewritten.append(notification)
    Notification.objects.bulk_update(
        rewritten, ["subject", "body_text", "body_html", "updated_at"], batch_size=500
    )
    return len(rewritten)


def release_reschedule(*, release: Release, send_at: dt.datetime) -> int:
    """Move a release's pending emails and its pairings' announcement to `send_at` (in the
    caller's transaction). Returns how many emails moved."""
    release.send_at = send_at
    release.save(update_fields=["send_at"])
    Pairing.objects.filter(release=release, status__in=Pairing.ANNOUNCED_STATUSES).update(
        announced_at=send_at, updated_at=timezone.now()
    )
    return Notification.objects.filter(
        about__release=release.pk, status=Notification.Status.PENDING
    ).update(scheduled_at=send_at, updated_at=timezone.now())
