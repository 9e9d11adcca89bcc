"""Settings read from the environment; production refuses to start without a secret key."""

import re
import subprocess
import sys
from pathlib import Path

from tests.hermetic import scrubbed_environ

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
    "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
    "SITE_URL": "https://mentoring.example.org",
    "DATABASE_URL": "sqlite:////tmp/mentoring-check.sqlite3",
}
COMPOSE_FILE = ROOT / "docker-compose.yml"


def compose_defaults() -> dict[str, str]:
    """The app's environment as docker-compose.yml sets it when .env sets nothing:
    `KEY: ${VAR:-default}` gives the default, `KEY: value` the value."""
    text = COMPOSE_FILE.read_text()
    block = text.split("  environment:\n", 1)[1].split("\n  depends_on:", 1)[0]
    values = {}
    for line in block.splitlines():
        key, _, value = line.strip().partition(": ")
        default = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
        values[key] = default.group(1) if default else value
    return values


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=scrubbed_environ(keep_database=False, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed_by(code: str, *, setup: bool = False, **env) -> str:
    """What `code` prints in a fresh Python with the project's settings and only `env` from the
    environment (after django.setup() if `setup`: reading a setting needs only the settings
    module, and loading every app costs four seconds more); its errors if it printed nothing."""
    prefix = "import django; django.setup();" if setup else ""
    result = subprocess.run(
        [sys.executable, "-c", prefix + code],
        cwd=ROOT,
        env=scrubbed_environ(
            keep_database=False, DJANGO_SETTINGS_MODULE="mentoring.settings", **env
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or result.stderr


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


def test_check_deploy_is_clean_with_docker_composes_defaults():
    env = compose_defaults()
    assert env["DJANGO_SECURE_SSL_REDIRECT"] == "false"  # the trial at http://localhost:8000
    env.update(
        DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"],  # compose asks .env for one
        DATABASE_URL=PRODUCTION["DATABASE_URL"],  # no Postgres service here
        CACHE_URL="locmemcache://",
        CELERY_BROKER_URL="memory://",
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_of_a_public_site_without_https():
    env = {**PRODUCTION, "SITE_URL": "http://mentoring.example.org"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "mentoring.W001" in result.stderr + result.stdout


def test_the_proxy_header_is_believed_only_behind_a_proxy():
    code = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    assert printed_by(code) == "None"
    assert printed_by(code, DJANGO_BEHIND_PROXY="true") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_embedded_default_uses_sqlite_eager_celery_and_console_email():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.EMAIL_BACKEND, s.DEBUG)"
    )
    printed = printed_by(code)
    assert printed.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "True",
    ], printed


def test_two_factor_is_required_for_the_admin_when_debug_is_off_unless_told_otherwise():
    def required(**env) -> str:
        return printed_by(
            "from django.conf import settings as s; print(s.ADMIN_REQUIRES_MFA)", **env
        )

    production = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    assert required(**production) == "True"
    assert required(**production, DJANGO_ADMIN_REQUIRES_MFA="false") == "False"
    assert required() == "False"  # the demo: DEBUG on
    assert required(DJANGO_ADMIN_REQUIRES_MFA="true") == "True"


def test_database_connections_persist_and_are_checked_before_reuse():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )

    def printed(**env) -> str:
        return printed_by(code, DATABASE_URL="postgres://mentoring@127.0.0.1:5432/mentoring", **env)

    assert printed() == "60 True"
    assert printed(DJANGO_CONN_MAX_AGE="0", DJANGO_CONN_HEALTH_CHECKS="false") == "0 False"
    assert compose_defaults()["DJANGO_CONN_MAX_AGE"] == "60"


def test_sessions_are_read_from_the_cache_only_when_every_web_process_shares_it():
    def engine(**env) -> str:
        code = "from django.conf import settings as s; print(s.SESSION_ENGINE.rsplit('.', 1)[-1])"
        return printed_by(code, **env)

    assert engine() == "db"  # each process's own memory: a logout elsewhere would not show
    assert engine(CACHE_URL="redis://127.0.0.1:6379/1") == "cached_db"
    assert compose_defaults()["CACHE_URL"].startswith("redis://")


def test_a_redis_cache_keeps_its_client_between_calls():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    assert printed_by(code, CACHE_URL="redis://127.0.0.1:6379/1") == "mentoring.cache.RedisCache"


def test_the_web_process_loads_what_requests_share_before_its_first_request():
    code = (
        "import sys, mentoring.wsgi; from django.urls import get_resolver;"
        "print(get_resolver()._populated,"
        " 'crispy_forms.templatetags.crispy_forms_tags' in sys.modules,"
        " 'notifications.templatetags.email_dates' in sys.modules, 'redis' in sys.modules)"
    )
    assert printed_by(code, CACHE_URL="redis://127.0.0.1:6379/1") == "True True True True"


def test_the_web_process_freezes_what_it_loaded_and_collects_cycles_less_often():
    code = "import gc, mentoring.wsgi;print(gc.get_threshold()[0], gc.get_freeze_count() > 10_000)"
    assert printed_by(code) == "50000 True"


def test_gunicorn_runs_threaded_workers_from_its_config_file():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--print-config"],
        cwd=ROOT,
        env=scrubbed_environ(keep_database=False, WEB_CONCURRENCY="2"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    config = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert config["wsgi_app"] == "mentoring.wsgi:application"
    assert config["worker_class"] == "gthread"
    assert config["workers"] == "2"
    assert int(config["threads"]) > 1
    assert "gunicorn" in COMPOSE_FILE.read_text().split("  web:", 1)[1].split("ports:")[0]
