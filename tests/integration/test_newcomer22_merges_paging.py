"""newcomer22 D6: the national merge-review queue (/merges) listed the first 300 pairs and nothing else: with more,
the rest (open pairs of lower probability among them) could not be reached, and the page did not say more existed.
It now counts the pairs (and the open ones) and pages through them, open pairs first."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from national.models import MergeReview, MergeStatus, NationalLead
from tests.conftest import web_client
from tests.integration.test_web_foundation import national_app as _national_app

national_app = _national_app  # a fixture: a national web app on a fresh database
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
MERGE_PAGE = 300  # national/web/blueprints/merges.py MERGE_PAGE (main capped the list at 300)


def test_the_merge_queue_counts_and_pages_beyond_300_pairs(national_app: Flask) -> None:
    database = national_app.extensions["hufu_db"]
    n = MERGE_PAGE + 20
    with database.transaction() as s:
        leads = [NationalLead(uuid=f"00000000-0000-0000-0000-{k:012d}", region="440000" if k % 2 else "330000",
                              listing_id=f"n22-{k}", right_number="TM-0012345", type="trademark", score=0.9,
                              model_version="t", received_at=NOW, seller_name=f"瑞飞百货{k}号店",
                              seller_phone=f"1395999{k:04d}") for k in range(2 * n)]
        s.add_all(leads)
        s.flush()
        # 10 decided pairs and n - 10 open ones, probabilities falling: the lowest open ones were past the cap
        s.add_all(MergeReview(lead_a=leads[2 * k].id, lead_b=leads[2 * k + 1].id, probability=0.9 - k * 0.001,
                              status=MergeStatus.REJECTED if k < 10 else MergeStatus.PENDING, created_at=NOW)
                  for k in range(n))
    client = web_client(national_app, "supervisor", "zhao")
    first = client.get("/merges").get_data(as_text=True)
    assert f"共 {n} 对，其中 {n - 10} 对待审核。" in first
    assert first.count("data-review=") == MERGE_PAGE
    assert 'href="?page=2"' in first and "1 / 2" in first
    second = client.get("/merges?page=2").get_data(as_text=True)
    assert second.count("data-review=") == n - MERGE_PAGE
    seen = set(re.findall(r'data-review="(\d+)"', first)) | set(re.findall(r'data-review="(\d+)"', second))
    assert len(seen) == n  # every pair reachable, none twice
    # the open pairs come first: the second page ends with the 10 decided ones
    assert second.count("待审核") >= n - MERGE_PAGE - 10
    assert client.get("/merges?page=0").status_code == 400
    english = client.get("/merges?lang=en").get_data(as_text=True)
    assert f"{n} pairs, {n - 10} of them waiting for a decision." in english
