"""Exhibitions (大型展会): show, booths, exhibitors and pledges, filing, pre-show screening, the complaint station,
the board — through the service, the web pages (roles, CSRF, Chinese) and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from regional.actors import Actor, Forbidden
from regional.config import RegionalConfig
from regional.exhibitions import core, service
from regional.exhibitions.core import ExhibitionError
from regional.exhibitions.models import Exhibit, ExhibitorFlag, StationComplaint
from regional.formats.errors import ImportFileError
from regional.models import AuditEntry, LeadRow, ListingRow
from sync.db import Database, run_migrations
from tests.conftest import csrf, web_client
from tests.workflow_data import NOW, build, signer

REPO = Path(__file__).resolve().parents[2]
OFFICER = Actor("li", frozenset({"officer"}))
SUPERVISOR = Actor("wang", frozenset({"supervisor", "officer"}))
AUDITOR = Actor("sun", frozenset({"auditor"}))
SHOW = {"code": "GZ-EXPO-2026", "name": "第二届华南消费品博览会", "venue": "广州国际会展中心", "organiser": "广东省贸促会",
        "starts_on": "2026-12-10", "ends_on": "2026-12-13", "halls": "1号馆,2号馆"}
KSF = {"name": "深圳南山某商行", "booth": "A1-01", "uscc": "91440305MA5DC0QX1L", "phone": "13800138000",
       "address": "广东省深圳市南山区科技园路12号", "pledge_signer": "张三"}


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    run_migrations(url, REPO / "regional" / "migrations")
    database = Database(url)
    build(database, 0, agencies=False)
    return database


def make_show(db: Database, booths: tuple[str, ...] = ("A1-01", "A1-02", "A1-03")) -> None:
    with db.transaction() as s:
        service.create(s, SHOW, "440000", SUPERVISOR, NOW)
        service.add_booths(s, SHOW["code"], "1号馆", list(booths), OFFICER, NOW)


def exhibit(number: str, booth: str = "A1-01", product: str = "康帅傅 红烧牛肉面 五连包", **kw: object) -> tuple[int, core.ExhibitInput]:
    return 1, core.check_exhibit({"id": number, "booth": booth, "product": product, "nice_classes": "30", **kw})


def test_a_show_is_created_by_a_supervisor_only_and_its_fields_are_checked(db: Database) -> None:
    with db.transaction() as s, pytest.raises(Forbidden):
        service.create(s, SHOW, "440000", OFFICER, NOW)
    for bad, field in (({"code": "有 空格"}, "code"), ({"ends_on": "2026-12-01"}, "ends_on"),
                       ({"starts_on": "12/10/2026"}, "starts_on"), ({"name": ""}, "name"),
                       ({"deadline_hours": "0"}, "deadline_hours"), ({"region": "44000"}, "region"),
                       ({"name": "展" * 201}, "name"), ({"venue": "a\x00b"}, "venue")):
        with db.transaction() as s, pytest.raises(ExhibitionError) as info:
            service.create(s, {**SHOW, **bad}, "440000", SUPERVISOR, NOW)
        assert info.value.field == field
    make_show(db)
    with db.transaction() as s, pytest.raises(ExhibitionError) as info:
        service.create(s, SHOW, "440000", SUPERVISOR, NOW)
    assert info.value.reason == "code_exists"
    with db.read() as s:
        actions = list(s.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.in_(
            ["exhibition_created", "booths_added"]))))
    assert sorted(actions) == ["booths_added", "exhibition_created"]


def test_filing_needs_a_registered_booth_and_a_signed_pledge_and_is_all_or_nothing(db: Database) -> None:
    make_show(db)
    with db.transaction() as s:
        service.register(s, SHOW["code"], {**KSF, "pledge_signer": ""}, OFFICER, NOW)
        with pytest.raises(ExhibitionError) as info:
            service.register(s, SHOW["code"], {**KSF, "uscc": ""}, OFFICER, NOW)
        assert info.value.reason == "booth_taken"
    with db.transaction() as s:
        result = service.file_exhibits(s, SHOW["code"], [exhibit("E1"), exhibit("E2", booth="A1-02"),
                                                         exhibit("E3", booth="Z9")], OFFICER, NOW, file="f.jsonl")
        assert [(e.record_id, e.field) for e in result.errors] == [("E1", "booth"), ("E2", "booth"), ("E3", "booth")]
        assert result.reasons == ["no_pledge", "no_exhibitor", "unknown_booth"]
    with db.transaction() as s:
        service.sign_pledge(s, SHOW["code"], "A1-01", "张三", OFFICER, NOW)
        result = service.file_exhibits(s, SHOW["code"], [exhibit("E1"), exhibit("E1")], OFFICER, NOW)
        assert result.reasons == ["filed_twice"]
    with db.transaction() as s:
        result = service.file_exhibits(s, SHOW["code"], [exhibit("E1", rights="TM-0012345;TM-NOPE")], OFFICER, NOW)
        assert not result.errors and result.filed == 1
        assert [w.message for w in result.warnings] == ["right TM-NOPE is not in this node's registry"]
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Exhibit)) == 1
        listing = s.get(ListingRow, "E:GZ-EXPO-2026:A1-01:E1")
        assert listing is not None and listing.source.value == "exhibition" and listing.platform == "GZ-EXPO-2026"
        assert listing.screened_at is None


def test_pre_show_screening_puts_leads_tagged_with_show_and_booth_into_the_queue(db: Database) -> None:
    make_show(db)
    sig = signer()
    with db.transaction() as s:
        service.register(s, SHOW["code"], KSF, OFFICER, NOW)
        service.register(s, SHOW["code"], {"name": "杭州某茶叶公司", "booth": "A1-02", "pledge_signer": "李四"}, OFFICER, NOW)
        service.file_exhibits(s, SHOW["code"], [exhibit("E1"), exhibit("E2", booth="A1-02", product="西湖龙井 明前特级 250g")],
                              OFFICER, NOW)
    result = service.screen(db, sig, SHOW["code"], OFFICER, NOW)
    assert result.screened == 2 and result.leads >= 1
    again = service.screen(db, sig, SHOW["code"], OFFICER, NOW)
    assert again.screened == 2 and again.leads == 0 and again.skipped_existing == result.leads
    with db.read() as s:
        leads = list(s.scalars(sa.select(LeadRow)))
        assert {(lead.listing_id, lead.right_number, lead.source.value) for lead in leads} >= {
            ("E:GZ-EXPO-2026:A1-01:E1", "TM-0012345", "exhibition")}
        view = service.view(s, SHOW["code"], NOW)
        e1 = next(x for x in view.exhibits if x.number == "E1")
        assert e1.screened_at is not None and e1.leads == {"new": 1} and e1.booth == "A1-01"
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "exhibits_screened")) == 2
    from regional.review import queue

    with db.read() as s:  # an officer finds them in the queue by show and booth, and by source
        for text in ("E:GZ-EXPO-2026:A1-01:E1", "GZ-EXPO-2026"):
            page = queue.list_page(s, queue.parse_filters({"q": text}), limit=10)
            assert "E:GZ-EXPO-2026:A1-01:E1" in [r["listing_id"] for r in page.rows], text
        page = queue.list_page(s, queue.parse_filters({"source": "exhibition"}), limit=10)
        assert {r["listing_id"] for r in page.rows} == {lead.listing_id for lead in leads}


def test_station_complaints_get_the_fast_track_deadline_and_move_through_their_states(db: Database) -> None:
    make_show(db)
    with db.transaction() as s:
        service.register(s, SHOW["code"], KSF, OFFICER, NOW)
        c1 = service.log_complaint(s, SHOW["code"], "A1-01", {"what": "展台销售仿冒康师傅方便面", "complainant": "顶益公司代理人",
                                                                "right": "TM-0012345"}, OFFICER, NOW)
        service.set_deadline_hours(s, SHOW["code"], 4, SUPERVISOR, NOW)
        c2 = service.log_complaint(s, SHOW["code"], "A1-02", {"what": "外观抄袭", "complainant": "某杯业"}, OFFICER,
                                   NOW + dt.timedelta(hours=1))
        assert c1.deadline_at == NOW + dt.timedelta(hours=24) and c1.exhibitor_id is not None
        assert c2.deadline_at == NOW + dt.timedelta(hours=5) and c2.exhibitor_id is None
        assert c1.number != c2.number
        with pytest.raises(ExhibitionError) as info:
            service.log_complaint(s, SHOW["code"], "B9", {"what": "x", "complainant": "y"}, OFFICER, NOW)
        assert info.value.reason == "unknown_booth"
        with pytest.raises(ExhibitionError):
            service.log_complaint(s, SHOW["code"], "A1-01", {"what": "", "complainant": "y"}, OFFICER, NOW)
    later = NOW + dt.timedelta(hours=6)
    with db.read() as s:
        _show, rows, names = service.board(s, SHOW["code"], later)
    assert [(r.booth, r.overdue, r.due.value) for r in rows] == [("A1-02", 1, "overdue"), ("A1-01", 0, "on_time")]
    assert names == {"A1-01": KSF["name"]}
    with db.transaction() as s:
        with pytest.raises(ExhibitionError) as info:
            service.handle_complaint(s, SHOW["code"], c1.number, "resolve", OFFICER, later)
        assert info.value.field == "resolution"
        with pytest.raises(ExhibitionError) as info:
            service.handle_complaint(s, SHOW["code"], c1.number, "dismiss", OFFICER, later)
        assert info.value.reason == "dismiss_needs_note"
        service.handle_complaint(s, SHOW["code"], c1.number, "take", OFFICER, later)
        row = service.handle_complaint(s, SHOW["code"], c1.number, "resolve", OFFICER, later, resolution="withdrawn",
                                       note="展品已撤下")
        assert row.state.value == "resolved" and row.closed_at == later and row.handler == "li"
        with pytest.raises(ExhibitionError) as info:
            service.handle_complaint(s, SHOW["code"], c1.number, "take", OFFICER, later)
        assert info.value.reason == "wrong_state"
        with pytest.raises(Forbidden):
            service.handle_complaint(s, SHOW["code"], c2.number, "take", AUDITOR, later)
    with db.read() as s:
        _show, rows, _names = service.board(s, SHOW["code"], later)
        assert [r.booth for r in rows] == ["A1-02"]
        view = service.view(s, SHOW["code"], later)
        done = next(c for c in view.complaints if c.number == c1.number)
        assert done.due == "closed_on_time" and [e["action"] for e in done.events] == ["logged", "take", "resolve"]
        assert s.scalar(sa.select(sa.func.count()).select_from(StationComplaint)) == 2


def test_the_rules_are_pure_and_total() -> None:
    assert core.next_state(core.ComplaintState.OPEN, core.ComplaintAction.TAKE) is core.ComplaintState.HANDLING
    for state in (core.ComplaintState.RESOLVED, core.ComplaintState.DISMISSED):
        for action in core.ComplaintAction:
            with pytest.raises(ExhibitionError):
                core.next_state(state, action, core.Resolution.SETTLED if action is core.ComplaintAction.RESOLVE else None)
    assert core.phase(dt.date(2026, 12, 10), dt.date(2026, 12, 13), dt.date(2026, 12, 9)) is core.Phase.UPCOMING
    assert core.phase(dt.date(2026, 12, 10), dt.date(2026, 12, 13), dt.date(2026, 12, 13)) is core.Phase.OPEN
    assert core.due(core.ComplaintState.OPEN, NOW, NOW - dt.timedelta(hours=1)) is core.Due.DUE_SOON
    with pytest.raises(ExhibitionError):
        core.check_deadline_hours(True)
    with pytest.raises(ExhibitionError) as info:
        core.check_exhibit({"id": "../x", "booth": "A1", "product": "p"})
    assert info.value.field == "id"
    with pytest.raises(ExhibitionError) as info:
        core.check_exhibit({"id": "x", "booth": "A1", "product": "p", "images": "javascript:alert(1)"})
    assert info.value.field == "images"


# ---------------------------------------------------------------- files


def test_a_csv_filing_with_chinese_headers_is_read_and_bad_records_are_named(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "展品.csv"
    path.write_text("展品编号,展位号,展品名称,品牌,尼斯分类,依据权利\n"
                    "E1,A1-01,红烧牛肉面,康帅傅,30,TM-0012345\n"
                    "E2,,保温杯,,21,\n"
                    "E3,A1-01,,,99,\n", encoding="utf-8")
    items, errors, _warnings, reasons = service.read_exhibits_with_reasons(path)
    assert [n for _, n in [(ln, x.number) for ln, x in items]] == ["E1"]
    # every bad field of a record (newcomer15 F1: E3's class 99 was heard of only after its name was fixed)
    assert [(e.line, e.record_id, e.field) for e in errors] == [(3, "E2", "booth"), (4, "E3", "product"),
                                                                (4, "E3", "nice_classes")]
    assert reasons == ["booth", "product", "nice_classes"]
    jl = tmp_path / "exhibits.jsonl"
    jl.write_text(json.dumps({"id": "E9", "booth": "A1-01", "product": "雪碧", "images": ["https://img.example/1.jpg"]},
                             ensure_ascii=False) + "\nnot json\n", encoding="utf-8")
    items, errors, _w, reasons = service.read_exhibits_with_reasons(jl)
    assert len(items) == 1 and errors[0].line == 2 and reasons == ["unreadable"]


def test_a_filing_names_a_record_by_a_text_id_only_refuses_a_record_too_long_and_leaves_twins_to_the_filing(
        db: Database, tmp_path: Path) -> None:
    from regional.formats.source import ReadLimits

    path = tmp_path / "exhibits.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (
        {"id": 7, "booth": "A1-01", "product": ""}, {"id": "E2", "booth": "A1-01", "product": "面" * 3000},
        [1, 2], {"id": "E3", "booth": "A1-01", "product": "雪碧"}, {"id": "E3", "booth": "A1-01", "product": "雪碧"})),
        encoding="utf-8")
    items, errors, _w, reasons = service.read_exhibits_with_reasons(path, limits=ReadLimits(max_record_bytes=4096))
    assert [(e.line, e.record_id) for e in errors] == [(1, None), (2, None), (3, None)]
    assert reasons[1:] == ["too_big", "unreadable"]
    assert [(line, x.number) for line, x in items] == [(4, "E3"), (5, "E3")]  # twins: the filing refuses them
    with pytest.raises(ImportFileError):
        service.read_exhibits_with_reasons(_empty(tmp_path))


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- pages


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path / "region", region="440000")
    config.data_dir.mkdir()
    config.pki_dir.mkdir()
    key = ed25519.Ed25519PrivateKey.generate()
    (config.pki_dir / "signing.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    build(Database(config.db_url), 0, agencies=False)
    flask_app = create_app(config)
    flask_app.config["TESTING"] = True
    return flask_app


def _post(client, path: str, data: dict[str, object], *, follow: bool = True):  # type: ignore[no-untyped-def]
    token = csrf(client, "/exhibitions")
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=follow)


def test_the_pages_walk_a_show_from_creation_to_a_resolved_complaint_in_chinese(app: Flask, tmp_path: Path) -> None:
    boss = web_client(app, "supervisor", "wang")
    page = _post(boss, "/exhibitions", {**SHOW, "deadline_hours": "24"}).get_data(as_text=True)
    assert "已创建" in page and SHOW["name"] in page
    url = f"/exhibitions/{SHOW['code']}"
    officer = web_client(app, "officer", "li")
    _post(officer, f"{url}/booths", {"hall": "1号馆", "booths": "A1-01, A1-02"})
    text = _post(officer, f"{url}/exhibitors", {**KSF, "pledge": "1"}).get_data(as_text=True)
    assert "已登记" in text
    text = _post(officer, f"{url}/exhibits", {"id": "E1", "booth": "A1-02", "product": "雪碧"}).get_data(as_text=True)
    assert "未登记参展方" in text  # refused, in Chinese, naming the field
    upload = tmp_path / "exhibits.csv"
    upload.write_text("展品编号,展位号,展品名称,尼斯分类\nE1,A1-01,康帅傅 红烧牛肉面,30\nE2,A1-01,保温杯,21\n", encoding="utf-8")
    with upload.open("rb") as fh:
        text = officer.post(f"{url}/exhibits/upload", data={"file": (fh, "展品.csv"), "csrf_token": csrf(officer, url)},
                            content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "已报备 2 件展品" in text or "2 件展品已报备" in text, text[-3000:]
    text = _post(officer, f"{url}/screen", {}).get_data(as_text=True)
    assert re.search(r"已筛查 2 件展品", text), text[-3000:]
    text = _post(officer, f"{url}/complaints", {"booth": "A1-01", "what": "仿冒康师傅", "complainant": "顶益代理人"}
                 ).get_data(as_text=True)
    number = re.search(r"投诉 (ZH\d{4}-\d{4}) 已登记", text).group(1)  # type: ignore[union-attr]
    board = officer.get(f"{url}/board").get_data(as_text=True)
    assert 'data-booth="A1-01"' in board and KSF["name"] in board and "board.js" in board
    api = officer.get(f"/api/exhibitions/{SHOW['code']}/board").get_json()
    assert api["booths"][0]["booth"] == "A1-01" and api["booths"][0]["complaints"] == [number]
    text = _post(officer, f"{url}/complaints/{number}", {"action": "resolve", "resolution": "withdrawn",
                                                         "note": "已撤展"}).get_data(as_text=True)
    assert "已办结" in text and "撤展" in text
    assert 'data-booth="A1-01"' not in officer.get(f"{url}/board").get_data(as_text=True)
    en = officer.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Complaint station" in en and "Filed exhibits" in en


def test_roles_and_csrf_are_enforced_on_every_exhibition_form(app: Flask) -> None:
    boss = web_client(app, "supervisor", "wang")
    _post(boss, "/exhibitions", SHOW)
    url = f"/exhibitions/{SHOW['code']}"
    auditor = web_client(app, "auditor", "sun")
    assert auditor.get(url).status_code == 200
    token = csrf(auditor, url)
    for path in ("/exhibitions", f"{url}/booths", f"{url}/exhibitors", f"{url}/complaints", f"{url}/screen",
                 f"{url}/deadline"):
        assert auditor.post(path, data={"csrf_token": token}).status_code == 403, path
    officer = web_client(app, "officer", "li")
    assert officer.post("/exhibitions", data={**SHOW, "code": "X2", "csrf_token": csrf(officer, url)}).status_code == 403
    assert officer.post(f"{url}/booths", data={"booths": "B1"}).status_code == 400  # no CSRF token
    assert officer.get("/exhibitions/NO-SUCH").status_code == 404
    holder = web_client(app, "rights_holder", "kangshifu")
    assert holder.get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302


def _flashes(client, response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The (category, text) flashed by a redirecting POST, read on the page it redirects to."""
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return [(c, re.sub(r"\s+", " ", t).strip())
            for c, t in re.findall(r'data-flash="(\w+)">(.*?)</p>', page, flags=re.S)]


