"""Finding 3: role permissions on program settings.

Chairs edit their program's texts, areas, guidelines and cohorts; members read them; the
membership rules, the number pattern and demographics visibility are association staff's alone.
"""

import pytest
from django.forms.models import model_to_dict

from cohorts.models import Program
from tests.applications.factories import ApplicationFactory
from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db

# The list: membership rules, the number pattern, demographics visibility.
STAFF_ONLY = (
    "mentor_membership",
    "mentee_membership",
    "membership_exception",
    "membership_rechecked_at_start",
    "membership_number_pattern",
    "committee_sees_demographics",
)


def program_form(program: Program, **changes) -> dict:
    """What the admin's program change form posts, with `changes`."""
    data = {
        name: value
        for name, value in model_to_dict(program).items()
        if name != "id" and value is not None
    }
    for name, value in list(data.items()):
        if isinstance(value, bool):
            data[name] = "on" if value else ""
    data.update(changes)
    data.update({"areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0"})
    return {k: v for k, v in data.items() if v != ""}


def change_url(program) -> str:
    return f"/admin/cohorts/program/{program.pk}/change/"


def test_a_committee_member_cannot_edit_the_program(client, member, program):
    client.force_login(member)
    response = client.post(
        change_url(program),
        program_form(program, committee_sees_demographics="on", description="Taken over."),
    )
    program.refresh_from_db()
    assert response.status_code == 403
    assert not program.committee_sees_demographics
    assert program.description == "A mentoring program for tests."
    assert client.get(change_url(program)).status_code == 200  # but reads it


def test_a_member_cannot_switch_demographics_on_and_then_read_them(client, member, program):
    """The path the audit took: a member switches the setting, then reads demographics."""
    application = ApplicationFactory(cohort=CohortFactory(program=program), demographics=["lgbtq"])
    client.force_login(member)
    client.post(change_url(program), program_form(program, committee_sees_demographics="on"))
    page = client.get(f"/admin/applications/application/{application.pk}/change/")
    assert "LGBTQ+" not in page.content.decode()


def test_a_chair_edits_the_texts_but_not_the_rules_or_demographics(client, chair, program):
    client.force_login(chair)
    page = client.get(change_url(program)).content.decode()
    for name in STAFF_ONLY:
        assert f'name="{name}"' not in page, name

    response = client.post(
        change_url(program),
        program_form(
            program,
            description="Our new description.",
            guidelines="Meet monthly",
            committee_sees_demographics="on",
            mentor_membership="not_required",
            membership_number_pattern=".*",
        ),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.description == "Our new description." and program.guidelines == "Meet monthly"
    assert not program.committee_sees_demographics
    assert program.mentor_membership == "required"
    assert program.membership_number_pattern == "[0-9]{7,10}"


def test_association_staff_set_the_rules_and_demographics(client, staff_user, program):
    client.force_login(staff_user)
    response = client.post(
        change_url(program),
        program_form(program, committee_sees_demographics="on", membership_number_pattern="[0-9]+"),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.committee_sees_demographics
    assert program.membership_number_pattern == "[0-9]+"


def test_members_read_cohorts_and_chairs_change_them(client, member, chair, program):
    cohort = CohortFactory(program=program, name="2031 cohort")
    url = f"/admin/cohorts/cohort/{cohort.pk}/change/"
    data = {
        "program": program.pk,
        "name": "Renamed cohort",
        "slug": cohort.slug,
        "default_mentor_capacity": 1,
        **{
            field: getattr(cohort, field).isoformat()
            for field in (
                "applications_open",
                "applications_close",
                "pairings_notified",
                "mentoring_starts",
                "mentoring_ends",
                "assessment_closes",
            )
        },
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    client.force_login(member)
    assert client.post(url, data).status_code == 403
    assert client.get("/admin/cohorts/cohort/add/").status_code == 403
    cohort.refresh_from_db()
    assert cohort.name == "2031 cohort"

    client.force_login(chair)
    assert client.post(url, data).status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Renamed cohort"
