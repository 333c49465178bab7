"""The national node's seller entities, resolved incrementally over stored state (issue 12).

Each lead's seller is stored once, normalized (`seller_records`), with its blocking keys
(`seller_keys`, whose per-key row counts are the block sizes and term frequencies), its links
above the threshold (`seller_links`) and its entity (`seller_entities`). A cycle

* resolves the leads projected since the last cycle against their blocks only
  (`resolve_new`): the work depends on the new leads and their blocks, not on the table;
* applies the merge decisions officers took since the last cycle (`apply_decisions`): a merge
  joins two entities, a rejection (or a reversed merge) re-clusters that one entity from its
  stored links;

and returns the entities whose cases must be re-formed. The pure parts live in
`national.dedup.incremental`; this module reads and writes the tables (raw SQL on the hot path:
per-row ORM or expanding-IN overhead would cost more than the work).

`rebuild` resolves every stored lead at once with the batch engine's blocking and the same model
and constraints (first start on an existing table, after `ER_VERSION` changes, or on demand).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.dedup import incremental as inc
from national.dedup import linking as lk
from national.dedup.config import LinkConfig, seller_config
from national.dedup.model import MatchModel
from national.models import MergeReview, MergeStatus, NodeState

log = logging.getLogger("hufu.national.entities")

ER_VERSION = "18"  # bump when the normalizers, blocking keys or the stored model change: the worker rebuilds
VERSION_KEY = "er_version"
CURSOR_KEY = "er_lead_cursor"  # leads up to this id are resolved
RECORDS_KEY = "er_records"  # how many seller records are stored
NEXT_ENTITY_KEY = "er_next_entity"  # entity ids are never reused
PRESENT_KEY = "er_present:"  # + field.part: how many records hold a value of a TF part
REVIEW_LOW = 0.3  # pairs in [REVIEW_LOW, link threshold) across entities go to the merge-review queue
OFFICER_WEIGHT = 1e6  # an officer's merge outranks every computed link
PER_ENTITY = 3  # a new record is scored against at most this many records of each stored entity of its blocks
# a new record meets at most this many stored entities of its blocks: those whose best record shares the most keys
# with it (then the latest). Blocks fill with unrelated sellers as the table grows (a new lead met 8 -> 13 -> 20
# records at 100k -> 300k -> 1M); the entities sharing fewest keys are the ones it does not belong to, and scoring
# them costs time and, through the greedy linker, precision. None: every entity of its blocks.
ENTITIES_PER_RECORD: int | None = 4
# of a block, a cycle reads at most this many stored members: the latest (highest lead id), by an index seek per key
# with a limit. A new record meets at most ENTITIES_PER_RECORD entities anyway, ranked by the keys they share with
# it; reading every member of blocks that keep filling (mean usable block 4.9 -> 7.5 members at 100k -> 300k, up to
# max_block) made the read follow the table's size, not the new leads' keys. None: every member.
MEMBERS_PER_KEY: int | None = 10
# a cycle appends its new records' keys to `seller_keys_recent` and moves them into `seller_keys` in one sorted bulk
# insert once it holds this many rows (~14 cycles of 10k leads): 70k keys inserted one by one into `seller_keys`,
# clustered by key, dirtied nearly every leaf of a tree that grows with the table (issue 12: at 1M leads 0.13-0.38
# CPU-s in isolation, 141 MB written by the commit and WAL checkpoint; 0.12 s and 2 MB into the small table). The
# merge rewrites those leaves once for many cycles (840k rows into 8.2M: 1.14 CPU-s in isolation, ~0.1 s a cycle).
# A key's rows are those of both tables (`_KEY_TABLES`).
RECENT_KEYS_MERGE = 1_000_000
RECENT_KEY = "er_recent_keys"  # rows held in seller_keys_recent
_KEY_TABLES = ("seller_keys", "seller_keys_recent")


@functools.cache
def config() -> LinkConfig:
    """The seller link configuration (with its stored model)."""
    return seller_config()


def model(total_records: int) -> MatchModel:
    """The stored seller model, its prior scaled to `total_records` (no EM per cycle: trained once, reused)."""
    cfg = config()
    if cfg.model is None:
        raise RuntimeError("national/dedup/seller_model.json is missing: the seller model is needed")
    return MatchModel.from_dict(cfg.model, cfg, max(total_records, 2))


class Stopwatch:
    """Wall and CPU seconds per stage (CPU: the machine is shared, wall time alone misleads)."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into = into
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.into[stage] = self.into.get(stage, 0.0) + wall - self.wall
        self.into[stage + "_cpu"] = self.into.get(stage + "_cpu", 0.0) + cpu - self.cpu
        self.wall, self.cpu = wall, cpu


