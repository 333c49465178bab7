"""The baselines `hufu bench detect` runs beside Hufu's trademark model, written without Hufu's code.

(a) `HashPeer` — what a competent engineer writes in an afternoon (the issue's ~140-line
    peer): each character to simplified (OpenCC's character table), to a look-alike group
    (a short hand list of well-known confusable characters), to toneless pinyin; marks in a
    dict keyed by that code string; every 2-6-character window of a title looked up; for
    Latin marks a confusable skeleton plus a one-edit (symmetric-delete) index. Same rules
    as Hufu: goods class (or well-known mark), owner and licensees, exact marks only at a
    suspicious price (below 40% of the category's median in the batch).
(b) `PrefilterBrute` — brute force done properly: for each listing, rapidfuzz partial_ratio
    of its normalised title against every mark registered in one of the listing's goods
    classes (the class pre-filter) plus the well-known marks, with the same rules.

Neither imports anything from regional.detection: they share only the domain types and
the data files a peer would also pick (OpenCC's character table, pypinyin's dictionary).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from regional.domain import Licence, Listing, Right, RightKind

# Confusable characters a peer would know from counterfeit news (one group per line).
_GROUPS = ("师帅", "雪雷", "兔免", "奥粤", "桃挑", "旺汪", "仔子", "吉古", "牛午", "土士", "己已巳", "未末",
           "日曰", "大太犬", "人入", "天夭", "千干于", "王玉主", "田由甲申", "贝见", "木本术", "白自", "力刀",
           "特持", "宁丁", "美羡", "为办", "米来", "格恪", "踏蹋", "锐悦", "狼狠", "碧璧", "李季", "傅博")
_CONFUSE = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("0", "o"), ("1", "l"), ("i", "l"), ("5", "s"))
_PUNCT = re.compile(r"[^\w]+")
_LATIN = re.compile(r"[a-z0-9]+")
_DEAD = {"invalidated", "cancelled", "revoked", "expired", "rejected", "lapsed"}


def _t2s_table() -> dict[int, str]:
    import opencc

    out: dict[int, str] = {}
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        a, _, b = line.partition("\t")
        if len(a) == 1 and b:
            out[ord(a)] = b.split(" ")[0]
    return out


class _Rules:
    """Owner, licence, class and price rules shared by both baselines."""

    def __init__(self, rights: Sequence[Right], licences: Sequence[Licence], norm) -> None:  # noqa: ANN001
        self.norm = norm
        self.allowed: dict[str, set[str]] = defaultdict(set)
        for right in rights:
            self.allowed[right.number].add(norm(right.owner))
        for lic in licences:
            self.allowed[lic.right].add(norm(lic.licensee))
            if lic.licensee_uscc:
                self.allowed[lic.right].add(lic.licensee_uscc)

    def medians(self, listings: Sequence[Listing]) -> dict[str, float]:
        by: dict[str, list[float]] = defaultdict(list)
        for x in listings:
            if x.price and x.category:
                by[x.category].append(x.price)
        return {k: statistics.median(v) for k, v in by.items() if len(v) >= 3}

    def lead(self, right: Right, listing: Listing, exact: bool, medians: dict[str, float]) -> bool:
        seller = listing.seller
        if norm_name := (self.norm(seller.name) if seller.name else ""):
            if norm_name in self.allowed[right.number]:
                return False
        if seller.uscc and seller.uscc in self.allowed[right.number]:
            return False
        if listing.nice_classes and right.nice_classes and not right.well_known \
                and not set(listing.nice_classes) & set(right.nice_classes):
            return False
        if exact and not (right.well_known and listing.nice_classes
                          and not set(listing.nice_classes) & set(right.nice_classes)):
            median = medians.get(listing.category or "")
            return bool(median and listing.price is not None and listing.price < 0.4 * median)
        return True


class HashPeer:
    """The hash-keyed peer: one code string per mark, every title window looked up."""

    def __init__(self, rights: Sequence[Right], licences: Sequence[Licence] = ()) -> None:
        from pypinyin.pinyin_dict import pinyin_dict

        self.t2s = _t2s_table()
        group = {ch: g[0] for g in _GROUPS for ch in g}
        tones = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", "aaaaeeeeiiiioooouuuuvvvvv")
        self.code = {}
        for cp, readings in pinyin_dict.items():
            ch = chr(cp)
            rep = group.get(ch, ch)
            self.code[cp] = "|" + pinyin_dict.get(ord(rep), readings).split(",")[0].translate(tones)
        self.marks: dict[str, list[tuple[Right, bool]]] = defaultdict(list)
        self.latin: dict[str, list[Right]] = defaultdict(list)
        self.deletes: dict[str, list[Right]] = defaultdict(list)
        self.rules = _Rules(rights, licences, self.norm)
        for r in rights:
            if r.kind != RightKind.TRADEMARK or r.status in _DEAD:
                continue
            text = self.norm(r.title)
            if any("\u4e00" <= ch <= "\u9fff" for ch in text) and 2 <= len(text) <= 6:
                self.marks[text.translate(self.code)].append((r, False))
            elif text.isascii() and len(text) >= 3:
                skel = self.skeleton(text)
                self.latin[skel].append(r)
                if len(skel) >= 5:
                    for d in {skel[:j] + skel[j + 1:] for j in range(len(skel))}:
                        self.deletes[d].append(r)

    def norm(self, s: str) -> str:
        return _PUNCT.sub("", unicodedata.normalize("NFKC", s).casefold().translate(self.t2s)).replace("_", "")

    @staticmethod
    def skeleton(s: str) -> str:
        for a, b in _CONFUSE:
            s = s.replace(a, b)
        return s

    def detect(self, listings: Sequence[Listing]) -> set[tuple[str, str]]:
        medians = self.rules.medians(listings)
        out: set[tuple[str, str]] = set()
        for x in listings:
            text = self.norm(x.title)
            code = self.code
            codes = [code.get(ord(c)) or "|" + c for c in text]
            found: dict[str, tuple[Right, bool]] = {}
            for n in range(2, 7):
                for i in range(len(codes) - n + 1):
                    for r, _ in self.marks.get("".join(codes[i:i + n]), ()):
                        found[r.number] = (r, self.norm(r.title) in text)
            for token in _LATIN.findall(unicodedata.normalize("NFKC", x.title).casefold()):
                skel = self.skeleton(token)
                hits = list(self.latin.get(skel, ()))
                if len(skel) >= 4:
                    hits += self.deletes.get(skel, [])
                    for d in {skel[:j] + skel[j + 1:] for j in range(len(skel))}:
                        hits += self.latin.get(d, []) + self.deletes.get(d, [])
                for r in hits:
                    found.setdefault(r.number, (r, self.norm(r.title) == token))
            for r, exact in found.values():
                if self.rules.lead(r, x, exact, medians):
                    out.add((x.id, r.number))
        return out


class PrefilterBrute:
    """rapidfuzz partial_ratio against every mark of the listing's goods classes (and the well-known marks)."""

    CUTOFF = 80

    def __init__(self, rights: Sequence[Right], licences: Sequence[Licence] = ()) -> None:
        self.t2s = _t2s_table()
        self.rules = _Rules(rights, licences, self.norm)
        self.by_class: dict[int, list[tuple[str, Right]]] = defaultdict(list)
        self.well_known: list[tuple[str, Right]] = []
        for r in rights:
            if r.kind != RightKind.TRADEMARK or r.status in _DEAD:
                continue
            text = self.norm(r.title)
            if len(text) < 2:
                continue
            for c in r.nice_classes:
                self.by_class[c].append((text, r))
            if r.well_known:
                self.well_known.append((text, r))

    def norm(self, s: str) -> str:
        return _PUNCT.sub("", unicodedata.normalize("NFKC", s).casefold().translate(self.t2s)).replace("_", "")

    def detect(self, listings: Sequence[Listing]) -> set[tuple[str, str]]:
        from rapidfuzz import fuzz, process

        medians = self.rules.medians(listings)
        out: set[tuple[str, str]] = set()
        for x in listings:
            title = self.norm(x.title)
            pool = [m for c in x.nice_classes for m in self.by_class.get(c, ())] if x.nice_classes else \
                [m for ms in self.by_class.values() for m in ms]
            pool += self.well_known
            if not pool or not title:
                continue
            texts = [t for t, _ in pool]
            for _text, score, k in process.extract_iter(title, texts, scorer=fuzz.partial_ratio,
                                                         score_cutoff=self.CUTOFF):
                text, right = pool[k]
                if score >= 100 or len(text) >= 3 or len(title) <= 4:
                    if self.rules.lead(right, x, text in title, medians):
                        out.add((x.id, right.number))
        return out
