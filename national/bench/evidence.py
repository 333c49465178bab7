"""`hufu bench evidence`: captures per second with proofs, and proofs at 10 million leaves.

Part 1 — captures with proofs, on real SQLite databases (a region and the national node):
each capture's stages are timed on their own — the region's capture in the lead's
transaction (items stored, manifest signed, region log appended, head signed, outbox
record), the national node logging it and signing a checkpoint, the inclusion proof made,
and the region verifying it. Filing the records travels through the ordinary sync (its
cost is `hufu bench sync`) and is not charged here. Baseline, in the same run: what a
competent engineer would do without a transparency log — store the same items
content-addressed and sign each manifest (a signed record per capture, as a time-stamping
service would), verified by checking the signature.

Part 2 — proofs at scale, on a simulated tree of 10 million leaves (leaf i is the hash of
its index; every inner node really computed): inclusion and consistency proof sizes and
verification times, against the blockchain-style baseline the issue compares with — a hash
chain, where proving an entry means handing over and re-hashing every entry after it.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options."""
    parser.add_argument("--captures", type=int, default=2000, help="captures per repeat (default 2000)")
    parser.add_argument("--leaves", type=int, default=10_000_000, help="size of the simulated tree (default 10M)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each measurement (default 3)")
    parser.add_argument("--proofs", type=int, default=2000, help="proofs verified per repeat at scale (default 2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON line last")


def _say(msg: str) -> None:
    print(f"[bench evidence {dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


# ---------------------------------------------------------------- part 1: captures with proofs


def _world(root: Path, n: int):  # type: ignore[no-untyped-def]
    """A region with n listings (each carrying a page capture) and n leads; a national node; keys."""
    from national.config import NationalConfig
    from national.node import MIGRATIONS as NATIONAL
    from regional import outbox, services
    from regional.domain import LeadState, LeadType
    from regional.models import LeadRow, ListingRow, RegistryRight
    from regional.node import MIGRATIONS as REGIONAL
    from sync.db import Database, run_migrations, sqlite_url
    from sync.pki import init_ca, issue_region

    pki = root / "pki"
    init_ca(pki, force=True)
    creds = issue_region(pki, "440000")
    rurl = sqlite_url(root / "region.db")
    run_migrations(rurl, REGIONAL)
    ncfg = NationalConfig.load(root / "national", env={}, pki_dir=pki)
    ncfg.data_dir.mkdir(parents=True, exist_ok=True)
    run_migrations(ncfg.db_url, NATIONAL)
    page = base64.b64encode(os.urandom(2048)).decode()
    listings = root / "listings.jsonl"
    with open(listings, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"tb-{i}", "title": f"康帅傅 红烧牛肉面 {i}", "url": f"https://shop.example/{i}",
                                 "attachments": [{"name": "page.html", "media_type": "text/html",
                                                  "data_base64": page}]}) + "\n")
    db = Database(rurl)
    services.import_listings(db, listings, actor="bench", now=NOW, evidence_dir=root / "evidence")
    with db.transaction() as s:
        s.add(RegistryRight(number="TM-1", kind="trademark", title="康师傅", owner="顶益", status="registered"))
        for i in range(n):
            s.add(LeadRow(uuid=f"00000000-0000-4000-8000-{i:012d}", listing_id=f"tb-{i}", right_number="TM-1",
                          type=LeadType.TRADEMARK, score=0.9, reasons=["bench"], model_version="b-1",
                          state=LeadState.NEW, created_at=NOW))
    signer = outbox.Signer.from_file("440000", creds.signing_key, evidence_dir=root / "evidence")
    return db, signer, ncfg, pki, ListingRow


