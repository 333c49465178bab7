"""Search terms of the review queue: words for Latin text, single characters and bigrams for Chinese.

Chinese has no spaces, so a title is indexed as its characters and its character pairs
(康师傅 → 康 师 傅 康师 师傅); a query of two or more Chinese characters matches through its
pairs, a single character through itself. Latin letters and digits are indexed as whole
words (case and width folded, traditional → simplified). SQLite keeps the terms in an FTS5
index, PostgreSQL in a posting table (term, lead_id) read index-only (see the migrations); both
find the matching leads without reading the others.

A query's Latin/digit words match as prefixes of the indexed words (义乌市测试1 finds 义乌市测试10,
nik finds Nike; newcomer15 F17: they had to be whole words), each a range of the same indexes (an
FTS5 prefix query; a `term LIKE 'p%'` range of the C-collated posting key, escaped). Bound: at
most MAX_PREFIXES words of a query are prefixes (the longest; the others match whole), so a
query never expands more than that many ranges.
"""

from __future__ import annotations

from collections.abc import Iterable

from regional.detection.normalize import is_cjk, normalize_text

MAX_QUERY = 100  # characters of a search query
MAX_TERMS = 512  # terms kept per lead
PREFIX = "*"  # a query term ending in it matches the indexed terms it begins (normalized terms hold no "*")
MAX_PREFIXES = 3  # Latin/digit words of one query matched as prefixes; the others match whole words


def _runs(text: str) -> Iterable[tuple[bool, str]]:
    """(is_cjk, run) pieces of an already normalized word."""
    run = ""
    cjk = False
    for ch in text:
        here = is_cjk(ch)
        if run and here != cjk:
            yield cjk, run
            run = ""
        cjk = here
        run += ch
    if run:
        yield cjk, run


def terms_of(*texts: str | None) -> list[str]:
    """Index terms of some texts, unique, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        for word in normalize_text(text).split():
            for cjk, run in _runs(word):
                if cjk:
                    for i, ch in enumerate(run):
                        seen.setdefault(ch, None)
                        if i + 1 < len(run):
                            seen.setdefault(run[i:i + 2], None)
                elif any(c.isalnum() for c in run):
                    seen.setdefault(run, None)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)[:MAX_TERMS]


def query_terms(query: str) -> list[str]:
    """The terms a query must all match: Chinese pairs (or the single character), Latin words — the longest
    MAX_PREFIXES of those as prefixes (`word` + PREFIX), the others whole."""
    out: dict[str, None] = {}
    latin: list[str] = []
    for word in normalize_text(query[:MAX_QUERY]).split():
        for cjk, run in _runs(word):
            if cjk:
                if len(run) == 1:
                    out.setdefault(run, None)
                for i in range(len(run) - 1):
                    out.setdefault(run[i:i + 2], None)
            elif any(c.isalnum() for c in run):
                out.setdefault(run, None)
                latin.append(run)
    prefixes = set(sorted(dict.fromkeys(w for w in latin if w.isalnum()), key=len, reverse=True)[:MAX_PREFIXES])
    return [t + PREFIX if t in prefixes else t for t in out]


def is_prefix(term: str) -> bool:
    """Whether a query term matches the indexed terms it begins."""
    return term.endswith(PREFIX)


def stem(term: str) -> str:
    """A query term without its prefix mark."""
    return term[:-len(PREFIX)] if is_prefix(term) else term


def prefix_range(term: str) -> tuple[str, str]:
    """The indexed terms a prefix term begins, as a half-open range [low, high) in code point order (the posting
    key's "C" collation): a range of the index, with no pattern characters to escape."""
    word = stem(term)
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def matches(term: str, indexed: set[str] | frozenset[str]) -> bool:
    """Whether a lead's indexed terms hold a query term (a prefix: one of them begins with it)."""
    if not is_prefix(term):
        return term in indexed
    word = stem(term)
    return any(t.startswith(word) for t in indexed)


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term, a prefix term as a prefix query (terms hold no quotes after
    normalization; quoted anyway)."""
    return " AND ".join('"' + stem(t).replace('"', '""') + '"' + ("*" if is_prefix(t) else "") for t in terms)
