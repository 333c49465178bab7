"""The regional node's processes: set-up, web, worker (scheduled jobs)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import grpc

from regional import services, sync_agent
from regional.config import RegionalConfig
from regional.outbox import Signer
from sync.db import Database, run_migrations
from sync.pki import certificate_problem
from sync.transport import client_channel

log = logging.getLogger("hufu.regional")
MIGRATIONS = Path(__file__).parent / "migrations"


def utcnow() -> dt.datetime:
    """The wall clock, in UTC; the only place the node reads it."""
    return dt.datetime.now(dt.UTC)


def init_node(config: RegionalConfig, pki_source: Path | None = None) -> None:
    """Create the data dir, install credentials, write the config file, migrate the database."""
    from regional.readiness import credential_problems, target_problem

    if config.national_target and (problem := target_problem(config.national_target)):
        raise ValueError(problem)
    if pki_source is not None:
        for name in ("ca.crt", "region.crt", "region.key", "signing.key", "signing.pub"):
            src = pki_source / name
            if not src.exists():
                raise FileNotFoundError(f"{src} is missing: issue credentials with `hufu pki issue-region {config.region}`")
        problems = credential_problems(pki_source, config.region, check_dates=False)
        if problems:
            raise ValueError(f"credentials in {pki_source} refused: " + "; ".join(problems))
    config.data_dir.mkdir(parents=True, exist_ok=True)
    if pki_source is not None:
        config.pki_dir.mkdir(parents=True, exist_ok=True)
        config.pki_dir.chmod(0o700)
        for name in ("ca.crt", "region.crt", "region.key", "signing.key", "signing.pub"):
            src = pki_source / name
            shutil.copyfile(src, config.pki_dir / name)
            (config.pki_dir / name).chmod(0o600 if name.endswith(".key") else 0o644)
        for optional in ("evidence-log.pub",  # the national log key this region witnesses with
                         "emark.voucher"):  # the national key's voucher for this region's e-mark key (issue 14)
            if (pki_source / optional).exists():
                shutil.copyfile(pki_source / optional, config.pki_dir / optional)
    config.save()
    run_migrations(config.db_url, MIGRATIONS)


def signer(config: RegionalConfig) -> Signer:
    """The region's record signer; NotReady (with what to do) when the node has no signing key yet."""
    from regional.readiness import NotReady, credential_problems

    path = config.pki_dir / "signing.key"
    if not path.is_file():
        raise NotReady(credential_problems(config.pki_dir, config.region))
    from dataclasses import replace

    return replace(Signer.from_file(config.region, path, evidence_dir=config.evidence_dir), pki_dir=config.pki_dir)


def channel(config: RegionalConfig) -> grpc.Channel:
    """A mutual-TLS channel to the national node."""
    if not config.national_target:
        raise ValueError("setting 'national_target' (host:port of the national node) is not set")
    return client_channel(config.national_target, config.pki_dir / "ca.crt", config.pki_dir / "region.crt",
                          config.pki_dir / "region.key", server_name=config.national_server_name)


def credentials_stamp(pki_dir: Path) -> tuple[tuple[str, float, int], ...]:
    """(name, mtime, size) of the files a channel is made from: a change means re-issued credentials."""
    out = []
    for name in ("ca.crt", "region.crt", "region.key"):
        try:
            st = (Path(pki_dir) / name).stat()
            out.append((name, st.st_mtime, st.st_size))
        except OSError:
            out.append((name, 0.0, 0))
    return tuple(out)


@dataclass
class Backoff:
    """Exponential backoff with full jitter after consecutive failures (pure: the caller passes time)."""

    base_s: float = 1.0
    cap_s: float = 60.0
    failures: int = 0
    not_before: float = 0.0

    def ready(self, now: float) -> bool:
        """Whether an attempt may be made at monotonic time `now`."""
        return now >= self.not_before

    def failed(self, now: float, rand: float) -> float:
        """Record a failure; return the delay chosen (rand in [0, 1) supplies the jitter)."""
        self.failures += 1
        delay = rand * min(self.cap_s, self.base_s * 2 ** min(self.failures, 16))
        self.not_before = now + delay
        return delay

    def succeeded(self) -> None:
        """Reset after a success."""
        self.failures = 0
        self.not_before = 0.0


