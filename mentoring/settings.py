"""Settings for the mentoring-cohort application, read from the environment.

With no environment at all this runs the embedded default: a SQLite file in the project folder,
Celery tasks run eagerly, email printed to the console and DEBUG on. Setting DATABASE_URL,
CELERY_BROKER_URL, EMAIL_URL and friends switches to real services (see .env.example).
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _site_is_local(url: str) -> bool:
    """Is the site served on this machine only (http://localhost, 127.0.0.1, [::1])?"""
    host = urlsplit(url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


env = environ.Env()
# A .env file fills in what the environment does not set: BASE_DIR/.env, or the file named by
# DJANGO_ENV_FILE (empty: none; the test suite reads none).
env_file = env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env"))
if env_file and Path(env_file).is_file():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-embedded-default-for-local-use-only"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
# Keys retired from DJANGO_SECRET_KEY, still accepted for what they signed or encrypted
# (sessions, links in emails, two-factor secrets: see accounts/mfa.py), comma-separated.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "mentoring.views.csrf_failure"

# The absolute address of the site, used in every email link (`make run` sets it to the address
# it serves), and the name the site and its emails go by.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Mentoring programs")

INSTALLED_APPS = [
    "mentoring.apps.MentoringAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",  # allauth.mfa's pages of passkeys
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "accounts",
    "cohorts",
    "notifications",
    "applications",
    "matching",
    "assessment",
    "participants",
    "reports",
]

MIDDLEWARE = [
    # First: an address with a NUL byte or another control character answers 404 before
    # anything (the database above all) sees it.
    "mentoring.middleware.RejectInvalidURLMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files keep their long cache lifetimes.
    "mentoring.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mentoring.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"
ASGI_APPLICATION = "mentoring.asgi.application"

TEMPLATES = [
    {
        "NAME": "django",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "mentoring.context_processors.site",
                "accounts.context_processors.reader_zone",
            ],
        },
    },
    {
        # Plain-text emails: the same templates, without HTML escaping, and a `date` filter
        # that formats each day once (a release prints the same dates thousands of times).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "builtins": ["notifications.templatetags.email_dates"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: opening one costs more than most pages (a trivial page does 4x the
# requests a second with them). Checked before reuse, so a restarted database costs one error-free
# reconnect, not a failed request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, each reading the signed-in person and their committee roles in one
# query a request (cohorts/auth.py).
AUTHENTICATION_BACKENDS = [
    "cohorts.auth.ModelBackend",
    "cohorts.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login, there are no usernames.
SITE_ID = 1
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up, login and password reset answer the same whether or not an account exists. For the
# sign-up that takes mandatory verification: an address that already has an account is sent
# an "you already have an account" email instead of being told so on the page.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up finishes the sign-up: logged in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's emails go through the outbox (accounts/adapter.py), like every other message, and
# a committee member without a second factor yet confirms a code sent by email at login
# (mentoring/adapters.py).
ACCOUNT_ADAPTER = "mentoring.adapters.AccountAdapter"
# Authenticator apps' secrets and recovery codes encrypted in the database (accounts/mfa.py).
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Tell people when their password, email address or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed logins are limited per address (10 a minute, 30 an hour) and per account (10 a minute,
# a sliding window): a stranger's wrong passwords hold the real owner back for at most a minute,
# never five. Every login path is allauth's (the admin's login hands over to it).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,30/h/ip,10/m/key",
}
# Behind a proxy the client's address is the one the proxy adds; with none, the socket's.
DJANGO_BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if DJANGO_BEHIND_PROXY else 0

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes,
# and passkeys or security keys (WebAuthn). Optional for everyone; required before the admin
# and the reports open for staff and committees when DEBUG is off (or as
# DJANGO_ADMIN_REQUIRES_MFA says).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Mentoring programs")
ADMIN_REQUIRES_MFA = env.bool("DJANGO_ADMIN_REQUIRES_MFA", default=not DEBUG)

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en-us", _("English"))]
# The project's own wording of third-party pages (allauth's "Sign In" is our "Log in").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; EMAIL_URL=smtp://user:pass@host:587/?tls=True for real delivery.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentoring <mentoring@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# Celery: eager (in process) unless a broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)

# A link typed without its scheme in a text (www.ala.org) opens over HTTPS, in pages and emails.
URLIZE_ASSUME_HTTPS = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, keeping its Redis client between calls (mentoring/cache.py).
    CACHES["default"]["BACKEND"] = "mentoring.cache.RedisCache"
# Sessions are read from the cache when every web process shares it (Redis, as docker-compose
# runs it), saving a database query on every signed-in page; written to both, so a session the
# cache lost is read from the database. With a cache in each process's memory (the default),
# a logout in one process would leave the session alive in another's: the database alone then.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"] == "mentoring.cache.RedisCache"
    else "django.contrib.sessions.backends.db"
)

# Security: strict when DEBUG is off; `manage.py check --deploy` is clean with production values
# and with docker-compose's defaults.
# The X-Forwarded-Proto header is believed only when a proxy in front sets it (and strips what
# the client sent); with no proxy, a client could claim https and skip the redirect.
if DJANGO_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A trial on this machine (SITE_URL at http://localhost, as docker-compose starts it) has no
# TLS to redirect to: the redirect is off and Django's W008 would say so on every check. Our own
# check (mentoring.checks) still warns when a public SITE_URL is served without https.
SITE_IS_LOCAL = _site_is_local(SITE_URL)
SILENCED_SYSTEM_CHECKS = ["security.W008"] if SITE_IS_LOCAL and not SECURE_SSL_REDIRECT else []

# Content-Security-Policy (Django's own middleware): only this site's scripts, styles, fonts and
# frames; no inline script or style without the request's nonce; images also as data: URLs
# (Bootstrap's icons, the authenticator QR code). Nothing may frame the pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Features no page uses are off; passkeys and copying a calendar address stay on for this site.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
    "browsing-topics": [],
    "clipboard-write": ["self"],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Demo data loaders run in order by `manage.py seed_demo`; each app adds its own.
# In order: applications before the pairings made of them, pairings before their goals.
DEMO_SEEDERS = [
    "cohorts.demo.seed",
    "applications.demo.seed",
    "applications.demo_questions.seed",
    "matching.demo.seed",
    "matching.demo_criteria.seed",
    "participants.demo.seed",
    "participants.health.demo.seed",
    "assessment.demo.seed",
    "accounts.demo.seed",
]

# Run by cohorts.services.cohort_create on every new cohort, in its transaction (each
# `hook(*, cohort)`): apps above cohorts add what a cohort needs from them without cohorts
# importing them.
COHORT_CREATED_HOOKS = [
    "assessment.services.surveys_create_for_cohort",
]
# Run by cohorts.services.cohort_update in its transaction when a cohort's values change (each
# `hook(*, cohort, changed: list[str])`): the apps that scheduled messages for the old dates
# move or withdraw them, and tell the applicants whose dates moved.
COHORT_CHANGED_HOOKS = [
    "matching.services.release_follow_cohort_dates",
    "applications.date_changes.applicants_told_of_new_dates",
    "participants.planners.orientation_follow_cohort",
    "participants.planners.mentoring_dates_follow_cohort",
]
# Run by cohorts.services when someone joins, leaves or changes role on a program's committee
# (each `hook(*, program, changed_by)`): the apps that gave its members a part let go of one
# who left (a pair's liaison) and readdress what was written to them and not sent yet (a
# low-score alert goes to whoever looks after the pair now, a problem report to the chairs now).
COMMITTEE_CHANGED_HOOKS = [
    "participants.health.services.committee_changed",
    "participants.services.problem_reports_readdress",
]

# Asked by applications.services.application_decide and applications_decide before decisions
# are made (each `guard(*, applications, decision) -> {application pk: why refused}`, one answer
# for the whole list): apps above applications refuse decisions that would contradict their
# state.
APPLICATION_DECISION_GUARDS = [
    "matching.services.pairings.decisions_guard",
]

# "Your data": each app's part of what the product holds about a person (`section(*, user)`),
# shown and downloaded in this order by accounts.personal_data.
PERSONAL_DATA_SECTIONS = [
    "accounts.personal_data.account_section",
    "cohorts.personal_data.section",
    "applications.personal_data.section",
    "matching.personal_data.section",
    "participants.personal_data.section",
    "assessment.personal_data.section",
    "notifications.personal_data.section",
]
# Deleting an account (accounts.services.user_delete): each app removes the person's name and
# contact details from its own rows (`erase(*, user)`), highest layer first: matching reads the
# names on the applications before applications blanks them.
ACCOUNT_ERASERS = [
    "participants.personal_data.erase",
    "matching.personal_data.erase",
    "applications.personal_data.erase",
    "cohorts.personal_data.erase",
    "notifications.personal_data.erase",
]

# Planners that create due notifications (each `planner(*, now) -> int`, idempotent by key);
# run by the beat's plan task and by `manage.py tick`.
NOTIFICATION_PLANNERS = [
    "applications.planners.plan_deadline_reminders",
    "participants.planners.plan_orientation_reminders",
    "participants.planners.plan_goal_sheet_reminders",
    "assessment.planners.plan_survey_invitations",
    "participants.health.pulse.plan_pulse_checks",
    "cohorts.planners.plan_call_open_notices",
    "notifications.planners.plan_failure_digest",
]

# When is each kind of message still true? Each app that owns a kind names a dict
# {kind: check(notifications, *, now) -> {pk: reason}} (see notifications.conditions). The
# deliverer asks just before sending; the services that change the state ask in their
# transaction. A kind with no condition is always sent.
NOTIFICATION_CONDITIONS = [
    "accounts.conditions.CONDITIONS",
    "cohorts.conditions.CONDITIONS",
    "applications.conditions.CONDITIONS",
    "matching.conditions.CONDITIONS",
    "assessment.conditions.CONDITIONS",
    "participants.conditions.CONDITIONS",
]
# Who receives the daily digest of failed messages (a function returning users).
NOTIFICATION_STAFF_RECIPIENTS = "cohorts.permissions.staff_users"

# The notification outbox (notifications/delivery.py): how long a worker's claim on a message
# lasts before another worker may take it over (longer than any single SMTP send), and the capped
# exponential backoff for temporary SMTP errors (base, base*2, base*4 ... at most the cap).
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=300)
NOTIFICATION_RETRY_BASE_SECONDS = env.float("NOTIFICATION_RETRY_BASE_SECONDS", default=60.0)
NOTIFICATION_RETRY_MAX_SECONDS = env.float("NOTIFICATION_RETRY_MAX_SECONDS", default=3600.0)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
# Messages only the program's chairs and staff read in the outbox (the others' content is
# confidential: a problem report is "only read by the committee chairs").
NOTIFICATION_CHAIRS_ONLY_KINDS = ["problem_report"]
# Personal links masked wherever the outbox is shown (regex, replacement).
NOTIFICATION_PRIVATE_LINKS = [
    (r"/surveys/[A-Za-z0-9_\-]+/", "/surveys/(personal link)/"),
    (r"/pulse/[A-Za-z0-9_\-]+/", "/pulse/(personal link)/"),
    (r"/subscriptions/[A-Za-z0-9_\-]+/", "/subscriptions/(personal link)/"),
    # allauth's messages travel through the outbox too: their keys open an account.
    (r"/accounts/password/reset/key/[^\s\"'<]+", "/accounts/password/reset/key/(personal link)"),
    (r"/accounts/confirm-email/[^\s\"'<]+", "/accounts/confirm-email/(personal link)"),
]
