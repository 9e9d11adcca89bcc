"""The one phrase for deadlines and timed events, in the program's zone and the reader's."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from accounts.timezones import person_zone, reader_zone_for, spoken_zone, when
from cohorts.timeline import end_of_day

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def deadline(day: dt.date) -> dt.datetime:
    return end_of_day(day, CHICAGO)


def test_the_phrase_of_the_issue():
    text = when(
        deadline(dt.date(2023, 9, 18)), zone="America/Chicago", reader_zone="America/Los_Angeles"
    )
    assert text == (
        "Monday, September 18, 2023, 11:59 p.m. Central Time (9:59 p.m. Pacific for you)"
    )


def test_a_reader_in_guam_gets_the_next_day_in_their_own_words():
    text = when(deadline(dt.date(2023, 9, 18)), zone=CHICAGO, reader_zone="Pacific/Guam")
    assert text == (
        "Monday, September 18, 2023, 11:59 p.m. Central Time "
        "(Tuesday, September 19, 2:59 p.m. Chamorro for you)"
    )
    assert "Pacific/Guam" not in text and "CDT" not in text


@pytest.mark.parametrize(
    ("day", "arizona", "london"),
    [
        # Both sides on summer time: Chicago is UTC-5, Arizona UTC-7, London UTC+1.
        (dt.date(2023, 10, 27), "9:59 p.m.", "Saturday, October 28, 5:59 a.m."),
        # London fell back on October 29, Chicago not yet: five hours apart, not six.
        (dt.date(2023, 11, 1), "9:59 p.m.", "Thursday, November 2, 4:59 a.m."),
        # Chicago fell back on Sunday, November 5 at 2 a.m.: that very evening is CST.
        (dt.date(2023, 11, 5), "10:59 p.m.", "Monday, November 6, 5:59 a.m."),
        (dt.date(2023, 11, 4), "9:59 p.m.", "Sunday, November 5, 4:59 a.m."),
    ],
)
def test_deadlines_in_two_zones_around_the_daylight_saving_change(day, arizona, london):
    instant = deadline(day)
    in_arizona = when(instant, zone=CHICAGO, reader_zone="America/Phoenix")
    assert in_arizona.endswith(f"11:59 p.m. Central Time ({arizona} Arizona for you)")
    in_london = when(instant, zone=CHICAGO, reader_zone="Europe/London")
    assert in_london.endswith(f"({london} London time for you)")


def test_no_second_time_when_the_reader_shares_the_clock():
    instant = deadline(dt.date(2023, 9, 18))
    plain = "Monday, September 18, 2023, 11:59 p.m. Central Time"
    assert when(instant, zone=CHICAGO) == plain
    assert when(instant, zone=CHICAGO, reader_zone="America/Chicago") == plain
    # Winnipeg keeps Chicago's clock: nothing to convert.
    assert when(instant, zone=CHICAGO, reader_zone="America/Winnipeg") == plain
    # An unknown or hostile zone name is ignored, never an error.
    assert when(instant, zone=CHICAGO, reader_zone="Mars/Olympus_Mons") == plain
    assert when(instant, zone=CHICAGO, reader_zone="../../etc/passwd") == plain


def test_a_whole_day_is_the_day_alone_and_none_is_empty():
    assert when(dt.date(2023, 11, 15), zone=CHICAGO) == "Wednesday, November 15, 2023"
    assert when(None, zone=CHICAGO) == ""


def test_a_new_year_in_the_readers_zone_carries_its_year():
    instant = deadline(dt.date(2023, 12, 31))
    assert when(instant, zone=CHICAGO, reader_zone="Pacific/Guam").endswith(
        "(Monday, January 1, 2024, 3:59 p.m. Chamorro for you)"
    )


def test_zone_names_as_people_say_them():
    assert spoken_zone("America/New_York") == "Eastern Time"
    assert spoken_zone("America/Puerto_Rico") == "Atlantic Time"
    assert spoken_zone("Pacific/Honolulu", short=True) == "Hawaii"
    assert spoken_zone("America/Argentina/Buenos_Aires") == "Buenos Aires time"


@pytest.mark.django_db
def test_the_readers_zone_comes_from_the_profile_then_the_browser():
    from tests.accounts.factories import UserFactory

    request = RequestFactory().get("/", headers={"cookie": "tz=Pacific/Guam"})
    request.user = UserFactory(time_zone="")
    assert reader_zone_for(request).key == "Pacific/Guam"
    request.user = UserFactory(time_zone="America/Denver")
    assert reader_zone_for(request).key == "America/Denver"
    request = RequestFactory().get("/", headers={"cookie": "tz=nonsense"})
    assert reader_zone_for(request) is None
    assert person_zone("", "bad", "America/Phoenix").key == "America/Phoenix"


def test_the_template_tag_reads_the_readers_zone_from_the_context():
    template = Template("{% load when %}{% when at zone %}")
    instant = deadline(dt.date(2023, 9, 18))
    text = template.render(
        Context({"at": instant, "zone": "America/Chicago", "reader_zone": "America/New_York"})
    )
    assert text.endswith("Central Time (Tuesday, September 19, 12:59 a.m. Eastern for you)")
