"""Build the Chinese glyph-similarity table (regional/data/glyph_similar.tsv) once, offline.

    apt-get install fonts-noto-cjk unicode-data      # the two inputs (Debian packages)
    python -m regional.detection.build_glyph_table [--out regional/data/glyph_similar.tsv]

Which characters look alike (形近字) is computed from the glyphs themselves and from the
Unicode Character Database, never from a hand list:

- shape: every character of the set below is drawn with Noto Sans CJK SC (SIL OFL), blurred
  and compared with every other (cosine of mean-centred pictures), as a whole and by its
  parts (left, right, top, bottom two thirds, so that 傅/博 — same phonetic part, other
  radical — count, while 河/湖 — only the narrow radical in common — do not);
- codes: Unihan's kCangjie (a shape code: 师 LLMB / 帅 LLLB), kFourCornerCode (四角号码:
  金 8010.9 / 全 8010.4), kPhonetic (characters built on the same phonetic part) and
  kTotalStrokes (one stroke more or less), under the Unicode licence.

The character set is GB 2312 (6,763) together with Unihan's kUnihanCore2020 characters of
the G source: what Chinese titles are written in after traditional-to-simplified folding.
Each pair's score (0-100) is a fixed blend of those signals (weights in `score()`); a
character keeps its NEIGHBOURS best look-alikes scoring at least MIN_SCORE (and is kept by
those it is among the best of). The output is a
plain TSV shipped in the repository, so nothing is computed at run time and neither input
is needed to run Hufu. Takes about a minute on two cores.
"""

from __future__ import annotations

import argparse
import bz2
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
UNIHAN = Path("/usr/share/unicode")
OUT = Path(__file__).resolve().parent.parent / "data" / "glyph_similar.tsv"
SIZE = 64  # drawing size in pixels
GRID = 32  # compared at this resolution after blurring
NEIGHBOURS = 16
MIN_SCORE = 35  # of 100: score() / 1.6
TOP = 100  # candidates per character and per view before scoring


