"""The mid-program pulse check: "How is your mentoring going?" from 1 to 5, with an optional
comment, by a personal token link like the surveys.

Each participant of an introduced pair gets one at every offset of the cohort's settings
(by default 30 days after the introduction, then every 60 days) until formal mentoring ends.
Once per offset: a database constraint and the notification key both say so, and a beat that
was down sends only the offset now due, not the ones it missed. The latest answer feeds the
pair's health; a 1 or a 2 alerts the pair's liaison, or the program's chairs when it has none.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CommitteeMembership
from matching.models import Pairing
from notifications.conditions import about_id
from notifications.models import Notification
from notifications.services import (
    notification_create,
    notifications_recheck,
    notifications_recheck_withdrawn,
)

from ..services import chair_recipients
from .models import HealthSettings, LiaisonAssignment, PulseCheck
from .rules import LOW_PULSE
from .selectors import UNDER_CARE, introduced_at, settings_by_cohort

COMMENT_MAX = 2000


def pulse_key(pairing_id: int, application_id: int, offset: int) -> str:
    return f"pulse-check:{pairing_id}:{application_id}:{offset}d"


def offset_due(*, days_since_introduction: int, settings: HealthSettings) -> int | None:
    """The latest offset (days after the introduction) that has come, or None before the first."""
    first, every = settings.pulse_first_days, settings.pulse_every_days
    if days_since_introduction < first:
        return None
    return first + (days_since_introduction - first) // every * every


def plan_pulse_checks(*, now: dt.datetime) -> int:
    """Create the pulse checks now due, with their emails (a planner: idempotent by key)."""
    pairings = list(
        Pairing.objects.filter(
            status__in=UNDER_CARE, cohort__mentoring_ends__gte=now.date() - dt.timedelta(days=1)
        )
        .visible_to_partners(now)
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
    )
    settings = settings_by_cohort({p.cohort_id: p.cohort for p in pairings}.values())
    due = []
    for pairing in pairings:
        cohort_settings = settings[pairing.cohort_id]
        if not cohort_settings.pulse_enabled:
            continue
        tz = pairing.cohort.tz
        today = now.astimezone(tz).date()
        if today > pairing.cohort.mentoring_ends:
            continue
        since = (today - introduced_at(pairing).astimezone(tz).date()).days
        offset = offset_due(days_since_introduction=since, settings=cohort_settings)
        if offset is not None:
            due.append((pairing, offset))
    keys = [pulse_key(p.pk, a.pk, offset) for p, offset in due for a in (p.mentor, p.mentee)]
    done = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    created = 0
    for pairing, offset in due:
        for me, partner in ((pairing.mentor, pairing.mentee), (pairing.mentee, pairing.mentor)):
            key = pulse_key(pairing.pk, me.pk, offset)
            if key in done:
                continue
            created += _pulse_create(
                pairing=pairing, me=me, partner=partner, offset=offset, key=key
            )
    return created


def _pulse_create(*, pairing, me, partner, offset: int, key: str) -> int:
    with transaction.atomic():
        pulse, _new = PulseCheck.objects.get_or_create(
            pairing=pairing, application=me, offset_days=offset
        )
        _notification, was_created = notification_create(
            key=key,
            kind="pulse_check",
            to=me.email or me.applicant.email,
            template="participants/emails/pulse_check",
            context={
                "program_name": pairing.cohort.program.name,
                "name": me.full_name or me.applicant.get_short_name(),
                "partner_name": partner.full_name,
                "pulse": pulse,
            },
            user=me.applicant,
            cohort=pairing.cohort,
            about={"pulse": pulse.pk, "pairing": pairing.pk},
        )
    return int(was_created)


class PulseClosed(Exception):
    """The pulse check was answered already, or its pair is no longer under way."""


def pulse_is_open(pulse: PulseCheck) -> bool:
    return pulse.answered_at is None and pulse.pairing.status in UNDER_CARE


@transaction.atomic
def pulse_answer(
    *, pulse: PulseCheck, score: int, comment: str = "", now: dt.datetime | None = None
) -> PulseCheck:
    """Record the participant's answer, once. A 1 or a 2 alerts the pair's liaison, or the
    program's chairs (the program's contact address when it has none). The alert carries the
    score, never the comment: the outbox is read more widely than the comment may be."""
    pulse = (
        PulseCheck.objects.select_for_update(of=("self",))
        .select_related(
            "pairing__cohort__program", "pairing__mentor", "pairing__mentee", "application"
        )
        .get(pk=pulse.pk)
    )
    if not pulse_is_open(pulse):
        raise PulseClosed
    if score not in range(1, 6):
        raise ValidationError({"score": _("Choose a number from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": _("Keep your comment under %(max)s characters.") % {"max": COMMENT_MAX}}
        )
    pulse.score, pulse.comment, pulse.answered_at = score, comment, now or timezone.now()
    try:
        pulse.save(update_fields=["score", "comment", "answered_at"])
    except IntegrityError:  # the score check constraint: never reached after the check above
        raise ValidationError({"score": _("Choose a number from 1 to 5.")}) from None
    if score <= LOW_PULSE:
        _alert(pulse)
    # Answered on My mentoring before its email went out (a mail server that was down): the
    # email, which asks for this answer, is withdrawn.
    notifications_recheck(
        notifications=Notification.objects.filter(
            key=pulse_key(pulse.pairing_id, pulse.application_id, pulse.offset_days)
        )
    )
    return pulse


def alert_recipients(pairings) -> dict[int, tuple[list[tuple[str, object]], bool]]:
    """{pairing id: (recipients, as_liaison)}: who hears of a low score in each pair now.

    The pair's liaison while their account is active and they sit on the program's committee
    (a member who left keeps no view of the pair: cohorts.permissions.is_chair_or_pair_liaison);
    else the program's chairs; else the program's contact address. Recipients are (address,
    user or None). A few queries for any number of pairs."""
    pairings = list(pairings)
    liaisons = {
        a.pairing_id: a.liaison
        for a in LiaisonAssignment.objects.filter(
            pairing__in=pairings, liaison__is_active=True
        ).select_related("liaison")
    }
    seats = set(
        CommitteeMembership.objects.filter(
            user__in=liaisons.values(), program__in={p.cohort.program_id for p in pairings}
        ).values_list("user_id", "program_id")
    )
    chairs: dict[int, list] = {}
    found = {}
    for pairing in pairings:
        program = pairing.cohort.program
        liaison = liaisons.get(pairing.pk)
        if liaison is not None and (liaison.pk, program.pk) in seats:
            found[pairing.pk] = ([(liaison.email, liaison)], True)
            continue
        if program.pk not in chairs:
            chairs[program.pk] = chair_recipients(program)
        found[pairing.pk] = (chairs[program.pk], False)
    return found


def _alert(pulse: PulseCheck) -> None:
    pairing = pulse.pairing
    program = pairing.cohort.program
    recipients, as_liaison = alert_recipients([pairing])[pairing.pk]
    for address, user in recipients:
        notification_create(
            key=f"pulse-alert:{pulse.pk}:{address.lower()}",
            # Written to someone else, then withdrawn when they stopped looking after the pair,
            # and now theirs again (pulse_alerts_readdress).
            reissue=True,
            kind="pulse_alert",
            to=address,
            template="participants/emails/pulse_alert",
            context={
                "program_name": program.name,
                "pulse": pulse,
                "pairing": pairing,
                "role": _("mentor") if pulse.application_id == pairing.mentor_id else _("mentee"),
                "as_liaison": as_liaison,
            },
            user=user,
            cohort=pairing.cohort,
            about={"pulse": pulse.pk, "pairing": pairing.pk},
        )


def pulse_alerts_readdress(*, alerts) -> int:
    """The unsent low-score alerts among `alerts` whose recipient no longer looks after the
    pair (another liaison, a liaison or chair who left the committee) are withdrawn, and the
    pair's carers now are alerted instead. Run by the services that change who they are, in
    their transaction. Returns how many alerts were withdrawn."""
    withdrawn = notifications_recheck_withdrawn(notifications=alerts.filter(kind="pulse_alert"))
    pulses = {pulse_alert_pulse_id(n) for n in withdrawn} - {None}
    for pulse in PulseCheck.objects.filter(pk__in=pulses).select_related(
        "pairing__cohort__program", "pairing__mentor", "pairing__mentee", "application"
    ):
        _alert(pulse)
    return len(withdrawn)


def pulse_alert_pulse_id(notification: Notification) -> int | None:
    """The pulse check an alert is about (pulse-alert:<pulse>:<address> before `about` named
    it)."""
    return about_id(notification, "pulse")
