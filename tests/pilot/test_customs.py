"""Import and export (进出口): declarations import with per-record errors, the recordation check and its reason,
routing to the customs liaison body, export risk warnings and their export file — service, pages, CLI."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from regional import services
from regional.actors import Actor, Forbidden
from regional.config import RegionalConfig
from regional.customs import core, service
from regional.customs.core import CustomsError
from regional.customs.models import CustomsDeclaration
from regional.domain import Licence
from regional.models import AuditEntry, LeadRow, LicenceRow
from regional.routing.service import propose
from sync.db import Database, run_migrations
from tests.conftest import csrf, web_client
from tests.workflow_data import NOW, REGION, build, signer

REPO = Path(__file__).resolve().parents[2]
OFFICER = Actor("li", frozenset({"officer"}))
SUPERVISOR = Actor("wang", frozenset({"supervisor", "officer"}))
HEADER = ("报关单号,进出口,申报口岸,商品编码,商品名称,品牌,数量,单位,总价,币制,境内发货人,发货人统一社会信用代码,收货人,"
          "收货人统一社会信用代码,原产国,运抵国,申报日期\n")
ROWS = [
    "530120261130000001,出口,黄埔海关,2106.9090,红烧牛肉方便面,康师傅,1200,箱,36000,USD,广州某贸易有限公司,"
    "91440101MA59ABCD1B,ABC Trading LLC,,CN,US,2026-11-28",
    "530120261130000002,出口,黄埔海关,2106.9090,红烧牛肉面,康师傅,100,箱,3000,USD,天津顶益食品有限公司,"
    "91120116600000000X,ABC,,CN,US,2026-11-28",
    "530120261130000003,进口,深圳海关,8516.7100,电热水壶,飞利浦,300,台,15000,EUR,Philips Export BV,,深圳南山某商行,"
    "91440305MA5DC0QX1L,NL,CN,2026-11-27",
]
RECORDATION = {"number": "T2019-00123", "right": "TM-0012345", "holder": "顶益（开曼岛）控股有限公司",
               "valid_until": "2030-12-31", "licensees": [{"name": "天津顶益食品有限公司", "uscc": "91120116600000000X"}]}


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    run_migrations(url, REPO / "regional" / "migrations")
    database = Database(url)
    build(database, 0)  # rights and the generated agency directory (with the customs liaison body)
    return database


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_declarations_file_with_bad_records_is_refused_whole_naming_line_and_field(db: Database,
                                                                                   tmp_path: Path) -> None:
    bad = write(tmp_path, "decl.csv", HEADER + ROWS[0] + "\n"
                + "530120261130000009,出境,黄埔海关,2106,方便面,,1,箱,,,某公司,,,,CN,US,2026-11-28\n"
                + "530120261130000010,出口,黄埔海关,21X6,方便面,,1,箱,,,某公司,,,,CN,USA,2026-11-28\n"
                + "530120261130000011,出口,黄埔海关,2106,方便面,,-5,箱,,,,,,,CN,US,2026-11-28\n"
                + ROWS[0] + "\n")
    outcome = service.import_declarations(db, bad, OFFICER, NOW)
    assert [(e.line, e.field) for e in outcome.errors] == [  # every bad field of a record, not the first alone
        (3, "direction"), (4, "hs_code"), (4, "destination_country"), (5, "quantity"), (5, "consignor"),
        (6, "declaration_no")]
    assert outcome.reasons[4] == "domestic_party"
    assert outcome.reasons[-1] == "duplicate"
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CustomsDeclaration)) == 0
        assert s.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "import_declarations_rejected"))
    missing = write(tmp_path, "d2.jsonl", json.dumps({"declaration_no": "530120261130000012", "direction": "export",
                                                      "port": "黄埔", "hs_code": "2106", "goods": "面",
                                                      "consignee": {"name": "ABC"}}) + "\n")
    outcome = service.import_declarations(db, missing, OFFICER, NOW)
    assert [(e.field, r) for e, r in zip(outcome.errors, outcome.reasons, strict=True)] == [("consignor", "domestic_party")]


def test_a_recorded_brand_from_an_unlicensed_consignor_scores_high_with_its_own_reason(db: Database,
                                                                                     tmp_path: Path) -> None:
    rec = write(tmp_path, "rec.jsonl", json.dumps(RECORDATION, ensure_ascii=False) + "\n")
    assert service.import_recordations(db, rec, SUPERVISOR, NOW).created == 1
    with pytest.raises(Forbidden):
        service.import_recordations(db, rec, OFFICER, NOW)
    outcome = service.import_declarations(db, write(tmp_path, "decl.csv", HEADER + "\n".join(ROWS) + "\n"), OFFICER,
                                          NOW)
    assert (outcome.created, outcome.errors) == (3, [])
    result = services.screen_pending(db, signer(), now=NOW)
    assert result.screened == 3
    with db.read() as s:
        leads = {lead.listing_id: lead for lead in s.scalars(sa.select(LeadRow))}
        hit = leads["C:530120261130000001"]
        assert hit.right_number == "TM-0012345" and hit.score >= 0.95 and hit.source.value == "customs"
        assert [c["code"] for c in hit.reason_codes] == [core.RECORDED_BRAND_UNLICENSED]
        assert hit.reason_codes[0]["recordation"] == "T2019-00123" and hit.reason_codes[0]["party"] == "consignor"
        assert "C:530120261130000002" not in leads  # the recorded licensee ships the genuine goods
        route = propose(s, hit, REGION)
        assert route.rule.value == "customs_liaison" and route.agency is not None
        assert route.agency.code == f"{REGION}-CU"
    from regional.web import create_app  # the reason in Chinese, as the lead page shows it
    from regional.web.reasons import reason_texts

    (tmp_path / "x").mkdir()
    app = create_app(RegionalConfig(data_dir=tmp_path / "x", region=REGION))
    with app.test_request_context("/?lang=zh_CN"):
        text = reason_texts(hit.reasons, hit.reason_codes)[0]
    assert "已在海关备案" in text and "发货人" in text and "T2019-00123" in text


def test_a_licence_in_the_registry_or_an_expired_recordation_means_no_lead(db: Database) -> None:
    d = core.check_declaration({"declaration_no": "530120261130000001", "direction": "export", "port": "黄埔",
                                "hs_code": "210690", "goods": "方便面", "brand": "ＫＡＮＧ 师傅",
                                "consignor": {"name": "广州某贸易有限公司", "uscc": "91440101MA59ABCD1B"}})
    rec = core.check_recordation({**RECORDATION, "mark": "kang师傅"})
    assert len(core.recordation_findings([d], [rec], {}, [], NOW.date())) == 1  # width and case folded
    lic = Licence(right="TM-0012345", licensee="广州某贸易有限公司", licensee_uscc="91440101MA59ABCD1B")
    assert core.recordation_findings([d], [rec], {}, [lic], NOW.date()) == []
    old = core.check_recordation({**RECORDATION, "mark": "kang师傅", "valid_until": "2020-01-01"})
    assert core.recordation_findings([d], [old], {}, [], NOW.date()) == []
    for bad, field in (({"direction": "sideways"}, "direction"), ({"hs_code": "12"}, "hs_code"),
                       ({"currency": "dollars"}, "currency"), ({"consignor": {"uscc": "123"}}, "consignor.uscc"),
                       ({"destination_country": "美国"}, "destination_country"), ({"goods": "x" * 501}, "goods")):
        with pytest.raises(CustomsError) as info:
            core.check_declaration({"declaration_no": "530120261130000001", "direction": "export", "port": "黄埔",
                                    "hs_code": "210690", "goods": "方便面", "consignor": {"name": "某"}, **bad})
        assert info.value.field == field
    with pytest.raises(CustomsError) as info:  # newcomer15 F2: "长 3 个字符；最多允许 2 个", no value, no format
        core.check_declaration({"declaration_no": "530120261130000001", "direction": "export", "port": "黄埔",
                                "hs_code": "210690", "goods": "方便面", "consignor": {"name": "某"},
                                "destination_country": "USA"})
    assert info.value.field == "destination_country" and "ISO 3166" in str(info.value) and "USA" in str(info.value)


def test_a_declared_customs_value_is_not_read_as_a_retail_price() -> None:
    """newcomer14: 9,600 USD for 800 cartons of 雪碧 was screened as "price 12 far below the typical 42.35
    (counterfeit suspicion)": a customs value per declared unit, in dollars, against a retail price per item in yuan."""
    d = core.check_declaration({**DECLARATION, "goods": "雪碧 汽水", "quantity": "800", "unit": "箱", "value": "9600",
                                "currency": "USD"})
    assert d.value == 9600 and d.currency == "USD"
    listing = core.declaration_listing(d)
    assert listing.price is None and listing.title == "雪碧 汽水"


