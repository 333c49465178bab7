"""The national worker's jobs run even when they start late (APScheduler's default 1 s grace skips them)."""

from __future__ import annotations

from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from national.config import NationalConfig
from national.node import worker_scheduler
from sync.db import Database, sqlite_url


def test_every_national_job_runs_however_late_it_starts_and_late_runs_coalesce(tmp_path: Path) -> None:
    config = NationalConfig(data_dir=tmp_path, pki_dir=tmp_path / "pki")
    db = Database(sqlite_url(tmp_path / "n.db"))
    scheduler = worker_scheduler(db, config, BackgroundScheduler(timezone="UTC"))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert {"form-cases", "evidence-log", "purge-feeds", "report-counts", "monthly-report"} <= set(jobs)
    for job in jobs.values():
        assert job.misfire_grace_time is None, job.id
        assert job.coalesce, job.id
        assert job.max_instances == 1, job.id
    db.dispose()
