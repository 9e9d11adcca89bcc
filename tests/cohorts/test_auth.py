"""The signed-in person and their committee roles, read in one query a request (cohorts/auth.py),
and still fresh on every request: a role removed, a deactivation or a new password counts from
the next one."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts import permissions
from cohorts.auth import person_with_roles
from cohorts.models import CommitteeMembership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.cohorts.factories import CommitteeMembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "/no-such-page/"


def _person_queries(queries) -> list[str]:
    """The statements of a request apart from its session's (the cache's, in production)."""
    return [q["sql"] for q in queries if "django_session" not in q["sql"]]


def _menu(client) -> str:
    response = client.get(NOT_FOUND)
    assert response.status_code == 404
    return response.content.decode()


def test_a_signed_in_page_reads_the_person_and_every_committee_role_in_one_query(client, chair):
    other = ProgramFactory()
    CommitteeMembershipFactory(user=chair, program=other, role=CommitteeMembership.Role.MEMBER)
    client.force_login(chair)

    with CaptureQueriesContext(connection) as queries:
        page = _menu(client)

    # The menu asks whether the admin and the reports are theirs: answered from the same row.
    assert 'href="/admin/"' in page and 'href="/reports/"' in page
    assert len(_person_queries(queries)) == 1, _person_queries(queries)


def test_the_roles_read_with_the_person_are_the_ones_the_permission_rules_see(chair, program):
    other = ProgramFactory()
    CommitteeMembershipFactory(user=chair, program=other, role=CommitteeMembership.Role.MEMBER)

    person = person_with_roles(chair.pk)

    assert person == chair and person.email == chair.email
    assert person.date_joined == chair.date_joined  # converted as the field does
    assert permissions.committee_roles(person) == {
        program.pk: CommitteeMembership.Role.CHAIR,
        other.pk: CommitteeMembership.Role.MEMBER,
    }
    assert permissions.is_chair(person, program) and not permissions.is_chair(person, other)
    assert permissions.committee_roles(person_with_roles(UserFactory().pk)) == {}
    assert person_with_roles(10**9) is None


def test_a_role_removed_counts_from_the_next_request(client, member):
    client.force_login(member)
    assert 'href="/reports/"' in _menu(client)

    CommitteeMembership.objects.filter(user=member).delete()

    assert 'href="/reports/"' not in _menu(client)
    assert client.get("/reports/").status_code == 404  # as for anyone off every committee


def test_a_deactivated_person_is_signed_out_at_the_next_request(client):
    person = UserFactory()
    client.force_login(person)
    assert client.get("/my/applications/").status_code == 200

    type(person).objects.filter(pk=person.pk).update(is_active=False)

    response = client.get("/my/applications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_password_signs_out_the_other_sessions(client):
    person = UserFactory()
    client.force_login(person)
    person.set_password("a-brand-new-passphrase-2026")
    person.save()

    response = client.get("/my/applications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signing_in_with_email_and_password_records_a_backend_that_reads_in_one_query(client):
    person = UserFactory(verified_email=True)
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS

    with CaptureQueriesContext(connection) as queries:
        _menu(client)
    assert len(_person_queries(queries)) == 1


@pytest.mark.parametrize(
    "backend", ["cohorts.auth.ModelBackend", "cohorts.auth.AuthenticationBackend"]
)
def test_either_backend_reads_the_person_and_roles_in_one_query(client, member, backend):
    # allauth records its own backend for a sign-in by code or passkey, Django's for a password.
    client.force_login(member, backend=backend)

    with CaptureQueriesContext(connection) as queries:
        page = _menu(client)
    assert 'href="/reports/"' in page
    assert len(_person_queries(queries)) == 1


def test_a_session_from_a_backend_no_longer_listed_is_signed_out_not_an_error(client):
    person = UserFactory()
    client.force_login(person)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()

    response = client.get("/my/applications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
