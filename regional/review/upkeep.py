"""The worker's small recurring chores for the officers' workflow (job `review-upkeep`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from regional.review.index import index_missing
from regional.review.queue import fold_tallies
from sync.db import Database

log = logging.getLogger("hufu.regional.review")


def run_upkeep(config: Any, db: Database, clock: Callable[[], dt.datetime]) -> None:
    """Fold tally deltas, index unindexed leads, settle screened complaints, run waiting detection requests."""
    from regional.intake import complaints, requests
    from regional.node import signer

    with db.transaction() as session:
        folded = fold_tallies(session)
        indexed = index_missing(session)
    if indexed:
        log.info("indexed %d lead(s) for search", indexed)
    if folded > 1000:
        log.info("folded %d lead-count delta(s)", folded)
    try:
        record_signer = signer(config)
    except (OSError, ValueError) as exc:  # a node set up without credentials: screening cannot file either
        log.warning("complaints and detection requests wait: the signing key cannot be read (%s)", exc)
        return
    settled = complaints.follow_up(db, record_signer, clock())
    if settled:
        log.info("%d complaint(s) screened", settled)
    if requests.run_waiting(db, record_signer, clock):
        log.info("ran a rights holder's detection request")
    from regional.review.retrain import run_requested

    reports = run_requested(db, config.region, config.data_dir / "models", clock, say=log.info)
    for r in reports or []:
        log.info("retrain %s: %s (%s)", r.model, f"promoted {r.candidate}" if r.promoted else
                 (r.candidate or "no candidate"), r.reason)