SIDEWAYS = "530120261130000001,sideways,黄埔海关,ABC,方便面,,-3,箱,,,某公司,,,,CN,US,2026-13-45"


def test_a_declaration_with_several_bad_fields_names_each_with_its_value_and_the_allowed_values(
        db: Database, tmp_path: Path) -> None:
    """The newcomer's record: after the bad direction 'sideways', hs_code "ABC", quantity -3 and declared_on
    2026-13-45 were silent (the core stopped at the first bad field); the listings import names every one."""
    with pytest.raises(CustomsError) as info:
        core.check_declaration({"declaration_no": "530120261130000001", "direction": "sideways", "port": "黄埔",
                                "hs_code": "ABC", "goods": "方便面", "quantity": -3, "consignor": {"name": "某公司"},
                                "declared_on": "2026-13-45"})
    assert [(e.field, e.message) for e in info.value.errors] == [
        ("direction", 'must be import (进口) or export (出口) (got "sideways")'),
        ("hs_code", 'must be an HS code of 4, 6, 8 or 10 digits (dots allowed) (got "ABC")'),
        ("quantity", "must be a number from 0 to 1,000,000,000,000,000 (got -3)"),
        ("declared_on", 'must be a date YYYY-MM-DD (got "2026-13-45")')]
    assert info.value.field == "direction" and str(info.value).startswith("direction: must be import")
    path = write(tmp_path, "decl.csv", HEADER + SIDEWAYS + "\n" + ROWS[1] + "\n")
    outcome = service.import_declarations(db, path, OFFICER, NOW)
    assert [(e.line, e.field) for e in outcome.errors] == [
        (2, "direction"), (2, "hs_code"), (2, "quantity"), (2, "declared_on")]
    assert [e.said.key for e in outcome.errors if e.said] == ["got"] * 4  # the rule and the value, structured
    with db.read() as s:
        entry = s.scalars(sa.select(AuditEntry).where(AuditEntry.action == "import_declarations_rejected")).one()
        assert entry.detail["errors"] == 4 and entry.detail["records"] == 1
        assert entry.detail["first_parts"][0]["rule"]["params"]["message"] == {"key": "direction", "params": {}}
        assert _count(db, "declarations") == 0


