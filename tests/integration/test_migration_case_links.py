"""The national revisions of session 14 upgrade a database at the previous head and keep its cases as they were."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

import national.node
from sync.db import make_engine, run_migrations, sqlite_url

CASE = ("INSERT INTO cases (uuid, key, right_number, type, lead_region, regions, cross_region, status, supervised, "
        "formed_at, updated_at) VALUES ('c-1', 'TM-9|uscc:X', 'TM-9', 'trademark', '440000', '[\"330000\", \"440000\"]', "
        "1, 'closed', 1, '2026-11-01 00:00:00', '2026-11-02 00:00:00')")


def test_prior_case_id_is_added_empty_to_the_cases_of_the_previous_head(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "national.db")
    run_migrations(url, national.node.MIGRATIONS, "n_uplink_checked")
    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(CASE)
    run_migrations(url, national.node.MIGRATIONS, "n_prior_case")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT uuid, status, prior_case_id FROM cases").all() == [("c-1", "closed", None)]
    assert "ix_cases_prior_case_id" in {i["name"] for i in sa.inspect(engine).get_indexes("cases")}
    run_migrations(url, national.node.MIGRATIONS, "n_uplink_checked", downgrade=True)
    assert "prior_case_id" not in {c["name"] for c in sa.inspect(engine).get_columns("cases")}
    engine.dispose()


def test_case_events_gain_an_empty_step_and_result(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "national.db")
    run_migrations(url, national.node.MIGRATIONS, "n_prior_case")
    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(CASE)
        conn.exec_driver_sql("INSERT INTO case_events (case_id, record_uuid, region, feedback, note, accepted, outcome, "
                             "status_after, at) VALUES (1, 'r-1', '440000', 'accepted', '', 1, 'formed -> "
                             "investigating', 'investigating', '2026-11-01 01:00:00')")
    run_migrations(url, national.node.MIGRATIONS, "n_event_step_result")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT feedback, step, result FROM case_events").all() == [
            ("accepted", None, None)]
    run_migrations(url, national.node.MIGRATIONS, "n_prior_case", downgrade=True)
    assert {"step", "result"}.isdisjoint(c["name"] for c in sa.inspect(engine).get_columns("case_events"))
    engine.dispose()
