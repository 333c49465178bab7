"""A bulk recount of the cube (`cube.recount`) gives exactly the rows the triggers and the fold give.

The dashboard benchmark fills a million leads with the triggers off and rebuilds the folded counts
by INSERT … SELECT … GROUP BY; that is only fair if the tables it times are the tables the live
node would hold. Both nodes, SQLite and PostgreSQL: leads inserted, changed (keys and judgements)
and deleted through the triggers, folded as the worker does; then the same leads recounted at once.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from national.models import NationalLead
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from national.reports import models as national_reports
from regional.domain import LeadOrigin, LeadState, LeadType, ListingSource
from regional.models import LeadRow, ListingRow
from regional.node import MIGRATIONS as REGIONAL_MIGRATIONS
from regional.reports import cube
from regional.reports import models as regional_reports
from sync.db import Database, run_migrations, sqlite_url

DAY0 = dt.datetime(2026, 6, 28, 17, 30, tzinfo=dt.UTC)  # crosses a Beijing-time midnight, a week and months
SECONDS = 120 * 86400


def _url(backend: str, request: pytest.FixtureRequest, tmp_path: Any, name: str) -> str:
    if backend == "sqlite":
        return sqlite_url(tmp_path / f"{name}.db")
    server = request.getfixturevalue("pg_server")
    return server.create_database(server.unique_name(name))


def _tables(db: Database, c: cube.Cube) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with db.read() as s:
        for model in (c.counts, *(m for _d, m in c.narrow)):
            cols = [col for col in model.__table__.columns]
            rows = s.execute(sa.select(*cols).where(model.n != 0)).all()
            out[model.__tablename__] = sorted(tuple(str(v) for v in r) for r in rows)
        out["deltas"] = [tuple(r) for r in s.execute(sa.select(c.deltas.id)).all()]
    return out


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_national_recount_equals_triggers_and_fold(backend: str, request: pytest.FixtureRequest, tmp_path: Any) -> None:
    url = _url(backend, request, tmp_path, "recount_n")
    run_migrations(url, NATIONAL_MIGRATIONS)
    db = Database(url)
    rng = random.Random(3)
    rows = []
    for i in range(900):
        moment = DAY0 + dt.timedelta(seconds=rng.uniform(0, SECONDS))
        rows.append({"uuid": str(uuid.uuid4()), "region": rng.choice(("440000", "330000", "110000")),
                     "listing_id": f"L{i}", "right_number": "TM-1",
                     "type": rng.choice(("trademark", "design", "invention")), "score": 0.9, "reasons": [],
                     "model_version": "m", "received_at": moment, "detected": moment if i % 50 else None,
                     "source": rng.choice(("ecommerce", "customs", None)),
                     "origin": rng.choice(("monitoring", "holder_request", None)),
                     "industry": rng.choice((1, 2, 35, None))})
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead.__table__), rows[:500])
    cube.fold_all(db, national_reports.CUBE)
    with db.transaction() as s:
        s.execute(sa.insert(NationalLead.__table__), rows[500:])
        s.execute(sa.update(NationalLead).where(NationalLead.listing_id.in_([f"L{i}" for i in range(0, 80)]))
                  .values(type="design", industry=3, region="330000"))
        s.execute(sa.delete(NationalLead).where(NationalLead.listing_id.in_([f"L{i}" for i in range(80, 140)])))
    cube.fold_all(db, national_reports.CUBE, limit=300)
    live = _tables(db, national_reports.CUBE)
    assert live["deltas"] == [] and len(live["lead_counts"]) > 500
    with db.transaction() as s:
        s.execute(sa.text("DELETE FROM lead_counts_area WHERE grain = 'w'"))  # recount must not depend on the old rows
        cube.recount(s, national_reports.SPEC, national_reports.CUBE)
    assert _tables(db, national_reports.CUBE) == live
    db.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_regional_recount_equals_triggers_and_fold(backend: str, request: pytest.FixtureRequest, tmp_path: Any) -> None:
    url = _url(backend, request, tmp_path, "recount_r")
    run_migrations(url, REGIONAL_MIGRATIONS)
    db = Database(url)
    rng = random.Random(5)
    listings, leads = [], []
    for i in range(700):
        moment = DAY0 + dt.timedelta(seconds=rng.uniform(0, SECONDS))
        source = rng.choice(list(ListingSource))
        listings.append({"id": f"L{i}", "source": source, "title": "t", "nice_classes": [], "images": [],
                         "imported_at": moment})
        state = rng.choice(list(LeadState))
        judged = state in (LeadState.CONFIRMED, LeadState.EXCLUDED) or rng.random() < 0.1
        leads.append({"uuid": str(uuid.uuid4()), "listing_id": f"L{i}", "right_number": "TM-1",
                      "type": rng.choice(list(LeadType)), "score": 0.5, "reasons": [], "model_version": "m",
                      "state": state, "created_at": moment, "source": source,
                      "judged_at": moment + dt.timedelta(hours=rng.uniform(0, 200)) if judged else None,
                      "judged_by": "officer1" if judged else None,
                      "origin": rng.choice([*LeadOrigin, None]), "city": rng.choice(("440100", "440300", None)),
                      "industry": rng.choice((9, 25, None))})
    with db.transaction() as s:
        s.execute(sa.insert(ListingRow.__table__), listings)
        s.execute(sa.insert(LeadRow.__table__), leads[:400])
    cube.fold_all(db, regional_reports.CUBE)
    with db.transaction() as s:
        s.execute(sa.insert(LeadRow.__table__), leads[400:])
        s.execute(sa.update(LeadRow).where(LeadRow.listing_id.in_([f"L{i}" for i in range(0, 100)]))
                  .values(state=LeadState.CONFIRMED, judged_at=DAY0 + dt.timedelta(days=3), city="440300"))
        s.execute(sa.delete(LeadRow).where(LeadRow.listing_id.in_([f"L{i}" for i in range(100, 150)])))
    cube.fold_all(db, regional_reports.CUBE, limit=400)
    live = _tables(db, regional_reports.CUBE)
    measures = {r[2] for r in live["lead_counts"]}
    assert live["deltas"] == [] and measures == {"detected", "confirmed", "excluded"}
    with db.transaction() as s:
        cube.recount(s, regional_reports.SPEC, regional_reports.CUBE)
    assert _tables(db, regional_reports.CUBE) == live
    db.dispose()
