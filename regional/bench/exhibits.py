"""`hufu bench exhibits`: pre-show screening throughput of filed exhibits (issue 14).

What is timed, per repeat, on a fresh SQLite node with the generated registry of one region:

* **ours — filing**: `exhibitions.service.file_exhibits` of N exhibits (checks, exhibit rows and their
  screened records, one transaction);
* **ours — pre-show screening**: `exhibitions.service.screen` of the show (the four models over every
  exhibit, leads, outbox records, audit);
* **baseline**: the path a competent engineer would reuse as is — the same records imported as a
  listings file (`services.import_listings`) and screened by the generic `services.screen_pending`;
* **models only**: the detection engine on the same records in memory (no database), the floor both
  pipelines stand on.

Every timed screening builds the engine for the registry afresh (the process-wide engine of the last
registry is forgotten before each), so no tool profits from another's work.

Each tool is charged only for its own work (node set-up, registry import and show/exhibitor creation
are outside the clocks). Prints the machine load, a table of exhibits/s as median (min–max) over the
repeats, and with --json one JSON line last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The bench's options."""
    parser.add_argument("--exhibits", type=int, default=2000, help="filed exhibits per run (default 2000)")
    parser.add_argument("--booths", type=int, default=200, help="booths (one exhibitor each) the exhibits spread over "
                                                                "(default 200)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each tool; median, min, max (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated registry and records (default 7)")
    parser.add_argument("--json", action="store_true", help="print one JSON line with every figure last")


