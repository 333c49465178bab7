"""Loading at scale: parse and normalize an entities file in worker processes, merge into one table.

Each worker takes a newline-aligned byte range of the file, parses and checks its lines and
normalizes the distinct raw values of each field; the parent merges vocabularies. Not part of
the pure core: it reads files and starts processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from national.dedup.config import PARTS, LinkConfig
from national.dedup.io import LineError, parse_lines
from national.dedup.table import Column, Normalized, Table, normalize_texts


@dataclass
class _Chunk:
    """What one worker sends back."""

    file: str
    ids: list[str]
    line_numbers: list[int]
    errors: list[LineError]
    lines: int
    fields: dict[str, tuple[list[Normalized], npt.NDArray[np.int32]]]


def _ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """Newline-aligned byte ranges covering the file."""
    size = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as handle:
        for k in range(1, parts):
            handle.seek(max(size * k // parts, cuts[-1]))
            handle.readline()
            cuts.append(min(handle.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [(0, 0)]


def _work(path: str, start: int, end: int, config: LinkConfig, fields: Sequence[str], required: Sequence[str]) -> _Chunk:
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    lines = data.decode("utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    loaded = parse_lines(lines, path, fields, required)
    out: dict[str, tuple[list[Normalized], npt.NDArray[np.int32]]] = {}
    for spec in config.fields:
        distinct: dict[str, int] = {}
        codes = np.fromiter((distinct.setdefault(r.get(spec.key, ""), len(distinct))  # type: ignore[arg-type]
                             for r in loaded.records), dtype=np.int32, count=len(loaded.records))
        out[spec.name] = (normalize_texts(spec.kind, list(distinct)), codes)
    return _Chunk(path, loaded.ids, loaded.line_numbers, loaded.errors, len(lines), out)


@dataclass
class LoadedTable:
    """Ids in input order, their normalized table and the problems found."""

    ids: list[str]
    table: Table
    errors: list[LineError]


def load_table(path: str | Path, config: LinkConfig, workers: int = 0, fields: Sequence[str] = (),
               required: Sequence[str] = ()) -> LoadedTable:
    """Parse, check and normalize an entities file using `workers` processes (0: all cores)."""
    path = Path(path)
    workers = workers or os.cpu_count() or 1
    fields = tuple(fields) or tuple(dict.fromkeys([f.key for f in config.fields] + ["region"]))
    required = tuple(required) or (config.fields[0].key,)
    ranges = _ranges(path, workers * 2 if workers > 1 else 1)
    jobs = [(str(path), a, b, config, fields, required) for a, b in ranges]
    if workers > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.starmap(_work, jobs)
    else:
        chunks = [_work(*job) for job in jobs]
    return _merge(chunks, config)


def _merge(chunks: list[_Chunk], config: LinkConfig) -> LoadedTable:
    ids: list[str] = []
    errors: list[LineError] = []
    keep: list[npt.NDArray[np.bool_]] = []
    seen: set[str] = set()
    offset = 0
    for chunk in chunks:
        mask = np.ones(len(chunk.ids), dtype=bool)
        for k, rid in enumerate(chunk.ids):
            if rid in seen:
                mask[k] = False
                errors.append(LineError(chunk.file, chunk.line_numbers[k] + offset, "id", f"duplicate id {rid!r}", True))
            else:
                seen.add(rid)
                ids.append(rid)
        errors.extend(replace(e, line=e.line + offset) for e in chunk.errors)
        keep.append(mask)
        offset += chunk.lines
    columns: dict[tuple[str, str], Column] = {}
    for spec in config.fields:
        for p, part in enumerate(PARTS[spec.kind]):
            vocab: dict[str, int] = {}
            pieces = []
            for chunk, mask in zip(chunks, keep, strict=True):
                normalized, codes = chunk.fields[spec.name]
                local = np.fromiter(
                    (-1 if n is None or (v := n[p]) is None else vocab.setdefault(v, len(vocab)) for n in normalized),
                    dtype=np.int32, count=len(normalized))
                pieces.append(local[codes[mask]] if len(codes) else np.zeros(0, np.int32))
            ids_arr = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
            columns[(spec.name, part)] = Column(ids_arr.astype(np.int32), list(vocab))
    return LoadedTable(ids, Table(len(ids), columns), errors)
