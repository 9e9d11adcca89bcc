import json

import pytest

from cohorts.models import Cohort
from tests.cohorts.factories import (
    CohortFactory,
    CommitteeMembershipFactory,
    MilestoneFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def core(program):
    return CohortFactory(program=program, name="Core 2031 cohort", phase="accepting")


@pytest.fixture
def alsc():
    return CohortFactory(program=ProgramFactory(name="ALSC Mentoring Program"), name="ALSC 2031")


def test_chair_sees_only_their_program_in_the_cohort_list(client, chair, core, alsc):
    client.force_login(chair)
    page = client.get("/admin/cohorts/cohort/").content.decode()
    assert "Core 2031 cohort" in page
    assert "ALSC 2031" not in page


def test_chair_gets_404_for_another_programs_change_and_delete_pages(client, chair, alsc):
    client.force_login(chair)
    for suffix in ("change/", "delete/", "history/"):
        assert client.get(f"/admin/cohorts/cohort/{alsc.pk}/{suffix}").status_code == 404
    assert client.get(f"/admin/cohorts/program/{alsc.program_id}/change/").status_code == 404
    # ...exactly like an object that does not exist.
    assert client.get("/admin/cohorts/cohort/999999/change/").status_code == 404


def test_chair_cannot_change_another_programs_cohort_by_posting(client, chair, alsc):
    client.force_login(chair)
    response = client.post(f"/admin/cohorts/cohort/{alsc.pk}/change/", {"name": "Hijacked"})
    assert response.status_code == 404
    alsc.refresh_from_db()
    assert alsc.name == "ALSC 2031"


def test_filters_offer_only_the_chairs_programs(client, chair, core, alsc):
    second = CohortFactory(program=ProgramFactory(name="Second Program"))
    CommitteeMembershipFactory(user=chair, program=second.program)
    client.force_login(chair)
    page = client.get("/admin/cohorts/cohort/").content.decode()
    assert f"program__id__exact={core.program_id}" in page
    assert f"program__id__exact={second.program_id}" in page
    assert f"program__id__exact={alsc.program_id}" not in page
    # Forcing the other program's filter by URL lists nothing of it.
    page = client.get(f"/admin/cohorts/cohort/?program__id__exact={alsc.program_id}").content
    assert b"ALSC 2031" not in page

    MilestoneFactory(cohort=alsc, title="ALSC networking")
    MilestoneFactory(cohort=core, title="Core networking")
    MilestoneFactory(cohort=second, title="Second networking")
    page = client.get("/admin/cohorts/milestone/").content.decode()
    assert "Core networking" in page and "Second networking" in page
    assert "ALSC networking" not in page
    assert f"cohort__program__id__exact={core.program_id}" in page
    assert f"cohort__program__id__exact={alsc.program_id}" not in page


def test_autocomplete_returns_only_the_chairs_program(client, chair, core, alsc):
    client.force_login(chair)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "cohorts", "model_name": "cohort", "field_name": "program", "term": ""},
    )
    names = [row["text"] for row in json.loads(response.content)["results"]]
    assert names == [core.program.name]

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "cohorts", "model_name": "milestone", "field_name": "cohort", "term": "2031"},
    )
    ids = [int(row["id"]) for row in json.loads(response.content)["results"]]
    assert ids == [core.pk]


def test_foreign_key_choices_are_scoped(client, chair, core, alsc):
    client.force_login(chair)
    page = client.get("/admin/cohorts/areaofinterest/add/").content.decode()
    assert f'<option value="{core.program_id}">' in page
    assert f'<option value="{alsc.program_id}">' not in page
    assert "ALSC Mentoring Program" not in page


def test_chair_cannot_add_a_cohort_to_another_program(client, chair, core, alsc):
    client.force_login(chair)
    response = client.post(
        "/admin/cohorts/cohort/add/",
        {
            "program": alsc.program_id,
            "name": "Sneaky",
            "slug": "sneaky",
            "default_mentor_capacity": 1,
            "applications_open": "2031-01-01",
            "applications_close": "2031-02-01",
            "pairings_notified": "2031-03-01",
            "mentoring_starts": "2031-04-01",
            "mentoring_ends": "2031-10-01",
            "assessment_closes": "2031-11-01",
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert "Select a valid choice" in response.content.decode()
    assert not Cohort.objects.filter(slug="sneaky").exists()


def test_staff_see_every_program(client, staff_user, core, alsc):
    client.force_login(staff_user)
    page = client.get("/admin/cohorts/cohort/").content.decode()
    assert "Core 2031 cohort" in page and "ALSC 2031" in page
    assert client.get(f"/admin/cohorts/cohort/{alsc.pk}/change/").status_code == 200


def test_member_sees_the_program_but_no_delete(client, member, core):
    client.force_login(member)
    assert client.get(f"/admin/cohorts/cohort/{core.pk}/change/").status_code == 200
    assert client.get(f"/admin/cohorts/cohort/{core.pk}/delete/").status_code == 403


def test_people_without_a_committee_role_cannot_use_the_admin(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/admin/cohorts/cohort/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_date_order_error_is_shown_beside_the_field_in_the_admin(client, chair, core):
    client.force_login(chair)
    response = client.post(
        f"/admin/cohorts/cohort/{core.pk}/change/",
        {
            "program": core.program_id,
            "name": core.name,
            "slug": core.slug,
            "default_mentor_capacity": 1,
            "applications_open": "2031-01-01",
            "applications_close": "2031-02-01",
            "pairings_notified": "2031-01-15",
            "mentoring_starts": "2031-04-01",
            "mentoring_ends": "2031-10-01",
            "assessment_closes": "2031-11-01",
            "milestones-TOTAL_FORMS": 0,
            "milestones-INITIAL_FORMS": 0,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pairings notified by must come after application deadline" in page


def test_chair_can_edit_their_programs_areas_inline(client, chair, program):
    client.force_login(chair)
    page = client.get(f"/admin/cohorts/program/{program.pk}/change/").content.decode()
    assert "areas-TOTAL_FORMS" in page  # the inline is shown, not refused for the parent's id


def test_admin_list_asks_for_committee_membership_once(
    client, chair, core, django_assert_max_num_queries
):
    client.force_login(chair)
    with django_assert_max_num_queries(20):
        assert client.get("/admin/cohorts/cohort/").status_code == 200


def test_admin_login_hands_anonymous_visitors_to_the_site_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.get("/admin/cohorts/cohort/")
    assert response.status_code == 302
