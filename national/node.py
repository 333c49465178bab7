"""The national node's processes: set-up, gRPC server, web, worker."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from national import cases
from national.config import NationalConfig
from sync.config import ConfigError
from sync.db import Database, run_migrations
from sync.serving import write_port_file

log = logging.getLogger("hufu.national")
MIGRATIONS = Path(__file__).parent / "migrations"


def utcnow() -> dt.datetime:
    """The wall clock, in UTC."""
    return dt.datetime.now(dt.UTC)


def require_schema(config: NationalConfig) -> None:
    """Refuse to start on a database this release has not migrated (names `hufu national migrate`)."""
    from sync.migrate import require_current

    require_current(config.db_url, MIGRATIONS, f"hufu national migrate --data-dir {config.data_dir}")


def init_node(config: NationalConfig) -> None:
    """Create the data dir, write the config file, migrate the database."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("ca.crt", "national.crt", "national.key", "regions.json"):
        if not (config.pki / name).exists():
            raise FileNotFoundError(f"{config.pki / name} is missing: run `hufu pki init --dir {config.pki}` first")
    config.save()
    run_migrations(config.db_url, MIGRATIONS)


def serve_grpc(config: NationalConfig) -> None:
    """Run the gRPC server until SIGTERM/SIGINT; the bound port goes to run/grpc.json."""
    from national.grpc_server import build_server, warm_up
    from national.verifiers import Verifiers, default_processes

    require_schema(config)
    missing = [name for name in ("ca.crt", "national.crt", "national.key") if not (config.pki / name).is_file()]
    if missing:
        # named by its setting, not a bare "[Errno 2] … national.key" (newcomer14 F40)
        raise ConfigError(f"pki_dir {str(config.pki)!r} lacks {', '.join(missing)}: set pki_dir (or --pki at init) "
                          "to the directory `hufu pki init` wrote")
    db = Database(config.db_url)
    processes = default_processes() if config.verify_processes < 0 else config.verify_processes
    verifiers = Verifiers(processes) if processes else None
    try:
        server, port = build_server(db, config.pki, config.grpc_host, config.grpc_port, config.grpc_workers,
                                    evidence_dir=config.evidence_dir, verifiers=verifiers)
    except BaseException:
        if verifiers is not None:
            verifiers.close()
        db.dispose()
        raise
    if verifiers is not None:
        log.info("uplink batches are checked in %d verifier process(es) %s", processes, verifiers.warm())
    warm_up(db)
    # Everything loaded so far (modules, SQLAlchemy's and protobuf's tables, gRPC) lives as long as the process:
    # out of the collector's reach, so the collections the ingest path's short-lived objects trigger do not walk
    # that whole heap again each time (as in the verifier processes, national/verifiers.py `_init`).
    gc.freeze()
    server.start()
    write_port_file(config.run_dir, "grpc", config.grpc_host, port)
    log.info("national gRPC server listening on %s:%d (mutual TLS)", config.grpc_host, port)
    stopped = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping the gRPC server (grace 5 s)", signum)
        server.stop(grace=5).wait()
        stopped.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    stopped.wait()
    if verifiers is not None:
        verifiers.close()
    db.dispose()


def project_pending(db: Database) -> int:
    """Project newly filed records into the leads table, each chunk in its own transaction.

    The projection commits on its own: nothing case formation does afterwards can undo it. A
    record it cannot apply is quarantined (feed.quarantine) and the rest go on; anything else
    that raises is logged and ends projection for this cycle (case formation still runs).
    """
    from national import feed

    try:
        return feed.project_pending(db, utcnow)
    except Exception:  # noqa: BLE001 - keep the node alive; the next cycle retries
        log.exception("lead projection failed; retrying next cycle")
        return 0


@contextlib.contextmanager
def _one_cycle_at_a_time(db: Database, wait: bool) -> Iterator[bool]:
    """Yield whether this process may run a projection/case cycle: on PostgreSQL one at a time across worker
    processes and `hufu national form-cases` (a session-level advisory lock on a connection of its own, released
    when the cycle ends or the process dies). Two cycles at once would compute the same case revisions twice.
    `wait`: block until the running cycle ends (an operator's command) instead of skipping (the scheduler).
    SQLite serialises writers by itself."""
    if db.engine.dialect.name == "sqlite":
        yield True
        return
    from national.feed import WORKER_LOCK

    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if wait:
            got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({WORKER_LOCK})").scalar()
            if not got:
                log.info("another worker is forming cases; waiting for its cycle to end")
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({WORKER_LOCK})")
        elif not conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({WORKER_LOCK})").scalar():
            log.warning("another worker process is forming cases on this database; this cycle is skipped")
            yield False
            return
        try:
            yield True
        finally:
            try:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({WORKER_LOCK})")
            except sa.exc.DBAPIError:  # the connection is gone, and the lock with it
                log.warning("could not release the case-formation lock (connection lost); it went with it")


