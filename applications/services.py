"""Every state change of an application: draft, submit, withdraw, decide, confirm membership.

Each function owns its transaction and the row lock, and creates the emails it causes through
the outbox inside that transaction, with keys that make a retry or a double click harmless.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User, time_zone_choices
from cohorts.models import Cohort
from notifications.models import Notification
from notifications.services import notifications_recheck

from . import eligibility, fields
from .models import Application
from .receipts import receipt, receipt_limit_message

logger = logging.getLogger(__name__)

EDITABLE_STATUSES = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.WITHDRAWN,
)
WITHDRAWABLE_STATUSES = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.UNDER_REVIEW,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
)
DECIDABLE_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.UNDER_REVIEW,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
    Application.Status.INELIGIBLE,
)
DECISIONS = (
    Application.Status.UNDER_REVIEW,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
    Application.Status.INELIGIBLE,
)


class ApplicationsClosed(Exception):
    """The cohort is not accepting applications at this moment; the message says why."""


class ApplicationLocked(Exception):
    """The application is past the stage where its applicant may change it."""


def closed_message(cohort: Cohort, now: dt.datetime) -> str:
    if now < cohort.applications_open_at:
        return _("Applications for %(cohort)s open on %(date)s.") % {
            "cohort": cohort,
            "date": date_format(cohort.applications_open, "l, F j, Y"),
        }
    return _("The deadline for %(cohort)s passed at 11:59 p.m. on %(date)s (%(zone)s time).") % {
        "cohort": cohort,
        "date": date_format(cohort.applications_close, "l, F j, Y"),
        "zone": cohort.program.time_zone,
    }


def _locked(*, cohort: Cohort, applicant: User, role: str) -> tuple[Application, bool]:
    """The applicant's application to `cohort`, locked for this transaction; create if missing.

    Two concurrent first saves (a double click) race on the unique constraint: the loser waits
    for the winner's commit, gets IntegrityError, then locks and returns the winner's row.
    """
    queryset = Application.objects.select_for_update().select_related("cohort__program")
    found = queryset.filter(cohort=cohort, applicant=applicant).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            created = Application.objects.create(
                cohort=cohort, applicant=applicant, role=role or ""
            )
    except IntegrityError:
        return queryset.get(cohort=cohort, applicant=applicant), False
    created.cohort = cohort
    return created, True


def _apply_answers(application: Application, answers: dict) -> None:
    for name in fields.ANSWER_FIELDS:
        if name not in answers:
            continue
        value = answers[name]
        field = Application._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default()  # "" for text, [] for a list, the default choice
        elif value == "" and not field.blank and name != "role":
            value = field.get_default()  # an unanswered choice keeps its default
        setattr(application, name, value)
    exclude = ["cohort", "applicant", "areas", "status"]
    if not application.role:
        exclude.append("role")  # a draft may be saved before the role is chosen
    application.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _save_areas(application: Application, answers: dict) -> None:
    if "areas" in answers:
        areas = answers["areas"] or []
        allowed = [a for a in areas if a.program_id == application.cohort.program_id]
        application.areas.set(allowed)


@transaction.atomic
def application_save_draft(
    *, cohort: Cohort, applicant: User, answers: dict, now: dt.datetime | None = None
) -> Application:
    """Save partial answers. Works after the deadline too, so a late form never loses its text,
    but never before the call opens and never over an application already submitted or decided.
    """
    now = now or timezone.now()
    if now < cohort.applications_open_at:
        raise ApplicationsClosed(closed_message(cohort, now))
    application, _created = _locked(cohort=cohort, applicant=applicant, role=answers.get("role"))
    if application.status not in (Application.Status.DRAFT, Application.Status.WITHDRAWN):
        raise ApplicationLocked(
            _("This application is %(status)s; use “Save changes” to update it.")
            % {"status": application.get_status_display().lower()}
        )
    _apply_answers(application, answers)
    application.status = Application.Status.DRAFT
    application.save()
    _save_areas(application, answers)
    return application


@transaction.atomic
def application_submit(
    *, cohort: Cohort, applicant: User, answers: dict, now: dt.datetime | None = None
) -> Application:
    """Submit (or, when already submitted, update) the application before the deadline.

    Validates every answer for the role again (raises ValidationError with a dict); after the
    deadline raises ApplicationsClosed. The first submission sends one confirmation email with a
    summary of the answers; a double click finds the row submitted and only updates it.
    """
    now = now or timezone.now()
    if not cohort.is_accepting_applications(now):
        raise ApplicationsClosed(closed_message(cohort, now))
    errors = eligibility.submission_errors(
        cohort=cohort, role=answers.get("role") or "", answers=answers
    )
    if errors:
        raise ValidationError(errors)
    application, _created = _locked(cohort=cohort, applicant=applicant, role=answers["role"])
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationLocked(
            _("This application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display().lower()}
        )
    answers = dict(answers)
    for name in fields.fields_only_for_other_roles(eligibility.roles_of(answers["role"])):
        answers[name] = None  # cleared: a mentor-only answer is not kept for a mentee
    _apply_answers(application, answers)
    first_submission = application.status != Application.Status.SUBMITTED
    application.status = Application.Status.SUBMITTED
    if first_submission:
        application.submitted_at = now
        application.withdrawn_at = None
    application.save()
    _save_areas(application, answers)
    _save_profile(applicant, application)
    if first_submission:
        _withdraw_untrue(application, now)
    # Not a stored field: tells the page whether a confirmation is on its way.
    application.receipt_emailed = first_submission and receipt(
        application=application,
        kind="application_submitted",
        template="applications/emails/submitted",
        now=now,
    )
    return application


class SaveOutcome(StrEnum):
    """What became of the application page's Save draft or Submit."""

    LOCKED = "locked"  # past the stage where its applicant may change it: nothing saved
    REFUSED = "refused"  # it changed state while the form was open: nothing saved
    NOT_OPEN = "not_open"  # the call has not opened yet: nothing saved
    CLOSED = "closed"  # the deadline passed while the form was open: a draft kept its answers
    DRAFT_SAVED = "draft_saved"
    DRAFT_PARTLY_SAVED = "draft_partly_saved"  # saved, except answers that failed their checks
    NEEDS_ATTENTION = "needs_attention"  # not submitted: errors beside the fields
    SUBMITTED = "submitted"  # the first submission: a confirmation email is on its way
    CHANGES_SAVED = "changes_saved"  # a submitted application changed before the deadline