def _cli_node(tmp_path: Path) -> Path:
    """A regional node made by the command line (pki init, issue-region, regional init): its data directory."""
    from national.hufu import main

    app_dir = tmp_path / "r"
    assert main(["pki", "init", "--dir", str(tmp_path / "pki")]) == 0
    assert main(["pki", "issue-region", REGION, "--dir", str(tmp_path / "pki")]) == 0
    assert main(["regional", "init", "--region", REGION, "--pki", str(tmp_path / "pki" / "regions" / REGION),
                 "--data-dir", str(app_dir)]) == 0
    return app_dir


def test_the_cli_names_every_bad_field_of_a_declaration_and_counts_records_once(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from national.hufu import main

    app_dir = _cli_node(tmp_path)
    bad = write(tmp_path, "bad.csv", HEADER + SIDEWAYS + "\n")
    capsys.readouterr()
    assert main(["regional", "customs", "import-declarations", str(bad), "--data-dir", str(app_dir)]) == 1
    err = capsys.readouterr().err
    assert "1 invalid record(s) (4 problems); nothing was imported" in err
    assert "bad.csv:2 (530120261130000001) field 'direction': must be import (进口) or export (出口) (got \"sideways\")" in err
    assert "field 'hs_code'" in err and "field 'quantity'" in err and "field 'declared_on'" in err


FOREIGN = [
    {"country": "US", "kind": "trademark", "number": "US-5551234", "title": "KANGSHIFU", "owner": "Some US Corp",
     "nice_classes": [30]},
    {"country": "US", "kind": "trademark", "number": "US-5559999", "title": "雷碧", "owner": "Squatter Inc",
     "nice_classes": [32]},
    {"country": "DE", "kind": "trademark", "number": "DE-30201", "title": "雷碧", "owner": "Squatter GmbH",
     "nice_classes": [32], "valid_until": "2020-01-01"},
]
PRODUCTS = [
    {"code": "P-SODA", "name": "柠檬味汽水", "brand": "雷碧", "hs_code": "2202.10", "exporter": "东莞某饮料厂",
     "destinations": "US, DE, MY"},
    {"code": "P-TEA", "name": "明前龙井 茶叶", "brand": "西湖", "hs_code": "0902", "destinations": ["US"]},
]


def test_export_risk_warnings_list_foreign_marks_in_the_destination_markets_only(db: Database, tmp_path: Path) -> None:
    f = write(tmp_path, "foreign.jsonl", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in FOREIGN))
    p = write(tmp_path, "products.jsonl", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in PRODUCTS))
    assert service.import_foreign_rights(db, f, SUPERVISOR, NOW).created == 3
    assert service.import_products(db, p, SUPERVISOR, NOW).created == 2
    with db.read() as s:
        found, products = service.warnings(s, NOW.date())
    pairs = {(w.product, w.country, w.right) for w in found}
    assert ("P-SODA", "US", "US-5559999") in pairs
    assert not any(w.country == "DE" for w in found)  # the German mark expired
    assert not any(w.product == "P-TEA" for w in found)
    rows = service.warning_rows(found, products, lambda w: "；".join(w.reasons))
    data = service.export_csv(rows).decode("utf-8-sig")
    assert data.splitlines()[0].startswith("产品编号,产品名称") and "US-5559999" in data
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(service.export_xlsx(rows)))
    assert wb.active.cell(1, 1).value == "产品编号" and wb.active.max_row == len(rows) + 1
    bad = write(tmp_path, "p2.jsonl", json.dumps({"code": "X", "name": "y", "destinations": "USA"}) + "\n")
    out = service.import_products(db, bad, SUPERVISOR, NOW)
    assert [(e.line, e.field) for e in out.errors] == [(1, "destinations")]


