"""What the application page's buttons do: Save draft, Review, Submit, and the draft saved as
the applicant types. Decides what to save and what to tell the applicant; the view only
renders the outcome.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Cohort

from .. import eligibility
from ..models import Application
from ..questions.selectors import cohort_questions
from ..receipts import receipt_limit_message
from .records import (
    EDITABLE_STATUSES,
    ApplicationLocked,
    ApplicationsClosed,
    application_save_draft,
    application_submit,
    closed_message,
)

logger = logging.getLogger(__name__)

# A draft is saved as the applicant types; a submitted application changes only when complete.
AUTOSAVED_STATUSES = (Application.Status.DRAFT, Application.Status.WITHDRAWN)


# application_save's `application` when the caller did not read it.
UNREAD = object()


class SaveOutcome(StrEnum):
    """What became of the application page's Save draft or Submit."""

    LOCKED = "locked"  # past the stage where its applicant may change it: nothing saved
    REFUSED = "refused"  # it changed state while the form was open: nothing saved
    NOT_OPEN = "not_open"  # the call has not opened yet: nothing saved
    CLOSED = "closed"  # the deadline passed while the form was open: a draft kept its answers
    DRAFT_SAVED = "draft_saved"
    DRAFT_PARTLY_SAVED = "draft_partly_saved"  # saved, except answers that failed their checks
    NEEDS_ATTENTION = "needs_attention"  # not submitted, nothing saved: errors beside the fields
    READY_TO_REVIEW = "ready_to_review"  # complete: show the answers before the final submit
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
    """The checks the application page applies: "submit" when the applicant asked to review or
    submit, or the application is already submitted (a change must keep it complete), else
    "draft"."""
    submitted = application is not None and application.status == Application.Status.SUBMITTED
    return "submit" if submitted or action in ("submit", "review") else "draft"


def application_save(
    *,
    cohort: Cohort,
    applicant: User,
    action: str,
    answers: dict,
    valid: bool,
    now: dt.datetime | None = None,
    questions: list | None = None,
    application: Application | object | None = UNREAD,
) -> SaveResult:
    """The application page's Save draft, Review or Submit (`action`): decide what to save and
    what to tell the applicant. `questions` (the cohort's) and `application` (the person's to
    the cohort, or None) spare reading them again when the page already has them.

    Only Save draft makes a draft. Review and Submit save nothing unless every answer passes:
    the page shows every error at once beside its field, with everything typed still in it.
    Review of a complete application answers READY_TO_REVIEW (the page then shows the answers
    and a final Submit); Submit submits.

    `answers` are the answers that passed their own checks (type, length); `valid` says whether
    every answer passed the page's checks in application_form_mode's mode.
    """
    now = now or timezone.now()
    if application is UNREAD:
        application = Application.objects.filter(cohort=cohort, applicant=applicant).first()
    refusal = application_refusal(cohort=cohort, application=application, now=now)
    if refusal is not None and refusal.outcome == SaveOutcome.CLOSED:
        return _closed(cohort, applicant, answers, application, now)
    if refusal is not None:
        return refusal
    if application_form_mode(application=application, action=action) == "submit":
        return _submit(
            cohort, applicant, answers, valid, application, now, action=action, questions=questions
        )
    return _draft(cohort, applicant, answers, valid, application, now)


def application_autosave(
    *, cohort: Cohort, applicant: User, answers: dict, valid: bool, now: dt.datetime | None = None
) -> SaveResult:
    """The page's "saved as you go": a draft's answers, saved quietly while the applicant types.
    Never touches a submitted application (its changes are saved only when complete, by Save
    changes), and never saves before the call opens or after the deadline."""
    now = now or timezone.now()
    application = Application.objects.filter(cohort=cohort, applicant=applicant).first()
    if application is not None and application.status not in AUTOSAVED_STATUSES:
        return SaveResult(
            SaveOutcome.LOCKED,
            application,
            _("Not saved automatically: use “Save changes” when your answers are complete."),
        )
    refusal = application_refusal(cohort=cohort, application=application, now=now)
    if refusal is not None:
        return refusal
    return _draft(cohort, applicant, answers, valid, application, now)


def _draft(
    cohort: Cohort,
    applicant: User,
    answers: dict,
    valid: bool,
    application: Application | None,
    now: dt.datetime,
) -> SaveResult:
    try:
        application = application_save_draft(
            cohort=cohort, applicant=applicant, answers=answers, now=now
        )
    except ValidationError as error:
        return SaveResult(
            SaveOutcome.NEEDS_ATTENTION,
            application,
            _("The draft was not saved: see the notes beside the answers."),
            error.message_dict,
        )
    except ApplicationLocked as error:
        return SaveResult(SaveOutcome.REFUSED, application, str(error))
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


def _needs_attention(application: Application | None, errors=None) -> SaveResult:
    submitted = application is not None and application.status == Application.Status.SUBMITTED
    if submitted:
        message = _(
            "Your changes are not saved yet: some answers need attention (see the notes beside "
            "them). Your submitted answers stand until you save changes."
        )
    else:
        message = _(
            "Some answers need attention: see the notes beside them. Nothing is saved yet; "
            "everything you typed is still here. Correct them, or save a draft to finish later."
        )
    return SaveResult(SaveOutcome.NEEDS_ATTENTION, application, message, errors or {})


def _submit(
    cohort: Cohort,
    applicant: User,
    answers: dict,
    valid: bool,
    application: Application | None,
    now: dt.datetime,
    *,
    action: str,
    questions: list | None,
) -> SaveResult:
    submitted = application is not None and application.status == Application.Status.SUBMITTED
    if questions is None:
        questions = cohort_questions(cohort=cohort)
    if not valid:
        return _needs_attention(application)
    if action == "review":
        errors = eligibility.submission_errors(
            cohort=cohort,
            role=answers.get("role") or "",
            answers=answers,
            questions=questions,
        )
        if errors:
            return _needs_attention(application, {k: [v] for k, v in errors.items()})
        return SaveResult(
            SaveOutcome.READY_TO_REVIEW,
            application,
            _("Check your answers below, then submit your application."),
        )
    try:
        saved = application_submit(
            cohort=cohort,
            applicant=applicant,
            answers=answers,
            now=now,
            questions=questions,
            started=application is not None,
        )
    except ValidationError as error:
        return _needs_attention(application, error.message_dict)
    except ApplicationLocked as error:
        return SaveResult(SaveOutcome.REFUSED, application, str(error))
    except ApplicationsClosed:  # the deadline passed during this very request
        return _closed(cohort, applicant, answers, application, now)
    if submitted:
        return SaveResult(SaveOutcome.CHANGES_SAVED, saved, _("Your changes are saved."))
    if not saved.receipt_emailed:
        return SaveResult(SaveOutcome.SUBMITTED, saved, receipt_limit_message(saved))
    return SaveResult(
        SaveOutcome.SUBMITTED,
        saved,
        _("Your application is submitted. A confirmation is on its way to %s.") % saved.mail_to,
    )


def _draft_quietly(
    cohort: Cohort, applicant: User, answers: dict, now: dt.datetime
) -> Application | None:
    """Save what passed its checks as a draft; a submitted application is never reverted."""
    try:
        return application_save_draft(cohort=cohort, applicant=applicant, answers=answers, now=now)
    except (ApplicationLocked, ApplicationsClosed, ValidationError):
        logger.info("Draft of %s for %s not saved", applicant.pk, cohort.pk, exc_info=True)
        return Application.objects.filter(cohort=cohort, applicant=applicant).first()