def test_every_show_form_answers_404_refusal_or_success_at_its_own_section(app: Flask) -> None:
    boss = web_client(app, "supervisor", "wang")
    _post(boss, "/exhibitions", SHOW)
    url = f"/exhibitions/{SHOW['code']}"
    # (path, anchor, a refused form, the refusal's words, a form that succeeds, the success's words), in order
    steps = [
        ("booths", "booths", {"hall": "9号馆", "booths": "A1-01"}, "展馆", {"hall": "1号馆", "booths": "A1-01, A1-02"},
         "2"),
        ("exhibitors", "exhibitors", {**KSF, "booth": "Z9-99"}, "展位", {**KSF, "pledge_signer": ""}, "已登记"),
        ("pledge", "exhibitors", {"booth": "A1-02", "signer": "张三"}, "展位", {"booth": "A1-01", "signer": "张三"}, ""),
        ("deadline", "station", {"hours": "x"}, "", {"hours": "12"}, ""),
        ("complaints", "station", {"booth": "Z9-99", "what": "仿冒", "complainant": "甲"}, "展位",
         {"booth": "A1-01", "what": "仿冒康师傅", "complainant": "顶益代理人"}, "已登记"),
    ]
    for path, anchor, refused, refused_words, ok, ok_words in steps:
        missing = boss.post(f"/exhibitions/NO-SUCH/{path}", data={**ok, "csrf_token": csrf(boss, url)})
        assert missing.status_code == 404, path
        response = _post(boss, f"{url}/{path}", refused, follow=False)
        assert response.status_code == 302 and response.headers["Location"].endswith(f"{url}?at={anchor}#{anchor}"), path
        (flashed,) = _flashes(boss, response)
        assert flashed[0] == "error" and flashed[1].startswith("未保存") and refused_words in flashed[1], (path, flashed)
        response = _post(boss, f"{url}/{path}", ok, follow=False)
        assert response.status_code == 302 and response.headers["Location"].endswith(f"{url}?at={anchor}#{anchor}"), path
        (flashed,) = _flashes(boss, response)
        assert flashed[0] == "ok" and ok_words in flashed[1], (path, flashed)
    number = re.search(r"ZH\d{4}-\d{4}", _flashes(boss, _post(boss, f"{url}/complaints", {
        "booth": "A1-02", "what": "仿冒", "complainant": "甲"}, follow=False))[0][1]).group()  # type: ignore[union-attr]
    assert boss.post(f"/exhibitions/NO-SUCH/complaints/{number}",
                     data={"action": "take", "csrf_token": csrf(boss, url)}).status_code == 404
    response = _post(boss, f"{url}/complaints/{number}", {"action": "dismiss"}, follow=False)
    assert response.headers["Location"].endswith(f"{url}?at=station#station")
    assert [c for c, _ in _flashes(boss, response)] == ["error"]
    response = _post(boss, f"{url}/complaints/{number}", {"action": "take"}, follow=False)
    assert response.headers["Location"].endswith(f"{url}?at=station#station")
    assert [c for c, _ in _flashes(boss, response)] == ["ok"]
    # newcomer14 F32: 办结 without 办结方式 lists the choices by their names, not their codes (withdrawn, covered …)
    (flashed,) = _flashes(boss, _post(boss, f"{url}/complaints/{number}", {"action": "resolve"}, follow=False))
    assert flashed[0] == "error" and "withdrawn" not in flashed[1] and "covered" not in flashed[1], flashed
    assert flashed[1].startswith("未保存：请选择办结方式：") and "、" in flashed[1] and "办结方式：请选择" not in flashed[1], flashed
    # a registration that other regions' shows flagged is saved, with the warning flashed as an error
    with Database(app.config["HUFU"].db_url).transaction() as s:
        s.add(ExhibitorFlag(flag_uuid="f1", region="330000", exhibition="义乌博览会", exhibition_code="YW-1",
                            ends_on=dt.date(2026, 5, 1), uscc=None, name="义乌某商行", infringements=2, summary="仿冒",
                            active=True, received_at=NOW))
    response = _post(boss, f"{url}/exhibitors", {"name": "义乌某商行", "booth": "A1-02"}, follow=False)
    assert response.headers["Location"].endswith(f"{url}?at=exhibitors#exhibitors")
    assert [c for c, _ in _flashes(boss, response)] == ["error"]


