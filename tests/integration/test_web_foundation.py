"""Both web apps: languages from catalogues, security headers, bad parameters, request size, error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from national.config import NationalConfig
from regional.config import RegionalConfig
from sync.db import run_migrations
from tests.conftest import web_client

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def regional_app(tmp_path: Path) -> Flask:
    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path / "region", region="440000")
    config.data_dir.mkdir()
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    return create_app(config)


@pytest.fixture
def national_app(tmp_path: Path) -> Flask:
    from national.web import create_app

    config = NationalConfig(data_dir=tmp_path / "national", pki_dir=tmp_path / "pki")
    config.data_dir.mkdir()
    run_migrations(config.db_url, REPO / "national" / "migrations")
    return create_app(config)


signed_in = web_client


def test_pages_are_chinese_by_default_and_english_on_request(regional_app: Flask) -> None:
    client = signed_in(regional_app)
    zh = client.get("/leads").get_data(as_text=True)
    assert 'lang="zh-CN"' in zh and "侵权线索" in zh and "虎符 · 区域节点" in zh
    en = client.get("/leads?lang=en").get_data(as_text=True)
    assert 'lang="en"' in en and "Infringement leads" in en and "侵权线索" not in en
    assert "Infringement leads" in client.get("/leads").get_data(as_text=True), "the choice is remembered"
    assert "侵权线索" in client.get("/leads?lang=zh_CN").get_data(as_text=True)


def test_the_national_app_reads_its_own_catalogue_and_the_shared_one(national_app: Flask) -> None:
    page = signed_in(national_app).get("/dashboard").get_data(as_text=True)
    assert "国家知识产权局" in page  # national catalogue
    assert "时间均为北京时间" in page  # shared catalogue
    assert "各省线索与跨区域案件分布" in page


@pytest.mark.parametrize("path", ["/leads", "/api/leads", "/healthz", "/nope"])
def test_every_answer_carries_the_security_headers(regional_app: Flask, path: str) -> None:
    response = signed_in(regional_app).get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(regional_app: Flask, national_app: Flask) -> None:
    for app, paths in ((regional_app, ["/leads", "/cases", "/sync", "/risk", "/blacklist"]),
                       (national_app, ["/", "/leads", "/cases", "/supervision", "/merges", "/sweeps",
                                       "/blacklist", "/dashboard"])):
        client = signed_in(app)
        for path in paths:
            page = client.get(path).get_data(as_text=True)
            # scripts only from static files (the dashboards load ECharts so), never inline
            tags = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
            assert all(not body.strip() for body in tags), path
            assert all(re.match(r'<script src="/static/[^"]+"></script>', t)
                       for t in re.findall(r"<script\b.*?</script>", page, re.S)), path
            assert "<style" not in page and "style=" not in page, path


@pytest.mark.parametrize(("path", "name"), [
    ("/leads?page=99999999999999999999", "page"),
    ("/leads?page=0", "page"),
    ("/leads?page=abc", "page"),
    ("/api/leads?offset=99999999999999999999", "offset"),
    ("/api/leads?offset=-1", "offset"),
    ("/api/leads?limit=100000", "limit"),
])
def test_out_of_range_parameters_answer_400_naming_the_parameter(regional_app: Flask, path: str,
                                                                 name: str) -> None:
    response = signed_in(regional_app).get(path)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert name in body
    if path.startswith("/api/"):
        assert response.json["status"] == 400 and name in response.json["message"]


def test_the_national_leads_page_refuses_a_huge_page_number(national_app: Flask) -> None:
    assert signed_in(national_app).get("/leads?page=99999999999999999999").status_code == 400


def test_an_oversized_request_answers_413_with_a_clear_message(regional_app: Flask) -> None:
    client = signed_in(regional_app)
    big = "x" * (3 * 1024 * 1024)
    response = client.post("/cases/x/step", data={"note": big})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "请求内容过大" in page
    # the heading and the tab title say what happened, not only the bare status code
    assert re.search(r'<h2 id="error-heading">内容过大 <span[^>]*>\(413\)</span></h2>', page)
    assert "<title>内容过大 (413) · " in page


def test_unknown_pages_answer_404_in_the_readers_language(regional_app: Flask) -> None:
    client = signed_in(regional_app)
    page = client.get("/nope").get_data(as_text=True)
    assert "找不到该页面或记录" in page and "<title>未找到 (404) · " in page
    english = client.get("/nope?lang=en").get_data(as_text=True)
    assert "<title>Not found (404) · " in english, english[:400]
    response = client.get("/api/nope")
    assert response.status_code == 404 and response.is_json


def test_stored_script_urls_and_markup_are_never_rendered_live(regional_app: Flask) -> None:
    """A listing stored with a javascript: URL and markup in its title shows as text, not as a link or tag."""
    import datetime as dt

    from regional.domain import LeadType, ListingSource
    from regional.models import LeadRow, ListingRow

    now = dt.datetime.now(dt.UTC)
    with regional_app.extensions["hufu_db"].transaction() as s:
        for i, url in enumerate(["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,x",
                                 "https://shop.example/item/1"]):
            s.add(ListingRow(id=f"x-{i}", source=ListingSource.ECOMMERCE, url=url,
                             title=f'<script>alert("t{i}")</script><img src=x onerror=alert(1)>', imported_at=now))
            s.flush()
            s.add(LeadRow(uuid=f"00000000-0000-0000-0000-00000000000{i}", listing_id=f"x-{i}", right_number="TM-1",
                          type=LeadType.TRADEMARK, score=0.9 - i / 10, reasons=["<b>bold</b>"],
                          model_version="m", created_at=now))
    page = web_client(regional_app).get("/leads").get_data(as_text=True)
    page = page[page.index("<main>"):]
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page.lower() and 'href=" javascript' not in page.lower()
    assert 'href="data:' not in page
    assert 'href="https://shop.example/item/1"' in page


def test_audit_details_read_as_chinese_text_in_beijing_time(regional_app: Flask) -> None:
    """An audit entry's facts: field names translated, stored UTC times in Beijing time, empty lists as —."""
    from regional.web import auditview

    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        facts = dict(auditview.details({
            "exhibition": "440000-2026", "number": "ZH1201-0001",
            "deadline": "2026-12-02T14:08:58.610356+00:00", "warnings": [], "mismatches": {}}))
    assert facts["展会"] == "440000-2026"
    assert facts["投诉编号"] == "ZH1201-0001"
    assert facts["办理时限"] == "2026-12-02 22:08:58"
    assert all(v == "—" for k, v in facts.items() if k not in {"展会", "投诉编号", "办理时限"}), facts
    assert "number" not in facts


