"""The regional worker's scheduled jobs: one declarative list with stable ids."""

from __future__ import annotations

from dataclasses import dataclass

from regional.config import RegionalConfig


@dataclass(frozen=True)
class Job:
    """One scheduled job: a stable id, a human name, the Worker method it runs, its interval."""

    id: str
    name: str
    method: str
    seconds: float
    immediate: bool = True  # run once at start; False: first run one interval after start


def jobs(config: RegionalConfig) -> list[Job]:
    """The jobs the worker runs."""
    return [
        Job("screen-new-listings", "新上线商品筛查 / screen new listings", "screen", config.screen_interval_s),
        Job("sync", "与国家节点同步 / sync with the national node", "sync", config.sync_interval_s),
        # checks often, recomputes only when the lists' inputs changed (or hourly): see regional.monitoring
        Job("monitoring-lists", "高风险名录与易受侵权名录 / monitoring lists", "monitoring", config.screen_interval_s),
        Job("evidence-witness", "存证见证与证明 / witness the national evidence log, keep proofs", "evidence",
            config.sync_interval_s),
        Job("reconcile", "与国家节点对账 / reconcile with the national node", "reconcile", 86400.0),
        Job("review-upkeep", "人工判断队列维护 / review queue upkeep and detection requests", "review_upkeep", 5.0),
        Job("report-counts", "看板计数汇总 / fold the dashboard counts", "report_counts", 10.0),
        # a minute, not an hour: the check is two indexed queries, and a month that begins while a federation is
        # starting (the demo at Beijing midnight on the 31st) has its report within a minute, not up to an hour later
        Job("monthly-report", "月报生成与报送 / file last month's report on the 1st", "monthly_report", 60.0),
        Job("retrain", "基于人工判断重新训练模型 / retrain models on judgements", "retrain",
            config.retrain_interval_days * 86400.0, immediate=False),
    ]
