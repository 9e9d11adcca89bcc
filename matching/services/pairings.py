"""State changes of single pairings: approve, lock, exclude, move, pair by hand, dissolve."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts.permissions import require_chair, require_member
from cohorts.timeline import start_of_day
from notifications.models import Notification
from notifications.services import notifications_recheck

from ..models import AuditEntry, Exclusion, Pairing
from ..models.pairings import REASON_LIMIT
from ..selectors import pair_score, pair_warnings
from . import emails
from .audit import audit_record
from .locks import cohort_lock, retry_on_conflict


def _names(pairing: Pairing) -> str:
    return f"{pairing.mentor.full_name} → {pairing.mentee.full_name}"


def _locked_pairing(pairing: Pairing) -> Pairing:
    """Lock the pairing's cohort, then re-read the pairing under a row lock (only its own row:
    of=("self",)): the one lock order of every writer of pairings (see locks.py)."""
    cohort_lock(pairing.cohort_id)
    return (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "mentor", "mentee")
        .get(pk=pairing.pk)
    )


def withdraw_untrue(cohort_id: int) -> int:
    """Withdraw the cohort's unsent messages that the change just made no longer true (a
    "not matched" note to someone now paired...). Call it in the change's transaction."""
    return notifications_recheck(notifications=Notification.objects.filter(cohort_id=cohort_id))


def decisions_guard(*, applications: list[Application], decision: str) -> dict[int, str]:
    """An APPLICATION_DECISION_GUARDS hook: a person in a current pairing stays accepted, so
    nobody is told both "meet your mentor" and "you are on the waitlist". One query for the
    whole list: {application pk: why} for those refused."""
    if decision == Application.Status.ACCEPTED or not applications:
        return {}
    ids = {application.pk for application in applications}
    current = (
        Pairing.objects.current()
        .filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .select_related("mentor", "mentee")
        .order_by("pk")
    )
    refused: dict[int, str] = {}
    for pairing in current:
        for person in (pairing.mentor, pairing.mentee):
            if person.pk in ids and person.pk not in refused:
                refused[person.pk] = _(
                    "%(name)s is in a pairing (%(pair)s): dissolve it, or exclude the proposal, "
                    "before changing the decision."
                ) % {"name": person.full_name, "pair": _names(pairing)}
    return refused


def _check_pair(*, cohort, mentor: Application, mentee: Application) -> None:
    """Refuse a pair the rules forbid outright: other cohort, not accepted, wrong role, self,
    or the reverse of a current pairing (A mentors B while B mentors A)."""
    if mentor.cohort_id != cohort.pk or mentee.cohort_id != cohort.pk:
        raise ValidationError(_("Both people must have applied to this cohort."))
    if mentor.status != Application.Status.ACCEPTED or mentee.status != Application.Status.ACCEPTED:
        raise ValidationError(_("Both applications must be accepted."))
    if not mentor.is_mentor:
        raise ValidationError(_("%(name)s did not apply as a mentor.") % {"name": mentor.full_name})
    if not mentee.is_mentee:
        raise ValidationError(_("%(name)s did not apply as a mentee.") % {"name": mentee.full_name})
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A person cannot mentor themselves."))
    if Pairing.objects.current().filter(mentor=mentee, mentee=mentor).exists():
        raise ValidationError(
            _("%(mentee)s already mentors %(mentor)s; they cannot also be the other way around.")
            % {"mentee": mentee.full_name, "mentor": mentor.full_name}
        )


