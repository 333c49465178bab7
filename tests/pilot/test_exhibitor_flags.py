"""Across regions (展会执法维权协作): an exhibitor with an infringement confirmed at a show in 440000 is flagged
when it registers for a show in 330000 — through the national node over real gRPC with mutual TLS, as the
blacklist travels (a record up, a downlink item down)."""

from __future__ import annotations

import sqlalchemy as sa

from national.feed import project_leads
from regional import sync_agent
from regional.actors import Actor
from regional.exhibitions import service
from regional.exhibitions.flags import report_show
from regional.exhibitions.models import Exhibitor, ExhibitorFlag
from regional.models import AuditEntry, OutboxRow
from sync.v1 import sync_pb2
from tests.integration.test_sync_grpc import (
    NOW,
    Net,
    channel_for,
    clock,
    region_db,
    signer_for,
)

BOSS = Actor("wang", frozenset({"supervisor", "officer"}))
EXHIBITOR = {"name": "深圳南山某食品商行", "booth": "A1-01", "uscc": "91440305MA5DC0QX1L", "pledge_signer": "陈经理"}


def show(db, code: str, region: str) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        service.create(s, {"code": code, "name": f"{code} 博览会", "venue": "会展中心", "organiser": "贸促会",
                           "starts_on": "2026-11-20", "ends_on": "2026-11-23"}, region, BOSS, NOW)
        service.add_booths(s, code, None, ["A1-01", "A1-02"], BOSS, NOW)


def test_an_exhibitor_confirmed_infringing_in_one_region_is_flagged_when_it_registers_in_another(net: Net) -> None:  # noqa: F811
    gd, zj = region_db(net, "440000"), region_db(net, "330000")
    show(gd, "GZ-2026", "440000")
    show(zj, "HZ-2027", "330000")
    with gd.transaction() as s:
        service.register(s, "GZ-2026", EXHIBITOR, BOSS, NOW)
        c = service.log_complaint(s, "GZ-2026", "A1-01", {"what": "仿冒康师傅", "complainant": "代理人"}, BOSS, NOW)
        service.handle_complaint(s, "GZ-2026", c.number, "resolve", BOSS, NOW, resolution="withdrawn",
                                 note="已撤展", signer=signer_for(net, "440000"))
    with gd.read() as s:
        kinds = list(s.scalars(sa.select(OutboxRow.kind)))
        assert kinds == ["exhibitor_infringement"]
        assert s.scalar(sa.select(Exhibitor.reported)) == 1
    # nothing more to file: the count did not grow
    assert report_show(gd, signer_for(net, "440000"), "GZ-2026", BOSS, NOW) == 0
    for code, db in (("440000", gd), ("330000", zj)):  # both regions say hello: the national node knows them
        sync_agent.push_once(db, channel_for(net, code), signer_for(net, code), clock=clock)
    with net.national.transaction() as s:
        project_leads(s, NOW)
    got = sync_agent.pull_once(zj, channel_for(net, "330000"), clock=clock)
    assert got.received == 1
    with zj.read() as s:
        flag = s.scalar(sa.select(ExhibitorFlag))
        assert flag is not None and (flag.uscc, flag.region, flag.exhibition_code, flag.infringements) == (
            "91440305MA5DC0QX1L", "440000", "GZ-2026", 1)
    with zj.transaction() as s:
        row = service.register(s, "HZ-2027", {**EXHIBITOR, "booth": "A1-02"}, BOSS, NOW)
        assert [(f["region"], f["exhibition_code"], f["infringements"]) for f in row.flags] == [("440000", "GZ-2026", 1)]
        other = service.register(s, "HZ-2027", {"name": "杭州某茶业", "booth": "A1-01", "uscc": "91330106MA2H12345Q"},
                                 BOSS, NOW)
        assert other.flags == []
    with zj.read() as s:
        assert s.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "exhibitor_flagged")) is not None
    # the hosting region's own pull carries the flag too, and a second pull brings nothing new
    assert sync_agent.pull_once(gd, channel_for(net, "440000"), clock=clock).received == 1
    assert sync_agent.pull_once(zj, channel_for(net, "330000"), clock=clock).received == 0


def test_a_record_breaking_the_limits_is_refused_before_it_is_numbered() -> None:
    from regional import outbox

    record = sync_pb2.Record(uuid="5f1c7a52-3c0e-4e55-9d0b-14a1d0e2c914", revision=1, created_at=NOW.isoformat(),
                             exhibitor_infringement=sync_pb2.ExhibitorInfringement(
                                 exhibitor="某" * 301, exhibition="展", exhibition_code="A\u200bB", ends_on="2026-13-01"))
    problems = outbox.check([record], "440000")
    fields = {str(p) for p in problems}
    assert any("exhibitor" in f and "301" in f for f in fields), fields
    assert any("exhibition_code" in f for f in fields) and any("ends_on" in f for f in fields), fields
