"""Secrets at rest: authenticator keys and drafts of unsaved text (accounts/drafts.py)
encrypted (AES-GCM), recovery codes kept only as a keyed hash, all under
MELDCODE_SECRETS_KEY. A copy of the database or of its backups without that key reveals
none of them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1:"
MISSING = (
    "MELDCODE_SECRETS_KEY is not set. Set it once to a long random value in production "
    "(it protects the second factors; README, Production), or set DJANGO_DEBUG=1."
)


def key_is_set() -> bool:
    return bool(settings.MELDCODE_SECRETS_KEY)


def _key(purpose: bytes) -> bytes:
    if not key_is_set():
        raise ImproperlyConfigured(MISSING)
    return hashlib.sha256(purpose + b"\x00" + settings.MELDCODE_SECRETS_KEY.encode()).digest()


def encrypt(
    plain: bytes, *, purpose: bytes = b"meldcode-otp-key", bound_to: bytes | None = None
) -> str:
    """`purpose` picks the key (each kind of secret its own); `bound_to` is authenticated
    with it, so a sealed value copied to another row (another owner) does not open."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plain, bound_to)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(
    token: str, *, purpose: bytes = b"meldcode-otp-key", bound_to: bytes | None = None
) -> bytes:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted secret")
    raw = base64.b64decode(token[len(PREFIX) :])
    return AESGCM(_key(purpose)).decrypt(raw[:12], raw[12:], bound_to)


def code_digest(code: str) -> str:
    """A recovery code's keyed hash (the codes are random, so no slow hash is needed)."""
    normal = "".join(code.split()).lower()
    return hmac.new(_key(b"meldcode-recovery-code"), normal.encode(), hashlib.sha256).hexdigest()
