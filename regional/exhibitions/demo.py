"""The demo's exhibition (`hufu demo`): a show in progress with booths, exhibitors (one without its pledge),
filed exhibits the worker screens (two of them look-alikes of registered marks) and a complaint at the station."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from regional.actors import Actor
from regional.exhibitions import core, service
from regional.models import RegistryRight
from sync.db import Database

DEMO_CODE = "{region}-2026"


def look_alike(mark: str) -> str:
    """A near copy of a mark (the screening should flag it): 康师傅 → 康帅傅, else the mark with a letter swapped."""
    known = {"康师傅": "康帅傅", "雪碧": "雷碧", "娃哈哈": "娃哈恰", "农夫山泉": "农夫山泵", "六个核桃": "六个核桃仁"}
    return known.get(mark, mark[:-1] + ("牌" if mark[-1:] != "牌" else "记"))


def set_up(db: Database, region: str, now: dt.datetime, say: Callable[[str], None] = lambda _m: None) -> str | None:
    """Create the demo show of `region`; returns its code (None when the registry has no trademark to copy)."""
    boss = Actor("demo", frozenset({"supervisor", "officer", "admin"}))
    with db.read() as session:
        marks = list(session.execute(sa.select(RegistryRight.number, RegistryRight.title, RegistryRight.nice_classes)
                                     .where(RegistryRight.kind == "trademark").order_by(RegistryRight.id).limit(2)))
    if not marks:
        return None
    code = DEMO_CODE.format(region=region)
    today = now.date()
    with db.transaction() as session:
        service.create(session, {"code": code, "name": "消费品博览会（演示）", "venue": "国际会展中心", "organiser": "省贸促会",
                                 "region": region, "starts_on": today.isoformat(),
                                 "ends_on": (today + dt.timedelta(days=3)).isoformat(), "halls": "1号馆,2号馆"},
                       region, boss, now)
        service.add_booths(session, code, "1号馆", ["A1-01", "A1-02", "A1-03"], boss, now)
        service.add_booths(session, code, "2号馆", ["B2-01", "B2-02"], boss, now)
        service.register(session, code, {"name": "深圳南山某食品商行", "booth": "A1-01", "uscc": "91440305MA5DC0QX1L",
                                         "phone": "13800138000", "address": "广东省深圳市南山区科技园路12号",
                                         "contact": "陈经理", "pledge_signer": "陈经理"}, boss, now)
        service.register(session, code, {"name": "杭州某茶业有限公司", "booth": "A1-02", "contact": "李经理",
                                         "address": "浙江省杭州市西湖区龙井路1号", "pledge_signer": "李经理"}, boss, now)
        service.register(session, code, {"name": "东莞长安某电器厂", "booth": "B2-01",
                                         "address": "广东省东莞市长安镇工业大道3号厂房"}, boss, now)
        items = []
        for i, (_number, title, classes) in enumerate(marks):
            cls = ",".join(str(c) for c in (classes or [])[:1])
            items.append((i + 1, core.check_exhibit({"id": f"A1-01-{i + 1}", "booth": "A1-01",
                                                     "product": f"{look_alike(title)} 精选礼盒装",
                                                     "nice_classes": cls})))
        items.append((3, core.check_exhibit({"id": "A1-02-1", "booth": "A1-02", "product": "明前特级绿茶 250g 礼盒",
                                              "nice_classes": "30"})))
        result = service.file_exhibits(session, code, items, boss, now, file="演示展品报备")
        if result.errors:
            raise RuntimeError(f"demo exhibits refused: {[str(e) for e in result.errors]}")
        service.log_complaint(session, code, "A1-01", {
            "what": f"展台陈列的“{look_alike(marks[0][1])}”产品仿冒注册商标“{marks[0][1]}”",
            "complainant": "权利人委托代理人", "contact": "020-12345678", "right": marks[0][0]}, boss, now)
    say(f"region {region}: exhibition {code} with 3 exhibitors, {len(items)} filed exhibits and a station complaint")
    return code