@retry_on_conflict
@transaction.atomic
def pairing_approve(*, pairing: Pairing, approved_by) -> Pairing:
    """Approve a proposed pairing. Chairs only. Idempotent (approving twice changes nothing).

    The mentor's application row is locked first, so concurrent approvals against one mentor
    are serialized and the mentor's capacity holds: the loser gets a ValidationError.
    """
    require_chair(approved_by, pairing.cohort.program)
    pairing = _locked_pairing(pairing)
    if pairing.status in Pairing.CAPACITY_STATUSES:
        return pairing
    if pairing.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("A dissolved pairing cannot be approved."))
    mentor = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=pairing.mentor_id)
    )
    used = Pairing.objects.filter(mentor=mentor).counting_against_capacity().count()
    if used >= mentor.mentor_capacity:
        raise ValidationError(
            _("%(mentor)s is already at capacity (%(capacity)s).")
            % {"mentor": mentor.full_name, "capacity": mentor.mentor_capacity}
        )
    if (
        Pairing.objects.counting_against_capacity()
        .filter(mentor_id=pairing.mentee_id, mentee_id=pairing.mentor_id)
        .exists()
    ):
        raise ValidationError(
            _("%(mentee)s already mentors %(mentor)s.")
            % {"mentee": pairing.mentee.full_name, "mentor": pairing.mentor.full_name}
        )
    pairing.status = Pairing.Status.APPROVED
    pairing.approved_by = approved_by
    pairing.approved_at = timezone.now()
    pairing.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(
        cohort=pairing.cohort,
        actor=approved_by,
        action=AuditEntry.Action.APPROVE,
        pairing=pairing,
        summary=_("Approved %(pair)s") % {"pair": _names(pairing)},
        changes={"status": [Pairing.Status.PROPOSED, Pairing.Status.APPROVED]},
    )
    return pairing


@retry_on_conflict
@transaction.atomic
def pairing_lock(*, pairing: Pairing, locked: bool, by) -> Pairing:
    """Lock (keep on the next run) or unlock a pairing. Idempotent; committee members may."""
    require_member(by, pairing.cohort.program)
    pairing = _locked_pairing(pairing)
    if pairing.status == Pairing.Status.DISSOLVED:
        raise ValidationError(_("A dissolved pairing cannot be locked or unlocked."))
    if pairing.locked == locked:
        return pairing
    pairing.locked = locked
    pairing.save(update_fields=["locked", "updated_at"])
    audit_record(
        cohort=pairing.cohort,
        actor=by,
        action=AuditEntry.Action.LOCK if locked else AuditEntry.Action.UNLOCK,
        pairing=pairing,
        summary=(_("Locked %(pair)s") if locked else _("Unlocked %(pair)s"))
        % {"pair": _names(pairing)},
        changes={"locked": [not locked, locked]},
    )
    return pairing


@retry_on_conflict
@transaction.atomic
def exclusion_lift(*, exclusion: Exclusion, by) -> None:
    """Lift an exclusion (chairs only): the engine may propose the pair again. Audited."""
    require_chair(by, exclusion.cohort.program)
    cohort_lock(exclusion.cohort_id)
    exclusion = (
        Exclusion.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .get(pk=exclusion.pk)
    )
    audit_record(
        cohort=exclusion.cohort,
        actor=by,
        action=AuditEntry.Action.LIFT_EXCLUSION,
        summary=_("Lifted the exclusion of %(mentor)s → %(mentee)s (was: %(reason)s)")
        % {
            "mentor": exclusion.mentor.full_name,
            "mentee": exclusion.mentee.full_name,
            "reason": exclusion.reason,
        },
        changes={
            "mentor": exclusion.mentor_id,
            "mentee": exclusion.mentee_id,
            "reason": exclusion.reason,
        },
    )
    exclusion.delete()


@retry_on_conflict
@transaction.atomic
def exclusion_create(*, cohort, mentor: Application, mentee: Application, reason: str, by):
    """Forbid a pair for this cohort. A proposal of that pair is withdrawn; an approved or
    announced pairing is refused (dissolve it first). Idempotent: returns the existing one."""
    require_member(by, cohort.program)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this pair must not be made.")})
    if mentor.cohort_id != cohort.pk or mentee.cohort_id != cohort.pk:
        raise ValidationError(_("Both people must have applied to this cohort."))
    cohort_lock(cohort.pk)
    current = (
        Pairing.objects.select_for_update(of=("self",))
        .current()
        .filter(mentor=mentor, mentee=mentee)
        .first()
    )
    if current is not None and current.status != Pairing.Status.PROPOSED:
        raise ValidationError(
            _("%(pair)s is already %(status)s; dissolve it before excluding the pair.")
            % {"pair": _names(current), "status": current.get_status_display().lower()}
        )
    exclusion, created = Exclusion.objects.get_or_create(
        mentor=mentor,
        mentee=mentee,
        defaults={"cohort": cohort, "reason": reason, "created_by": by},
    )
    if current is not None:
        current.delete()
    if created or current is not None:
        audit_record(
            cohort=cohort,
            actor=by,
            action=AuditEntry.Action.EXCLUDE,
            summary=_("Excluded %(mentor)s → %(mentee)s: %(reason)s")
            % {"mentor": mentor.full_name, "mentee": mentee.full_name, "reason": reason},
            changes={
                "mentor": mentor.pk,
                "mentee": mentee.pk,
                "reason": reason,
                "withdrew_proposal": current is not None,
            },
        )
    return exclusion


