"""iCalendar feeds: a person's own dates, and a cohort's public timeline.

Timed events carry a TZID (the program's zone) and the calendar carries the matching VTIMEZONE,
so a calendar app shows each event at the right local time wherever the reader lives. Days
without a time are all-day events (DTEND is the day after the last day, as RFC 5545 says).
"""

import datetime as dt
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from cohorts.models import Cohort
from matching.models import Pairing

from . import selectors

PRODID = "-//Mentoring programs//My mentoring//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None  # the last day (inclusive) for all-day events
    description: str = ""
    url: str = ""
    # Timed events only; zero means a point in time (a deadline) and writes no DURATION.
    duration: dt.timedelta = dt.timedelta(hours=1)

    @property
    def is_timed(self) -> bool:
        return isinstance(self.start, dt.datetime)


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "mentoring"


def _uid(*parts) -> str:
    return "-".join(str(p) for p in parts) + "@" + _domain()


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _application_events(cohort: Cohort, prefix: str, url: str) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=_uid("cohort", cohort.pk, "deadline"),
            summary=_("%(cohort)s: application deadline") % {"cohort": prefix},
            start=dt.datetime.combine(cohort.applications_close, dt.time(23, 59), cohort.tz),
            description=_("Applications are accepted until 11:59 p.m. %(zone)s time.")
            % {"zone": cohort.program.time_zone},
            url=url,
            duration=dt.timedelta(0),
        ),
        CalendarEvent(
            uid=_uid("cohort", cohort.pk, "notification"),
            summary=_("%(cohort)s: pairings announced") % {"cohort": prefix},
            start=cohort.pairings_notified,
            description=_("Mentors and mentees are notified of their pairings by this day."),
            url=url,
        ),
    ]


def _orientation_event(cohort: Cohort, prefix: str, url: str) -> CalendarEvent:
    details = [cohort.orientation_details]
    if cohort.orientation_link:
        details.append(_("Join: %(link)s") % {"link": cohort.orientation_link})
    required = cohort.orientation_required
    details.append(_("Attendance is required.") if required else _("Attendance is optional."))
    return CalendarEvent(
        uid=_uid("cohort", cohort.pk, "orientation"),
        summary=_("%(cohort)s: virtual orientation") % {"cohort": prefix},
        start=cohort.orientation_starts_at if cohort.orientation_time else cohort.orientation_date,
        end=None if cohort.orientation_time else cohort.orientation_end_date,
        description="\n".join(d for d in details if d),
        url=cohort.orientation_link or url,
    )


def _milestone_events(
    cohort: Cohort, prefix: str, url: str, *, is_mentor: bool, is_mentee: bool
) -> list[CalendarEvent]:
    events = []
    for milestone in cohort.milestones.all():
        if not selectors.milestone_concerns(milestone, is_mentor=is_mentor, is_mentee=is_mentee):
            continue
        description = [milestone.description]
        if milestone.link:
            description.append(_("Join: %(link)s") % {"link": milestone.link})
        events.append(
            CalendarEvent(
                uid=_uid("milestone", milestone.pk),
                summary=f"{prefix}: {milestone.title}",
                start=milestone.starts_at or milestone.date,
                end=None if milestone.time else milestone.end_date,
                description="\n".join(d for d in description if d),
                url=milestone.link or url,
            )
        )
    return events


def _goal_sheet_event(cohort: Cohort, prefix: str, url: str) -> CalendarEvent | None:
    goal_sheet = selectors.cohort_goal_sheet_due(cohort)
    if not goal_sheet:
        return None
    return CalendarEvent(
        uid=_uid("cohort", cohort.pk, "goal-sheet"),
        summary=_("%(cohort)s: goal sheet due") % {"cohort": prefix},
        start=goal_sheet,
        description=_("Each pair sends its 1 to 3 SMART goals within %(days)d days of the match.")
        % {"days": cohort.program.goal_sheet_due_days},
        url=url,
    )


def cohort_events(
    cohort: Cohort,
    *,
    participant: bool = True,
    is_mentor: bool = True,
    is_mentee: bool = True,
    include_goal_sheet: bool = True,
) -> list[CalendarEvent]:
    """The dated steps of a cohort as events.

    `participant=False` gives an applicant's view (the deadline and the notification only).
    The audience flags drop milestones meant for the other role.
    """
    url = _absolute(cohort.get_absolute_url())
    prefix = f"{cohort.program.short_name} {cohort.name}"
    events = _application_events(cohort, prefix, url)
    if not participant:
        return events
    if cohort.orientation_date:
        events.append(_orientation_event(cohort, prefix, url))
    events.append(
        CalendarEvent(
            uid=_uid("cohort", cohort.pk, "starts"),
            summary=_("%(cohort)s: formal mentoring begins") % {"cohort": prefix},
            start=cohort.mentoring_starts,
            url=url,
        )
    )
    events += _milestone_events(cohort, prefix, url, is_mentor=is_mentor, is_mentee=is_mentee)
    goal_sheet = _goal_sheet_event(cohort, prefix, url) if include_goal_sheet else None
    if goal_sheet:
        events.append(goal_sheet)
    events += [
        CalendarEvent(
            uid=_uid("cohort", cohort.pk, "ends"),
            summary=_("%(cohort)s: formal mentoring ends") % {"cohort": prefix},
            start=cohort.mentoring_ends,
            url=url,
        ),
        CalendarEvent(
            uid=_uid("cohort", cohort.pk, "survey"),
            summary=_("%(cohort)s: assessment survey closes") % {"cohort": prefix},
            start=cohort.assessment_closes,
            description=_("Mentors and mentees share their feedback on the program."),
            url=url,
        ),
    ]
    return events


def person_events(user) -> list[CalendarEvent]:
    """Every date that concerns the person, across all their live applications."""
    pairings: dict[int, list[Pairing]] = {}
    for pairing in selectors.pairings_for_user(user).select_related(
        "cohort__program", "mentor", "mentee"
    ):
        pairings.setdefault(pairing.cohort_id, []).append(pairing)
    my_mentoring = _absolute(reverse("participants:home"))
    events = []
    for application in selectors.calendar_applications(user):
        cohort = application.cohort
        mine = pairings.get(cohort.pk, [])
        participant = application.status == Application.Status.ACCEPTED or bool(mine)
        events.extend(
            cohort_events(
                cohort,
                participant=participant,
                is_mentor=application.is_mentor,
                is_mentee=application.is_mentee,
                include_goal_sheet=not mine,
            )
        )
        for pairing in mine:
            due = selectors.goal_sheet_due(pairing)
            if due is None:
                continue
            partner = pairing.mentee if pairing.mentor_id == application.pk else pairing.mentor
            events.append(
                CalendarEvent(
                    uid=_uid("pairing", pairing.pk, "goal-sheet"),
                    summary=_("%(program)s: goal sheet due (with %(partner)s)")
                    % {"program": cohort.program.short_name, "partner": partner.full_name},
                    start=due,
                    description=_("Send your 1 to 3 SMART goals from My mentoring."),
                    url=my_mentoring,
                )
            )
    return events


def build_calendar(events: list[CalendarEvent], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = timezone.now().astimezone(dt.UTC)
    for item in sorted(events, key=lambda e: (_sort_key(e.start), e.uid)):
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        if item.is_timed:
            if item.duration:
                event.add("duration", item.duration)
        else:
            event.add("dtend", (item.end or item.start) + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _sort_key(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.min)
