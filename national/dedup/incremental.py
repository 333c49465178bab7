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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from national.dedup.compare import (
    VETO_WEIGHT,
    Comparer,
    apply_decisive,
    same_full_name,
    same_trade_name,
    uscc_valid,
)
from national.dedup.config import PARTS, FieldKind, LinkConfig
from national.dedup.linking import EntityFacts
from national.dedup.model import (
    MatchModel,
    TermCounts,
    match_weights,
    probability,
    rare_key_agreements,
    tf_parts,
)
from national.dedup.table import NORMALIZERS, Column, Normalized, Table

SEP = "\x1f"  # joins parts of a stored record and of a blocking key (never in normalized text)
Parts = tuple[str | None, ...]


def part_names(config: LinkConfig) -> list[tuple[str, str]]:
    """(field, part) of every stored part, in order."""
    return [(spec.name, part) for spec in config.fields for part in PARTS[spec.kind]]


_NORMALIZED_CACHE = 200_000  # per field kind: distinct raw values kept normalized across cycles (~100 MB at most)
_normalized: dict[FieldKind, dict[str, Normalized]] = {}


def _normalized_value(kind: FieldKind, text: str) -> Normalized:
    """`NORMALIZERS[kind](text)`, remembered per kind (the normalizers are pure; sellers recur across cycles)."""
    cache = _normalized.setdefault(kind, {})
    try:
        return cache[text]
    except KeyError:
        pass
    if len(cache) >= _NORMALIZED_CACHE:
        cache.clear()  # bounded memory; refilled by the values that keep coming
    value = cache[text] = NORMALIZERS[kind](text)
    return value


_FIELDS: dict[int, tuple[LinkConfig, tuple[tuple[str, FieldKind, tuple[None, ...]], ...]]] = {}


def _fields(config: LinkConfig) -> tuple[tuple[str, FieldKind, tuple[None, ...]], ...]:
    """(raw key, kind, the parts of a missing value) of each field, once per configuration (it is frozen)."""
    known = _FIELDS.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    fields = tuple((spec.key, spec.kind, (None,) * len(PARTS[spec.kind])) for spec in config.fields)
    if len(_FIELDS) > 64:
        _FIELDS.clear()
    _FIELDS[id(config)] = (config, fields)  # the config is held, so its id is not reused while cached
    return fields


def normalize_record(record: Mapping[str, object], config: LinkConfig) -> Parts:
    """The normalized parts of one raw record (None where a field is missing or unusable)."""
    out: list[str | None] = []
    for key, kind, missing in _fields(config):
        raw = record.get(key)
        text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        norm: Normalized = _normalized_value(kind, text) if text.strip() else None
        out.extend(norm if norm is not None else missing)
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
    if transform == "sorted":
        return ["".join(sorted(value))]
    if transform == "each":  # every number of a phone field: keys of one kind, so they meet whatever their position
        return value.split("|")
    kind, _, n_text = transform.partition(":")
    n = int(n_text)
    if len(value) < n:
        return []
    return [value[:n] if kind == "prefix" else value[-n:]]


_KEY_RULES: dict[int, tuple[LinkConfig, tuple[tuple[str, tuple[tuple[int, str], ...]], ...]]] = {}


def _key_rules(config: LinkConfig) -> tuple[tuple[str, tuple[tuple[int, str], ...]], ...]:
    """Per blocking rule: its name and (position in the stored parts, transform) of each of its parts — worked
    out once per configuration, not once per record (the configuration is frozen)."""
    known = _KEY_RULES.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    index = {name: k for k, name in enumerate(part_names(config))}
    rules = tuple((rule.name, tuple((index[(kp.field, kp.part)], kp.transform) for kp in rule.parts))
                  for rule in config.blocking)
    if len(_KEY_RULES) > 64:
        _KEY_RULES.clear()
    _KEY_RULES[id(config)] = (config, rules)  # the config is held, so its id is not reused while cached
    return rules


def record_keys(parts: Parts, config: LinkConfig) -> list[str]:
    """The blocking keys of one record: rule name and transformed parts, as the batch blocking forms them."""
    keys: list[str] = []
    for name, rule_parts in _key_rules(config):
        alternatives = [name]
        for at, transform in rule_parts:
            value = parts[at]
            values = _transform(value, transform) if value else []
            if not values:
                alternatives = []
                break
            alternatives = [f"{a}{SEP}{v}" for a in alternatives for v in dict.fromkeys(values)]
        keys.extend(alternatives)
    return list(dict.fromkeys(keys))