def _score_fields(cohort, mentee, mentor) -> dict:
    scored = pair_score(cohort=cohort, mentee=mentee, mentor=mentor)
    return {"score": scored.score, "breakdown": scored.breakdown, "reasons": scored.reasons}


@retry_on_conflict
@transaction.atomic
def pairing_move(*, pairing: Pairing, mentor: Application, by, confirmed: bool = False) -> Pairing:
    """Give the pairing's mentee another mentor. The pairing becomes a proposed, locked,
    manual one with the new score (a chair approves it again).

    Warnings (the new mentor is at capacity, the pair is excluded, same employer) refuse the
    move unless `confirmed`. Moving to the same mentor changes nothing.
    """
    require_member(by, pairing.cohort.program)
    pairing = _locked_pairing(pairing)
    if pairing.status not in (Pairing.Status.PROPOSED, Pairing.Status.APPROVED):
        raise ValidationError(
            _("Only proposed or approved pairings can be moved; dissolve this one and re-match.")
        )
    if pairing.mentor_id == mentor.pk:
        return pairing
    cohort = pairing.cohort
    _check_pair(cohort=cohort, mentor=mentor, mentee=pairing.mentee)
    Application.objects.select_for_update(of=("self",)).filter(pk=mentor.pk).exists()
    warnings = pair_warnings(cohort=cohort, mentee=pairing.mentee, mentor=mentor)
    if warnings and not confirmed:
        raise ValidationError(warnings)
    old_mentor, old_score, old_status = pairing.mentor, pairing.score, pairing.status
    for name, value in _score_fields(cohort, pairing.mentee, mentor).items():
        setattr(pairing, name, value)
    pairing.mentor = mentor
    pairing.source = Pairing.Source.MANUAL
    pairing.status = Pairing.Status.PROPOSED
    pairing.locked = True
    pairing.run = None
    pairing.approved_by = None
    pairing.approved_at = None
    pairing.save()
    audit_record(
        cohort=cohort,
        actor=by,
        action=AuditEntry.Action.MOVE,
        pairing=pairing,
        summary=_("Moved %(mentee)s from %(old)s to %(new)s")
        % {
            "mentee": pairing.mentee.full_name,
            "old": old_mentor.full_name,
            "new": mentor.full_name,
        },
        changes={
            "mentor": [old_mentor.full_name, mentor.full_name],
            "score": [old_score, pairing.score],
            "status": [old_status, pairing.status],
            "warnings": warnings,
        },
    )
    withdraw_untrue(cohort.pk)
    return pairing


@retry_on_conflict
@transaction.atomic
def pairing_create_manual(
    *, cohort, mentor: Application, mentee: Application, by, confirmed: bool = False
) -> Pairing:
    """Pair two accepted applicants by hand: a proposed, locked, manual pairing with its score.

    Refused when the mentee already has a current pairing (move it instead), for oneself, or
    the reverse of a current pairing. Warnings refuse it unless `confirmed`.
    """
    require_member(by, cohort.program)
    cohort_lock(cohort.pk)
    _check_pair(cohort=cohort, mentor=mentor, mentee=mentee)
    # Serialize with any other change for this mentee.
    Application.objects.select_for_update(of=("self",)).filter(pk=mentee.pk).exists()
    existing = Pairing.objects.current().filter(mentee=mentee).select_related("mentor").first()
    if existing is not None:
        raise ValidationError(
            _("%(mentee)s is already paired with %(mentor)s; move that pairing instead.")
            % {"mentee": mentee.full_name, "mentor": existing.mentor.full_name}
        )
    warnings = pair_warnings(cohort=cohort, mentee=mentee, mentor=mentor)
    if warnings and not confirmed:
        raise ValidationError(warnings)
    pairing = Pairing.objects.create(
        cohort=cohort,
        mentor=mentor,
        mentee=mentee,
        status=Pairing.Status.PROPOSED,
        source=Pairing.Source.MANUAL,
        locked=True,
        **_score_fields(cohort, mentee, mentor),
    )
    audit_record(
        cohort=cohort,
        actor=by,
        action=AuditEntry.Action.MANUAL,
        pairing=pairing,
        summary=_("Paired %(pair)s by hand") % {"pair": _names(pairing)},
        changes={"mentor": mentor.pk, "mentee": mentee.pk, "warnings": warnings},
    )
    withdraw_untrue(cohort.pk)
    return pairing


