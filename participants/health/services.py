"""The committee's care for announced pairs: liaisons, touch-points, nudges and the cohort's
health settings. Each function checks who may act, owns its transaction and row lock, and
writes its audit entry; a nudge goes out through the outbox."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Cohort, CommitteeMembership, Program
from cohorts.permissions import is_chair_or_pair_liaison, require_chair
from matching.models import AuditEntry, Pairing
from matching.services import audit_record, audit_record_many
from notifications.models import Notification
from notifications.services import notification_create, render_email

from .models import HealthSettings, LiaisonAssignment, TouchPoint
from .pulse import pulse_alerts_readdress
from .selectors import UNDER_CARE

NOTE_MAX = 1000
NUDGE_TEMPLATE = "participants/emails/pair_nudge"


def _liaison_id(pairing: Pairing) -> int | None:
    return (
        LiaisonAssignment.objects.filter(pairing=pairing)
        .values_list("liaison_id", flat=True)
        .first()
    )


def require_pair_carer(user: User, pairing: Pairing) -> None:
    """Chairs, and the pair's own liaison, look after a pair; everyone else is refused."""
    program = pairing.cohort.program
    if not is_chair_or_pair_liaison(user, program, liaison_id=_liaison_id(pairing)):
        raise PermissionDenied(_("Only the chairs and the pair's liaison may do this."))


def _pair(pairing: Pairing) -> str:
    return f"{pairing.mentor.full_name} → {pairing.mentee.full_name}"


def _bounded(note: str, *, field: str = "note") -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({field: _("Keep it under %(max)s characters.") % {"max": NOTE_MAX}})
    return note


# --- liaisons --------------------------------------------------------------------------------


@transaction.atomic
def liaison_assign(*, pairing: Pairing, liaison: User | None, by: User) -> LiaisonAssignment | None:
    """Make `liaison` (a member of the program's committee) the pair's liaison; None removes
    the liaison. Chairs only. Idempotent; audited."""
    program = pairing.cohort.program
    require_chair(by, program)
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "mentor", "mentee")
        .get(pk=pairing.pk)
    )
    current = LiaisonAssignment.objects.filter(pairing=pairing).first()
    if liaison is None:
        if current is None:
            return None
        current.delete()
        _readdress_alerts(pairing)
        audit_record(
            cohort=pairing.cohort,
            actor=by,
            action=AuditEntry.Action.LIAISON,
            pairing=pairing,
            summary=_("Removed %(liaison)s as liaison of %(pair)s.")
            % {"liaison": current.liaison, "pair": _pair(pairing)},
            changes={"liaison": None, "was": current.liaison_id},
        )
        return None
    if not CommitteeMembership.objects.filter(user=liaison, program=program).exists():
        raise ValidationError({"liaison": _("A liaison must be on the program's committee.")})
    if pairing.status not in (Pairing.Status.APPROVED, *UNDER_CARE):
        raise ValidationError(_("Only an approved or announced pair gets a liaison."))
    if current is not None and current.liaison_id == liaison.pk:
        return current
    assignment, _created = LiaisonAssignment.objects.update_or_create(
        pairing=pairing,
        defaults={"liaison": liaison, "assigned_by": by, "assigned_at": timezone.now()},
    )
    _readdress_alerts(pairing)
    audit_record(
        cohort=pairing.cohort,
        actor=by,
        action=AuditEntry.Action.LIAISON,
        pairing=pairing,
        summary=_("Made %(liaison)s the liaison of %(pair)s.")
        % {"liaison": liaison, "pair": _pair(pairing)},
        changes={"liaison": liaison.pk, "was": current.liaison_id if current else None},
    )
    return assignment


def _readdress_alerts(pairing: Pairing) -> None:
    """A low-score alert of this pair not sent yet goes to its carer now (the new liaison, or
    the chairs once it has none)."""
    pulse_alerts_readdress(
        alerts=Notification.objects.filter(kind="pulse_alert", cohort_id=pairing.cohort_id)
    )


def committee_changed(*, program: Program, changed_by: User) -> int:
    """COMMITTEE_CHANGED_HOOKS: someone joined, left or changed role on `program`'s committee.

    A liaison who left it looks after none of its pairs any more: each assignment ends
    (audited, as done by `changed_by`), so the pair shows as having no liaison and the chairs
    can give it another. Unsent low-score alerts go to whoever looks after each pair now.
    Returns how many assignments ended."""
    ended = list(
        LiaisonAssignment.objects.filter(pairing__cohort__program=program)
        .exclude(liaison__committee_memberships__program=program)
        .select_related("liaison", "pairing__cohort", "pairing__mentor", "pairing__mentee")
    )
    audit_record_many(
        {
            "cohort": a.pairing.cohort,
            "actor": changed_by,
            "action": AuditEntry.Action.LIAISON,
            "pairing": a.pairing,
            "summary": _("%(liaison)s left the committee and is no longer the liaison of %(pair)s.")
            % {"liaison": a.liaison, "pair": _pair(a.pairing)},
            "changes": {"liaison": None, "was": a.liaison_id},
        }
        for a in ended
    )
    LiaisonAssignment.objects.filter(pk__in=[a.pk for a in ended]).delete()
    pulse_alerts_readdress(
        alerts=Notification.objects.filter(kind="pulse_alert", cohort__program=program)
    )
    return len(ended)


