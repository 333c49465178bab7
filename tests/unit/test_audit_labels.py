"""Every audit entry the nodes write reads in Chinese on /audit and /sync: its action and the keys of its detail
have labels (newcomer16 N10: `evidence_log_resync` with `from_index`, `national_size`, … showed raw English).

The entries are found in the source: each `AuditEntry(…)` call with a literal action, and the literal keys of its
`detail={…}`. A new kind of entry without labels fails here instead of on a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = ("bench", "migrations")


def _calls() -> list[tuple[str, str, list[str]]]:
    out = []
    for package in ("regional", "national", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if any(part in SKIP for part in path.relative_to(ROOT).parts):
                continue
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"AuditEntry\(", text):
                depth, i = 0, match.end() - 1
                while i < len(text):  # the call's text, parentheses balanced
                    depth += {"(": 1, ")": -1}.get(text[i], 0)
                    if depth == 0:
                        break
                    i += 1
                call = text[match.start():i + 1]
                action = re.search(r'action="([a-z_]+)"', call)
                if not action:
                    continue
                detail = re.search(r"detail=\{(.*)\}", call, re.S)
                keys = re.findall(r'"([a-z_]+)":', detail.group(1)) if detail else []
                where = f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
                out.append((where, action.group(1), keys))
    return out


@pytest.fixture(scope="module")
def zh_labels(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from national.config import NationalConfig
    from national.web import create_app as national_app
    from regional.config import RegionalConfig
    from regional.web import create_app as regional_app
    from regional.web.labels import LABELS, label

    base = tmp_path_factory.mktemp("apps")
    (base / "r").mkdir()
    (base / "n").mkdir()
    regional_app(RegionalConfig(data_dir=base / "r", region="440000"))  # registers every area's labels
    app = national_app(NationalConfig(data_dir=base / "n"))
    with app.test_request_context("/?lang=zh_CN"):
        yield LABELS, label


def test_the_source_has_audit_entries_to_check() -> None:
    actions = {a for _w, a, _k in _calls()}
    assert {"evidence_log_resync", "leads_only_national", "region_restored"} <= actions


def test_every_audit_action_and_detail_key_written_has_a_label(zh_labels) -> None:  # type: ignore[no-untyped-def]
    labels, label = zh_labels
    missing = []
    for where, action, keys in _calls():
        if action not in labels.get("audit_action", {}):
            missing.append(f"{where}: action {action!r}")
        missing += [f"{where}: detail key {k!r} of {action!r}" for k in keys if k not in labels.get("audit_field", {})]
    assert not missing, "audit entries without labels (register them, with zh_CN translations):\n" + "\n".join(missing)
    assert label("audit_action", "evidence_log_resync") != "evidence_log_resync"
    assert label("audit_field", "from_index") == "本区域证据日志起始序号"


def test_a_regions_refusal_reads_in_chinese_by_its_class(zh_labels) -> None:  # type: ignore[no-untyped-def]
    """newcomer16 N9: the national overview showed `PERMISSION_DENIED: certificate … has been revoked` raw."""
    from regional.web.labels import region_refusal

    assert region_refusal("PERMISSION_DENIED: certificate 64a7 of region 350000 has been revoked") == "该区域的证书已被吊销"
    assert "新证书取代" in region_refusal("PERMISSION_DENIED: certificate 1 of region 350000 was superseded by "
                                        "certificate 2 on 2026-12-01 10:00 UTC")
    assert "hufu regional restore" in region_refusal(
        "FAILED_PRECONDITION: region 440000 sent epoch 1 but the national node holds epoch 2 (restored): this is an "
        "older copy of the region's database that is still running; stop it")
    assert region_refusal("INVALID_ARGUMENT: record 3: field 'title' is too long") == "该区域发送的数据不符合格式或限制要求"
    assert region_refusal("something new") == "同步请求被拒绝"
