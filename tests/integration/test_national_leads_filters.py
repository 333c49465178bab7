"""The national leads list's filter form (newcomer14 F26): region, type, right, seller, cross-region case, and
its pager; a bad value is refused in Chinese naming the parameter (F30)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask import Flask

from national.config import NationalConfig
from national.models import CaseRow, NationalLead, RegionRow
from national.node import MIGRATIONS
from sync.db import Database
from sync.migrate import run_migrations
from tests.conftest import web_client

WHEN = dt.datetime(2026, 10, 20, 4, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from national.web import create_app

    root = tmp_path_factory.mktemp("national-leads")
    config = NationalConfig(data_dir=root / "national", pki_dir=root / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, MIGRATIONS)
    db = Database(config.db_url)
    with db.transaction() as s:
        for code in ("440000", "330000"):
            s.add(RegionRow(code=code, name=code))
        case = CaseRow(uuid=str(uuid.uuid4()), key="k", right_number="TM-0012345", right_title="康师傅",
                       type="trademark", lead_region="440000", regions=["440000", "330000"], cross_region=True,
                       supervised=False, formed_at=WHEN, updated_at=WHEN)
        s.add(case)
        s.flush()
        sellers = [("深圳市华美电子有限公司", "91440300MA5HM00012"), ("杭州市华美电子有限公司", "91330100MA2HM0001A"),
                   ("晋江鞋仓", None)]
        for i in range(130):
            name, uscc = sellers[i % 3]
            s.add(NationalLead(uuid=str(uuid.uuid4()), region="440000" if i % 2 else "330000", listing_id=f"L{i}",
                               right_number="TM-0012345" if i % 5 else "TM-0021874",
                               right_title="康师傅" if i % 5 else "雪碧_100%", type="trademark" if i % 4 else "design",
                               score=0.9, reasons=[], model_version="m", received_at=WHEN, detected=WHEN,
                               seller_name=name, seller_uscc=uscc, case_id=case.id if i < 10 else None))
    return create_app(config)


def _total(client, query: str) -> int:  # type: ignore[no-untyped-def]
    answer = client.get(f"/leads?{query}")
    assert answer.status_code == 200, (query, answer.get_data(as_text=True)[:300])
    return int(re.search(r'id="leads-total" data-total="(\d+)"', answer.get_data(as_text=True)).group(1))


def test_the_form_offers_region_type_right_seller_and_case(app: Flask) -> None:
    client = web_client(app, "officer", "li")
    page = client.get("/leads").get_data(as_text=True)
    start = page.index('id="lead-filters"')
    form = page[start:page.index("</form>", start)]
    for field in ('name="region"', 'name="type"', 'name="right"', 'name="seller"', 'name="case"', 'name="from"'):
        assert field in form, field
    assert "广东省" in form and "浙江省" in form and "已形成跨区域案件" in form
    assert 'id="leads-pager"' in page and "1 / 2" in page and "下一页" in page


@pytest.mark.parametrize("query, expected", [
    ("", 130), ("region=440000", 65), ("type=design", 33), ("right=TM-0021874", 26), ("right=康师傅", 104),
    ("right=_100%25", 26), ("seller=华美", 87), ("seller=91440300ma5hm00012", 44), ("case=yes", 10), ("case=no", 120),
    ("region=330000&seller=杭州&case=no", 20), ("seller=没有这个", 0),
])
def test_each_filter_narrows_the_list(app: Flask, query: str, expected: int) -> None:
    client = web_client(app, "officer", "li")
    assert _total(client, query) == expected


def test_a_filter_is_kept_on_the_next_page_and_an_empty_result_says_so(app: Flask) -> None:
    client = web_client(app, "officer", "li")
    page = client.get("/leads?right=康师傅").get_data(as_text=True)
    assert re.search(r'href="\?right=%E5%BA%B7%E5%B8%88%E5%82%85&amp;page=2" id="next-page"', page), page[-800:]
    empty = client.get("/leads?seller=没有这个").get_data(as_text=True)
    assert "没有符合筛选条件的线索" in empty or 'id="leads-none"' in empty


@pytest.mark.parametrize("query, said", [
    ("region=44", "参数 region（区域）的值“44”无效。可用的值：6 位区域代码"),
    ("case=maybe", "参数 case（跨区域案件）的值“maybe”无效。可用的值：yes（已形成跨区域案件）、no（未形成跨区域案件）。"),
    ("seller=" + "x" * 101, "参数 seller（经营者）最多 100 个字符。"),
    ("from=2026-11-02&to=2026-11-01", "参数 from（起始日期）2026-11-02 晚于 to（截止日期）2026-11-01。"),
])
def test_a_bad_filter_is_refused_in_chinese(app: Flask, query: str, said: str) -> None:
    answer = web_client(app, "officer", "li").get(f"/leads?{query}")
    assert answer.status_code == 400 and said in answer.get_data(as_text=True)


def test_a_search_by_part_of_a_name_counts_up_to_a_bound(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """ui15's leftover: the seller/right boxes search by part of a name (a scan no index serves); the total is
    counted up to TEXT_COUNT_CAP matches and said as "more than"; the other filters are counted exactly."""
    from national.web.blueprints import leads

    monkeypatch.setattr(leads, "TEXT_COUNT_CAP", 20)
    client = web_client(app, "officer", "li")
    page = client.get("/leads?seller=华美").get_data(as_text=True)  # 87 match
    assert 'data-total="20" data-capped="1"' in page and "超过 20 条线索（缩小检索范围后可精确计数）" in page
    assert _total(client, "seller=晋江鞋仓") == 20  # 43 match: capped too
    design = client.get("/leads?type=design").get_data(as_text=True)  # the other filters are counted exactly
    assert 'data-total="33"' in design and "data-capped" not in design
    assert _total(client, "seller=晋江鞋仓&region=440000&type=design") < 20
