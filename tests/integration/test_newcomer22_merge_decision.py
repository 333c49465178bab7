"""newcomer22 D7: POST /merges/<id> took every decision but "merge" as "different sellers": a request without the
decision (a script, a form posted by Enter from a browser that sends no button, a typo such as `merged`) kept two
sellers apart and, on a confirmed pair, reversed the merge and re-formed its case. Only merge and reject are
decisions now; anything else is a 400 and nothing is recorded."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Flask

from national.models import AuditEntry, MergeReview, MergeStatus, NationalLead
from tests.conftest import web_client
from tests.integration.test_accounts import csrf_of
from tests.integration.test_web_foundation import national_app as _national_app

national_app = _national_app  # a fixture: a national web app on a fresh database
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)


def test_only_merge_or_reject_is_a_decision(national_app: Flask) -> None:
    database = national_app.extensions["hufu_db"]
    with database.transaction() as s:
        leads = [NationalLead(uuid=f"00000000-0000-0000-0000-00000000022{k}", region=region, listing_id=f"n22-{k}",
                              right_number="TM-0012345", type="trademark", score=0.9, model_version="t",
                              received_at=NOW, seller_name=name, seller_phone="13959990022")
                 for k, (region, name) in enumerate([("440000", "瑞飞百货旗舰店"), ("330000", "杭州瑞飞百货")])]
        s.add_all(leads)
        s.flush()
        review = MergeReview(lead_a=leads[0].id, lead_b=leads[1].id, probability=0.6, status=MergeStatus.MERGED,
                             decided_by="zhao", decided_at=NOW, created_at=NOW)
        s.add(review)
        s.flush()
        review_id = review.id
    client = web_client(national_app, "supervisor", "zhao")
    token = csrf_of(client, "/merges")
    for form in ({}, {"decision": ""}, {"decision": "merged"}, {"decision": "MERGE"}):
        answer = client.post(f"/merges/{review_id}", data={**form, "csrf_token": token})
        assert answer.status_code == 400, (form, answer.status_code)
        assert "决定只能是 merge" in answer.get_data(as_text=True)
    with database.read() as s:
        assert s.get(MergeReview, review_id).status is MergeStatus.MERGED  # the confirmed merge stands
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "merge_decided")) == 0
    answer = client.post(f"/merges/{review_id}", data={"decision": "reject", "csrf_token": token})
    assert answer.status_code == 302
    with database.read() as s:
        assert s.get(MergeReview, review_id).status is MergeStatus.REJECTED