def _lines(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


DECLARATION = {"declaration_no": "530120261130000001", "direction": "export", "port": "黄埔", "hs_code": "210690",
               "goods": "方便面", "consignor": {"name": "广州某贸易有限公司"}}
# per kind: the import, its records (two good ones, unlike each other), the key a record is named by, one bad field
KINDS = {
    "declarations": (service.import_declarations, [DECLARATION, {**DECLARATION, "declaration_no": "530120261130000002"}],
                     "declaration_no", ("hs_code", "12")),
    "recordations": (service.import_recordations, [RECORDATION, {**RECORDATION, "number": "T2019-00124",
                                                                 "right": "TM-NOT-HERE"}], "number",
                     ("valid_until", "someday")),
    "foreign_rights": (service.import_foreign_rights, [FOREIGN[0], {**FOREIGN[0], "country": "DE"}], "number",
                       ("country", "")),
    "export_products": (service.import_products, PRODUCTS, "code", ("destinations", "USA")),
}


def _count(db: Database, kind: str) -> int:
    from regional.customs.models import CustomsRecordation, ExportProductRow, ForeignRightRow

    model = {"declarations": CustomsDeclaration, "recordations": CustomsRecordation, "foreign_rights": ForeignRightRow,
             "export_products": ExportProductRow}[kind]
    with db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _audits(db: Database) -> list[tuple[str, dict[str, object]]]:
    with db.read() as s:
        return [(a.action, a.detail) for a in s.scalars(sa.select(AuditEntry).where(
            AuditEntry.action.like("import_%")).order_by(AuditEntry.id))]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_customs_import_is_all_or_nothing_names_each_bad_record_and_is_audited(
        kind: str, db: Database, tmp_path: Path) -> None:
    from regional.formats.errors import ImportFileError
    from regional.models import ImportRun

    run_import, good, key, (field, value) = KINDS[kind]
    if kind != "declarations":  # only officers import declarations; the registries are a supervisor's
        with pytest.raises(Forbidden):
            run_import(db, write(tmp_path, "x.jsonl", _lines(*good)), OFFICER, NOW)
    # every bad record named by line, record and field; one bad record does not hide the next; nothing stored
    bad = write(tmp_path, f"{kind}.jsonl", _lines(good[0], {**good[1], field: value}, "[1, 2]", "not json",
                                                  {**good[0], field: value}, good[0]))
    outcome = run_import(db, bad, SUPERVISOR, NOW)
    assert outcome.kind == kind and (outcome.created, outcome.updated) == (0, 0)
    assert [(e.file, e.line, e.record_id, e.field) for e in outcome.errors] == [
        (bad.name, 2, str(good[1][key]), field), (bad.name, 3, None, None), (bad.name, 4, None, None),
        (bad.name, 5, str(good[0][key]), field), (bad.name, 6, str(good[0][key]), key)]
    assert outcome.reasons[1:3] == ["unreadable", "unreadable"] and outcome.reasons[4] == "duplicate"
    assert "line 1" in outcome.errors[4].message
    assert _count(db, kind) == 0
    assert _audits(db)[-1] == (f"import_{kind}_rejected", {"file": str(bad), "errors": 5, "records": 5,
                                                           "first": [str(e) for e in outcome.errors],
                                                           "first_parts": [e.parts() for e in outcome.errors]})
    assert all("rule" in p for p in _audits(db)[-1][1]["first_parts"])  # each said as a rule key + params
    with pytest.raises(ImportFileError):
        run_import(db, write(tmp_path, "empty.jsonl", "\n"), SUPERVISOR, NOW)
    # a good file: created, then the same again: unchanged (newcomer15 F22: it said "updated" record by record; a
    # product code again still updates it), each audited with its counts
    path = write(tmp_path, f"{kind}-good.jsonl", _lines(*good))
    first = run_import(db, path, SUPERVISOR, NOW)
    again = run_import(db, path, SUPERVISOR, NOW)
    assert (first.kind, first.created, first.updated, first.errors) == (kind, 2, 0, [])
    same = kind != "export_products"
    assert (again.created, again.updated, again.unchanged) == ((0, 0, 2) if same else (0, 2, 0))
    assert _count(db, kind) == 2
    detail: dict[str, object] = {"file": str(path), "created": 0, "updated": 0, "unchanged": 2} if same else \
        {"file": str(path), "created": 0, "updated": 2}
    if kind == "recordations":  # a right not in the registry is a warning, not an error
        assert [(w.line, w.record_id, w.field) for w in again.warnings] == [(2, "T2019-00124", "right")]
        detail["warnings"] = 1
    assert _audits(db)[-1] == (f"import_{kind}", detail)
    with db.read() as s:  # every good file keeps its import run, key export products too
        runs = [(r.kind, r.records, r.actor, r.sha256) for r in s.scalars(
            sa.select(ImportRun).where(ImportRun.kind == kind))]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert runs == [(kind, 2, "wang", digest), (kind, 2, "wang", digest)]


def test_a_record_is_named_by_a_numeric_key_too_and_a_record_too_long_is_refused(db: Database, tmp_path: Path) -> None:
    from regional.formats.source import ReadLimits

    path = write(tmp_path, "d.jsonl", _lines({**DECLARATION, "declaration_no": 530120261130000001, "hs_code": "1"},
                                             {**DECLARATION, "goods": "面" * 3000}))
    outcome = service.import_declarations(db, path, OFFICER, NOW, limits=ReadLimits(max_record_bytes=4096))
    assert [(e.line, e.record_id, e.field) for e in outcome.errors][0] == (1, "530120261130000001", "hs_code")
    assert outcome.reasons[1] == "too_big" and outcome.errors[1].line == 2


# ---------------------------------------------------------------- pages and CLI


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path / "region", region=REGION)
    config.data_dir.mkdir()
    config.pki_dir.mkdir()
    key = ed25519.Ed25519PrivateKey.generate()
    (config.pki_dir / "signing.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    build(Database(config.db_url), 0)
    flask_app = create_app(config)
    flask_app.config["TESTING"] = True
    return flask_app


def _upload(client, path: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(path, data={"file": (io.BytesIO(data), name), "csrf_token": csrf(client, "/customs")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)


def test_the_pages_import_declarations_show_leads_and_export_the_warnings_in_chinese(app: Flask) -> None:
    boss = web_client(app, "supervisor", "wang")
    text = _upload(boss, "/customs/import/recordations", "rec.jsonl",
                   json.dumps(RECORDATION, ensure_ascii=False).encode() + b"\n")
    assert "新增 1" in text
    officer = web_client(app, "officer", "li")
    text = _upload(officer, "/customs/import/declarations", "报关单.csv",
                   (HEADER + ROWS[0] + "\n" + ROWS[0].replace("出口", "出境") + "\n").encode())
    assert "未导入任何记录" in text and "第 3 行" in text  # refused, in Chinese, naming the value and the values allowed
    assert "进出口：须为 进口（import）或 出口（export）（实际为 &#34;出境&#34;）" in text
    text = _upload(officer, "/customs/import/declarations", "报关单.csv", (HEADER + "\n".join(ROWS) + "\n").encode())
    assert "新增 3" in text
    assert officer.post("/customs/import/recordations", data={"csrf_token": csrf(officer, "/customs")}).status_code == 403
    services.screen_pending(app.extensions["hufu_db"], signer(), now=NOW)
    page = officer.get("/customs").get_data(as_text=True)
    assert 'data-declaration="530120261130000001"' in page and "已在海关备案" in page
    _upload(boss, "/customs/import/foreign", "f.jsonl",
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in FOREIGN).encode())
    answer = boss.post("/customs/products", data={**{k: v if isinstance(v, str) else ",".join(v)
                                                     for k, v in PRODUCTS[0].items()},
                                                  "csrf_token": csrf(boss, "/customs/warnings")}, follow_redirects=True)
    assert "已保存" in answer.get_data(as_text=True)
    page = officer.get("/customs/warnings").get_data(as_text=True)
    assert 'data-right="US-5559999"' in page and "境外侵权风险预警" in page
    # newcomer14 F29: the country by its name (美国), not its code in a Chinese sentence (…在 US 注册的商标…)
    assert "在美国注册的商标「雷碧」" in page and " US 注册" not in page and '美国 <span class="code">US</span>' in page
    xlsx = officer.get("/customs/warnings.xlsx")
    assert xlsx.status_code == 200 and xlsx.headers["Content-Disposition"].endswith(".xlsx")
    assert officer.get("/customs/warnings.csv").headers["Content-Type"] == "text/csv; charset=utf-8"  # newcomer24
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert any("US-5559999" == c.value for c in sheet[2]) and "注册的商标「雷碧」" in str(sheet.cell(2, 11).value)
    auditor = web_client(app, "auditor", "sun")
    assert auditor.get("/customs/warnings").status_code == 200
    assert auditor.post("/customs/products", data={"csrf_token": csrf(auditor, "/customs")}).status_code == 403
    assert officer.post("/customs/import/declarations", data={}).status_code == 400  # no CSRF token


def test_a_refused_file_flashes_its_first_20_bad_records_in_chinese_and_counts_the_rest(app: Flask) -> None:
    import re

    officer = web_client(app, "officer", "li")
    bad = [ROWS[0].replace("530120261130000001", f"5301202611300001{i:02d}").replace("出口", "出境")
           for i in range(22)]
    text = _upload(officer, "/customs/import/declarations", "报关单.csv",
                   (HEADER + "\n".join(bad) + "\nnot,a\n" + "x" * 10 + "\n").encode())
    flashed = re.findall(r'data-flash="error">(.*?)</p>', text, flags=re.S)
    assert flashed[0] == "有 24 条记录无效，未导入任何记录。"
    assert flashed[1:21] == [f"第 {n} 行（5301202611300001{n - 2:02d}）：进出口：须为 进口（import）或 出口（export）"
                             "（实际为 &#34;出境&#34;）" for n in range(2, 22)]
    assert flashed[21:] == ["……另有 11 条。"]  # problems: the last two rows have 5 and 4 bad fields each
    # the reasons of the reader itself, on the exhibitions page too
    from regional.web.blueprints import customs as customs_page
    from regional.web.blueprints import exhibitions as exhibitions_page

    with app.test_request_context("/?lang=zh_CN"):
        assert customs_page.explain(None, "unreadable") == exhibitions_page.explain(None, "unreadable") == \
            "该行不是有效记录（见文件格式说明）"
        assert customs_page.explain("hs_code", "nonsense") == "商品编码：未填写或格式不正确"
        assert exhibitions_page.explain("booth", "too_big") == "展位：记录过长"


def test_the_cli_imports_screens_lists_and_writes_the_warnings(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from national.hufu import main

    app_dir = _cli_node(tmp_path)
    build(Database(f"sqlite:///{app_dir / 'node.db'}"), 0)
    d = ["--data-dir", str(app_dir)]
    rec = write(tmp_path, "rec.jsonl", json.dumps(RECORDATION, ensure_ascii=False) + "\n")
    assert main(["regional", "customs", "import-recordations", str(rec), *d]) == 0
    bad = write(tmp_path, "bad.csv", HEADER + ROWS[0].replace("2106.9090", "ABCD") + "\n")
    capsys.readouterr()
    assert main(["regional", "customs", "import-declarations", str(bad), *d]) == 1
    assert "bad.csv:2 (530120261130000001) field 'hs_code'" in capsys.readouterr().err
    good = write(tmp_path, "good.csv", HEADER + "\n".join(ROWS) + "\n")
    assert main(["regional", "customs", "import-declarations", str(good), *d]) == 0
    assert main(["regional", "customs", "screen", *d]) == 0
    capsys.readouterr()
    assert main(["regional", "customs", "declarations", "--json", *d]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    hit = next(x for x in lines if x["declaration_no"] == "530120261130000001")
    assert hit["leads"] and hit["leads"][0]["codes"] == [core.RECORDED_BRAND_UNLICENSED]
    f = write(tmp_path, "foreign.jsonl", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in FOREIGN))
    p = write(tmp_path, "products.jsonl", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in PRODUCTS))
    assert main(["regional", "customs", "import-foreign", str(f), *d]) == 0
    assert main(["regional", "customs", "import-products", str(p), *d]) == 0
    out = tmp_path / "warn.csv"
    capsys.readouterr()
    assert main(["regional", "customs", "warnings", "--out", str(out), "--json", *d]) == 0
    assert any(w["right"] == "US-5559999" for w in json.loads(capsys.readouterr().out.splitlines()[-1])["warnings"])
    assert "US-5559999" in out.read_text(encoding="utf-8-sig")
    with Database(f"sqlite:///{app_dir / 'node.db'}").read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(LicenceRow)) == 0


def test_a_refused_upload_says_why_in_chinese_and_a_gbk_file_imports_once_its_encoding_is_chosen(app: Flask) -> None:
    """The newcomer's GBK CSV, damaged workbook and empty file all got one sentence that named none of them."""
    import re

    officer = web_client(app, "officer", "li")
    gbk = (HEADER + "\n".join(ROWS) + "\n").encode("gb18030")

    def flashed(name: str, data: bytes, **form: str) -> list[str]:
        text = officer.post("/customs/import/declarations",
                            data={"file": (io.BytesIO(data), name), "csrf_token": csrf(officer, "/customs"), **form},
                            content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
        return re.findall(r'data-flash="(?:error|ok)">(.*?)</p>', text, flags=re.S)

    said = flashed("报关单.csv", gbk)
    assert "看起来是 GBK/GB18030 编码" in said[0] and "GB18030" in said[0] and "第 1 行" in said[0], said
    # the reader's own words, in Chinese too (they were English on the Chinese page), naming the form's choice
    assert said[1].startswith("技术细节：") and "似为 GBK/GB18030 编码" in said[1] and "字节 0x" in said[1], said
    assert "--encoding" not in said[1] and "在上传表单中选择编码 GB18030" in said[1], said
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"UTF-8|GB18030|Excel", "", said[1])), said
    assert "文件不是可读取的 .xlsx 工作簿" in flashed("报关单.xlsx", b"PK\x03\x04 not really a workbook")[0]
    assert flashed("报关单.jsonl", b"")[0] == "文件中没有记录。"
    listings = "".join(json.dumps({"id": f"L{i}", "title": "羽绒服", "price": 5.0}) + "\n" for i in range(300))
    said = flashed("商品.jsonl", listings.encode())  # newcomer14 F51: not 20 lines of 必填项 and 1,480 more
    assert len(said) == 2 and "是否选错了文件" in said[0] and "declaration_no" in said[0], said
    assert _count(app.extensions["hufu_db"], "declarations") == 0, "nothing of a refused file was stored"
    assert any("新增 3" in line for line in flashed("报关单.csv", gbk, encoding="gb18030"))
    page = officer.get("/customs").get_data(as_text=True)
    assert '<option value="gb18030">' in page and "最多 32 MiB" in page


