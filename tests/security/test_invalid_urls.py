"""Finding 8: a NUL byte or another control character in an address answers 404, never 500."""

import pytest

pytestmark = pytest.mark.django_db

# The audit's addresses, then the same trick elsewhere (paths, query strings, raw and encoded).
ADDRESSES = [
    "/surveys/%00/",
    "/calendar/%00.ics",
    "/admin/autocomplete/?app_label=cohorts&model_name=cohort&field_name=program&term=%00",
    "/reports/programs/{slug}/exports/applications.csv?cohort=%00",
    "/reports/programs/{slug}/exports/workbook.xlsx?cohort=%00",
    "/programs/%00/",
    "/programs/{slug}/cohorts/%00/",
    "/admin/applications/application/?q=%00",
    "/admin/applications/application/%00/change/",
    "/my/applications/?page=%01",
    "/accounts/login/?next=%00",
    "/%7F/",
    "/surveys/abc%0Adef/",
    "/surveys/%C0%80/",
    "/surveys/%ED%A0%80/",
    "/?q=%1B",
]


@pytest.mark.parametrize("who", ["anonymous", "staff_user"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_with_a_control_character_answers_404(client, request, program, who, address):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(address.format(slug=program.slug))
    assert response.status_code == 404


def test_ordinary_addresses_pass():
    from mentoring.middleware import invalid_url

    assert not invalid_url("/programs/core/", "next=/admin/&q=caf%C3%A9+au+lait")
    assert not invalid_url("/surveys/AbC-_9/", "q=two%09words%0Aand+a+line")
    assert invalid_url("/surveys/\x00/", "")
    assert invalid_url("/", "q=%00")
