"""Build regional/data/common_readings.tsv (a character's second readings met in one phrase only, but a common one)
once, offline:

    pip download --no-deps jieba==0.42.1 -d /tmp/jieba && tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    python -m regional.detection.build_common_readings --jieba /tmp/jieba/jieba-0.42.1/jieba/dict.txt

(the same dict.txt as build_chinese_words: sha256 7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8.)

normalize.PHRASE_MIN keeps a character's other reading when at least two phrases of pypinyin's phrase dictionary read
it so. A reading met in one phrase only is often a one-off (万俟 mò, 南无 nā, 冒顿 dú), but sometimes the one phrase is a
common word, and the reading with it: 咖 gā (咖喱), 秘 bì (秘鲁), 哪 né (哪吒), 六 lù (六安), 番 pān (番禺), 杉 shā
(杉木). jieba 0.42.1's dictionary counts how often each word was met in its corpus: the file lists each (character,
toneless reading) of exactly one phrase whose jieba count is at least JIEBA_MIN (咖喱 12, 秘鲁 563; 万俟 5, 南无 and
冒顿 0). A reading no phrase holds (王 yù, 草 zào) is never added. Inputs: jieba's dict.txt (MIT, Copyright (c) 2013
Sun Junyi) and pypinyin 0.55.0's character and phrase dictionaries (MIT).
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "common_readings.tsv"
JIEBA_MIN = 10
_HEADER = """# A character's other reading read so in one phrase only of pypinyin 0.55.0's phrase dictionary, that phrase counted
# at least {n} times in jieba 0.42.1's dictionary: character, toneless reading, the phrase, its jieba count.
# Made by python -m regional.detection.build_common_readings (see there). jieba: MIT, (c) 2013 Sun Junyi;
# pypinyin: MIT, (c) 2016 mozillazg.
"""


def rows(jieba_counts: dict[str, int]) -> list[tuple[str, str, str, int]]:
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    from regional.detection import normalize as nz

    phrases: dict[tuple[str, str], list[str]] = {}
    for phrase, readings in phrases_dict.items():
        if len(phrase) != len(readings):
            continue
        for ch, options in zip(phrase, readings, strict=True):
            for reading in {o.translate(nz._TONES) for o in options}:
                phrases.setdefault((ch, reading), []).append(phrase)
    out: list[tuple[str, str, str, int]] = []
    for cp, raw in pinyin_dict.items():
        ch = chr(cp)
        if not nz.is_cjk(ch):
            continue
        for reading in nz.unique(r.translate(nz._TONES) for r in raw.split(","))[1:]:
            found = phrases.get((ch, reading), [])
            if len(found) == 1 and jieba_counts.get(found[0], 0) >= JIEBA_MIN:
                out.append((ch, reading, found[0], jieba_counts[found[0]]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jieba", required=True, help="jieba 0.42.1's dict.txt")
    args = parser.parse_args(argv)
    counts: dict[str, int] = {}
    for line in Path(args.jieba).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            counts[parts[0]] = int(parts[1])
    found = rows(counts)
    OUT.write_text(_HEADER.format(n=JIEBA_MIN) + "".join(f"{c}\t{r}\t{p}\t{n}\n" for c, r, p, n in found),
                   encoding="utf-8")
    print(f"wrote {OUT} ({len(found)} readings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
