"""Who is signed in, read in one query a request: the person's row with their committee roles.

Every signed-in page asks who the reader is (Django's `get_user`, through the session's
backend) and what the menu offers them (`permissions.committee_roles`). Read apart, that is two
round trips before the page does any work of its own. These backends load the row with the
roles beside it, as one string of `program id:role` pairs, and leave them where
`committee_roles` looks first.

Still read from the database on every request, as before: a deactivation, a password change
(the session's hash) or a role removed counts from the reader's next request.
"""

import functools

from allauth.account import auth_backends
from django.contrib.auth import backends, get_user_model
from django.db import router
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat

from .models import CommitteeMembership


def _roles_text():
    """The person's memberships as "3:chair,7:member" (None without any), in their row's query."""
    pairs = Concat(Cast("program_id", CharField()), Value(":"), "role", output_field=CharField())
    return Subquery(
        CommitteeMembership.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(text=StringAgg(pairs, delimiter=Value(",")))
        .values("text")
    )


def _roles(text: str | None) -> dict[int, str]:
    if not text:
        return {}
    return {int(program): role for program, role in (pair.split(":") for pair in text.split(","))}


# Stands for the person's id while the statement is compiled; replaced by the real id on each read.
_ANY_ID = -918_273_645


@functools.cache
def _statement(alias: str) -> tuple[str, tuple, int]:
    """The person-and-roles query, compiled once a process (building and compiling it through
    the ORM cost twice what running it does): its SQL, its parameters and where the id goes."""
    query = (
        get_user_model()
        ._default_manager.annotate(committee_roles_text=_roles_text())
        .filter(pk=_ANY_ID)
        .order_by()
        .query
    )
    sql, params = query.get_compiler(using=alias).as_sql()
    return sql, tuple(params), params.index(_ANY_ID)


def person_with_roles(user_id):
    """The person with `user_id` and their committee roles, read in one query (None if gone)."""
    alias = router.db_for_read(get_user_model())
    sql, params, at = _statement(alias)
    params = list(params)
    params[at] = user_id
    # A raw query still converts each column as the model's fields do (dates on SQLite).
    found = list(get_user_model()._default_manager.db_manager(alias).raw(sql, params))
    if not found:
        return None
    user = found[0]
    user._committee_roles = _roles(user.committee_roles_text)
    return user


class _OneQuery:
    def get_user(self, user_id):
        # `user_id` is already the primary key's type (django.contrib.auth.get_user converts it).
        user = person_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_OneQuery, backends.ModelBackend):
    """Django's sign-in by email and password (the admin's form); the person in one query."""


class AuthenticationBackend(_OneQuery, auth_backends.AuthenticationBackend):
    """allauth's sign-in (email, codes, passkeys), reading the person in one query."""
