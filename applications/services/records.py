"""The records of an application: draft, submit, withdraw, decide, confirm membership.

Each function owns its transaction and the row lock, and creates the emails it causes through
the outbox inside that transaction, with keys that make a retry or a double click harmless.
"""

import datetime as dt
import functools
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User, time_zone_choices
from accounts.timezones import when
from cohorts.models import Cohort
from notifications.models import Notification
from notifications.services import notifications_recheck

from .. import decisions, eligibility, fields
from ..models import Application
from ..questions.selectors import cohort_questions
from ..questions.services import answers_save
from ..receipts import receipt

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
DECISION_NOTE_MAX = 1000
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
    return _("The deadline for %(cohort)s passed: %(deadline)s.") % {
        "cohort": cohort,
        "deadline": when(cohort.application_deadline, zone=cohort.tz),
    }


def _locked(*, cohort: Cohort, applicant: User, role: str) -> tuple[Application, bool]:
    """The applicant's application to `cohort`, locked for this transaction; create if missing.

    Two concurrent first saves (a double click) race on the unique constraint: the loser waits
    for the winner's commit, gets IntegrityError, then locks and returns the winner's row.
    """
    # OF the application alone: its cohort and program come along to be read, not locked (a
    # lock on the cohort would queue every applicant of the deadline rush behind each other).
    queryset = Application.objects.select_for_update(of=("self",)).select_related("cohort__program")
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
    role = answers.get("role")
    if role and eligibility.role_error(application.cohort.program, role):
        raise ValidationError({"role": eligibility.role_error(application.cohort.program, role)})
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


def _save_areas(application: Application, answers: dict, *, new: bool = False) -> list | None:
    """Store the areas answered (those of the cohort's program); None when not answered. A new
    application has none yet to compare with."""
    if "areas" not in answers:
        return None
    areas = answers["areas"] or []
    allowed = [a for a in areas if a.program_id == application.cohort.program_id]
    if new:
        application.areas.add(*allowed)
    else:
        application.areas.set(allowed)
    return allowed


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
    answers_save(
        application=application,
        questions=cohort_questions(cohort=cohort),
        answers=answers.get("questions") or {},
    )
    return application


def application_submit(
    *,
    cohort: Cohort,
    applicant: User,
    answers: dict,
    now: dt.datetime | None = None,
    questions: list | None = None,
    started: bool = True,
) -> Application:
    """Submit (or, when already submitted, update) the application before the deadline.

    Validates every answer for the role again (raises ValidationError with a dict); after the
    deadline raises ApplicationsClosed. The first submission sends one confirmation email with a
    summary of the answers; a double click finds the row submitted and only updates it.

    `questions` are the cohort's, when the caller has them. `started=False` says the caller
    found no application of this person's to the cohort: the row is then inserted once, whole,
    with no locking read first; should a concurrent first save take it meanwhile (the
    one-per-person constraint refuses the insert and the transaction rolls back), the
    submission starts over as an update of that row.
    """
    submit = functools.partial(
        _submit, cohort=cohort, applicant=applicant, answers=answers, now=now, questions=questions
    )
    if started:
        return submit(new=False)
    try:
        return submit(new=True)
    except IntegrityError:
        return submit(new=False)


