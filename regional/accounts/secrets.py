"""Password hashing (Argon2id) and API tokens: the only code that touches secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PASSWORD_MIN = 10
PASSWORD_MAX = 256
TOKEN_PREFIX = "hufu_"

# Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): memory-hard, yet cheap enough that
# sign-ins stay quick on a 2-core office server; needs_rehash() upgrades old hashes at sign-in
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# verified against when a name is unknown, so an unknown name costs as long as a wrong password
_DUMMY = _HASHER.hash("not a password of anyone")


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (the web UI translates it)."""
    return message


class Refused(ValueError):
    """A refused input: an English message for the CLI and logs, its template and parameters for the UI."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


class WeakPassword(Refused):
    """A password the policy refuses; the message says why."""


def check_policy(password: str, name: str) -> None:
    """Refuse passwords that are too short, too long, all one character or the account name."""
    if len(password) < PASSWORD_MIN:
        raise WeakPassword(N_("Password: at least %(n)s characters."), n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise WeakPassword(N_("Password: at most %(n)s characters."), n=PASSWORD_MAX)
    if len(set(password)) < 4:
        raise WeakPassword(N_("Password: use at least 4 different characters."))
    if name and name.casefold() in password.casefold():
        raise WeakPassword(N_("Password: must not contain the account name."))


def hash_password(password: str) -> str:
    """An Argon2id hash (salt and parameters included)."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored` (constant work even when there is no stored hash)."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored)


def new_token() -> str:
    """A fresh API token (256 random bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (tokens are random, so no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a.encode(), b.encode())