@dataclass(frozen=True)
class SaveResult:
    outcome: SaveOutcome
    application: Application | None
    message: str = ""  # what to tell the applicant
    errors: dict[str, list[str]] = field(default_factory=dict)  # by field, from the service


def application_refusal(
    *, cohort: Cohort, application: Application | None, now: dt.datetime
) -> SaveResult | None:
    """Why the applicant cannot change their application to `cohort` now (LOCKED, NOT_OPEN or
    CLOSED, with the words to tell them); None when they can."""
    if application is not None and application.status not in EDITABLE_STATUSES:
        return SaveResult(
            SaveOutcome.LOCKED, application, _("This application can no longer be changed.")
        )
    if now < cohort.applications_open_at:
        return SaveResult(SaveOutcome.NOT_OPEN, application, closed_message(cohort, now))
    if not cohort.is_accepting_applications(now):
        return SaveResult(SaveOutcome.CLOSED, application, closed_message(cohort, now))
    return None


def application_form_mode(*, application: Application | None, action: str) -> str:
    """The checks the application page applies: "submit" when the applicant pressed Submit or
    the application is already submitted (a change must keep it complete), else "draft"."""
    submitted = application is not None and application.status == Application.Status.SUBMITTED
    return "submit" if submitted or action == "submit" else "draft"


def application_save(
    *,
    cohort: Cohort,
    applicant: User,
    action: str,
    answers: dict,
    valid: bool,
    now: dt.datetime | None = None,
) -> SaveResult:
    """The application page's Save draft or Submit (`action`): decide what to save and what to
    tell the applicant. Never loses what was typed: whatever cannot be submitted is kept as a
    draft, unless the application is already submitted (its submitted answers stand).

    `answers` are the answers that passed their own checks (type, length); `valid` says whether
    every answer passed the page's checks in application_form_mode's mode.
    """
    now = now or timezone.now()
    application = Application.objects.filter(cohort=cohort, applicant=applicant).first()
    refusal = application_refusal(cohort=cohort, application=application, now=now)
    if refusal is not None and refusal.outcome == SaveOutcome.CLOSED:
        return _closed(cohort, applicant, answers, application, now)
    if refusal is not None:
        return refusal
    if application_form_mode(application=application, action=action) == "submit":
        return _submit(cohort, applicant, answers, valid, application, now)
    application = _draft_quietly(cohort, applicant, answers, now)
    if not valid:
        return SaveResult(
            SaveOutcome.DRAFT_PARTLY_SAVED,
            application,
            _("Draft saved, except the answers marked below. Correct them and save again."),
        )
    return SaveResult(
        SaveOutcome.DRAFT_SAVED,
        application,
        _("Draft saved. Come back and finish it any time before 11:59 p.m. on %(date)s.")
        % {"date": date_format(cohort.applications_close, "l, F j, Y")},
    )


def _closed(
    cohort: Cohort,
    applicant: User,
    answers: dict,
    application: Application | None,
    now: dt.datetime,
) -> SaveResult:
    """Loaded before the deadline, posted after: refuse, but keep every word typed."""
    message = closed_message(cohort, now)
    if application is not None and application.status == Application.Status.SUBMITTED:
        message += " " + _("Your changes were not saved; your submitted answers stand.")
    else:
        application = _draft_quietly(cohort, applicant, answers, now)
        message += " " + _(
            "Your answers are saved as a draft, but the application can no longer be submitted."
        )
    return SaveResult(SaveOutcome.CLOSED, application, message)


