"""Settings read from the environment; production refuses to start without a secret key."""

import subprocess
import sys
from pathlib import Path

from tests.hermetic import scrubbed_environ

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
    "DATABASE_URL": "sqlite:////tmp/mentoring-check.sqlite3",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=scrubbed_environ(keep_database=False, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_a_missing_secret_key():
    env = dict(PRODUCTION)
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_like_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_sqlite_eager_celery_and_console_email():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.EMAIL_BACKEND, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=scrubbed_environ(keep_database=False, DJANGO_SETTINGS_MODULE="mentoring.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ], result.stderr