# --- touch-points ----------------------------------------------------------------------------


@transaction.atomic
def touch_point_record(
    *, pairing: Pairing, by: User, kind: str, date: dt.date, note: str = ""
) -> TouchPoint:
    """A contact between the committee and the pair, recorded by a chair or the pair's liaison."""
    require_pair_carer(by, pairing)
    if kind not in TouchPoint.Kind.values or kind == TouchPoint.Kind.NUDGE:
        raise ValidationError({"kind": _("Choose how you were in touch.")})
    today = timezone.now().astimezone(pairing.cohort.tz).date()
    if date > today:
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if date < pairing.cohort.pairings_notified - dt.timedelta(days=30):
        raise ValidationError({"date": _("The date is before this cohort's pairs were made.")})
    return TouchPoint.objects.create(
        pairing=pairing, kind=kind, date=date, note=_bounded(note), recorded_by=by
    )


# --- nudges ----------------------------------------------------------------------------------


def nudge_key(pairing: Pairing, application_id: int, day: dt.date) -> str:
    return f"pair-nudge:{pairing.pk}:{application_id}:{day.isoformat()}"


def _nudge_context(pairing: Pairing, me, partner, partner_role: str, message: str) -> dict:
    program = pairing.cohort.program
    return {
        "program_name": program.name,
        "name": me.full_name or me.applicant.get_short_name(),
        "partner_name": partner.full_name,
        "partner_role": partner_role,
        "message": message,
    }


def _nudge_sides(pairing: Pairing):
    return (
        (pairing.mentor, pairing.mentee, _("mentee")),
        (pairing.mentee, pairing.mentor, _("mentor")),
    )


def pair_nudge_preview(*, pairing: Pairing, by: User, message: str = "") -> list[dict]:
    """The nudge each partner would receive, rendered exactly as it will be sent."""
    require_pair_carer(by, pairing)
    message = _bounded(message, field="message")
    previews = []
    for me, partner, role in _nudge_sides(pairing):
        subject, text, _html = render_email(
            template=NUDGE_TEMPLATE, context=_nudge_context(pairing, me, partner, role, message)
        )
        previews.append({"to": me.email or me.applicant.email, "subject": subject, "body": text})
    return previews


@transaction.atomic
def pair_nudge_send(
    *, pairing: Pairing, by: User, message: str = "", now: dt.datetime | None = None
) -> int:
    """Send both partners a friendly nudge through the outbox, at most once a day per pair;
    record it as a touch-point and in the audit trail. Returns how many emails were created.

    The email never says why the pair was nudged: a partner's problem report or pulse answer
    is not the other's to learn.
    """
    require_pair_carer(by, pairing)
    message = _bounded(message, field="message")
    now = now or timezone.now()
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "mentor__applicant", "mentee__applicant")
        .get(pk=pairing.pk)
    )
    if pairing.status not in UNDER_CARE or not pairing.is_visible_to_partners:
        raise ValidationError(_("Only a pair that has been introduced can be nudged."))
    today = now.astimezone(pairing.cohort.tz).date()
    created = 0
    for me, partner, role in _nudge_sides(pairing):
        _notification, was_created = notification_create(
            key=nudge_key(pairing, me.pk, today),
            kind="pair_nudge",
            to=me.email or me.applicant.email,
            template=NUDGE_TEMPLATE,
            context=_nudge_context(pairing, me, partner, role, message),
            user=me.applicant,
            cohort=pairing.cohort,
            about={"pairing": pairing.pk},
        )
        created += was_created
    if created:
        TouchPoint.objects.create(
            pairing=pairing,
            kind=TouchPoint.Kind.NUDGE,
            date=today,
            note=message,
            recorded_by=by,
        )
        audit_record(
            cohort=pairing.cohort,
            actor=by,
            action=AuditEntry.Action.NUDGE,
            pairing=pairing,
            summary=_("Nudged %(pair)s.") % {"pair": _pair(pairing)},
            changes={"emails": created},
        )
    return created


# --- settings --------------------------------------------------------------------------------


@transaction.atomic
def health_settings_update(*, cohort: Cohort, by: User, **values) -> HealthSettings:
    """Change when the cohort's pairs count as at risk and when pulse checks go out. Chairs."""
    require_chair(by, cohort.program)
    settings = HealthSettings.objects.select_for_update().filter(cohort=cohort).first()
    settings = settings or HealthSettings(cohort=cohort)
    for name in ("no_check_in_days", "pulse_enabled", "pulse_first_days", "pulse_every_days"):
        if name in values:
            setattr(settings, name, values[name])
    settings.full_clean()
    settings.save()
    return settings
