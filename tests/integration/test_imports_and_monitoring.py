"""Imports on a real node database: every refusal audited, warnings kept, progress shown; monitoring lists follow."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional import services
from regional.config import RegionalConfig
from regional.models import AuditEntry, ImportRun, ListingRow, RiskEntry
from regional.monitoring import refresh_due
from regional.node import Worker
from sync.db import Database

NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
REGISTRY = [{"kind": "trademark", "reg_no": "TM-0012345", "mark": "康师傅", "owner": "顶益（开曼岛）控股有限公司",
             "nice_classes": [30], "status": "registered"}]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def priced(n: int, *, cheap: bool = True) -> list[dict]:
    """n listings of one category, the last one priced far below the others when `cheap`."""
    rows = [{"id": f"p-{i}", "title": f"保温杯 {i}", "category": "日用品", "price": 100.0 + i} for i in range(n)]
    if cheap:
        rows[-1]["price"] = 9.0
    return rows


def audit(db: Database) -> list[tuple[str, dict]]:
    with db.read() as s:
        return [(a.action, a.detail) for a in s.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_unreadable_and_empty_files_leave_an_audit_entry(node: RegionalConfig, tmp_path: Path) -> None:
    db = Database(node.db_url)
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes('{"id": "a", "title": "你好"}\n'.encode("gbk"))
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    for path in (gbk, empty, tmp_path / "missing.jsonl"):
        with pytest.raises(services.ImportFileError):
            services.import_listings(db, path, actor="张三", now=NOW)
    with pytest.raises(services.ImportFileError):
        services.import_registry(db, empty, actor="张三", now=NOW)

    entries = audit(db)
    assert [a for a, _ in entries] == ["import_listings_unreadable"] * 3 + ["import_registry_unreadable"]
    assert entries[0][1]["line"] == 1 and "gbk.jsonl:1" in entries[0][1]["reason"]
    assert "is empty" in entries[1][1]["reason"] and "cannot be opened" in entries[2][1]["reason"]
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ListingRow)) == 0


def test_warnings_do_not_block_an_import_and_are_audited(node: RegionalConfig, tmp_path: Path) -> None:
    db = Database(node.db_url)
    path = write(tmp_path / "l.jsonl", [{"id": "a", "title": "t", "seller": {"name": "店", "uscc": "123"}}])
    result = services.import_listings(db, path, actor="t", now=NOW)
    assert result.created == 1
    assert [(w.line, w.field) for w in result.warnings] == [(1, "seller.uscc")]
    action, detail = audit(db)[-1]
    assert action == "import_listings" and detail["warnings"] == 1 and "seller.uscc" in detail["first_warnings"][0]


def test_a_csv_import_stores_like_json_lines_and_reports_progress(node: RegionalConfig, tmp_path: Path) -> None:
    db = Database(node.db_url)
    path = tmp_path / "l.csv"
    path.write_text("编号,商品标题,价格\n" + "".join(f"c-{i},标题{i},{i}.5\n" for i in range(2500)), encoding="utf-8")
    seen: list[tuple[str, int, int]] = []

    result = services.import_listings(db, path, actor="t", now=NOW, progress=lambda *a: seen.append(a))

    assert (result.created, result.updated) == (2500, 0)
    phases = [p for p, _, _ in seen]
    assert phases[0] == "reading" and phases[-1] == "storing"
    assert seen[-1] == ("storing", 2500, 2500) and ("storing", 1000, 2500) in seen
    with db.read() as s:
        row = s.get(ListingRow, "c-7")
        assert row is not None and row.price == 7.5 and row.title == "标题7"
        assert s.scalar(sa.select(ImportRun.records)) == 2500


def test_a_rejected_import_writes_nothing(node: RegionalConfig, tmp_path: Path) -> None:
    db = Database(node.db_url)
    path = write(tmp_path / "l.jsonl", [{"id": "a", "title": "t"}, {"id": "b", "title": "仿" * 2000}])
    with pytest.raises(services.ImportRejected) as caught:
        services.import_listings(db, path, actor="t", now=NOW)
    assert "l.jsonl:2 (b) field 'title': is 2,000 characters long; at most 1,000 are allowed" in str(caught.value)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(ListingRow)) == 0


# --- monitoring lists follow imports and screening (issue 8 item 12) --------------------------------


def lists(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.execute(sa.select(RiskEntry.kind, sa.func.count()).group_by(RiskEntry.kind)).all()
    return dict(rows)  # type: ignore[arg-type]


class Clock:
    """The worker's clock, moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = NOW
        monkeypatch.setattr("regional.node.utcnow", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def test_monitoring_lists_follow_screening_not_only_the_worker_start_and_the_hour(
        node: RegionalConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    db = Database(node.db_url)
    worker = Worker(config=node, db=db)
    worker.monitoring()  # what the worker does when it starts: nothing qualifies yet
    assert lists(db) == {}
    clock.advance(60)  # a minute later, not an hour

    services.import_registry(db, write(tmp_path / "r.jsonl", REGISTRY), actor="t", now=NOW)
    sellers = [{"name": f"店{i}", "phone": f"1380013800{i}"} for i in range(3)]
    rows = [{"id": f"tb-{i}", "title": "康帅傅 红烧牛肉面 五连包", "nice_classes": [30], "seller": sellers[i]}
            for i in range(3)] + priced(6)
    services.import_listings(db, write(tmp_path / "l.jsonl", rows), actor="t", now=NOW)
    result = worker.screen()  # the worker's screening run, minutes (not an hour) after it started

    assert result.leads == 3
    assert lists(db) == {"exposed_right": 1, "price_anomaly": 1}
    with db.read() as s:
        right = s.scalar(sa.select(RiskEntry).where(RiskEntry.kind == "exposed_right"))
    assert right is not None and right.key == "TM-0012345"


def test_the_worker_checks_the_lists_often_and_recomputes_them_when_an_import_changed_them(
        node: RegionalConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from regional.jobs import jobs

    job = next(j for j in jobs(node) if j.method == "monitoring")
    assert job.seconds <= node.screen_interval_s  # not hourly

    clock = Clock(monkeypatch)
    db = Database(node.db_url)
    worker = Worker(config=node, db=db)
    worker.monitoring()
    clock.advance(60)
    assert worker.monitoring() is None  # nothing changed: nothing recomputed
    services.import_listings(db, write(tmp_path / "l.jsonl", priced(6)), actor="t", now=clock.now)
    clock.advance(5)
    counts = worker.monitoring()
    assert counts is not None and counts["price_anomaly"] == 1 and lists(db) == {"price_anomaly": 1}


def test_refresh_is_due_by_staleness_cost_and_age() -> None:
    now = NOW
    ago = lambda s: now - dt.timedelta(seconds=s)  # noqa: E731
    assert refresh_due(now, stale_since=None, last_at=None, last_duration_s=0)
    assert not refresh_due(now, stale_since=None, last_at=ago(60), last_duration_s=0.1)
    assert refresh_due(now, stale_since=ago(1), last_at=ago(2), last_duration_s=0.1)
    # a node whose lists take 30 s to compute does not recompute them every few seconds
    assert not refresh_due(now, stale_since=ago(1), last_at=ago(60), last_duration_s=30)
    assert refresh_due(now, stale_since=ago(1), last_at=ago(151), last_duration_s=30)
    assert refresh_due(now, stale_since=None, last_at=ago(3601), last_duration_s=0.1)


def test_the_import_command_tells_the_clerk_line_field_and_what_to_do(
        node: RegionalConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from national.cli import main

    data = str(node.data_dir)
    gbk = tmp_path / "导出.csv"
    gbk.write_bytes("id,title\nx-1,康帅傅\n".encode("gbk"))
    assert main(["regional", "import-listings", str(gbk), "--data-dir", data]) == 1
    err = capsys.readouterr().err
    assert f"{gbk}:2: is not valid UTF-8" in err and "--encoding gb18030" in err and "Traceback" not in err

    assert main(["regional", "import-listings", str(gbk), "--data-dir", data, "--encoding", "gbk"]) == 0
    out, err = capsys.readouterr()
    assert "1 new, 0 updated" in out

    odd = write(tmp_path / "l.jsonl", [{"id": f"w-{i}", "title": "t", "seller": {"uscc": "123"}} for i in range(25)])
    assert main(["regional", "import-listings", str(odd), "--data-dir", data]) == 0
    out, err = capsys.readouterr()
    assert "25 warning(s); imported anyway" in err
    assert "25 record(s), the first l.jsonl:1 (w-0) field 'seller.uscc'" in err
    assert "25 new" in out

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["regional", "import-listings", str(empty), "--data-dir", data]) == 1
    assert "is empty" in capsys.readouterr().err


def test_an_import_stores_each_photo_hash_once_and_screening_reads_them_back(
        node: RegionalConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np
    from PIL import Image

    from regional.detection.perceptual import image_hashes

    monkeypatch.chdir(tmp_path)  # relative photo paths are read from the working directory, as screening reads them
    rng = np.random.default_rng(3)
    for name in ("a.png", "b.png"):
        Image.fromarray(rng.integers(0, 256, (40, 40), dtype=np.uint8)).save(tmp_path / name)
    db = Database(node.db_url)
    rows = [{"id": "ph-1", "title": "保温杯", "images": ["a.png", "https://img.example/x.jpg", "gone.png"]},
            {"id": "ph-2", "title": "保温杯"}]
    services.import_listings(db, write(tmp_path / "l.jsonl", rows), actor="t", now=NOW)
    d, p = image_hashes(tmp_path / "a.png")
    with db.read() as s:
        row = s.get(ListingRow, "ph-1")
        assert row is not None and row.image_hashes == [f"{d:016x}{p:016x}", None, None]
        assert services._listing_of(row, None).image_hashes == ((d, p), None, None)
        bare = s.get(ListingRow, "ph-2")
        assert bare is not None and bare.image_hashes == [] and services._listing_of(bare, None).image_hashes == ()
    (tmp_path / "a.png").unlink()  # the same photos again: hashed once, at the first import
    services.import_listings(db, write(tmp_path / "l.jsonl", rows), actor="t", now=NOW)
    with db.read() as s:
        assert s.get(ListingRow, "ph-1").image_hashes[0] == f"{d:016x}{p:016x}"  # type: ignore[union-attr]
    rows[0]["images"] = ["b.png"]  # other photos: hashed again
    services.import_listings(db, write(tmp_path / "l.jsonl", rows), actor="t", now=NOW)
    d, p = image_hashes(tmp_path / "b.png")
    with db.read() as s:
        assert s.get(ListingRow, "ph-1").image_hashes == [f"{d:016x}{p:016x}"]  # type: ignore[union-attr]


# --- refusals said in the reader's language; records counted once however many problems (issue 12) ----------


def test_a_refused_import_reads_in_chinese_on_the_web_and_counts_records_not_problems(
        node: RegionalConfig, tmp_path: Path) -> None:
    import html

    from regional.web import create_app
    from tests.conftest import web_client

    db = Database(node.db_url)
    bad = tmp_path / "listings.csv"
    # three bad records with five problems: L-1 and L-2 two each, L-3 one; L-4 is fine
    bad.write_text("编号,商品标题,尼斯分类,价格\nL-1,保温杯,99,-5\nL-2,水杯,0,abc\nL-3,,,\nL-4,好杯,30,10\n",
                   encoding="utf-8")
    with pytest.raises(services.ImportRejected) as caught:
        services.import_listings(db, bad, actor="张三", now=NOW)
    assert "3 invalid record(s) (5 problems); nothing was imported" in str(caught.value)
    gbk = tmp_path / "导出.jsonl"
    gbk.write_bytes('{"id": "a", "title": "你好"}\n'.encode("gbk"))
    with pytest.raises(services.ImportFileError):
        services.import_listings(db, gbk, actor="张三", now=NOW)
    (rejected_action, rejected), (unreadable_action, _) = audit(db)
    assert rejected_action == "import_listings_rejected" and unreadable_action == "import_listings_unreadable"
    assert rejected["records"] == 3 and rejected["errors"] == 5
    assert "listings.csv:2 (L-1) field 'nice_classes': must be a list of integers 1..45 (got 99)" in rejected["first"]

    client = web_client(create_app(node), "auditor")
    for page in ("/audit", "/sync"):
        zh = html.unescape(client.get(page).get_data(as_text=True))
        assert "listings.csv 第 2 行（L-1）字段 nice_classes：须为 1 至 45 的整数列表（尼斯分类号）（实际为 99）" in zh, page
        assert "listings.csv 第 4 行（L-3）字段 title：为必填项" in zh, page
        assert "第 1 行：不是有效的 UTF-8 编码：第 23 列的字节 0xC4 无法解码；该文件似为 GBK/GB18030 编码" in zh, page
        assert "must be a list of integers" not in zh and "the file looks GBK" not in zh, page
        assert "无效记录数" in zh and "问题数" in zh, page
    en = html.unescape(client.get("/audit?lang=en").get_data(as_text=True))
    assert "listings.csv:2 (L-1) field 'nice_classes': must be a list of integers 1..45 (got 99)" in en
    assert f"{gbk}:1: is not valid UTF-8: byte 0xC4 at column 23 cannot be decoded; the file looks GBK" in en
    assert "invalid records" in en and "problems" in en and "第 2 行" not in en


def test_a_csv_without_a_required_column_names_its_accepted_header_names(node: RegionalConfig, tmp_path: Path) -> None:
    db = Database(node.db_url)
    path = tmp_path / "l.csv"
    path.write_text("编号,价格\nx-1,10\n", encoding="utf-8")
    with pytest.raises(services.ImportFileError) as caught:
        services.import_listings(db, path, actor="t", now=NOW)
    assert "the header row has no 'title' (标题/商品标题/商品名称/展品名称) column" in str(caught.value)


def test_a_listing_received_again_as_stored_counts_unchanged_not_updated(node: RegionalConfig, tmp_path: Path) -> None:
    """Outside testers: re-importing an identical listing said "1 updated"."""
    db = Database(node.db_url)
    rows = [{"id": "u-1", "title": "康帅傅 红烧牛肉面", "price": 12.5, "nice_classes": [30],
             "observed_at": "2026-11-20T10:00:00+08:00",
             "seller": {"name": "深圳某商行", "phone": "13800138000", "address": "广东省深圳市宝安区"}},
            {"id": "u-2", "title": "保温杯", "category": "日用品"}]
    first = services.import_listings(db, write(tmp_path / "a.jsonl", rows), actor="t", now=NOW)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = services.import_listings(db, write(tmp_path / "b.jsonl", rows), actor="t", now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert audit(db)[-1][1]["unchanged"] == 2
    rows[1]["title"] = "保温杯 大号"
    rows[0]["seller"]["address"] = "广东省深圳市南山区"  # the seller moved: its listing is updated too
    changed = services.import_listings(db, write(tmp_path / "c.jsonl", rows), actor="t", now=NOW)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 0)
    rows.append({"id": "u-3", "title": "新品"})
    one_more = services.import_listings(db, write(tmp_path / "d.jsonl", rows), actor="t", now=NOW)
    assert (one_more.created, one_more.updated, one_more.unchanged) == (1, 0, 2)
