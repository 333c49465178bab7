"""Who acts: the signed-in user (or API token, or job) behind a state change, and the audit entry it leaves.

Services take an `Actor` and check roles themselves as well as the views, so a rule holds
whichever door a request comes through (web form, JSON API, CLI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session


class Role(StrEnum):
    """The roles of a node's users (the same names on regional and national nodes)."""

    OFFICER = "officer"  # 审核员: judges leads, handles cases
    SUPERVISOR = "supervisor"  # 科室负责人: second review, assignment, overrides
    ADMIN = "admin"  # 管理员: users, agencies, settings
    AUDITOR = "auditor"  # 审计员: reads everything, changes nothing
    RIGHTS_HOLDER = "rights_holder"  # 权利人 (regional): asks for screenings of its own rights, sees their results
    PLATFORM = "platform"  # 平台接入 (regional): a platform's machine client posting listings to the feed API
    AGENCY = "agency"  # 执法机构用户 (regional): a user of a body in the directory; reads its body's notices only


OFFICER = Role.OFFICER.value
SUPERVISOR = Role.SUPERVISOR.value
ADMIN = Role.ADMIN.value
AUDITOR = Role.AUDITOR.value
RIGHTS_HOLDER = Role.RIGHTS_HOLDER.value
PLATFORM = Role.PLATFORM.value
AGENCY = Role.AGENCY.value
# Roles for people and clients outside the office; they exist on regional nodes only.
OUTSIDE = frozenset({RIGHTS_HOLDER, PLATFORM, AGENCY})
STAFF = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)  # the office's own people, on every node
REVIEWERS = frozenset({OFFICER, SUPERVISOR})

# What a user's one role lets them act as: a supervisor also does an officer's work.
IMPLIED: dict[str, frozenset[str]] = {SUPERVISOR: frozenset({SUPERVISOR, OFFICER})}


def roles_of(role: str) -> frozenset[str]:
    """The roles a user holding `role` acts with."""
    return IMPLIED.get(role, frozenset({role}))


class Forbidden(PermissionError):
    """The actor's role does not allow this action."""


@dataclass(frozen=True)
class Actor:
    """A person or process acting on the node."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    address: str | None = None  # the client address a web request came from

    @classmethod
    def system(cls, name: str = "worker") -> Actor:
        """A scheduled job or the command line: every role, no address."""
        return cls(name, frozenset({OFFICER, SUPERVISOR, ADMIN}))

    @property
    def supervisor(self) -> bool:
        """Whether this actor may do a supervisor's work (second review, assignment, overrides)."""
        return SUPERVISOR in self.roles

    def require(self, *roles: str) -> None:
        """Raise Forbidden unless the actor holds one of `roles`."""
        if not self.roles & set(roles):
            raise Forbidden(f"{self.name} may not do this (needs the role {' or '.join(roles)})")


def audit(session: Session, actor: Actor, action: str, now: dt.datetime, *, before: object = None,
          after: object = None, entry: type | None = None, **detail: object) -> None:
    """Append an audit entry for a state change in the caller's transaction.

    `entry` is the node's audit table (the regional one by default; the national node passes its own).
    """
    if entry is None:
        from regional.models import AuditEntry as entry  # noqa: N813
    session.add(entry(at=now, actor=actor.name, action=action, address=actor.address,
                      before=before, after=after, detail=dict(detail)))
