"""The time-zone menu: the short list of the association's zones first, every zone reachable,
a saved zone outside the short list shown, and tzdata read once a process."""

import re
from unittest import mock

import pytest

from accounts import models as account_models
from accounts.forms import TimeZoneForm
from accounts.models import AMERICAN_ZONES, other_zones, time_zone_choices

pytestmark = pytest.mark.django_db


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', html)


def test_the_menu_lists_the_short_list_in_a_group_then_every_other_zone():
    html = str(TimeZoneForm()["time_zone"])
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html)
    assert [label for label, _options in groups] == [
        "United States and territories",
        "Every other time zone",
    ]
    short, others = (re.findall(r'value="([^"]+)"', options) for _label, options in groups)
    assert short == [zone for zone, _label in AMERICAN_ZONES]
    assert "Europe/London" in others and "America/Adak" in others
    assert len(short) + len(others) == len(time_zone_choices())
    assert selected(html) == [""]  # "Use my browser's time zone"
    # A saved zone from the long list is selected there, and only in that person's menu.
    html = str(TimeZoneForm(initial={"time_zone": "Europe/London"})["time_zone"])
    assert selected(html.split("Every other time zone")[1]) == ["Europe/London"]
    assert selected(str(TimeZoneForm(initial={"time_zone": "Pacific/Guam"})["time_zone"])) == [
        "Pacific/Guam"
    ]
    assert selected(str(TimeZoneForm()["time_zone"])) == [""]


def test_time_zones_are_read_from_tzdata_once():
    other_zones.cache_clear()
    with mock.patch.object(
        account_models.zoneinfo,
        "available_timezones",
        wraps=account_models.zoneinfo.available_timezones,
    ) as scan:
        for _ in range(3):
            time_zone_choices()
    assert scan.call_count == 1
