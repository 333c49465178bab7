"""Small findings of the outside tester's walk (session 11) that each failed before their fix: `hufu demo --timeout`
named no default, the "(reading) 100%" progress line printed twice, report charts of whole counts had fractional
ticks, the monthly report said "—" for leads routed where no body fits, the technical detail under a web upload's
refusal quoted the CLI flag --encoding, and docs/officers.md gave the supervisor the administrator's /holder tie."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

from regional.reports import charts, render
from sync.progress import ProgressPrinter

REPO = Path(__file__).resolve().parents[2]


def test_every_option_of_hufu_demo_with_a_default_names_it_in_its_help() -> None:
    from national import cli

    sub = argparse.ArgumentParser().add_subparsers()
    cli.register(sub)
    demo = sub.choices["demo"]
    silent = [a.option_strings[0] for a in demo._actions
              if a.option_strings and a.default not in (None, False, argparse.SUPPRESS)
              and "default" not in (a.help or "")]
    assert not silent, f"options whose help does not say their default: {silent}"


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_the_line_before_the_last_never_says_100_percent() -> None:
    out, clock = io.StringIO(), Clock()
    show = ProgressPrinter("importing listings.csv", stream=out, clock=clock, every_s=0.0, after_s=0.0)
    size = 1 << 20
    for done in (size // 2, size - 3000, size):  # the last full thousand lines ends 3 kB before the end
        clock.t += 1.0
        show.phased("reading", done, size)
    lines = out.getvalue().splitlines()
    assert [line for line in lines if "(100%" in line] == [lines[-1]], lines
    assert "(99%" in lines[1], lines


def _ticks(svg: str) -> list[str]:
    """The value axis' labels (drawn right-aligned left of the plot, not rotated like the bar labels)."""
    return re.findall(r'<text x="46" y="[\d.]+" font-size="9" text-anchor="end">([^<]+)</text>', svg)


def test_charts_of_whole_counts_have_whole_number_ticks() -> None:
    for counts in ([5, 3, 1], [7], [1], [45, 2], [120, 3]):
        for svg in (charts.bar(["甲", "乙", "丙"][:len(counts)], [("线索", counts)]),
                    charts.line(["2026-10-01", "2026-10-02", "2026-10-03"][:len(counts)], [("线索", counts)])):
            ticks = _ticks(svg)
            assert len(ticks) == 5 and all(re.fullmatch(r"[\d,]+", t) for t in ticks), (counts, ticks)
            assert int(ticks[-1].replace(",", "")) >= max(counts)
    # hours and ratios keep the round top they had
    assert _ticks(charts.bar(["甲"], [("小时", [2.5])])) == ["0", "0.6", "1.2", "1.9", "2.5"]


def test_a_routing_row_without_a_body_says_so_in_both_languages_on_both_nodes() -> None:
    assert render.cell_text("", "agency") == "无接收机构"
    assert render.cell_text(None, "agency", "en") == "No receiving body"
    assert render.cell_text("", "label:agency_kind") == "无接收机构"  # the national report's routing rows
    assert render.cell_text("深圳市市场监督管理局", "agency") == "深圳市市场监督管理局"
    assert render.cell_text("", "text") == "—"


def test_the_technical_detail_of_a_web_upload_names_the_forms_choice_not_the_cli_flag() -> None:
    from regional.formats.errors import ImportFileError
    from regional.formats.messages import say
    from regional.web.filefaults import describe

    gbk = ImportFileError("/tmp/x/报关单.csv", say("gbk", enc="UTF-8", byte="0xB1", col=3), line=2)
    jsonl = ImportFileError("/tmp/x/a.jsonl", say("csv_as_jsonl"), line=1)
    for exc in (gbk, jsonl):  # (outside a request the page's words are English)
        detail = describe(exc).detail
        assert "--" not in detail, detail
    assert describe(gbk).detail.endswith("choose the encoding GB18030 on the upload form")
    assert "byte 0xB1 at column 3" in describe(gbk).detail
    assert "--encoding gb18030" in str(gbk)  # the command line keeps its own words


def test_officers_md_gives_the_holder_tie_to_the_administrator_as_the_app_does() -> None:
    from regional.web.blueprints import intake

    text = (REPO / "docs" / "officers.md").read_text(encoding="utf-8")
    roles = {m.group(1): m.group(2) for m in re.finditer(r"\*\*\S+ (\w+) \((?:regional|national)[^)]*\)\.\*\*(.*?)(?=\n\*\*|\Z)",
                                                          text, flags=re.S)}
    assert {"supervisor", "admin"} <= set(roles), sorted(roles)
    assert "/holder" not in roles["supervisor"].replace("\n", " ").split("(Tying")[0]
    assert "rights-holder account" in roles["admin"] and "/admin/users" in roles["admin"]
    source = Path(intake.__file__).read_text(encoding="utf-8")
    assert re.search(r'@bp\.post\("/holder/assign"\)\n@roles_required\(ADMIN\)\n', source)


def test_an_old_audit_entry_names_a_web_upload_by_its_name_not_the_servers_temporary_copy() -> None:
    import tempfile

    from regional.web import auditview

    copy = f"{tempfile.gettempdir()}/tmp9000wxl7/customs_3mib.csv"
    detail = {"file": copy, "reason": f"{copy}:1: contains no records",
              "reason_parts": {"file": copy, "line": 1, "rule": {"key": "no_records", "params": {}}}}
    shown = dict(auditview.details(detail))
    assert all(tempfile.gettempdir() not in text for text in shown.values()), shown
    assert "customs_3mib.csv" in " ".join(shown.values())
    assert dict(auditview.details({"file": "/srv/hufu/inbox/listings.csv"})).popitem()[1] == \
        "/srv/hufu/inbox/listings.csv"  # a file the command line was given keeps its path
