"""SQLite's statement and savepoint journals stay in memory (sync.db.make_engine: PRAGMA temp_store=MEMORY).

A case-formation cycle writes in savepoints; with journal files SQLite wrote ~230 MB of them under /var/tmp per
10k-lead cycle (issue 12, session 18). The journals only undo a statement or a savepoint inside an open transaction,
so keeping them in memory changes no durability: a committed transaction survives a kill, a rolled-back savepoint
is undone, an uncommitted transaction is gone (checked here with a real process killed with SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import sqlalchemy as sa

from sync.db import Database, sqlite_url


def _temp_files() -> list[str]:
    """The SQLite temporary files this process holds open (SQLite names them etilqs_*, unlinked at open)."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target:
            out.append(target)
    return out


def _fill(db: Database, rows: int) -> None:
    with db.transaction() as session:
        conn = session.connection()
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)")
        conn.exec_driver_sql("CREATE INDEX ix_t_n ON t (n)")
        conn.exec_driver_sql("INSERT INTO t (id, v, n) VALUES (?, ?, ?)",
                             [(k, f"value-{k:08d}-" + "x" * 40, k % 97) for k in range(rows)])


def test_engines_keep_temporary_storage_in_memory(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "t.db"))
    try:
        with db.transaction() as session:
            assert session.connection().exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        with db.read() as session:
            assert session.connection().exec_driver_sql("PRAGMA temp_store").scalar() == 2
            assert session.connection().exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL, as before
    finally:
        db.dispose()


def test_savepoint_writes_open_no_journal_file(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "t.db"))
    try:
        _fill(db, 20_000)
        before = set(_temp_files())
        with db.transaction() as session:
            with session.begin_nested():  # the pages changed here are journaled for the savepoint (~MBs: spills)
                session.connection().exec_driver_sql("UPDATE t SET n = n + 1000, v = v || 'y'")
                during = set(_temp_files()) - before
            with session.begin_nested() as inner:  # a savepoint rolled back is still undone
                session.connection().exec_driver_sql("DELETE FROM t WHERE id < 5000")
                inner.rollback()
        assert during == set()
        with db.read() as session:
            assert session.connection().exec_driver_sql("SELECT count(*), min(n) FROM t").one() == (20_000, 1000)
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

