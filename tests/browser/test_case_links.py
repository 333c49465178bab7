"""A closed case and the new case of the same seller and right that follows it (前案 / 后续案件), on the national and
the regional case pages, in Chinese and in English; the follow-up notice in the history names the national node;
the shared history shows each region's step (已立案, not 已受理) and the closing result on both nodes.

The demo's data, copied, is given a follow-up case the way case formation writes one (tests/integration/
test_review_national.py forms one through real nodes)."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from sync.db import Database, sqlite_url
from tests.browser.test_pages import goto, shot

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("run"))
    return dst


def _national_follow_up(data: Path) -> tuple[str, str]:
    from national.cases import FOLLOW_UP_OUTCOME
    from national.models import CaseEvent, CaseRow

    with Database(sqlite_url(data / "node.db")).transaction() as s:
        old = s.scalars(sa.select(CaseRow).where(CaseRow.cross_region).order_by(CaseRow.id)).first()
        assert old is not None
        old.status = "closed"
        for k, (feedback, step, result) in enumerate((("accepted", "filed", None), ("closed", "closed", "penalised"))):
            s.add(CaseEvent(case_id=old.id, record_uuid=str(uuid.uuid4()), region=old.lead_region, feedback=feedback,
                            note="", accepted=True, outcome="note recorded", status_after="closed", step=step,
                            result=result, at=NOW - dt.timedelta(days=2 - k)))
        new = CaseRow(uuid=str(uuid.uuid4()), key=old.key, right_number=old.right_number, right_title=old.right_title,
                      type=old.type, lead_region=old.lead_region, regions=list(old.regions), cross_region=True,
                      status="formed", supervised=True, prior_case_id=old.id, formed_at=NOW, updated_at=NOW,
                      deadline=NOW + dt.timedelta(days=60))
        s.add(new)
        s.flush()
        s.add(CaseEvent(case_id=new.id, record_uuid=str(uuid.uuid4()), region="000000", feedback="note", note="",
                        accepted=True, outcome=FOLLOW_UP_OUTCOME, status_after="formed", at=NOW))
        return old.uuid, new.uuid


def _regional_follow_up(data: Path) -> tuple[str, str]:
    from national.cases import FOLLOW_UP_OUTCOME
    from regional.models import ReceivedCase

    with Database(sqlite_url(data / "node.db")).transaction() as s:
        old = s.scalars(sa.select(ReceivedCase).order_by(ReceivedCase.id)).first()
        assert old is not None
        old.status = "closed"
        old.events = [{"region": old.lead_region, "feedback": feedback, "step": step, "result": result, "note": "",
                       "outcome": "note recorded", "at": (NOW - dt.timedelta(days=2 - k)).isoformat(), "revision": 9 + k}
                      for k, (feedback, step, result) in enumerate((("accepted", "filed", ""),
                                                                    ("closed", "closed", "penalised")))]
        new_uuid = str(uuid.uuid4())
        s.add(ReceivedCase(case_uuid=new_uuid, feed_cursor=old.feed_cursor + 1000, right_number=old.right_number,
                           right_title=old.right_title, lead_region=old.lead_region, regions=list(old.regions),
                           payload={**old.payload, "prior_case_uuid": old.case_uuid, "formed_at": NOW.isoformat()},
                           status="formed", received_at=NOW,
                           events=[{"region": "000000", "feedback": "note", "note": "", "outcome": FOLLOW_UP_OUTCOME,
                                    "at": NOW.isoformat(), "prior_case": old.case_uuid, "revision": 2}]))
        return old.case_uuid, new_uuid


def _check(pg, base: str, old: str, new: str, name: str) -> None:  # type: ignore[no-untyped-def]
    goto(pg, f"{base}/cases/{new}")
    prior = pg.locator("#prior-case")
    assert "前案（已结案）" in prior.inner_text() and "已结案" in prior.inner_text()
    assert prior.locator(f"a[href='/cases/{old}']").count() == 1
    history = pg.locator("#case-events tbody tr").first.inner_text()
    assert "国家节点" in history and "另立新案" in history, history
    shot(pg, f"{name}-follow-up-case-zh")
    pg.locator("#prior-case a").click()
    pg.wait_for_load_state("load")
    later = pg.locator("#later-cases")
    assert "同一经营者的后续案件" in later.inner_text()
    assert later.locator(f"a.later-case[href='/cases/{new}']").count() == 1
    assert pg.locator("#case-status").inner_text() == "已结案"
    # the shared history names each step as reported (已立案, not 已受理) and the closing result, on both nodes
    assert pg.locator("#case-events td.event-step").all_inner_texts() == ["已立案", "已结案 · 行政处罚"]
    goto(pg, f"{base}/cases/{new}?lang=en")
    assert "Prior case (closed)" in pg.locator("#prior-case").inner_text()
    history = pg.locator("#case-events tbody tr").first.inner_text()
    assert "National node" in history and "a new case is opened" in history, history


def test_the_closed_case_and_its_follow_up_link_each_other_on_both_nodes(new_page, demo_federation, node_web,
                                                                          demo_accounts, tmp_path: Path) -> None:
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    region = _copy(demo_federation.region_dir("440000"), tmp_path / "region-440000")
    n_old, n_new = _national_follow_up(national)
    r_old, r_new = _regional_follow_up(region)
    pg = new_page()
    national_url = node_web("national", national)
    sign_in(pg, national_url, "officer", demo_accounts["national"]["officer"])
    _check(pg, national_url, n_old, n_new, "national")
    region_url = node_web("regional", region)
    pg = new_page()  # the language chosen (a cookie of 127.0.0.1, whatever the port) is not carried over
    sign_in(pg, region_url, "officer", demo_accounts["440000"]["officer"])
    _check(pg, region_url, r_old, r_new, "regional-440000")