@transaction.atomic
def _submit(
    *,
    cohort: Cohort,
    applicant: User,
    answers: dict,
    now: dt.datetime | None,
    questions: list | None,
    new: bool,
) -> Application:
    now = now or timezone.now()
    if not cohort.is_accepting_applications(now):
        raise ApplicationsClosed(closed_message(cohort, now))
    if questions is None:
        questions = cohort_questions(cohort=cohort)
    errors = eligibility.submission_errors(
        cohort=cohort, role=answers.get("role") or "", answers=answers, questions=questions
    )
    if errors:
        raise ValidationError(errors)
    if new:
        application = Application(cohort=cohort, applicant=applicant)
    else:
        application, _created = _locked(cohort=cohort, applicant=applicant, role=answers["role"])
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationLocked(
            _("This application is %(status)s and can no longer be changed.")
            % {"status": application.get_status_display().lower()}
        )
    answers = dict(answers)
    roles = eligibility.roles_of(answers["role"])
    for name in fields.fields_only_for_other_roles(roles):
        answers[name] = None  # cleared: a mentor-only answer is not kept for a mentee
    given = dict(answers.get("questions") or {})
    for question in questions:
        if not question.applies_to(roles):
            given[question.pk] = None  # likewise for the program's own questions
    _apply_answers(application, answers)
    first_submission = application.status != Application.Status.SUBMITTED
    application.status = Application.Status.SUBMITTED
    if first_submission:
        application.submitted_at = now
        application.withdrawn_at = None
    application.save(force_insert=new)
    areas = _save_areas(application, answers, new=new)
    answered = answers_save(application=application, questions=questions, answers=given)
    _save_profile(applicant, application)
    if first_submission and not new:  # nothing can be about a row this transaction made
        _withdraw_untrue(application, now)
    # Not a stored field: tells the page whether a confirmation is on its way.
    application.receipt_emailed = first_submission and receipt(
        application=application,
        kind="application_submitted",
        template="applications/emails/submitted",
        now=now,
        new=new,
        # What was just stored, rather than read back, for the email's summary.
        areas=(areas or []) if new else None,
        answered=answered if new else None,
    )
    return application


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
    # An accepted application may be in a pairing: the cohort row first, as every writer of the
    # cohort's pairings takes it, so a withdrawal and an approval come one after the other.
    # Then the application alone (its program and applicant are read, not locked).
    Cohort.objects.select_for_update(no_key=True).filter(pk=application.cohort_id).exists()
    application = (
        Application.objects.select_for_update(of=("self",))
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


def application_decision_check(*, application: Application, decision: str) -> None:
    """Raise ValidationError when the committee cannot make `decision` on `application` now.

    The same check application_decide makes under its row lock, for forms that show the
    reason next to the field before anything is saved.
    """
    if decision not in DECISIONS:
        raise ValidationError(_("Not a decision the committee can make."))
    reason = decision_refusal(application=application, decision=decision)
    if reason:
        raise ValidationError(reason)
    refused = decision_guards_refusals(applications=[application], decision=decision)
    if refused:
        raise ValidationError(refused[application.pk])


def decision_refusal(*, application: Application, decision: str) -> str:
    """Why this application's own state refuses `decision` ("" when it does not): drafts and
    withdrawn applications are not decided; a funded-membership request staff have not
    confirmed is not accepted. The guards of the apps above are asked apart."""
    if application.status not in DECIDABLE_STATUSES:
        return _("%(name)s: a %(status)s application cannot be decided.") % {
            "name": application,
            "status": application.get_status_display().lower(),
        }
    if decision == Application.Status.ACCEPTED and eligibility.needs_staff_review(application):
        return _(
            "%(name)s asked for funded membership: staff must confirm it before acceptance."
        ) % {"name": application}
    return ""


def decision_guards_refusals(*, applications: list[Application], decision: str) -> dict[int, str]:
    """{application pk: why} of the applications an app above this one refuses `decision` for,
    because it would contradict its state (matching: no waitlisting or declining a person who
    is in a pairing). Each guard answers for the whole list at once."""
    refused: dict[int, str] = {}
    for dotted_path in settings.APPLICATION_DECISION_GUARDS:
        for pk, reason in import_string(dotted_path)(
            applications=applications, decision=decision
        ).items():
            refused.setdefault(pk, reason)
    return refused


def _withdraw_untrue(application: Application, now: dt.datetime) -> int:
    """Withdraw the unsent messages about this application that its new status makes untrue
    (a deadline reminder once submitted; "you are on the waitlist" once accepted...)."""
    return withdraw_untrue_many([application.pk], now)


def withdraw_untrue_many(application_ids: list[int], now: dt.datetime) -> int:
    """_withdraw_untrue for many applications, in a fixed number of queries."""
    if not application_ids:
        return 0
    return notifications_recheck(
        notifications=Notification.objects.filter(about__application__in=application_ids),
        now=now,
    )


@transaction.atomic
def application_decide(
    *,
    application: Application,
    decision: str,
    decided_by: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The committee's decision: under review, accepted, waitlisted, declined or ineligible.

    Records who and when on the application, and every decision with its note in the
    decisions' audit trail (ApplicationDecision) and in the admin's "Recent actions". The same
    decision again without a note changes and records nothing (a double click is harmless).
    Refuses drafts and withdrawn applications, refuses to accept a funded-membership request
    that staff have not confirmed yet, and asks every APPLICATION_DECISION_GUARDS. Withdraws,
    in the same transaction, the unsent messages the decision makes untrue.
    """
    note = (note or "").strip()
    if len(note) > DECISION_NOTE_MAX:
        raise ValidationError(
            _("Keep the note under %(max)s characters.") % {"max": DECISION_NOTE_MAX}
        )
    now = now or timezone.now()
    application = Application.objects.select_for_update().get(pk=application.pk)
    application_decision_check(application=application, decision=decision)
    before = application.status
    if before == decision and not note:
        return application
    application.status = decision
    application.decided_by = decided_by
    application.decided_at = now
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    decisions.decision_record(
        application=application, before=before, note=note, decided_by=decided_by, now=now
    )
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
