"""Two-factor secrets kept encrypted in the database (settings.MFA_ADAPTER names the adapter).

allauth.mfa stores what an authenticator app's codes are computed from (the TOTP secret) and
what the recovery codes are derived from (their seed, or the codes themselves when migrated).
Stored as they are, anyone who reads the database, or a backup of it, can compute a chair's
next code. allauth hands each of them to its adapter's `encrypt` before saving and `decrypt`
after reading; here they are sealed with Fernet (AES in CBC mode with an HMAC) under a key
derived from DJANGO_SECRET_KEY, and read with it or any of DJANGO_SECRET_KEY_FALLBACKS.

After changing the secret key, keep the old one among the fallbacks and run
`manage.py reseal_mfa_secrets`; then the old one can go.

A value saved before this adapter (no prefix) is read as it is; migration 0003 seals them.
A value no key opens is refused: its codes never match, and the log says why (a random secret
stands in for it, never an empty or known one, which would make the codes guessable).
"""

import base64
import functools
import logging
import secrets

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "fernet:"


class UnreadableSecret(Exception):
    """No key of DJANGO_SECRET_KEY and its fallbacks opens the stored value."""


@functools.cache
def _fernet(secret_key: str) -> Fernet:
    """The key for two-factor secrets, derived from the project's secret key (its own key, so
    that nothing else the secret key signs can be turned into it)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"mentoring", info=b"allauth.mfa secrets"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str) -> str:
    """`text` encrypted under the current secret key, as stored."""
    return PREFIX + _fernet(settings.SECRET_KEY).encrypt(text.encode()).decode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def unseal(stored: str) -> str:
    """The stored value in clear: opened with the secret key or one of its fallbacks; a value
    stored before encryption is returned as it is."""
    if not is_sealed(stored):
        return stored
    token = stored.removeprefix(PREFIX).encode("ascii")
    for secret_key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            return _fernet(secret_key).decrypt(token).decode()
        except InvalidToken:
            continue
    raise UnreadableSecret


def _unguessable() -> str:
    """A stand-in for a secret that cannot be read: base32, so the TOTP check accepts it as a
    secret, and random, so no code computed from anything matches it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return unseal(encrypted_text)
        except UnreadableSecret:
            logger.error(
                "A two-factor secret could not be decrypted with DJANGO_SECRET_KEY or "
                "DJANGO_SECRET_KEY_FALLBACKS; its codes are refused. Put the key it was saved "
                "under back among the fallbacks, or have the person set the factor up again."
            )
            return _unguessable()


# --- what is stored, authenticator by authenticator ----------------------------------------------


def _under_current_key(value: str) -> bool:
    try:
        _fernet(settings.SECRET_KEY).decrypt(value.removeprefix(PREFIX).encode("ascii"))
    except InvalidToken:
        return False
    return True


def _resealed(value: str, *, rekey: bool) -> str:
    """The value sealed under the current key: a clear one always; one sealed under a fallback
    key only when `rekey`."""
    if not is_sealed(value):
        return seal(value)
    if rekey and not _under_current_key(value):
        return seal(unseal(value))
    return value


def resealed_data(kind: str, data: dict, *, rekey: bool) -> dict:
    """An authenticator's data with its secrets sealed under the current key (WebAuthn's data
    holds public keys only and is returned as it is). Raises UnreadableSecret."""
    data = dict(data)
    if kind == "totp":
        data["secret"] = _resealed(data["secret"], rekey=rekey)
    elif kind == "recovery_codes":
        if "seed" in data:
            data["seed"] = _resealed(data["seed"], rekey=rekey)
        if data.get("migrated_codes") is not None:
            data["migrated_codes"] = [
                _resealed(code, rekey=rekey) for code in data["migrated_codes"]
            ]
    return data


def reseal_all(authenticators, *, rekey: bool) -> tuple[int, int]:
    """Seal every authenticator's secrets under the current key; (changed, unreadable).

    `authenticators` is a queryset of allauth.mfa's Authenticator (or a migration's copy of
    it). Each row is rewritten under its lock, so a recovery code used meanwhile stays used.
    """
    changed = unreadable = 0
    for pk in authenticators.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            authenticator = authenticators.select_for_update().filter(pk=pk).first()
            if authenticator is None:  # removed meanwhile
                continue
            try:
                data = resealed_data(authenticator.type, authenticator.data, rekey=rekey)
            except UnreadableSecret:
                unreadable += 1
                continue
            if data != authenticator.data:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed, unreadable