def _captures_with_proofs(n: int) -> dict[str, float]:
    """One repeat: seconds per stage for n captures, and the baseline's seconds."""
    import grpc  # noqa: F401  (imported for the in-process server below)
    import sqlalchemy as sa

    from national import evidence as nev
    from national.grpc_server import build_server
    from national.models import NationalCheckpoint
    from regional import outbox, sync_agent
    from regional.evidence.capture import Capturer, capture
    from regional.models import EvidenceCapture, LeadRow, ListingRow, RegistryRight
    from sync import merkle
    from sync.cas import ContentStore
    from sync.db import Database
    from sync.evidence import canonical_json, manifest_leaf, manifest_signature_ok, sign_manifest
    from sync.pki import ensure_log_key, load_trust
    from sync.transport import client_channel
    from sync.v1 import sync_pb2

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="hufu-bench-evidence-") as tmp:
        root = Path(tmp)
        db, signer, ncfg, pki, _ = _world(root, n)
        cap = Capturer.at("440000", signer.key, root / "evidence")
        with db.read() as s:
            rows = list(s.execute(sa.select(LeadRow, ListingRow).join(ListingRow, LeadRow.listing_id == ListingRow.id)
                                  .order_by(LeadRow.id)))
        t = time.perf_counter()
        for start in range(0, n, 500):
            with db.transaction() as s:
                right = s.scalar(sa.select(RegistryRight))
                chunk = [(lead, listing, None, right) for lead, listing in s.execute(
                    sa.select(LeadRow, ListingRow).join(ListingRow, LeadRow.listing_id == ListingRow.id)
                    .order_by(LeadRow.id).offset(start).limit(500))]
                outbox.append_many(s, signer, capture(s, cap, chunk, now=NOW), NOW)
        out["capture"] = time.perf_counter() - t
        # filing: the ordinary sync over mutual TLS (not charged: `hufu bench sync` measures it)
        ndb = Database(ncfg.db_url)
        server, port = build_server(ndb, pki, "127.0.0.1", 0, workers=2, evidence_dir=ncfg.evidence_dir)
        server.start()
        d = pki / "regions" / "440000"
        ch = client_channel(f"127.0.0.1:{port}", d / "ca.crt", d / "region.crt", d / "region.key")
        sync_agent.push_once(db, ch, signer, clock=lambda: NOW)
        ch.close()
        server.stop(grace=None)
        t = time.perf_counter()
        with ndb.transaction() as s:
            while nev.log_manifests(s, load_trust(pki), NOW).logged:
                pass
            nev.issue_checkpoint(s, ensure_log_key(pki), NOW)
        out["national_log"] = time.perf_counter() - t
        with ndb.read() as s:
            cp = s.scalar(sa.select(NationalCheckpoint))
            assert cp is not None and cp.size == n, "every capture logged"
            t = time.perf_counter()
            proofs = []
            for start in range(0, n, 1000):
                reply = nev.proofs_for(s, "440000", sync_pb2.ProofRequest(
                    checkpoint_size=cp.size, region_indexes=list(range(start, min(n, start + 1000)))))
                proofs.extend(reply.proofs)
            out["prove"] = time.perf_counter() - t
            size, root_hash = cp.size, cp.root
        with db.read() as s:
            manifests = {c.log_index: c.manifest for c in s.scalars(sa.select(EvidenceCapture))}
        t = time.perf_counter()
        for p in proofs:
            merkle.verify_inclusion(p.leaf_index, size, manifest_leaf(manifests[p.region_index]), list(p.path),
                                    root_hash)
        out["verify"] = time.perf_counter() - t
        out["proof_bytes"] = statistics.mean(32 * len(p.path) for p in proofs)
        ndb.dispose()
        # baseline: the same items stored, each manifest signed and kept in its own row; verifying = the signature
        store = ContentStore(root / "baseline-evidence")
        from regional.models import AuditEntry

        t = time.perf_counter()
        signed: list[tuple[bytes, bytes]] = []
        filed: list[sync_pb2.Record] = []
        for start in range(0, n, 500):
            with db.transaction() as s, store.batch():  # the same group flush as the capture gets
                for lead, listing in rows[start:start + 500]:
                    record = canonical_json({"id": listing.id, "title": listing.title, "url": listing.url})
                    detection = canonical_json({"lead": lead.uuid, "score": lead.score, "reasons": lead.reasons})
                    items = [store.put(record), store.put(detection)]
                    manifest = canonical_json({"lead": lead.uuid, "items": items, "captured_at": NOW.isoformat()})
                    store.put(manifest)
                    sig = sign_manifest(manifest, signer.key)
                    s.add(AuditEntry(at=NOW, actor="bench", action="signed_manifest",
                                     detail={"manifest": manifest.decode(), "signature": sig.hex()}))
                    filed.append(sync_pb2.Record(uuid=str(uuid.uuid4()), revision=1, evidence_digest=sync_pb2.EvidenceDigest(
                        lead_uuid=lead.uuid, sha256=hashlib.sha256(manifest).hexdigest(), manifest=manifest,
                        manifest_signature=sig)))
                    signed.append((manifest, sig))
                outbox.append_many(s, signer, filed, NOW)  # filed with the national node like a capture
                filed = []
        out["baseline_capture"] = time.perf_counter() - t
        pub = signer.key.public_key()
        from sync.note import raw_public

        raw = raw_public(pub)
        t = time.perf_counter()
        for manifest, sig in signed:
            assert manifest_signature_ok(manifest, sig, raw)
        out["baseline_verify"] = time.perf_counter() - t
        db.dispose()
    return out


