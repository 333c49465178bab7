"""newcomer18 N2: the demo made the agency directory after its history had played, so no historic confirmation had a
notice (every one said 机构名录中没有合适的机构) and the demo's agency account opened on an empty list."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import sqlalchemy as sa

from national import demo
from regional.workflow_models import AgencyMember, AgencyRow, NoticeRow, RouteRow
from sync.db import Database


def test_the_demo_history_routes_its_confirmations_and_the_agency_user_has_notices(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(data_dir=tmp_path / "demo", regions=["440000"], listings=40, history_listings=120,
                              seed=7)
    fed = demo.set_up(args)
    db = Database(fed.regions["440000"].db_url)
    try:
        with db.read() as s:
            notices = s.scalar(sa.select(sa.func.count()).select_from(NoticeRow)) or 0
            routes = list(s.scalars(sa.select(RouteRow.rule)))
            most = s.execute(sa.select(AgencyRow.code, sa.func.count()).join(
                NoticeRow, NoticeRow.agency_id == AgencyRow.id).group_by(AgencyRow.code)
                .order_by(sa.func.count().desc(), AgencyRow.code)).first()
            member = s.scalar(sa.select(AgencyRow.code).join(AgencyMember, AgencyMember.agency_id == AgencyRow.id)
                              .where(AgencyMember.username == "agency"))
    finally:
        db.dispose()
    assert routes and notices > 0, (notices, routes[:5])
    assert any(getattr(r, "value", r) != "no_agency" for r in routes)
    assert most is not None and member == most[0]  # the body that received the most notices
    accounts = (fed.root / demo.ACCOUNTS_FILE).read_text(encoding="utf-8")
    assert "\tagency\t" in accounts and "\trights_holder\t" in accounts
    # the closing line names every account role it then prints (newcomer18 N2: "officer, supervisor, admin or
    # auditor", then rights_holder and agency lines too)
    capsys.readouterr()
    demo._report({"seconds": 1, "leads": 0, "cross_region_cases": 0, "delivered": {}, "expected": {},
                  "evidence": {"regions": {}}, "accounts": str(fed.root / demo.ACCOUNTS_FILE),
                  "reports": {"page": "p", "pdf": "f", "xlsx": "x"}}, {"national": "http://127.0.0.1:1/"})
    said = capsys.readouterr().err
    line = next(x for x in said.splitlines() if "sign in as" in x)
    roles = {row.split("\t")[2] for row in accounts.splitlines()[1:] if row}
    assert roles >= {"officer", "supervisor", "admin", "auditor", "rights_holder", "agency"}
    assert all(role in line for role in roles), (roles, line)
