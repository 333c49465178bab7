"""Evidence on PostgreSQL: concurrent captures share one gap-free region log, and the national log,
its checkpoints, witnessing and proofs work on a real server (READ COMMITTED)."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
import sqlalchemy as sa

from national.config import NationalConfig
from national.grpc_server import build_server
from national.node import MIGRATIONS as NATIONAL_MIGRATIONS
from national.node import evidence_once
from regional import outbox, services, sync_agent
from regional.evidence import witness
from regional.evidence.capture import Capturer, recapture
from regional.models import EvidenceCapture, EvidenceLogNode, LeadRow, ProofStatus
from regional.node import MIGRATIONS as REGIONAL_MIGRATIONS
from sync import merkle, note
from sync.cas import ContentStore
from sync.db import Database, run_migrations
from sync.evidence import manifest_leaf
from sync.pki import init_ca, issue_region
from sync.transport import client_channel
from tests.integration.test_evidence_log import NOW, detect_all

pytestmark = pytest.mark.postgres


def test_concurrent_captures_on_postgresql_build_one_consistent_log_that_the_national_node_proves(
        pg_server, tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    pki = tmp_path / "pki"
    init_ca(pki)
    issue_region(pki, "440000")
    rurl = pg_server.create_database(pg_server.unique_name(request.node.name + "_r"))
    nurl = pg_server.create_database(pg_server.unique_name(request.node.name + "_n"))
    run_migrations(rurl, REGIONAL_MIGRATIONS)
    run_migrations(nurl, NATIONAL_MIGRATIONS)
    db = Database(rurl)
    creds = pki / "regions" / "440000"
    evidence = tmp_path / "evidence"
    signer = outbox.Signer.from_file("440000", creds / "signing.key", evidence_dir=evidence)
    listings = tmp_path / "l.jsonl"
    listings.write_text("".join(json.dumps({"id": f"tb-{i}", "title": f"康帅傅 {i}"}) + "\n" for i in range(8)),
                        encoding="utf-8")
    services.import_listings(db, listings, actor="t", now=NOW, evidence_dir=evidence)
    from regional.models import RegistryRight

    with db.transaction() as s:
        s.add(RegistryRight(number="TM-1", kind="trademark", title="康师傅", owner="顶益", status="registered"))
    services.screen_pending(db, signer, now=NOW, detector=detect_all)
    with db.read() as s:
        leads = list(s.scalars(sa.select(LeadRow.uuid)))
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def officer(i: int) -> None:
        try:
            start.wait(timeout=30)
            for k in range(5):
                with db.transaction() as s:
                    records = recapture(s, Capturer.at("440000", signer.key, evidence), leads[(i + k) % len(leads)],
                                        now=NOW + dt.timedelta(seconds=k), actor=f"officer-{i}")
                    outbox.append_many(s, signer, records, NOW)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with db.read() as s:
        caps = list(s.scalars(sa.select(EvidenceCapture).order_by(EvidenceCapture.log_index)))
        leaves = {i: h for i, h in s.execute(sa.select(EvidenceLogNode.index, EvidenceLogNode.hash)
                                             .where(EvidenceLogNode.level == 0))}
    assert [c.log_index for c in caps] == list(range(8 + 20)), "gap-free, no index handed out twice"
    tree = merkle.MemoryTree()
    for c in caps:
        assert leaves[c.log_index] == manifest_leaf(c.manifest)
        tree.append(manifest_leaf(c.manifest))
        head = note.parse_checkpoint(note.parse_note(c.region_head).text)
        assert (head.size, head.root) == (tree.size, tree.root()), "every signed head is the log as it stood"
    # the national node on PostgreSQL logs them all, and the region proves every one
    ncfg = NationalConfig(data_dir=tmp_path / "national", database_url=nurl, pki_dir=pki)
    ndb = Database(nurl)
    server, port = build_server(ndb, pki, "127.0.0.1", 0, workers=2, evidence_dir=ncfg.evidence_dir)
    server.start()
    try:
        ch = client_channel(f"127.0.0.1:{port}", creds / "ca.crt", creds / "region.crt", creds / "region.key")
        sync_agent.push_once(db, ch, signer, clock=lambda: NOW)
        evidence_once(ndb, ncfg)
        witness.run_once(db, ch, "440000", signer.key, creds, ContentStore(evidence), clock=lambda: NOW)
    finally:
        server.stop(grace=None)
    with db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(EvidenceCapture)
                        .where(EvidenceCapture.status == ProofStatus.LOGGED)) == 28
    db.dispose()
    ndb.dispose()
