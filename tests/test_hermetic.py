"""The suite is hermetic: what the shell exports, or a .env file says, changes no setting a test
sees (tests/hermetic.py). Only DATABASE_URL and the test tools' own variables pass through."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from django.conf import settings

from mentoring.celery import app as celery_app
from tests.hermetic import scrubbed_environ, settings_variables

ROOT = Path(__file__).resolve().parent.parent

# A value for every variable the settings read, none of them the default. Some go through the
# environment, the others through a .env file: neither may reach the tests.
HOSTILE_ENVIRONMENT = {
    "CACHE_URL": "redis://127.0.0.1:1/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/5",
    "CELERY_RESULT_BACKEND": "redis://127.0.0.1:1/6",
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "DEFAULT_FROM_EMAIL": "Someone Else <someone@example.net>",
    "DJANGO_ADMIN_REQUIRES_MFA": "true",
    "DJANGO_ALLOWED_HOSTS": "hostile.example.net",
    "DJANGO_BEHIND_PROXY": "true",
    "DJANGO_CONN_MAX_AGE": "600",
    "DJANGO_CONN_HEALTH_CHECKS": "false",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://hostile.example.net",
    "DJANGO_DEBUG": "false",
    "DJANGO_LOG_LEVEL": "ERROR",
    "DJANGO_SECRET_KEY": "x",
    "DJANGO_SECRET_KEY_FALLBACKS": "y,z",
    "DJANGO_SECURE_HSTS_SECONDS": "5",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "EMAIL_TIMEOUT": "1",
    "EMAIL_URL": "smtp://127.0.0.1:1",
    "MFA_TOTP_ISSUER": "Hostile issuer",
    "NOTIFICATION_LEASE_SECONDS": "1",
    "NOTIFICATION_MAX_ATTEMPTS": "1",
    # Read by Celery and by pytest-django themselves, not through the settings.
    "CELERY_BROKER_READ_URL": "redis://127.0.0.1:1/7",
    "CELERY_BROKER_WRITE_URL": "redis://127.0.0.1:1/8",
    "DJANGO_SETTINGS_MODULE": "no.such.settings",
    "FAIL_INVALID_TEMPLATE_VARS": "true",
}
HOSTILE_DOTENV = {
    "ACCOUNT_EMAIL_VERIFICATION": "none",
    "NOTIFICATION_RETRY_BASE_SECONDS": "0.1",
    "NOTIFICATION_RETRY_MAX_SECONDS": "0.2",
    "SITE_URL": "https://hostile.example.net",
    "SITE_NAME": "Hostile Site",
    "TIME_ZONE": "Asia/Tokyo",
}

CELERY_OPTIONS = [
    "broker_url",
    "broker_read_url",
    "broker_write_url",
    "result_backend",
    "task_always_eager",
    "task_eager_propagates",
]

# A one-test pytest session that writes down every setting and the Celery app's configuration.
PROBE = """
import json

from django.conf import settings

from mentoring.celery import app


def test_write_the_settings():
    seen = {{
        name: json.dumps(getattr(settings, name), default=str, sort_keys=True)
        for name in dir(settings)
        if name.isupper()
    }}
    celery = {{name: getattr(app.conf, name) for name in {options!r}}}
    seen["celery"] = json.dumps(celery, default=str)
    with open({out!r}, "w") as out:
        json.dump(seen, out)
"""

# Plugins that have nothing to do with settings and cost seconds to import.
QUICK = ["-p", "no:playwright", "-p", "no:hypothesispytest", "-p", "no:faker"]


def start_probe(folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    folder.mkdir()
    out = folder / "settings.json"
    probe = folder / "test_probe.py"
    probe.write_text(textwrap.dedent(PROBE.format(options=CELERY_OPTIONS, out=str(out))))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-c",
            str(ROOT / "pyproject.toml"),
            *QUICK,
            str(probe),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, out


def finish_probe(process: subprocess.Popen, out: Path) -> dict[str, str]:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return {name: json.loads(value) for name, value in json.loads(out.read_text()).items()}


def test_every_variable_the_settings_read_has_a_hostile_value():
    covered = set(HOSTILE_ENVIRONMENT) | set(HOSTILE_DOTENV) | {"DATABASE_URL", "DJANGO_ENV_FILE"}
    assert settings_variables() <= covered


def test_a_dotenv_file_is_read_outside_the_test_suite(tmp_path):
    """The control for the next test: the hostile .env file does change the settings."""
    dotenv = tmp_path / "hostile.env"
    dotenv.write_text("".join(f"{name}={value}\n" for name, value in HOSTILE_DOTENV.items()))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s;"
            "print(s.SITE_URL, s.TIME_ZONE, s.ACCOUNT_EMAIL_VERIFICATION)",
        ],
        cwd=ROOT,
        env=scrubbed_environ(
            DJANGO_SETTINGS_MODULE="mentoring.settings", DJANGO_ENV_FILE=str(dotenv)
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["https://hostile.example.net", "Asia/Tokyo", "none"], (
        result.stderr
    )


def test_the_shell_and_a_dotenv_file_change_no_setting_the_tests_see(tmp_path):
    dotenv = tmp_path / "hostile.env"
    dotenv.write_text("".join(f"{name}={value}\n" for name, value in HOSTILE_DOTENV.items()))
    # The same session twice at once: from a hostile shell, and from one without any setting.
    hostile = start_probe(
        tmp_path / "hostile",
        scrubbed_environ(**HOSTILE_ENVIRONMENT, DJANGO_ENV_FILE=str(dotenv)),
    )
    clean = start_probe(tmp_path / "clean", scrubbed_environ())
    seen, expected = finish_probe(*hostile), finish_probe(*clean)

    assert seen["DEBUG"] is False  # pytest-django turns DEBUG off for every test, as Django does
    assert seen["SECRET_KEY"] == "django-insecure-embedded-default-for-local-use-only"
    assert seen["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]", "testserver"]
    assert seen["SECURE_SSL_REDIRECT"] is False
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"
    assert seen["CELERY_BROKER_URL"] == "memory://"
    assert seen["CELERY_TASK_ALWAYS_EAGER"] is True
    assert seen["celery"] == {
        "broker_url": "memory://",
        "broker_read_url": "memory://",
        "broker_write_url": "memory://",
        "result_backend": None,
        "task_always_eager": True,
        "task_eager_propagates": True,
    }
    assert seen["SITE_URL"] == "http://127.0.0.1:8000"
    assert seen["SITE_NAME"] == "Mentoring programs"
    assert seen["TIME_ZONE"] == "America/Chicago"
    assert seen["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert seen["ADMIN_REQUIRES_MFA"] is False
    assert seen["SECURE_PROXY_SSL_HEADER"] is None
    assert seen["DATABASES"]["default"]["CONN_MAX_AGE"] == 60  # the default, not the shell's
    assert seen["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert seen["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert seen["NOTIFICATION_LEASE_SECONDS"] == 300
    assert "string_if_invalid" not in seen["TEMPLATES"][0]["OPTIONS"]
    # ...and nothing else differs either.
    assert {name for name in seen if seen[name] != expected.get(name)} == set()


def test_this_session_runs_celery_eagerly_in_memory_and_keeps_email_in_memory():
    assert celery_app.conf.broker_url == "memory://"
    assert celery_app.conf.task_always_eager is True
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
