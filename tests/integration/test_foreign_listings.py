"""Foreign-language listings at a node: counterparts imported from JSON Lines and CSV (Chinese headers), the
listing's language stored, English and Spanish listings screened, and the officers' page in Chinese."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional import services
from regional.config import RegionalConfig
from regional.models import LeadRow, ListingRow, RegistryRight
from regional.node import init_node
from sync.db import Database
from tests.conftest import web_client

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def node(tmp_path: Path) -> RegionalConfig:
    cfg = RegionalConfig.load(tmp_path / "region", region="440000")
    init_node(cfg)
    return cfg


def test_counterparts_from_csv_and_english_listings_screened_and_shown_in_chinese(node: RegionalConfig,
                                                                                   tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional import outbox

    db = Database(node.db_url)
    registry = tmp_path / "registry.csv"
    registry.write_text("类型,注册号,商标,权利人,尼斯分类,对应外文\n"
                        "trademark,TM-1,华为,华为技术有限公司,9,HUAWEI\n"
                        "trademark,TM-2,老干妈,贵阳南明老干妈风味食品有限责任公司,30,LAOGANMA;LAO GAN MA\n",
                        encoding="utf-8")
    services.import_registry(db, registry, actor="test", now=NOW)
    with db.read() as s:
        assert s.scalar(sa.select(RegistryRight.counterparts).where(RegistryRight.number == "TM-2")) == \
            ["LAOGANMA", "LAO GAN MA"]
    listings = tmp_path / "listings.jsonl"
    rows = [{"id": "en-1", "title": "Huawie FreeBuds wireless earphones", "description": "Bluetooth earbuds"},
            {"id": "es-1", "title": "Salsa picante Laoganmma aceite de chile", "description": "Condimento"},
            {"id": "en-2", "title": "Wireless earbuds with charging case", "description": "In-ear headphones"},
            {"id": "zh-1", "title": "蓝牙耳机 降噪"}]
    listings.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    services.import_listings(db, listings, actor="test", now=NOW)
    signer = outbox.Signer(region="440000", key=ed25519.Ed25519PrivateKey.generate())
    services.screen_pending(db, signer, now=NOW)
    with db.read() as s:
        langs = dict(s.execute(sa.select(ListingRow.id, ListingRow.language)).all())
        leads = {(r.listing_id, r.right_number): r for r in s.scalars(sa.select(LeadRow))}
    assert langs == {"en-1": "en", "es-1": "es", "en-2": "en", "zh-1": "zh"}
    assert set(leads) == {("en-1", "TM-1"), ("es-1", "TM-2")}
    assert leads[("en-1", "TM-1")].reason_codes[-1]["code"] == "tm.counterpart"

    from regional.web import create_app

    app = create_app(node)
    app.config["TESTING"] = True
    officer = web_client(app, "officer")
    page = officer.get("/foreign-listings").get_data(as_text=True)
    assert 'data-listing="en-1"' in page and 'data-listing="zh-1"' not in page
    assert "「HUAWEI」是注册商标「华为」登记的对应形式" in page and "第9类" in page and "英文" in page
    spanish = officer.get("/foreign-listings?language=es").get_data(as_text=True)
    assert 'data-listing="es-1"' in spanish and 'data-listing="en-1"' not in spanish and "西班牙文" in spanish
    assert app.test_client().get("/foreign-listings").status_code in (302, 401)
