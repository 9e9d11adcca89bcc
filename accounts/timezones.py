"""Dates and times in the reader's own time, in one phrase everywhere.

A deadline or a timed event is written in the program's zone and, when the reader's clock shows
another time, in theirs too:

    Monday, September 18, 2023, 11:59 p.m. Central Time (10:59 p.m. Pacific for you)

Zones are named as people say them ("Central Time", "Chamorro Time", "London time"), never by
their IANA name or by an abbreviation that changes with daylight saving time. The reader's zone
comes from their profile, else from the browser (static/js/timezone.js sets the `tz` cookie);
without either, only the program's time is shown. Everything here is pure except
`reader_zone_for`, which reads the request.
"""

import datetime as dt
import functools
import zoneinfo

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

# The cookie static/js/timezone.js sets to the browser's IANA zone.
COOKIE = "tz"

# What Americans call the zones of the states and territories (and of the Canadian zones that
# share their clocks). A zone missing here is called after its city: "London time".
SPOKEN = {
    "America/New_York": "Eastern",
    "America/Detroit": "Eastern",
    "America/Indiana/Indianapolis": "Eastern",
    "America/Kentucky/Louisville": "Eastern",
    "America/Toronto": "Eastern",
    "US/Eastern": "Eastern",
    "America/Chicago": "Central",
    "America/Indiana/Knox": "Central",
    "America/Menominee": "Central",
    "America/North_Dakota/Center": "Central",
    "America/Winnipeg": "Central",
    "US/Central": "Central",
    "America/Denver": "Mountain",
    "America/Boise": "Mountain",
    "America/Edmonton": "Mountain",
    "US/Mountain": "Mountain",
    "America/Phoenix": "Arizona",
    "US/Arizona": "Arizona",
    "America/Los_Angeles": "Pacific",
    "America/Vancouver": "Pacific",
    "US/Pacific": "Pacific",
    "America/Anchorage": "Alaska",
    "America/Juneau": "Alaska",
    "America/Sitka": "Alaska",
    "America/Nome": "Alaska",
    "US/Alaska": "Alaska",
    "America/Adak": "Hawaii-Aleutian",
    "Pacific/Honolulu": "Hawaii",
    "US/Hawaii": "Hawaii",
    "America/Puerto_Rico": "Atlantic",
    "America/St_Thomas": "Atlantic",
    "America/Halifax": "Atlantic",
    "Pacific/Guam": "Chamorro",
    "Pacific/Saipan": "Chamorro",
    "Pacific/Pago_Pago": "Samoa",
    "US/Samoa": "Samoa",
}


def zone_from_name(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone named `name`, or None for an empty or unknown name (never raises)."""
    if not name or not isinstance(name, str) or len(name) > 64:
        return None
    if name not in _known_zones():
        return None
    return zoneinfo.ZoneInfo(name)


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone(value: zoneinfo.ZoneInfo | str | None) -> zoneinfo.ZoneInfo | None:
    if value is None or isinstance(value, zoneinfo.ZoneInfo):
        return value
    return zone_from_name(str(value))


def spoken_zone(zone: zoneinfo.ZoneInfo | str, *, short: bool = False) -> str:
    """ "Central Time" ("Central" when short); "London time" for a zone without a common name."""
    key = zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone)
    if key in SPOKEN:
        name = SPOKEN[key]
        return name if short else _("%(zone)s Time") % {"zone": name}
    if key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def _day(value: dt.date | dt.datetime, *, year: bool = True) -> str:
    return date_format(value, "l, F j, Y" if year else "l, F j")


def when(
    value: dt.datetime | dt.date | None,
    *,
    zone: zoneinfo.ZoneInfo | str,
    reader_zone: zoneinfo.ZoneInfo | str | None = None,
) -> str:
    """The one phrase for a deadline or a timed event.

    A datetime is written in `zone` (the program's) and, when the reader's clock shows another
    time at that instant, also in `reader_zone`, with the reader's day when it differs. A date
    (a whole day, such as a notification date) is the day alone. None gives "".
    """
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return _day(value)
    program_zone = _zone(zone) or zoneinfo.ZoneInfo("UTC")
    local = value.astimezone(program_zone)
    text = f"{_day(local)}, {time_format(local, 'P')} {spoken_zone(program_zone)}"
    reader = _zone(reader_zone)
    if reader is None or reader.key == program_zone.key:
        return text
    theirs = value.astimezone(reader)
    if theirs.replace(tzinfo=None) == local.replace(tzinfo=None):
        return text  # the same clock time: nothing to convert
    time = time_format(theirs, "P")
    if theirs.date() != local.date():
        time = f"{_day(theirs, year=theirs.year != local.year)}, {time}"
    return (
        text
        + " "
        + _("(%(time)s %(zone)s for you)")
        % {
            "time": time,
            "zone": spoken_zone(reader, short=True),
        }
    )


@functools.cache
def _zone_labels() -> dict[str, str]:
    from .models import time_zone_choices

    return {zone: str(label) for zone, label in time_zone_choices()}


def zone_label(name: str) -> str:
    """The zone as the time-zone menus name it: "Chamorro (Guam, Northern Mariana Islands)" for
    Pacific/Guam, "Europe/London" as "Europe/London" with spaces for underscores."""
    return _zone_labels().get(name, name.replace("_", " "))


def person_zone(*names: str | None) -> zoneinfo.ZoneInfo | None:
    """The first valid zone among `names` (an application's, then the profile's), else None."""
    for name in names:
        if zone := zone_from_name(name):
            return zone
    return None


def reader_zone_for(request) -> zoneinfo.ZoneInfo | None:
    """The reader's zone: their profile's, else their browser's (the `tz` cookie), else None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (zone := zone_from_name(user.time_zone)):
        return zone
    return zone_from_name(request.COOKIES.get(COOKIE))