def warm_up_cycle() -> None:
    """Import and load, once per process, what a case-formation cycle needs: its modules (numpy, the resolver, the
    feed), the stored seller model and link configuration, the administrative-division index. A worker does this
    when it starts, so its first cycle is not charged ~0.3-0.5 CPU s of imports and loading (issue 12, session 19).
    Nothing here reads the database or depends on it; a cycle without it loads the same on first use."""
    from national import casework, entities, feed, lifecycle  # noqa: F401 - imported for their import cost
    from national.dedup import compare, incremental  # noqa: F401
    from national.dedup.divisions import division_index

    entities.config()
    division_index()


def form_cases_once(db: Database, config: NationalConfig | None = None, limit: int = 50_000, *,
                    wait: bool = False) -> cases.FormResult:
    """Project newly filed records, form cases, update the blacklist — each step committed on its own; one
    cycle at a time per database (`wait`: wait for another process's running cycle instead of skipping).

    1. projection: each batch its own transaction (`project_pending`);
    2. case formation, incremental: the sellers of new leads resolved against their blocks, officers'
       merge decisions applied, and the cases of the entities that changed re-formed, in one
       transaction per `limit` leads (`cases.form_cases`); within it cases are written in savepoints,
       and a failing case is isolated, recorded in `case_failures`, skipped, and retried with backoff;
    3. blacklist: its own transaction.
    A failure of one step is logged and never rolls back another.
    """
    from national import casework

    rules = casework.Rules() if config is None else casework.Rules(
        config.supervision_days, config.blacklist_cases, config.blacklist_months)
    with _one_cycle_at_a_time(db, wait) as mine:
        if not mine:
            return cases.FormResult(skipped=True)
        return _form_cases_cycle(db, rules, limit)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a cycle. A cycle allocates millions of short-lived containers
    (fetched rows, parts, pairs) that reference counting frees; the collector still walked them, and every object
    alive, ~1,400 times per 10k-lead cycle — 0.67 CPU s of 5.5 at 100k leads, 0.90 of 7.6 at 300k, growing with
    the state a cycle holds. The few reference cycles a cycle leaves (ORM sessions) are collected after it, when the
    collector runs again. Nothing a cycle computes depends on when garbage is collected."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _form_cases_cycle(db: Database, rules: Any, limit: int) -> cases.FormResult:
    with _without_cyclic_gc():
        return _form_cases_cycle_body(db, rules, limit)


def _form_cases_cycle_body(db: Database, rules: Any, limit: int) -> cases.FormResult:
    from national import casework

    if db.engine.dialect.name == "sqlite":  # the projection's inserts share the cycle's page cache
        with db.transaction() as session:
            cases.tune_connection(session)
    project_pending(db)
    result = cases.FormResult()
    try:
        with db.read() as session:
            skip = cases.backing_off(session, cases.WHOLE_RUN, utcnow())
        while not skip:  # a backlog is taken `limit` leads per transaction, each committed on its own
            with db.transaction() as session:
                step = cases.form_cases(session, utcnow(), rules.supervision_days, limit=limit)
            result.add(step)
            if step.leads_resolved < limit:
                break
    except Exception as exc:  # noqa: BLE001 - resolution itself failed: record it, keep projecting
        log.exception("case formation failed as a whole; retrying next cycle")
        try:
            with db.transaction() as session:
                cases.record_failure(session, "*", [0], [], exc, utcnow(), result)
        except Exception:  # noqa: BLE001
            log.exception("could not record the case-formation failure")
    try:
        with db.transaction() as session:
            for row in casework.update_blacklist(session, rules, utcnow()):
                log.info("blacklisted %s (%d confirmed cases)", row.entity_key, row.confirmed_cases)
    except Exception:  # noqa: BLE001
        log.exception("blacklist update failed; retrying next cycle")
    if result.cases_created or result.cases_updated or result.failures:
        log.info("cases: %d formed, %d updated, %d downlink item(s) queued, %d failed (skipped)",
                 result.cases_created, result.cases_updated, result.downlink_items, result.failures)
    return result


