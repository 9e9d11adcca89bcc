"""A zone outside the menu's short list, saved on an application, shows and round-trips."""

import re

import pytest

from applications.models import Application
from tests.applications.factories import ApplicationFactory
from tests.applications.helpers import apply_url

pytestmark = pytest.mark.django_db


def test_an_application_with_a_zone_outside_the_short_list_shows_it_and_keeps_it(
    client, cohort, applicant
):
    ApplicationFactory(
        cohort=cohort,
        applicant=applicant,
        status=Application.Status.DRAFT,
        time_zone="Europe/Lisbon",
        areas=list(cohort.program.areas.all()[:1]),
    )
    client.force_login(applicant)
    page = client.get(apply_url(cohort)).content.decode()
    menu = page[page.index('id="id_time_zone"') - 200 :]
    menu = menu[: menu.index("</select>")].split('<optgroup label="Every other time zone">')[1]
    assert re.findall(r'<option value="([^"]*)" selected>', menu) == ["Europe/Lisbon"]
    response = client.post(apply_url(cohort), {"action": "draft", "time_zone": "Europe/Lisbon"})
    assert response.status_code == 302
    assert Application.objects.get(applicant=applicant).time_zone == "Europe/Lisbon"
