"""newcomer18 N5, N1, N6: the region's list of cross-region cases mixed the withdrawn case in with the standing ones
(no count, no separate table), named a case after a thin record without a credit code and re-sorted whenever a case
grew; the region's case page put its leads before the regions' progress and in another order than the national
page; in English the host's leads were tagged "lead" (a table of leads: "Zhejiang lead")."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from regional.models import ReceivedCase
from tests.conftest import web_client
from tests.integration.test_web_foundation import regional_app as _regional_app

regional_app = _regional_app  # a fixture: a regional web app (440000) on a fresh database
NOW = dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC)


def _lead(region: str, listing: str, name: str, uscc: str = "") -> dict:  # type: ignore[type-arg]
    return {"region": region, "lead_uuid": "", "listing_id": listing, "listing_title": f"康师傅 {listing}",
            "score": 0.9, "reasons": [], "reason_codes": [], "listing_url": "",
            "seller": {"name": name, "uscc": uscc, "phone": "", "address": ""}}


def _case(uuid: str, title: str, status: str, formed: dt.datetime, received: dt.datetime, leads: list,  # type: ignore[type-arg]
          host: str = "440000") -> ReceivedCase:
    regions = sorted({lead["region"] for lead in leads})
    return ReceivedCase(case_uuid=uuid, feed_cursor=int(received.timestamp()), right_number="TM-1", right_title=title,
                        lead_region=host, regions=regions, status=status, received_at=received,
                        payload={"right": "TM-1", "lead_region": host, "regions": regions, "leads": leads,
                                 "formed_at": formed.isoformat(), "revision": 1})


def test_the_regions_case_list_counts_standing_cases_and_lists_withdrawn_ones_apart(regional_app: Flask) -> None:
    firm = [_lead("440000", "gd-1", "深圳市博鹏商贸有限公司", "91440300590830169D"),
            _lead("350000", "fj-1", "博鹏商贸批发部", "91440300590830169D"),
            _lead("330000", "zj-1", "博鹏商贸"), _lead("330000", "zj-2", "博鹏商贸"), _lead("330000", "zj-3", "博鹏商贸")]
    with regional_app.extensions["hufu_db"].transaction() as s:
        # the older case grew later (a new revision received last): it keeps its place by when it was formed
        s.add(_case("a0000000-0000-0000-0000-000000000001", "康师傅", "formed", NOW - dt.timedelta(days=3), NOW, firm))
        s.add(_case("a0000000-0000-0000-0000-000000000002", "雪碧", "investigating", NOW - dt.timedelta(days=1),
                    NOW - dt.timedelta(hours=5), [_lead("440000", "gd-2", "某商行"), _lead("330000", "zj-4", "某商行")]))
        s.add(_case("a0000000-0000-0000-0000-000000000003", "大白兔", "withdrawn", NOW - dt.timedelta(hours=2),
                    NOW - dt.timedelta(hours=1), [_lead("440000", "gd-3", "鑫澜"), _lead("330000", "zj-5", "鑫澜")]))
    page = web_client(regional_app, "officer").get("/cases").get_data(as_text=True)
    assert 'data-total="2"' in page and "已撤回 1 件：不计入跨区域案件，单独列于下方。" in page
    standing, apart = page.split('id="withdrawn-heading"')
    assert "a0000000-0000-0000-0000-000000000003" not in standing and "a0000000-0000-0000-0000-000000000003" in apart
    assert "已撤回的案件不再涉及本区域" in apart
    # newest formed first, whatever was received last
    assert standing.index("a0000000-0000-0000-0000-000000000002") < standing.index("a0000000-0000-0000-0000-000000000001")
    row = standing[standing.index('data-case="a0000000-0000-0000-0000-000000000001"'):]
    row = row[:row.index("</tr>")]
    # named after a registered firm, not the thin record that has most leads
    assert "博鹏商贸批发部" in row or "深圳市博鹏商贸有限公司" in row
    assert '<td class="case-seller">博鹏商贸 ' not in row and "(+2)" in row


def test_the_regions_case_page_shows_progress_then_leads_in_the_national_order(regional_app: Flask) -> None:
    leads = [_lead("440000", "gd-1", "深圳市博鹏商贸有限公司"), _lead("330000", "zj-1", "博鹏商贸"),
             _lead("350000", "fj-1", "博鹏商贸批发部"), _lead("330000", "zj-2", "博鹏商贸")]
    with regional_app.extensions["hufu_db"].transaction() as s:
        s.add(_case("b0000000-0000-0000-0000-000000000001", "康师傅", "formed", NOW, NOW, leads, host="440000"))
    client = web_client(regional_app, "officer")
    page = client.get("/cases/b0000000-0000-0000-0000-000000000001").get_data(as_text=True)
    assert page.index('id="case-regions"') < page.index('id="case-leads-heading"') < page.index('id="case-leads"')
    table = page[page.index('id="case-leads"'):]
    table = table[:table.index("</table>")]
    # as the national page: by region, then as filed
    assert [table.index(x) for x in ("zj-1", "zj-2", "fj-1", "gd-1")] == sorted(table.index(x)
                                                                            for x in ("zj-1", "zj-2", "fj-1", "gd-1"))
    assert '<span class="tag host">主办</span>' in table
    english = client.get("/cases/b0000000-0000-0000-0000-000000000001?lang=en").get_data(as_text=True)
    table = english[english.index('id="case-leads"'):]
    table = table[:table.index("</table>")]
    assert '<span class="tag host">host region</span>' in table and ">lead<" not in table
