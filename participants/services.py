"""Every change a participant or the committee makes to a pair's goals, check-ins, problem
reports, attendance and calendar feed. Views, forms and admin actions call these."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts.models import CommitteeMembership, Milestone
from matching.models import Pairing
from notifications.conditions import about_id
from notifications.models import Notification
from notifications.services import (
    notification_create,
    notifications_recheck,
    notifications_recheck_withdrawn,
)

from .models import Attendance, CalendarFeed, CheckIn, Goal, GoalProgressNote, ProblemReport


def is_partner(pairing: Pairing, user) -> bool:
    return user.is_authenticated and user.pk in (
        pairing.mentor.applicant_id,
        pairing.mentee.applicant_id,
    )


def _require_partner(pairing: Pairing, user) -> None:
    """Only the two partners of an announced pairing write to it."""
    if not pairing.is_visible_to_partners or not is_partner(pairing, user):
        raise PermissionDenied


def _not_in_future(day: dt.date, *, field: str, tz) -> None:
    # A day ahead of the program's "today" is allowed: the partner may live further east.
    if day > timezone.now().astimezone(tz).date() + dt.timedelta(days=1):
        raise ValidationError({field: _("This date is in the future.")})


@transaction.atomic
def goal_create(*, pairing: Pairing, created_by, **fields) -> Goal:
    """Add a SMART goal. At most Goal.MAX_PER_PAIRING per pairing, counted under a row lock on
    the pairing so two partners saving at once cannot make a fourth."""
    _require_partner(pairing, created_by)
    Pairing.objects.select_for_update().only("pk").get(pk=pairing.pk)
    if Goal.objects.filter(pairing=pairing).count() >= Goal.MAX_PER_PAIRING:
        raise ValidationError(
            _("A pair sets at most %(max)d goals. Edit or set aside one of yours instead."),
            code="too_many_goals",
            params={"max": Goal.MAX_PER_PAIRING},
        )
    unknown = set(fields) - set(Goal.EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown goal fields: {sorted(unknown)}")
    goal = Goal(pairing=pairing, created_by=created_by, **fields)
    goal.full_clean()
    goal.save()
    # A goal-sheet reminder still waiting is no longer true.
    notifications_recheck(
        notifications=Notification.objects.filter(
            kind="goal_sheet_reminder", about__pairing=pairing.pk
        )
    )
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, updated_by, **fields) -> Goal:
    goal = (
        # The goal and its pairing (a partner's edit waits for a dissolution in progress, then
        # sees it); the two applications are read, not locked.
        Goal.objects.select_for_update(of=("self", "pairing"))
        .select_related("pairing__mentor", "pairing__mentee")
        .get(pk=goal.pk)
    )
    _require_partner(goal.pairing, updated_by)
    for name, value in fields.items():
        if name not in Goal.EDITABLE_FIELDS:
            raise TypeError(f"Unknown goal field: {name}")
        setattr(goal, name, value)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_progress_note_create(*, goal: Goal, author, date: dt.date, note: str) -> GoalProgressNote:
    pairing = goal.pairing
    _require_partner(pairing, author)
    _not_in_future(date, field="date", tz=pairing.cohort.tz)
    progress = GoalProgressNote(goal=goal, author=author, date=date, note=note)
    progress.full_clean()
    progress.save()
    return progress


@transaction.atomic
def check_in_create(
    *, pairing: Pairing, logged_by, date: dt.date, mode: str, notes: str = ""
) -> CheckIn:
    _require_partner(pairing, logged_by)
    _not_in_future(date, field="date", tz=pairing.cohort.tz)
    check_in = CheckIn(pairing=pairing, logged_by=logged_by, date=date, mode=mode, notes=notes)
    check_in.full_clean()
    check_in.save()
    return check_in


def program_chairs(program):
    """Who hears of a problem: the program's chairs and staff liaisons."""
    return [
        m.user
        for m in CommitteeMembership.objects.filter(
            program=program,
            role__in=CommitteeMembership.APPROVING_ROLES,
            user__is_active=True,
        ).select_related("user")
    ]


def chair_recipients(program) -> list[tuple[str, object]]:
    """Who the committee's confidential emails go to (a problem report, a low score in a pair
    without a liaison): the program's chairs and staff liaisons, else, with none on file, the
    program's contact address. (address, user or None) pairs."""
    recipients = [(chair.email, chair) for chair in program_chairs(program)]
    if not recipients and program.contact_email:
        recipients = [(program.contact_email, None)]
    return recipients