@dataclass
class Worker:
    """The jobs of the regional worker process, sharing one database and one channel."""

    config: RegionalConfig
    db: Database
    channel: grpc.Channel | None = None
    backoff: Backoff = field(default_factory=Backoff)
    evidence_backoff: Backoff = field(default_factory=Backoff)  # its own: a log of its own on the national side
    progressed: bool = False
    channel_stamp: tuple[tuple[str, float, int], ...] = ()  # the credential files the channel was made from

    def __post_init__(self) -> None:
        if self.channel is not None and not self.channel_stamp:  # a channel handed in was made from today's files
            self.channel_stamp = credentials_stamp(self.config.pki_dir)

    def screen(self) -> services.ScreenResult:
        """Screen listings added since the last run (new-listing monitoring)."""
        result = services.screen_pending(self.db, signer(self.config), now=utcnow())
        if result.screened:
            log.info("screened %d listing(s), %d new lead(s)", result.screened, result.leads)
            self.monitoring()  # lists follow screening at once (as often as their cost allows)
        return result

    def _channel(self) -> grpc.Channel:
        stamp = credentials_stamp(self.config.pki_dir)
        if self.channel is not None and stamp != self.channel_stamp:
            # a re-issued certificate installed while running (`hufu pki issue-region` + `hufu regional init`):
            # use it from the next call on, rather than the revoked one until a restart (newcomer14 F19)
            log.warning("the region's certificate or key changed on disk: reconnecting to the national node with "
                        "the new credentials")
            self.channel.close()
            self.channel = None
            self.backoff.succeeded()
            self.evidence_backoff.succeeded()
        if self.channel is None:
            self.channel = channel(self.config)
            self.channel_stamp = stamp
        return self.channel

    def monitoring(self) -> dict[str, int] | None:
        """Recompute the high-risk seller and product lists and the list of rights most exposed, when due.

        Due when their inputs changed since (imports, new leads, a delivered blacklist), at a
        pace their own cost allows, and hourly in any case (regional.monitoring.refresh_due).
        """
        from regional.monitoring import refresh_if_due

        counts = refresh_if_due(self.db, utcnow())
        if counts is not None:
            log.info("monitoring lists: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
        return counts

    def review_upkeep(self) -> None:
        """Fold the queue's lead counts, index leads that lack search terms, run waiting detection requests."""
        from regional.review.upkeep import run_upkeep

        run_upkeep(self.config, self.db, utcnow)

    def retrain(self) -> None:
        """Retrain the models on the node's judgements (weekly); promote only what does not do worse."""
        from regional.actors import Actor
        from regional.review.retrain import retrain

        for r in retrain(self.db, self.config.region, actor=Actor.system("worker"), now=utcnow(),
                         cache_dir=self.config.data_dir / "models", say=log.info, clock=utcnow):
            log.info("retrain %s: %s (%s)", r.model, "promoted " + str(r.candidate) if r.promoted else
                     (r.candidate or "no candidate"), r.reason)

    def report_counts(self) -> int:
        """Fold the dashboards' lead-count deltas into their counts."""
        from regional.reports.service import fold_counts

        return fold_counts(self.db)

    def monthly_report(self) -> None:
        """On the first day of a month (or the first run after it), file last month's report with the national office."""
        from regional.reports import service

        month = service.due_month(self.db, utcnow())
        if month is None:
            return
        row = service.file_month(self.db, signer(self.config), region=self.config.region,
                                 office=service.office_of(self.config.region, self.config.office_name), month=month,
                                 now=utcnow(), core=list(self.config.core_nice_classes), actor="worker")
        log.info("monthly report %s filed (revision %d)", row.month, row.revision)

    def _acked(self) -> int:
        from regional import state

        with self.db.read() as session:
            return state.get_int(session, state.ACKED, 0)

    def push(self) -> sync_agent.PushResult | None:
        """Send unacknowledged outbox records to the national node."""
        before = self._acked()
        try:
            result = sync_agent.push_once(self.db, self._channel(), signer(self.config), clock=utcnow,
                                          timeout=self.config.rpc_timeout_s)
        except (grpc.RpcError, sync_agent.SyncError) as exc:
            if self._acked() > before:
                self.progressed = True  # acknowledged records before it broke off: not a reason to back off
            message = _describe(exc)
            if isinstance(exc, grpc.RpcError) and exc.code() == grpc.StatusCode.UNAVAILABLE:  # type: ignore[attr-defined]
                problem = certificate_problem(self.config.pki_dir / "region.crt")
                if problem:
                    message = f"{problem} ({message})"
            log.warning("push to the national node failed: %s", message)
            sync_agent.record_error(self.db, f"push: {message}", utcnow())
            return None
        if result.sent:
            log.info("pushed %d record(s): %d applied, %d duplicate(s), acknowledged up to %d",
                     result.sent, result.applied, result.duplicates, result.high_water)
        return result

    def pull(self) -> sync_agent.PullResult | None:
        """Fetch new downlink items (cross-region cases) from the national node."""
        try:
            result = sync_agent.pull_once(self.db, self._channel(), clock=utcnow, timeout=self.config.rpc_timeout_s)
        except (grpc.RpcError, sync_agent.SyncError) as exc:
            message = _describe(exc)
            log.warning("pull from the national node failed: %s", message)
            sync_agent.record_error(self.db, f"pull: {message}", utcnow())
            return None
        if result.received:
            log.info("received %d downlink item(s), cursor now %d", result.received, result.cursor)
            from regional.monitoring import mark_stale

            with self.db.transaction() as session:  # a blacklist entry may raise a seller's risk
                mark_stale(session, utcnow())
        return result

    def sync(self) -> None:
        """One push, then one pull — unless backing off after failures (exponential, with jitter)."""
        if not self.backoff.ready(time.monotonic()):
            return
        self.progressed = False
        pushed = self.push()
        pulled = self.pull() if pushed is not None else None
        if pulled is not None:
            self.lost_leads()
        if self.progressed:
            self.backoff.succeeded()  # the national node is there: try again at the normal pace
        elif pushed is None or pulled is None:
            delay = self.backoff.failed(time.monotonic(), random.random())
            log.info("national node unreachable or refusing (%d failure(s) in a row); next attempt in %.1f s",
                     self.backoff.failures, delay)
        else:
            self.backoff.succeeded()

    def lost_leads(self) -> None:
        """After a restore the command could not finish: list the leads filed nationally that this database lacks."""
        from regional import lostleads, state
        from sync.v1 import sync_pb2_grpc

        with self.db.read() as session:
            if not lostleads.due(session):
                return
        try:
            found = lostleads.check(self.db, sync_pb2_grpc.FederationSyncStub(self._channel()), now=utcnow(),
                                    actor="worker", timeout=self.config.rpc_timeout_s)
        except lostleads.Unsupported as exc:
            log.warning("%s", exc)
            with self.db.transaction() as session:
                state.put(session, lostleads.NEEDED, 0, utcnow())
            return
        except grpc.RpcError as exc:
            log.warning("reading back this region's leads from the national node failed: %s", _describe(exc))
            return
        if found.missing:
            log.warning("%d lead(s) filed nationally are missing from this database (restored from an older "
                        "backup): listed on the /sync page for officers to import their listings again", found.missing)

    def evidence(self) -> object | None:
        """Witness the national evidence log, fetch inclusion proofs of this region's captures, upload items."""
        from regional.evidence import witness
        from sync.cas import ContentStore

        if not self.evidence_backoff.ready(time.monotonic()):
            return None  # backing off after failures: a national node that is down was logged once a second
        key = signer(self.config).key
        try:
            result = witness.run_once(self.db, self._channel(), self.config.region, key, self.config.pki_dir,
                                      ContentStore(self.config.evidence_dir), clock=utcnow,
                                      timeout=self.config.rpc_timeout_s)
        except (grpc.RpcError, FileNotFoundError, LookupError, ValueError) as exc:
            message = _describe(exc)
            delay = self.evidence_backoff.failed(time.monotonic(), random.random())
            log.warning("evidence witnessing failed (%d failure(s) in a row; next attempt in %.1f s): %s",
                        self.evidence_backoff.failures, delay, message)
            return None
        self.evidence_backoff.succeeded()
        if result.proved or result.uploaded or result.refused:
            log.info("evidence: checkpoint %d co-signed=%s, %d proof(s) kept, %d refused, %d capture(s) uploaded",
                     result.checkpoint_size, result.cosigned, result.proved, result.refused, result.uploaded)
        return result

    def reconcile(self) -> sync_agent.ReconcileResult | None:
        """Compare counts and digests with the national node (daily, and on demand)."""
        try:
            result = sync_agent.reconcile(self.db, self._channel(), clock=utcnow, timeout=self.config.rpc_timeout_s)
        except grpc.RpcError as exc:
            log.warning("reconciliation failed: %s", _describe(exc))
            return None
        if result.divergent:
            log.error("reconciliation: %d of %d range(s) differ from the national node: %s", len(result.divergent),
                      result.ranges_compared, result.divergent[:5])
        else:
            # only what the national node acknowledged is compared (newcomer14 F25: "agree" read as "all in order"
            # while the national node held records this restored copy no longer had)
            log.info("reconciliation: the %d range(s) of records the national node acknowledged agree with its copy",
                     result.ranges_compared)
        return result


def _describe(exc: Exception) -> str:
    if isinstance(exc, grpc.RpcError):
        return f"{exc.code().name}: {exc.details()}"  # type: ignore[attr-defined]
    return str(exc)


def run_worker(config: RegionalConfig) -> None:
    """Run the scheduled jobs until SIGTERM/SIGINT (the worker process only, never web workers)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from regional.jobs import jobs
    from regional.readiness import check_worker

    check_worker(config)  # refuse to start rather than fail on every run
    worker = Worker(config=config, db=Database(config.db_url))
    scheduler = BlockingScheduler(timezone="UTC")
    for job in jobs(config):
        scheduler.add_job(_logged(job.id, getattr(worker, job.method)), "interval", seconds=job.seconds, id=job.id,
                          name=job.name, max_instances=1, coalesce=True, misfire_grace_time=None,
                          **({"next_run_time": utcnow()} if job.immediate else {}))
    _stop_on_signals(scheduler)
    log.info("regional worker %s started with jobs: %s", config.region, ", ".join(j.id for j in jobs(config)))
    scheduler.start()
    worker.db.dispose()


def _logged(job_id: str, run: Callable[[], object]) -> Callable[[], None]:
    """Run a job; log a failure's traceback once, then one line while the same failure repeats."""
    last: list[str] = []

    def job() -> None:
        try:
            run()
        except Exception as exc:  # noqa: BLE001 (a job's failure must not stop the scheduler)
            message = f"{type(exc).__name__}: {exc}"
            if _database_busy(exc):
                # a long CLI import or restore holds SQLite's write lock past the busy timeout: normal, and the
                # next run catches up — a warning, not an ERROR with a traceback (newcomer14 F15)
                log.warning("job %s: the database is busy (a large import running?); it runs again at its next "
                            "turn", job_id)
                return
            if last and last[0] == message:
                log.error("job %s failed again: %s", job_id, message)
            else:
                log.exception("job %s failed: %s", job_id, message)
            last[:] = [message]
        else:
            last.clear()

    job.__name__ = job_id
    return job


def _database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" (another process holds the write lock), however it was wrapped."""
    import sqlite3

    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, sqlite3.OperationalError) and "database is locked" in str(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


def _stop_on_signals(scheduler: object) -> None:
    import signal

    def _stop(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping the scheduler", signum)
        scheduler.shutdown(wait=False)  # type: ignore[attr-defined]

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def run_web(config: RegionalConfig, workers: int = 1) -> None:
    """Serve the regional web UI under gunicorn."""
    from regional.web import create_app
    from regional.web.warmup import warm_regional
    from sync.serving import serve_wsgi

    # each worker does its first requests' one-time work before it serves (newcomer16 N11)
    serve_wsgi(lambda: warm_regional(create_app(config)), config.web_host, config.web_port, config.run_dir, "web",
               workers)
