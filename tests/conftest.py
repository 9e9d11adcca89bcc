"""Shared fixtures.

Tests that need a real service (Postgres, Redis, an SMTP sink, Chromium) call `require_service`:
outside CI a missing service skips the test with the reason; in CI (CI=true) it fails it, so a
green CI run means the real services were exercised.
"""

import os
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

from cohorts.models import CommitteeMembership
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CommitteeMembershipFactory, ProgramFactory

ROOT_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_service(available: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a real service the test needs is not there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI requires this service: {reason}", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories set a password for every user; PBKDF2 makes each one cost most of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def locks_joined_rows(sql: str) -> bool:
    """Whether `sql` is a SELECT ... FOR [NO KEY] UPDATE over a join that does not say OF
    which tables: PostgreSQL then locks every joined row as well."""
    head, found, tail = sql.rpartition(" FOR ")
    return (
        bool(found)
        and tail.startswith(("UPDATE", "NO KEY UPDATE"))
        and " JOIN " in head
        and " OF " not in tail
    )


@pytest.fixture(autouse=True)
def row_locks_name_their_tables():
    """Every row lock over a join names the tables it locks (select_for_update(of=...)):
    without OF, an applicant's save locked the cohort and the program too, and every other
    save to the cohort waited for it (tests/test_row_locks.py)."""

    def check(execute, sql, params, many, context):
        assert not locks_joined_rows(sql), f"a row lock over a join without OF: {sql}"
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        yield


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    parsed = urlparse(REDIS_URL)
    require_service(
        port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379),
        f"Redis is not reachable at {REDIS_URL}",
    )
    return REDIS_URL


@pytest.fixture
def postgres():
    """For tests that need Postgres semantics (row locks, concurrent transactions)."""
    require_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentoring",
    )
    return connection


@pytest.fixture
def program():
    return ProgramFactory(time_zone="America/Chicago")


@pytest.fixture
def other_program():
    return ProgramFactory(time_zone="America/Los_Angeles")


def _committee_user(program, role, email):
    user = UserFactory(email=email)
    CommitteeMembershipFactory(user=user, program=program, role=role)
    return user


@pytest.fixture
def chair(program):
    return _committee_user(program, CommitteeMembership.Role.CHAIR, "chair@example.org")


@pytest.fixture
def member(program):
    return _committee_user(program, CommitteeMembership.Role.MEMBER, "member@example.org")


@pytest.fixture
def other_chair(other_program):
    return _committee_user(other_program, CommitteeMembership.Role.CHAIR, "other-chair@example.org")


@pytest.fixture
def staff_user():
    return UserFactory(email="staff@example.org", is_staff=True, is_association_staff=True)


VNU = ROOT_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def assert_valid_html(tmp_path):
    """Validate rendered pages with the Nu Html Checker (one Java run for many pages)."""
    java = shutil.which("java")
    require_service(bool(java) and VNU.exists(), "needs Java and vnu-jar (npm install)")

    def check(pages: dict[str, str | bytes]) -> None:
        files = []
        for index, (name, html) in enumerate(pages.items()):
            path = tmp_path / f"page-{index}.html"
            path.write_bytes(html if isinstance(html, bytes) else html.encode())
            files.append((name, path))
        result = subprocess.run(
            [
                java,
                "-jar",
                str(VNU),
                "--errors-only",
                "--format",
                "gnu",
                *[str(p) for _n, p in files],
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        report = result.stderr + result.stdout
        for name, path in files:
            report = report.replace(f"file:{path}", name).replace(str(path), name)
        assert result.returncode == 0, f"invalid HTML:\n{report}"

    return check
