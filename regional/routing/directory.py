"""The agency directory of a node: generated for a province, imported from a file, edited by an admin.

File format (JSON Lines, or CSV with the same column names and a header line; UTF-8):

    {"code": "440305-MR", "name": "深圳市市场监督管理局南山监管局", "kind": "market_regulation",
     "level": "district", "division": "440305", "address": "…", "contact": "…", "phone": "0755-…",
     "email": "…", "active": true}

`kind`: ip_enforcement (知识产权执法), market_regulation (市场监管), rights_assistance (维权援助中心),
customs_liaison (海关联络, for leads from customs declarations),
protection_centre (保护中心) — the Chinese names are accepted too. `level`: province, city or
district (省 / 市 / 区县); it must fit the GB/T 2260 `division` code, which must lie in the node's
province. Records are matched by `code`: an import adds new bodies and updates known ones,
all or nothing; an error names the line and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.actors import ADMIN, Actor, audit
from regional.routing.core import AgencyKind
from regional.routing.places import MUNICIPALITIES, Level, divisions
from regional.workflow_models import AgencyMember, AgencyRow

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_RECORDS = 20_000
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_PHONE = re.compile(r"^[0-9+()\- 转]{3,40}$")
_EMAIL = re.compile(r"^[^@\s]{1,100}@[^@\s]{1,98}\.[^@\s]{1,20}$")
_KIND_WORDS = {"知识产权执法": AgencyKind.IP_ENFORCEMENT, "市场监管": AgencyKind.MARKET_REGULATION,
               "维权援助中心": AgencyKind.RIGHTS_ASSISTANCE, "保护中心": AgencyKind.PROTECTION_CENTRE,
               "海关联络": AgencyKind.CUSTOMS_LIAISON}
_LEVEL_WORDS = {"省": Level.PROVINCE, "省级": Level.PROVINCE, "市": Level.CITY, "市级": Level.CITY,
                "区县": Level.DISTRICT, "区": Level.DISTRICT, "县": Level.DISTRICT, "县级": Level.DISTRICT}
FIELDS = ("code", "name", "kind", "level", "division", "address", "contact", "phone", "email", "active")
LIMITS = {"name": 200, "address": 300, "contact": 100, "phone": 40, "email": 200}


class DirectoryError(ValueError):
    """An agency record (or file) that cannot be stored; names the record and the field."""


@dataclass(frozen=True)
class AgencyInput:
    """A validated agency record."""

    code: str
    name: str
    kind: AgencyKind
    level: Level
    division: str
    address: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    active: bool = True


def _text(record: Mapping[str, Any], name: str, where: str, *, required: bool = False) -> str | None:
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DirectoryError(f"{where}: field '{name}' is required")
        return None
    if not isinstance(value, str):
        raise DirectoryError(f"{where}: field '{name}' must be text")
    value = value.strip()
    limit = LIMITS.get(name, 200)
    if len(value) > limit:
        raise DirectoryError(f"{where}: field '{name}' has {len(value)} characters; at most {limit}")
    if any(ord(ch) < 32 for ch in value):
        raise DirectoryError(f"{where}: field '{name}' holds control characters")
    return value


def validate(record: Mapping[str, Any], province: str, where: str = "record") -> AgencyInput:
    """One agency record checked field by field."""
    if not isinstance(record, Mapping):
        raise DirectoryError(f"{where}: expected an object with fields {', '.join(FIELDS)}")
    code = _text(record, "code", where, required=True) or ""
    if not _CODE.match(code):
        raise DirectoryError(f"{where}: field 'code' {code!r} must be 1-32 letters, digits, '.', '_' or '-'")
    name = _text(record, "name", where, required=True) or ""
    kind_raw = _text(record, "kind", where, required=True) or ""
    kind = _KIND_WORDS.get(kind_raw)
    if kind is None:
        try:
            kind = AgencyKind(kind_raw)
        except ValueError:
            raise DirectoryError(f"{where}: field 'kind' {kind_raw!r} is not one of "
                                 f"{', '.join(k.value for k in AgencyKind)}") from None
    level_raw = _text(record, "level", where, required=True) or ""
    level = _LEVEL_WORDS.get(level_raw)
    if level is None:
        try:
            level = Level(level_raw)
        except ValueError:
            raise DirectoryError(f"{where}: field 'level' {level_raw!r} is not one of "
                                 f"{', '.join(v.value for v in Level)}") from None
    division = str(record.get("division") or "").strip()
    if not re.fullmatch(r"\d{6}", division):
        raise DirectoryError(f"{where}: field 'division' must be a six-digit GB/T 2260 code")
    if division not in divisions().by_code:
        raise DirectoryError(f"{where}: field 'division' {division} is not a GB/T 2260 division")
    if division[:2] != province[:2]:
        raise DirectoryError(f"{where}: field 'division' {division} lies outside this node's province {province}")
    expected = _level_of(division)
    if level is not expected:
        raise DirectoryError(f"{where}: field 'level' is {level.value} but division {division} is a {expected.value}")
    phone = _text(record, "phone", where)
    if phone and not _PHONE.match(phone):
        raise DirectoryError(f"{where}: field 'phone' {phone!r} is not a telephone number")
    email = _text(record, "email", where)
    if email and not _EMAIL.match(email):
        raise DirectoryError(f"{where}: field 'email' {email!r} is not an e-mail address")
    active = record.get("active", True)
    if isinstance(active, str):
        if active.strip().lower() not in ("true", "false", "1", "0", "yes", "no", "是", "否", ""):
            raise DirectoryError(f"{where}: field 'active' must be true or false")
        active = active.strip().lower() in ("true", "1", "yes", "是", "")
    if not isinstance(active, bool):
        raise DirectoryError(f"{where}: field 'active' must be true or false")
    return AgencyInput(code, name, kind, level, division, _text(record, "address", where),
                       _text(record, "contact", where), phone, email, active)


def _level_of(division: str) -> Level:
    if division.endswith("0000"):
        return Level.PROVINCE
    if division.endswith("00") and division[:2] not in MUNICIPALITIES:
        return Level.CITY
    return Level.DISTRICT


def save(session: Session, record: AgencyInput, actor_name: str, now: dt.datetime, origin: str) -> tuple[AgencyRow, bool]:
    """Insert or update one agency by code; returns (row, created)."""
    row = session.scalar(sa.select(AgencyRow).where(AgencyRow.code == record.code))
    created = row is None
    if row is None:
        row = AgencyRow(code=record.code, origin=origin)
        session.add(row)
    row.name, row.kind, row.level, row.division = record.name, record.kind, record.level, record.division
    row.address, row.contact, row.phone, row.email = record.address, record.contact, record.phone, record.email
    row.active = record.active
    row.updated_at = now
    row.updated_by = actor_name
    return row, created


def read_file(path: Path, province: str) -> list[AgencyInput]:
    """Every record of a directory file, validated; DirectoryError names the first bad line and field."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DirectoryError(f"{path}: {size} bytes; a directory file has at most {MAX_FILE_BYTES}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DirectoryError(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    if not text.strip():
        raise DirectoryError(f"{path}: the file holds no agency")
    records: list[tuple[str, Mapping[str, Any]]] = []
    if path.suffix.lower() == ".csv" or text.lstrip().startswith("code,"):
        reader = csv.DictReader(io.StringIO(text))
        missing = {"code", "name", "kind", "level", "division"} - set(reader.fieldnames or ())
        if missing:
            raise DirectoryError(f"{path}:1: the header lacks {', '.join(sorted(missing))}")
        for n, row in enumerate(reader, start=2):
            records.append((f"{path}:{n}", {k: v for k, v in row.items() if k}))
    else:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((f"{path}:{n}", json.loads(line)))
            except json.JSONDecodeError as exc:
                raise DirectoryError(f"{path}:{n}: not valid JSON ({exc.msg}); the file is JSON Lines "
                                     "(one object per line) or CSV with a header") from None
    if len(records) > MAX_RECORDS:
        raise DirectoryError(f"{path}: {len(records)} records; at most {MAX_RECORDS}")
    out: list[AgencyInput] = []
    seen: dict[str, str] = {}
    for where, record in records:
        item = validate(record, province, where)
        if item.code in seen:
            raise DirectoryError(f"{where}: code {item.code} already given at {seen[item.code]}")
        seen[item.code] = where
        out.append(item)
    return out


@dataclass(frozen=True)
class ImportResult:
    """What a directory import did."""

    created: int
    updated: int


def import_file(session: Session, path: Path, province: str, actor: Actor, now: dt.datetime) -> ImportResult:
    """Import a directory file, all or nothing (an admin's action)."""
    actor.require(ADMIN)
    records = read_file(path, province)
    created = updated = 0
    for record in records:
        _row, new = save(session, record, actor.name, now, "import")
        created += new
        updated += not new
    audit(session, actor, "agencies_imported", now, file=path.name, created=created, updated=updated)
    return ImportResult(created, updated)


def edit(session: Session, record: Mapping[str, Any], province: str, actor: Actor, now: dt.datetime) -> AgencyRow:
    """An admin adds or changes one agency."""
    actor.require(ADMIN)
    item = validate(record, province, "agency")
    existing = session.scalar(sa.select(AgencyRow).where(AgencyRow.code == item.code))
    before = None if existing is None else {"name": existing.name, "kind": existing.kind.value,
                                            "level": existing.level.value, "division": existing.division,
                                            "phone": existing.phone, "active": existing.active}
    row, _created = save(session, item, actor.name, now, existing.origin if existing else "manual")
    audit(session, actor, "agency_saved", now, agency=item.code, before=before,
          after={"name": item.name, "kind": item.kind.value, "level": item.level.value, "division": item.division,
                 "phone": item.phone, "active": item.active})
    return row


def set_member(session: Session, agency_code: str, username: str, member: bool, actor: Actor,
               now: dt.datetime) -> None:
    """Add a user to a body (they see its notices) or take them off it."""
    actor.require(ADMIN)
    username = (username or "").strip()
    if not username or len(username) > 100:
        raise DirectoryError("give the user name (at most 100 characters)")
    agency = session.scalar(sa.select(AgencyRow).where(AgencyRow.code == agency_code))
    if agency is None:
        raise DirectoryError(f"no agency {agency_code!r}")
    row = session.scalar(sa.select(AgencyMember).where(AgencyMember.agency_id == agency.id,
                                                       AgencyMember.username == username))
    if member and row is None:
        session.add(AgencyMember(agency_id=agency.id, username=username))
    elif not member and row is not None:
        session.delete(row)
    else:
        return
    audit(session, actor, "agency_member_added" if member else "agency_member_removed", now, agency=agency_code,
          user=username)


def generated(province: str) -> list[AgencyInput]:
    """A plausible directory for a province from the GB/T 2260 tree (demo data: names follow the real
    pattern, contacts are the public hotlines 12315 / 12330)."""
    tree = divisions()
    p = tree.by_code[province]
    short = p.name
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if short.endswith(suffix):
            short = short[: -len(suffix)]
            break
    out = [
        AgencyInput(f"{province}-MR", f"{p.name}市场监督管理局", AgencyKind.MARKET_REGULATION, Level.PROVINCE, province,
                    tree.full_name(province), None, "12315"),
        AgencyInput(f"{province}-IP", f"{p.name}知识产权局执法处", AgencyKind.IP_ENFORCEMENT, Level.PROVINCE, province,
                    tree.full_name(province), None, "12330"),
        AgencyInput(f"{province}-RA", f"{p.name}知识产权维权援助中心", AgencyKind.RIGHTS_ASSISTANCE, Level.PROVINCE,
                    province, tree.full_name(province), None, "12330"),
        AgencyInput(f"{province}-PC", f"中国（{short}）知识产权保护中心", AgencyKind.PROTECTION_CENTRE, Level.PROVINCE,
                    province, tree.full_name(province), None, "12330"),
        AgencyInput(f"{province}-CU", f"{p.name}知识产权局海关保护联络处", AgencyKind.CUSTOMS_LIAISON, Level.PROVINCE,
                    province, tree.full_name(province), None, "12360"),
    ]
    for city in tree.kids(province):
        if _level_of(city.code) is Level.CITY:
            out += [
                AgencyInput(f"{city.code}-MR", f"{city.name}市场监督管理局", AgencyKind.MARKET_REGULATION, Level.CITY,
                            city.code, tree.full_name(city.code), None, "12315"),
                AgencyInput(f"{city.code}-IP", f"{city.name}知识产权局", AgencyKind.IP_ENFORCEMENT, Level.CITY,
                            city.code, tree.full_name(city.code), None, "12330"),
                AgencyInput(f"{city.code}-RA", f"{city.name}知识产权维权援助分中心", AgencyKind.RIGHTS_ASSISTANCE,
                            Level.CITY, city.code, tree.full_name(city.code), None, "12330"),
            ]
            districts = tree.kids(city.code)
        else:
            districts = [city]  # a municipality's districts sit directly under it
        for d in districts:
            parent = city.name if d is not city else ""
            name = f"{parent}市场监督管理局{d.name}分局" if parent else f"{d.name}市场监督管理局"
            out.append(AgencyInput(f"{d.code}-MR", name, AgencyKind.MARKET_REGULATION, Level.DISTRICT, d.code,
                                   tree.full_name(d.code), None, "12315"))
    return out


def generate_for_province(session: Session, province: str, *, actor_name: str, now: dt.datetime) -> int:
    """Write the generated directory of a province (existing codes are left as they are); returns how many were added."""
    known = set(session.scalars(sa.select(AgencyRow.code)))
    added = 0
    for item in generated(province):
        if item.code in known:
            continue
        save(session, item, actor_name, now, "generated")
        added += 1
    return added