def test_import_refusals_in_audit_entries_read_in_the_readers_language(regional_app: Flask) -> None:
    """Stored English import messages (old entries too) render through the catalogue; unknown rules and texts that
    are not import messages keep their stored words."""
    from regional.web import auditview

    detail = {"file": "/data/l.csv", "errors": 2, "first": [
        "l.csv:3 (L-1) field 'price': must be a number of at least 0 (got -5)",
        "l.csv:4: a rule this version does not know"],
        "reason": "/data/l.csv:1: the header row has no 'title' (标题/商品标题) column: the first row of a CSV file "
                  "names its columns (see docs/formats.md); it has: '编号', '价格'"}
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        facts = dict(auditview.details(detail))
        login = dict(auditview.details({"reason": "bad_credentials"}))
    assert facts["问题数"] == "2"
    assert facts["前几处错误"] == ("l.csv 第 3 行（L-1）字段 price：须为不小于 0 的数字（实际为 -5）；"
                              "l.csv 第 4 行：a rule this version does not know")
    assert facts["原因"].startswith("/data/l.csv 第 1 行：表头行缺少 'title' (标题/商品标题) 列：")
    assert login == {"原因": "账号或密码错误"}  # not an import message: its label as before
    with regional_app.test_request_context("/?lang=en"):
        en = dict(auditview.details(detail))
    assert en["first problems"] == "; ".join(detail["first"]) and en["reason"] == detail["reason"]


