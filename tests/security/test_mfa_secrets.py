"""Two-factor secrets are stored encrypted (accounts/mfa.py).

Whoever reads the database or a backup of it must not be able to compute a chair's next code
or recovery codes. The secrets are sealed under a key derived from DJANGO_SECRET_KEY, still
open after the key changes while the old one is among the fallbacks, can be re-sealed under
the new one (`manage.py reseal_mfa_secrets`), and those saved in clear before are sealed by a
migration. A secret no key opens makes every code wrong, never the page fail.
"""

import importlib
import json
import logging
import types

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from tests.accounts.factories import PASSWORD
from tests.accounts.helpers import current_code, enrol

pytestmark = pytest.mark.django_db

OLD_KEY = "the-key-before-the-change-" + "o" * 30
NEW_KEY = "the-key-after-the-change-" + "n" * 30


@pytest.fixture(autouse=True)
def required(settings):
    settings.ADMIN_REQUIRES_MFA = True
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    # A code computed just before a 30-second step ends is still taken just after it.
    settings.MFA_TOTP_TOLERANCE = 1
    cache.clear()


@pytest.fixture
def person(chair):
    chair.emailaddress_set.create(email=chair.email, verified=True, primary=True)
    return chair


def stored(user, kind) -> dict:
    return Authenticator.objects.get(user=user, type=kind).data


def log_in(client, user, code) -> bool:
    """The login with a password, then the second step with `code`: whether it let them in."""
    cache.clear()  # allauth refuses a code used a moment ago; each test logs in afresh
    client.logout()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    client.post("/accounts/2fa/authenticate/", {"code": code})
    return "_auth_user_id" in client.session


def test_setting_up_an_authenticator_app_stores_its_secret_encrypted(client, person):
    client.force_login(person)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # the page asks first
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]  # what the page shows and the QR code holds
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302

    totp = json.dumps(stored(person, Authenticator.Type.TOTP))
    assert secret not in totp
    assert stored(person, Authenticator.Type.TOTP)["secret"].startswith("fernet:")
    recovery = stored(person, Authenticator.Type.RECOVERY_CODES)
    assert recovery["seed"].startswith("fernet:")
    with connection.cursor() as cursor:  # nor anywhere in the table
        cursor.execute("SELECT CAST(data AS TEXT) FROM mfa_authenticator")
        assert all(secret not in row[0] for row in cursor.fetchall())

    assert log_in(client, person, current_code(secret))
    assert not log_in(client, person, "000000")


def test_the_recovery_codes_still_work_and_are_not_derivable_from_the_database(client, person):
    enrol(person)
    codes = RecoveryCodes.activate(person).get_unused_codes()
    seed = stored(person, Authenticator.Type.RECOVERY_CODES)["seed"]
    assert seed.startswith("fernet:") and not any(code in seed for code in codes)

    assert log_in(client, person, codes[0])
    assert not log_in(client, person, codes[0])  # used once
    assert log_in(client, person, codes[1])


def test_after_the_key_changes_codes_work_with_the_old_key_among_the_fallbacks(
    client, person, settings
):
    secret = enrol(person)
    codes = RecoveryCodes.activate(person).get_unused_codes()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert log_in(client, person, current_code(secret))
    assert log_in(client, person, codes[0])

    call_command("reseal_mfa_secrets", stdout=(out := _Output()))
    assert "2 authenticator(s) encrypted under the current key" in out.text  # TOTP, codes
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired
    assert log_in(client, person, current_code(secret))
    assert log_in(client, person, codes[1])
    assert not log_in(client, person, codes[0])  # still used
    call_command("reseal_mfa_secrets", stdout=(out := _Output()))
    assert "0 authenticator(s)" in out.text  # nothing left to do


def test_a_secret_no_key_opens_refuses_every_code_without_failing(client, person, settings, caplog):
    secret = enrol(person)
    settings.SECRET_KEY = NEW_KEY  # the old key lost, not kept as a fallback
    with caplog.at_level(logging.ERROR, logger="accounts.mfa"):
        assert not log_in(client, person, current_code(secret))
    assert "could not be decrypted" in caplog.text
    # Nothing computed from a known value passes either.
    assert not log_in(client, person, current_code(""))
    with pytest.raises(CommandError, match="1 authenticator"):
        call_command("reseal_mfa_secrets", stdout=_Output())


def test_the_migration_encrypts_secrets_stored_in_clear(client, person):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": secret})
    Authenticator.objects.create(
        user=person,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"migrated_codes": ["12345678", "87654321"], "used_mask": 0},
    )
    assert log_in(client, person, current_code(secret))  # read as they are before it runs

    migration = importlib.import_module("accounts.migrations.0003_encrypt_mfa_secrets")
    migration.encrypt_stored_secrets(apps, types.SimpleNamespace(connection=connection))

    totp = stored(person, Authenticator.Type.TOTP)
    assert totp["secret"].startswith("fernet:") and secret not in json.dumps(totp)
    codes = stored(person, Authenticator.Type.RECOVERY_CODES)["migrated_codes"]
    assert all(code.startswith("fernet:") for code in codes)
    assert "12345678" not in json.dumps(codes)
    assert log_in(client, person, current_code(secret))
    assert log_in(client, person, "87654321")
    assert not log_in(client, person, "87654321")


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
