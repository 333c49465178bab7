"""A case revision's message is stored once (`downlink_bodies`) and named by the downlink row of each region it goes
to; what every region reads from its feed is the same bytes as when each row held its own copy (SQLite file and
PostgreSQL). Purging a region's feed keeps a body other regions' rows still name; the revision that adds the table
upgrades a database at the previous head and keeps its rows readable."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from national import cases, feed
from national import node as national_node
from national.bench.cases import _fresh_database
from national.bench.generate import generate
from national.models import DownlinkBody, DownlinkRow, NationalLead, RegionRow
from sync.db import Database, make_engine, run_migrations, sqlite_url

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))


def _leads(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [{"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "region": rec["region"],
             "listing_id": f"L{k}", "right_number": f"TM-{rng.randint(1, 12)}", "type": "trademark", "score": 0.9,
             "reasons": ["相似商标"], "model_version": "t", "seller_name": rec.get("name"),
             "seller_uscc": rec.get("uscc"), "seller_phone": rec.get("phone"), "seller_address": rec.get("address"),
             "seller_shop_url": rec.get("shop_url"), "received_at": NOW}
            for k, (rec, _entity) in enumerate(generate(n, seed=seed))]


def _two_cycles(db_url: str, shared: bool, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Two incremental cycles over the same leads (case uuids drawn from a seeded generator)."""
    rng = random.Random(5)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
    monkeypatch.setattr(cases, "SHARED_BODIES", shared)
    rows = _leads(1200, seed=3)
    db = Database(db_url)
    for part in (rows[:800], rows[800:]):
        with db.transaction() as s:
            s.execute(sa.insert(NationalLead), part)
        with db.transaction() as s:
            cases.form_cases(s, NOW)
    return db


def _feeds(db: Database) -> dict[str, list[bytes]]:
    with db.read() as s:
        regions = sorted(set(s.scalars(sa.select(DownlinkRow.region))))
        return {r: [i.SerializeToString(deterministic=True) for i in feed.read(s, r, 0, 10 ** 6)] for r in regions}


def test_each_region_reads_the_same_bytes_with_a_case_body_stored_once(url: str | None, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    copies = _two_cycles(_fresh_database(url, tmp_path, 1), False, monkeypatch)
    try:
        before = _feeds(copies)
        with copies.read() as s:
            copied = s.scalar(sa.select(sa.func.sum(sa.func.length(DownlinkRow.body))))
            assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkBody)) == 0
    finally:
        copies.dispose()
    once = _two_cycles(_fresh_database(url, tmp_path, 2), True, monkeypatch)
    try:
        assert _feeds(once) == before
        assert sum(len(v) for v in before.values()) > 100 and len(before) >= 10
        with once.read() as s:
            revisions = {(u, r) for u, r in s.execute(sa.select(DownlinkRow.uuid, DownlinkRow.revision)
                                                      .where(DownlinkRow.body_shared))}
            stored = s.execute(sa.select(DownlinkBody.uuid, DownlinkBody.revision, sa.func.length(DownlinkBody.body))
                               ).all()
            assert {(u, r) for u, r, _n in stored} == revisions
            assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)
                            .where(DownlinkRow.body_shared.is_(False))) == 0
            assert s.scalar(sa.select(sa.func.max(sa.func.length(DownlinkRow.body)))) == 0
            assert sum(n for _u, _r, n in stored) * 2 < copied  # every case goes to two regions or more
    finally:
        once.dispose()


def test_purging_a_region_keeps_the_bodies_other_regions_still_read(url: str | None, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = _two_cycles(_fresh_database(url, tmp_path, 1), True, monkeypatch)
    try:
        everything = _feeds(db)
        first, *rest = sorted(everything)
        with db.transaction() as s:
            for code in everything:
                if s.get(RegionRow, code) is None:
                    s.add(RegionRow(code=code, name=code))
        with db.transaction() as s:
            assert feed.purge(s, first, NOW + dt.timedelta(seconds=1)) == len(everything[first])
        after = _feeds(db)
        assert first not in after and {r: after[r] for r in rest} == {r: everything[r] for r in rest}
        with db.transaction() as s:
            for code in rest:
                feed.purge(s, code, NOW + dt.timedelta(seconds=1))
        with db.read() as s:
            assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkRow)) == 0
            assert s.scalar(sa.select(sa.func.count()).select_from(DownlinkBody)) == 0  # none left behind
    finally:
        db.dispose()


def test_the_revision_keeps_the_rows_of_the_previous_head_and_its_downgrade_puts_shared_bodies_back(
        tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "national.db")
    run_migrations(url, national_node.MIGRATIONS, "n_event_step_result")
    engine = make_engine(url, poolclass=sa.NullPool)
    old = b"\x0a\x03c-1\x12\x04TM-9"
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO downlink (region, uuid, revision, kind, body, created_at) VALUES "
                             "('440000', 'c-1', 1, 'cross_region_case', ?, '2026-12-01 00:00:00')", (old,))
    # up to the head (n_downlink_bodies and the revisions after it): the ORM below maps today's tables
    run_migrations(url, national_node.MIGRATIONS, "head")
    db = Database(url)
    try:
        with db.read() as s:
            assert [i.cross_region_case.SerializeToString() for i in feed.read(s, "440000", 0, 10)] == [old]
        new = b"\x0a\x03c-1\x12\x05TM-10"
        with db.transaction() as s:
            s.add(DownlinkBody(uuid="c-1", revision=2, body=new))
            s.add_all([DownlinkRow(region=r, uuid="c-1", revision=2, kind="cross_region_case", body=b"",
                                   body_shared=True, created_at=NOW) for r in ("330000", "440000")])
        with db.read() as s:
            assert [i.cross_region_case.SerializeToString() for i in feed.read(s, "440000", 0, 10)] == [old, new]
    finally:
        db.dispose()
    run_migrations(url, national_node.MIGRATIONS, "n_event_step_result", downgrade=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT region, revision, body FROM downlink ORDER BY id").all() == [
            ("440000", 1, old), ("330000", 2, new), ("440000", 2, new)]
    assert "downlink_bodies" not in sa.inspect(engine).get_table_names()
    engine.dispose()
