"""Intake: public complaints (rate limit, honeypot, tracking, screening), rights holders' requests, the feed API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from regional import services
from regional.actors import Actor, Forbidden
from regional.intake import complaints, feed, requests
from regional.models import AuditEntry, LeadRow, ListingRow
from regional.node import MIGRATIONS
from regional.workflow_models import ComplaintRow, DetectionRequest, RequestStatus
from sync.db import Database, run_migrations, sqlite_url
from tests.workflow_data import NOW, REGION, World, build, count

ADMIN = Actor("root", frozenset({"admin"}))
HOLDER = Actor("kangshifu", frozenset({"rights_holder"}))


@pytest.fixture
def world(tmp_path: Path) -> World:
    url = sqlite_url(tmp_path / "node.db")
    run_migrations(url, MIGRATIONS)
    return build(Database(url), 8, agencies=False)


def form(**kw: str) -> complaints.ComplaintForm:
    base = {"what": "有人在网店卖“康帅傅”方便面，包装仿冒康师傅", "url": "https://shop.example.com/item/88",
            "who": "某某食品商行", "contact": "13800138000", "right_hint": "康师傅"}
    base.update(kw)
    return complaints.ComplaintForm(**base)


def test_a_complaint_gets_a_tracking_number_is_screened_and_lands_in_the_queue(world: World) -> None:
    tracking = complaints.submit(world.db, REGION, form(), address="203.0.113.5", now=NOW)
    with world.db.read() as s:
        st = complaints.status(s, tracking)
        assert st is not None and not st.screened
        listing = s.scalars(sa.select(ListingRow).where(ListingRow.source == "complaint",
                                                        ListingRow.id.like("complaint-%"))).one()
        assert listing.title.startswith("有人在网店卖") and listing.screened_at is None
    result = services.screen_pending(world.db, world.signer, now=NOW)  # the worker's screening job
    assert result.screened == 1
    assert complaints.follow_up(world.db, world.signer, NOW) == 1
    with world.db.read() as s:
        st = complaints.status(s, tracking)
        assert st is not None and st.screened and st.leads >= 1
        lead = s.scalars(sa.select(LeadRow).where(LeadRow.listing_id == listing.id)).first()
        assert lead is not None and lead.source.value == "complaint" and lead.right_number == "TM-0012345"
        assert s.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "complaint_received")).one()
        assert complaints.status(s, tracking.lower()) is not None
        assert complaints.status(s, "JB-440000-20261130-XXXXXX") is None
        assert complaints.status(s, "<script>") is None


def test_a_complaint_no_model_matches_but_naming_a_right_still_reaches_an_officer(world: World) -> None:
    tracking = complaints.submit(world.db, REGION, form(what="店里卖的茶叶罐子印着雪碧两个字不太对", right_hint="TM-0020001",
                                                        url="", place="广州市白云区某批发市场"),
                                 address="203.0.113.6", now=NOW)
    services.screen_pending(world.db, world.signer, now=NOW, detector=lambda *_a: [])  # nothing matches
    complaints.follow_up(world.db, world.signer, NOW)
    with world.db.read() as s:
        st = complaints.status(s, tracking)
        assert st is not None and st.leads == 1
        lead = s.scalars(sa.select(LeadRow).where(LeadRow.model_version == "complaint")).one()
        assert (lead.right_number, lead.score, lead.source.value) == ("TM-0020001", 0.0, "complaint")


@pytest.mark.parametrize("kw, field", [
    ({"what": ""}, "what"), ({"url": "", "place": ""}, "url"), ({"url": "javascript:alert(1)"}, "url"),
    ({"what": "x" * 1001}, "what"), ({"contact": "call me maybe"}, "contact"), ({"who": "a\x00b"}, "who"),
])
def test_a_bad_complaint_is_refused_naming_the_field(world: World, kw: dict[str, str], field: str) -> None:
    with pytest.raises(complaints.ComplaintError) as err:
        complaints.submit(world.db, REGION, form(**kw), address="203.0.113.7", now=NOW)
    assert err.value.field == field
    assert count(world.db, ComplaintRow) == 0


def test_the_rate_limit_counts_per_address_and_the_honeypot_stores_nothing(world: World) -> None:
    for _ in range(3):
        complaints.submit(world.db, REGION, form(), address="198.51.100.1", now=NOW, per_hour=3)
    with pytest.raises(complaints.RateLimited):
        complaints.submit(world.db, REGION, form(), address="198.51.100.1", now=NOW, per_hour=3)
    complaints.submit(world.db, REGION, form(), address="198.51.100.2", now=NOW, per_hour=3)  # another address
    complaints.submit(world.db, REGION, form(), address="198.51.100.1", now=NOW + dt.timedelta(hours=1), per_hour=3)
    assert count(world.db, ComplaintRow) == 5
    fake = complaints.submit(world.db, REGION, form(honeypot="http://spam.example"), address="198.51.100.9", now=NOW)
    assert fake.startswith("JB-") and count(world.db, ComplaintRow) == 5
    with world.db.read() as s:
        assert complaints.status(s, fake) is None


def test_a_rights_holder_requests_a_screening_of_its_own_rights_and_sees_the_results(world: World) -> None:
    with pytest.raises(Forbidden, match="not tied"):
        requests.request_screening(world.db, ["TM-0012345"], actor=HOLDER, now=NOW)
    with world.db.transaction() as s, pytest.raises(requests.RequestError, match="no rights-holder account"):
        requests.set_holder(s, "kangshifu", "顶益（开曼岛）控股有限公司", ADMIN, NOW)  # no such account yet
    from regional.accounts import service as accounts
    from regional.web import ACCOUNTS

    with world.db.transaction() as s:
        accounts.add_user(s, ACCOUNTS, "kangshifu", "rights_holder", "Correct-horse-9", actor=ADMIN, now=NOW)
    with world.db.transaction() as s:
        requests.set_holder(s, "kangshifu", "顶益（开曼岛）控股有限公司", ADMIN, NOW)
    with pytest.raises(requests.RequestError, match="not registered to"):
        requests.request_screening(world.db, ["TM-0020001"], actor=HOLDER, now=NOW)
    with pytest.raises(Forbidden):
        requests.request_screening(world.db, ["TM-0012345"], actor=ADMIN, now=NOW)
    row = requests.request_screening(world.db, ["TM-0012345"], actor=HOLDER, now=NOW)
    assert row.status is RequestStatus.QUEUED

    assert requests.run_waiting(world.db, world.signer, lambda: NOW) == 1
    with world.db.read() as s:
        done = s.scalars(sa.select(DetectionRequest)).one()
        assert done.status is RequestStatus.DONE and done.total == done.done > 0
        seen = requests.results(s, HOLDER)
        assert seen and {r.right for r in seen} == {"TM-0012345"}
        actions = set(s.scalars(sa.select(AuditEntry.action)))
    assert {"detection_requested", "detection_launched", "detection_request_done"} <= actions


def test_the_feed_api_stores_a_good_post_and_rejects_a_bad_one_whole(world: World) -> None:
    good = [{"id": "feed-1", "title": "康帅傅 红烧牛肉面", "price": 9.9, "url": "https://item.example/1"},
            {"id": "feed-2", "title": "保温杯", "seller": {"name": "某店", "uscc": "91440305MA5DC0QX1L"}}]
    result = feed.post_listings(world.db, json.dumps(good, ensure_ascii=False).encode(), actor="token:taobao",
                                now=NOW)
    assert (result.created, result.updated) == (2, 0)
    bad = "\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "feed-3", "title": "ok"}, {"id": "feed-4", "title": "bad", "price": -5}])
    with pytest.raises(services.ImportRejected) as err:
        feed.post_listings(world.db, bad.encode(), actor="token:taobao", now=NOW)
    assert err.value.errors[0].line == 2 and err.value.errors[0].field == "price"
    assert count(world.db, ListingRow, ListingRow.id.like("feed-%")) == 2
    with pytest.raises(feed.FeedError, match="at most"):
        feed.post_listings(world.db, b"x" * (feed.MAX_BYTES + 1), actor="token:taobao", now=NOW)
    with pytest.raises(feed.FeedError, match="no listing"):
        feed.post_listings(world.db, b"  \n", actor="token:taobao", now=NOW)
    # newcomer15 F19: 10,001 listings, each line ending in a newline, were taken ("at most 10,000 per post")
    many = b"".join(b'{"id":"m%d","title":"t"}\n' % i for i in range(feed.MAX_RECORDS + 1))
    with pytest.raises(feed.FeedError, match="at most 10000 per post"):
        feed.post_listings(world.db, many, actor="token:taobao", now=NOW)
    assert count(world.db, ListingRow, ListingRow.id.like("m%")) == 0
