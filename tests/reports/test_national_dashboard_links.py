"""The national dashboard: every figure's link opens a list (leads or cross-region cases) with exactly its count.

Leads of three regions over two months, some found on a rights holder's request (counted under the source
holder_request whatever the listing's source), cross-region cases formed in and out of the period; every
href of /api/dashboard is followed and the list's total (data-total) compared with the figure.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask

from national.config import NationalConfig
from national.models import CaseRow, NationalLead, RegionRow
from national.node import MIGRATIONS
from national.reports.models import CUBE
from regional.reports import cube
from sync.db import Database
from sync.migrate import run_migrations
from tests.conftest import web_client
from tests.reports.fixture import cst

REGIONS = ("440000", "330000", "350000")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from national.web import create_app

    root = tmp_path_factory.mktemp("national-dash")
    config = NationalConfig(data_dir=root / "national", pki_dir=root / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, MIGRATIONS)
    db = Database(config.db_url)
    rng = random.Random(3)
    with db.transaction() as s:
        for code in REGIONS:
            s.add(RegionRow(code=code, name=code))
        for i in range(240):
            when = cst(2026, 9, 20) + dt.timedelta(hours=rng.uniform(0, 24 * 50))
            s.add(NationalLead(uuid=str(uuid.uuid4()), region=rng.choice(REGIONS), listing_id=f"L{i}",
                               right_number="TM-1", type=rng.choice(("trademark", "design", "invention")), score=0.9,
                               reasons=[], model_version="m", received_at=when, detected=when,
                               source=rng.choice(("ecommerce", "exhibition", "customs")),
                               origin="holder_request" if i % 9 == 0 else "monitoring", industry=rng.randint(0, 4)))
        for i, (regions, formed, typ) in enumerate([
                (["440000", "330000"], cst(2026, 10, 5), "trademark"), (["440000", "350000"], cst(2026, 10, 20), "design"),
                (["330000", "350000", "440000"], cst(2026, 9, 2), "trademark"),
                (["440000", "330000"], cst(2026, 10, 31, 23), "trademark")]):
            s.add(CaseRow(uuid=str(uuid.uuid4()), key=f"k{i}", right_number="TM-1", right_title="康师傅", type=typ,
                          lead_region=regions[0], regions=regions, cross_region=True, supervised=False,
                          formed_at=formed, updated_at=formed))
    cube.fold_all(db, CUBE)
    return create_app(config)


def _total(client, href: str) -> int:  # type: ignore[no-untyped-def]
    answer = client.get(href)
    assert answer.status_code == 200, (href, answer.get_data(as_text=True)[:300])
    found = re.search(r'id="(?:leads|cases)-total" data-total="(\d+)"', answer.get_data(as_text=True))
    assert found, href
    return int(found.group(1))


@pytest.mark.parametrize("query", ["from=2026-10-01&to=2026-10-31&grain=week",
                                   "from=2026-09-25&to=2026-11-06&grain=month&source=holder_request,customs",
                                   "from=2026-10-03&to=2026-10-29&grain=day&type=trademark&industry=0,2"])
def test_every_figure_links_to_a_list_of_exactly_its_count(app: Flask, query: str) -> None:
    client = web_client(app, "officer", "li")
    data = client.get(f"/api/dashboard?{query}").get_json()
    checks = [(data["href"], data["total"]), (data["cases_href"], data["cases_total"])]
    for key in ("types", "sources", "industries"):
        checks += [(item["href"], item["value"]) for item in data[key]]
    for a in data["areas"]:
        checks += [(a["href"], a["value"]), (a["cases_href"], a["cases"])]
    checks += list(zip(data["trend"]["href"], data["trend"]["detected"], strict=True))
    assert data["total"] > 0 and len(checks) > 15
    wrong = [(urlsplit(h).query, n, got) for h, n in checks if (got := _total(client, h)) != n]
    assert not wrong, f"links whose list differs from the figure: {wrong}"


def test_october_figures_by_hand(app: Flask) -> None:
    client = web_client(app, "officer", "li")
    data = client.get("/api/dashboard?from=2026-10-01&to=2026-10-31").get_json()
    assert data["cases_total"] == 3  # formed in October (Beijing days): the 5th, the 20th, the 31st 23:00
    assert {a["code"]: a["cases"] for a in data["areas"]} == {"440000": 3, "330000": 2, "350000": 1}
    trademark = client.get("/api/dashboard?from=2026-10-01&to=2026-10-31&type=trademark").get_json()
    assert trademark["cases_total"] == 2


def test_the_cases_list_refuses_bad_filters_naming_the_field(app: Flask) -> None:
    client = web_client(app, "officer", "li")
    for query, field in (("from=2026-02-30", "from"), ("type=piracy", "type"), ("region=44", "region")):
        answer = client.get(f"/cases?{query}")
        assert answer.status_code == 400 and field in answer.get_data(as_text=True), query
    # newcomer14 F30: said in Chinese, naming the parameter and what it takes (was "region: '44' — expected …")
    text = client.get("/cases?region=44").get_data(as_text=True)
    assert "参数 region（区域）的值“44”无效。可用的值：6 位区域代码" in text and "expected" not in text
    text = client.get("/dashboard?grain=year").get_data(as_text=True)
    assert "参数 grain（时间粒度）的值“year”无效。可用的值：day（按日）" in text
    text = client.get("/leads?type=nope").get_data(as_text=True)
    assert "参数 type（线索类型）的值“nope”无效。可用的值：trademark（商标侵权）" in text


def test_reports_page_shows_a_filings_time_in_beijing_time(tmp_path: Path) -> None:
    from national.reports.filings import apply_monthly_report
    from national.web import create_app
    from regional.reports.periods import Month, local_day
    from tests.reports.test_national_report import _filing

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, MIGRATIONS)
    last = Month.of(local_day(dt.datetime.now(dt.UTC))).previous
    received = dt.datetime(last.end.year, last.end.month, 1, 1, 2, 3, tzinfo=dt.UTC)
    record = _filing("440000", 3, 2)
    record.monthly_report.month = str(last)
    with Database(config.db_url).transaction() as s:
        s.add(RegionRow(code="440000", name="440000"))
        assert apply_monthly_report(s, "440000", record, received)
    page = web_client(create_app(config), "supervisor").get("/reports").get_data(as_text=True)
    assert f"{last.end.isoformat()} 09:02:03" in page  # 01:02:03 UTC is 09:02:03 in Beijing
    assert "+00:00" not in page
