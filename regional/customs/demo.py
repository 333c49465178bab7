"""The demo's import/export data (`hufu demo`): a customs recordation of the region's first mark, a batch of
declarations (one from an unlicensed consignor naming the recorded brand, one look-alike, the rest plain), a
small registry of foreign marks and two key export products, one of which collides with a foreign mark."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from regional.actors import Actor
from regional.customs import service
from regional.models import LicenceRow, RegistryRight
from sync.db import Database

PORTS = ("黄埔海关", "深圳海关", "宁波海关", "厦门海关")
PLAIN = (("8516.7100", "电热水壶 1.7L", "美的"), ("9503.0000", "塑料积木玩具", "乐高积"), ("6404.1100", "运动鞋", ""),
         ("8471.3000", "笔记本电脑", "联想"), ("4202.2200", "女士手提包", ""), ("6109.1000", "纯棉T恤", ""))


def set_up(db: Database, region: str, work: Path, now: dt.datetime, say: Callable[[str], None] = lambda _m: None) -> int:
    """Write and import the region's demo files (under `work`); returns how many declarations were imported."""
    from regional.exhibitions.demo import look_alike

    work.mkdir(parents=True, exist_ok=True)
    actor = Actor("demo", frozenset({"supervisor", "officer", "admin"}))
    with db.read() as session:
        marks = list(session.execute(sa.select(RegistryRight.number, RegistryRight.title, RegistryRight.owner)
                                     .where(RegistryRight.kind == "trademark").order_by(RegistryRight.id).limit(2)))
        licensee = session.scalar(sa.select(LicenceRow).where(LicenceRow.right_number == marks[0][0])) if marks else None
    if len(marks) < 2:
        return 0
    (right, mark, owner), (_right2, mark2, _owner2) = marks
    rec = [{"number": f"T{now.year - 3}-{region[:2]}0123", "right": right, "holder": owner, "mark": mark,
            "valid_until": f"{now.year + 4}-12-31"}]
    (work / "recordations.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rec),
                                             encoding="utf-8")
    service.import_recordations(db, work / "recordations.jsonl", actor, now)
    day = now.date()
    rows = [
        {"declaration_no": f"{region[:4]}{day:%Y%m%d}000001", "direction": "export", "port": PORTS[0], "hs_code": "2106.9090",
         "goods": "食品 整箱", "brand": mark, "quantity": 1200, "unit": "箱", "value": 36000, "currency": "USD",
         "consignor": {"name": "某进出口贸易有限公司", "uscc": "91440101MA59ABCD1B"},
         "consignee": {"name": "ABC Trading LLC"}, "origin_country": "CN", "destination_country": "US",
         "declared_on": (day - dt.timedelta(days=1)).isoformat()},
        {"declaration_no": f"{region[:4]}{day:%Y%m%d}000002", "direction": "export", "port": PORTS[1], "hs_code": "2202.1000",
         "goods": "饮料 礼盒", "brand": look_alike(mark2), "quantity": 800, "unit": "箱", "value": 9600, "currency": "USD",
         "consignor": {"name": "某饮料厂"}, "consignee": {"name": "XYZ Foods"}, "origin_country": "CN",
         "destination_country": "MY", "declared_on": (day - dt.timedelta(days=2)).isoformat()},
    ]
    if licensee is not None:  # the licensee ships the genuine goods: no lead
        rows.append({"declaration_no": f"{region[:4]}{day:%Y%m%d}000003", "direction": "export", "port": PORTS[0],
                     "hs_code": "2106.9090", "goods": "食品 整箱", "brand": mark, "quantity": 500, "unit": "箱",
                     "consignor": {"name": licensee.licensee, "uscc": licensee.licensee_uscc},
                     "consignee": {"name": "ABC Trading LLC"}, "destination_country": "US"})
    for i, (hs, goods, brand) in enumerate(PLAIN):
        rows.append({"declaration_no": f"{region[:4]}{day:%Y%m%d}{i + 10:06d}", "direction": "import" if i % 3 == 0 else "export",
                     "port": PORTS[i % len(PORTS)], "hs_code": hs, "goods": goods, "brand": brand or None,
                     "quantity": 100 + i * 50, "unit": "件", "value": 5000 + i * 1000, "currency": "USD",
                     "consignor": {"name": f"境外供应商{i}" if i % 3 == 0 else f"本地制造企业{i}"},
                     "consignee": {"name": f"本地进口商{i}" if i % 3 == 0 else f"Overseas Buyer {i}"},
                     "origin_country": "DE" if i % 3 == 0 else "CN", "destination_country": "CN" if i % 3 == 0 else "US",
                     "declared_on": (day - dt.timedelta(days=i)).isoformat()})
    (work / "declarations.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                             encoding="utf-8")
    outcome = service.import_declarations(db, work / "declarations.jsonl", actor, now)
    if outcome.errors:
        raise RuntimeError(f"demo declarations refused: {[str(e) for e in outcome.errors]}")
    foreign = [{"country": "US", "kind": "trademark", "number": "US-97001234", "title": look_alike(mark2),
                "owner": "Trademark Squatter Inc", "nice_classes": [32]},
               {"country": "MY", "kind": "trademark", "number": "MY-2024001", "title": "龙井", "owner": "Some Tea Sdn Bhd",
                "nice_classes": [30]}]
    (work / "foreign.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in foreign),
                                        encoding="utf-8")
    service.import_foreign_rights(db, work / "foreign.jsonl", actor, now)
    products = [{"code": "P-DRINK", "name": "饮料 礼盒", "brand": look_alike(mark2), "hs_code": "2202.10",
                 "exporter": "某饮料厂", "destinations": ["US", "MY"]},
                {"code": "P-KETTLE", "name": "电热水壶 1.7L", "brand": "美的", "hs_code": "8516.71",
                 "exporter": "本地制造企业0", "destinations": ["US", "DE"]}]
    (work / "products.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in products),
                                         encoding="utf-8")
    service.import_products(db, work / "products.jsonl", actor, now)
    say(f"region {region}: {outcome.created} customs declarations, 1 customs recordation, 2 foreign marks, "
        "2 key export products")
    return outcome.created