def test_every_web_upload_is_audited_under_its_own_name_an_unreadable_one_too(app: Flask) -> None:
    """The walk found a web upload that could not be read left no audit entry (the CLI's listings imports do) and
    /audit naming the server's temporary copy (/tmp/tmp9000wxl7/…) instead of the file the officer chose."""
    import tempfile

    officer = web_client(app, "officer", "li")
    good = (HEADER + "\n".join(ROWS) + "\n").encode()
    _upload(officer, "/customs/import/declarations", "报关单.csv", good.decode().encode("gb18030"))
    _upload(officer, "/customs/import/declarations", "坏表.xlsx", b"PK\x03\x04 not really a workbook")
    _upload(officer, "/customs/import/declarations", "有错.csv", (HEADER + ROWS[0].replace("2106.9090", "ABCD")).encode())
    _upload(officer, "/customs/import/declarations", "好表.csv", good)
    entries = _audits(app.extensions["hufu_db"])
    assert [(action, detail["file"]) for action, detail in entries] == [
        ("import_declarations_unreadable", "报关单.csv"), ("import_declarations_unreadable", "坏表.xlsx"),
        ("import_declarations_rejected", "有错.csv"), ("import_declarations", "好表.csv")]
    unreadable = entries[0][1]
    assert unreadable["line"] == 1 and unreadable["reason"].startswith("报关单.csv:1: is not valid UTF-8")
    # a web upload's entry names the form's choice, not the command line's flag (/sync and /audit show it)
    assert "--encoding" not in unreadable["reason"] and "upload form" in unreadable["reason"]
    assert unreadable["reason_parts"]["file"] == "报关单.csv"
    assert unreadable["reason_parts"]["rule"]["key"] == "gbk_form"
    assert tempfile.gettempdir() not in json.dumps([d for _, d in entries], ensure_ascii=False)
    page = web_client(app, "auditor", "sun").get("/audit").get_data(as_text=True)
    assert "无法读取报关单文件" in page and "报关单.csv 第 1 行" in page and "似为 GBK/GB18030 编码" in page
    assert "在上传表单中选择编码 GB18030" in page and "--encoding" not in page
    assert tempfile.gettempdir() + "/" not in page
    sync = officer.get("/sync").get_data(as_text=True)  # the region's recent audit entries
    assert "似为 GBK/GB18030 编码" in sync and "--encoding" not in sync
    with app.extensions["hufu_db"].read() as s:
        from regional.models import ImportRun

        assert s.scalar(sa.select(ImportRun.file_name).where(ImportRun.kind == "declarations")) == "好表.csv"


