"""Second-factor secrets at rest: authenticator keys encrypted (AES-GCM) and recovery codes
kept only as a keyed hash, both under MELDCODE_SECRETS_KEY. A copy of the database or of
its backups without that key reveals neither."""

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


def encrypt(plain: bytes) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(b"meldcode-otp-key")).encrypt(nonce, plain, None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> bytes:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted secret")
    raw = base64.b64decode(token[len(PREFIX) :])
    return AESGCM(_key(b"meldcode-otp-key")).decrypt(raw[:12], raw[12:], None)


def code_digest(code: str) -> str:
    """A recovery code's keyed hash (the codes are random, so no slow hash is needed)."""
    normal = "".join(code.split()).lower()
    return hmac.new(_key(b"meldcode-recovery-code"), normal.encode(), hashlib.sha256).hexdigest()
