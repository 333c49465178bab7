"""A region with known counts for the report tests: every figure below is written out by hand, not computed."""

from __future__ import annotations

import datetime as dt
import uuid

from regional import outbox
from regional.casework.core import CaseResult, CaseState
from regional.domain import LeadOrigin, LeadState, LeadType, ListingSource
from regional.models import BlacklistedEntity, LeadRow, ListingRow, ReceivedCase, RegistryRight, SellerRow
from regional.routing.core import AgencyKind, Rule
from regional.routing.places import Level
from regional.workflow_models import AgencyRow, CaseRecord, CaseStep, RouteRow
from sync.db import Database
from sync.v1 import sync_pb2

REGION = "440000"
UTC = dt.UTC


def cst(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    """A China Standard Time wall-clock moment, as the UTC moment nodes store."""
    return dt.datetime(y, m, d, h, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(UTC)


# (created, type, source, origin, city, industry, state, judged, right, seller)
T, CP, DS, IV = LeadType.TRADEMARK, LeadType.COUNTERFEIT_PATENT, LeadType.DESIGN, LeadType.INVENTION
EC, EX, CU, CO = ListingSource.ECOMMERCE, ListingSource.EXHIBITION, ListingSource.CUSTOMS, ListingSource.COMPLAINT
MON, HOLD = LeadOrigin.MONITORING, LeadOrigin.HOLDER_REQUEST
NEW, OK, NO = LeadState.NEW, LeadState.CONFIRMED, LeadState.EXCLUDED
SZ, GZ, DG = "440300", "440100", "441900"

LEADS = [
    # October 2026 (CST): 12 leads
    (cst(2026, 10, 1, 1), T, EC, MON, SZ, 30, OK, cst(2026, 10, 1, 13), "TM-1", 0),  # 2026-09-30 17:00 UTC
    (cst(2026, 10, 5), T, EC, MON, SZ, 30, OK, cst(2026, 10, 6, 10), "TM-1", 0),
    (cst(2026, 10, 5), T, EC, MON, SZ, 30, OK, cst(2026, 10, 7, 10), "TM-1", 1),
    (cst(2026, 10, 9), T, EC, MON, SZ, 30, NO, cst(2026, 10, 9, 14), "TM-1", 1),
    (cst(2026, 10, 20), T, EC, MON, SZ, 30, NEW, None, "TM-2", 0),
    (cst(2026, 10, 11), CP, EX, MON, GZ, 9, OK, cst(2026, 10, 12, 10), "ZL-1", 2),
    (cst(2026, 10, 11), CP, EX, MON, GZ, 9, NO, cst(2026, 10, 11, 12), "ZL-1", 2),
    (cst(2026, 10, 12), CP, EX, MON, GZ, 9, OK, cst(2026, 11, 2, 10), "ZL-1", 2),  # judged in November
    (cst(2026, 10, 15), DS, CU, MON, DG, 21, NEW, None, "DS-1", 3),
    (cst(2026, 10, 31, 23), DS, CU, MON, DG, 21, NEW, None, "DS-1", 3),
    (cst(2026, 10, 18), IV, EC, HOLD, SZ, 11, NEW, None, "ZL-2", 0),
    (cst(2026, 10, 25), T, CO, MON, None, None, NEW, None, "TM-2", 4),
    # November 2026 (CST) — not in October although 2026-10-31 20:00 UTC
    (cst(2026, 11, 1, 4), T, EC, MON, SZ, 30, NEW, None, "TM-1", 0),
    # September 2026: 6 leads
    (cst(2026, 9, 3), T, EC, MON, SZ, 30, OK, cst(2026, 9, 4), "TM-1", 0),
    (cst(2026, 9, 3), T, EC, MON, SZ, 30, OK, cst(2026, 9, 5), "TM-1", 0),
    (cst(2026, 9, 10), T, EC, MON, GZ, 30, NO, cst(2026, 10, 2, 10), "TM-1", 1),  # excluded in October
    (cst(2026, 9, 30, 23), T, EC, MON, GZ, 30, NEW, None, "TM-1", 1),
    (cst(2026, 9, 12), DS, CU, MON, DG, 21, NEW, None, "DS-1", 3),
    (cst(2026, 9, 13), DS, CU, MON, DG, 21, NEW, None, "DS-1", 3),
    # October 2025: 2 leads
    (cst(2025, 10, 8), T, EC, MON, SZ, 30, NEW, None, "TM-1", 0),
    (cst(2025, 10, 9), T, EC, MON, SZ, 30, NEW, None, "TM-1", 0),
]

SELLERS = [("深圳南山某商行", "91440305MA5DC0QX1L", "广东省深圳市南山区科技园路12号"),
           ("深圳宝安某贸易公司", "91440306MA5DC0QX2M", "广东省深圳市宝安区"),
           ("广州白云某贸易公司", "91440111MA59ABCD2K", "广东省广州市白云区物流园5号仓库"),
           ("东莞长安某电器厂", "91441900MA4WXYZ12P", "广东省东莞市长安镇工业大道3号厂房"),
           ("某个人卖家", None, None)]
RIGHTS = [("TM-1", "康师傅"), ("TM-2", "雪碧"), ("ZL-1", "一种折叠式电热水壶"), ("DS-1", "保温杯（外观）"),
          ("ZL-2", "一种空气炸锅")]


def build(db: Database, signer: outbox.Signer) -> None:
    """Write the fixture."""
    with db.transaction() as s:
        for number, title in RIGHTS:
            s.add(RegistryRight(number=number, kind="trademark" if number.startswith("TM") else "invention",
                                title=title, owner="某权利人", status="registered", nice_classes=[], ipc=[], images=[]))
        sellers = []
        for name, uscc, address in SELLERS:
            row = SellerRow(fingerprint=uuid.uuid4().hex, name=name, uscc=uscc, address=address)
            s.add(row)
            sellers.append(row)
        s.flush()
        leads = []
        for i, (created, typ, source, origin, city, industry, state, judged, right, seller) in enumerate(LEADS):
            listing = ListingRow(id=f"L{i}", source=source, title=f"商品{i}", nice_classes=[], images=[],
                                 imported_at=created, screened_at=created, seller_id=sellers[seller].id)
            s.add(listing)
            s.flush()
            lead = LeadRow(uuid=str(uuid.uuid4()), listing_id=listing.id, right_number=right, type=typ, score=0.9,
                           reasons=[], model_version="m-1", state=state, created_at=created, source=source,
                           seller_id=sellers[seller].id, origin=origin, city=city, industry=industry,
                           judged_at=judged, judged_by="officer" if judged else None)
            s.add(lead)
            leads.append(lead)
        s.flush()
        a = AgencyRow(code="A", name="深圳市市场监督管理局", kind=AgencyKind.MARKET_REGULATION, level=Level.CITY,
                      division=SZ, updated_at=cst(2026, 1, 1), updated_by="t")
        b = AgencyRow(code="B", name="广东省知识产权保护中心", kind=AgencyKind.PROTECTION_CENTRE, level=Level.PROVINCE,
                      division=REGION, updated_at=cst(2026, 1, 1), updated_by="t")
        s.add_all([a, b])
        s.flush()
        for lead, agency, at in ((leads[0], a, cst(2026, 10, 1, 14)), (leads[1], a, cst(2026, 10, 6, 11)),
                                 (leads[2], a, cst(2026, 10, 7, 11)), (leads[5], b, cst(2026, 10, 12, 11)),
                                 (leads[13], a, cst(2026, 9, 4, 11))):
            s.add(RouteRow(lead_id=lead.id, agency_id=agency.id, rule=Rule.OFFENDER_SITE, explanation={},
                           actor="t", at=at))
        # cases: one opened in August still filed at the end of October (overdue: 15 days to investigate),
        # two opened in October, one of them closed in October (penalised)
        old = CaseRecord(uuid=str(uuid.uuid4()), number="粤知案〔2026〕1号", title="旧案", state=CaseState.FILED,
                         opened_by="t", officer="li", opened_at=cst(2026, 8, 20), step_entered_at=cst(2026, 8, 20))
        c1 = CaseRecord(uuid=str(uuid.uuid4()), number="粤知案〔2026〕2号", title="案一", state=CaseState.CLOSED,
                        opened_by="t", officer="li", opened_at=cst(2026, 10, 2), step_entered_at=cst(2026, 10, 10),
                        result=CaseResult.PENALISED, closed_at=cst(2026, 10, 10), closed_by="li")
        c2 = CaseRecord(uuid=str(uuid.uuid4()), number="粤知案〔2026〕3号", title="案二",
                        state=CaseState.INVESTIGATING, opened_by="t", officer="wang", opened_at=cst(2026, 10, 20),
                        step_entered_at=cst(2026, 10, 22))
        s.add_all([old, c1, c2])
        s.flush()
        s.add_all([
            CaseStep(case_id=old.id, from_state=None, to_state=CaseState.FILED, at=cst(2026, 8, 20), actor="li"),
            CaseStep(case_id=c1.id, from_state=None, to_state=CaseState.FILED, at=cst(2026, 10, 2), actor="li"),
            CaseStep(case_id=c1.id, from_state=CaseState.FILED, to_state=CaseState.INVESTIGATING,
                     at=cst(2026, 10, 5), actor="li", seconds_in_step=3 * 86400),
            CaseStep(case_id=c1.id, from_state=CaseState.INVESTIGATING, to_state=CaseState.CLOSED,
                     at=cst(2026, 10, 10), actor="li", seconds_in_step=5 * 86400),
            CaseStep(case_id=c2.id, from_state=None, to_state=CaseState.FILED, at=cst(2026, 10, 20), actor="wang"),
            CaseStep(case_id=c2.id, from_state=CaseState.FILED, to_state=CaseState.INVESTIGATING,
                     at=cst(2026, 10, 22), actor="wang", seconds_in_step=2 * 86400),
        ])
        for i, at in enumerate((cst(2026, 10, 3), cst(2026, 10, 28), cst(2026, 9, 3))):
            s.add(BlacklistedEntity(entity_id=f"E{i}", name=f"失信商家{i}", uscc=None, reason="多次侵权",
                                    received_at=at))
        s.add(ReceivedCase(case_uuid=str(uuid.uuid4()), feed_cursor=1, right_number="TM-1", lead_region=REGION,
                           regions=[REGION, "330000"], payload={}, received_at=cst(2026, 10, 16)))
        for at in (cst(2026, 10, 4), cst(2026, 10, 30)):
            outbox.append(s, signer, sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, created_at=at.isoformat(),
                                                     filing=sync_pb2.Filing(subject="立案", body_json="{}")), at)


# What the October 2026 report must say (worked out by hand from the rows above).
OCTOBER = {
    "leads": (12, 6, 2),  # October, September, October 2025
    "by_type": {"trademark": (6, 4, 2), "counterfeit_patent": (3, 0, 0), "design": (2, 2, 0), "invention": (1, 0, 0)},
    "by_source": {"ecommerce": (5, 4, 2), "exhibition": (3, 0, 0), "customs": (2, 2, 0), "complaint": (1, 0, 0),
                  "holder_request": (1, 0, 0)},
    "by_industry": {30: (5, 4, 2), 9: (3, 0, 0), 21: (2, 2, 0), 11: (1, 0, 0), 0: (1, 0, 0)},
    "by_area": {SZ: (6, 2, 2), GZ: (3, 2, 0), DG: (2, 2, 0), "": (1, 0, 0)},
    # judged in October: confirmed 4 (3 trademark, 1 patent), excluded 3 (one of them a September lead)
    "confirmed": {"trademark": 3, "counterfeit_patent": 1}, "excluded": {"trademark": 2, "counterfeit_patent": 1},
    "confirmed_previous": 2, "excluded_previous": 0,
    # pending at the end of October: detected before 2026-11-01 CST: 12 (Oct) + 6 (Sep) + 2 (Oct 2025) = 20;
    # judged before it: 4 + 3 (October) + 2 (September) = 9
    "pending_end": 11,
    # hours to judge of the 7 judged in October: 12, 24, 48, 4, 24, 2 and 528 (a September lead) -> median 24
    "median_hours": 24.0,
    "routed": {"深圳市市场监督管理局": 3, "广东省知识产权保护中心": 1},
    "cases": {"cases_opened": 2, "cases_closed": 1, "cases_open_end": 2, "cases_overdue_end": 1},
    "steps": {"filed": (2, 2.5), "investigating": (1, 5.0)},
    "results": {"penalised": 1},
    "blacklist": 2, "cross_received": 1, "records_filed": 2,
    "top_right": ("TM-1", 4), "top_seller": ("深圳南山某商行", 4),
}
