"""Passwords: hashing with Argon2id, and which new passwords are too weak."""

import functools
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown address like a known one.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common-passwords.txt"
_TRAILING = re.compile(r"[\d\W_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """A Danish message if the password is too weak, else None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Adgangskoden skal være mindst %(n)d tegn.", n=minimum)
    lowered = password.strip().lower()
    # "Sommer2026!!!" is "sommer" with what everybody adds at the end.
    if lowered in common_passwords() or _TRAILING.sub("", lowered) in common_passwords():
        return _("Adgangskoden er for almindelig og gættes let. Vælg en anden, gerne en sætning af flere ord.")
    return None