def _submit(
    cohort: Cohort,
    applicant: User,
    answers: dict,
    valid: bool,
    application: Application | None,
    now: dt.datetime,
) -> SaveResult:
    submitted = application is not None and application.status == Application.Status.SUBMITTED
    errors: dict[str, list[str]] = {}
    if valid:
        try:
            saved = application_submit(cohort=cohort, applicant=applicant, answers=answers, now=now)
        except ValidationError as error:
            errors = error.message_dict
        except ApplicationLocked as error:
            return SaveResult(SaveOutcome.REFUSED, application, str(error))
        except ApplicationsClosed:  # the deadline passed during this very request
            return _closed(cohort, applicant, answers, application, now)
        else:
            if submitted:
                return SaveResult(SaveOutcome.CHANGES_SAVED, saved, _("Your changes are saved."))
            if not saved.receipt_emailed:
                return SaveResult(SaveOutcome.SUBMITTED, saved, receipt_limit_message(saved))
            return SaveResult(
                SaveOutcome.SUBMITTED,
                saved,
                _("Your application is submitted. A confirmation is on its way to %s.")
                % saved.mail_to,
            )
    if not submitted:
        application = _draft_quietly(cohort, applicant, answers, now)
    message = _(
        "Some answers need attention: see the notes beside them. "
        "Everything you typed is kept%(draft)s."
    ) % {"draft": "" if submitted else _(" and saved as a draft")}
    return SaveResult(SaveOutcome.NEEDS_ATTENTION, application, message, errors)


def _draft_quietly(
    cohort: Cohort, applicant: User, answers: dict, now: dt.datetime
) -> Application | None:
    """Save what passed its checks as a draft; a submitted application is never reverted."""
    try:
        return application_save_draft(cohort=cohort, applicant=applicant, answers=answers, now=now)
    except (ApplicationLocked, ApplicationsClosed, ValidationError):
        logger.info("Draft of %s for %s not saved", applicant.pk, cohort.pk, exc_info=True)
        return Application.objects.filter(cohort=cohort, applicant=applicant).first()


def _save_profile(user: User, application: Application) -> None:
    """Keep the person's profile up to date so the next application starts prefilled."""
    zones = {zone for zone, _label in time_zone_choices()}
    changed = []
    for name in fields.PROFILE_FIELDS:
        value = getattr(application, name)
        if name == "time_zone" and value not in zones:
            continue
        if value and getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=changed)


@transaction.atomic
def application_withdraw(*, application: Application, now: dt.datetime | None = None):
    """Withdraw; idempotent (a second click finds it withdrawn). Sends one notice."""
    now = now or timezone.now()
    application = (
        Application.objects.select_for_update()
        .select_related("cohort__program", "applicant")
        .get(pk=application.pk)
    )
    if application.status == Application.Status.WITHDRAWN:
        return application
    if application.status not in WITHDRAWABLE_STATUSES:
        raise ApplicationLocked(
            _("This application is %(status)s; there is nothing to withdraw.")
            % {"status": application.get_status_display().lower()}
        )
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _withdraw_untrue(application, now)
    application.receipt_emailed = receipt(
        application=application,
        kind="application_withdrawn",
        template="applications/emails/withdrawn",
        now=now,
    )
    return application


def _withdraw_untrue(application: Application, now: dt.datetime) -> int:
    """Withdraw the unsent messages about this application that its new status makes untrue
    (a deadline reminder once submitted; "you are on the waitlist" once accepted...)."""
    return notifications_recheck(
        notifications=Notification.objects.filter(about__application=application.pk), now=now
    )


@transaction.atomic
def application_decide(
    *,
    application: Application,
    decision: str,
    decided_by: User,
    now: dt.datetime | None = None,
) -> Application:
    """The committee's decision: under review, accepted, waitlisted, declined or ineligible.

    Records who and when. Refuses drafts and withdrawn applications, refuses to accept a
    funded-membership request that staff have not confirmed yet, and asks every
    APPLICATION_DECISION_GUARDS (apps above this one refuse what would contradict their state:
    matching refuses to waitlist or decline a person who is in a pairing). Withdraws, in the
    same transaction, the unsent messages the decision makes untrue.
    """
    if decision not in DECISIONS:
        raise ValidationError(_("Not a decision the committee can make."))
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in DECIDABLE_STATUSES:
        raise ValidationError(
            _("%(name)s: a %(status)s application cannot be decided.")
            % {"name": application, "status": application.get_status_display().lower()}
        )
    if decision == Application.Status.ACCEPTED and eligibility.needs_staff_review(application):
        raise ValidationError(
            _("%(name)s asked for funded membership: staff must confirm it before acceptance.")
            % {"name": application}
        )
    for dotted_path in settings.APPLICATION_DECISION_GUARDS:
        import_string(dotted_path)(application=application, decision=decision)
    application.status = decision
    application.decided_by = decided_by
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _withdraw_untrue(application, now)
    return application


@transaction.atomic
def application_confirm_membership(
    *, application: Application, confirmed_by: User, now: dt.datetime | None = None
) -> Application:
    """Staff confirm the membership (or grant the funded membership asked for). Idempotent."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.membership_confirmed_at is None:
        application.membership_confirmed_at = now or timezone.now()
        application.membership_confirmed_by = confirmed_by
        application.save(
            update_fields=["membership_confirmed_at", "membership_confirmed_by", "updated_at"]
        )
    return application
