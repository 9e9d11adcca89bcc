"""My mentoring's "What's next": the few things a participant should do now, each with its date
and its link, built from what participations_for_user already loaded (no query of its own).

An item appears while it is to be done and disappears once it is: a survey until it is answered,
the goal sheet until the pair has a goal, the orientation and the networking session until they
are over (with the attendance once the committee records it), a check-in when the pair has not
met for CHECK_IN_AFTER_DAYS.

The committee's mid-program pulse check shows until it is answered (or its pair no longer
meets).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.models import Milestone
from cohorts.timeline import Phase, end_of_day, start_of_day

from .selectors import PairingView, Participation

# A pair that has not logged a meeting for this many days is asked to check in.
CHECK_IN_AFTER_DAYS = 30
# Events of the committee's own kinds (check-ins) show this many days ahead; networking always.
EVENT_HORIZON_DAYS = 21
# Phases in which the pair works together and should meet.
MEETING_PHASES = (Phase.ORIENTATION, Phase.IN_PROGRESS)


@dataclass
class TodoItem:
    key: str
    text: str
    due: (
        dt.datetime | dt.date | None
    )  # shown with {% when %} in the program's and the reader's zone
    zone: zoneinfo.ZoneInfo  # the program's
    reader_zone: zoneinfo.ZoneInfo | None  # the person's
    url: str = ""
    link_text: str = ""
    overdue: bool = False
    status: str = ""  # e.g. "Attendance recorded"
    program_name: str = ""

    @property
    def sort_key(self) -> tuple:
        due = self.due
        if isinstance(due, dt.datetime):
            moment = due
        elif isinstance(due, dt.date):
            moment = end_of_day(due, self.zone)
        else:
            moment = dt.datetime.max.replace(tzinfo=dt.UTC)
        return (not self.overdue, moment, self.key)


def _attendance_text(attendance) -> str:
    if attendance is None:
        return ""
    return _("Attendance recorded") if attendance.attended else _("Recorded as absent")


def _surveys(p: Participation) -> list[TodoItem]:
    return [
        TodoItem(
            key=f"survey-{invitation.pk}",
            text=_("Answer the %(survey)s.") % {"survey": invitation.survey.title},
            due=invitation.survey.closes_at,
            zone=p.cohort.tz,
            reader_zone=p.tz,
            url=invitation.get_absolute_url(),
            link_text=_("Open the survey"),
        )
        for invitation in p.surveys
        if not invitation.completed_at
    ]


def _goal_sheet(p: Participation, pv: PairingView, today: dt.date) -> TodoItem | None:
    if pv.goals or pv.goal_sheet_due is None or p.phase not in MEETING_PHASES:
        return None
    return TodoItem(
        key=f"goal-sheet-{pv.pairing.pk}",
        text=_("Set 1 to 3 SMART goals with your %(partner)s: your goal sheet is due.")
        % {"partner": pv.partner_role},
        due=pv.goal_sheet_due,
        zone=p.cohort.tz,
        reader_zone=p.tz,
        url=reverse("participants:goal_create", args=[pv.pairing.pk]),
        link_text=_("Start the goal sheet"),
        overdue=pv.goal_sheet_due < today,
    )


def _orientation(p: Participation, today: dt.date) -> TodoItem | None:
    cohort = p.cohort
    if (
        not cohort.orientation_date
        or (cohort.orientation_end_date or cohort.orientation_date) < today
    ):
        return None
    text = (
        _("Attend the virtual orientation (attendance is required).")
        if cohort.orientation_required
        else _("Attend the virtual orientation.")
    )
    return TodoItem(
        key=f"orientation-{cohort.pk}",
        text=text,
        due=cohort.orientation_starts_at if cohort.orientation_time else cohort.orientation_date,
        zone=cohort.tz,
        reader_zone=p.tz,
        url=cohort.orientation_link,
        link_text=_("Orientation link") if cohort.orientation_link else "",
        status=_attendance_text(p.orientation_attendance),
    )


def _events(p: Participation, today: dt.date) -> list[TodoItem]:
    items = []
    for view in p.milestones:
        milestone = view.milestone
        last_day = milestone.end_date or milestone.date
        if last_day < today or milestone.kind == Milestone.Kind.GOAL_SHEET:
            continue
        if milestone.kind == Milestone.Kind.NETWORKING:
            text = _("Join the %(event)s.") % {"event": milestone.title}
        elif (milestone.date - today).days <= EVENT_HORIZON_DAYS:
            text = _("Coming up: %(event)s.") % {"event": milestone.title}
        else:
            continue
        items.append(
            TodoItem(
                key=f"milestone-{milestone.pk}",
                text=text,
                due=milestone.starts_at or milestone.date,
                zone=p.cohort.tz,
                reader_zone=p.tz,
                url=milestone.link,
                link_text=_("Event link") if milestone.link else "",
                status=_attendance_text(view.attendance),
            )
        )
    return items


def _check_in(p: Participation, pv: PairingView, today: dt.date) -> TodoItem | None:
    if p.phase not in MEETING_PHASES or pv.partner_left:
        return None
    announced = pv.pairing.announced_at
    since = pv.last_contact or (announced.astimezone(p.cohort.tz).date() if announced else None)
    if since is None:
        return None
    days = (today - since).days
    if days < CHECK_IN_AFTER_DAYS:
        return None
    if pv.last_contact:
        text = ngettext(
            "Meet your %(partner)s: your last check-in was %(days)d day ago.",
            "Meet your %(partner)s: your last check-in was %(days)d days ago.",
            days,
        ) % {"partner": pv.partner_role, "days": days}
    else:
        text = _("Meet your %(partner)s: no check-in is logged yet.") % {"partner": pv.partner_role}
    return TodoItem(
        key=f"check-in-{pv.pairing.pk}",
        text=text,
        due=None,
        zone=p.cohort.tz,
        reader_zone=p.tz,
        url=reverse("participants:check_in_create", args=[pv.pairing.pk]),
        link_text=_("Record a meeting"),
    )


def _pulse_check(p: Participation, pv: PairingView) -> TodoItem | None:
    pulse = pv.open_pulse_check
    if pulse is None or p.phase not in MEETING_PHASES:
        return None
    return TodoItem(
        key=f"pulse-{pulse.pk}",
        text=_("Tell the committee how your mentoring is going: one question, one minute."),
        due=None,
        zone=p.cohort.tz,
        reader_zone=p.tz,
        url=pulse.get_absolute_url(),
        link_text=_("Answer the pulse check"),
    )


def todo_items(*, user, participations: list[Participation], now: dt.datetime) -> list[TodoItem]:
    """What the person should do next, overdue first, then by date."""
    items: list[TodoItem] = []
    for p in participations:
        today = now.astimezone(p.cohort.tz).date()
        if now > end_of_day(p.cohort.assessment_closes, p.cohort.tz):
            continue
        items += _surveys(p)
        if now >= start_of_day(p.cohort.pairings_notified, p.cohort.tz) or p.pairings:
            items += [item for item in [_orientation(p, today)] if item]
        items += _events(p, today)
        for pv in p.pairings:
            candidates = (_goal_sheet(p, pv, today), _check_in(p, pv, today), _pulse_check(p, pv))
            items += [item for item in candidates if item]
        for item in items:
            item.program_name = item.program_name or p.program.short_name
    return sorted(items, key=lambda item: item.sort_key)
