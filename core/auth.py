"""Optional access control for a team server: mode switch and password hashing.

Off by default (a laptop has one user). ``ML_STUDIO_AUTH=users`` turns it on: people sign in
with a user name and password kept in the ``users`` table (created with
``python -m core.cli users add``) and see only the projects they own or that are shared with
them. Passwords are stored as salted scrypt hashes (Python's ``hashlib.scrypt``, OpenSSL's
implementation); the clear text is never stored or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

MODES = ("off", "users")
_N, _R, _P = 2**14, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024


def auth_mode() -> str:
    """``"off"`` or ``"users"`` from ``ML_STUDIO_AUTH``; an unknown value fails closed."""
    raw = (os.environ.get("ML_STUDIO_AUTH") or "off").strip().lower()
    if raw in ("", "0", "false", "no", "none", "off"):
        return "off"
    return "users"  # "users", "on", "1", or a typo: better to ask for a sign-in than to open up


def auth_enabled() -> bool:
    """True when people must sign in."""
    return auth_mode() != "off"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A self-describing salted scrypt hash: ``scrypt$n$r$p$salt$key``."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=_MAXMEM, dklen=_KEY_BYTES)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time comparison; malformed hashes never match)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), maxmem=_MAXMEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked against when the user name is unknown, so a wrong name takes as long as a wrong password."""
