"""Account services: one transaction each, every change audited with who, before and after.

They take the node's `Tables` so the regional and national nodes share them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.accounts import secrets
from regional.accounts.columns import NAME_MAX
from regional.accounts.secrets import N_
from regional.actors import OUTSIDE, Actor, Role, audit
from sync.times import aware  # a stored time as aware UTC (admin pages use it as service.aware)

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
LABEL_MAX = 100

# Throttling: an account locks for LOCK_MINUTES after MAX_FAILURES failures in a row;
# an address gets at most ADDRESS_FAILURES failures per ADDRESS_WINDOW (any names).
MAX_FAILURES = 5
LOCK_MINUTES = 15
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = dt.timedelta(minutes=15)
ATTEMPTS_KEPT = dt.timedelta(days=2)


@dataclass(frozen=True)
class Tables:
    """A node's account tables."""

    user: Any
    token: Any
    attempt: Any
    audit: Any
    node: str = "regional"  # the node's `hufu <node> user …` commands, named in messages


class AccountError(secrets.Refused):
    """A refused account change; the message names the field."""


class UnknownUser(AccountError):
    """No such user."""


def check_name(name: str) -> str:
    """A valid account name (letters, digits, . _ @ -; at most 64 characters)."""
    if not name or len(name) > NAME_MAX or not NAME_RE.match(name):
        raise AccountError(N_("Name %(name)s: 1 to %(n)s characters, letters, digits and . _ @ - only, "
                              "starting with a letter or digit."), name=repr(name[:80]), n=NAME_MAX)
    return name


def roles_for(node: str) -> list[Role]:
    """The roles a node's users may hold: outside accounts (rights holders, platform clients, enforcement bodies'
    users) exist on regional nodes only."""
    return [r for r in Role if node != "national" or r.value not in OUTSIDE]


def check_role(role: str, node: str = "regional") -> Role:
    """A known role, one this node's users may hold."""
    allowed = roles_for(node)
    try:
        value = Role(role)
    except ValueError:
        value = None
    if value is None or value not in allowed:
        raise AccountError(N_("Role %(role)s: one of %(roles)s."), role=repr(role[:40]),
                           roles=", ".join(r.value for r in allowed)) from None
    return value


def _public(user: Any) -> dict[str, object]:
    return {"name": user.name, "role": user.role, "active": user.active, "display_name": user.display_name}


def find_user(session: Session, t: Tables, name: str) -> Any:
    """The user called `name`, or UnknownUser."""
    user = session.scalar(sa.select(t.user).where(t.user.name == name))
    if user is None:
        raise UnknownUser(N_("No user %(name)s."), name=repr(name[:80]))
    return user


def add_user(session: Session, t: Tables, name: str, role: str, password: str, *, actor: Actor,
             now: dt.datetime, display_name: str | None = None) -> Any:
    """Create a user; the password must pass the policy."""
    check_name(name)
    role_value = check_role(role, t.node)
    secrets.check_policy(password, name)
    if display_name is not None and len(display_name) > 100:
        raise AccountError(N_("Display name: at most %(n)s characters."), n=100)
    if session.scalar(sa.select(t.user.id).where(t.user.name == name)) is not None:
        raise AccountError(N_("Name %(name)s: a user of that name exists."), name=repr(name))
    user = t.user(name=name, role=role_value.value, display_name=display_name or None,
                  password_hash=secrets.hash_password(password), active=True, created_at=now,
                  password_changed_at=now, failed_logins=0, session_epoch=0)
    session.add(user)
    session.flush()
    audit(session, actor, "user_added", now, after=_public(user), entry=t.audit, user=name)
    return user


def set_active(session: Session, t: Tables, name: str, active: bool, *, actor: Actor, now: dt.datetime) -> Any:
    """Enable or disable a user; disabling ends the user's sessions and stops its tokens."""
    user = find_user(session, t, name)
    if actor.name == name and not active:
        raise AccountError(N_("You cannot disable your own account."))
    before = _public(user)
    if user.active == active:
        return user
    user.active = active
    user.session_epoch += 1
    if active:
        user.failed_logins = 0
        user.locked_until = None
    audit(session, actor, "user_enabled" if active else "user_disabled", now, before=before,
          after=_public(user), entry=t.audit, user=name)
    return user


def set_role(session: Session, t: Tables, name: str, role: str, *, actor: Actor, now: dt.datetime) -> Any:
    """Change a user's role (their sessions end, so the new role applies at once)."""
    user = find_user(session, t, name)
    new = check_role(role, t.node).value
    if actor.name == name and user.role != new:  # the only administrator could lock the node out of its own users
        raise AccountError(N_("You cannot change your own role: another administrator can, or an operator on "
                              "the server with `%(command)s`."), command=f"hufu {t.node} user role")
    before = _public(user)
    if user.role != new:
        user.role = new
        user.session_epoch += 1
        audit(session, actor, "user_role_changed", now, before=before, after=_public(user), entry=t.audit,
              user=name)
    return user


def set_password(session: Session, t: Tables, name: str, password: str, *, actor: Actor,
                 now: dt.datetime) -> Any:
    """Set a user's password (their other sessions end); the audit entry records the change, never the password."""
    user = find_user(session, t, name)
    secrets.check_policy(password, name)
    user.password_hash = secrets.hash_password(password)
    user.password_changed_at = now
    user.session_epoch += 1
    user.failed_logins = 0
    user.locked_until = None
    audit(session, actor, "password_changed", now, entry=t.audit, user=name)
    return user