def test_an_upload_over_the_forms_limit_but_under_the_files_is_read_and_one_over_it_says_the_files_limit(
        app: Flask) -> None:
    """The app's 2 MiB limit for forms refused every declarations file over 2 MiB, though the page takes 32."""
    officer = web_client(app, "officer", "li")
    row = ROWS[2].replace("电热水壶", "电热水壶" + "不锈钢" * 150)  # 450 characters of goods: ~1.5 kB a row
    body = HEADER + "".join(row.replace("530120261130000003", f"5301202611{i:08d}") + "\n" for i in range(1500))
    assert 2 * 1024 * 1024 < len(body.encode()) < 32 * 1024 * 1024
    text = _upload(officer, "/customs/import/declarations", "大文件.csv", body.encode())
    assert "新增 1500 条" in text, text[:3000]
    big = officer.post("/customs/import/declarations",
                       data={"file": (io.BytesIO(b"x" * (33 * 1024 * 1024)), "big.csv"),
                             "csrf_token": csrf(officer, "/customs")},
                       content_type="multipart/form-data", headers={"Referer": "http://localhost/customs"})
    page = big.get_data(as_text=True)
    assert big.status_code == 413 and "最多 32 MiB" in page
    assert 'href="/customs" id="error-back"' in page


def test_a_refused_value_is_named_by_the_files_own_header_and_echoed_as_written(app: Flask) -> None:
    """Outside testers: "值：须为 0 至 … 的数（实际为 -5.0）" for a 总价 column holding -5."""
    import re

    officer = web_client(app, "officer", "li")
    text = _upload(officer, "/customs/import/declarations", "报关单.csv",
                   (HEADER + ROWS[0].replace(",36000,", ",-5,") + "\n").encode())
    flashed = re.findall(r'data-flash="error">(.*?)</p>', text, flags=re.S)
    assert any(line.startswith("第 2 行（530120261130000001）：总价：") and "-5）" in line for line in flashed), flashed
    assert not any("-5.0" in line or "值：" in line for line in flashed), flashed