def _timed(func: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = func()
    return out, time.perf_counter() - t0


def _rate(count: int, times: list[float]) -> dict[str, float]:
    return {"median": round(count / statistics.median(times), 1), "min": round(count / max(times), 1),
            "max": round(count / min(times), 1), "seconds_median": round(statistics.median(times), 3)}


def _world(n: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from regional.sampledata import generate_federation

    sample = generate_federation(["440000"], seed=seed, listings_per_region=n)["440000"]
    return sample.registry, sample.listings[:n]


def _node(tmp: Path, registry_path: Path) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional import outbox, services
    from regional.node import MIGRATIONS
    from sync.db import Database, run_migrations, sqlite_url

    url = sqlite_url(tmp / "node.db")
    run_migrations(url, MIGRATIONS)
    db = Database(url)
    services.import_registry(db, registry_path, actor="bench", now=dt.datetime.now(dt.UTC))
    return db, outbox.Signer(region="440000", key=ed25519.Ed25519PrivateKey.generate())


def _cold() -> None:
    """Forget the engine built for the last registry, so every timed screening builds its own (the same work)."""
    from regional.detection import engine

    engine._last = None


def _warm_up(registry: list[dict[str, Any]], now: dt.datetime) -> None:
    from regional.detection.engine import detect
    from regional.domain import Listing, Right, RightKind

    marks = [Right(kind=RightKind.TRADEMARK, number=r["reg_no"], title=r["mark"], owner=r["owner"], status="registered",
                   nice_classes=tuple(r.get("nice_classes") or ())) for r in registry if r.get("kind") == "trademark"]
    detect(marks[:5], [], [Listing(id="warm", title="康帅傅 红烧牛肉面", nice_classes=(30,))], as_of=now.date())


def run(args: argparse.Namespace) -> int:
    """Run the bench; exit 0."""
    from regional import services
    from regional.actors import Actor
    from regional.detection.engine import detect
    from regional.domain import Licence, Right, RightKind
    from regional.exhibitions import core, service
    from regional.formats.jsonl import write_jsonl

    n, booths = max(1, args.exhibits), max(1, min(args.booths, args.exhibits))
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"load average {load[0]} {load[1]} {load[2]} on {os.cpu_count()} CPU(s); {n} exhibits on {booths} booths, "
          f"{args.repeats} repeat(s)", flush=True)
    registry, records = _world(n, args.seed)
    actor = Actor("bench", frozenset({"supervisor", "officer", "admin"}))
    now = dt.datetime.now(dt.UTC)
    items = []
    for i, rec in enumerate(records):
        items.append((i + 1, core.check_exhibit({
            "id": f"E{i:06d}", "booth": f"B{i % booths:04d}", "product": rec["title"][:500],
            "description": (rec.get("description") or "")[:4000] or None,
            "nice_classes": rec.get("nice_classes") or []})))
    filing, screening, baseline_import, baseline_screen, models = [], [], [], [], []
    _warm_up(registry, now)  # the engine's tables load once per process: charged to no tool
    leads = baseline_leads = 0
    with tempfile.TemporaryDirectory(prefix="hufu-bench-exhibits-") as tmpdir:
        tmp = Path(tmpdir)
        registry_path = tmp / "registry.jsonl"
        write_jsonl(registry_path, registry)
        listings_path = tmp / "listings.jsonl"
        seller_of: dict[int, str] = {}
        address_of: dict[int, str] = {}
        for r in range(args.repeats + 1):  # run 0 warms the process (statement caches, division tables): not counted
            run_dir = tmp / f"ours-{r}"
            run_dir.mkdir()
            db, signer = _node(run_dir, registry_path)
            with db.transaction() as s:  # noqa: B023 - called at once
                service.create(s, {"code": "BENCH", "name": "基准展会", "venue": "会展中心", "organiser": "主办方",
                                   "starts_on": "2026-12-10", "ends_on": "2026-12-13"}, "440000", actor, now)
                service.add_booths(s, "BENCH", None, [f"B{b:04d}" for b in range(booths)], actor, now)
                for b in range(booths):
                    src = records[b % len(records)].get("seller") or {}
                    name = f"参展企业{b:04d}"
                    seller_of[b], address_of[b] = name, src.get("address") or ""
                    service.register(s, "BENCH", {"name": name, "booth": f"B{b:04d}", "address": address_of[b],
                                                  "pledge_signer": "代表"}, actor, now)

            def file() -> Any:
                with db.transaction() as s:  # noqa: B023 - called at once
                    return service.file_exhibits(s, "BENCH", items, actor, now, file="bench")

            result, seconds = _timed(file)
            assert not result.errors, result.errors[:3]
            if r:
                filing.append(seconds)
            _cold()
            screened, seconds = _timed(lambda: service.screen(db, signer, "BENCH", actor, now))  # noqa: B023 - called at once
            if r:
                screening.append(seconds)
            leads = screened.leads
            db.dispose()
            # the baseline: the same records as a listings file through the generic import and screening
            base_dir = tmp / f"base-{r}"
            base_dir.mkdir()
            bdb, bsigner = _node(base_dir, registry_path)
            write_jsonl(listings_path, [
                {"id": core.listing_id("BENCH", x.booth, x.number), "title": x.product, "source": "exhibition",
                 "platform": "BENCH", "description": x.description, "nice_classes": list(x.nice_classes),
                 "seller": {"name": seller_of[int(x.booth[1:]) % booths],
                            "address": address_of[int(x.booth[1:]) % booths] or None}}
                for _line, x in items])
            _res, seconds = _timed(lambda: services.import_listings(bdb, listings_path, actor="bench", now=now))  # noqa: B023 - called at once
            if r:
                baseline_import.append(seconds)
            _cold()
            base, seconds = _timed(lambda: services.screen_pending(bdb, bsigner, now=now))  # noqa: B023 - called at once
            if r:
                baseline_screen.append(seconds)
            baseline_leads = base.leads
            bdb.dispose()
        rights = []
        for rec in registry:
            kind = rec.get("kind")
            if kind in ("trademark", "invention", "utility_model", "design"):
                rights.append(Right(kind=RightKind(kind), number=rec.get("reg_no") or rec["number"],
                                    title=rec.get("mark") or rec["title"], owner=rec["owner"],
                                    status=rec.get("status", "registered"),
                                    nice_classes=tuple(rec.get("nice_classes") or ()), ipc=tuple(rec.get("ipc") or ()),
                                    locarno=rec.get("locarno"), claims=rec.get("claims")))
        licences = [Licence(right=rec["right"], licensee=rec["licensee"], licensee_uscc=rec.get("licensee_uscc"))
                    for rec in registry if rec.get("kind") == "licence"]
        listings = [core.exhibit_listing("BENCH", x, core.seller_of(seller_of[int(x.booth[1:]) % booths], None, None,
                                                                    None)) for _line, x in items]
        for _r in range(args.repeats):
            _cold()
            _f, seconds = _timed(lambda: detect(rights, licences, listings, as_of=now.date()))
            models.append(seconds)
    figures = {
        "exhibits": n, "booths": booths, "repeats": args.repeats, "rights": len(registry), "load": load,
        "filing": _rate(n, filing), "screening": _rate(n, screening),
        "baseline_import": _rate(n, baseline_import), "baseline_screening": _rate(n, baseline_screen),
        "models_only": _rate(n, models), "leads": leads, "baseline_leads": baseline_leads,
    }
    figures["screening_vs_baseline"] = round(figures["screening"]["median"] / figures["baseline_screening"]["median"], 2)
    print(f"{'tool':<44} {'exhibits/s median (min-max)':>30} {'s (median)':>11}")
    for label, key in (("ours: filing (file_exhibits)", "filing"), ("ours: pre-show screening (screen)", "screening"),
                       ("baseline: import_listings of the same records", "baseline_import"),
                       ("baseline: screen_pending of the same records", "baseline_screening"),
                       ("models only (detect, in memory)", "models_only")):
        f = figures[key]
        print(f"{label:<44} {f['median']:>14.1f} ({f['min']:.0f}-{f['max']:.0f}){'':>6} {f['seconds_median']:>11.3f}")
    print(f"leads: ours {leads}, baseline {baseline_leads} (the same findings: the exhibit path adds the show and "
          f"booth to each record, not other leads); screening ours/baseline {figures['screening_vs_baseline']}x")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0