def gb2312() -> list[str]:
    """The 6,763 characters of GB 2312 levels 1 and 2."""
    out = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def unihan(folder: Path) -> dict[str, dict[str, str]]:
    """Character -> {field: value} for the Unihan fields used here."""
    wanted = {"kCangjie", "kFourCornerCode", "kPhonetic", "kTotalStrokes", "kUnihanCore2020", "kFrequency"}
    data: dict[str, dict[str, str]] = defaultdict(dict)
    for name in ("Unihan_DictionaryLikeData.txt.bz2", "Unihan_IRGSources.txt.bz2"):
        with bz2.open(folder / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("U+"):
                    cp, field, value = line.rstrip("\n").split("\t", 2)
                    if field in wanted:
                        data[chr(int(cp[2:], 16))][field] = value
    return data


def char_set(meta: dict[str, dict[str, str]]) -> list[str]:
    """GB 2312 plus the G-source core characters."""
    chars = dict.fromkeys(gb2312())
    for ch, fields in meta.items():
        if "G" in fields.get("kUnihanCore2020", "") and 0x4E00 <= ord(ch) <= 0x9FFF:
            chars.setdefault(ch)
    return list(chars)


def draw(chars: list[str], font_path: Path) -> np.ndarray:
    """Blurred pictures of each character, shape (n, GRID, GRID), ink = 1."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = next(f for i in range(8)
                if "SC" in ((f := ImageFont.truetype(str(font_path), SIZE, index=i)).getname()[0] or ""))
    out = np.zeros((len(chars), GRID, GRID), dtype=np.float32)
    canvas = SIZE + 8
    for k, ch in enumerate(chars):
        img = Image.new("L", (canvas, canvas), 0)
        ImageDraw.Draw(img).text((canvas / 2, canvas / 2), ch, fill=255, font=font, anchor="mm")
        img = img.filter(ImageFilter.GaussianBlur(2.0)).resize((GRID, GRID), Image.Resampling.BILINEAR)
        out[k] = np.asarray(img, dtype=np.float32) / 255.0
    return out


def _views(pictures: np.ndarray) -> dict[str, np.ndarray]:
    """Mean-centred, unit-length vectors of the whole picture and of its four two-thirds parts."""
    cut = GRID * 2 // 3
    parts = {
        "whole": pictures,
        "left": pictures[:, :, :cut], "right": pictures[:, :, GRID - cut:],
        "top": pictures[:, :cut, :], "bottom": pictures[:, GRID - cut:, :],
    }
    views = {}
    for name, part in parts.items():
        flat = part.reshape(len(part), -1)
        flat = flat - flat.mean(axis=0, keepdims=True)
        norm = np.linalg.norm(flat, axis=1, keepdims=True)
        views[name] = flat / np.maximum(norm, 1e-6)
    return views


def nearest(views: dict[str, np.ndarray], top: int = TOP) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per view: indices and cosines of each character's `top` most similar other characters."""
    out = {}
    for name, v in views.items():
        n = len(v)
        idx = np.zeros((n, top), dtype=np.int32)
        sims = np.zeros((n, top), dtype=np.float32)
        for start in range(0, n, 1024):
            block = v[start:start + 1024] @ v.T
            for r in range(block.shape[0]):
                block[r, start + r] = -2.0
            part = np.argpartition(-block, top, axis=1)[:, :top]
            idx[start:start + len(block)] = part
            sims[start:start + len(block)] = np.take_along_axis(block, part, axis=1)
        out[name] = (idx, sims)
    return out


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def score(whole: float, part: float, a: dict[str, str], b: dict[str, str]) -> float:
    """How easily a shopper takes one character for the other at a glance (about 0..1.5).

    The whole glyph dominates; a large identical part (same phonetic, other radical), a close
    Cangjie code, shared four-corner digits, a shared kPhonetic class and a stroke count one
    apart each add a little. The weights were chosen on textbook 形近字 pairs (己/已, 未/末,
    拨/拔, 候/侯 …), ranking each pair's partner among all 8,000 characters.
    """
    cj_a, cj_b = a.get("kCangjie", ""), b.get("kCangjie", "")
    cangjie = 1.0 - _levenshtein(cj_a, cj_b) / max(len(cj_a), len(cj_b)) if cj_a and cj_b else 0.0
    fc_a, fc_b = a.get("kFourCornerCode", "")[:4], b.get("kFourCornerCode", "")[:4]
    corners = sum(x == y for x, y in zip(fc_a, fc_b, strict=False)) / 4 if len(fc_a) == len(fc_b) == 4 else 0.0
    phon_a = set(a.get("kPhonetic", "").replace("*", "").split())
    phon_b = set(b.get("kPhonetic", "").replace("*", "").split())
    strokes_a = int(a.get("kTotalStrokes", "0").split()[0] or 0)
    strokes_b = int(b.get("kTotalStrokes", "0").split()[0] or 0)
    near_strokes = bool(strokes_a and strokes_b and abs(strokes_a - strokes_b) <= 1)
    return (whole + 0.3 * max(0.0, part - 0.5) * 2 + 0.3 * cangjie + 0.2 * corners
            + 0.1 * bool(phon_a & phon_b) + 0.1 * near_strokes)


def build(font_path: Path = FONT, unihan_dir: Path = UNIHAN, say=print) -> dict[str, list[tuple[str, int]]]:
    """Character -> [(look-alike, score)], best first."""
    meta = unihan(unihan_dir)
    chars = char_set(meta)
    say(f"{len(chars)} characters; drawing them with {font_path.name} ...")
    views = _views(draw(chars, font_path))
    say("comparing every pair of glyphs (whole and by parts) ...")
    near = nearest(views)
    pairs: dict[tuple[int, int], list[float]] = {}
    for _name, (idx, sims) in near.items():
        for i in range(len(chars)):
            for j, _s in zip(idx[i], sims[i], strict=True):
                key = (i, int(j)) if i < j else (int(j), i)
                pairs.setdefault(key, [0.0, 0.0])
    # characters built on the same phonetic part are candidates even when the pictures differ more
    by_phonetic: dict[str, list[int]] = defaultdict(list)
    for i, ch in enumerate(chars):
        for p in meta[ch].get("kPhonetic", "").replace("*", "").split():
            by_phonetic[p].append(i)
    for members in by_phonetic.values():
        if len(members) <= 40:
            for x in members:
                for y in members:
                    if x < y:
                        pairs.setdefault((x, y), [0.0, 0.0])
    say(f"scoring {len(pairs)} candidate pairs ...")
    keys = np.asarray(list(pairs), dtype=np.int64)
    whole = np.sum(views["whole"][keys[:, 0]] * views["whole"][keys[:, 1]], axis=1)
    part = np.max(np.stack([np.sum(views[v][keys[:, 0]] * views[v][keys[:, 1]], axis=1)
                            for v in ("left", "right", "top", "bottom")]), axis=0)
    table: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (i, j), w, p in zip(keys.tolist(), whole.tolist(), part.tolist(), strict=True):
        s = round(100 * min(1.0, score(w, p, meta[chars[i]], meta[chars[j]]) / 1.6))
        if s >= MIN_SCORE:
            table[chars[i]].append((chars[j], s))
            table[chars[j]].append((chars[i], s))
    # a character keeps its NEIGHBOURS best; a pair stays when either side keeps it
    kept: dict[str, dict[str, int]] = defaultdict(dict)
    for ch, ns in table.items():
        for other, s in sorted(ns, key=lambda x: (-x[1], x[0]))[:NEIGHBOURS]:
            kept[ch][other] = s
            kept[other][ch] = s
    return {ch: sorted(ns.items(), key=lambda x: (-x[1], x[0])) for ch, ns in kept.items()}


def write_table(table: dict[str, list[tuple[str, int]]], out: Path, header: list[str]) -> None:
    """A character table as TSV: `header` lines (comments), then, by code point, char TAB other:score ...

    The one writer of the shipped character tables (glyph_similar.tsv, glyph_components.tsv);
    regional/detection/normalize.py reads them.
    """
    lines = list(header)
    for ch in sorted(table, key=ord):
        lines.append(ch + "\t" + " ".join(f"{n}:{s}" for n, s in table[ch]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write(table: dict[str, list[tuple[str, int]]], out: Path) -> None:
    """The TSV: a header, then one line per character: char TAB look-alike:score ..."""
    write_table(table, out, [
        "# Chinese glyph look-alikes (形近字), generated by regional/detection/build_glyph_table.py — do not edit.",
        "# Inputs: Noto Sans CJK SC glyphs (SIL OFL 1.1) and Unihan kCangjie/kFourCornerCode/kPhonetic/kTotalStrokes",
        "# (Unicode License v3). Format: character<TAB>look-alike:score(0-100) ..., best first.",
    ])


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the table (default: the package's)")
    parser.add_argument("--font", type=Path, default=FONT, help="Noto Sans CJK collection (fonts-noto-cjk)")
    parser.add_argument("--unihan", type=Path, default=UNIHAN, help="folder with Unihan_*.txt.bz2 (unicode-data)")
    args = parser.parse_args(argv)
    table = build(args.font, args.unihan, say=lambda m: print(m, file=sys.stderr))
    write(table, args.out)
    print(f"{len(table)} characters with look-alikes -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