def test_the_wrong_kind_of_file_is_refused_in_one_line_not_every_missing_field_of_every_record(
        db: Database, tmp_path: Path) -> None:
    """newcomer14 F51: 300 listings uploaded as declarations flooded the page with 1,500 'required' lines."""
    from regional.formats.errors import ImportFileError

    listings = write(tmp_path, "listings.jsonl", "".join(
        json.dumps({"id": f"L{i}", "title": "羽绒服 冬季加厚", "price": 535.0,
                    "seller": {"name": "宁波某贸易商行"}}, ensure_ascii=False) + "\n" for i in range(300)))
    with pytest.raises(ImportFileError) as refused:
        service.import_declarations(db, listings, OFFICER, NOW)
    text = str(refused.value)
    assert "declaration_no" in text and "goods" in text and "title" in text and "another file" in text
    # a CSV whose header lacks a column every declaration needs: one line naming it, its Chinese header too
    nocol = write(tmp_path, "nocol.csv", "报关单号,进出口,商品名称\n440120260001000401,出口,手机\n")
    with pytest.raises(ImportFileError) as refused:
        service.import_declarations(db, nocol, OFFICER, NOW)
    assert "'hs_code' (商品编码/" in str(refused.value) and "'port' (" in str(refused.value)
    # a declarations file with one record lacking a field is still refused record by record
    one_bad = write(tmp_path, "d.jsonl", json.dumps({"declaration_no": "530120261130000012", "direction": "export",
                                                     "port": "黄埔", "goods": "面"}) + "\n")
    outcome = service.import_declarations(db, one_bad, OFFICER, NOW)
    assert "hs_code" in [e.field for e in outcome.errors]
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(CustomsDeclaration)) == 0


