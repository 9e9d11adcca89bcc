"""Finding 2: privilege only goes down the ladder, and every change of it is on the record.

Only superusers grant or remove superuser, admin-access or association-staff status, change
another privileged person's password, or edit a superuser.
"""

import pytest

from cohorts.models import CommitteeMembership
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-str0ng-passw0rd"


def trail_of(user):
    from accounts.models import PrivilegeChange  # the trail this issue adds

    return list(PrivilegeChange.objects.filter(user=user).order_by("pk"))


@pytest.fixture
def superuser():
    return UserFactory(email="root@example.org", is_staff=True, is_superuser=True)


def change_form(user, **overrides) -> dict:
    """What the admin's user change form posts (date fields for the versions that edit them)."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "pronouns": "",
        "job_title": user.job_title,
        "employer": user.employer,
        "time_zone": user.time_zone,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    for flag in ("is_staff", "is_association_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_association_staff_cannot_make_themselves_superuser(client, staff_user):
    client.force_login(staff_user)
    url = f"/admin/accounts/user/{staff_user.pk}/change/"

    page = client.get(url).content.decode()
    client.post(url, change_form(staff_user, is_superuser="on"))

    staff_user.refresh_from_db()
    assert not staff_user.is_superuser
    assert 'name="is_superuser"' not in page


def test_association_staff_cannot_grant_admin_or_staff_status(client, staff_user):
    person = UserFactory(email="someone@example.org")
    client.force_login(staff_user)

    client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        change_form(person, is_staff="on", is_association_staff="on", full_name="Renamed"),
    )

    person.refresh_from_db()
    assert person.full_name == "Renamed"  # the profile is staff's to edit
    assert not person.is_staff and not person.is_association_staff


def test_association_staff_cannot_set_a_superusers_password_or_edit_them(
    client, staff_user, superuser
):
    client.force_login(staff_user)
    url = f"/admin/accounts/user/{superuser.pk}/password/"

    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 403
    assert client.post(
        f"/admin/accounts/user/{superuser.pk}/change/",
        change_form(superuser, email="mine@example.org", is_superuser=None),
    ).status_code in (403, 200)

    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert superuser.email == "root@example.org" and superuser.is_superuser


def test_association_staff_cannot_set_another_staff_members_password(client, staff_user):
    colleague = UserFactory(email="colleague@example.org", is_association_staff=True)
    client.force_login(staff_user)
    response = client.post(
        f"/admin/accounts/user/{colleague.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)


def test_staff_set_a_participants_password_and_it_is_recorded(client, staff_user):
    person = UserFactory(email="participant@example.org")
    client.force_login(staff_user)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    [entry] = trail_of(person)
    assert (entry.what, entry.changed_by) == ("password", staff_user)


def test_a_superuser_grants_and_removes_privileges_and_the_trail_shows_it(
    client, superuser, staff_user
):
    person = UserFactory(email="new.staff@example.org")
    client.force_login(superuser)
    url = f"/admin/accounts/user/{person.pk}/change/"

    client.post(url, change_form(person, is_staff="on", is_association_staff="on"))
    person.refresh_from_db()
    client.post(url, change_form(person, is_association_staff=None))

    trail = trail_of(person)
    assert {(e.what, e.before, e.after) for e in trail[:2]} == {
        ("admin access", "no", "yes"),
        ("association staff", "no", "yes"),
    }
    assert [(e.what, e.before, e.after) for e in trail[2:]] == [("association staff", "yes", "no")]
    assert {e.changed_by_email for e in trail} == {"root@example.org"}
    # A staff auditor reads it in the admin.
    client.force_login(staff_user)
    page = client.get("/admin/accounts/privilegechange/").content.decode()
    assert "new.staff@example.org" in page and "association staff" in page


def test_committee_appointments_are_in_the_privilege_trail(client, staff_user, program):
    person = UserFactory(email="appointee@example.org")
    client.force_login(staff_user)

    client.post(
        "/admin/cohorts/committeemembership/add/",
        {"user": person.pk, "program": program.pk, "role": "member"},
    )
    membership = CommitteeMembership.objects.get(user=person)
    client.post(
        f"/admin/cohorts/committeemembership/{membership.pk}/change/",
        {"user": person.pk, "program": program.pk, "role": "chair"},
    )
    client.post(f"/admin/cohorts/committeemembership/{membership.pk}/delete/", {"post": "yes"})

    trail = trail_of(person)
    assert [(e.before, e.after) for e in trail] == [
        ("none", "Member"),
        ("Member", "Chair"),
        ("Chair", "none"),
    ]
    assert all(e.what.startswith("committee of ") for e in trail)
