"""When the participants app's reminders are still true (see notifications.conditions).

- An orientation reminder, and "the orientation has changed", hold while the person is still
  accepted and the orientation still starts at the time, and joins at the link, the email
  names, in the future.
- "New dates for your mentoring" holds while the person is accepted, formal mentoring has not
  ended and its dates are the ones the email gives.
- A goal-sheet reminder holds while the pairing is still under way (announced or active) and
  has no goals yet.
- A pulse check ("How is your mentoring going?") holds while it can still be answered: not
  answered yet (My mentoring offers it too) and its pair still under way.
- A nudge from the committee ("time to check in") holds while the pair is still under way.
- A low-score alert ("a participant answered 2 of 5") holds while its recipient still looks
  after the pair: its liaison while on the committee, else the chairs (participants.health.pulse
  .alert_recipients). The services that change who that is send it to them instead.
- A problem report's email holds while its recipient still reads the program's reports: a
  chair or staff liaison (or the contact address while the program has none).
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from applications.models import Application
from matching.models import Pairing
from notifications.conditions import about_id, key_ids

from .health.models import PulseCheck
from .health.pulse import alert_recipients, pulse_alert_pulse_id
from .health.selectors import UNDER_CARE
from .models import Goal, ProblemReport
from .services import chair_recipients, problem_report_id


def _ids(notifications, name: str) -> set[int]:
    return {n.about[name] for n in notifications if n.about.get(name) is not None}


def _applications(notifications) -> dict[int, Application]:
    return Application.objects.select_related("cohort__program").in_bulk(
        _ids(notifications, "application")
    )


def orientation_reminder_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    applications = _applications(notifications)
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        starts = application.cohort.orientation_starts_at if application else None
        if application is None:
            reasons[notification.pk] = _("The application no longer exists.")
        elif application.status != Application.Status.ACCEPTED:
            reasons[notification.pk] = _("The person is no longer an accepted participant.")
        elif starts is None or notification.about.get("orientation") != starts.isoformat():
            reasons[notification.pk] = _("The orientation moved.")
        elif notification.about.get("link", application.cohort.orientation_link) != (
            application.cohort.orientation_link
        ):
            reasons[notification.pk] = _("The orientation's link changed.")
        elif now >= starts:
            reasons[notification.pk] = _("The orientation has started.")
    return reasons


def mentoring_dates_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    applications = _applications(notifications)
    reasons = {}
    for notification in notifications:
        application = applications.get(notification.about.get("application"))
        if application is None or application.status != Application.Status.ACCEPTED:
            reasons[notification.pk] = _("The person is no longer an accepted participant.")
            continue
        cohort, about = application.cohort, notification.about
        if (about.get("mentoring_starts"), about.get("mentoring_ends")) != (
            cohort.mentoring_starts.isoformat(),
            cohort.mentoring_ends.isoformat(),
        ):
            reasons[notification.pk] = _("The mentoring dates changed again.")
        elif cohort.mentoring_ends < now.astimezone(cohort.tz).date():
            reasons[notification.pk] = _("Formal mentoring has ended.")
    return reasons


def goal_sheet_reminder_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    ids = _ids(notifications, "pairing")
    pairings = Pairing.objects.in_bulk(ids)
    with_goals = set(Goal.objects.filter(pairing_id__in=ids).values_list("pairing_id", flat=True))
    reasons = {}
    for notification in notifications:
        pairing = pairings.get(notification.about.get("pairing"))
        if pairing is None or pairing.status not in (
            Pairing.Status.ANNOUNCED,
            Pairing.Status.ACTIVE,
        ):
            reasons[notification.pk] = _("The pairing is no longer under way.")
        elif pairing.pk in with_goals:
            reasons[notification.pk] = _("The pair has set its goals.")
    return reasons


def pulse_check_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    def identity(n) -> int | tuple:
        return n.about.get("pulse") or key_ids(n, 3)

    wanted = {identity(n) for n in notifications}
    ids = {w for w in wanted if isinstance(w, int)}
    pairings = {w[0] for w in wanted if isinstance(w, tuple) and len(w) == 3}
    found = {}
    for pulse in PulseCheck.objects.filter(
        Q(pk__in=ids) | Q(pairing_id__in=pairings)
    ).select_related("pairing"):
        found[pulse.pk] = found[(pulse.pairing_id, pulse.application_id, pulse.offset_days)] = pulse
    reasons = {}
    for n in notifications:
        pulse = found.get(identity(n))
        if pulse is None:
            reasons[n.pk] = _("The pulse check no longer exists.")
        elif pulse.answered_at is not None:
            reasons[n.pk] = _("The participant has answered it already.")
        elif pulse.pairing.status not in UNDER_CARE:
            reasons[n.pk] = _("The pairing is no longer under way.")
    return reasons


def pair_nudge_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    def pairing_id(n) -> int | None:
        return about_id(n, "pairing")

    pairings = Pairing.objects.in_bulk({pairing_id(n) for n in notifications} - {None})
    return {
        n.pk: _("The pairing is no longer under way.")
        for n in notifications
        if getattr(pairings.get(pairing_id(n)), "status", None) not in UNDER_CARE
    }


def pulse_alert_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    pulses = PulseCheck.objects.select_related("pairing__cohort__program").in_bulk(
        {pulse_alert_pulse_id(n) for n in notifications} - {None}
    )
    pairings = {pulse.pairing_id: pulse.pairing for pulse in pulses.values()}
    carers = alert_recipients(pairings.values())
    reasons = {}
    for n in notifications:
        pulse = pulses.get(pulse_alert_pulse_id(n))
        if pulse is None:
            reasons[n.pk] = _("The pulse check no longer exists.")
            continue
        recipients, _as_liaison = carers[pulse.pairing_id]
        if n.recipient.lower() not in {address.lower() for address, _user in recipients}:
            reasons[n.pk] = _("Someone else looks after the pair now.")
    return reasons


def problem_report_holds(notifications, *, now: dt.datetime) -> dict[int, str]:
    reports = ProblemReport.objects.select_related("pairing__cohort__program").in_bulk(
        {problem_report_id(n) for n in notifications} - {None}
    )
    readers: dict[int, set[str]] = {}
    reasons = {}
    for n in notifications:
        report = reports.get(problem_report_id(n))
        if report is None:
            reasons[n.pk] = _("The report no longer exists.")
            continue
        program = report.pairing.cohort.program
        if program.pk not in readers:
            readers[program.pk] = {a.lower() for a, _user in chair_recipients(program)}
        if n.recipient.lower() not in readers[program.pk]:
            reasons[n.pk] = _("The recipient no longer reads the program's problem reports.")
    return reasons


CONDITIONS = {
    "orientation_reminder": orientation_reminder_holds,
    "orientation_changed": orientation_reminder_holds,
    "mentoring_dates_changed": mentoring_dates_holds,
    "goal_sheet_reminder": goal_sheet_reminder_holds,
    "pulse_check": pulse_check_holds,
    "pair_nudge": pair_nudge_holds,
    "pulse_alert": pulse_alert_holds,
    "problem_report": problem_report_holds,
}
