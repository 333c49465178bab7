"""Imports on a real PostgreSQL database: values at every column's limit store, one over is refused before it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional import services
from regional.models import ListingRow, RiskEntry, SellerRow
from regional.monitoring import refresh_if_due
from regional.node import MIGRATIONS
from sync.db import Database, run_migrations

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(pg_url: str) -> Database:
    run_migrations(pg_url, MIGRATIONS)
    return Database(pg_url)


def at_the_limits(i: int) -> dict:
    """A listing whose every text field is as long as its column allows (CJK: 3 UTF-8 bytes a character)."""
    return {"id": f"{i:03d}" + "编" * 197, "title": "标" * 1000, "platform": "平" * 100,
            "url": "https://item.example/" + "a" * 1979, "currency": "CNY", "category": "类" * 200,
            "description": "描" * 20_000, "price": 1e12,
            "seller": {"name": "店" * 300, "uscc": "9" * 32, "phone": "1" * 64, "address": "址" * 500,
                       "shop_url": "https://shop.example/" + "s" * 979},
            "images": ["https://img.example/" + "i" * 1980] * 50, "nice_classes": list(range(1, 46))}


def test_values_at_every_limit_store_on_postgresql_and_one_more_character_is_refused_first(
        db: Database, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(at_the_limits(i), ensure_ascii=False) + "\n" for i in range(3)),
                    encoding="utf-8")
    result = services.import_listings(db, good, actor="t", now=NOW)
    assert result.created == 3
    with db.read() as s:
        row = s.scalar(sa.select(ListingRow).order_by(ListingRow.id).limit(1))
        assert row is not None and len(row.title) == 1000 and len(row.id) == 200
        assert s.scalar(sa.select(sa.func.count()).select_from(SellerRow)) == 1  # one seller, found again

    for field, value in (("title", "标" * 1001), ("category", "类" * 201), ("id", "编" * 201)):
        bad = tmp_path / f"bad-{field}.jsonl"
        bad.write_text(json.dumps({**at_the_limits(9), field: value}, ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(services.ImportRejected) as caught:
            services.import_listings(db, bad, actor="t", now=NOW)
        assert f"field '{field}'" in str(caught.value)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ListingRow)) == 3


def test_a_csv_reimport_updates_in_chunks_and_the_lists_follow_on_postgresql(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rows = "".join(f"c-{i},保温杯 {i},日用品,{100 + i % 7},店{i % 40}\n" for i in range(2300))
    path.write_text("编号,标题,品类,价格,店铺名称\n" + rows + "c-cheap,保温杯,日用品,3,店0\n", encoding="utf-8")
    first = services.import_listings(db, path, actor="t", now=NOW)
    same = services.import_listings(db, path, actor="t", now=NOW)  # received again as stored: unchanged (fixes14)
    assert (first.created, same.updated, same.unchanged) == (2301, 0, 2301)
    rows = "".join(f"c-{i},保温杯 {i},日用品,{110 + i % 7},店{i % 40}\n" for i in range(2300))  # every price moved
    path.write_text("编号,标题,品类,价格,店铺名称\n" + rows + "c-cheap,保温杯,日用品,3,店0\n", encoding="utf-8")
    again = services.import_listings(db, path, actor="t", now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 2300, 1)
    counts = refresh_if_due(db, NOW, force=True)
    assert counts is not None and counts["price_anomaly"] == 1
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(SellerRow)) == 40
        assert s.scalar(sa.select(RiskEntry.key).where(RiskEntry.kind == "price_anomaly")) == "c-cheap"
    assert refresh_if_due(db, NOW + dt.timedelta(seconds=30)) is None  # current: not recomputed
