"""Every write of the assessment app: templates, surveys, invitations, reminders, responses."""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.timezones import person_zone, when
from applications.models import Application
from cohorts.models import Cohort, Program
from notifications.models import Notification
from notifications.services import notification_create, notifications_recheck

from .defaults import default_template
from .models import (
    QUESTION_FIELDS,
    TEXT_LIMITS,
    Answer,
    Audience,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyTemplate,
    new_token,
)


class SurveyClosed(Exception):
    """The survey is not open: answers are refused."""


@transaction.atomic
def templates_ensure_for_program(*, program: Program) -> list[SurveyTemplate]:
    """Give the program its standard mentor and mentee templates where it has none.

    Idempotent; never touches a template the committee already has (edited or not).
    """
    templates = []
    existing = {t.audience: t for t in SurveyTemplate.objects.filter(program=program)}
    for audience in (Audience.MENTEE, Audience.MENTOR):
        if audience in existing:
            templates.append(existing[audience])
            continue
        data = default_template(program.slug, audience)
        template = SurveyTemplate.objects.create(
            program=program,
            audience=audience,
            title=data["title"],
            introduction=data["introduction"],
            anonymous=data["anonymous"],
        )
        template.questions.bulk_create(
            [template.questions.model(template=template, **q) for q in data["questions"]]
        )
        templates.append(template)
    return templates


@transaction.atomic
def surveys_create_for_cohort(*, cohort: Cohort) -> list[Survey]:
    """Copy the program's templates into the cohort's mentor and mentee surveys.

    Idempotent: an audience that already has its survey is left alone. Returns the new surveys.
    """
    # Lock the cohort so two callers (cohort_create's hook and a command) cannot both create.
    Cohort.objects.select_for_update(no_key=True).filter(pk=cohort.pk).exists()
    templates = templates_ensure_for_program(program=cohort.program)
    have = set(Survey.objects.filter(cohort=cohort).values_list("audience", flat=True))
    created = []
    for template in templates:
        if template.audience in have:
            continue
        survey = Survey.objects.create(
            cohort=cohort,
            audience=template.audience,
            title=template.title,
            introduction=template.introduction,
            anonymous=template.anonymous,
        )
        Question.objects.bulk_create(
            [
                Question(survey=survey, **{f: getattr(q, f) for f in QUESTION_FIELDS})
                for q in template.questions.all()
            ]
        )
        created.append(survey)
    return created


def _email_context(invitation: Invitation) -> dict:
    survey = invitation.survey
    cohort = survey.cohort
    return {
        "first_name": invitation.first_name,
        "program_name": cohort.program.name,
        "cohort_name": str(cohort),
        "survey": survey,
        "role": _("mentor") if survey.audience == Audience.MENTOR else _("mentee"),
        "token": invitation.token,
        "closes": when(
            survey.closes_at,
            zone=cohort.tz,
            reader_zone=person_zone(
                invitation.application.time_zone if invitation.application else "",
                invitation.user.time_zone if invitation.user else "",
            ),
        ),
        "anonymous": survey.anonymous,
        "contact_email": cohort.program.contact_email,
    }


@transaction.atomic
def invitation_send(*, survey: Survey, application: Application, now: dt.datetime) -> bool:
    """Invite one participant (in one role) and email the link, exactly once.

    Returns True when this call created the invitation email.
    """
    invitation, _created = Invitation.objects.get_or_create(
        survey=survey, application=application, defaults={"user": application.applicant}
    )
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__cohort__program", "application__applicant", "user")
        .get(pk=invitation.pk)
    )
    if invitation.sent_at:
        return False
    _notification, created = notification_create(
        key=f"survey-invite:{invitation.pk}",
        kind="survey-invitation",
        to=invitation.email,
        template="assessment/emails/invitation",
        context=_email_context(invitation),
        user=invitation.user,
        cohort=survey.cohort,
        about={"invitation": invitation.pk},
    )
    invitation.sent_at = now
    invitation.save(update_fields=["sent_at"])
    return created