def key_id(key: str) -> int:
    """A signed 64-bit id of a key string (BLAKE2b; collisions at 10^7 keys: ~3e-6)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


_TF_RULES: dict[int, tuple[LinkConfig, dict[tuple[str, str], str | None]]] = {}


def _tf_rule(config: LinkConfig, field_name: str, part: str) -> str | None:
    """The name of the first one-part, whole-value blocking rule on a field part (None: no such rule), looked up
    once per configuration and field part."""
    known = _TF_RULES.get(id(config))
    if known is None or known[0] is not config:
        if len(_TF_RULES) > 64:
            _TF_RULES.clear()
        known = _TF_RULES[id(config)] = (config, {})  # the config is held, so its id is not reused while cached
    rules = known[1]
    try:
        return rules[(field_name, part)]
    except KeyError:
        pass
    name = None
    for rule in config.blocking:
        only = rule.parts[0]
        # a rule on the whole value, or on every value of the field (`each`: the phone rule keys each number, so its
        # count of a number is the records holding it, first or not)
        if len(rule.parts) == 1 and only.field == field_name and (
                only.part == part and only.transform == "value" or only.transform == "each" and part == "value"):
            name = rule.name
            break
    rules[(field_name, part)] = name
    return name


def tf_key(config: LinkConfig, field_name: str, part: str, value: str) -> str | None:
    """The blocking key whose record count is the term frequency of `value` in a field part (None: no such rule)."""
    name = _tf_rule(config, field_name, part)
    return None if name is None else f"{name}{SEP}{value}"


def tf_columns(config: LinkConfig) -> list[tuple[str, str]]:
    """(field, part) of every part whose term frequencies the model uses."""
    return [(spec.name, part) for spec in config.fields for part in tf_parts(spec)]


def present_key(field_name: str, part: str) -> str:
    """The counter of records holding any value of a field part (the TF denominator)."""
    return f"#present{SEP}{field_name}.{part}"


def table_from_parts(records: Sequence[Parts], config: LinkConfig) -> Table:
    """A `Table` over already-normalized records."""
    columns: dict[tuple[str, str], Column] = {}
    for k, name in enumerate(part_names(config)):
        vocab: dict[str, int] = {}
        ids = np.fromiter((-1 if (v := r[k]) is None else vocab.setdefault(v, len(vocab)) for r in records),
                          dtype=np.int32, count=len(records))
        columns[name] = Column(ids, list(vocab))
    return Table(len(records), columns)


def table_from_encoded(texts: Sequence[str], config: LinkConfig) -> Table:
    """`table_from_parts` over records in their stored form (`encode`), without decoding them one by one:
    the same columns and vocabularies (values numbered in order of first appearance)."""
    names = part_names(config)
    width = len(names)
    flat = SEP.join(texts).split(SEP) if texts else []
    if len(flat) != len(texts) * width:
        raise ValueError(f"stored records hold {len(flat)} parts, not {len(texts)} x {width}")
    columns: dict[tuple[str, str], Column] = {}
    for k, name in enumerate(names):
        values = flat[k::width]
        order = dict.fromkeys(values)  # distinct values in order of first appearance
        order.pop("", None)  # an empty part is a missing one (see `decode`)
        lookup = {v: i for i, v in enumerate(order)}
        lookup[""] = -1
        ids = np.fromiter(map(lookup.__getitem__, values), dtype=np.int32, count=len(values))
        columns[name] = Column(ids, list(order))
    return Table(len(texts), columns)


@dataclass
class BlockPairs:
    """Record pairs (indices, left < right), sorted and unique."""

    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]

    def __len__(self) -> int:
        return len(self.left)


def _equal_key_pairs(a_key: npt.NDArray[np.int64], a_value: npt.NDArray[np.int64], b_key: npt.NDArray[np.int64],
                     b_value: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every (a value, b value) whose keys are equal."""
    order = np.argsort(b_key, kind="stable")
    keys, values = b_key[order], b_value[order]
    low, high = np.searchsorted(keys, a_key, "left"), np.searchsorted(keys, a_key, "right")
    count = high - low
    left = np.repeat(a_value, count)
    first = np.repeat(low, count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return left, values[first + offset]


def few_per_entity(new: npt.NDArray[np.int64], member: npt.NDArray[np.int64], member_entity: npt.NDArray[np.int64],
                   member_age: npt.NDArray[np.int64], per_entity: int, entities: int | None = None
                   ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Of the (new record, stored member) key hits — one row per shared key — the distinct pairs that keep, for
    each new record and stored entity, the `per_entity` members sharing the most keys with it, then the latest
    (highest `member_age[member]`), then the highest index. An entity of many records is then compared through a
    few of its records (the linker joins a record to the whole entity through any one of them), so a cycle's
    pairs do not grow with the size of the entities its blocks reach. With `entities`: of each new record's stored
    entities only that many are kept, ranked by their best member (most shared keys, then the latest, then the
    lowest entity id), so the pairs per new record stay bounded however full its blocks grow."""
    if len(new) == 0:
        return new, member
    span = int(member.max()) + 1
    code, shared = np.unique(new * span + member, return_counts=True)
    k, m = code // span, code % span
    entity, age = member_entity[m], member_age[m]
    order = np.lexsort((-m, -age, -shared, entity, k))  # last key sorts first
    k, m, entity = k[order], m[order], entity[order]
    start = np.ones(len(k), dtype=bool)
    start[1:] = (k[1:] != k[:-1]) | (entity[1:] != entity[:-1])
    first = np.maximum.accumulate(np.where(start, np.arange(len(k)), 0))
    keep = np.arange(len(k)) - first < per_entity
    if entities is not None:  # rank each new record's entities by their best member (the group's first row)
        group = np.flatnonzero(start)
        g_k, g_entity = k[group], entity[group]
        g_order = np.lexsort((g_entity, -age[order][group], -shared[order][group], g_k))
        g_sorted = g_k[g_order]
        g_start = np.ones(len(group), dtype=bool)
        g_start[1:] = g_sorted[1:] != g_sorted[:-1]
        g_first = np.maximum.accumulate(np.where(g_start, np.arange(len(group)), 0))
        g_keep = np.zeros(len(group), dtype=bool)
        g_keep[g_order] = np.arange(len(group)) - g_first < entities
        keep &= g_keep[np.cumsum(start) - 1]
    return k[keep], m[keep]


def block_pairs(new_key: npt.ArrayLike, new_record: npt.ArrayLike, stored_key: npt.ArrayLike,
                stored_record: npt.ArrayLike, records: int, *, stored_entity: npt.ArrayLike | None = None,
                stored_age: npt.ArrayLike | None = None, per_entity: int | None = None,
                entities: int | None = None) -> BlockPairs:
    """The pairs to score: each new record with every stored record sharing one of its (usable) keys, and each
    two new records sharing one. (`new_key[i]`, `new_record[i]`): a new record's key occurrence; (`stored_key[i]`,
    `stored_record[i]`) a stored block member; records are indices below `records`, new ones below the stored.
    With `per_entity`, `stored_entity` and `stored_age` (per record index, length `records`): a new record meets
    at most `per_entity` records of each stored entity, and with `entities` at most that many stored entities
    (`few_per_entity`)."""
    nk, nr = np.asarray(new_key, dtype=np.int64), np.asarray(new_record, dtype=np.int64)
    sk, sr = np.asarray(stored_key, dtype=np.int64), np.asarray(stored_record, dtype=np.int64)
    a1, b1 = _equal_key_pairs(nk, nr, sk, sr)
    if per_entity is not None:
        if stored_entity is None or stored_age is None:
            raise ValueError("per_entity needs stored_entity and stored_age")
        a1, b1 = few_per_entity(a1, b1, np.asarray(stored_entity, dtype=np.int64),
                                np.asarray(stored_age, dtype=np.int64), per_entity, entities)
    a2, b2 = _equal_key_pairs(nk, nr, nk, nr)
    keep = a2 < b2
    left = np.concatenate([np.minimum(a1, b1), a2[keep]])
    right = np.concatenate([np.maximum(a1, b1), b2[keep]])
    code = np.unique(left * max(records, 1) + right)
    return BlockPairs((code // max(records, 1)).astype(np.int32), (code % max(records, 1)).astype(np.int32))


@dataclass
class Scored:
    """Pairs (indices into the scored records), their match weights and probabilities."""

    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    weight: npt.NDArray[np.float64]
    probability: npt.NDArray[np.float64]
    valid_uscc: list[bool]  # per record: does it carry a valid credit code
    attachable: npt.NDArray[np.bool_]  # per pair: the names agree on the trade name and nothing rules the pair out
    same_name: npt.NDArray[np.bool_]  # per pair: identical names


def score_pairs(records: Sequence[Parts], pairs: Iterable[tuple[int, int]] | BlockPairs, config: LinkConfig,
                model: MatchModel,
                total_records: int, term_counts: Mapping[str, Mapping[str, int]],
                present: Mapping[str, int], table: Table | None = None) -> Scored:
    """Score pairs of records with a fitted model, term frequencies taken from the whole store.

    `term_counts["field.part"][value]` is how many stored records hold `value` (the new ones included);
    `present["field.part"]` how many hold any value of the part. The term frequency of an agreement is
    that of the pair's left record (`model.match_weights`): values only right records hold need no count.
    `table`: `table_from_parts(records, config)` when the caller has built it already.
    """
    table = table_from_parts(records, config) if table is None else table
    if isinstance(pairs, BlockPairs):
        left, right = pairs.left, pairs.right
    else:
        pair_list = list(pairs)
        left = np.fromiter((a for a, _ in pair_list), dtype=np.int32, count=len(pair_list))
        right = np.fromiter((b for _, b in pair_list), dtype=np.int32, count=len(pair_list))
    comparer = Comparer(table, config)
    levels = comparer.levels(left, right)
    tf: dict[str, TermCounts] = {}
    for field_name, part in tf_columns(config):
        name = f"{field_name}.{part}"
        column = table.column(field_name, part)
        known = term_counts.get(name, {})
        counts = np.array([float(known.get(v, 1)) for v in column.vocab], dtype=np.float64)
        tf[name] = TermCounts(counts, float(present.get(name, total_records)))
    weight = match_weights(model, levels, comparer, left, right, tf=tf, records=max(total_records, 2))
    rare = rare_key_agreements(model, levels, comparer, left, right, tf=tf, records=max(total_records, 2))
    weight = apply_decisive(weight, comparer, levels, left, right, rare)
    valid = _valid_uscc(table, config)
    attachable = same_trade_name(comparer, levels) & (weight > VETO_WEIGHT)
    return Scored(left, right, weight, probability(weight), valid, attachable, same_full_name(comparer, left, right))


def _valid_uscc(table: Table, config: LinkConfig) -> list[bool]:
    out = [False] * table.size
    for name in config.cannot_link:
        column = table.column(name)
        ok = uscc_valid(column)
        for k, v in enumerate(column.ids.tolist()):
            if v >= 0 and bool(ok[v]):
                out[k] = True
    return out


# ------------------------------------------------------------------------------ facts of a record

USCC_FORMS = {"91": "company", "92": "individual"}  # GB 32100: registration authority 9 (SAMR), entity kind 1 / 2


def coded_form(form: str | None, valid: str | None, placed: bool) -> str | None:
    """A record's legal form: its name's, read with its valid credit code (GB 32100, 2nd character: 1 an
    enterprise, 2 an individual business). A name that names no company or individual form (a shop name) takes a
    92 code's form; under a 91 code it names an enterprise — a company, but as well a sole proprietorship or a
    partnership (个人独资企业, 合伙企业), registered without 有限公司 and often named 商行, 经营部, 网店 — so no form
    of the two (the code still hints at a company: `hint_forms`, which keep a join on a name alone from an
    individual business). A registered name (`placed`: it names its place, 晋江市陈埭镇福兴鞋业商行) that reads
    like an individual business's under a 91 code is a sole proprietorship's: no company either, it keeps its form.
    A bare name without its place that reads so (新桥经营部) under a 91 code is no registered name but how an
    enterprise is called on a shelf: it says no form."""
    if not valid:
        return form
    if form not in ("company", "individual"):
        return form if valid[:2] == "91" else USCC_FORMS.get(valid[:2], form)
    if form == "individual" and not placed and valid[:2] == "91":
        return None
    return form


def registration_place(name_place: str | None, code_place: str | None, branch: str | None = None) -> str | None:
    """Where a firm is registered: the place its registered name names, narrowed by its valid credit code when
    the name names only the province the code's authority lies in (河北XX有限公司 with a code of 承德 is
    registered in 承德, not in 邢台); a code of another province leaves the name's place as it is.

    A branch takes its own licence where it sits (`branch`: the place its branch words name, 安徽恒泰集团有限公司
    盐城分公司 -> 盐城), and its credit code names that place: the place its name starts with is its parent's, not
    where the branch is registered (before, the branch's own code read as a place conflicting with its name)."""
    if branch and name_place:
        name_place = branch
    if not name_place:
        return code_place
    if code_place and name_place.endswith("0000") and not code_place.endswith("0000") \
            and code_place[:2] == name_place[:2]:
        return code_place
    return name_place


def record_facts(parts: Parts, config: LinkConfig,
                 at: Mapping[tuple[str, str], int] | None = None) -> tuple[EntityFacts, bool]:
    """A one-record entity's facts, and whether the record is weak (see `linking`); `at` is
    `part_names(config)` as part -> position, when the caller has it already."""
    from national.dedup.normalize import branch_place, is_valid_uscc, phone_place, uscc_place

    if at is None:
        at = {name: k for k, name in enumerate(part_names(config))}

    def get(field_name: str, part: str) -> str | None:
        k = at.get((field_name, part))
        return parts[k] if k is not None else None

    code = get("uscc", "value")
    valid = code if code and is_valid_uscc(code) else None
    form = get("name", "form")
    registered = form in ("company", "individual", "other")
    place = get("name", "place") if registered else None
    form = coded_form(form, valid, get("name", "place") is not None)  # the code says what registered it
    facts = EntityFacts(uscc=valid, place=registration_place(place, uscc_place(valid),
                                                             branch_place(get("name", "brand"))),
                        form=form if form in ("company", "individual") else None,
                        trade=get("name", "trade") if registered else None,
                        parent=place if place and branch_place(get("name", "brand")) else None)
    specific = registered and get("name", "place") is not None
    facts.anchored = bool(valid) or specific
    places = {p for p in (get("name", "place"), get("address", "county") or get("address", "prefecture"),
                          uscc_place(code), phone_place(get("phone", "value"))) if p}
    forms = {f for f in (form if form in ("company", "individual") else None,
                         USCC_FORMS.get(code[:2]) if code else None) if f}
    facts.hint_places, facts.hint_forms = frozenset(places), frozenset(forms)
    named_trade = get("name", "trade")
    if named_trade and not registered:
        facts.hint_trades = frozenset({named_trade})
    identified = any(get(f, p) for f, p in (("uscc", "value"), ("phone", "value"), ("phone", "local"),
                                            ("shop_url", "value"), ("address", "county"), ("address", "street")))
    weak = not specific and not identified
    facts.strong = not weak
    return facts, weak


def table_weak(table: Table, config: LinkConfig) -> npt.NDArray[np.bool_]:
    """Per record of a table: is it weak (see `record_facts`)? The same flags as `table_facts`, per vocabulary."""
    at = set(part_names(config))
    if not any(spec.kind.value == "name" for spec in config.fields):
        return np.zeros(table.size, dtype=bool)
    identified = np.zeros(table.size, dtype=bool)
    for field_name, part in (("uscc", "value"), ("phone", "value"), ("phone", "local"), ("shop_url", "value"),
                             ("address", "county"), ("address", "street")):
        if (field_name, part) in at:
            identified |= table.column(field_name, part).ids >= 0
    specific = np.zeros(table.size, dtype=bool)
    if ("name", "form") in at and ("name", "place") in at:
        form = table.column("name", "form")
        registered = np.array([f in ("company", "individual", "other") for f in form.vocab] + [False], dtype=bool)
        specific = registered[form.ids] & (table.column("name", "place").ids >= 0)  # id -1 -> the False sentinel
    return ~specific & ~identified


_NO_TRADES: frozenset[str] = frozenset()


def table_facts(table: Table, config: LinkConfig,
                records: Sequence[int] | npt.NDArray[np.int32] | None = None) -> tuple[dict[int, EntityFacts],
                                                                                      dict[int, bool]]:
    """Per record of a table (or of `records` only): its facts as a one-record entity and whether it is weak.

    The same facts as `record_facts`, read from per-vocabulary arrays (each distinct code, form or place is
    looked at once) instead of record by record."""
    from national.dedup.normalize import branch_place, phone_place, uscc_place

    names = part_names(config)
    at = {name: k for k, name in enumerate(names)}
    which = np.arange(table.size, dtype=np.intp) if records is None else np.asarray(records, dtype=np.intp)
    has_name = any(spec.kind.value == "name" for spec in config.fields)
    if not len(which):
        return {}, {}

    def ids(field_name: str, part: str) -> npt.NDArray[np.int32] | None:
        return table.column(field_name, part).ids[which] if (field_name, part) in at else None

    def vocab(field_name: str, part: str) -> list[str]:
        return table.column(field_name, part).vocab if (field_name, part) in at else []

    n = len(which)
    none_ids = np.full(n, -1, dtype=np.int32)
    code_ids = ids("uscc", "value")
    code_ids = none_ids if code_ids is None else code_ids
    codes = vocab("uscc", "value")
    valid_vocab = uscc_valid(table.column("uscc", "value")) if codes else np.zeros(0, dtype=bool)
    code_place = [uscc_place(c) for c in codes]
    code_form = [USCC_FORMS.get(c[:2]) for c in codes]
    form_ids, place_ids, trade_ids = (ids("name", p) for p in ("form", "place", "trade"))
    form_ids = none_ids if form_ids is None else form_ids
    place_ids = none_ids if place_ids is None else place_ids
    trade_ids = none_ids if trade_ids is None else trade_ids
    forms, places, trades = vocab("name", "form"), vocab("name", "place"), vocab("name", "trade")
    brand_ids = ids("name", "brand")
    brand_ids = none_ids if brand_ids is None else brand_ids
    brands = vocab("name", "brand")
    branch_of: dict[int, str | None] = {}  # brand id -> the place its branch words name
    county_ids, prefecture_ids = ids("address", "county"), ids("address", "prefecture")
    county_ids = none_ids if county_ids is None else county_ids
    prefecture_ids = none_ids if prefecture_ids is None else prefecture_ids
    counties, prefectures = vocab("address", "county"), vocab("address", "prefecture")
    phone_ids = ids("phone", "value")
    phone_ids = none_ids if phone_ids is None else phone_ids
    phone_places = [phone_place(v) for v in vocab("phone", "value")]  # a landline's area code names its city
    identified = np.zeros(n, dtype=bool)
    for field_name, part in (("uscc", "value"), ("phone", "value"), ("phone", "local"), ("shop_url", "value"),
                             ("address", "county"), ("address", "street")):
        column_ids = ids(field_name, part)
        if column_ids is not None:
            identified |= column_ids >= 0
    registered_vocab = [f in ("company", "individual", "other") for f in forms]
    trade_sets = [frozenset((x,)) for x in trades]
    facts: dict[int, EntityFacts] = {}
    weak: dict[int, bool] = {}
    columns = zip(which.tolist(), code_ids.tolist(), form_ids.tolist(), place_ids.tolist(), trade_ids.tolist(),
                  county_ids.tolist(), prefecture_ids.tolist(), identified.tolist(), phone_ids.tolist(),
                  brand_ids.tolist(), strict=True)
    seen: dict[tuple[int, int, int, int, int, int, bool, str | None, str | None], tuple[EntityFacts, bool]] = {}
    for k, c, f, p, t, county, prefecture, ident, ph, b in columns:
        called = phone_places[ph] if ph >= 0 else None
        branch = None
        if b >= 0 and p >= 0 and f >= 0 and registered_vocab[f]:  # only a registered name's place is a branch's
            branch = branch_of.get(b, "")
            if branch == "":
                branch = branch_of[b] = branch_place(brands[b])
        key = (c, f, p, t, county, prefecture, ident, called, branch)
        known = seen.get(key)
        if known is not None:  # records with the same facts share one (never mutated) EntityFacts
            facts[k], weak[k] = known
            continue
        form = forms[f] if f >= 0 else None
        registered = f >= 0 and registered_vocab[f]
        name_place = places[p] if p >= 0 else None
        valid = codes[c] if c >= 0 and valid_vocab[c] else None
        form = coded_form(form, valid, name_place is not None)
        kind = form if form in ("company", "individual") else None
        place = registration_place(name_place if registered else None, code_place[c] if valid else None, branch)
        specific = registered and name_place is not None
        hint_places = {x for x in (name_place, counties[county] if county >= 0 else (
            prefectures[prefecture] if prefecture >= 0 else None), code_place[c] if c >= 0 else None, called) if x}
        hint_forms = {x for x in (kind, code_form[c] if c >= 0 else None) if x}
        is_weak = not specific and not ident
        facts[k] = EntityFacts(uscc=valid, place=place, form=kind, trade=(trades[t] if t >= 0 else None)
                               if registered else None, strong=not is_weak, anchored=bool(valid) or specific,
                               hint_places=frozenset(hint_places), hint_forms=frozenset(hint_forms),
                               hint_trades=trade_sets[t] if t >= 0 and not registered else _NO_TRADES,
                               parent=name_place if registered and name_place and branch else None)
        weak[k] = is_weak and has_name
        seen[key] = facts[k], weak[k]
    return facts, weak
