"""newcomer18 N3 + N8: a record offered with two records of ONE firm (the same credit code) was told the pairs exclude
each other; after confirming one, the other was "settled by its alternative" and offered only 不是同一主体, and that
answer took the Fujian lead (same credit code) out of the standing case 康师傅, Fujian's copy never told."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from national.casework import SharedCode, decide_merge
from national.config import NationalConfig
from national.models import CaseEvent, CaseRow, MergeReview, MergeStatus, NationalLead
from national.web import create_app as national_web
from regional import outbox
from regional.models import ReceivedCase
from sync.pki import issue_region
from tests.conftest import web_client
from tests.integration.test_accounts import csrf_of
from tests.integration.test_casework import _sync
from tests.integration.test_sync_grpc import NOW, Net, lead_record, region_db, signer_for

USCC = "91440300590830169D"
PHONE = "13900000001"


def _lead(code: str, listing: str, name: str, uscc: str, phone: str, address: str):  # type: ignore[no-untyped-def]
    rec = lead_record(f"{code}-{listing}", "TM-0000918")
    seller = rec.lead.seller
    seller.name, seller.uscc, seller.phone, seller.address = name, uscc, phone, address
    return rec


def _row(page: str, review: int) -> str:
    row = page[page.index(f'data-review="{review}"'):]
    return row[:row.index("</tr>")]


def _flashes(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-flash="(\w+)">(.*?)</p>', page, flags=re.S)


def test_a_record_offered_with_two_records_of_one_firm_is_one_question_and_never_splits_the_firm(net: Net) -> None:
    issue_region(net.pki, "350000")  # the fixture issues 440000 and 330000
    dbs = {code: region_db(net, code) for code in ("440000", "350000", "330000")}
    firm = {"440000": ("深圳市博鹏商贸有限公司", "广东省深圳市宝安区西乡街道1号"),
            "350000": ("博鹏商贸批发部", "福建省福州市鼓楼区五四路1号")}
    for code, (name, address) in firm.items():
        with dbs[code].transaction() as s:
            outbox.append(s, signer_for(net, code), _lead(code, "firm", name, USCC, PHONE, address), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))
    assert sorted(case.regions) == ["350000", "440000"]
    with dbs["330000"].transaction() as s:  # the thin record: a trade name, the phone, a Hangzhou address, no code
        outbox.append(s, signer_for(net, "330000"), _lead("330000", "m-1", "博鹏商贸", "", PHONE,
                                                          "浙江省杭州市余杭区文一西路99号"), NOW)
    _sync(net, dbs)
    with net.national.transaction() as s:  # offered with one record of the firm or both (newcomer18 saw both)
        lead = {r: i for i, r in s.execute(sa.select(NationalLead.id, NationalLead.region))}
        thin = lead["330000"]
        offered = {frozenset((r.lead_a, r.lead_b)) for r in s.scalars(sa.select(MergeReview))}
        for code in ("440000", "350000"):
            if frozenset((thin, lead[code])) not in offered:
                s.add(MergeReview(lead_a=min(thin, lead[code]), lead_b=max(thin, lead[code]), probability=0.9,
                                  status=MergeStatus.PENDING, created_at=NOW))
        thin_in_case = s.get(NationalLead, thin).case_id  # type: ignore[union-attr]
    assert thin_in_case is None, "an uncertain record joins no case before an officer decides"
    with net.national.read() as s:
        pair = {next(iter({r.lead_a, r.lead_b} - {thin})): r.id for r in s.scalars(sa.select(MergeReview))}
    first, second = pair[lead["440000"]], pair[lead["350000"]]

    (net.tmp / "national-web").mkdir()
    client = web_client(national_web(NationalConfig(data_dir=net.tmp / "national-web", pki_dir=net.pki,
                                                    database_url=net.national.url)), "supervisor", "zhao")
    page = client.get("/merges").get_data(as_text=True)
    # one firm: the two pairs are not "at most one of them" alternatives
    assert "互为备选" not in _row(page, first) and "互为备选" not in _row(page, second)
    client.post(f"/merges/{first}", data={"decision": "merge", "note": "同一电话",
                                         "csrf_token": csrf_of(client, "/merges")})
    page = client.get("/merges").get_data(as_text=True)
    other = _row(page, second)
    # settled as the same seller: the same question, answered; only 确认同一主体 offered
    assert f'class="settled-by-sibling same" data-sibling="{first}"' in other
    assert "统一社会信用代码相同或已是同一主体" in other
    assert "确认同一主体" in other and "不是同一主体" not in other
    # the confirmed pair offers only its reversal, not 确认同一主体 again
    done = _row(page, first)
    assert "不是同一主体" in done and "确认同一主体</button>" not in done

    # "different" is refused (the page no longer offers it; a crafted post or a stale page is told why)
    page = client.post(f"/merges/{second}", data={"decision": "reject", "csrf_token": csrf_of(client, "/merges")},
                       follow_redirects=True).get_data(as_text=True)
    said = _flashes(page)
    assert any(c == "error" and USCC in t and f"#{first}" in t for c, t in said), said
    with net.national.transaction() as s, pytest.raises(SharedCode):
        decide_merge(s, second, False, officer="国家局 赵科长", note="", now=NOW)
    with net.national.read() as s:
        assert s.get(MergeReview, second).status is MergeStatus.PENDING  # type: ignore[union-attr]
    _sync(net, dbs)
    with net.national.read() as s:
        case = s.get(CaseRow, case.id)
        held = {r for r, c in s.execute(sa.select(NationalLead.region, NationalLead.case_id)) if c == case.id}
    assert case is not None and sorted(case.regions) == ["330000", "350000", "440000"]
    assert held == {"330000", "350000", "440000"}, "the firm's Fujian lead stays in its case"
    client.post(f"/merges/{second}", data={"decision": "merge", "csrf_token": csrf_of(client, "/merges")})
    with net.national.read() as s:
        assert s.get(MergeReview, second).status is MergeStatus.MERGED  # type: ignore[union-attr]


def test_a_region_whose_leads_leave_a_case_is_told_and_every_history_says_so(net: Net) -> None:
    """newcomer18 N8 (c): a "different sellers" decision that takes a region's leads out of a standing case told
    nobody: the case history said nothing, the region's copy kept 5 leads and the report form."""
    issue_region(net.pki, "350000")  # the fixture issues 440000 and 330000
    dbs = {code: region_db(net, code) for code in ("440000", "350000", "330000")}
    shop = {"440000": ("瑞飞百货旗舰店", "13700137011", "广东省深圳市福田区华强北路1号"),
            "350000": ("瑞飞百货", "13700137011", "福建省福州市鼓楼区五四路1号"),
            "330000": ("瑞飞百货商行", "13700137011", "浙江省杭州市西湖区文三路1号")}
    for code, (name, phone, address) in shop.items():
        with dbs[code].transaction() as s:
            outbox.append(s, signer_for(net, code), _lead(code, "shop", name, "", phone, address), NOW)
    _sync(net, dbs)
    with net.national.transaction() as s:
        lead = {r: i for i, r in s.execute(sa.select(NationalLead.id, NationalLead.region))}
        cases = list(s.scalars(sa.select(CaseRow)))
        if not cases or len(cases[0].regions) < 3:  # not linked by the engine alone: an officer joins them
            for other in ("350000", "330000"):
                a, b = sorted((lead["440000"], lead[other]))
                review = s.scalar(sa.select(MergeReview).where(MergeReview.lead_a == a, MergeReview.lead_b == b))
                if review is None:
                    review = MergeReview(lead_a=a, lead_b=b, probability=0.9, status=MergeStatus.PENDING,
                                         created_at=NOW)
                    s.add(review)
                    s.flush()
                decide_merge(s, review.id, True, officer="国家局 赵科长", note="", now=NOW)
    _sync(net, dbs)
    with net.national.transaction() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))
        assert sorted(case.regions) == ["330000", "350000", "440000"]
        a, b = sorted((lead["440000"], lead["350000"]))
        review = s.scalar(sa.select(MergeReview).where(MergeReview.lead_a == a, MergeReview.lead_b == b))
        if review is None:
            review = MergeReview(lead_a=a, lead_b=b, probability=0.6, status=MergeStatus.PENDING, created_at=NOW)
            s.add(review)
            s.flush()
        review_id, was_merged = review.id, review.status is MergeStatus.MERGED
    (net.tmp / "national-web").mkdir()
    client = web_client(national_web(NationalConfig(data_dir=net.tmp / "national-web", pki_dir=net.pki,
                                                    database_url=net.national.url)), "supervisor", "zhao")
    page = client.post(f"/merges/{review_id}", data={"decision": "reject", "note": "福州另一家",
                                                    "csrf_token": csrf_of(client, "/merges")},
                       follow_redirects=True).get_data(as_text=True)
    said = _flashes(page)
    assert any(c == "warning" and case.uuid[:8] in t for c, t in said), said  # the flash names the case touched
    _sync(net, dbs)
    with net.national.read() as s:
        after = s.get(CaseRow, case.id)
        events = [e.outcome for e in s.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert after is not None
    if was_merged and after.status.value == "withdrawn":
        pytest.skip("the officer's link was the case's only tie: the whole case was withdrawn (tested elsewhere)")
    assert after.status.value != "withdrawn" and len(after.regions) == 2, after.regions
    [left] = sorted({"330000", "350000", "440000"} - set(after.regions))
    outcome = f"no longer concerned by the case: {left} (their leads left it: the sellers are not one entity)"
    assert outcome in events
    for code, db in dbs.items():
        with db.read() as s:
            copy = s.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case.uuid))
        assert copy is not None and outcome in [e.get("outcome") for e in copy.events], code
        assert (copy.status == "withdrawn") == (code == left), (code, copy.status)
    from regional.config import RegionalConfig
    from regional.web import create_app as regional_web

    (net.tmp / f"web-{left}").mkdir()
    region = web_client(regional_web(RegionalConfig(data_dir=net.tmp / f"web-{left}", region=left,
                                                    database_url=dbs[left].url)), "officer")
    page = region.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert 'id="cross-step-form"' not in page and "已不再涉及本案：其线索已离开本案" in page
    national_page = client.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert "已不再涉及本案：其线索已离开本案" in national_page
    assert '<span class="tag host">主办</span>' in national_page  # newcomer18 N6: "host region" in English
    english = client.get(f"/cases/{case.uuid}?lang=en").get_data(as_text=True)
    assert '<span class="tag host">host region</span>' in english

    # the officer confirms the pair again: the region that left is concerned again, and its copy stands again
    with net.national.transaction() as s:
        decide_merge(s, review_id, True, officer="国家局 赵科长", note="核实为同一主体", now=NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        again = s.get(CaseRow, case.id)
    assert again is not None and sorted(again.regions) == ["330000", "350000", "440000"]
    with dbs[left].read() as s:
        copy = s.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case.uuid))
    assert copy is not None and copy.status != "withdrawn" and sorted(copy.regions) == sorted(again.regions)
    assert f"concerned by the case again: {left} (their leads joined it again)" in [e.get("outcome")
                                                                                   for e in copy.events]
    page = region.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert 'id="cross-step-form"' in page and "重新涉及本案" in page