@retry_on_conflict
@transaction.atomic
def pairing_dissolve(*, pairing: Pairing, reason: str, by) -> Pairing:
    """End a pairing early, with the reason. Chairs only. Idempotent on a dissolved pairing.

    The mentee may then be paired again (see pairing_rematch); the mentor's place is freed.
    In the same transaction, every unsent message the dissolution makes untrue is withdrawn
    (introductions still scheduled, goal-sheet reminders), and if the partners already knew of
    each other, both get a kind notice (no reason given, no blame, what happens next).
    """
    require_chair(by, pairing.cohort.program)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": _("Keep the reason under %(limit)s characters.") % {"limit": REASON_LIMIT}}
        )
    pairing = _locked_pairing(pairing)
    if pairing.status == Pairing.Status.DISSOLVED:
        return pairing
    if pairing.status == Pairing.Status.COMPLETED:
        raise ValidationError(_("A completed pairing cannot be dissolved."))
    old_status = pairing.status
    partners_knew = pairing.is_visible_to_partners
    pairing.status = Pairing.Status.DISSOLVED
    pairing.dissolved_at = timezone.now()
    pairing.dissolution_reason = reason
    pairing.locked = False
    pairing.save(
        update_fields=["status", "dissolved_at", "dissolution_reason", "locked", "updated_at"]
    )
    withdrawn = withdraw_untrue(pairing.cohort_id)
    notices = 0
    if partners_knew:
        for email in emails.dissolution_notices(pairing):
            notices += email.create(cohort=pairing.cohort, scheduled_at=None)[1]
    audit_record(
        cohort=pairing.cohort,
        actor=by,
        action=AuditEntry.Action.DISSOLVE,
        pairing=pairing,
        summary=_("Dissolved %(pair)s: %(reason)s") % {"pair": _names(pairing), "reason": reason},
        changes={
            "status": [old_status, Pairing.Status.DISSOLVED],
            "reason": reason,
            "emails_withdrawn": withdrawn,
            "notices": notices,
        },
    )
    return pairing


@retry_on_conflict
@transaction.atomic
def pairing_rematch(*, cohort, mentor: Application, mentee: Application, by) -> Pairing:
    """Pair a person again after a dissolved pairing, with someone who has room: a manual
    pairing, approved at once (chairs only). Announce it from the announce page."""
    require_chair(by, cohort.program)
    pairing = pairing_create_manual(
        cohort=cohort, mentor=mentor, mentee=mentee, by=by, confirmed=False
    )
    return pairing_approve(pairing=pairing, approved_by=by)


def pairings_activate_started(*, now: dt.datetime | None = None) -> int:
    """Announced pairings whose cohort's formal mentoring has begun become active.

    Idempotent; run by the beat every hour (and harmless at any frequency). One transaction per
    cohort, which locks the cohort row first like every writer of pairings.
    """
    now = now or timezone.now()
    cohorts = {
        pairing.cohort
        for pairing in Pairing.objects.filter(status=Pairing.Status.ANNOUNCED).select_related(
            "cohort__program"
        )
    }
    activated = 0
    for cohort in cohorts:
        if now < start_of_day(cohort.mentoring_starts, cohort.tz):
            continue
        with transaction.atomic():
            cohort_lock(cohort.pk)
            activated += Pairing.objects.filter(
                cohort=cohort, status=Pairing.Status.ANNOUNCED
            ).update(status=Pairing.Status.ACTIVE, updated_at=now)
    return activated