# ---------------------------------------------------------------- part 2: 10 million leaves


def _leaf(i: int) -> bytes:
    return hashlib.sha256(b"\x00" + i.to_bytes(8, "big")).digest()


def _build_levels(n: int) -> list[bytes]:
    """levels[k] = the concatenated hashes of the perfect subtrees at level k >= 1 (level 0 is computed on demand)."""
    sha = hashlib.sha256
    levels: list[bytes] = [b""]
    below = b"".join(_leaf(i) for i in range(n - n % 2))
    while len(below) >= 64:
        cur = b"".join(sha(b"\x01" + below[j:j + 64]).digest() for j in range(0, len(below) - 63, 64))
        levels.append(cur)
        below = cur
    return levels


def _reader(levels: list[bytes]) -> Callable[[int, int], bytes]:
    def read(level: int, index: int) -> bytes:
        if level == 0:
            return _leaf(index)
        return levels[level][index * 32:(index + 1) * 32]

    return read


def _at_scale(n: int, proofs: int, repeats: int) -> dict[str, object]:
    from sync import merkle

    _say(f"building a simulated tree of {n:,} leaves (every inner node computed)")
    t = time.perf_counter()
    levels = _build_levels(n)
    build = time.perf_counter() - t
    read = _reader(levels)
    root = merkle.root(read, n)
    rng = random.Random(7)
    inc_gen, inc_ver, con_ver = [], [], []
    inc_size, con_size = [], []
    for _ in range(repeats):
        picks = [rng.randrange(n) for _ in range(proofs)]
        t = time.perf_counter()
        paths = [merkle.inclusion_proof(read, i, n) for i in picks]
        inc_gen.append((time.perf_counter() - t) / proofs)
        t = time.perf_counter()
        for i, p in zip(picks, paths, strict=True):
            merkle.verify_inclusion(i, n, _leaf(i), p, root)
        inc_ver.append((time.perf_counter() - t) / proofs)
        inc_size.append(statistics.mean(32 * len(p) for p in paths))
        olds = [rng.randrange(1, n) for _ in range(max(1, proofs // 10))]
        cons = [(m, merkle.root(read, m), merkle.consistency_proof(read, m, n)) for m in olds]
        t = time.perf_counter()
        for m, old_root, p in cons:
            merkle.verify_consistency(m, n, old_root, root, p)
        con_ver.append((time.perf_counter() - t) / len(cons))
        con_size.append(statistics.mean(32 * len(p) for _m, _r, p in cons))
    # baseline: a hash chain (blockchain style) — proving entry i means re-hashing every entry after it
    _say("baseline: hash chain over the same leaves")
    chain_times = []
    chain_sizes = []
    for _ in range(repeats):
        i = rng.randrange(n)
        t = time.perf_counter()
        h = hashlib.sha256(b"chain" + _leaf(i)).digest()
        for j in range(i + 1, n):
            h = hashlib.sha256(h + _leaf(j)).digest()
        chain_times.append(time.perf_counter() - t)
        chain_sizes.append(32 * (n - i))
    return {"leaves": n, "build_s": build, "inclusion_generate_s": _stats(inc_gen), "inclusion_verify_s": _stats(inc_ver),
            "inclusion_bytes": statistics.median(inc_size), "consistency_verify_s": _stats(con_ver),
            "consistency_bytes": statistics.median(con_size), "chain_verify_s": _stats(chain_times),
            "chain_bytes": statistics.median(chain_sizes)}


def run(args: argparse.Namespace) -> int:
    """Run both parts, print the tables and, with --json, one JSON line last."""
    if args.captures < 1 or args.leaves < 2 or args.repeats < 1 or args.proofs < 1:
        print("hufu bench evidence: --captures, --proofs and --repeats must be >= 1, --leaves >= 2", file=sys.stderr)
        return 2
    load = os.getloadavg()
    _say(f"machine load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} core(s)")
    runs = []
    for r in range(args.repeats):
        _say(f"captures with proofs: repeat {r + 1}/{args.repeats}, {args.captures:,} captures")
        runs.append(_captures_with_proofs(args.captures))
    n = args.captures
    per_stage = {k: _stats([run[k] for run in runs]) for k in runs[0]}
    total = [sum(run[k] for k in ("capture", "national_log", "prove", "verify")) for run in runs]
    with_proofs = _stats([n / t for t in total])
    baseline = _stats([n / (run["baseline_capture"] + run["baseline_verify"]) for run in runs])
    print(f"captures with proofs ({n:,} per repeat, {args.repeats} repeats; median [min, max])")
    print(f"{'stage':44}{'seconds':>24}")
    for key, label in (("capture", "region: capture in the lead's transaction"),
                       ("national_log", "national: check, log, sign checkpoint"),
                       ("prove", "national: make inclusion proofs"),
                       ("verify", "region: verify inclusion proofs")):
        med, lo, hi = per_stage[key]
        print(f"{label:44}{med:>10.3f} [{lo:.3f}, {hi:.3f}]")
    print(f"{'captures per second, with proofs':44}{with_proofs[0]:>10,.0f} [{with_proofs[1]:,.0f}, {with_proofs[2]:,.0f}]")
    print(f"{'baseline: signed manifests, no log (per s)':44}{baseline[0]:>10,.0f} [{baseline[1]:,.0f}, {baseline[2]:,.0f}]")
    print(f"{'inclusion proof at this size (bytes)':44}{per_stage['proof_bytes'][0]:>10,.0f}")
    scale = _at_scale(args.leaves, args.proofs, args.repeats)
    print(f"\nproofs at {scale['leaves']:,} leaves (simulated tree built in {scale['build_s']:.1f} s)")
    print(f"{'':36}{'Merkle log (RFC 6962)':>26}{'hash chain baseline':>26}")
    iv, cv, ch = scale["inclusion_verify_s"], scale["consistency_verify_s"], scale["chain_verify_s"]
    ig = scale["inclusion_generate_s"]
    print(f"{'proof of one entry (bytes)':36}{scale['inclusion_bytes']:>26,.0f}{scale['chain_bytes']:>26,.0f}")
    print(f"{'verify one entry (ms), median':36}{iv[0] * 1e3:>26.4f}{ch[0] * 1e3:>26.1f}")  # type: ignore[index]
    print(f"{'   min / max (ms)':36}{f'{iv[1] * 1e3:.4f} / {iv[2] * 1e3:.4f}':>26}"  # type: ignore[index]
          f"{f'{ch[1] * 1e3:.0f} / {ch[2] * 1e3:.0f}':>26}")  # type: ignore[index]
    print(f"{'make one inclusion proof (ms)':36}{ig[0] * 1e3:>26.4f}{'-':>26}")  # type: ignore[index]
    print(f"{'consistency proof (bytes)':36}{scale['consistency_bytes']:>26,.0f}{'whole chain':>26}")
    print(f"{'verify consistency (ms), median':36}{cv[0] * 1e3:>26.4f}{'-':>26}")  # type: ignore[index]
    if args.json:
        print(json.dumps({
            "captures": n, "repeats": args.repeats, "captures_per_s_with_proofs": round(with_proofs[0], 1),
            "baseline_signed_manifests_per_s": round(baseline[0], 1),
            "stage_s": {k: round(v[0], 4) for k, v in per_stage.items() if k != "proof_bytes"},
            "leaves": scale["leaves"], "inclusion_proof_bytes": scale["inclusion_bytes"],
            "inclusion_verify_ms": round(iv[0] * 1e3, 5), "consistency_proof_bytes": scale["consistency_bytes"],  # type: ignore[index]
            "consistency_verify_ms": round(cv[0] * 1e3, 5), "chain_proof_bytes": scale["chain_bytes"],  # type: ignore[index]
            "chain_verify_ms": round(ch[0] * 1e3, 1)}))  # type: ignore[index]
    return 0