def problem_report_notify(report: ProblemReport) -> int:
    """Email the report to each of its program's recipients now, once per address (keyed
    `problem-report:<report>:<address>`): run when it is made, and again when the committee
    changes before the emails went out (problem_reports_readdress). Returns how many it wrote."""
    pairing = report.pairing
    program = pairing.cohort.program
    context = {
        "program_name": program.name,
        "report": report,
        "pairing": pairing,
        "cohort": pairing.cohort,
        "reporter": (
            pairing.mentor
            if pairing.mentor.applicant_id == report.reported_by_id
            else pairing.mentee
        ),
    }
    created = 0
    for address, user in chair_recipients(program):
        _notification, was_created = notification_create(
            key=f"problem-report:{report.pk}:{address.lower()}",
            reissue=True,  # a chair who left, whose copy was withdrawn, and came back
            kind="problem_report",
            to=address,
            template="participants/emails/problem_report",
            context=context,
            user=user,
            cohort=pairing.cohort,
            about={"report": report.pk},
        )
        created += was_created
    return created


def problem_report_id(notification: Notification) -> int | None:
    """The report an email is about (problem-report:<report>:<address> before `about` named it)."""
    return about_id(notification, "report")


def problem_reports_readdress(*, program, changed_by=None) -> int:
    """COMMITTEE_CHANGED_HOOKS: the program's unsent problem-report emails whose recipient no
    longer reads reports (a chair who left the committee or became a member) are withdrawn,
    and whoever reads them now gets the report. Run in the transaction of the committee's
    change. Returns how many were withdrawn."""
    withdrawn = notifications_recheck_withdrawn(
        notifications=Notification.objects.filter(kind="problem_report", cohort__program=program)
    )
    reports = {problem_report_id(n) for n in withdrawn} - {None}
    for report in ProblemReport.objects.filter(pk__in=reports).select_related(
        "pairing__cohort__program", "pairing__mentor", "pairing__mentee"
    ):
        problem_report_notify(report)
    return len(withdrawn)


@transaction.atomic
def problem_report_create(*, pairing: Pairing, reported_by, message: str) -> ProblemReport:
    """Flag a problem privately: the chairs are emailed; the partner is told nothing.

    With no chair on file the program's contact address gets the message instead.
    """
    _require_partner(pairing, reported_by)
    message = message.strip()
    if not message:
        raise ValidationError({"message": _("Tell the committee what is wrong.")})
    report = ProblemReport(pairing=pairing, reported_by=reported_by, message=message)
    report.full_clean()  # the message is bounded (NOTE_LIMIT) before anyone is emailed
    report.save()
    problem_report_notify(report)
    return report


@transaction.atomic
def problem_report_note(*, report: ProblemReport, committee_notes: str, by) -> ProblemReport:
    """The committee's own notes on a report (never shown to either partner)."""
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    report.committee_notes = committee_notes
    report.full_clean()
    report.save(update_fields=["committee_notes"])
    return report


@transaction.atomic
def problem_report_resolve(*, report: ProblemReport, resolved_by) -> ProblemReport:
    report = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = resolved_by
        report.save(update_fields=["resolved_at", "resolved_by"])
    return report


def attendance_check(*, application: Application, milestone: Milestone | None) -> None:
    """Refuse attendance at an event of another cohort, or at an orientation that is not held."""
    if milestone is not None and milestone.cohort_id != application.cohort_id:
        raise ValidationError(
            {"milestone": _("This event belongs to another cohort than the participant.")}
        )
    if milestone is None and not application.cohort.orientation_date:
        raise ValidationError({"milestone": _("This cohort has no orientation.")})


@transaction.atomic
def attendance_record(
    *, application: Application, milestone: Milestone | None = None, attended: bool, recorded_by
) -> Attendance:
    """Record (or correct) whether a participant attended the orientation or an event."""
    attendance_check(application=application, milestone=milestone)
    attendance, _created = Attendance.objects.update_or_create(
        application=application,
        milestone=milestone,
        defaults={"attended": attended, "recorded_by": recorded_by},
    )
    return attendance


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_active(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def calendar_feed_create(*, user) -> CalendarFeed:
    """The person's active feed, created if there is none. Idempotent."""
    existing = (
        CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    )
    if existing:
        return existing
    return CalendarFeed.objects.create(user=user, token=_new_token())


@transaction.atomic
def calendar_feeds_revoke(*, feeds) -> int:
    """Turn off the given calendar addresses (a leaked one, say); they answer 404 from now on."""
    return feeds.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def calendar_feed_revoke(*, user) -> int:
    """Revoke the person's feed: its address answers 404 from now on."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working."""
    calendar_feed_revoke(user=user)
    return CalendarFeed.objects.create(user=user, token=_new_token())