def test_new_import_refusals_render_from_their_stored_rule_keys_not_their_english(regional_app: Flask) -> None:
    """An entry written now stores each problem's rule key + params beside the English: the page says the rule from
    those (the English words are not read), so a reworded or newly added sentence cannot fall back to English."""
    from regional.formats.errors import ImportFileError, RecordError
    from regional.formats.messages import say
    from regional.web import auditview

    bad = RecordError.of("报关单.csv", 2, "530120261130000001", "direction",
                         say("got", message=say("direction"), got='"sideways"'))
    unreadable = ImportFileError("/data/报关单.csv", say("gbk", enc="UTF-8", byte="0xB1", col=12), line=1)
    detail = {"file": "/data/报关单.csv", "errors": 1, "records": 1,
              "first": ["报关单.csv:2 (530120261130000001) field 'direction': words of an older release"],
              "first_parts": [bad.parts()],
              "reason": "words of an older release", "reason_parts": unreadable.parts()}
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        facts = auditview.details(detail)
    names = [name for name, _ in facts]
    assert "first_parts" not in names and "reason_parts" not in names and len(facts) == 5  # the parts are not shown
    said = dict(facts)
    assert said["前几处错误"] == ("报关单.csv 第 2 行（530120261130000001）字段 direction：须为 进口（import）或 出口（export）"
                              "（实际为 \"sideways\"）")
    assert said["原因"].startswith("/data/报关单.csv 第 1 行：") and "GBK" in said["原因"] and "0xB1" in said["原因"]
    with regional_app.test_request_context("/?lang=en"):
        en = dict(auditview.details(detail))
    assert en["first problems"] == str(bad) and en["reason"] == str(unreadable)  # English from the same rule
    newer = {**detail, "first_parts": [{**bad.parts(), "rule": {"key": "a_rule_of_a_newer_release", "params": {}}}]}
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        said = dict(auditview.details(newer))  # a key this release does not know: the stored English, framed
    assert said["前几处错误"] == "报关单.csv 第 2 行（530120261130000001）字段 direction：words of an older release"


def test_risk_list_names_the_kind_of_a_sellers_key_in_the_ui_language(regional_app: Flask) -> None:
    import datetime as dt

    from regional.models import RiskEntry
    from regional.web.db import db

    at = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    with regional_app.app_context(), db().transaction() as session:
        session.add_all([
            RiskEntry(kind="high_risk_seller", rank=1, key="phone:13900000011", label="深圳某商行", score=3.0,
                      reasons=[], computed_at=at),
            RiskEntry(kind="high_risk_seller", rank=2, key="uscc:91440300MA5EXAMPLE", label="uscc:91440300MA5EXAMPLE",
                      score=2.0, reasons=[], computed_at=at),
            RiskEntry(kind="high_risk_seller", rank=3, key="name:某某旗舰店", label="某某旗舰店", score=1.0, reasons=[],
                      computed_at=at)])
    client = signed_in(regional_app)
    zh = client.get("/risk").get_data(as_text=True)
    assert "电话：13900000011" in zh and "统一社会信用代码：91440300MA5EXAMPLE" in zh
    assert "phone:" not in zh and "uscc:" not in zh and "name:" not in zh
    en = client.get("/risk?lang=en").get_data(as_text=True)
    assert "Phone: 13900000011" in en and "Credit code: 91440300MA5EXAMPLE" in en


def test_a_sync_error_is_shown_in_beijing_time_and_said_in_the_ui_language(regional_app: Flask) -> None:
    import datetime as dt

    from regional import state
    from regional.web.db import db

    at = dt.datetime(2026, 12, 1, 14, 22, 55, 85992, tzinfo=dt.UTC)
    with regional_app.app_context(), db().transaction() as session:
        state.put(session, state.LAST_ERROR, f"{at.isoformat()} push: UNAVAILABLE: Stream removed (Socket closed)", at)
        later = (at + dt.timedelta(minutes=1)).isoformat()
        state.put(session, state.LAST_PUSH_OK, later, at)
        state.put(session, state.LAST_PULL_OK, later, at)
    client = signed_in(regional_app)
    zh = client.get("/sync").get_data(as_text=True)
    resolved = zh[zh.index('id="sync-error-resolved"'):].split("</p>", 1)[0]
    assert "2026-12-01 22:22:55" in resolved and "+00:00" not in resolved  # Beijing time, like the rest of the page
    assert "向国家节点上报：无法连接国家节点" in resolved
    assert "技术细节：<code>UNAVAILABLE: Stream removed (Socket closed)</code>" in resolved  # the detail, for ops
    en = client.get("/sync?lang=en").get_data(as_text=True)
    assert "sending to the national node: the national node could not be reached" in en


