"""The text emails' `date` filter (notifications/templatetags/email_dates.py): Django's output,
each day formatted once."""

import datetime as dt
import zoneinfo
from unittest import mock

from django.template import defaultfilters, engines
from django.utils import timezone

from notifications.templatetags import email_dates


def _text(source: str, **context) -> str:
    return engines["text"].from_string(source).render(context)


def test_it_prints_what_djangos_filter_prints():
    day = dt.date(2025, 12, 1)
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    moment = dt.datetime(2025, 12, 1, 3, 30, tzinfo=dt.UTC)
    page = engines["django"].from_string  # Django's own filter
    source = '{{ day|date:"l, F j, Y" }}|{{ moment|date:"F j, Y, P" }}|{{ day|date }}'
    with timezone.override(chicago):
        expected = page(source).render({"day": day, "moment": moment})
        assert _text(source, day=day, moment=moment) == expected
    assert expected.startswith("Monday, December 1, 2025|November 30, 2025, 9:30 p.m.|")


def test_a_day_is_formatted_once_in_a_given_format():
    email_dates._day.cache_clear()
    real = defaultfilters.date
    with mock.patch.object(defaultfilters, "date", side_effect=real) as formatted:
        for _ in range(3):
            assert _text('{{ d|date:"F j, Y" }}', d=dt.date(2026, 6, 30)) == "June 30, 2026"
    assert formatted.call_count == 1


def test_named_formats_and_moments_are_left_to_djangos_filter():
    email_dates._day.cache_clear()
    real = defaultfilters.date
    moment = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
    with (
        mock.patch.object(defaultfilters, "date", side_effect=real) as formatted,
        timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")),
    ):
        for _ in range(2):
            printed = _text(
                '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"F j, Y, P" }}',
                d=dt.date(2026, 6, 30),
                m=moment,
            )
            assert printed == "06/30/2026|June 30, 2026, 9 p.m."
    assert formatted.call_count == 4  # nothing remembered