def test_a_declarations_file_imported_again_with_one_value_moved_updates_that_one(db: Database,
                                                                               tmp_path: Path) -> None:
    first = service.import_declarations(db, write(tmp_path, "d.csv", HEADER + "\n".join(ROWS[:2]) + "\n"),
                                        OFFICER, NOW)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    moved = ROWS[1].replace(",100,箱,", ",120,箱,")
    assert moved != ROWS[1]
    again = service.import_declarations(db, write(tmp_path, "d2.csv", HEADER + ROWS[0] + "\n" + moved + "\n"),
                                        OFFICER, NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    with db.read() as s:
        assert s.scalar(sa.select(CustomsDeclaration.quantity).where(
            CustomsDeclaration.number == "530120261130000002")) == 120


def test_the_declarations_page_pages_through_every_declaration_and_finds_one_by_number(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """newcomer15 F7: "报关单 共 20009 份" listed the newest 200, no 下一页, no search; a port office could not find a
    declaration it had imported a minute before."""
    import re

    from regional.web.blueprints import customs as page

    monkeypatch.setattr(page, "PAGE", 2)
    officer = web_client(app, "officer", "li")
    rows = [ROWS[0].replace("530120261130000001", f"5301202611300001{k:02d}").replace("2026-11-28", f"2026-11-{k + 1:02d}")
            for k in range(5)]
    data = (HEADER + "\n".join(rows) + "\n").encode()
    officer.post("/customs/import/declarations", data={"file": (io.BytesIO(data), "d.csv"),
                                                       "csrf_token": csrf(officer, "/customs")},
                 content_type="multipart/form-data")

    def numbers(text: str) -> list[str]:
        return re.findall(r'data-declaration="(\d+)"', text)

    first = officer.get("/customs").get_data(as_text=True)
    assert numbers(first) == ["530120261130000104", "530120261130000103"] and "1 / 3" in first and "下一页" in first
    seen = numbers(first) + numbers(officer.get("/customs?page=2").get_data(as_text=True)) \
        + numbers(officer.get("/customs?page=3").get_data(as_text=True))
    assert sorted(seen) == sorted(f"5301202611300001{k:02d}" for k in range(5))  # each once
    found = officer.get("/customs?q=530120261130000101").get_data(as_text=True)
    assert numbers(found) == ["530120261130000101"]
    assert numbers(officer.get("/customs?q=%25").get_data(as_text=True)) == []  # a wildcard is a character
    assert len(numbers(officer.get("/customs?q=康师傅").get_data(as_text=True))) == 2  # by brand, first page
    assert 'id="declaration-search"' in first


def test_a_workbooks_formula_cells_without_a_value_are_named_in_chinese_and_nothing_is_stored(
        app: Flask, tmp_path: Path) -> None:
    """newcomer16 N1: a filled goods cell holding a formula was "商品名称：为必填项"; formulas in 数量/总价 were dropped and
    the declaration stored with quantity and value NULL."""
    import re

    from tests.unit.test_xlsx_formulas import workbook

    officer = web_client(app, "officer", "li")
    rows = [HEADER.strip().split(","), ROWS[0].split(","), ROWS[1].split(",")]
    rows[1][4] = '=HYPERLINK("http://evil","点我")'
    rows[2][6], rows[2][8] = "=1+1", "=G3*2"
    data = workbook(tmp_path / "报关单.xlsx", rows).read_bytes()
    text = _upload(officer, "/customs/import/declarations", "报关单.xlsx", data)
    said = re.findall(r'data-flash="error">(.*?)</p>', text, flags=re.S)
    assert said[0] == "有 2 条记录无效，未导入任何记录。", said
    formula = "单元格是公式且没有计算结果，请在 Excel 中另存或粘贴为数值"
    assert said[1:] == [f"第 2 行（530120261130000001）：商品名称：{formula}",
                        f"第 3 行（530120261130000002）：数量：{formula}",
                        f"第 3 行（530120261130000002）：总价：{formula}"], said
    assert "必填" not in text
    assert _count(app.extensions["hufu_db"], "declarations") == 0


def test_a_macro_workbook_and_a_file_named_by_its_content_are_read_alike_on_the_page_and_the_command_line(
        app: Flask, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """newcomer16 N2: the CLI read an .xlsm like an .xlsx, the page refused it ("文件须为 JSON 行格式、CSV 或 电子表格");
    the page also refused any name the command line decides by content. One rule now: the reader's (by the name's
    suffix, else by the content), on both paths; a workbook's macros are never run."""
    import re
    import zipfile

    from national.hufu import main
    from tests.unit.test_xlsx_formulas import workbook

    rows = [HEADER.strip().split(","), *[row.split(",") for row in ROWS]]
    macro = workbook(tmp_path / "报关单.xlsm", rows)
    with zipfile.ZipFile(macro, "a") as archive:  # what makes it a macro workbook
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    by_content = tmp_path / "报关单.txt"  # no name the reader knows: the first line decides (CSV here)
    by_content.write_text(HEADER + ROWS[0].replace("530120261130000001", "530120261130000009") + "\n",
                          encoding="utf-8")

    officer = web_client(app, "officer", "li")
    page = officer.get("/customs").get_data(as_text=True)
    assert re.search(r'accept="[^"]*\.xlsm[^"]*"', page)  # the file picker offers it too
    for path, new in ((macro, 3), (by_content, 1)):
        text = _upload(officer, "/customs/import/declarations", path.name, path.read_bytes())
        assert f"新增 {new}" in text, re.findall(r'data-flash="\w+">(.*?)</p>', text)
    assert _count(app.extensions["hufu_db"], "declarations") == 4
    pdf = _upload(officer, "/customs/import/declarations", "报关单.pdf", b"%PDF-1.4 x")
    assert "文件须为" not in pdf and "PDF" in pdf  # refused by what it is, as the command line refuses it

    d = ["--data-dir", str(_cli_node(tmp_path / "cli"))]
    for path, new in ((macro, 3), (by_content, 1)):
        capsys.readouterr()
        assert main(["regional", "customs", "import-declarations", str(path), *d]) == 0
        assert f"{new} new" in capsys.readouterr().out
    (tmp_path / "报关单.pdf").write_bytes(b"%PDF-1.4 x")
    assert main(["regional", "customs", "import-declarations", str(tmp_path / "报关单.pdf"), *d]) == 1
    assert "is a PDF document" in capsys.readouterr().err


def test_the_declarations_page_in_english_names_import_and_export_capitalised(app: Flask) -> None:
    """newcomer24: /customs in English showed the tabs and the table's direction cells as "import" / "export" in lower
    case, beside "All" and every other capitalised label; in Chinese they stay 进口 / 出口."""
    officer = web_client(app, "officer", "li")
    assert "新增 3" in _upload(officer, "/customs/import/declarations", "报关单.csv",
                               (HEADER + "\n".join(ROWS) + "\n").encode())
    english = officer.get("/customs?lang=en").get_data(as_text=True)
    tabs = re.search(r'<p class="tabs">(.*?)</p>', english, re.S)
    assert tabs is not None
    assert re.findall(r">(Export|Import|export|import)</a>", tabs.group(1)) == ["Export", "Import"]
    cells = re.findall(r'<td class="keep">([^<]*)</td>', english)
    assert cells and set(cells) <= {"Import", "Export"}, cells
    chinese = officer.get("/customs?lang=zh").get_data(as_text=True)
    assert set(re.findall(r'<td class="keep">([^<]*)</td>', chinese)) <= {"进口", "出口"}
    assert ">出口</a>" in chinese and ">进口</a>" in chinese


@pytest.mark.parametrize(("written", "said"), [
    ("2026-02-30", 'names a day the calendar does not have: 2026-02 has 28 days (got "2026-02-30")'),
    ("2028/2/30", 'names a day the calendar does not have: 2028-02 has 29 days (got "2028/2/30")'),
    ("2026-11-31", 'names a day the calendar does not have: 2026-11 has 30 days (got "2026-11-31")'),
    ("2026-13-45", 'must be a date YYYY-MM-DD (got "2026-13-45")'),
])
def test_a_declared_day_its_month_does_not_have_is_said_so(written: str, said: str) -> None:
    """newcomer24: declared_on 2026-02-30 was refused as "must be a date YYYY-MM-DD", which it is written as."""
    with pytest.raises(CustomsError) as info:
        core.check_declaration({"declaration_no": "530120261130000001", "direction": "export", "port": "黄埔",
                                "hs_code": "2106.9090", "goods": "方便面", "consignor": {"name": "某公司"},
                                "declared_on": written})
    assert [(e.field, e.message) for e in info.value.errors] == [("declared_on", said)]