def unlock(session: Session, t: Tables, name: str, *, actor: Actor, now: dt.datetime) -> Any:
    """Lift a sign-in lock (5 wrong passwords) before its 15 minutes are over; audited."""
    user = find_user(session, t, name)
    if user.locked_until is None or aware(user.locked_until) <= now:
        raise AccountError(N_("User %(name)s is not locked."), name=repr(name))
    before = {"locked_until": aware(user.locked_until).isoformat()}
    user.locked_until = None
    user.failed_logins = 0
    audit(session, actor, "user_unlocked", now, before=before, after={"locked_until": None}, entry=t.audit,
          user=name)
    return user


def list_users(session: Session, t: Tables) -> list[Any]:
    """Every user, by name."""
    return list(session.scalars(sa.select(t.user).order_by(t.user.name)))


def add_token(session: Session, t: Tables, name: str, label: str, *, actor: Actor, now: dt.datetime) -> str:
    """Issue an API token acting as user `name`; returns the token (shown once, stored as a digest)."""
    user = find_user(session, t, name)
    if not user.active:
        raise AccountError(N_("User %(name)s is disabled."), name=repr(name))
    label = (label or "").strip() or "token"
    if len(label) > LABEL_MAX:
        raise AccountError(N_("Label: at most %(n)s characters."), n=LABEL_MAX)
    token = secrets.new_token()
    row = t.token(user_id=user.id, label=label, digest=secrets.token_digest(token), created_at=now)
    session.add(row)
    session.flush()
    audit(session, actor, "token_added", now, after={"id": row.id, "user": name, "label": label}, entry=t.audit,
          user=name)
    return token


def revoke_token(session: Session, t: Tables, token_id: int, *, actor: Actor, now: dt.datetime) -> Any:
    """Revoke a token by id."""
    row = session.get(t.token, token_id)
    if row is None:
        raise AccountError(N_("No token %(id)s."), id=token_id)
    if row.revoked_at is None:
        row.revoked_at = now
        audit(session, actor, "token_revoked", now, before={"id": row.id, "label": row.label, "revoked": False},
              after={"id": row.id, "label": row.label, "revoked": True}, entry=t.audit)
    return row


def list_tokens(session: Session, t: Tables) -> list[tuple[Any, str]]:
    """Every token with its user's name, newest first."""
    return list(session.execute(sa.select(t.token, t.user.name).join(t.user, t.token.user_id == t.user.id)
                                .order_by(t.token.id.desc())).all())  # type: ignore[arg-type]


def user_for_token(session: Session, t: Tables, token: str, now: dt.datetime) -> Any | None:
    """The active user a live token acts as, or None; notes when the token was last used."""
    if not token.startswith(secrets.TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(sa.select(t.token).where(t.token.digest == secrets.token_digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(t.user, row.user_id)
    if user is None or not user.active:
        return None
    last = row.last_used_at
    if last is None or aware(last) < now - dt.timedelta(minutes=1):
        row.last_used_at = now
    return user


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt."""

    user: Any | None
    locked: bool = False  # the account is locked out for a while
    throttled: bool = False  # the address made too many failed attempts


def authenticate(session: Session, t: Tables, name: str, password: str, *, address: str,
                 now: dt.datetime) -> SignIn:
    """Check a name and password with throttling; records the attempt and audits the outcome."""
    name = (name or "")[:NAME_MAX]
    address = (address or "unknown")[:64]
    session.execute(sa.delete(t.attempt).where(t.attempt.at < now - ATTEMPTS_KEPT))
    recent_failures = session.scalar(sa.select(sa.func.count()).select_from(t.attempt).where(
        t.attempt.address == address, t.attempt.ok.is_(False), t.attempt.at >= now - ADDRESS_WINDOW)) or 0
    system = Actor(name or "?", frozenset(), address)
    if recent_failures >= ADDRESS_FAILURES:
        session.add(t.attempt(at=now, address=address, name=name, ok=False))
        audit(session, system, "login_throttled", now, entry=t.audit, user=name)
        return SignIn(None, throttled=True)
    user = session.scalar(sa.select(t.user).where(t.user.name == name)) if name else None
    if user is not None and user.locked_until is not None and aware(user.locked_until) > now:
        secrets.verify_password(None, password)  # same cost as any other attempt
        session.add(t.attempt(at=now, address=address, name=name, ok=False))
        audit(session, system, "login_refused_locked", now, entry=t.audit, user=name)
        return SignIn(None, locked=True)
    ok = secrets.verify_password(user.password_hash if user is not None else None, password)
    if ok and user is not None and user.active:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        if secrets.needs_rehash(user.password_hash):
            user.password_hash = secrets.hash_password(password)
        session.add(t.attempt(at=now, address=address, name=name, ok=True))
        audit(session, Actor(user.name, frozenset({user.role}), address), "login", now, entry=t.audit)
        return SignIn(user)
    locked = False
    if user is None and name:
        # an unknown name "locks" like an account does, so the lock message does not tell which names exist
        # (newcomer14 F35): its failed attempts of the last LOCK_MINUTES are counted from the attempts kept
        earlier = session.scalar(sa.select(sa.func.count()).select_from(t.attempt).where(
            t.attempt.name == name, t.attempt.ok.is_(False),
            t.attempt.at >= now - dt.timedelta(minutes=LOCK_MINUTES))) or 0
        locked = earlier + 1 >= MAX_FAILURES
    session.add(t.attempt(at=now, address=address, name=name, ok=False))
    if user is not None and ok is False:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            locked = True
    reason = "disabled" if user is not None and ok and not user.active else "bad_credentials"
    audit(session, system, "login_failed", now, entry=t.audit, user=name, reason=reason,
          **({"locked_for_minutes": LOCK_MINUTES} if locked else {}))
    return SignIn(None, locked=locked)
