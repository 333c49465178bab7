"""Normalized records as columns: each field part factorized into integer ids over a vocabulary."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from national.dedup.config import PARTS, FieldKind, FieldSpec, LinkConfig
from national.dedup.normalize import (
    canonical_trade,
    fold,
    normalize_address,
    normalize_name,
    normalize_phones,
    normalize_shop_url,
    normalize_uscc,
)

IntArray = npt.NDArray[np.int32]
PHONE_SEP = "|"  # joins the numbers of one phone field in its `numbers` part (never in a normalized number)
Normalized = tuple[str | None, ...] | None


@dataclass
class Column:
    """One field part: per-record ids into `vocab` (-1 where missing)."""

    ids: IntArray
    vocab: list[str]

    def counts(self) -> npt.NDArray[np.int64]:
        """How many records carry each vocabulary value."""
        present = self.ids[self.ids >= 0]
        return np.bincount(present, minlength=len(self.vocab)).astype(np.int64)


@dataclass
class Table:
    """All records of one run, normalized: `columns[(field, part)]`."""

    size: int
    columns: dict[tuple[str, str], Column]

    def column(self, field: str, part: str = "value") -> Column:
        """The column of one field part."""
        return self.columns[(field, part)]


def _text(raw: str) -> Normalized:
    value = fold(raw)
    return (value,) if value else None


def _uscc(raw: str) -> Normalized:
    value = normalize_uscc(raw)
    return (value,) if value else None


def _phone(raw: str) -> Normalized:
    numbers = normalize_phones(raw)
    if not numbers:
        return None
    value = numbers[0]
    return value, (value.split("-", 1)[1] if "-" in value else None), PHONE_SEP.join(numbers)


def _name(raw: str) -> Normalized:
    parts = normalize_name(raw)
    if parts is None:
        return None
    return (parts.core, parts.full, parts.brand, parts.place, canonical_trade(parts.trade) or None, parts.form or None,
            parts.sound or None)


def _address(raw: str) -> Normalized:
    parsed = normalize_address(raw)
    if parsed is None:
        return None
    return parsed.code, parsed.prefecture or parsed.province, parsed.street or None


def _url(raw: str) -> Normalized:
    value = normalize_shop_url(raw)
    return (value,) if value else None


NORMALIZERS: dict[FieldKind, Callable[[str], Normalized]] = {
    FieldKind.EXACT: _text,
    FieldKind.STRING: _text,
    FieldKind.USCC: _uscc,
    FieldKind.PHONE: _phone,
    FieldKind.NAME: _name,
    FieldKind.ADDRESS: _address,
    FieldKind.SHOP_URL: _url,
}


def normalize_texts(kind: FieldKind, texts: list[str]) -> list[Normalized]:
    """Normalize a batch of raw texts of one kind (blank -> None); picklable for worker processes."""
    normalizer = NORMALIZERS[kind]
    return [normalizer(t) if t.strip() else None for t in texts]


Mapper = Callable[[FieldKind, list[str]], list[Normalized]]


def _column_parts(spec: FieldSpec, raws: Sequence[object], mapper: Mapper | None = None) -> dict[str, Column]:
    """Normalize one field's raw values (each distinct value once) into one column per part."""
    distinct: dict[object, int] = {}
    codes = np.fromiter((distinct.setdefault(v, len(distinct)) for v in raws), dtype=np.int64, count=len(raws))
    texts = [v if isinstance(v, str) else ("" if v is None else str(v)) for v in distinct]
    normalized = (mapper or normalize_texts)(spec.kind, texts)
    out = {}
    for k, part in enumerate(PARTS[spec.kind]):
        vocab: dict[str, int] = {}
        per_distinct = np.fromiter(
            (-1 if n is None or (v := n[k]) is None else vocab.setdefault(v, len(vocab)) for n in normalized),
            dtype=np.int32, count=len(normalized))
        ids = per_distinct[codes] if len(codes) else np.zeros(0, np.int32)
        out[part] = Column(ids.astype(np.int32), list(vocab))
    return out


class _Lap(Protocol):
    def lap(self, stage: str) -> None: ...


def build_table(records: Sequence[Mapping[str, object]], config: LinkConfig, mapper: Mapper | None = None,
                clock: _Lap | None = None) -> Table:
    """Normalize `records` into a table, column by column; `mapper` may spread the work over processes;
    `clock` (an `engine.StageClock`) is charged the CPU time of each field's normalization."""
    columns: dict[tuple[str, str], Column] = {}
    for spec in config.fields:
        key = spec.key
        raws = [r.get(key) for r in records]
        for part, column in _column_parts(spec, raws, mapper).items():
            columns[(spec.name, part)] = column
        if clock is not None:
            clock.lap(f"normalize {spec.name}")
    return Table(len(records), columns)


def strings(column: Column, ids: Sequence[int] | IntArray) -> list[str]:
    """The vocabulary strings of `ids` (all must be >= 0)."""
    vocab = column.vocab
    return [vocab[i] for i in ids]


class ProcessMapper:
    """Spreads normalization of large batches over worker processes (fork), in order."""

    def __init__(self, processes: int, min_batch: int = 50_000, chunk: int = 20_000) -> None:
        """Use `processes` workers for batches of at least `min_batch` texts."""
        import multiprocessing

        self.min_batch = min_batch
        self.chunk = chunk
        self.pool = multiprocessing.get_context("fork").Pool(processes) if processes > 1 else None

    def __call__(self, kind: FieldKind, texts: list[str]) -> list[Normalized]:
        """Normalized texts, computed in the workers when the batch is large."""
        if self.pool is None or len(texts) < self.min_batch:
            return normalize_texts(kind, texts)
        chunks = [(kind, texts[k:k + self.chunk]) for k in range(0, len(texts), self.chunk)]
        out: list[Normalized] = []
        for part in self.pool.starmap(normalize_texts, chunks):
            out.extend(part)
        return out

    def close(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
