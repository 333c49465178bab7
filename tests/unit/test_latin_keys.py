"""The batch Latin lookup (hashed keys in numpy) against the straightforward definition, string by string."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import normalize as nz
from regional.detection.trademark import _latin_forms, _LatinKeys, _loose, _Mark

# few letters, so that marks and words share skeletons, phonetic keys and one-letter neighbours often
_LETTERS = "abdeilmnopqrsuvc01"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=11)


def _mark(text: str) -> _Mark:
    forms = _latin_forms(text)
    return _Mark(text, text, False, forms[0][0], forms[0][1], forms)


def _deletions(word: str) -> set[str]:
    return {word} | {word[:j] + word[j + 1:] for j in range(len(word))}


def _naive(marks: list[_Mark], skel: str, phon: str) -> set[int]:
    """Every mark a word may imitate, straight from the definition (no index)."""
    out = set()
    for i, mark in enumerate(marks):
        for s, ph in mark.forms:
            if s == skel:
                out.add(i)
            if len(skel) < 3:
                continue
            if len(s) >= 4:
                if ph == phon or _loose(s) == _loose(skel):
                    out.add(i)
                if (_deletions(skel) if len(skel) >= 4 else {skel}) & _deletions(s):
                    out.add(i)
                if len(s) < len(skel) and skel.startswith(s):  # the word begins with the mark
                    out.add(i)
    return out


def _lengths(marks: list[_Mark]) -> list[int]:
    return sorted({len(s) for m in marks for s, _ in m.forms if len(s) >= 4})


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=40, unique=True), st.lists(_WORD, min_size=1, max_size=40))
def test_batch_lookup_equals_the_definition(texts: list[str], words: list[str]) -> None:
    marks = [_mark(t) for t in texts]
    keys = _LatinKeys(marks)
    # words near the marks too: each mark with a letter dropped, changed, or a suffix added
    words = words + [t[1:] for t in texts] + [t + "x" for t in texts] + [t[:-1] + "o" for t in texts]
    tokens = list(dict.fromkeys(f for w in words if w for f in _latin_forms(w)))
    got = keys.lookup(tokens, _lengths(marks))
    assert set(got) == set(tokens)
    for skel, phon in tokens:
        assert set(got[(skel, phon)]) == _naive(marks, skel, phon), (skel, phon)
        assert len(got[(skel, phon)]) == len(set(got[(skel, phon)]))
    # one word at a time gives the same as the whole batch
    for token in tokens[:5]:
        assert keys.lookup([token], _lengths(marks)) == {token: got[token]}


def test_known_neighbours_are_found() -> None:
    marks = [_mark(nz.compact(t)) for t in ("NIKE", "Adidas", "Philips", "Puma", "ASUS", "New Balance")]
    keys = _LatinKeys(marks)
    lengths = _lengths(marks)

    def found(word: str) -> set[str]:
        out: set[str] = set()
        for token in _latin_forms(word):
            out |= {marks[i].text for i in keys.lookup([token], lengths)[token]}
        return out

    assert found("nlke") == {"nike"}  # confusable skeleton
    assert found("abibas") == {"adidas"}  # loose skeleton
    assert found("filips") == {"philips"}  # phonetic key
    assert found("pumma") == {"puma"}  # one letter inserted
    assert found("nikeair") == {"nike"}  # begins with the mark
    assert found("newbalance") == {"newbalance"}
    assert found("reebok") == set()
