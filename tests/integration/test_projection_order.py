"""Uplink rows become visible in id order, so the lead projection (which reads `id > cursor` and moves its cursor
past what it read) never skips a batch that committed after a later-numbered one.

Seen in the 31-region fault test on PostgreSQL: with four concurrent writers, one region's 170 records (ids
8626..8907) committed after another region's higher ids had been projected; the cursor had moved past them and
they were never projected. SQLite has one writer; PostgreSQL serialises the id-taking part of each store.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from national import ingest
from national import node as national_node
from national.feed import project_leads
from national.models import NationalLead
from sync.db import Database, run_migrations
from sync.envelope import make_batch
from sync.pki import RegionTrust
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC)
REGIONS = ("440000", "330000")
KEYS = {code: ed25519.Ed25519PrivateKey.generate() for code in REGIONS}


def trust(code: str) -> RegionTrust:
    return RegionTrust(code=code, signing_public_key=KEYS[code].public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw), revoked_serials=frozenset(), cert_serial="c1")


def prepared(code: str, n: int) -> ingest.Prepared:
    items = []
    for sequence in range(1, n + 1):
        items.append((sequence, sync_pb2.Record(
            uuid=str(uuid.uuid4()), revision=1, region=code, epoch=1, sequence=sequence, created_at=NOW.isoformat(),
            lead=sync_pb2.Lead(listing_id=f"{code}-{sequence}", right="TM-0000001", type="trademark", score=0.9,
                               reasons=["相似商标"], listing_title="康帅傅 红烧牛肉面", right_title="康师傅",
                               detected_at=NOW.isoformat(), seller=sync_pb2.Seller(name="深圳某商行")),
        ).SerializeToString()))
    who = ingest.Sender(region=code, cert_serial="c1", epoch=1)
    return ingest.prepare_batch(who, trust(code), make_batch(code, 1, items, KEYS[code]), 0)


def project_all(db: Database) -> None:
    with db.transaction() as session:
        while project_leads(session, NOW):
            pass


@pytest.mark.postgres
def test_a_batch_committed_after_a_later_numbered_one_is_still_projected(pg_url: object) -> None:
    url = str(pg_url)
    run_migrations(url, national_node.MIGRATIONS)
    db = Database(url)
    try:
        with db.transaction() as session:
            for code in REGIONS:
                ingest.hello(session, sync_pb2.Hello(region=code, epoch=1), code, NOW)
        first, second = prepared(REGIONS[0], 50), prepared(REGIONS[1], 40)
        stored_first, release_first, second_done = threading.Event(), threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def store_first() -> None:  # stores, then holds its transaction open until told to commit
            try:
                with db.transaction() as session:
                    ingest.store_batch(session, ingest.Sender(REGIONS[0], "c1", 1), first, NOW)
                    stored_first.set()
                    release_first.wait(30)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                stored_first.set()

        def store_second() -> None:
            try:
                with db.transaction() as session:
                    ingest.store_batch(session, ingest.Sender(REGIONS[1], "c1", 1), second, NOW)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            second_done.set()

        one = threading.Thread(target=store_first)
        one.start()
        assert stored_first.wait(30)
        two = threading.Thread(target=store_second)
        two.start()
        second_done.wait(1.5)  # before the fix the second region committed here, with higher ids than the first's
        project_all(db)  # the projection runs while the first transaction is still open
        release_first.set()
        one.join(30)
        two.join(30)
        assert not errors, errors
        project_all(db)
        with db.read() as session:
            projected = {code: session.scalar(sa.select(sa.func.count()).select_from(NationalLead)
                                              .where(NationalLead.region == code)) for code in REGIONS}
        assert projected == {REGIONS[0]: 50, REGIONS[1]: 40}, projected
    finally:
        db.dispose()
