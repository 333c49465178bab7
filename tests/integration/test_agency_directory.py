"""The agency directory: generated for a province, imported from JSON Lines or CSV (all or nothing), edited."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from regional.actors import Actor, Forbidden
from regional.node import MIGRATIONS
from regional.routing import directory
from regional.routing.places import Level
from regional.workflow_models import AgencyRow
from sync.db import Database, run_migrations, sqlite_url
from tests.workflow_data import NOW

ADMIN = Actor("root", frozenset({"admin"}))
OFFICER = Actor("li", frozenset({"officer"}))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    return Database(url)


def test_the_generated_directory_covers_every_city_and_district_of_the_province() -> None:
    gd = directory.generated("440000")
    codes = {a.code for a in gd}
    assert {"440000-MR", "440000-IP", "440000-RA", "440000-PC", "440300-MR", "440305-MR"} <= codes
    assert all(a.division[:2] == "44" for a in gd) and len(codes) == len(gd)
    bj = directory.generated("110000")
    assert {a.level for a in bj} == {Level.PROVINCE, Level.DISTRICT}  # a municipality's districts sit under it
    assert "110105-MR" in {a.code for a in bj}


def test_a_good_file_imports_and_updates_by_code(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "agencies.jsonl"
    f.write_text('{"code": "440305-MR", "name": "南山监管局", "kind": "市场监管", "level": "区县", '
                 '"division": "440305", "phone": "0755-12345678"}\n'
                 '{"code": "440000-RA", "name": "广东省知识产权维权援助中心", "kind": "rights_assistance", '
                 '"level": "province", "division": "440000", "email": "help@example.cn"}\n', encoding="utf-8")
    with db.transaction() as s:
        assert directory.import_file(s, f, "440000", ADMIN, NOW) == directory.ImportResult(2, 0)
    c = tmp_path / "agencies.csv"
    c.write_text("code,name,kind,level,division,active\n440305-MR,南山市场监管局,market_regulation,district,440305,否\n",
                 encoding="utf-8")
    with db.transaction() as s:
        assert directory.import_file(s, c, "440000", ADMIN, NOW) == directory.ImportResult(0, 1)
    with db.read() as s:
        row = s.scalar(sa.select(AgencyRow).where(AgencyRow.code == "440305-MR"))
        assert row is not None and (row.name, row.active, row.origin) == ("南山市场监管局", False, "import")


@pytest.mark.parametrize("line, message", [
    ('{"code": "x", "name": "a", "kind": "police", "level": "city", "division": "440300"}', "field 'kind'"),
    ('{"code": "x", "name": "a", "kind": "市场监管", "level": "city", "division": "440305"}', "is a district"),
    ('{"code": "x", "name": "a", "kind": "市场监管", "level": "city", "division": "330100"}', "outside"),
    ('{"code": "x", "name": "a", "kind": "市场监管", "level": "city", "division": "449999"}', "not a GB/T 2260"),
    ('{"code": "x y", "name": "a", "kind": "市场监管", "level": "city", "division": "440300"}', "field 'code'"),
    ('{"code": "x", "kind": "市场监管", "level": "city", "division": "440300"}', "field 'name' is required"),
    ('{"code": "x", "name": "a", "kind": "市场监管", "level": "city", "division": "440300", "phone": "call me"}',
     "field 'phone'"),
    ('not json', "not valid JSON"),
])
def test_one_bad_record_rejects_the_file_naming_line_and_field(db: Database, tmp_path: Path, line: str,
                                                               message: str) -> None:
    f = tmp_path / "bad.jsonl"
    good = '{"code": "440300-MR", "name": "深圳市市场监督管理局", "kind": "市场监管", "level": "市", "division": "440300"}'
    f.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with db.transaction() as s, pytest.raises(directory.DirectoryError) as err:
        directory.import_file(s, f, "440000", ADMIN, NOW)
    assert f"{f}:2" in str(err.value) and message in str(err.value)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(AgencyRow)) == 0


def test_only_an_admin_edits_the_directory(db: Database) -> None:
    record = {"code": "440300-IP", "name": "深圳市知识产权局", "kind": "ip_enforcement", "level": "city",
              "division": "440300"}
    with db.transaction() as s, pytest.raises(Forbidden):
        directory.edit(s, record, "440000", OFFICER, NOW)
    with db.transaction() as s:
        directory.edit(s, record, "440000", ADMIN, NOW)
        directory.set_member(s, "440300-IP", "zhang", True, ADMIN, NOW)
    with db.read() as s:
        from regional.routing.service import agencies_of_user

        assert [a.code for a in agencies_of_user(s, "zhang")] == ["440300-IP"]
