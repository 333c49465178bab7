"""Issue 12, session 22: a cycle counts each blocking key's stored rows once (SQLite file and PostgreSQL).

The term counts of the new records' values used to count again every TF key without stored rows (found empty a
second time); now a key the cycle already counted is taken from that count. The counts must stay what a direct
count of the key tables says."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from national import cases, entities
from national.bench.generate import generate
from national.models import NationalLead
from sync.db import Database
from tests.integration.national_lead_rows import lead_rows

NOW = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)


def test_a_cycle_counts_each_key_once_and_the_term_counts_are_the_stored_rows(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    records = list(generate(900, seed=22))
    with db.sessions() as s:
        s.execute(sa.insert(NationalLead), lead_rows(records[:600], 0, NOW))
        cases.form_cases(s, NOW)  # the first cycle on a node never resolved: a rebuild
        s.execute(sa.insert(NationalLead), lead_rows(records[600:], 600, NOW))
        asked: list[int] = []
        counted = entities._Sql.key_counts

        def spy(self: entities._Sql, keys: object) -> dict[int, int]:
            keys = list(keys)  # type: ignore[call-overload]
            asked.extend(keys)
            return counted(self, keys)

        monkeypatch.setattr(entities._Sql, "key_counts", spy)
        calls: list[dict[str, dict[str, int]]] = []
        term_counts = entities._term_counts

        def keep(*args: object) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
            out = term_counts(*args)  # type: ignore[arg-type]
            calls.append(out[0])
            return out

        monkeypatch.setattr(entities, "_term_counts", keep)
        step = cases.form_cases(s, NOW)
        assert step.leads_resolved == 300 and step.pairs_scored > 0
        twice = [k for k, n in Counter(asked).items() if n > 1]
        assert asked and not twice, f"{len(twice)} of {len(set(asked))} keys counted twice"
        # the counts the cycle scored with: per TF value, the stored rows of its key plus the new records holding it
        (used,) = calls
        sql = entities._Sql(s)
        cfg = entities.config()
        new = [entities.inc.normalize_record({"name": r[3], "uscc": r[4], "phone": r[5], "address": r[6],
                                              "shop_url": r[7]}, cfg)
               for r in sql.rows(f"{entities._SELLER_SQL} ORDER BY id LIMIT 300 OFFSET 600")]
        assert len(new) == 300
        holding: Counter[int] = Counter(k for p in new for k in dict.fromkeys(
            entities.inc.key_id(t) for t in entities.inc.record_keys(p, cfg)))
        checked = 0
        for p in dict.fromkeys(new):
            for name, value, kid in entities._tf_keys(p, cfg):
                # the keys are stored now (after the cycle): rows of both tables = those before + the new records'
                rows = sum(int(sql.value(f"SELECT count(*) FROM {t} WHERE key = ?", [kid]))
                           for t in ("seller_keys", "seller_keys_recent"))
                assert used[name][value] == rows, (name, value)
                assert holding[kid] <= rows
                checked += 1
        assert checked > 300


def test_tf_keys_are_the_tf_key_texts_hashed() -> None:
    cfg = entities.config()
    seen = 0
    for rec, _entity in generate(400, seed=5):
        parts = entities.inc.normalize_record(rec, cfg)
        expected = []
        for (field_name, part), at in entities._tf_at().items():
            value = parts[at]
            if value is not None and (text := entities.inc.tf_key(cfg, field_name, part, value)) is not None:
                expected.append((f"{field_name}.{part}", value, entities.inc.key_id(text)))
        assert entities._tf_keys(parts, cfg) == expected
        seen += len(expected)
    assert seen > 400
