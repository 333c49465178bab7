"""SQLite commits are durable and atomic across a kill -9 (sync.db.make_engine: WAL, synchronous=FULL).

A case-formation cycle writes in savepoints inside its transactions; a writer killed with SIGKILL keeps what it
committed (savepoints released inside it included) and loses what it had not committed (issue 12, session 18)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

from sync.db import Database, sqlite_url


def _fill(db: Database, rows: int) -> None:
    with db.transaction() as session:
        conn = session.connection()
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)")
        conn.exec_driver_sql("CREATE INDEX ix_t_n ON t (n)")
        conn.exec_driver_sql("INSERT INTO t (id, v, n) VALUES (?, ?, ?)",
                             [(k, f"value-{k:08d}-" + "x" * 40, k % 97) for k in range(rows)])


def test_engines_commit_durably(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "t.db"))
    try:
        with db.transaction() as session:
            conn = session.connection()
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        db.dispose()


_WRITER = textwrap.dedent("""
    import sys, time
    from sync.db import Database, sqlite_url
    db = Database(sqlite_url(sys.argv[1]))
    with db.transaction() as session:  # committed: must survive
        with session.begin_nested():
            session.connection().exec_driver_sql("UPDATE t SET n = -1 WHERE id < 10000")
    session = db.sessions()
    session.begin()
    with session.begin_nested():  # never committed: must be gone
        session.connection().exec_driver_sql("UPDATE t SET n = -2")
    print("ready", flush=True)
    time.sleep(60)
""")


def test_kill_9_keeps_committed_and_drops_uncommitted(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = Database(sqlite_url(path))
    _fill(db, 20_000)
    db.dispose()
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)}, cwd=root)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    db = Database(sqlite_url(path))
    try:
        with db.read() as session:
            counts = dict(session.execute(sa.text("SELECT n < 0, count(*) FROM t GROUP BY n < 0")).all())
            ok = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
        assert counts == {1: 10_000, 0: 10_000}
        assert ok == "ok"
    finally:
        db.dispose()

