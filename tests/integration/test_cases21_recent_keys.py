"""Issue 12, session 21: a cycle appends its blocking keys to `seller_keys_recent` and moves them into `seller_keys`
in bulk; a key's block is its rows in both tables (SQLite file and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from national import cases, entities
from national.bench.generate import generate
from national.models import NationalLead, SellerRecord
from sync.db import Database
from tests.integration.national_lead_rows import lead_rows

NOW = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


def _run(s: Session, monkeypatch: pytest.MonkeyPatch, merge_at: int) -> dict[str, object]:
    """Four cycles of 300 leads in the session's one transaction; what they did and left."""
    monkeypatch.setattr(entities, "RECENT_KEYS_MERGE", merge_at)
    records = list(generate(1200, seed=21))
    work = []
    for start in range(0, 1200, 300):
        s.execute(sa.insert(NationalLead), lead_rows(records[start:start + 300], start, NOW))
        step = cases.form_cases(s, NOW)
        work.append((step.leads_resolved, step.pairs_scored, step.entities_affected, step.cases_created,
                     step.cases_updated))
    listing = dict(s.execute(sa.select(NationalLead.id, NationalLead.listing_id)).all())
    groups: dict[int, set[str]] = {}
    for lead, entity in s.execute(sa.select(SellerRecord.lead_id, SellerRecord.entity_id)).all():
        groups.setdefault(entity, set()).add(listing[lead])
    case_leads: dict[int, list[int]] = {}
    for lead, case in s.execute(sa.select(NationalLead.id, NationalLead.case_id)).all():
        case_leads.setdefault(case, []).append(lead)
    sql = entities._Sql(s)
    return {"work": work, "entities": sorted(sorted(g) for g in groups.values()),
            "cases": sorted((right, str(regions), tuple(sorted(listing[x] for x in case_leads.get(case, ()))))
                            for case, right, regions in s.execute(sa.text("SELECT id, right_number, regions FROM cases"))),
            "stored": sorted(listing[lead] for _k, lead in sql.rows("SELECT key, lead_id FROM seller_keys")),
            "recent": sorted(listing[lead] for _k, lead in sql.rows("SELECT key, lead_id FROM seller_keys_recent")),
            "keys": sorted(k for t in ("seller_keys", "seller_keys_recent")
                           for (k, _lead) in sql.rows(f"SELECT key, lead_id FROM {t}")),
            "held": sql.state(entities.RECENT_KEY)}


def test_keys_kept_recent_or_merged_give_the_same_entities_cases_and_blocks(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same four cycles from the same empty node: keys never merged (rolled back), then merged after every cycle
    with db.sessions() as s:
        recent = _run(s, monkeypatch, 10 ** 9)
        s.rollback()
    with db.sessions() as s:
        merged = _run(s, monkeypatch, 1)
        s.commit()
    # the first cycle finds leads on a node never resolved: a rebuild, into seller_keys; the next three append
    assert recent["stored"] and len(recent["recent"]) > 900 and recent["held"] == str(len(recent["recent"]))
    assert merged["recent"] == [] and merged["held"] == "0"
    assert merged["stored"] == sorted(recent["stored"] + recent["recent"]) and merged["keys"] == recent["keys"]
    assert merged["work"] == recent["work"] and all(w[1] and w[3] for w in recent["work"])  # pairs, cases each cycle
    assert merged["entities"] == recent["entities"] and merged["cases"] == recent["cases"]


def test_a_block_split_between_the_two_key_tables_is_read_whole_or_up_to_its_latest_members(db: Database) -> None:
    big, small = 2 ** 62 + 3, -(2 ** 62) - 5
    leads = sorted(random.Random(5).sample(range(1, 10_000), 30))
    old, new = leads[:20], leads[20:]  # the recent table holds the later leads, as after the cycles that filed them
    with db.transaction() as s:
        for table, rows in (("seller_keys", [(big, lead) for lead in old[:15]] + [(small, lead) for lead in old[15:18]]),
                            ("seller_keys_recent", [(big, lead) for lead in new[:8]] + [(small, new[9])])):
            s.execute(sa.text(f"INSERT INTO {table} (key, lead_id) VALUES (:k, :l)"), [{"k": k, "l": x} for k, x in rows])
    with db.read() as s:
        sql = entities._Sql(s)
        counts = sql.key_counts([big, small, 99])
        capped = entities.block_members(sql, counts, 10)
        whole = entities.block_members(sql, counts, None)
    assert counts == {big: 23, small: 4}
    big_rows = sorted(old[:15] + new[:8])
    assert sorted(capped) == sorted([(big, lead) for lead in big_rows[-10:]]  # the 10 latest of both tables
                                    + [(small, lead) for lead in old[15:18] + [new[9]]])
    assert sorted(whole) == sorted([(big, lead) for lead in big_rows] + [(small, lead) for lead in old[15:18] + [new[9]]])
