"""Search terms of the review queue: words for Latin text, single characters and bigrams for Chinese.

Chinese has no spaces, so a title is indexed as its characters and its character pairs
(康师傅 → 康 师 傅 康师 师傅); a query of two or more Chinese characters matches through its
pairs, a single character through itself. Latin letters and digits are indexed as whole
words (case and width folded, traditional → simplified). SQLite keeps the terms in an FTS5
index, PostgreSQL in a posting table (term, lead_id) read index-only (see the migrations); both
find the matching leads without reading the others.
"""

from __future__ import annotations

from collections.abc import Iterable

from regional.detection.normalize import is_cjk, normalize_text

MAX_QUERY = 100  # characters of a search query
MAX_TERMS = 512  # terms kept per lead


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
    """The terms a query must all match: Chinese pairs (or the single character), Latin words."""
    out: dict[str, None] = {}
    for word in normalize_text(query[:MAX_QUERY]).split():
        for cjk, run in _runs(word):
            if cjk:
                if len(run) == 1:
                    out.setdefault(run, None)
                for i in range(len(run) - 1):
                    out.setdefault(run[i:i + 2], None)
            elif any(c.isalnum() for c in run):
                out.setdefault(run, None)
    return list(out)


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term (terms hold no quotes after normalization)."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
