"""Pairwise comparisons, vectorized: each field gives every pair a level (0 = a value is missing).

Levels rise with agreement; the top level is always exact agreement. String similarities are
computed once per distinct value pair with rapidfuzz's parallel `cpdist`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler, Levenshtein

from national.dedup.config import FieldKind, FieldSpec, LinkConfig
from national.dedup.linking import same_goods_family
from national.dedup.normalize import (
    forms_compatible,
    one_slip,
    places_compatible,
    trades_compatible,
    written_tail,
)
from national.dedup.table import Column, Table
from regional.identifiers import USCC_CHARSET

Levels = npt.NDArray[np.int8]
IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

_METRICS: dict[str, Any] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "levenshtein": Levenshtein.normalized_similarity,
    "indel": Indel.normalized_similarity,
}


def level_count(spec: FieldSpec) -> int:
    """Number of non-null levels of a field."""
    return {
        FieldKind.EXACT: 2,
        FieldKind.SHOP_URL: 2,
        FieldKind.STRING: len(spec.thresholds) + 2,
        FieldKind.USCC: 3,
        FieldKind.PHONE: 3,
        FieldKind.NAME: 6,
        FieldKind.ADDRESS: 5,
    }[spec.kind]


def similarity(column: Column, a: IntArray, b: IntArray, metric: str) -> FloatArray:
    """Similarity in [0, 1] of vocabulary values a[k] and b[k]; computed once per distinct pair."""
    if len(a) == 0:
        return np.zeros(0)
    width = np.int64(len(column.vocab) + 1)
    codes = a.astype(np.int64) * width + b.astype(np.int64)
    uniq, inverse = np.unique(codes, return_inverse=True)
    vocab = column.vocab
    left = [vocab[i] for i in (uniq // width).tolist()]
    right = [vocab[i] for i in (uniq % width).tolist()]
    scores = process.cpdist(left, right, scorer=_METRICS[metric], workers=-1, dtype=np.float32)
    return np.asarray(scores, dtype=np.float64)[inverse]


def _thresholded(sim: FloatArray, thresholds: tuple[float, ...]) -> Levels:
    """1 below every threshold ... len(thresholds)+1 at or above the highest."""
    out = np.ones(len(sim), dtype=np.int8)
    for t in sorted(thresholds):
        out += (sim >= t).astype(np.int8)
    return out


def _exact(col: Column, i: IntArray, j: IntArray) -> Levels:
    a, b = col.ids[i], col.ids[j]
    out = np.where(a == b, 2, 1).astype(np.int8)
    out[(a < 0) | (b < 0)] = 0
    return out


def _string(col: Column, i: IntArray, j: IntArray, spec: FieldSpec) -> Levels:
    a, b = col.ids[i], col.ids[j]
    top = len(spec.thresholds) + 2
    out = np.full(len(a), top, dtype=np.int8)
    differ = (a != b) & (a >= 0) & (b >= 0)
    out[differ] = _thresholded(similarity(col, a[differ], b[differ], spec.metric), spec.thresholds)
    out[(a < 0) | (b < 0)] = 0
    return out


def uscc_hamming(col: Column, a: IntArray, b: IntArray) -> IntArray:
    """Differing characters between codes a[k] and b[k] (all 18 characters long)."""
    matrix = np.frombuffer("".join(col.vocab).encode("ascii"), dtype=np.uint8).reshape(-1, 18) \
        if col.vocab else np.zeros((0, 18), np.uint8)
    out = np.zeros(len(a), dtype=np.int32)
    step = 1_000_000
    for s in range(0, len(a), step):
        out[s:s + step] = (matrix[a[s:s + step]] != matrix[b[s:s + step]]).sum(axis=1)
    return out


_USCC_WEIGHTS = np.array([pow(3, k, 31) for k in range(17)], dtype=np.int64)


def uscc_valid(col: Column) -> npt.NDArray[np.bool_]:
    """Per vocabulary value: does its check character verify (GB 32100)? Vectorized is_valid_uscc."""
    if not col.vocab:
        return np.zeros(0, dtype=bool)
    lookup = np.full(128, -1, dtype=np.int64)
    for k, ch in enumerate(USCC_CHARSET):
        lookup[ord(ch)] = k
    chars = lookup[np.frombuffer("".join(col.vocab).encode("ascii"), dtype=np.uint8).reshape(-1, 18)]
    check = (31 - (chars[:, :17] * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    return (check == chars[:, 17]) & (chars >= 0).all(axis=1)


def _uscc(col: Column, i: IntArray, j: IntArray, valid: npt.NDArray[np.bool_]) -> Levels:
    a, b = col.ids[i], col.ids[j]
    out = np.where(a == b, 3, 1).astype(np.int8)
    differ = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
    if len(differ):
        da, db = a[differ], b[differ]
        # Two valid codes never differ by one typo (the check character catches it): a near miss
        # is evidence only when one side fails its check.
        near = (uscc_hamming(col, da, db) <= 2) & ~(valid[da] & valid[db])
        out[differ[near]] = 2
    out[(a < 0) | (b < 0)] = 0
    return out


def _phone(full: Column, local: Column, i: IntArray, j: IntArray, numbers: Column | None = None) -> Levels:
    out = _first_phone(full, local, i, j)
    if numbers is not None and numbers.vocab:
        several = _several(numbers)
        na, nb = numbers.ids[i], numbers.ids[j]
        look = np.flatnonzero((na >= 0) & (nb >= 0) & (several[np.maximum(na, 0)] | several[np.maximum(nb, 0)]))
        # a field holding several numbers (a landline and a mobile, two staff mobiles): the best agreement of any
        # number of one record with any of the other's
        vocab = numbers.vocab
        for k, x, y in zip(look.tolist(), na[look].tolist(), nb[look].tolist(), strict=True):
            out[k] = max(out[k], _numbers_level(vocab[x], vocab[y]))
    return out


def _several(numbers: Column) -> npt.NDArray[np.bool_]:
    """Per `numbers` value: does the field hold more than one number? Cached on the column."""
    cached = getattr(numbers, "_several", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out = np.fromiter(("|" in v for v in numbers.vocab), dtype=bool, count=len(numbers.vocab))
    object.__setattr__(numbers, "_several", out)
    return out


def _numbers_level(a: str, b: str) -> int:
    """The phone level of two fields' numbers ('|'-joined): the best over every number of one against every number
    of the other, as `_first_phone` levels one number against one (3 the same; 2 the same local number, one without
    area code; 1 different lines of one kind; 0 a mobile against a landline)."""
    best = 0
    for x in a.split("|"):
        for y in b.split("|"):
            if x == y:
                return 3
            if ("-" in x) != ("-" in y):
                continue  # a mobile and a landline: no comparison
            same_local = "-" in x and x.split("-", 1)[1] == y.split("-", 1)[1] and (x[0] == "-" or y[0] == "-")
            best = max(best, 2 if same_local else 1)
    return best


def shared_numbers(table: Table, field: str, i: IntArray, j: IntArray, first: IntArray) -> IntArray:
    """Per pair agreeing on a phone (records i[k], j[k]; `first`: i's first number, ids of the `value` column): the
    id of the number both fields hold — i's first, unless the fields hold several numbers and agree on another
    (-1 when that number is no record's first: its term frequency is not counted)."""
    numbers = table.columns.get((field, "numbers"))
    if numbers is None or not numbers.vocab or not len(i):
        return first
    value = table.column(field, "value")
    several = _several(numbers)
    na, nb = numbers.ids[i], numbers.ids[j]
    look = np.flatnonzero((na >= 0) & (nb >= 0) & (several[np.maximum(na, 0)] | several[np.maximum(nb, 0)])
                          & (value.ids[i] != value.ids[j]))
    if not len(look):
        return first
    out = first.copy()
    index = {v: k for k, v in enumerate(value.vocab)}
    for k, x, y in zip(look.tolist(), na[look].tolist(), nb[look].tolist(), strict=True):
        mine = numbers.vocab[x].split("|")
        theirs = set(numbers.vocab[y].split("|"))
        shared = next((n for n in mine if n in theirs), None)
        out[k] = index.get(shared, -1) if shared is not None else first[k]
    return out


def _first_phone(full: Column, local: Column, i: IntArray, j: IntArray) -> Levels:
    a, b = full.ids[i], full.ids[j]
    la, lb = local.ids[i], local.ids[j]
    out = np.where(a == b, 3, 1).astype(np.int8)
    no_area = np.fromiter((v.startswith("-") for v in full.vocab), dtype=bool, count=len(full.vocab))
    same_local = (la == lb) & (la >= 0) & (a != b) & (a >= 0) & (b >= 0)
    idx = np.flatnonzero(same_local)
    out[idx[no_area[a[idx]] | no_area[b[idx]]]] = 2
    # a mobile and a landline are two different lines, not two different answers: a firm has both
    mobile = np.fromiter(("-" not in v for v in full.vocab), dtype=bool, count=len(full.vocab)) \
        if full.vocab else np.zeros(1, dtype=bool)
    out[mobile[np.maximum(a, 0)] != mobile[np.maximum(b, 0)]] = 0
    out[(a < 0) | (b < 0)] = 0
    return out


def _name(table: Table, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
    """Name levels, from evidence against to the strongest evidence for one entity:

    1 conflict — the same or a similar trade name, but registered in incompatible places, with a
      company and an individual-business form, or with different trades (深圳市华美电子 vs 杭州市华美
      电子, 华美商贸有限公司 vs 华美商行, 华美电子 vs 华美服饰): names are unique only within one
      registration authority, form and trade;
    2 different; 3 similar (a typo); 4 the same trade name where one side is a shop-style or bare
      name, or where one side names no trade (weak: 德田经营部 vs 德田厨具厂, 华美有限公司 vs 华美电子有限公司 —
      firms in many cities share a trade name); 5 the same trade name and the same trade, both named; 6 the same
      registered name: both carry place and legal form, and agree on all of them (specific: such a name alone
      identifies a firm).
    """
    core, brand, place, trade, form = (table.column(spec.name, p) for p in ("core", "brand", "place", "trade", "form"))
    sound = table.column(spec.name, "sound")
    a, b = core.ids[i], core.ids[j]
    ba, bb = brand.ids[i], brand.ids[j]
    out = np.full(len(a), 2, dtype=np.int8)
    present = (a >= 0) & (b >= 0)
    same_brand = present & (ba == bb) & (ba >= 0)
    # a homophone of the trade name (雅丰 typed 雅峰) is the same trade name, at the weak level
    sa, sb = sound.ids[i], sound.ids[j]
    sounds_alike = present & ~same_brand & (sa == sb) & (sa >= 0) & _multi_syllable(sound)[np.maximum(sa, 0)]
    rest = np.flatnonzero(present & ~same_brand)
    threshold = spec.thresholds[0]
    if len(rest):
        # only pairs that share enough characters can reach the threshold (random pairs, in u, mostly do not)
        bb_ok = (ba[rest] >= 0) & (bb[rest] >= 0)
        near_core = _may_reach(core, a[rest], b[rest], threshold)
        near_brand = bb_ok & _may_reach(brand, np.maximum(ba[rest], 0), np.maximum(bb[rest], 0), threshold)
        similar = np.zeros(len(rest), dtype=bool)
        if near_core.any():
            k = np.flatnonzero(near_core)
            similar[k] = similarity(core, a[rest][k], b[rest][k], "indel") >= threshold
        if near_brand.any():
            k = np.flatnonzero(near_brand & ~similar)
            similar[k] |= similarity(brand, ba[rest][k], bb[rest][k], "indel") >= threshold
        out[rest] = np.where(similar, 3, 2)
        slipped = np.flatnonzero(~similar)
        if len(slipped):  # one typing slip anywhere in the written name, form included (久明尚行, 顺商辉行)
            hit = _one_slip(table.column(spec.name, "full"), core, i[rest][slipped], j[rest][slipped])
            out[rest[slipped[hit]]] = 3
            # ... or in the trade names alone, whatever shop styles or forms follow them (仁盛通自营店 / 仁通盛小店)
            left = slipped[~hit]
            left = left[(ba[rest][left] >= 0) & (bb[rest][left] >= 0)]
            if len(left):
                out[rest[left[_brand_slip(brand, ba[rest][left], bb[rest][left])]]] = 3
        # both names registered in one place, one typing slip apart (沈阳市沈河区宁亮尚行 / 沈阳市沈河区宁亮商行): one
        # registered name typed twice — weak evidence (level 4) like a shared trade name, not merely similar
        pa, pb = place.ids[i[rest]], place.ids[j[rest]]
        one_place = np.flatnonzero((pa >= 0) & (pa == pb))
        if len(one_place):
            one_place = one_place[_one_slip(table.column(spec.name, "full"), core, i[rest][one_place],
                                            j[rest][one_place])]
            out[rest[one_place]] = 4
    same = np.flatnonzero(same_brand)
    if len(same):
        ta, tb = trade.ids[i[same]], trade.ids[j[same]]
        fa, fb = form.ids[i[same]], form.ids[j[same]]
        pa, pb = place.ids[i[same]], place.ids[j[same]]
        # the trade words must be named on both sides to agree: 德田经营部 and 德田厨具厂, 华美有限公司 and 华美电子有限公司
        # share only the trade name (字号), which firms in many cities carry (weak, unless one registered name)
        weak = (ta < 0) | (tb < 0)
        levels = np.where(weak, 4, 5).astype(np.int8)
        specific = _in_vocab(form, ("company", "individual", "other"))
        # one registered name: place, form and trade all agree — a name that names no trade (华美有限公司, goods the
        # trade list lacks: 黄山松枸杞有限公司, a trade word slipped towards two: 龙康鼎饬品) is that registered name
        # only when it is the same name written out, or written with one typing slip
        registered = (pa >= 0) & (pb >= 0) & (fa >= 0) & (fb >= 0) & specific[np.maximum(fa, 0)] \
            & specific[np.maximum(fb, 0)] & (fa == fb)
        one_named = (ta < 0) != (tb < 0)
        ca, cb = a[same], b[same]
        written_alike = ca == cb
        for x in np.flatnonzero(registered & ((ta < 0) | (tb < 0)) & ~written_alike).tolist():
            written_alike[x] = one_slip(core.vocab[ca[x]], core.vocab[cb[x]])
        levels[registered & (((ta == tb) & ((ta >= 0) | written_alike)) | (one_named & written_alike))] = 6
        # two companies' registered names, one naming a trade and the other none or goods the trade list lacks
        # (淄博市黄山松灯饰有限公司 / 淄博市黄山松枸杞有限公司): two names, not one written twice (a company's name is
        # written as registered; an individual business's often leaves its trade out: 银荣店 for 银荣渔具店)
        company = _in_vocab(form, ("company",))
        levels[registered & company[np.maximum(fa, 0)] & one_named & ~written_alike] = 2
        out[same] = levels
    out[sounds_alike] = 4
    # evidence against: the same or a similar name that cannot be one registered firm
    looks_alike = np.flatnonzero(present & (out >= 3))
    if len(looks_alike):
        conflict = _conflicts(table, spec, i[looks_alike], j[looks_alike])
        out[looks_alike[conflict]] = 1
    # a person's name (the operator's, filed instead of the business) against a business name is no comparison:
    # one operator runs the business under another name; two different people's names stay different
    fulls = table.column(spec.name, "full")
    person = _persons(fulls)
    person_a = (fulls.ids[i] >= 0) & person[np.maximum(fulls.ids[i], 0)]
    person_b = (fulls.ids[j] >= 0) & person[np.maximum(fulls.ids[j], 0)]
    out[(out == 2) & (person_a != person_b)] = 0
    out[~present] = 0
    return out


# The most common Chinese surnames (about nine in ten people carry one of them), and double surnames.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛"
    "樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁"
    "冉骆蓝路游辛靳管柴蒙鲍喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_DOUBLE_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐",
                              "夏侯", "西门", "司徒", "端木", "宇文", "独孤"})


def _persons(column: Column) -> npt.NDArray[np.bool_]:
    """Per full-name value: does it read as a person's name (a common surname and one or two given-name
    characters, nothing else)? Cached on the column."""
    cached = getattr(column, "_persons", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    out = np.fromiter((is_person_name(v) for v in column.vocab), dtype=bool, count=len(column.vocab)) \
        if column.vocab else np.zeros(1, dtype=bool)
    object.__setattr__(column, "_persons", out)
    return out


def is_person_name(text: str) -> bool:
    """A folded name that is only a person's name: 陈秀明, 王伟, 欧阳娜娜 (not 华美电子, not 王记商行)."""
    if not 2 <= len(text) <= 4 or (text[0] not in _SURNAMES and text[:2] not in _DOUBLE_SURNAMES):
        return False
    if not all("\u4e00" <= ch <= "\u9fff" for ch in text):
        return False
    return len(text) <= 3 or text[:2] in _DOUBLE_SURNAMES


def _text_masks(texts: list[str] | tuple[str, ...]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """Per text: a 64-bit set of its characters (each hashed to one bit: code point × 0x9E3779B1 >> 7, low six
    bits) and its length, worked out for all texts at once."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    masks = np.zeros(len(texts), dtype=np.uint64)
    nonempty = np.flatnonzero(lengths > 0)
    if len(nonempty):
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        bits = np.left_shift(np.uint64(1), (codes * np.uint64(0x9E3779B1) >> np.uint64(7)) & np.uint64(63))
        starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)[:-1]])
        masks[nonempty] = np.bitwise_or.reduceat(bits, starts[nonempty])
    return masks, lengths


def _char_masks(column: Column) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per vocabulary value: a 64-bit set of its characters (hashed), its length, and its repeats (length minus
    the bits set) — cached on the column."""
    cached = getattr(column, "_char_masks", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    masks, lengths = _text_masks(column.vocab)
    repeats = lengths - np.bitwise_count(masks).astype(np.int64)
    out = (masks, lengths, repeats)
    object.__setattr__(column, "_char_masks", out)
    return out


def _may_reach(column: Column, a: IntArray, b: IntArray, threshold: float) -> npt.NDArray[np.bool_]:
    """Could the Indel similarity of values a[k], b[k] reach `threshold`? An upper bound: the common
    subsequence is at most the characters both hold (bits both set, plus the repeats of either)."""
    if len(a) == 0 or not column.vocab:
        return np.zeros(len(a), dtype=bool)
    masks, lengths, repeats = _char_masks(column)
    shared = np.bitwise_count(masks[a] & masks[b]).astype(np.int64) + np.minimum(repeats[a], repeats[b])
    total = lengths[a] + lengths[b]
    return 2 * np.minimum(shared, np.minimum(lengths[a], lengths[b])) >= threshold * total - 1e-9


def _written_tails(full: Column, core: Column) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.uint64],
                                                    npt.NDArray[np.int64]]:
    """Per full-name value: the name as written without its places (`normalize.written_tail`: from where its
    core begins, else worked out), its length, its characters as a 64-bit set and its repeats (as in
    `_char_masks`) — cached on the column."""
    cached = getattr(full, "_tails", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    core_of = np.full(len(full.vocab), -1, dtype=np.int64)
    known = full.ids >= 0
    core_of[full.ids[known]] = core.ids[known]
    tails = []
    for text, c in zip(full.vocab, core_of.tolist(), strict=True):
        start = text.find(core.vocab[c]) if c >= 0 else -1
        tails.append(text[start:] if start >= 0 else written_tail(text))
    masks, lengths = _text_masks(tails)
    out = (tails, lengths, masks, lengths - np.bitwise_count(masks).astype(np.int64))
    object.__setattr__(full, "_tails", out)
    return out


def _one_slip(full: Column, core: Column, i: IntArray, j: IntArray) -> npt.NDArray[np.bool_]:
    """Per pair (records i[k], j[k] whose names are not alike): is one written name the other with one typing
    slip (`normalize.one_slip`, places off)? Only pairs whose written names differ in length by one at most and
    share all characters of the shorter but one are looked at one by one (a slip leaves them), so random pairs
    cost little."""
    out = np.zeros(len(i), dtype=bool)
    if not len(i) or not full.vocab:
        return out
    tails, lengths, masks, repeats = _written_tails(full, core)
    fa, fb = full.ids[i], full.ids[j]
    fa0, fb0 = np.maximum(fa, 0), np.maximum(fb, 0)
    la, lb = lengths[fa0], lengths[fb0]
    look = np.flatnonzero((np.abs(la - lb) <= 1) & (np.minimum(la, lb) >= 4) & (fa != fb) & (fa >= 0) & (fb >= 0))
    if len(look):
        a, b = fa0[look], fb0[look]
        shared = np.bitwise_count(masks[a] & masks[b]).astype(np.int64) + np.minimum(repeats[a], repeats[b])
        look = look[shared >= np.minimum(la[look], lb[look]) - 1]
    for k, a, b in zip(look.tolist(), fa[look].tolist(), fb[look].tolist(), strict=True):
        out[k] = one_slip(tails[a], tails[b])
    return out


def _brand_slip(brand: Column, a: IntArray, b: IntArray) -> npt.NDArray[np.bool_]:
    """Per pair of trade-name values (both present, different): one typing slip apart (`normalize.one_slip`), for
    trade names of three characters or more: two neighbours swapped (仁盛通 / 仁通盛) or one character a homophone or
    close look-alike. Only names of equal length sharing all characters but one are looked at one by one."""
    out = np.zeros(len(a), dtype=bool)
    if not len(a) or not brand.vocab:
        return out
    masks, lengths, repeats = _char_masks(brand)
    look = np.flatnonzero((lengths[a] == lengths[b]) & (lengths[a] >= 3) & (a != b))
    if len(look):
        x, y = a[look], b[look]
        shared = np.bitwise_count(masks[x] & masks[y]).astype(np.int64) + np.minimum(repeats[x], repeats[y])
        look = look[shared >= lengths[x] - 1]
    vocab = brand.vocab
    for k, x, y in zip(look.tolist(), a[look].tolist(), b[look].tolist(), strict=True):
        out[k] = one_slip(vocab[x], vocab[y], shortest=3)
    return out


def _multi_syllable(column: Column) -> npt.NDArray[np.bool_]:
    """Per sound value: two syllables or more (a one-character trade name sounds like too many others)."""
    return np.fromiter(("-" in v for v in column.vocab), dtype=bool, count=len(column.vocab)) \
        if column.vocab else np.zeros(1, dtype=bool)


def _in_vocab(column: Column, values: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    """Per vocabulary id: is the value one of `values`?"""
    return np.fromiter((v in values for v in column.vocab), dtype=bool, count=len(column.vocab)) \
        if column.vocab else np.zeros(1, dtype=bool)


def _conflicts(table: Table, spec: FieldSpec, i: IntArray, j: IntArray) -> npt.NDArray[np.bool_]:
    """Places, legal forms or trades that cannot belong to one firm (pairwise)."""
    place, trade, form = (table.column(spec.name, p) for p in ("place", "trade", "form"))
    out = np.zeros(len(i), dtype=bool)
    for k, (pa, pb, ta, tb, fa, fb) in enumerate(zip(place.ids[i].tolist(), place.ids[j].tolist(),
                                                     trade.ids[i].tolist(), trade.ids[j].tolist(),
                                                     form.ids[i].tolist(), form.ids[j].tolist(), strict=True)):
        if pa >= 0 and pb >= 0 and pa != pb and not places_compatible(place.vocab[pa], place.vocab[pb]):
            out[k] = True
        elif fa >= 0 and fb >= 0 and fa != fb and not forms_compatible(form.vocab[fa], form.vocab[fb]):
            out[k] = True
        elif ta >= 0 and tb >= 0 and ta != tb and not trades_compatible(trade.vocab[ta], trade.vocab[tb]) and not (
                (fa >= 0 and form.vocab[fa] in REGISTERED_FORMS) != (fb >= 0 and form.vocab[fb] in REGISTERED_FORMS)
                and same_goods_family(trade.vocab[ta], trade.vocab[tb])):
            # a shop's or a bare name's goods (帐篷) of the family of a registered name's trade (户外用品) is no
            # conflict; two registered names, or two names of shops, naming two goods stay two trades
            out[k] = True
    return out


_NUMBER = re.compile(r"\d+")


def _house_numbers(street: Column) -> IntArray:
    """Per street value: its first number (the house number, usually), -1 when none."""
    out = np.full(len(street.vocab), -1, dtype=np.int64)
    for k, text in enumerate(street.vocab):
        found = _NUMBER.search(text)
        if found is not None:
            out[k] = int(found.group()[:15])
    return out  # type: ignore[return-value]


def _address(table: Table, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
    county = table.column(spec.name, "county")
    prefecture = table.column(spec.name, "prefecture")
    street = table.column(spec.name, "street")
    ca, cb = county.ids[i], county.ids[j]
    pa, pb = prefecture.ids[i], prefecture.ids[j]
    sa, sb = street.ids[i], street.ids[j]
    out = np.where(pa == pb, 2, 1).astype(np.int8)
    place = (pa == pb) & ((ca == cb) | (ca < 0) | (cb < 0)) & (pa >= 0)
    out[place & (ca == cb) & (ca >= 0)] = 3
    has_street = place & (sa >= 0) & (sb >= 0)
    exact = has_street & (sa == sb)
    out[exact] = 5
    fuzzy = np.flatnonzero(has_street & (sa != sb))
    if len(fuzzy):
        sim = similarity(street, sa[fuzzy], sb[fuzzy], "indel")
        numbers = _house_numbers(street)
        na, nb = numbers[sa[fuzzy]], numbers[sb[fuzzy]]
        # 稠州北路1号 and 稠州北路12号 are alike as strings but are different buildings
        same_number = (na == nb) | (na < 0) | (nb < 0)
        out[fuzzy[(sim >= spec.thresholds[0]) & same_number]] = 4
    missing = (pa < 0) | (pb < 0)
    # Without a division on one side only the street can tell; treat an equal street as same place.
    out[missing] = np.where((sa[missing] == sb[missing]) & (sa[missing] >= 0), 5, 0)
    return out


class Comparer:
    """Computes comparison levels for pairs of one table under one config."""

    def __init__(self, table: Table, config: LinkConfig) -> None:
        """Precompute per-vocabulary facts (credit-code validity)."""
        self.table = table
        self.config = config
        self.valid: dict[str, npt.NDArray[np.bool_]] = {
            spec.name: uscc_valid(table.column(spec.name)) for spec in config.fields if spec.kind == FieldKind.USCC
        }

    def field_levels(self, spec: FieldSpec, i: IntArray, j: IntArray) -> Levels:
        """Levels of one field for pairs (i[k], j[k])."""
        t = self.table
        if spec.kind in (FieldKind.EXACT, FieldKind.SHOP_URL):
            return _exact(t.column(spec.name), i, j)
        if spec.kind == FieldKind.STRING:
            return _string(t.column(spec.name), i, j, spec)
        if spec.kind == FieldKind.USCC:
            return _uscc(t.column(spec.name), i, j, self.valid[spec.name])
        if spec.kind == FieldKind.PHONE:
            numbers = t.columns.get((spec.name, "numbers"))
            return _phone(t.column(spec.name, "value"), t.column(spec.name, "local"), i, j, numbers)
        if spec.kind == FieldKind.NAME:
            return _name(t, spec, i, j)
        return _address(t, spec, i, j)

    def levels(self, i: IntArray, j: IntArray) -> Levels:
        """Levels of every field: an array of shape (pairs, fields)."""
        out = np.zeros((len(i), len(self.config.fields)), dtype=np.int8)
        for f, spec in enumerate(self.config.fields):
            out[:, f] = self.field_levels(spec, i, j)
        return out


SURE_WEIGHT = 60.0  # log2 odds of a link that the law settles (an identical valid credit code or registered name)
VETO_WEIGHT = -60.0  # a pair the law rules out


def decisive(comparer: Comparer, levels: Levels, i: IntArray, j: IntArray,
             shared: npt.NDArray[np.bool_] | None = None) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Pairs the rules decide whatever the model says: (ruled out, settled).

    Ruled out: two different valid credit codes, or a name conflict (level 1) unless both carry the
    same valid credit code (the code names the legal entity; a name may be written loosely), or unless the
    pair shares a shop or a phone number (`shared`) and the conflict is only the goods a shop-style name names
    (`goods_word_conflict`). Settled: the same valid credit code, or the same registered name (name level 6)
    without a conflict elsewhere.
    """
    config = comparer.config
    veto = np.zeros(len(levels), dtype=bool)
    sure = np.zeros(len(levels), dtype=bool)
    name_conflict = np.zeros(len(levels), dtype=bool)
    same_code = np.zeros(len(levels), dtype=bool)
    for f, spec in enumerate(config.fields):
        if spec.kind == FieldKind.NAME:
            name_conflict |= levels[:, f] == 1
            sure |= levels[:, f] == 6
        elif spec.kind == FieldKind.USCC and spec.name in comparer.valid and len(comparer.valid[spec.name]):
            ids = comparer.table.column(spec.name).ids
            valid = comparer.valid[spec.name]
            a, b = ids[i], ids[j]
            both = (a >= 0) & (b >= 0)
            va = np.zeros(len(a), dtype=bool)
            vb = np.zeros(len(b), dtype=bool)
            va[both] = valid[a[both]]
            vb[both] = valid[b[both]]
            same_code |= both & (a == b) & va
            veto |= both & (a != b) & va & vb
    if shared is not None and (name_conflict & shared).any():
        # one shop, one number: a shop's goods word (松乐文具 vs 松乐（成都）文化用品有限公司) does not rule the firm out
        k = np.flatnonzero(name_conflict & shared)
        name_conflict[k[goods_word_conflict(comparer, i[k], j[k])]] = False
    veto |= name_conflict & ~same_code
    sure |= same_code
    return veto, sure & ~veto


REGISTERED_FORMS = ("company", "individual", "other")  # a name with one of these forms is a registered name


def goods_word_conflict(comparer: Comparer, i: IntArray, j: IntArray) -> npt.NDArray[np.bool_]:
    """Per pair of names in conflict (level 1): is the conflict only their trades, with one of the two no registered
    name (a shop's or a bare name: 松乐文具, 华美服饰旗舰店)? Such a name's goods word says what a shop sells, not
    the trade a firm registered; the places and the legal forms of the two agree."""
    out = np.zeros(len(i), dtype=bool)
    table = comparer.table
    for spec in comparer.config.fields:
        if spec.kind != FieldKind.NAME:
            continue
        place, form = (table.column(spec.name, p) for p in ("place", "form"))
        for k, (pa, pb, fa, fb) in enumerate(zip(place.ids[i].tolist(), place.ids[j].tolist(), form.ids[i].tolist(),
                                                 form.ids[j].tolist(), strict=True)):
            a_form = form.vocab[fa] if fa >= 0 else None
            b_form = form.vocab[fb] if fb >= 0 else None
            if pa >= 0 and pb >= 0 and not places_compatible(place.vocab[pa], place.vocab[pb]):
                continue
            if not forms_compatible(a_form, b_form):
                continue
            out[k] = a_form not in REGISTERED_FORMS or b_form not in REGISTERED_FORMS
    return out


def shared_contact(comparer: Comparer, levels: Levels,
                   rare_key: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.bool_]:
    """Per pair: do the two records share a rare shop key (`rare_key`) or the same phone number (top phone level)?"""
    out = np.zeros(len(levels), dtype=bool) if rare_key is None else rare_key.copy()
    for f, spec in enumerate(comparer.config.fields):
        if spec.kind == FieldKind.PHONE:
            out |= levels[:, f] == level_count(spec)
    return out


def apply_decisive(weights: npt.NDArray[np.float64], comparer: Comparer, levels: Levels, i: IntArray,
                   j: IntArray, rare_key: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.float64]:
    """Weights with the decisive rules applied. `rare_key`: pairs sharing a rare shop key
    (`model.rare_key_agreements`) — a link unless the law rules the pair out, whatever the names say (a shop
    is named apart from the firm that runs it: 华美旗舰店 of 深圳市恒通贸易有限公司)."""
    veto, sure = decisive(comparer, levels, i, j, shared_contact(comparer, levels, rare_key))
    out = weights.copy()
    if rare_key is not None:
        shop = rare_key & ~veto & ~sure
        out[shop] = np.maximum(out[shop], link_weight_of(comparer.config) + RARE_KEY_MARGIN)
    # the places the two records name (registered place, address, credit code, landline) contradict each other: no
    # firm link on this pair alone, whatever the names say; it may still join through step 3 of linking
    cap = float(np.log2(comparer.config.link_probability / (1.0 - comparer.config.link_probability))) - PLACE_MARGIN
    maybe = np.flatnonzero((out > cap) & ~sure & ~veto)
    if len(maybe):
        apart = places_contradict(comparer, i[maybe], j[maybe])
        # different names agreeing only on the premises (a building's address, its switchboard): neighbours
        apart |= premises_only(comparer, levels[maybe])
        out[maybe[apart]] = cap
    out[sure] = np.maximum(out[sure], SURE_WEIGHT)
    out[veto] = VETO_WEIGHT
    return out


def premises_only(comparer: Comparer, levels: Levels) -> npt.NDArray[np.bool_]:
    """Pairs whose names differ (level 2) and that agree on nothing but the premises: the same building (address
    level 4 or 5), with or without the same phone, and no shared credit code or shop. Shops in one building or
    market hall share its street address, firms sharing an office its switchboard: such agreement says where a
    seller sits, not who it is (on tuning data: 19 true against 81 false links among such pairs)."""
    names_differ = np.zeros(len(levels), dtype=bool)
    premises = np.zeros(len(levels), dtype=bool)
    identity = np.zeros(len(levels), dtype=bool)
    for f, spec in enumerate(comparer.config.fields):
        if spec.kind == FieldKind.NAME:
            names_differ |= levels[:, f] == 2
        elif spec.kind == FieldKind.ADDRESS:
            premises |= levels[:, f] >= 4
        elif spec.kind != FieldKind.PHONE:
            identity |= levels[:, f] >= 2  # a credit code (or one typo of it), a shop, another exact field
    return names_differ & premises & ~identity


RARE_KEY_MARGIN = 1.0  # bits above the link threshold for a pair sharing a rare shop key


def link_weight_of(config: LinkConfig) -> float:
    """The match weight (log2 odds) of the link threshold."""
    return float(np.log2(config.link_probability / (1.0 - config.link_probability)))


PLACE_MARGIN = 1.0  # bits below the link threshold for a pair whose places contradict each other


def _record_places(comparer: Comparer) -> npt.NDArray[np.int64]:
    """Per record, the places it names as division codes (0 = none), one column each: the registration place
    of its name, its address's county (else prefecture), the registration place of its valid credit code, the
    city of its landline's area code — cached on the comparer."""
    cached = getattr(comparer, "_places", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from national.dedup.normalize import phone_place, uscc_place

    def codes(values: list[str | None]) -> npt.NDArray[np.int64]:
        return np.array([int(v) if v and v.isdigit() else 0 for v in values] + [0], dtype=np.int64)

    table, config = comparer.table, comparer.config
    columns = []
    for spec in config.fields:
        if spec.kind == FieldKind.NAME:
            col = table.column(spec.name, "place")
            columns.append(codes(list(col.vocab))[col.ids])  # id -1 -> the trailing 0
        elif spec.kind == FieldKind.ADDRESS:
            county, prefecture = table.column(spec.name, "county"), table.column(spec.name, "prefecture")
            c, p = codes(list(county.vocab))[county.ids], codes(list(prefecture.vocab))[prefecture.ids]
            columns.append(np.where(c > 0, c, p))
        elif spec.kind == FieldKind.USCC:
            col = table.column(spec.name)
            valid = comparer.valid[spec.name].tolist()
            columns.append(codes([uscc_place(v) if ok else None for v, ok in zip(col.vocab, valid, strict=True)])[col.ids])
        elif spec.kind == FieldKind.PHONE:
            col = table.column(spec.name, "value")
            columns.append(codes([phone_place(v) for v in col.vocab])[col.ids])  # a landline's area code
    out = np.stack(columns, axis=1) if columns else np.zeros((table.size, 0), dtype=np.int64)
    object.__setattr__(comparer, "_places", out)
    return out


def _codes_compatible(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """`places_compatible` on division codes, vectorized (both non-zero)."""
    province = (a % 10000 == 0) | (b % 10000 == 0)
    prefecture = ~province & ((a % 100 == 0) | (b % 100 == 0))
    return (a == b) | (province & (a // 10000 == b // 10000)) | (prefecture & (a // 100 == b // 100))


def places_contradict(comparer: Comparer, i: IntArray, j: IntArray) -> npt.NDArray[np.bool_]:
    """Pairs where both records name places and no place of one lies within or around a place of the other
    (深圳 in one record's name or address or credit code or landline area code, 杭州 in the other's)."""
    places = _record_places(comparer)
    pa, pb = places[i], places[j]
    named_a, named_b = (pa > 0).any(axis=1), (pb > 0).any(axis=1)
    fits = np.zeros(len(i), dtype=bool)
    for x in range(places.shape[1]):
        for y in range(places.shape[1]):
            fits |= (pa[:, x] > 0) & (pb[:, y] > 0) & _codes_compatible(pa[:, x], pb[:, y])
    return named_a & named_b & ~fits


def same_trade_name(comparer: Comparer, levels: Levels) -> npt.NDArray[np.bool_]:
    """Pairs whose names agree on the trade name (name levels 4-6)."""
    out = np.zeros(len(levels), dtype=bool)
    for f, spec in enumerate(comparer.config.fields):
        if spec.kind == FieldKind.NAME:
            out |= levels[:, f] >= 4
    return out


def same_full_name(comparer: Comparer, i: IntArray, j: IntArray) -> npt.NDArray[np.bool_]:
    """Pairs whose names are identical once folded (the `full` part)."""
    out = np.zeros(len(i), dtype=bool)
    for spec in comparer.config.fields:
        if spec.kind == FieldKind.NAME:
            ids = comparer.table.column(spec.name, "full").ids
            out |= (ids[i] == ids[j]) & (ids[i] >= 0)
    return out