@transaction.atomic
def invitation_renew(*, invitation: Invitation) -> Invitation:
    """Replace the invitation's link with a new one and email it; the old link stops working.

    For a link that leaked (forwarded, pasted somewhere): staff never see either link. The
    email's key names the new token, so a retry sends it once; renewing again sends the next.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__cohort__program", "application__applicant", "user")
        .get(pk=invitation.pk)
    )
    invitation.token = new_token()
    invitation.save(update_fields=["token"])
    fingerprint = hashlib.sha256(invitation.token.encode()).hexdigest()[:16]
    notification_create(
        key=f"survey-new-link:{invitation.pk}:{fingerprint}",
        kind="survey-new-link",
        to=invitation.email,
        template="assessment/emails/new_link",
        context=_email_context(invitation),
        user=invitation.user,
        cohort=invitation.survey.cohort,
    )
    return invitation


@transaction.atomic
def invitation_remind(*, invitation: Invitation, last: bool, now: dt.datetime) -> bool:
    """Send the 7-day reminder (or the last one) unless answered or already reminded."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__cohort__program", "application__applicant", "user")
        .get(pk=invitation.pk)
    )
    field = "last_reminded_at" if last else "reminded_at"
    if invitation.completed_at or getattr(invitation, field):
        return False
    _notification, created = notification_create(
        key=f"survey-reminder:{invitation.pk}:{'last' if last else '7d'}",
        kind="survey-last-reminder" if last else "survey-reminder",
        to=invitation.email,
        template="assessment/emails/" + ("last_reminder" if last else "reminder"),
        context=_email_context(invitation),
        user=invitation.user,
        cohort=invitation.survey.cohort,
        about={"invitation": invitation.pk},
    )
    setattr(invitation, field, now)
    invitation.save(update_fields=[field])
    return created


def _clean_value(question: Question, value):
    """The stored form of one answer, or None for "no answer"; ValidationError if invalid."""
    if value in (None, "", []):
        return None
    allowed = [option for option, _label in question.options()]
    if question.kind == "likert":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a number from 1 to 5.")) from None
        if number not in allowed:
            raise ValidationError(_("Choose a number from 1 to 5."))
        return number
    if question.kind == "multiple":
        values = [value] if isinstance(value, str) else list(value)
        if any(v not in allowed for v in values):
            raise ValidationError(_("Choose from the choices given."))
        return [v for v in allowed if v in values]
    if question.kind in ("single", "yes_no"):
        if value not in allowed:
            raise ValidationError(_("Choose from the choices given."))
        return value
    text = str(value).strip()
    limit = TEXT_LIMITS.get(question.kind, TEXT_LIMITS[QuestionKind.LONG_TEXT])
    if len(text) > limit:
        raise ValidationError(_("Keep it under %(limit)s characters.") % {"limit": limit})
    return text or None


@transaction.atomic
def response_submit(
    *, invitation: Invitation, answers: dict[int, object], now: dt.datetime | None = None
) -> Response:
    """Save the participant's answers: the first submission creates the response, a later one
    edits it (never a second response). Refused once the survey has closed.

    `answers` maps question ids of the invitation's own survey to values; other ids are ignored.
    Raises ValidationError (a dict by question id) for missing required or invalid answers.
    """
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey__cohort")
        .get(pk=invitation.pk)
    )
    survey = invitation.survey
    if not survey.is_open(now):
        raise SurveyClosed(survey.pk)
    questions = list(survey.questions.all())
    cleaned, errors = {}, {}
    for question in questions:
        try:
            value = _clean_value(question, answers.get(question.pk))
        except ValidationError as error:
            errors[str(question.pk)] = error.messages
            continue
        if value is None and question.required:
            errors[str(question.pk)] = [_("Please answer this question.")]
        cleaned[question.pk] = value
    if errors:
        raise ValidationError(errors)

    response, created = Response.objects.get_or_create(
        invitation=invitation, defaults={"survey": survey, "submitted_at": now, "updated_at": now}
    )
    if not created:
        response.updated_at = now
        response.save(update_fields=["updated_at"])
    existing = {a.question_id: a for a in response.answers.all()}
    to_create, to_update, to_delete = [], [], []
    for question_id, value in cleaned.items():
        answer = existing.get(question_id)
        if value is None:
            if answer:
                to_delete.append(answer.pk)
        elif answer is None:
            to_create.append(Answer(response=response, question_id=question_id, value=value))
        elif answer.value != value:
            answer.value = value
            to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["value"])
    Answer.objects.filter(pk__in=to_delete).delete()
    if invitation.completed_at is None:
        invitation.completed_at = now
        invitation.save(update_fields=["completed_at"])
        # A reminder still waiting is no longer true.
        notifications_recheck(
            notifications=Notification.objects.filter(about__invitation=invitation.pk), now=now
        )
    return response
