"""Small, explicit worlds for the officers' workflow tests: rights, sellers, listings and leads written directly."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional import outbox
from regional.domain import LeadState, LeadType, ListingSource, RightKind
from regional.models import LeadRow, ListingRow, RegistryRight, SellerRow
from regional.review.index import index_leads
from regional.routing.directory import generate_for_province
from sync.db import Database

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
REGION = "440000"

RIGHTS = [
    ("TM-0012345", RightKind.TRADEMARK, "康师傅", "顶益（开曼岛）控股有限公司"),
    ("TM-0020001", RightKind.TRADEMARK, "雪碧", "可口可乐公司"),
    ("ZL202030123456.X", RightKind.DESIGN, "保温杯（外观）", "浙江某某杯业有限公司"),
    ("ZL201910123456.7", RightKind.INVENTION, "一种折叠式电热水壶", "广东某某电器有限公司"),
]
TYPES = {RightKind.TRADEMARK: LeadType.TRADEMARK, RightKind.DESIGN: LeadType.DESIGN,
         RightKind.INVENTION: LeadType.INVENTION}
SELLERS = [
    ("深圳南山某商行", "91440305MA5DC0QX1L", "13800138000", "广东省深圳市南山区科技园路12号"),
    ("广州白云某贸易公司", "91440111MA59ABCD2K", "13900139000", "广东省广州市白云区物流园5号仓库"),
    ("东莞长安某电器厂", "91441900MA4WXYZ12P", "13700137000", "广东省东莞市长安镇工业大道3号厂房"),
    ("杭州某网店", "91330106MA2H12345Q", "13600136000", "浙江省杭州市西湖区文三路"),
]
TITLES = ["康帅傅 红烧牛肉面 五连包", "雷碧 柠檬味汽水 330ml", "不锈钢保温杯 500ml 新款", "折叠电热水壶 旅行便携",
          "康师傅 正品 整箱批发", "Sprite 雪碧 进口装", "保溫杯 網紅同款", "电热水壶 1.5L 家用"]


@dataclass
class World:
    """What `build` wrote."""

    db: Database
    signer: outbox.Signer
    leads: list[str]  # uuids, in creation order


def signer() -> outbox.Signer:
    """A region signer with a fresh key."""
    return outbox.Signer(region=REGION, key=ed25519.Ed25519PrivateKey.generate())


def build(db: Database, n: int, *, seed: int = 1, agencies: bool = True) -> World:
    """Write the rights, the sellers, `n` listings with one lead each, and the generated directory."""
    rng = random.Random(seed)
    made: list[str] = []
    with db.transaction() as s:
        for number, kind, title, owner in RIGHTS:
            s.add(RegistryRight(number=number, kind=kind, title=title, owner=owner, status="registered",
                                nice_classes=[30], ipc=[], images=[]))
        sellers = []
        for name, uscc, phone, address in SELLERS:
            row = SellerRow(fingerprint=uuid.uuid4().hex, name=name, uscc=uscc, phone=phone, address=address)
            s.add(row)
            sellers.append(row)
        s.flush()
        rows = []
        for i in range(n):
            seller = sellers[i % len(sellers)]
            number, kind, _title, _owner = RIGHTS[i % len(RIGHTS)]
            source = ListingSource.COMPLAINT if i % 17 == 5 else ListingSource.ECOMMERCE
            listing = ListingRow(id=f"tb-{i:06d}", source=source, platform="淘宝", url=f"https://item.example/{i}",
                                 title=TITLES[i % len(TITLES)] + f" #{i}", price=9.9 + i % 50, currency="CNY",
                                 nice_classes=[30], seller_id=seller.id, images=[], imported_at=NOW, screened_at=NOW)
            s.add(listing)
            s.flush()  # no relationship() orders the two inserts: the listing must exist first
            lead = LeadRow(uuid=str(uuid.UUID(int=rng.getrandbits(128))), listing_id=listing.id, right_number=number,
                           type=TYPES[kind], score=round(rng.uniform(0.3, 1.0), 4),
                           reasons=["mark '康帅傅' looks like '康师傅'"], model_version="trademark-2026.11.1",
                           state=LeadState.NEW, created_at=NOW - dt.timedelta(hours=i), source=source,
                           seller_id=seller.id)
            s.add(lead)
            rows.append((lead, listing, seller))
            made.append(lead.uuid)
        s.flush()
        index_leads(s, rows)
        if agencies:
            generate_for_province(s, REGION, actor_name="test", now=NOW)
    return World(db, signer(), made)


def count(db: Database, model: type, *where: sa.ColumnElement[bool]) -> int:
    """Rows of a table (matching `where`)."""
    with db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0
