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
    """Fold tally deltas and index unindexed leads."""
    with db.transaction() as session:
        folded = fold_tallies(session)
        indexed = index_missing(session)
    if indexed:
        log.info("indexed %d lead(s) for search", indexed)
    if folded > 1000:
        log.info("folded %d lead-count delta(s)", folded)