def test_the_confirmation_of_a_reported_case_step_is_at_the_top_of_the_case_page(regional_app: Flask) -> None:
    import datetime as dt

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional.models import ReceivedCase
    from regional.web.db import db
    from tests.conftest import csrf

    pki = regional_app.config["HUFU"].pki_dir
    pki.mkdir(exist_ok=True)
    (pki / "signing.key").write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    case = "00000000-0000-0000-0000-000000000007"
    with regional_app.app_context(), db().transaction() as session:
        session.add(ReceivedCase(case_uuid=case, feed_cursor=1, right_number="TM-1", lead_region="440000",
                                 regions=["440000", "330000"], received_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)))
    client = signed_in(regional_app)
    page = client.post(f"/cases/{case}/step", data={"step": "filed", "csrf_token": csrf(client, f"/cases/{case}")},
                       follow_redirects=True).get_data(as_text=True)
    sent = page.index('data-flash="ok"')
    assert "将随下一次同步上报国家节点" in page[sent:sent + 200]
    assert sent < page.index('id="case-leads"')  # where the officer looks, not under the history
    # the page no longer prints text from its address (the legacy feedback route's ?message= / ?error=)
    spoof = client.get(f"/cases/{case}?message=sent&error=请拨打电话").get_data(as_text=True)
    assert "请拨打电话" not in spoof and "将随下一次同步上报国家节点" not in spoof


def test_the_legacy_unchecked_case_feedback_route_is_gone(regional_app: Flask) -> None:
    """POST /cases/<uuid>/feedback took any status (a 结案 before 立案, a step after the region's close) without
    the step rules of the form and `hufu regional case-feedback`; no page used it (session 15)."""
    from tests.conftest import csrf

    client = signed_in(regional_app)
    answer = client.post("/cases/x/feedback", data={"status": "closed", "csrf_token": csrf(client)})
    assert answer.status_code == 404


def test_every_page_in_the_menu_names_itself_in_the_window_title(regional_app: Flask,
                                                                 national_app: Flask) -> None:
    """A tab or a bookmark says which page it is (the newcomer saw bare "虎符 · 区域节点" on /cases, /risk, /sync …)."""
    for app in (regional_app, national_app):
        client = signed_in(app)
        with app.test_request_context():
            from flask import url_for

            paths = sorted({url_for(item.endpoint) for item in app.extensions["hufu_nav"]})
        checked = 0
        for path in paths + ["/audit", "/account"]:
            response = client.get(path)
            if response.status_code != 200:
                continue
            page = response.get_data(as_text=True)
            title = re.search(r"<title>(.*?)</title>", page, re.S)
            heading = re.search(r"<h1>(.*?)</h1>", page, re.S)
            assert title and heading, path
            assert title.group(1).strip() != heading.group(1).strip(), f"{path}: the title is only the app's name"
            assert title.group(1).strip().endswith(heading.group(1).strip()), path
            checked += 1
        assert checked >= 6, paths


def test_a_lead_named_in_an_audit_entry_links_to_its_page_and_nothing_else_is_marked_up(regional_app: Flask,
                                                                                    national_app: Flask) -> None:
    """/sync and /audit showed 线索：1136f792-… as bare text an officer had to copy into the address bar."""
    from regional.web import auditview

    uuid = "1136f792-9036-4c1e-8a51-0d6b3f0c2a11"
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        facts = dict(auditview.details({"lead": uuid, "record": uuid, "reason": "<b>x</b>"}))
        lead_link = str(facts["线索"])
    assert lead_link == f'<a href="/review/leads/{uuid}" class="code">{uuid}</a>'
    assert "<a" not in str(facts["记录"]), "only leads have pages"
    with regional_app.test_request_context("/"):
        assert "<a" not in str(dict(auditview.details({"lead": '"><script>'})).popitem()[1]), "not a uuid: as text"
    with national_app.test_request_context("/"):
        assert "<a" not in str(auditview.details({"lead": uuid})[0][1]), "the national node has no regional lead pages"


def test_an_officers_sync_page_names_an_imported_file_without_the_server_path_and_the_audit_log_keeps_it(
        regional_app: Flask) -> None:
    """/sync showed 文件：/tmp/…/demo-data/samples/330000/customs/declarations.jsonl (a command-line import's path on
    the server) to officers; the audit log, read by auditors and operators, keeps the path."""
    import datetime as dt

    from regional.actors import Actor, audit
    from regional.web.db import db

    path = "/srv/hufu/incoming/2026-12/declarations.jsonl"
    with regional_app.app_context(), db().transaction() as session:
        audit(session, Actor("ops", frozenset({"admin"})), "import_declarations", dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC),
              file=path, added=9)
    officer = signed_in(regional_app)
    page = officer.get("/sync").get_data(as_text=True)
    row = page[page.index("declarations.jsonl") - 300:page.index("declarations.jsonl") + 40]
    assert '文件：<span class="code">declarations.jsonl</span>' in row and "/srv/hufu" not in page, row
    log = web_client(regional_app, "admin").get("/audit").get_data(as_text=True)
    assert path in log


