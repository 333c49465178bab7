"""Leads routed where no body of the directory fits (the demo's history confirmations) make a 线索移送 row whose body
is empty: the page, the PDF and the workbook said "—" there (the outside tester's walk, session 11); they say
无接收机构 (No receiving body), and the national report's routing rows by kind likewise."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ed25519

from regional import outbox
from regional.models import LeadRow
from regional.node import MIGRATIONS
from regional.reports import render, service
from regional.reports.figures import section
from regional.reports.periods import Month
from regional.routing.core import Rule
from regional.workflow_models import RouteRow
from sync.db import Database, sqlite_url
from sync.migrate import run_migrations
from tests.reports.fixture import REGION, build, cst


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = sqlite_url(tmp_path_factory.mktemp("no_agency") / "node.db")
    run_migrations(url, MIGRATIONS)
    db = Database(url)
    build(db, outbox.Signer(region=REGION, key=ed25519.Ed25519PrivateKey.generate()))
    with db.transaction() as s:  # a confirmed lead routed in October to no body (as the demo's history does)
        lead = s.scalars(sa.select(LeadRow).order_by(LeadRow.id)).all()[3]
        s.add(RouteRow(lead_id=lead.id, agency_id=None, rule=Rule.OFFENDER_SITE, explanation={}, actor="t",
                       at=cst(2026, 10, 9, 15)))
    return service.compute(db, region=REGION, office="广东省知识产权局", month=Month(2026, 10),
                           now=cst(2026, 11, 1, 9))


def test_the_row_without_a_body_says_no_receiving_body_on_the_page(figures: dict) -> None:
    rows = section(figures, "routing")["rows"]
    assert {"agency": "", "agency_kind": "", "routed": 1} in rows  # the figures keep the fact as it is
    html = render.html(figures, standalone=False)
    routing = html.split('id="section-routing"', 1)[1].split("</section>", 1)[0]
    assert "无接收机构" in routing and "—" not in routing, routing
    assert "No receiving body" in render.html(figures, "en", standalone=False)


def test_the_workbook_and_the_pdf_say_it_too(figures: dict, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render.xlsx_bytes(figures)))
    sheet = next(wb[name] for name in wb.sheetnames if "移送" in name)
    assert ("无接收机构", "无接收机构", 1) in [tuple(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is missing: `make test` installs it"
    out = tmp_path / "report.pdf"
    render.write(figures, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "无接收机构" in text
