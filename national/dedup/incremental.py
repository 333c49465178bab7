"""Incremental entity resolution: new records meet only their blocks; entities merge and split in place.

The batch engine (`engine.resolve`) links a whole table at once. A national node receives leads a
few thousand at a time and already holds millions, so it keeps, per record, its normalized parts,
its blocking keys and its entity, and per key how many records hold it. A cycle then

1. normalizes the new records (`normalize_record`) and derives their blocking keys (`record_keys`,
   the same rules as the batch blocking, hashed to 64-bit ids by `key_id`);
2. looks up the stored records sharing a key whose block is not over `max_block` (the glue does
   this with an index lookup, so the work depends on the new records, not on the table);
3. scores new-vs-neighbour and new-vs-new pairs with the stored model and the stored term counts
   (`score_pairs`);
4. links entities strongest first under the same constraints as the batch clustering
   (`link_entities`): two entities holding different valid credit codes, or a pair an officer
   rejected, are never joined; such links are returned as refused.

Splitting an entity (an officer rejects a merge) re-clusters only its own records from their
stored links (`split_entity`). Everything here is pure: values in, values out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from national.dedup.compare import Comparer, uscc_valid
from national.dedup.config import PARTS, LinkConfig
from national.dedup.model import MatchModel, TermCounts, match_weights, probability, tf_part
from national.dedup.table import NORMALIZERS, Column, Normalized, Table

SEP = "\x1f"  # joins parts of a stored record and of a blocking key (never in normalized text)
Parts = tuple[str | None, ...]


def part_names(config: LinkConfig) -> list[tuple[str, str]]:
    """(field, part) of every stored part, in order."""
    return [(spec.name, part) for spec in config.fields for part in PARTS[spec.kind]]


def normalize_record(record: Mapping[str, object], config: LinkConfig) -> Parts:
    """The normalized parts of one raw record (None where a field is missing or unusable)."""
    out: list[str | None] = []
    for spec in config.fields:
        raw = record.get(spec.key)
        text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        norm: Normalized = NORMALIZERS[spec.kind](text) if text.strip() else None
        width = len(PARTS[spec.kind])
        out.extend(norm if norm is not None else (None,) * width)
    return tuple(out)


def encode(parts: Parts) -> str:
    """A stored form of the parts (unit-separated; empty for None)."""
    return SEP.join(p or "" for p in parts)


def decode(text: str) -> Parts:
    """The parts of a stored form."""
    return tuple(p or None for p in text.split(SEP))


def _uscc_pieces(code: str) -> list[str]:
    if len(code) != 18:
        return [code]
    head, mid, tail = code[:8], code[8:13], code[13:]
    return [head + mid, head + tail, mid + tail]


def _transform(value: str, transform: str) -> list[str]:
    if transform == "value":
        return [value]
    if transform == "uscc_parts":
        return _uscc_pieces(value)
    kind, _, n_text = transform.partition(":")
    n = int(n_text)
    if len(value) < n:
        return []
    return [value[:n] if kind == "prefix" else value[-n:]]


def record_keys(parts: Parts, config: LinkConfig) -> list[str]:
    """The blocking keys of one record: rule name and transformed parts, as the batch blocking forms them."""
    index = {name: k for k, name in enumerate(part_names(config))}
    keys: list[str] = []
    for rule in config.blocking:
        alternatives = [rule.name]
        for kp in rule.parts:
            value = parts[index[(kp.field, kp.part)]]
            values = _transform(value, kp.transform) if value else []
            if not values:
                alternatives = []
                break
            alternatives = [f"{a}{SEP}{v}" for a in alternatives for v in dict.fromkeys(values)]
        keys.extend(alternatives)
    return list(dict.fromkeys(keys))


def key_id(key: str) -> int:
    """A signed 64-bit id of a key string (BLAKE2b; collisions at 10^7 keys: ~3e-6)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def tf_key(config: LinkConfig, field_name: str, value: str) -> str | None:
    """The blocking key whose count is the term frequency of `value` in `field_name` (None: no such rule)."""
    spec = config.field(field_name)
    part = tf_part(spec.kind)
    for rule in config.blocking:
        if len(rule.parts) == 1 and rule.parts[0].field == field_name and rule.parts[0].part == part \
                and rule.parts[0].transform == "value":
            return f"{rule.name}{SEP}{value}"
    return None


def present_key(field_name: str) -> str:
    """The counter of records holding any value of a field (the TF denominator)."""
    return f"#present{SEP}{field_name}"


def table_from_parts(records: Sequence[Parts], config: LinkConfig) -> Table:
    """A `Table` over already-normalized records."""
    columns: dict[tuple[str, str], Column] = {}
    for k, name in enumerate(part_names(config)):
        vocab: dict[str, int] = {}
        ids = np.fromiter((-1 if (v := r[k]) is None else vocab.setdefault(v, len(vocab)) for r in records),
                          dtype=np.int32, count=len(records))
        columns[name] = Column(ids, list(vocab))
    return Table(len(records), columns)


@dataclass
class Scored:
    """Pairs (indices into the scored records), their match weights and probabilities."""

    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float64]
    probability: npt.NDArray[np.float64]
    valid_uscc: list[bool]  # per record: does it carry a valid credit code


