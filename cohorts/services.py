"""Writes of the cohorts app: creating and changing a cohort.

Apps above cohorts that must act when a cohort is created (assessment gives it its surveys) do
not listen for a signal: they name a function in settings.COHORT_CREATED_HOOKS, each
`hook(*, cohort) -> object`, which cohort_create runs in its own transaction. So a cohort never
exists without what the hooks make for it, and cohorts imports no app above it.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.services import privilege_change_record
from notifications.models import Notification
from notifications.services import notification_cancel, notification_create, notifications_recheck

from . import permissions
from .models import CallSubscription, Cohort, CommitteeMembership, Program
from .models.subscriptions import new_token


def cohort_create(*, program: Program, **fields: Any) -> Cohort:
    """Create a cohort of `program` from its field values (see cohort_insert)."""
    return cohort_insert(cohort=Cohort(program=program, **fields))


@transaction.atomic
def cohort_insert(*, cohort: Cohort) -> Cohort:
    """Save a new cohort built but not yet saved (the admin's form builds one, and its milestone
    inlines point at that very object), then run every COHORT_CREATED_HOOKS on it.

    All or nothing: a hook that raises rolls the cohort back too.
    """
    if not cohort._state.adding:
        raise ValueError("cohort_insert takes a cohort that is not saved yet.")
    cohort.save(force_insert=True)
    for dotted_path in settings.COHORT_CREATED_HOOKS:
        import_string(dotted_path)(cohort=cohort)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, **fields: Any) -> Cohort:
    """Change the given fields of a saved cohort and write only those.

    The cohort's scheduled messages follow: each COHORT_CHANGED_HOOKS runs (the release moves
    its announcements to a new notification date), then every unsent message of the cohort
    whose condition no longer holds is withdrawn (a reminder of the old deadline or
    orientation date); the planners plan reminders of the new dates on their next run.
    The cohort row is locked first, like every writer of its pairings.
    """
    Cohort.objects.select_for_update(no_key=True).filter(pk=cohort.pk).exists()
    for name, value in fields.items():
        setattr(cohort, name, value)
    if not fields:
        return cohort
    cohort.save(update_fields=list(fields))
    for dotted_path in settings.COHORT_CHANGED_HOOKS:
        import_string(dotted_path)(cohort=cohort, changed=list(fields))
    notifications_recheck(notifications=Notification.objects.filter(cohort=cohort))
    _call_notices_to_repeat(cohort)
    if {"applications_open", "applications_close"} & set(fields):
        call_notice_corrections(cohort=cohort, now=timezone.now())
    return cohort


def _call_notices_to_repeat(cohort: Cohort) -> int:
    """Subscribers whose "applications are open" notice of this cohort was withdrawn unsent (its
    deadline changed, or the call closed) are told again by the planner's next run, with the
    dates as they are then, if the call is open: a withdrawn notice is replaced, not lost."""
    # A notice staff canceled in the outbox stays canceled.
    live = Notification.objects.filter(cohort=cohort, kind="call_open").exclude(
        status=Notification.Status.WITHDRAWN
    )
    told = {int(key.split(":")[1]) for key in live.values_list("key", flat=True)}
    return (
        CallSubscription.objects.filter(notified_cohort=cohort)
        .exclude(pk__in=told)
        .update(notified_cohort=None)
    )


# --- "Tell me when applications open" -------------------------------------------------------

# The emails that tell a subscriber about a call, and the states in which one has been, or is
# being, sent: what it said is then what the subscriber knows.
CALL_KINDS = ("call_open", "call_deadline_changed", "call_postponed", "call_closed_early")
TOLD = (Notification.Status.SENDING, Notification.Status.SENT)


def _subscription_context(subscription: CallSubscription, **extra: Any) -> dict:
    return {
        "program_name": subscription.program.name,
        "program": subscription.program,
        "subscription": subscription,
        "footer_reason": _(
            "You receive this email because this address asked to hear when the program's call "
            "for applications opens."
        ),
        **extra,
    }


@transaction.atomic
def call_subscription_request(*, program: Program, email: str) -> CallSubscription:
    """Ask for one email when `program`'s next call opens; sends the confirmation (double opt-in).

    Says nothing about whether the address was known: a confirmed address gets no email, a
    pending one gets the confirmation again (at most MAX_CONFIRMATIONS in all), an address that
    unsubscribed starts over with a new link. The caller shows the same page in every case.
    """
    email = email.strip().lower()
    subscription, _created = CallSubscription.objects.get_or_create(program=program, email=email)
    subscription = CallSubscription.objects.select_for_update().get(pk=subscription.pk)
    Status = CallSubscription.Status
    if subscription.status == Status.CONFIRMED:
        return subscription
    if subscription.status == Status.UNSUBSCRIBED:
        subscription.status = Status.PENDING
        subscription.token = new_token()
        subscription.confirmed_at = None
        subscription.confirmations_sent = 0
    if subscription.confirmations_sent >= CallSubscription.MAX_CONFIRMATIONS:
        subscription.save()
        return subscription
    subscription.confirmations_sent += 1
    subscription.save()
    notification_create(
        key=f"call-subscription-confirm:{subscription.pk}:{subscription.token[:12]}:"
        f"{subscription.confirmations_sent}",
        kind="call_subscription_confirm",
        to=subscription.email,
        template="cohorts/emails/call_subscription_confirm",
        context=_subscription_context(subscription),
    )
    return subscription


@transaction.atomic
def call_subscription_confirm(*, token: str, now: dt.datetime | None = None) -> CallSubscription:
    """Confirm a pending subscription (the second step of the opt-in). Idempotent.

    Raises CallSubscription.DoesNotExist for an unknown token, or one that unsubscribed.
    """
    subscription = CallSubscription.objects.select_for_update().get(
        token=token,
        status__in=(CallSubscription.Status.PENDING, CallSubscription.Status.CONFIRMED),
    )
    if subscription.status == CallSubscription.Status.PENDING:
        subscription.status = CallSubscription.Status.CONFIRMED
        subscription.confirmed_at = now or timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
    return subscription


@transaction.atomic
def call_subscription_unsubscribe(*, token: str) -> CallSubscription:
    """Stop every email of this subscription, the one-click way: idempotent, no login.

    A notice already created but not yet sent is canceled with it. Raises
    CallSubscription.DoesNotExist for an unknown token.
    """
    subscription = CallSubscription.objects.select_for_update().get(token=token)
    if subscription.status != CallSubscription.Status.UNSUBSCRIBED:
        subscription.status = CallSubscription.Status.UNSUBSCRIBED
        subscription.save(update_fields=["status"])
    notification_cancel(
        notifications=Notification.objects.filter(
            Q(kind__in=CALL_KINDS, about__subscription=subscription.pk)
            # written before its about named the subscription
            | Q(key__startswith=f"call-open:{subscription.pk}:")
        )
    )
    return subscription


def call_open_notify(*, cohort: Cohort, now: dt.datetime) -> int:
    """Tell every confirmed subscriber of the cohort's program that its call is open: one email
    per subscription and cohort.

    Each subscription is locked (skipping any that another process holds), marked as told about
    this cohort and given its notice in one transaction, keyed `call-open:<subscription>:<cohort>`
    (then `:2`, `:3`... when a call they were told of was postponed or closed early and opens
    again): a second run, a second beat or a race sends nothing twice.
    """
    created = 0
    ids = list(
        CallSubscription.objects.filter(program_id=cohort.program_id)
        .waiting()
        .exclude(notified_cohort=cohort)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            subscription = (
                # The subscription's row alone: locking its program's row too would make a
                # second beat skip every other subscriber of the program meanwhile, and the
                # first beat skip those the second held: a notice left for the next tick.
                CallSubscription.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("program")
                .filter(pk=pk)
                .waiting()
                .first()
            )
            if subscription is None:
                continue
            if subscription.notified_cohort_id == cohort.pk:
                continue
            subscription.notified_at = now
            subscription.notified_cohort = cohort
            subscription.save(update_fields=["notified_at", "notified_cohort"])
            told = (
                Notification.objects.filter(
                    cohort=cohort, kind="call_open", about__subscription=subscription.pk
                )
                .exclude(status__in=Notification.FINAL_UNSENT)
                .count()
            )
            _notification, was_created = notification_create(
                key=f"call-open:{subscription.pk}:{cohort.pk}" + (f":{told + 1}" if told else ""),
                reissue=True,  # after a withdrawn one (see _call_notices_to_repeat)
                kind="call_open",
                to=subscription.email,
                template="cohorts/emails/call_open",
                context=_subscription_context(subscription, cohort=cohort),
                cohort=cohort,
                about={
                    "subscription": subscription.pk,
                    "cohort": cohort.pk,
                    "deadline": cohort.application_deadline.isoformat(),
                },
            )
            created += was_created
    return created


def call_notice_corrections(*, cohort: Cohort, now: dt.datetime) -> int:
    """Subscribers emailed that this cohort's call is open, when its dates have changed since,
    are told what holds now: one email per subscription and state, created in the caller's
    transaction (cohort_update, when the opening or closing date changes).

    What the subscriber knows is the latest email of the call sent to them (CALL_KINDS). If it
    said "open until <deadline>":

    - the call is still open, until another day: "New deadline" (call_deadline_changed);
    - the call now opens later: "Call postponed" (call_postponed);
    - the call closed before the day it gave: "Call closed early" (call_closed_early).

    After the last two the subscription waits again (notified_cohort cleared), so the planner
    tells them when the call opens, or opens again. Each email holds only while what it says
    does (cohorts.conditions): a second change before it goes out withdraws it, and this
    writes the one for the latest state. Returns how many emails were created.
    """
    latest: dict[int, tuple[str, dict]] = {}  # subscription id: its latest email of the call
    sent = Notification.objects.filter(cohort=cohort, kind__in=CALL_KINDS, status__in=TOLD)
    for kind, about in sent.order_by("pk").values_list("kind", "about"):
        if about.get("subscription") is not None:
            latest[about["subscription"]] = (kind, about)
    accepting = cohort.is_accepting_applications(now)
    postponed = now < cohort.applications_open_at
    deadline = cohort.application_deadline
    corrections: dict[int, tuple[str, dt.datetime]] = {}  # subscription: (kind, date they knew)
    for pk, (kind, about) in latest.items():
        if kind not in ("call_open", "call_deadline_changed") or not about.get("deadline"):
            continue  # told it is not open: the planner tells them when it opens
        said = dt.datetime.fromisoformat(about["deadline"])
        if accepting and said != deadline:
            corrections[pk] = ("call_deadline_changed", said)
        elif postponed:
            corrections[pk] = ("call_postponed", said)
        elif not accepting and deadline < said:
            corrections[pk] = ("call_closed_early", said)
    subscriptions = (
        # Locked, as the planner locks each one it tells: neither writes over the other.
        CallSubscription.objects.select_for_update(of=("self",))
        .filter(pk__in=corrections, status=CallSubscription.Status.CONFIRMED)
        .select_related("program")
        .order_by("pk")
    )
    created = 0
    for subscription in subscriptions:
        kind, said = corrections[subscription.pk]
        _notification, was_created = notification_create(
            key=(
                f"{kind.replace('_', '-')}:{subscription.pk}:{cohort.pk}:"
                f"{cohort.applications_open}:{cohort.applications_close}"
            ),
            reissue=True,  # the dates moved away from these and back again
            kind=kind,
            to=subscription.email,
            template=f"cohorts/emails/{kind}",
            context=_subscription_context(subscription, cohort=cohort, earlier_deadline=said),
            cohort=cohort,
            about={
                "subscription": subscription.pk,
                "cohort": cohort.pk,
                "opens": cohort.applications_open.isoformat(),
                "deadline": deadline.isoformat(),
            },
        )
        created += was_created
        if kind != "call_deadline_changed" and subscription.notified_cohort_id == cohort.pk:
            subscription.notified_cohort = None
            subscription.save(update_fields=["notified_cohort"])
    return created


def _committee_role(membership: CommitteeMembership | None) -> str:
    return membership.get_role_display() if membership is not None else "none"


@transaction.atomic
def committee_membership_save(
    *, membership: CommitteeMembership, changed_by
) -> CommitteeMembership:
    """Appoint someone to a program's committee, or change their role; staff only. Recorded in
    the privilege trail (a committee seat opens the program's applications)."""
    if not permissions.is_staff(changed_by):
        raise PermissionDenied(_("Only association staff appoint committees."))
    before = None
    if membership.pk:
        before = (
            CommitteeMembership.objects.select_for_update(of=("self",))
            .select_related("user", "program")
            .filter(pk=membership.pk)
            .first()
        )
    programs = {membership.program_id} | ({before.program_id} if before is not None else set())
    membership.full_clean()
    membership.save()
    if before is not None and (before.user_id, before.program_id) != (
        membership.user_id,
        membership.program_id,
    ):
        # The seat moved to another person or program: the old one ends.
        _record_committee_change(before, changed_by, before=_committee_role(before), after="none")
        before = None
    if before is None or before.role != membership.role:
        _record_committee_change(
            membership,
            changed_by,
            before=_committee_role(before),
            after=_committee_role(membership),
        )
    _committee_changed(programs, changed_by)
    return membership


@transaction.atomic
def committee_membership_remove(*, membership: CommitteeMembership, changed_by) -> None:
    """Take someone off a program's committee; staff only. Recorded in the privilege trail."""
    if not permissions.is_staff(changed_by):
        raise PermissionDenied(_("Only association staff appoint committees."))
    _record_committee_change(
        membership, changed_by, before=_committee_role(membership), after="none"
    )
    membership.delete()
    _committee_changed({membership.program_id}, changed_by)


def _committee_changed(program_ids: set[int], changed_by) -> None:
    """Run every COMMITTEE_CHANGED_HOOKS for each program whose committee just changed."""
    for program in Program.objects.filter(pk__in=program_ids):
        for dotted_path in settings.COMMITTEE_CHANGED_HOOKS:
            import_string(dotted_path)(program=program, changed_by=changed_by)


def _record_committee_change(membership, changed_by, *, before: str, after: str) -> None:
    privilege_change_record(
        user=membership.user,
        changed_by=changed_by,
        what=f"committee of {membership.program.short_name or membership.program.name}",
        before=before,
        after=after,
    )