def test_the_monthly_report_sums_up_the_shows_held_in_the_month(db: Database) -> None:
    from regional.reports import render
    from regional.reports.figures import region_report, section
    from regional.reports.periods import Month

    make_show(db)
    with db.transaction() as s:
        service.register(s, SHOW["code"], KSF, OFFICER, NOW)
        service.file_exhibits(s, SHOW["code"], [exhibit("E1"), exhibit("E2", product="保温杯")], OFFICER, NOW)
        c = service.log_complaint(s, SHOW["code"], "A1-01", {"what": "仿冒", "complainant": "代理人"}, OFFICER, NOW)
        service.log_complaint(s, SHOW["code"], "A1-01", {"what": "外观", "complainant": "某杯业"}, OFFICER, NOW)
        service.handle_complaint(s, SHOW["code"], c.number, "resolve", OFFICER, NOW + dt.timedelta(hours=2),
                                 resolution="covered", signer=signer())
    service.screen(db, signer(), SHOW["code"], OFFICER, NOW)
    with db.read() as s:
        december = region_report(s, region="440000", office="广东省知识产权局", month=Month(2026, 12), now=NOW)
        november = region_report(s, region="440000", office="广东省知识产权局", month=Month(2026, 11), now=NOW)
    rows = section(december, "exhibitions")["rows"]
    assert [(r["code"], r["exhibits"], r["screened"], r["complaints"], r["resolved"], r["open"], r["on_time"],
             r["reported"]) for r in rows] == [("GZ-EXPO-2026", 2, 2, 2, 1, 1, 1, 1)]
    assert rows[0]["leads"] >= 1
    assert section(november, "exhibitions")["rows"] == []  # the show is held in December
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render.xlsx_bytes(december)))
    sheet = wb["展会知识产权保护"]
    assert [c.value for c in sheet[1]][:4] == ["编号", "名称", "展期", "报备展品"]