def test_the_sync_page_and_the_audit_log_list_entries_newest_first_by_time(regional_app: Flask) -> None:
    """newcomer14: /sync listed 19:09:10, 19:07:57, 19:08:01, 19:07:56 — in the order written, not in time order (a
    job records the time it started)."""
    import datetime as dt

    from regional.actors import Actor, audit
    from regional.web.db import db

    ops = Actor("ops", frozenset({"admin"}))
    with regional_app.app_context(), db().transaction() as session:
        for minute, n in ((9, 1), (7, 2), (8, 3)):
            audit(session, ops, "import_declarations", dt.datetime(2026, 12, 2, 11, minute, tzinfo=dt.UTC),
                  file=f"d{n}.jsonl", added=n)
    page = signed_in(regional_app).get("/sync").get_data(as_text=True)
    assert page.index("19:09") < page.index("19:08") < page.index("19:07"), "Beijing time, newest first"
    log = web_client(regional_app, "admin").get("/audit").get_data(as_text=True)
    assert log.index("d1.jsonl") < log.index("d3.jsonl") < log.index("d2.jsonl")


def test_closing_a_cross_region_case_without_its_finding_is_refused_on_the_page_and_with_it_sends_both(
        regional_app: Flask, tmp_path: Path) -> None:
    """newcomer13: 结案 on a case 查处中 was accepted by the page and refused only after the sync, the finding dropped."""
    import datetime as dt
    import shutil

    import sqlalchemy as sa

    from regional.models import ReceivedCase
    from regional.web.db import db
    from regional.workflow_models import CrossCaseStep
    from sync.pki import init_ca, issue_region
    from tests.conftest import csrf

    init_ca(tmp_path / "ca", None)
    creds = issue_region(tmp_path / "ca", "440000")
    config = regional_app.config["HUFU"]
    config.pki_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(creds.directory / "signing.key", config.pki_dir / "signing.key")
    case = "00000000-0000-0000-0000-000000000009"
    with regional_app.app_context(), db().transaction() as session:
        session.add(ReceivedCase(case_uuid=case, feed_cursor=1, right_number="TM-1", lead_region="440000",
                                 regions=["440000", "330000"], status="investigating",
                                 received_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), payload={"leads": [
                                     {"region": "440000", "lead_uuid": "1136f792-9036-4c1e-8a51-0d6b3f0c2a11",
                                      "listing_id": "tb-1", "listing_title": "哇哈哈", "score": 0.9, "reasons": [],
                                      "seller": {}},
                                     {"region": "330000", "lead_uuid": "2236f792-9036-4c1e-8a51-0d6b3f0c2a11",
                                      "listing_id": "tb-2", "listing_title": "哇哈哈", "score": 0.9, "reasons": [],
                                      "seller": {}}]}))
    officer = signed_in(regional_app)
    token = csrf(officer, f"/cases/{case}")
    page = officer.post(f"/cases/{case}/step", data={"step": "closed", "result": "penalised", "note": "罚款两万元",
                                                     "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert "本案尚无调查结论：结案时请一并选择调查结论" in page, page[:3000]
    page = officer.post(f"/cases/{case}/step", data={"step": "closed", "finding": "confirmed", "result": "penalised",
                                                     "note": "罚款两万元", "csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert "将随下一次同步上报国家节点" in page
    with regional_app.app_context(), db().read() as session:
        sent = [(r.step.value if r.step else None, r.feedback) for r in
                session.scalars(sa.select(CrossCaseStep).order_by(CrossCaseStep.id))]
    assert sent == [("handling", "confirmed"), ("closed", "closed")]
    with regional_app.app_context(), db().transaction() as session:  # the national node's answer, as the feed has it
        row = session.scalar(sa.select(ReceivedCase).where(ReceivedCase.case_uuid == case))
        row.events = [{"region": "440000", "feedback": "closed", "note": "罚款两万元", "result": "penalised",
                       "at": "2026-12-02T06:00:00+00:00", "outcome": "confirmed -> closed"}]
    history = officer.get(f"/cases/{case}").get_data(as_text=True)
    history = history[history.index('id="case-events"'):].split("</table>", 1)[0]
    assert "结案 · 行政处罚" in history, history  # how the region ended the case, on every region's page
    # this region's own lead links to its page (to judge it, to its evidence); another region's does not
    page = officer.get(f"/cases/{case}").get_data(as_text=True)
    assert '<a href="/review/leads/1136f792-9036-4c1e-8a51-0d6b3f0c2a11" class="own-lead">tb-1</a>' in page
    assert "/review/leads/2236f792" not in page and "tb-2" in page


def test_a_case_outcome_names_the_region_not_its_code(regional_app: Flask) -> None:
    """newcomer13: "作为协办区域的结果记录；由主办区域 330000 决定案件状态" on a Chinese page."""
    from regional.web.statements import statement

    stored = "recorded as the assisting region's result; the lead region 330000 decides the case"
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        zh = statement(stored)
        other = statement("region 990000 is not concerned by this case")  # no such province: the code, as stored
    with regional_app.test_request_context("/?lang=en"):
        en = statement(stored)
    assert "浙江省" in zh and "330000" not in zh, zh
    assert "Zhejiang" in en and "330000" not in en, en
    assert "990000" in other


def test_a_moved_host_region_is_said_in_the_readers_language(regional_app: Flask) -> None:
    """newcomer16 N15: the host region of an issued case moves only when it is no longer concerned, and the
    history says so (national/cases.py host_change_outcome) in the reader's words, with province names."""
    from national.cases import host_change_outcome
    from regional.web.statements import statement

    stored = host_change_outcome("330000", "440000")
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        zh = statement(stored)
    with regional_app.test_request_context("/?lang=en"):
        en = statement(stored)
    assert zh == "主办区域由浙江省改为广东省：浙江省已不再涉及本案", zh
    assert en == "the lead region moved from Zhejiang to Guangdong: Zhejiang is no longer concerned by the case", en


def test_every_outcome_the_case_rules_can_give_is_said_in_chinese(regional_app: Flask) -> None:
    """Every Decision.reason national/lifecycle.py can produce has its Chinese words (statements.OUTCOMES): an
    assisting region's refused step once came back as an English sentence on a Chinese page."""
    import itertools
    import re

    from national.lifecycle import CaseStatus, Feedback, apply_feedback
    from regional.web.statements import statement

    reasons = {apply_feedback(status, feedback, region, "440000", ("440000", "330000"), own=own).reason
               for status, feedback, region, own in itertools.product(
                   CaseStatus, Feedback, ("440000", "330000", "350000"), (None, *CaseStatus))}
    with regional_app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        said = {reason: statement(reason) for reason in sorted(reasons)}
    english = {r: s for r, s in said.items() if re.search(r"[A-Za-z]{3,}", s)}
    assert not english, english


def test_the_sync_page_counts_evidence_captures_still_waiting_for_the_national_log(regional_app: Flask) -> None:
    """newcomer15 F11: 1,230 captures waited for the national log (serve was down) while /sync said 积压 0."""
    import datetime as dt

    from regional.models import EvidenceCapture, ProofStatus
    from regional.web.db import db

    at = dt.datetime(2026, 12, 2, 14, 0, tzinfo=dt.UTC)
    with regional_app.app_context(), db().transaction() as session:
        for k, status in enumerate([ProofStatus.PENDING, ProofStatus.PENDING, ProofStatus.REFUSED, ProofStatus.LOGGED]):
            session.add(EvidenceCapture(uuid=f"00000000-0000-0000-0000-00000000000{k}", lead_uuid=f"lead-{k}",
                                        log_index=k, manifest_sha256=f"{k:064x}", manifest=b"{}", signature=b"s",
                                        region_head="h", reason="detected", actor="worker", captured_at=at,
                                        status=status))
    client = signed_in(regional_app)
    page = client.get("/sync").get_data(as_text=True)
    card = page[page.index('id="evidence-backlog"'):][:400]
    assert '<div class="n">2</div>' in card and "待国家节点日志见证的取证" in card and "1 条被拒绝" in card, card
    data = client.get("/api/sync").get_json()
    assert (data["evidence_pending"], data["evidence_refused"]) == (2, 1)
