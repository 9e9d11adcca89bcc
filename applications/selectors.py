import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.timezones import when
from cohorts.models import Cohort

from . import eligibility, fields
from .models import Application


def cohort_for_apply(*, program_slug: str, cohort_slug: str) -> Cohort:
    """The cohort, its program, and whether it took its copy of the questions (the
    questionnaire, joined: the form's every request asks)."""
    return get_object_or_404(
        Cohort.objects.select_related("program", "questionnaire"),
        program__slug=program_slug,
        slug=cohort_slug,
    )


def application_to(*, cohort: Cohort, user: User) -> Application | None:
    """The person's own application to `cohort`, if they started one."""
    return Application.objects.filter(cohort=cohort, applicant=user).first()


def applications_of(*, user: User) -> QuerySet[Application]:
    """The person's own applications, newest cohort first. Nobody else's, ever."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__program")
        .order_by("-cohort__applications_open", "-pk")
    )


def own_application(*, user: User, pk: int) -> Application:
    """404 for a missing application and for somebody else's alike."""
    return get_object_or_404(applications_of(user=user), pk=pk)


def prefill_for(*, user: User) -> dict:
    """Profile answers for a new application: from the person's last application, else profile."""
    last = Application.objects.filter(applicant=user).order_by("-updated_at", "-pk").first()
    if last is not None:
        initial = {name: getattr(last, name) for name in fields.CARRIED_FORWARD_FIELDS}
    else:
        initial = {name: getattr(user, name) for name in fields.PROFILE_FIELDS}
    initial = {name: value for name, value in initial.items() if value}
    initial.setdefault("email", user.email)
    return initial


def _day(value: dt.date) -> str:
    return date_format(value, "F j, Y")


def status_help(
    application: Application, now: dt.datetime | None = None, *, reader_zone=None
) -> str:
    """The status in plain words and what happens next, for the applicant (deadlines in the
    program's time and, when it differs, in `reader_zone`)."""
    now = now or timezone.now()
    cohort = application.cohort
    Status = Application.Status
    accepting = cohort.is_accepting_applications(now)
    deadline = when(cohort.application_deadline, zone=cohort.tz, reader_zone=reader_zone)
    notified = _day(cohort.pairings_notified)
    status = application.status
    if status == Status.DRAFT:
        if accepting:
            return _(
                "Not submitted yet. Finish it and submit it by %(deadline)s; until then only you "
                "can see it."
            ) % {"deadline": deadline}
        if now < cohort.applications_open_at:
            return _("Saved as a draft. Applications open on %(date)s.") % {
                "date": _day(cohort.applications_open)
            }
        return _(
            "The deadline (%(deadline)s) passed before this draft was submitted, so the committee "
            "will not consider it. Your answers are kept for your next application."
        ) % {"deadline": deadline}
    if status == Status.SUBMITTED:
        text = _(
            "Received. The committee reviews applications after the deadline (%(deadline)s) and "
            "tells everyone the outcome by %(notified)s."
        ) % {"deadline": deadline, "notified": notified}
        if accepting:
            text += " " + _("You can change your answers until the deadline.")
    elif status == Status.UNDER_REVIEW:
        text = _("The committee is reviewing your application. You will hear by %(notified)s.") % {
            "notified": notified
        }
    elif status == Status.ACCEPTED:
        text = _(
            "Accepted. You will learn who you are paired with by %(notified)s; formal mentoring "
            "starts %(starts)s."
        ) % {"notified": notified, "starts": _day(cohort.mentoring_starts)}
        if cohort.orientation_date and cohort.orientation_required:
            text += " " + _("Please attend the virtual orientation on %(date)s.") % {
                "date": _day(cohort.orientation_date)
            }
    elif status == Status.WAITLISTED:
        text = _(
            "On the waiting list. If a place opens, the committee will write to you; otherwise "
            "you are welcome to apply to the next cohort."
        )
    elif status == Status.DECLINED:
        text = _(
            "We could not find you a match in this cycle. Thank you for applying; you are welcome "
            "to apply to the next cohort."
        )
    elif status == Status.INELIGIBLE:
        text = _(
            "This application does not meet the program's eligibility rules. If you think this "
            "is a mistake, write to %(contact)s."
        ) % {"contact": cohort.program.contact_email or _("the committee")}
    else:  # withdrawn
        text = _("You withdrew this application.")
        if accepting:
            text += " " + _("You can apply again until %(deadline)s.") % {"deadline": deadline}
    if eligibility.needs_staff_review(application) and status not in (
        Status.WITHDRAWN,
        Status.DECLINED,
        Status.INELIGIBLE,
    ):
        text += " " + _("Association staff are reviewing your request for funded membership.")
    return text


def unconfirmed_members_at_start(*, cohort: Cohort) -> list[Application]:
    """Accepted participants whose membership staff have not confirmed by the start date."""
    start = cohort.mentoring_starts
    confirmed_in_time = dt.datetime.combine(start, dt.time.max, tzinfo=cohort.tz)
    return list(
        Application.objects.filter(cohort=cohort, status=Application.Status.ACCEPTED)
        .exclude(membership_confirmed_at__lte=confirmed_in_time)
        .order_by("full_name", "pk")
    )