# ---------------------------------------------------------------- refusals: audited, and said as rules


def _exhibit_audits(db: Database) -> list[tuple[str, dict[str, object]]]:
    with db.read() as s:
        return [(a.action, a.detail) for a in s.scalars(sa.select(AuditEntry).where(
            AuditEntry.action.in_(["exhibits_rejected", "exhibits_unreadable"])).order_by(AuditEntry.id))]


def test_every_refused_exhibit_upload_is_audited_under_its_own_name_and_said_as_its_rule(app: Flask) -> None:
    """The walk found no audit entry for a refused exhibit upload (the CLI's imports leave one), and the exhibitions
    rules were English sentences the page could only answer with a generic 'missing or not valid'."""
    import io
    import tempfile

    boss = web_client(app, "supervisor", "wang")
    _post(boss, "/exhibitions", SHOW)
    url = f"/exhibitions/{SHOW['code']}"
    officer = web_client(app, "officer", "li")
    _post(officer, f"{url}/booths", {"hall": "1号馆", "booths": "A1-01"})

    def upload(name: str, data: bytes) -> list[str]:
        page = officer.post(f"{url}/exhibits/upload", data={"file": (io.BytesIO(data), name),
                                                            "csrf_token": csrf(officer, url)},
                            content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
        return re.findall(r'data-flash="error">(.*?)</p>', page, flags=re.S)

    upload("展品.pdf", b"%PDF-1.4")  # not a table, by its name
    upload("展品.csv", "展品编号,展位号,展品名称\nE1,A1-01,雪碧\n".encode("gb18030"))  # cannot be read as UTF-8
    said = upload("有错.csv", "展品编号,展位号,展品名称,尼斯分类\nE1,Ａ１－０１,雪碧,99\n".encode())
    assert said[1] == "第 2 行（展品 E1）：尼斯分类：须为尼斯分类 1 至 45（实际为 99）", said  # the value given (N14)
    said = upload("无参展方.csv", "展品编号,展位号,展品名称\nE1,A1-01,雪碧\n".encode())
    assert "展位：该展位未登记参展方" in said[1], said  # the page's own words for a reason it names
    entries = _exhibit_audits(app.extensions["hufu_db"])
    assert [(action, detail["file"], detail["exhibition"]) for action, detail in entries] == [
        ("exhibits_unreadable", "展品.pdf", SHOW["code"]), ("exhibits_unreadable", "展品.csv", SHOW["code"]),
        ("exhibits_rejected", "有错.csv", SHOW["code"]), ("exhibits_rejected", "无参展方.csv", SHOW["code"])]
    # read as the command line reads it (newcomer16 N2: one rule on both paths): by its content, a PDF
    assert entries[0][1]["reason_parts"]["rule"]["key"] == "pdf"  # type: ignore[index]
    # a web upload: the form's choice, not the command line's --encoding (/audit, /sync)
    assert entries[1][1]["reason_parts"]["rule"]["key"] == "gbk_form"  # type: ignore[index]
    assert entries[3][1]["first_parts"][0]["rule"] == {"key": "ex_no_exhibitor",  # type: ignore[index]
                                                       "params": {"booth": "A1-01"}}
    page = web_client(app, "auditor", "sun").get("/audit").get_data(as_text=True)
    assert "无法读取展品报备文件" in page and "展品报备文件被拒绝" in page
    assert "无参展方.csv 第 2 行（E1）字段 booth：展位 A1-01 未登记参展方" in page
    assert tempfile.gettempdir() + "/" not in page


def test_the_cli_audits_a_refused_filing_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from national.hufu import main
    from tests.pilot.test_customs import _cli_node

    d = ["--data-dir", str(_cli_node(tmp_path))]
    show = ["regional", "exhibition", "create", "--name", "展", "--venue", "馆", "--organiser", "会"]
    # newcomer14 F48: a refusal names the option typed (--ends), not the stored field (ends_on); a date is read as the
    # files read it (2026/12/10, 2026年12月10日)
    capsys.readouterr()
    assert main([*show, "--code", "CLI-0", "--starts", "2026-12-10", "--ends", "2026-12-05", *d]) == 1
    said = capsys.readouterr().err
    assert said.startswith("error: --ends '2026-12-05': ") and "ends_on" not in said, said
    assert main([*show, "--code", "CLI-0", "--starts", "12/10/2026", "--ends", "2026-12-11", *d]) == 1
    said = capsys.readouterr().err
    assert said.startswith("error: --starts '12/10/2026': ") and "starts_on" not in said, said
    assert main([*show, "--code", "CLI-1", "--starts", "2026/12/10", "--ends", "2026年12月11日", *d]) == 0
    said = capsys.readouterr()
    assert "2026-12-10..2026-12-11" in said.out + said.err, said
    assert main(["regional", "exhibition", "booths", "CLI-1", "B9-01", *d]) == 0
    assert main(["regional", "exhibition", "complaint", "CLI-1", "--booth", "B9-01", "--what", "仿冒", "--complainant",
                 "甲", *d]) == 0
    capsys.readouterr()
    assert main(["regional", "exhibition", "show", "CLI-1", *d]) == 0
    out = capsys.readouterr().out
    assert "Beijing time" in out and " UTC" not in out, out  # the station deadline as every page says it
    unreadable = tmp_path / "坏.csv"
    unreadable.write_bytes("展品编号,展位号,展品名称\nE1,A1-01,雪碧\n".encode("gb18030"))
    no_booth = tmp_path / "无展位.csv"
    no_booth.write_text("展品编号,展位号,展品名称\nE1,A1-01,雪碧\n", encoding="utf-8")
    assert main(["regional", "exhibition", "file", "CLI-1", str(unreadable), *d]) != 0
    assert main(["regional", "exhibition", "file", "CLI-1", str(no_booth), *d]) != 0
    # newcomer14: one record of an unknown booth, one with no product name: one refusal names both, in line order
    two = tmp_path / "两处错误.csv"
    two.write_text("展品编号,展位号,展品名称\nE1,Z9-99,雪碧\nE2,A1-01,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["regional", "exhibition", "file", "CLI-1", str(two), *d]) != 0
    said = capsys.readouterr().err
    assert said.index("两处错误.csv:2 (E1) field 'booth'") < said.index("两处错误.csv:3 (E2) field 'product'"), said
    # newcomer16 N14: "4 invalid record(s)" for 3 records with 4 problems; records are counted once, and a bad Nice
    # class is said with the value given, as the listings and customs imports say them
    four = tmp_path / "四处错误.csv"
    four.write_text("展品编号,展位号,展品名称,尼斯分类\nN1,B9-01,面,30\nN2,Z9-99,水,32\nN3,B9-01,,99\n",
                    encoding="utf-8")
    assert main(["regional", "exhibition", "file", "CLI-1", str(four), *d]) != 0
    said = capsys.readouterr().err
    assert f"error: {four}: 3 invalid record(s) (4 problems); nothing was filed:" in said, said
    assert "四处错误.csv:4 (N3) field 'nice_classes': must be Nice classes 1..45 (got 99)" in said, said
    entries = _exhibit_audits(Database(f"sqlite:///{tmp_path / 'r' / 'node.db'}"))
    assert [(action, detail["file"]) for action, detail in entries] == [("exhibits_unreadable", "坏.csv"),
                                                                        ("exhibits_rejected", "无展位.csv"),
                                                                        ("exhibits_rejected", "两处错误.csv"),
                                                                        ("exhibits_rejected", "四处错误.csv")]


def test_the_exhibitions_rules_are_said_by_key_and_read_in_chinese(app: Flask) -> None:
    from regional.web.blueprints import exhibitions as page

    cases = [({"id": "../x", "booth": "A1", "product": "p"}, "id", "product_code", "展品编号：须为 1 至 40 位字母"),
             ({"id": "x", "booth": "A1", "product": "p", "rights": "T M!"}, "rights", "ex_right_number",
              "依据的知识产权：“T M!”不是权利号"),
             ({"id": "x", "booth": "展位 1", "product": "p"}, "booth", "ex_booth", "展位：须为 1 至 24 位字母、数字或汉字")]
    with app.test_request_context("/?lang=zh_CN"):
        for values, field, key, chinese in cases:
            with pytest.raises(ExhibitionError) as info:
                core.check_exhibit(values)
            problem = info.value.problem  # the value given, then the rule (newcomer16 N14), unless the rule names it
            assert (problem.key == "got") == (key != "ex_right_number")
            rule = problem.params["message"] if problem.key == "got" else problem
            assert (info.value.field, rule.key) == (field, key)
            assert page.explain_error(info.value.field, info.value.reason, info.value.problem).startswith(chinese)
    with pytest.raises(ExhibitionError) as info:
        core.next_state(core.ComplaintState.RESOLVED, core.ComplaintAction.TAKE)
    assert str(info.value) == "action: a complaint that is resolved cannot be given 'take'"  # the CLI's words


def test_a_station_complaint_typed_in_full_width_keeps_its_booth_right_and_phone_as_ascii(db: Database) -> None:
    make_show(db)
    with db.transaction() as s:
        c = service.log_complaint(s, SHOW["code"], "Ａ１－０１", {
            "what": "仿冒ＫＳＦ方便面", "complainant": "顶益代理人", "contact": "１３８００１３８０００",
            "right": "ＴＭ－００１２３４５"}, OFFICER, NOW)
        assert (c.right_number, c.contact, c.what) == ("TM-0012345", "13800138000", "仿冒ＫＳＦ方便面")


def test_the_upload_forms_say_the_limit_their_check_uses_the_one_the_docs_give(app: Flask) -> None:
    """newcomer16 N14: the show page said 8 MiB, docs/formats.md 64 MiB (the command line's), the customs page 32."""
    import io

    from regional.customs import service as customs
    from regional.web.blueprints import customs as customs_page
    from regional.web.blueprints import exhibitions as page

    assert page.MAX_UPLOAD == service.MAX_FILE_BYTES == service.EXHIBIT_LIMITS.max_file_bytes == 64 << 20
    assert customs_page.MAX_UPLOAD == customs.WEB_UPLOAD_BYTES
    docs = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    exhibits = docs[docs.index("## Exhibit filings"):docs.index("## Customs declarations")]
    assert f"Limits: {service.MAX_FILE_BYTES >> 20} MiB per file" in exhibits
    assert f"{service.MAX_FILE_RECORDS:,}" in exhibits
    declarations = docs[docs.index("## Customs declarations"):docs.index("## Customs recordations")]
    assert f"at most {customs.WEB_UPLOAD_BYTES >> 20} MiB as sent" in declarations
    boss = web_client(app, "supervisor", "wang")
    _post(boss, "/exhibitions", SHOW)
    url = f"/exhibitions/{SHOW['code']}"
    text = boss.get(url).get_data(as_text=True)
    assert f"最多 {service.MAX_FILE_BYTES >> 20} MiB" in text and "最多 8 MiB" not in text
    for path in ("/customs", "/customs/warnings"):
        assert f"最多 {customs.WEB_UPLOAD_BYTES >> 20} MiB" in boss.get(path).get_data(as_text=True)
    # a file under the limit that the form refused before (over 8 MiB) is read: refused here for its records only
    body = "展品编号,展位号,展品名称\n" + "".join(f"E{i},A9-99,{'汽水' * 600}\n" for i in range(2600))
    assert 8 << 20 < len(body.encode()) < service.MAX_FILE_BYTES
    answer = boss.post(f"{url}/exhibits/upload", data={"file": (io.BytesIO(body.encode()), "大.csv"),
                                                       "csrf_token": csrf(boss, url)},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "文件过大" not in answer and "有 2600 条记录无效" in answer, answer[:2000]


def test_a_filed_workbooks_formula_cell_without_a_value_is_named_on_the_page(app: Flask, tmp_path: Path) -> None:
    """newcomer16 N1 on the show page: a filled 展品名称 holding a formula was "为必填项"."""
    import io

    from tests.unit.test_xlsx_formulas import workbook

    boss = web_client(app, "supervisor", "wang")
    _post(boss, "/exhibitions", SHOW)
    url = f"/exhibitions/{SHOW['code']}"
    data = workbook(tmp_path / "展品.xlsx", [["展品编号", "展位号", "展品名称", "尼斯分类"],
                                            ["E1", "A1-01", '=CONCATENATE("雷","碧")', "=30+2"]]).read_bytes()
    page = boss.post(f"{url}/exhibits/upload", data={"file": (io.BytesIO(data), "展品.xlsx"),
                                                     "csrf_token": csrf(boss, url)},
                     content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    said = re.findall(r'data-flash="error">(.*?)</p>', page, flags=re.S)
    formula = "单元格是公式且没有计算结果，请在 Excel 中另存或粘贴为数值"
    assert said == ["有 1 条记录无效，未报备任何展品。", f"第 2 行（展品 E1）：展品名称：{formula}",
                    f"第 2 行（展品 E1）：尼斯分类：{formula}"], said


@pytest.mark.parametrize("written", ["2026-02-30", "2026/02/30", "2026年2月30日"])
def test_a_show_day_its_month_does_not_have_is_said_so(db: Database, written: str) -> None:
    """newcomer24: a show starting on 2026-02-30 was refused as "must be a date YYYY-MM-DD", which it is written as."""
    with db.transaction() as s, pytest.raises(ExhibitionError) as info:
        service.create(s, {**SHOW, "starts_on": written}, "440000", SUPERVISOR, NOW)
    assert info.value.field == "starts_on"
    assert "names a day the calendar does not have: 2026-02 has 28 days" in str(info.value), str(info.value)