def score_pairs(records: Sequence[Parts], pairs: Iterable[tuple[int, int]], config: LinkConfig, model: MatchModel,
                total_records: int, term_counts: Mapping[str, Mapping[str, int]],
                present: Mapping[str, int]) -> Scored:
    """Score pairs of records with a fitted model, term frequencies taken from the whole store.

    `term_counts[field][value]` is how many stored records hold `value` (the new ones included);
    `present[field]` how many hold any value of the field.
    """
    table = table_from_parts(records, config)
    pair_list = list(pairs)
    left = np.fromiter((a for a, _ in pair_list), dtype=np.int32, count=len(pair_list))
    right = np.fromiter((b for _, b in pair_list), dtype=np.int32, count=len(pair_list))
    comparer = Comparer(table, config)
    levels = comparer.levels(left, right)
    tf: dict[str, TermCounts] = {}
    for spec in config.fields:
        if not spec.tf:
            continue
        column = table.column(spec.name, tf_part(spec.kind))
        known = term_counts.get(spec.name, {})
        counts = np.array([float(known.get(v, 1)) for v in column.vocab], dtype=np.float64)
        tf[spec.name] = TermCounts(counts, float(present.get(spec.name, total_records)))
    weight = match_weights(model, levels, comparer, left, right, tf=tf, records=max(total_records, 2))
    valid = _valid_uscc(table, config)
    return Scored(left, right, weight, probability(weight), valid)


def _valid_uscc(table: Table, config: LinkConfig) -> list[bool]:
    out = [False] * table.size
    for name in config.cannot_link:
        column = table.column(name)
        ok = uscc_valid(column)
        for k, v in enumerate(column.ids.tolist()):
            if v >= 0 and bool(ok[v]):
                out[k] = True
    return out


# ------------------------------------------------------------------------------ linking entities


@dataclass
class EntityFacts:
    """What constrains joining an entity with another: its valid credit code; its size."""

    uscc: str | None = None
    size: int = 1

    def conflicts(self, other: EntityFacts) -> str | None:
        """Why the two cannot be one entity, or None."""
        if self.uscc and other.uscc and self.uscc != other.uscc:
            return "different valid credit codes"
        return None

    def joined(self, other: EntityFacts) -> EntityFacts:
        """The facts of the union."""
        return EntityFacts(uscc=self.uscc or other.uscc, size=self.size + other.size)


@dataclass
class Linking:
    """Entity merges (absorbed -> survivor, in order) and refused links (record a, record b, reason)."""

    merges: list[tuple[int, int]] = field(default_factory=list)
    refused: list[tuple[int, int, str]] = field(default_factory=list)
    facts: dict[int, EntityFacts] = field(default_factory=dict)

    def survivor(self) -> dict[int, int]:
        """absorbed entity -> the entity it ended up in."""
        parent: dict[int, int] = {}
        for absorbed, into in self.merges:
            parent[absorbed] = into
        out = {}
        for e in parent:
            root = e
            while root in parent:
                root = parent[root]
            out[e] = root
        return out


def _rank(entity: int, facts: EntityFacts) -> tuple[int, bool, int]:
    """Which of two entities survives a merge: the larger; then a stored one (id >= 0) over a provisional
    one (negative id, not written yet); then the smaller id."""
    return facts.size, entity >= 0, -abs(entity)


def link_entities(entity_of: Mapping[int, int], facts: Mapping[int, EntityFacts],
                  edges: Sequence[tuple[int, int, float]], forbidden: Iterable[tuple[int, int]] = ()) -> Linking:
    """Join entities along record links, strongest first, never across a conflict or a rejected pair.

    `entity_of`: record -> entity; `facts`: entity -> facts (every entity of `entity_of`); `edges`:
    (record a, record b, weight) above the link threshold; `forbidden`: entity pairs an officer kept
    apart. Negative entity ids are provisional (new records). See `_rank` for which entity survives.
    """
    parent: dict[int, int] = {}
    current = {e: f for e, f in facts.items()}
    apart: dict[int, set[int]] = {}
    for a, b in forbidden:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)

    def find(e: int) -> int:
        root = e
        while root in parent:
            root = parent[root]
        while e in parent and parent[e] != root:
            parent[e], e = root, parent[e]
        return root

    out = Linking()
    for a, b, _w in sorted(edges, key=lambda x: -x[2]):
        ea, eb = find(entity_of[a]), find(entity_of[b])
        if ea == eb:
            continue
        reason = current[ea].conflicts(current[eb])
        if reason is None and eb in apart.get(ea, ()):
            reason = "rejected by an officer"
        if reason is not None:
            out.refused.append((a, b, reason))
            continue
        fa, fb = current[ea], current[eb]
        into, absorbed = (ea, eb) if _rank(ea, fa) >= _rank(eb, fb) else (eb, ea)
        parent[absorbed] = into
        current[into] = fa.joined(fb)
        del current[absorbed]
        apart[into] = apart.get(into, set()) | apart.pop(absorbed, set())
        for other in apart[into]:
            apart.setdefault(other, set()).add(into)
        out.merges.append((absorbed, into))
    out.facts = current
    return out


def split_entity(records: Sequence[int], links: Sequence[tuple[int, int, float]],
                 apart: Iterable[tuple[int, int]], uscc: Mapping[int, str]) -> list[list[int]]:
    """Re-cluster one entity's records from their stored links, keeping each `apart` pair separate.

    `uscc`: record -> its valid credit code (the same constraint as linking). Returns the groups,
    largest first (ties: the group with the smallest record first).
    """
    entity_of = {r: r for r in records}
    facts = {r: EntityFacts(uscc=uscc.get(r)) for r in records}
    inside = set(records)
    edges = [(a, b, w) for a, b, w in links if a in inside and b in inside]
    forbidden = [(a, b) for a, b in apart if a in inside and b in inside]
    linking = link_entities(entity_of, facts, edges, forbidden)
    root = linking.survivor()
    groups: dict[int, list[int]] = {}
    for r in records:
        groups.setdefault(root.get(r, r), []).append(r)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
