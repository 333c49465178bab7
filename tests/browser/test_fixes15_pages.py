"""Session 15 (fixes15), in Chromium on copies of the demo's data: the national case page's per-region progress
(各区域办理进度, newcomer14 F36) and the seller on 督办 (F31); 账号管理's 重置密码 and 解除锁定 (F35)."""

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


def _two_results(data: Path) -> tuple[str, str, str]:
    """A cross-region case where the lead region closed on 不构成侵权 and an assisting region on 行政处罚."""
    from national.models import CaseEvent, CaseRow

    with Database(sqlite_url(data / "node.db")).transaction() as s:
        case = s.scalars(sa.select(CaseRow).where(CaseRow.cross_region).order_by(CaseRow.id)).first()
        assert case is not None
        lead = case.lead_region
        other = next(r for r in case.regions if r != lead)
        case.regions = [lead, other]
        case.status = "closed"
        steps = [(other, "accepted", "filed", None, "chen"), (lead, "accepted", "filed", None, "li"),
                 (other, "confirmed", "handling", None, "chen"), (other, "closed", "closed", "penalised", "chen"),
                 (lead, "dismissed", "handling", None, "li"), (lead, "closed", "closed", "no_violation", "li")]
        for k, (region, feedback, step, result, officer) in enumerate(steps):
            s.add(CaseEvent(case_id=case.id, record_uuid=str(uuid.uuid4()), region=region, feedback=feedback,
                            note="", officer=officer, accepted=True, outcome="note recorded", status_after="closed",
                            step=step, result=result, at=NOW - dt.timedelta(hours=len(steps) - k)))
        return case.uuid, lead, other


def test_the_national_case_page_shows_each_regions_progress_and_supervision_names_the_seller(
        new_page, demo_federation, node_web, demo_accounts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    national = _copy(demo_federation.national_dir, tmp_path / "national")
    case, lead, other = _two_results(national)
    url = node_web("national", national)
    pg = new_page()
    sign_in(pg, url, "supervisor", demo_accounts["national"]["supervisor"])
    goto(pg, f"{url}/cases/{case}")
    rows = pg.locator("#case-regions tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0), rows.nth(1)
    assert first.get_attribute("data-region") == lead and second.get_attribute("data-region") == other
    assert first.locator("td.region-role").inner_text().strip() == "主办"
    assert second.locator("td.region-role").inner_text().strip() == "协办"
    assert first.locator("td.region-step").inner_text().strip() == "已结案"
    assert first.locator("td.region-finding").inner_text().strip() == "不构成侵权"
    assert second.locator("td.region-finding").inner_text().strip() == "认定侵权"
    assert "行政处罚" in second.locator("td.region-result").inner_text()
    assert "与主办区域不同" in second.locator("td.region-result").inner_text()
    assert "与主办区域不同" not in first.inner_text()
    shot(pg, "national-case-region-progress-zh")
    goto(pg, f"{url}/cases/{case}?lang=en")
    assert "Progress of each region" in pg.content()
    assert pg.locator("#case-regions td.region-role").all_inner_texts() == ["lead region", "assisting region"]
    goto(pg, f"{url}/supervision?lang=zh")
    assert pg.locator("#supervision thead").inner_text().count("经营者") == 1
    sellers = pg.locator("#supervision td.case-seller").all_inner_texts()
    assert sellers and all(s.strip() for s in sellers)


def test_an_administrator_unlocks_an_account_and_resets_its_password_in_the_browser(
        new_page, demo_federation, node_web, demo_accounts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import sign_in

    region = _copy(demo_federation.region_dir("440000"), tmp_path / "region-440000")
    with Database(sqlite_url(region / "node.db")).transaction() as s:
        from regional.models import User

        s.execute(sa.update(User).where(User.name == "auditor")
                  .values(locked_until=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=14)))
    url = node_web("regional", region)
    pg = new_page()
    sign_in(pg, url, "admin", demo_accounts["440000"]["admin"])
    goto(pg, f"{url}/admin/users")
    row = pg.locator("tr[data-user='auditor']")
    assert "已锁定" in row.inner_text()
    row.locator("form.unlock-form button").click()
    pg.wait_for_load_state("load")
    assert "账号已解除锁定" in pg.locator("#admin-message").inner_text()
    assert "已锁定" not in pg.locator("tr[data-user='auditor']").inner_text()
    row = pg.locator("tr[data-user='auditor']")
    row.locator("details.reset-password summary").click()
    row.locator("input[name=password]").fill("Lantern-river-42")
    row.locator("input[name=again]").fill("Lantern-river-42")
    shot(pg, "regional-admin-reset-password-zh")
    row.locator("details.reset-password button[type=submit]").click()
    pg.wait_for_load_state("load")
    assert "新密码已设置" in pg.locator("#admin-message").inner_text()
    other = new_page()
    sign_in(other, url, "auditor", "Lantern-river-42")