@dataclass
class Increment:
    """What one resolution step did."""

    leads: int = 0
    pairs: int = 0
    merges: int = 0
    splits: int = 0
    refused: int = 0
    affected: set[int] = field(default_factory=set)  # entities whose cases must be re-formed
    reviews: list[tuple[int, int, float]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


# ------------------------------------------------------------------------------ raw SQL helpers


class _Sql:
    """Plain DB-API statements on the session's connection, written with `?` placeholders."""

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.pg = session.get_bind().dialect.name == "postgresql"

    def _text(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.pg else sql

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query, as the driver's tuples: read on the DB-API cursor of the session's connection (its
        transaction), without SQLAlchemy's result rows — a cycle reads ~10^5-10^6 block-member and record rows, and
        wrapping each in a Row and converting it back to a tuple cost about as much as the driver's own fetch."""
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(self._text(sql), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row (None without rows)."""
        row = self.conn.exec_driver_sql(self._text(sql), tuple(params)).first()
        return None if row is None else row[0]

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; the affected row count."""
        return int(self.conn.exec_driver_sql(self._text(sql), tuple(params)).rowcount or 0)

    def many(self, sql: str, rows: Sequence[Sequence[Any]], chunk: int = 50_000) -> None:
        """executemany, in chunks."""
        for k in range(0, len(rows), chunk):
            self.conn.exec_driver_sql(self._text(sql), [tuple(r) for r in rows[k:k + chunk]])

    def rows_in(self, sql: str, column: str, values: Iterable[int]) -> list[tuple[Any, ...]]:
        """Rows of `sql` whose `{in}` placeholder is replaced by `column IN values` (one parameter, any size)."""
        values = [int(v) for v in values]
        if not values:
            return []
        if self.pg:
            return self.rows(sql.replace("{in}", f"{column} = ANY(?)"), [values])
        return self.rows(sql.replace("{in}", f"{column} IN (SELECT value FROM json_each(?))"), [json.dumps(values)])

    def run_in(self, sql: str, column: str, values: Iterable[int]) -> int:
        """Execute `sql` with `{in}` replaced as in `rows_in`."""
        values = [int(v) for v in values]
        if not values:
            return 0
        if self.pg:
            return self.run(sql.replace("{in}", f"{column} = ANY(?)"), [values])
        return self.run(sql.replace("{in}", f"{column} IN (SELECT value FROM json_each(?))"), [json.dumps(values)])

    def key_counts(self, keys: Iterable[int]) -> dict[int, int]:
        """Rows per key (the block sizes) over `seller_keys` and `seller_keys_recent`; keys without rows left out."""
        keys = list(keys)
        out: dict[int, int] = {}
        for table in _KEY_TABLES:
            for key, n in self.rows_in(f"SELECT key, count(*) FROM {table} WHERE {{in}} GROUP BY key", "key", keys):
                out[key] = out.get(key, 0) + n
        return out

    def latest_in(self, keys: Iterable[int], limit: int) -> list[tuple[int, int]]:
        """(key, lead id) of the `limit` latest (highest lead id) rows of each key over both key tables: per table
        one seek on the primary key (key, lead_id) per key, walked backwards `limit` rows — not the whole block;
        the keys the recent table holds rows of keep the `limit` latest of both."""
        keys = [int(k) for k in keys]
        if not keys:
            return []
        stored, recent = (self._latest_in(table, keys, limit) for table in _KEY_TABLES)
        if not recent:
            return stored
        both: dict[int, list[int]] = defaultdict(list)
        for key, lead in recent:
            both[key].append(lead)
        out = [(key, lead) for key, lead in stored if key not in both]
        for key, lead in stored:
            if key in both:
                both[key].append(lead)
        out += [(key, lead) for key, leads in both.items() for lead in sorted(leads, reverse=True)[:limit]]
        return out

    def _latest_in(self, table: str, keys: list[int], limit: int) -> list[tuple[int, int]]:
        if self.pg:
            return self.rows("SELECT u.key, s.lead_id FROM unnest(?::bigint[]) AS u(key) CROSS JOIN LATERAL "
                             f"(SELECT t.lead_id FROM {table} AS t WHERE t.key = u.key ORDER BY t.lead_id DESC "
                             "LIMIT ?) AS s", [keys, limit])  # type: ignore[return-value]
        # the correlated subquery is the range start of the seek on s (evaluated once per key): the limit-th
        # latest lead id of the key, or -1 (lead ids are positive) when the key has fewer rows
        return self.rows(f"SELECT j.value, s.lead_id FROM json_each(?) AS j JOIN {table} AS s ON s.key = j.value "
                         f"WHERE s.lead_id >= coalesce((SELECT t.lead_id FROM {table} AS t WHERE t.key = j.value "
                         "ORDER BY t.lead_id DESC LIMIT 1 OFFSET ?), -1)",
                         [json.dumps(keys), limit - 1])  # type: ignore[return-value]

    def keep_keys(self, rows: Sequence[tuple[int, int]]) -> None:
        """Store new (key, lead id) rows: appended to `seller_keys_recent`, moved into `seller_keys` in bulk once it
        holds RECENT_KEYS_MERGE rows."""
        self.many("INSERT INTO seller_keys_recent (key, lead_id) VALUES (?, ?)", rows)
        held = int(self.state(RECENT_KEY) or 0) + len(rows)
        if held >= RECENT_KEYS_MERGE:
            self.merge_recent_keys()
        else:
            self.set_state(RECENT_KEY, held)

    def merge_recent_keys(self) -> None:
        """Move every row of `seller_keys_recent` into `seller_keys` (one sorted bulk insert)."""
        self.run("INSERT INTO seller_keys (key, lead_id) SELECT key, lead_id FROM seller_keys_recent "
                 "ORDER BY key, lead_id")
        self.run("DELETE FROM seller_keys_recent")
        self.set_state(RECENT_KEY, 0)

    def state(self, key: str) -> str | None:
        """A node-state value."""
        return self.value("SELECT value FROM node_state WHERE key = ?", [key])

    def set_state(self, key: str, value: str | int) -> None:
        """Set a node-state value."""
        self.run("INSERT INTO node_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                 "excluded.value", [key, str(value)])

    def take_ids(self, n: int) -> list[int]:
        """`n` fresh entity ids (monotonic, never reused)."""
        start = int(self.state(NEXT_ENTITY_KEY) or 1)
        if start == 1:
            start = int(self.value("SELECT max(id) FROM seller_entities") or 0) + 1
        self.set_state(NEXT_ENTITY_KEY, start + n)
        return list(range(start, start + n))


def needs_rebuild(session: Session) -> bool:
    """Was the stored state made by other normalizers or another model (or never made over existing leads)?"""
    sql = _Sql(session)
    version = sql.state(VERSION_KEY)
    if version == ER_VERSION:
        return False
    if version is None and sql.value("SELECT id FROM leads LIMIT 1") is None:
        sql.set_state(VERSION_KEY, ER_VERSION)  # a first start on an empty table begins incrementally
        return False
    return True


_SELLER_SQL = ("SELECT id, region, right_number, seller_name, seller_uscc, seller_phone, seller_address, "
               "seller_shop_url FROM leads")


def _normalize(rows: Sequence[tuple[Any, ...]], cfg: LinkConfig) -> list[inc.Parts]:
    """Normalized parts per row (columns 3..7: name, uscc, phone, address, shop url); each distinct seller once."""
    cache: dict[tuple[Any, ...], inc.Parts] = {}
    out = []
    for r in rows:
        raw = r[3:8]
        parts = cache.get(raw)
        if parts is None:
            parts = cache[raw] = inc.normalize_record(
                {"name": raw[0], "uscc": raw[1], "phone": raw[2], "address": raw[3], "shop_url": raw[4]}, cfg)
        out.append(parts)
    return out


@functools.cache
def _tf_at() -> dict[tuple[str, str], int]:
    """(field, part) -> position in the stored parts, for the parts whose term frequencies are used."""
    cfg = config()
    names = inc.part_names(cfg)
    return {fp: names.index(fp) for fp in inc.tf_columns(cfg)}


@functools.cache
def _uscc_at() -> int:
    return inc.part_names(config()).index(("uscc", "value"))


def _keys_of(parts: Sequence[inc.Parts], cfg: LinkConfig) -> list[list[int]]:
    cache: dict[inc.Parts, list[int]] = {}
    out = []
    for p in parts:
        keys = cache.get(p)
        if keys is None:
            keys = cache[p] = [inc.key_id(k) for k in inc.record_keys(p, cfg)]
        out.append(keys)
    return out


@functools.cache
def _tf_specs() -> tuple[tuple[str, int, str], ...]:
    """("field.part", position in the stored parts, the TF key's text before the value) of every TF part with a
    key (`inc.tf_key`), worked out once, not per record."""
    cfg = config()
    out = []
    for (field_name, part), at in _tf_at().items():
        prefix = inc.tf_key(cfg, field_name, part, "")
        if prefix is not None:
            out.append((f"{field_name}.{part}", at, prefix))
    return tuple(out)


def _tf_keys(parts: inc.Parts, cfg: LinkConfig) -> list[tuple[str, str, int]]:
    """(field, value, key id) of the TF values of one record."""
    return [(label, value, inc.key_id(prefix + value)) for label, at, prefix in _tf_specs()
            if (value := parts[at]) is not None]


def _facts_json(facts: lk.EntityFacts) -> str:
    return json.dumps({"place": facts.place, "form": facts.form, "trade": facts.trade, "strong": facts.strong,
                       "anchored": facts.anchored, "hint_places": sorted(facts.hint_places),
                       "hint_forms": sorted(facts.hint_forms), "hint_trades": sorted(facts.hint_trades),
                       "parent": facts.parent},
                      ensure_ascii=False, separators=(",", ":"))


def _facts(size: int, uscc: str | None, text: str | None) -> lk.EntityFacts:
    data = json.loads(text) if text else {}
    return lk.EntityFacts(uscc=uscc, place=data.get("place"), form=data.get("form"), trade=data.get("trade"),
                          size=size, strong=bool(data.get("strong", True)),
                          anchored=bool(data.get("anchored", uscc is not None)),
                          hint_places=frozenset(data.get("hint_places", ())),
                          hint_forms=frozenset(data.get("hint_forms", ())),
                          hint_trades=frozenset(data.get("hint_trades", ())), parent=data.get("parent"))


def _stored_facts(sql: _Sql, entity_ids: Iterable[int]) -> dict[int, lk.EntityFacts]:
    return {e: _facts(size, uscc, text) for e, size, uscc, text in
            sql.rows_in("SELECT id, size, uscc, facts FROM seller_entities WHERE {in}", "id", entity_ids)}


_ENTITY_INSERT = "INSERT INTO seller_entities (id, size, uscc, facts, updated_at) VALUES (?, ?, ?, ?, ?)"
_ENTITY_UPDATE = "UPDATE seller_entities SET size = ?, uscc = ?, facts = ?, updated_at = ? WHERE id = ?"


@functools.lru_cache(maxsize=200_000)
def _record_facts(parts: inc.Parts) -> tuple[lk.EntityFacts, bool]:
    return inc.record_facts(parts, config())


def _group_facts(records: Iterable[inc.Parts]) -> lk.EntityFacts:
    out: lk.EntityFacts | None = None
    for p in records:
        f = _record_facts(p)[0]
        out = f if out is None else out.joined(f)
    return out or lk.EntityFacts(size=0)


# ------------------------------------------------------------------------------ new leads


def resolve_new(session: Session, now: dt.datetime, limit: int = 50_000) -> Increment:
    """Resolve the sellers of leads projected since the last cycle (up to `limit`), in place."""
    cfg = config()
    sql = _Sql(session)
    out = Increment()
    watch = Stopwatch(out.seconds)
    cursor = int(sql.state(CURSOR_KEY) or 0)
    rows = sql.rows(f"{_SELLER_SQL} WHERE id > ? ORDER BY id LIMIT ?", [cursor, limit])
    if not rows:
        return out
    out.leads = len(rows)
    new_parts = _normalize(rows, cfg)
    new_ids = [r[0] for r in rows]
    new_keys = _keys_of(new_parts, cfg)
    watch.lap("normalize")

    # blocks: how many records hold each key (stored + arriving); members of the blocks not over the cap
    arriving = Counter(k for keys in new_keys for k in keys)
    stored = sql.key_counts(arriving)
    usable = {k for k, n in arriving.items() if stored.get(k, 0) + n <= cfg.max_block}
    member_rows = block_members(sql, {k: stored[k] for k in usable if stored.get(k, 0)}, MEMBERS_PER_KEY)
    member_key = np.fromiter((r[0] for r in member_rows), dtype=np.int64, count=len(member_rows))
    member_lead = np.fromiter((r[1] for r in member_rows), dtype=np.int64, count=len(member_rows))
    # the stored block members' entities first: a new record meets at most PER_ENTITY records of each stored
    # entity, so only those records' parts are read (compact rows; a neighbour's right and region are read
    # later, for the few pairs that may go to the review queue)
    member_entity = sql.rows_in("SELECT lead_id, entity_id FROM seller_records WHERE {in}", "lead_id",
                                np.unique(member_lead).tolist())
    cand_ids = np.array([r[0] for r in member_entity], dtype=np.int64)
    by_id = np.argsort(cand_ids, kind="stable")
    at = np.minimum(np.searchsorted(cand_ids[by_id], member_lead), max(len(cand_ids) - 1, 0))
    found = cand_ids[by_id][at] == member_lead if len(cand_ids) else np.zeros(len(member_lead), dtype=bool)
    member_index = by_id[at[found]] + len(rows)  # a key of a lead deleted since (its record gone) is skipped
    occurrences = [(key, k) for k, keys in enumerate(new_keys) for key in keys if key in usable]
    entity_at = np.array([-1] * len(rows) + [r[1] for r in member_entity], dtype=np.int64)
    age_at = np.concatenate([np.full(len(rows), -1, dtype=np.int64), cand_ids])
    wide = inc.block_pairs([key for key, _k in occurrences], [k for _key, k in occurrences], member_key[found],
                           member_index, len(rows) + len(cand_ids), stored_entity=entity_at, stored_age=age_at,
                           per_entity=PER_ENTITY, entities=ENTITIES_PER_RECORD)
    chosen = np.unique(wide.right[wide.right >= len(rows)])
    row_of = {r[0]: r for r in sql.rows_in("SELECT lead_id, entity_id, parts, uscc FROM seller_records WHERE {in}",
                                           "lead_id", cand_ids[chosen - len(rows)].tolist())}
    neighbours = [row_of[lead] for lead in cand_ids[chosen - len(rows)].tolist()]
    watch.lap("retrieve")

    # score new-vs-neighbour and new-vs-new pairs of shared blocks (indices: new records, then `chosen`)
    new_encoded = [inc.encode(p) for p in new_parts]
    lead_of = new_ids + [n[0] for n in neighbours]
    pos = np.where(wide.right >= len(rows), np.searchsorted(chosen, wide.right) + len(rows), wide.right)
    pairs = inc.BlockPairs(wide.left, pos.astype(np.int32))
    out.pairs = len(pairs)
    total = int(sql.state(RECORDS_KEY) or 0) + len(rows)
    term_counts, present = _term_counts(sql, new_parts, cfg, arriving, stored)
    table = inc.table_from_encoded(new_encoded + [n[2] for n in neighbours], cfg)  # no per-record decoding
    scored = inc.score_pairs((), pairs, cfg, model(total), total, term_counts, present, table)
    watch.lap("score")

    # entities: each new record starts as a provisional one (-1, -2, ...); links join them strongest first
    new_record_facts, _new_weak = inc.table_facts(table, cfg, np.arange(len(rows), dtype=np.int32))
    new_facts = [new_record_facts[k] for k in range(len(rows))]
    new_uscc = [f.uscc for f in new_facts]
    entity_of: dict[int, int] = {k: -(k + 1) for k in range(len(rows))}
    for j, n in enumerate(neighbours):
        entity_of[len(rows) + j] = n[1]
    facts: dict[int, lk.EntityFacts] = {-(k + 1): new_facts[k] for k in range(len(rows))}
    weak_flags = inc.table_weak(table, cfg).tolist()
    weak = [k for k, w in enumerate(weak_flags) if w]
    strong = lk.link_candidates(scored.probability, scored.left, scored.right, weak_flags, cfg.link_probability,
                                scored.attachable)
    edges = [(int(a), int(b), float(w)) for a, b, w in zip(scored.left[strong].tolist(), scored.right[strong].tolist(),
                                                            scored.weight[strong].tolist(), strict=True)]
    # the linker looks only at the entities its links reach: the facts of the other neighbours are not read
    facts.update(_stored_facts(sql, {entity_of[k] for a, b, _w in edges for k in (a, b) if entity_of[k] >= 0}))
    forbidden = _rejected_entity_pairs(sql, {lead_of[k]: e for k, e in entity_of.items()})
    same = [(int(scored.left[p]), int(scored.right[p])) for p in strong if scored.same_name[p]]
    linking = lk.link_entities(entity_of, facts, edges, forbidden, weak, lk.link_weight(cfg.link_probability), same)
    out.merges, out.refused = len(linking.merges), len(linking.refused)
    root = linking.survivor()
    final = {k: root.get(e, e) for k, e in entity_of.items()}
    provisional = sorted({e for e in final.values() if e < 0}, reverse=True)
    real = dict(zip(provisional, sql.take_ids(len(provisional)), strict=True))

    def resolved(e: int) -> int:
        return real.get(e, e)

    sql.many(_ENTITY_INSERT, [(real[e], linking.facts[e].size, linking.facts[e].uscc, _facts_json(linking.facts[e]),
                               now) for e in provisional])
    absorbed_stored = [(e, resolved(into)) for e, into in root.items() if e >= 0]
    if absorbed_stored:
        sql.many("UPDATE seller_records SET entity_id = ? WHERE entity_id = ?", [(into, e) for e, into in absorbed_stored])
        sql.run_in("DELETE FROM seller_entities WHERE {in}", "id", [e for e, _ in absorbed_stored])
    grown = {into for into in root.values() if into >= 0}
    if grown:
        sql.many(_ENTITY_UPDATE, [(linking.facts[e].size, linking.facts[e].uscc, _facts_json(linking.facts[e]), now, e)
                                  for e in sorted(grown)])  # in key order: neighbouring index pages

    # store the new records, keys, links and counters
    sql.many("INSERT INTO seller_records (lead_id, entity_id, parts, uscc) VALUES (?, ?, ?, ?)",
             [(new_ids[k], resolved(final[k]), new_encoded[k], new_uscc[k]) for k in range(len(rows))])
    sql.keep_keys(_key_rows(new_keys, new_ids))
    if edges:
        sql.many("INSERT INTO seller_links (lead_a, lead_b, weight, officer) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (lead_a, lead_b) DO NOTHING",
                 sorted({(min(lead_of[a], lead_of[b]), max(lead_of[a], lead_of[b]), w, False) for a, b, w in edges}))
    sql.set_state(RECORDS_KEY, total)
    for field_name, part in _tf_at():
        sql.set_state(PRESENT_KEY + f"{field_name}.{part}", present[f"{field_name}.{part}"])
    out.affected = {resolved(final[k]) for k in range(len(rows))} | {resolved(e) for e in grown}

    # pairs an officer should look at: uncertain, across entities, same right, different regions
    band = np.flatnonzero((scored.probability >= REVIEW_LOW) & (scored.probability < cfg.link_probability))
    uncertain = [(int(scored.left[p]), int(scored.right[p]), float(scored.probability[p])) for p in band.tolist()]
    prob_of = {(int(scored.left[p]), int(scored.right[p])): float(scored.probability[p]) for p in strong.tolist()}
    uncertain += [(a, b, min(prob_of.get((a, b), 0.9), 0.9)) for a, b, why in linking.refused
                  if why in lk.FOR_REVIEW]  # a weak record's link: an officer decides
    uncertain = [(a, b, p) for a, b, p in uncertain if final[a] != final[b]]
    right_region = {lead_of[k]: (r[2], r[1]) for k, r in enumerate(rows)}
    right_region.update({lead: (right, region) for lead, right, region in sql.rows_in(
        "SELECT id, right_number, region FROM leads WHERE {in}", "id",
        {lead_of[k] for a, b, _p in uncertain for k in (a, b)} - set(right_region))})
    for a, b, p in uncertain:
        (right_a, region_a), (right_b, region_b) = right_region[lead_of[a]], right_region[lead_of[b]]
        if right_a == right_b and region_a != region_b:
            la, lb = sorted((lead_of[a], lead_of[b]))
            out.reviews.append((la, lb, p))
    sql.set_state(CURSOR_KEY, new_ids[-1])
    watch.lap("link_and_store")
    return out


def _key_rows(keys: Sequence[Sequence[int]], lead_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(key, lead id) of every key of every record, in (key, lead id) order (neighbouring index pages): sorted as
    64-bit integers by numpy, not as ~70k Python tuples per 10k leads (issue 12, session 19: the same rows, the same
    order, ~0.05 of ~0.07 CPU s saved)."""
    n = sum(len(k) for k in keys)
    key = np.fromiter((x for ks in keys for x in ks), dtype=np.int64, count=n)
    lead = np.repeat(np.asarray(lead_ids, dtype=np.int64), [len(k) for k in keys])
    order = np.lexsort((lead, key))
    return list(zip(key[order].tolist(), lead[order].tolist(), strict=True))


def block_members(sql: _Sql, counts: dict[int, int], limit: int | None) -> list[tuple[int, int]]:
    """(key, lead id) of the stored members of blocks (`counts`: key -> stored rows): every member of a block of
    at most `limit` rows (one IN read), the `limit` latest of a larger one (`_Sql.latest_in`); every member of
    every block with `limit` None."""
    small = [k for k, n in counts.items() if limit is None or n <= limit]
    rows = [row for table in _KEY_TABLES for row in sql.rows_in(f"SELECT key, lead_id FROM {table} WHERE {{in}}",
                                                                   "key", small)]
    if limit is not None:
        rows += sql.latest_in([k for k, n in counts.items() if n > limit], limit)
    return rows


def _term_counts(sql: _Sql, new: Sequence[inc.Parts], cfg: LinkConfig, arriving: Counter[int],
                 known: dict[int, int]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Record counts of the TF values of the `new` records (the left side of every scored pair: the only
    values whose counts are read), and of records holding any value, `new` included. `known`: the stored row
    counts of the keys in `arriving` (`_Sql.key_counts`: keys without stored rows left out)."""
    wanted = {kid: (name, value) for p in dict.fromkeys(new) for name, value, kid in _tf_keys(p, cfg)}
    # `known` holds the stored count of every arriving key that has stored rows: an arriving key it leaves out has
    # none (counted in this transaction, before this cycle stores a key), so only keys no new record holds are read
    # (a TF key is nearly always one of the record's blocking keys; at 1M stored leads ~20k of them were counted
    # again, one index seek each, and found empty — issue 12, session 22)
    missing = [k for k in wanted if k not in known and k not in arriving]
    counted = dict(known)
    counted.update(sql.key_counts(missing))
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kid, (name, value) in wanted.items():
        counts[name][value] = int(counted.get(kid, 0)) + arriving.get(kid, 0)
    present = {f"{f}.{part}": int(sql.state(PRESENT_KEY + f"{f}.{part}") or 0) + sum(1 for p in new if p[at])
               for (f, part), at in _tf_at().items()}
    return counts, present


def _rejected_entity_pairs(sql: _Sql, known: dict[int, int]) -> list[tuple[int, int]]:
    """Entity pairs an officer kept apart (rejected merge reviews), for leads resolved or being resolved."""
    rejected = sql.rows("SELECT lead_a, lead_b FROM merge_reviews WHERE status = ?", [MergeStatus.REJECTED.value])
    if not rejected:
        return []
    entity = dict(known)
    entity.update(sql.rows_in("SELECT lead_id, entity_id FROM seller_records WHERE {in}", "lead_id",
                              {x for pair in rejected for x in pair} - set(known)))
    return [(entity[a], entity[b]) for a, b in rejected if a in entity and b in entity]


# ------------------------------------------------------------------------------ officers' decisions


def apply_decisions(session: Session, now: dt.datetime) -> Increment:
    """Apply the merge decisions not applied yet: a merge joins two entities, a rejection splits one.

    A decision is pending application while `merge_reviews.applied` differs from its status, so an
    officer who reverses a decision (merged -> rejected -> merged) is followed whatever the clock says.
    """
    sql = _Sql(session)
    out = Increment()
    rows = session.execute(sa.select(MergeReview.id, MergeReview.lead_a, MergeReview.lead_b, MergeReview.status)
                           .where(MergeReview.status != MergeStatus.PENDING,
                                  sa.or_(MergeReview.applied.is_(None), MergeReview.applied != MergeReview.status))
                           .order_by(MergeReview.decided_at, MergeReview.id)).all()
    for row in rows:
        entity = dict(sql.rows_in("SELECT lead_id, entity_id FROM seller_records WHERE {in}", "lead_id",
                                  [row.lead_a, row.lead_b]))
        ea, eb = entity.get(row.lead_a), entity.get(row.lead_b)
        if ea is None or eb is None:
            continue  # not resolved yet: applied once both leads are (a rejection already binds as a constraint)
        a, b = sorted((row.lead_a, row.lead_b))
        if row.status == MergeStatus.MERGED:
            sql.run("INSERT INTO seller_links (lead_a, lead_b, weight, officer) VALUES (?, ?, ?, ?) ON CONFLICT "
                    "(lead_a, lead_b) DO UPDATE SET weight = excluded.weight, officer = excluded.officer",
                    [a, b, OFFICER_WEIGHT, True])
            if ea != eb:
                out.affected |= _merge_entities(sql, ea, eb, now)
                out.merges += 1
        else:
            sql.run("DELETE FROM seller_links WHERE lead_a = ? AND lead_b = ? AND officer = ?", [a, b, True])
            if ea == eb:
                parts = _split(sql, ea, now)
                out.affected |= parts
                out.splits += len(parts) > 1
        session.execute(sa.update(MergeReview).where(MergeReview.id == row.id).values(applied=row.status.value)
                        .execution_options(synchronize_session=False))
    return out


def _merge_entities(sql: _Sql, ea: int, eb: int, now: dt.datetime) -> set[int]:
    """An officer's merge: the smaller entity joins the larger (the constraints do not bind officers)."""
    facts = _stored_facts(sql, [ea, eb])
    fa, fb = facts.get(ea, lk.EntityFacts(size=0)), facts.get(eb, lk.EntityFacts(size=0))
    into, absorbed = (ea, eb) if (fa.size, -ea) >= (fb.size, -eb) else (eb, ea)
    joined = facts.get(into, lk.EntityFacts(size=0)).joined(facts.get(absorbed, lk.EntityFacts(size=0)))
    sql.run("UPDATE seller_records SET entity_id = ? WHERE entity_id = ?", [into, absorbed])
    sql.run(_ENTITY_UPDATE, [joined.size, joined.uscc, _facts_json(joined), now, into])
    sql.run("DELETE FROM seller_entities WHERE id = ?", [absorbed])
    return {into}


def _split(sql: _Sql, entity_id: int, now: dt.datetime) -> set[int]:
    """Re-cluster one entity from its stored links, keeping officer-rejected pairs apart."""
    members = {lead: inc.decode(parts) for lead, parts in
               sql.rows("SELECT lead_id, parts FROM seller_records WHERE entity_id = ?", [entity_id])}
    ids = sorted(members)
    links = [(a, b, w) for a, b, w in sql.rows_in("SELECT lead_a, lead_b, weight FROM seller_links WHERE {in}",
                                                  "lead_a", ids) if b in members]
    apart = [(a, b) for a, b in sql.rows("SELECT lead_a, lead_b FROM merge_reviews WHERE status = ?",
                                         [MergeStatus.REJECTED.value]) if a in members and b in members]
    groups = lk.split_entity(ids, links, apart, {r: _record_facts(p)[0] for r, p in members.items()},
                             weak=[r for r, p in members.items() if _record_facts(p)[1]])
    if len(groups) <= 1:
        return {entity_id}
    facts = [_group_facts(members[r] for r in g) for g in groups]
    sql.run(_ENTITY_UPDATE, [facts[0].size, facts[0].uscc, _facts_json(facts[0]), now, entity_id])
    fresh = sql.take_ids(len(groups) - 1)
    sql.many(_ENTITY_INSERT, [(e, f.size, f.uscc, _facts_json(f), now) for e, f in zip(fresh, facts[1:], strict=True)])
    sql.many("UPDATE seller_records SET entity_id = ? WHERE lead_id = ?",
             [(e, r) for e, g in zip(fresh, groups[1:], strict=True) for r in g])
    return {entity_id, *fresh}


# ------------------------------------------------------------------------------ queries


@dataclass(frozen=True)
class LeadOfEntity:
    """What case formation needs of a lead of an affected entity."""

    id: int
    region: str
    right_number: str
    seller_uscc: str | None
    seller_phone: str | None
    seller_address: str | None
    seller_name: str | None
    case_id: int | None
    entity_id: int


def leads_of(session: Session, entity_ids: Iterable[int]) -> list[LeadOfEntity]:
    """Every lead of the given entities, with its entity."""
    rows = _Sql(session).rows_in(
        "SELECT l.id, l.region, l.right_number, l.seller_uscc, l.seller_phone, l.seller_address, l.seller_name, "
        "l.case_id, r.entity_id FROM seller_records r JOIN leads l ON l.id = r.lead_id WHERE {in}", "r.entity_id",
        entity_ids)
    return [LeadOfEntity(*r) for r in rows]


def lead_groups_of(session: Session, entity_ids: Iterable[int]) -> list[tuple[int, str, str, int | None, int]]:
    """(lead id, region, right, case id, entity id) of every lead of the given entities: what tells whether
    their cases stand as they are, without the sellers' text."""
    return _Sql(session).rows_in(  # type: ignore[return-value]
        "SELECT l.id, l.region, l.right_number, l.case_id, r.entity_id FROM seller_records r "
        "JOIN leads l ON l.id = r.lead_id WHERE {in}", "r.entity_id", entity_ids)


def sellers_of(session: Session, lead_ids: Iterable[int]) -> dict[int, tuple[str | None, ...]]:
    """Per lead: (credit code, phone, address, name) as filed."""
    return {r[0]: r[1:] for r in _Sql(session).rows_in(
        "SELECT id, seller_uscc, seller_phone, seller_address, seller_name FROM leads WHERE {in}", "id", lead_ids)}


def entity_ids_of(session: Session, lead_ids: Iterable[int]) -> set[int]:
    """The entities of some leads (those resolved)."""
    return {e for (e,) in _Sql(session).rows_in("SELECT entity_id FROM seller_records WHERE {in}", "lead_id",
                                                lead_ids)}


def entity_key(session: Session, entity_id: int) -> str:
    """How a seller entity is named outside: its valid credit code, else `entity:<id>`."""
    uscc = _Sql(session).value("SELECT uscc FROM seller_entities WHERE id = ?", [entity_id])
    return f"uscc:{uscc}" if uscc else f"entity:{entity_id}"


# ------------------------------------------------------------------------------ rebuild (bulk)


def rebuild(session: Session, now: dt.datetime, progress: Callable[[str], None] = lambda _m: None) -> Increment:
    """Resolve every stored lead at once (batch blocking, the same model and constraints) and store the state.

    For a first start over an existing table, after `ER_VERSION` changes, or by an operator. Officers'
    decisions are applied (merges as the strongest links, rejections as constraints). Returns every
    entity as affected, so the caller re-forms all cases.
    """
    from national.dedup.blocking import candidate_pairs
    from national.dedup.compare import VETO_WEIGHT, Comparer, apply_decisive, same_full_name, same_trade_name
    from national.dedup.model import match_weights, probability, rare_key_agreements

    cfg = config()
    sql = _Sql(session)
    out = Increment()
    clock = time.perf_counter()
    for stored in ("seller_links", *_KEY_TABLES, "seller_records", "seller_entities"):
        sql.run(f"DELETE FROM {stored}")
    sql.set_state(RECENT_KEY, 0)
    rows = sql.rows(f"{_SELLER_SQL} ORDER BY id")
    out.leads = len(rows)
    progress(f"rebuild: {len(rows):,} leads")
    sql.run("UPDATE merge_reviews SET applied = status WHERE status != ?", [MergeStatus.PENDING.value])
    if not rows:
        for key, value in ((CURSOR_KEY, 0), (RECORDS_KEY, 0), (VERSION_KEY, ER_VERSION)):
            sql.set_state(key, value)
        return out
    parts = _normalize(rows, cfg)
    ids = [r[0] for r in rows]
    out.seconds["normalize"] = time.perf_counter() - clock
    progress(f"rebuild: normalized in {out.seconds['normalize']:.1f} s")
    clock = time.perf_counter()
    table = inc.table_from_parts(parts, cfg)
    cand = candidate_pairs(table, cfg)
    comparer = Comparer(table, cfg)
    levels = comparer.levels(cand.left, cand.right)
    fitted = model(len(rows))
    weights = apply_decisive(match_weights(fitted, levels, comparer, cand.left, cand.right), comparer,
                             levels, cand.left, cand.right,
                             rare_key_agreements(fitted, levels, comparer, cand.left, cand.right))
    prob = probability(weights)
    out.pairs = len(cand)
    record_facts, weak = inc.table_facts(table, cfg)
    strong = lk.link_candidates(prob, cand.left, cand.right, [], cfg.link_probability,
                                same_trade_name(comparer, levels) & (weights > VETO_WEIGHT))
    edges = [(ids[a], ids[b], w) for a, b, w in zip(cand.left[strong].tolist(), cand.right[strong].tolist(),
                                                     weights[strong].tolist(), strict=True)]
    present_ids = set(ids)
    decisions = sql.rows("SELECT lead_a, lead_b, status FROM merge_reviews WHERE status != ?",
                         [MergeStatus.PENDING.value])
    officer = [(a, b, OFFICER_WEIGHT) for a, b, st in decisions
               if st == MergeStatus.MERGED.value and a in present_ids and b in present_ids]
    apart = [(a, b) for a, b, st in decisions
             if st == MergeStatus.REJECTED.value and a in present_ids and b in present_ids]
    uscc_of = {ids[k]: f.uscc for k, f in record_facts.items() if f.uscc}
    out.seconds["score"] = time.perf_counter() - clock
    progress(f"rebuild: {len(cand):,} pairs scored, {len(edges):,} links in {out.seconds['score']:.1f} s")
    clock = time.perf_counter()
    linking = lk.link_entities({i: i for i in ids}, {ids[k]: f for k, f in record_facts.items()},
                               officer + edges, apart, weak=[ids[k] for k, w in weak.items() if w],
                               firm_weight=lk.link_weight(cfg.link_probability),
                               same_name=[(ids[a], ids[b]) for a, b, same in zip(
                                   cand.left[strong].tolist(), cand.right[strong].tolist(),
                                   same_full_name(comparer, cand.left[strong], cand.right[strong]).tolist(),
                                   strict=True) if same])
    out.merges, out.refused = len(linking.merges), len(linking.refused)
    root = linking.survivor()
    entity = {i: root.get(i, i) for i in ids}
    members: dict[int, list[int]] = defaultdict(list)
    for i in ids:
        members[entity[i]].append(i)
    sql.many(_ENTITY_INSERT, [(e, linking.facts[e].size, linking.facts[e].uscc, _facts_json(linking.facts[e]), now)
                              for e in members])
    sql.set_state(NEXT_ENTITY_KEY, max(members) + 1)
    sql.many("INSERT INTO seller_records (lead_id, entity_id, parts, uscc) VALUES (?, ?, ?, ?)",
             [(i, entity[i], inc.encode(p), uscc_of.get(i)) for i, p in zip(ids, parts, strict=True)])
    keys = _keys_of(parts, cfg)
    sql.many("INSERT INTO seller_keys (key, lead_id) VALUES (?, ?)",
             sorted({(k, i) for i, ks in zip(ids, keys, strict=True) for k in ks}))
    links = {(min(a, b), max(a, b)): w for a, b, w in edges}
    links.update({(min(a, b), max(a, b)): w for a, b, w in officer})
    sql.many("INSERT INTO seller_links (lead_a, lead_b, weight, officer) VALUES (?, ?, ?, ?)",
             [(a, b, w, w >= OFFICER_WEIGHT) for (a, b), w in sorted(links.items())])
    band = np.flatnonzero((prob >= REVIEW_LOW) & (prob < cfg.link_probability))
    position = {lead: k for k, lead in enumerate(ids)}
    uncertain = list(zip(cand.left[band].tolist(), cand.right[band].tolist(), prob[band].tolist(), strict=True))
    uncertain += [(position[a], position[b], 0.9) for a, b, why in linking.refused if why in lk.FOR_REVIEW
                  and a in position and b in position]
    for a, b, p in uncertain:
        ra, rb = rows[a], rows[b]
        if entity[ra[0]] != entity[rb[0]] and ra[2] == rb[2] and ra[1] != rb[1]:
            out.reviews.append((min(ra[0], rb[0]), max(ra[0], rb[0]), float(p)))
    sql.set_state(CURSOR_KEY, ids[-1])
    sql.set_state(RECORDS_KEY, len(ids))
    for (field_name, part), at in _tf_at().items():
        sql.set_state(PRESENT_KEY + f"{field_name}.{part}", sum(1 for p in parts if p[at]))
    sql.set_state(VERSION_KEY, ER_VERSION)
    out.affected = set(members)
    out.seconds["store"] = time.perf_counter() - clock
    progress(f"rebuild: {len(members):,} entities stored in {out.seconds['store']:.1f} s")
    return out


__all__ = ["ER_VERSION", "Increment", "LeadOfEntity", "NodeState", "apply_decisions", "block_members", "entity_ids_of",
           "entity_key", "lead_groups_of", "leads_of", "needs_rebuild", "rebuild", "resolve_new", "sellers_of"]