def evidence_once(db: Database, config: NationalConfig) -> None:
    """Append newly filed evidence manifests to the national log, then sign a checkpoint if it grew."""
    from national import evidence
    from sync.pki import ensure_log_key, load_trust

    key = ensure_log_key(config.pki)
    trust = load_trust(config.pki)
    with db.transaction() as session:
        while True:
            result = evidence.log_manifests(session, trust, utcnow())
            if result.logged:
                log.info("evidence: %d manifest(s) logged, national log size %d", result.logged, result.size)
            if not (result.logged or result.refused):
                break
        evidence.issue_checkpoint(session, key, utcnow())


def purge_feeds(db: Database, retention_days: float) -> int:
    """Drop downlink items older than the retention; lagging regions then get a snapshot."""
    from national import feed
    from national.models import RegionRow

    before = utcnow() - dt.timedelta(days=retention_days)
    total = 0
    with db.transaction() as session:
        for code in session.scalars(sa.select(RegionRow.code)):
            total += feed.purge(session, code, before)
    if total:
        log.info("purged %d downlink item(s) older than %s days", total, retention_days)
    return total


def fold_report_counts(db: Database) -> int:
    """Fold the dashboards' lead-count deltas into their counts."""
    from national.reports.models import CUBE
    from regional.reports.cube import fold_all

    return fold_all(db, CUBE)


def compile_reports(db: Database, config: NationalConfig) -> list[str]:
    """Compile last month's national report, and again whenever a region files (or refiles) after the last one."""
    from national.reports.figures import OFFICE
    from national.reports.service import due_compilations

    done = []
    for month in due_compilations(db, utcnow()):
        from national.reports.figures import compile_month

        row = compile_month(db, month=month, now=utcnow(), actor="worker", pki_dir=config.pki,
                            office=config.office_name or OFFICE)
        log.info("national report %s compiled (revision %d; not reported: %s)", row.month, row.revision,
                 ", ".join(row.regions_missing) or "none")
        done.append(row.month)
    return done


def worker_scheduler(db: Database, config: NationalConfig, scheduler: Any = None) -> Any:
    """The national worker's scheduler with its jobs added; every job runs even when its start is late
    (misfire_grace_time=None: APScheduler's 1 s default silently skips a run under load) and late runs coalesce."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = scheduler if scheduler is not None else BlockingScheduler(timezone="UTC")
    scheduler.add_job(form_cases_once, "interval", args=[db, config], seconds=config.case_interval_s, id="form-cases",
                      name="跨区域案件归并 / form cross-region cases", max_instances=1, coalesce=True,
                      misfire_grace_time=None, next_run_time=utcnow())
    scheduler.add_job(evidence_once, "interval", args=[db, config], seconds=config.checkpoint_interval_s,
                      id="evidence-log", name="证据日志与签名检查点 / log evidence manifests, sign a checkpoint",
                      max_instances=1, coalesce=True, misfire_grace_time=None, next_run_time=utcnow())
    scheduler.add_job(purge_feeds, "interval", args=[db, config.feed_retention_days], hours=24, id="purge-feeds",
                      name="下行队列保留期清理 / purge old downlink items", max_instances=1, coalesce=True,
                      misfire_grace_time=None)

    scheduler.add_job(fold_report_counts, "interval", args=[db], seconds=10, id="report-counts",
                      name="看板计数汇总 / fold the dashboard counts", max_instances=1, coalesce=True,
                      misfire_grace_time=None, next_run_time=utcnow())
    scheduler.add_job(compile_reports, "interval", args=[db, config], seconds=15, id="monthly-report",
                      name="全国月报汇编 / compile the national monthly report", max_instances=1, coalesce=True,
                      misfire_grace_time=None, next_run_time=utcnow())
    return scheduler


def run_worker(config: NationalConfig) -> None:
    """Run the national scheduled jobs (case formation, evidence log, feeds, report counts and compilation)
    until SIGTERM/SIGINT."""
    require_schema(config)
    db = Database(config.db_url)
    scheduler = worker_scheduler(db, config)
    warm_up_cycle()

    def _stop(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping the scheduler", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("national worker started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()
    db.dispose()


def run_web(config: NationalConfig, workers: int = 1) -> None:
    """Serve the national web UI under gunicorn."""
    from national.web import create_app
    from sync.serving import serve_wsgi

    require_schema(config)

    from regional.web.warmup import warm

    # each worker compiles its templates and reads its catalogues before it serves (newcomer16 N11)
    serve_wsgi(lambda: warm(create_app(config)), config.web_host, config.web_port, config.run_dir, "web", workers)
