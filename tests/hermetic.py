"""pytest plugin: the suite sees the same settings whatever the shell exports.

Loaded with `-p tests.hermetic` (pyproject.toml's addopts), so it runs before pytest-django
imports the settings. It removes from the process environment every variable
mentoring/settings.py reads (found by reading that file, so a new setting is covered the day it
is added), every DJANGO_* and CELERY_* variable (Celery reads CELERY_BROKER_URL and a few others
itself, over its configuration) and pytest-django's FAIL_INVALID_TEMPLATE_VARS, then sets the
test values below: Celery eager on the in-memory broker, email to Django's in-memory outbox, no
.env file. Once the settings are loaded, the variables Celery reads itself leave the environment
again.

Kept from the shell: DATABASE_URL (which database the suite runs on) and the test tools' own
variables (CI, CHROMIUM_PATH, TEST_REDIS_URL). Tests that start a real worker or an
SMTP sink point the Celery app and Django's mail settings at them in their fixtures; tests that
start another process build its environment with `scrubbed_environ`.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "mentoring" / "settings.py"

KEPT = frozenset({"DATABASE_URL"})
SCRUBBED_PREFIXES = ("DJANGO_", "CELERY_")
SCRUBBED_NAMES = frozenset({"FAIL_INVALID_TEMPLATE_VARS"})

# What every test sees (the settings derive the rest from these and their own defaults).
TEST_VALUES = {
    "DJANGO_SETTINGS_MODULE": "mentoring.settings",
    "DJANGO_ENV_FILE": "",  # no .env file: a developer's own must not change the results
    "CELERY_BROKER_URL": "memory://",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_URL": "memorymail://",
}

_ENVIRONMENT_READERS = frozenset({"env", "os.getenv", "os.environ.get", "environ.get"})


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def settings_variables(path: Path = SETTINGS_FILE) -> frozenset[str]:
    """Every environment variable the settings file reads by name.

    `env("X")`, `env.<cast>("X", ...)`, `os.environ.get("X")`, `os.getenv("X")` and
    `os.environ["X"]`.
    """
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call) and node.args:
            first, reader = node.args[0], _dotted(node.func)
            is_reader = reader in _ENVIRONMENT_READERS or reader.startswith("env.")
        elif isinstance(node, ast.Subscript):
            first, is_reader = node.slice, _dotted(node.value) == "os.environ"
        else:
            continue
        if is_reader and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return frozenset(names)


def is_scrubbed(name: str, settings_names: frozenset[str]) -> bool:
    if name in KEPT:
        return False
    return name in settings_names or name in SCRUBBED_NAMES or name.startswith(SCRUBBED_PREFIXES)


def scrubbed_environ(
    environ: Mapping[str, str] | None = None, *, keep_database: bool = True, **values: str
) -> dict[str, str]:
    """`environ` (default: this process's) without any variable the application reads.

    For a process a test starts (a worker, `manage.py check`): it gets the application's own
    defaults, no .env file, and then `values`. DATABASE_URL stays unless `keep_database` is False.
    """
    names = settings_variables()
    clean = {
        name: value
        for name, value in (os.environ if environ is None else environ).items()
        if not is_scrubbed(name, names) and (keep_database or name != "DATABASE_URL")
    }
    clean["DJANGO_ENV_FILE"] = ""
    clean.update(values)
    return clean


def hermetic_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the test process runs with: `environ` scrubbed, plus TEST_VALUES."""
    return scrubbed_environ(environ, **TEST_VALUES)


# Celery reads these from the environment itself, over its configuration (celery.app.utils).
CELERY_READS = (
    "CELERY_BROKER_URL",
    "CELERY_BROKER_READ_URL",
    "CELERY_BROKER_WRITE_URL",
    "CELERY_RESULT_BACKEND",
)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """Replace the environment before pytest-django's hook imports the settings."""
    wanted = hermetic_environ(os.environ)
    for name in set(os.environ) - set(wanted):
        del os.environ[name]
    os.environ.update(wanted)
    try:
        return (yield)
    finally:
        # The settings have their values now. Out of the environment, they no longer override
        # the Celery app's configuration, which fixtures point at a real broker for a test.
        for name in CELERY_READS:
            os.environ.pop(name, None)
