"""The Latin retrieval and verification against straightforward references: the batch lookup (hashed keys
in numpy) against the definition, string by string; the winner-only verification against every match made."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regional.detection import normalize as nz
from regional.detection.scoring import load_model
from regional.detection.trademark import (
    _SOUND_EDIT_MIN,
    MODEL_NAME,
    TrademarkDetector,
    _latin_forms,
    _LatinKeys,
    _loose,
    _Mark,
    _vowel_edit,
)
from regional.domain import Listing, Right, RightKind, Seller

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
            # a sound-alike spelling with one more change (acc21): the phonetic keys one vowel's edit apart, for marks
            # of _SOUND_EDIT_MIN letters and words of one fewer (the reference lacked it: hypothesis found
            # 'ooowvo' / '000vvvv', keys 'uovo' / 'uov', retrieved by the index and not by this definition)
            if len(s) >= _SOUND_EDIT_MIN and len(skel) >= _SOUND_EDIT_MIN - 1 and _vowel_edit(phon, ph):
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


_MODEL = None


def _detector(texts: list[str]) -> TrademarkDetector:
    global _MODEL
    if _MODEL is None:
        _MODEL = load_model(MODEL_NAME)
    rights = [Right(RightKind.TRADEMARK, f"TM-{k}", t, "某某公司", "registered", (25,)) for k, t in enumerate(texts)]
    return TrademarkDetector(rights, model=_MODEL)


def _reference_match(detector: TrademarkDetector, mark: _Mark, p: object) -> object:
    """The straightforward verification: every (word, form) made into a match, the best kept (first on ties)."""
    best = None
    for token, skel, phon in p.latin:  # type: ignore[attr-defined]
        pair_best = None
        for target, mark_phon in mark.forms:
            match = detector._latin_form(mark, p, token, skel, phon, target, mark_phon)  # type: ignore[arg-type]
            if match is not None and (pair_best is None or match.similarity > pair_best.similarity):
                pair_best = match
        if pair_best is not None and (best is None or pair_best.similarity > best.similarity):
            best = pair_best
            if pair_best.exact:
                break
    return best


_TITLE_WORD = st.text(alphabet=_LETTERS + "hkrtwy", min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=_LETTERS + "hkrtwy", min_size=2, max_size=12), min_size=1, max_size=12, unique=True),
       st.lists(st.lists(_TITLE_WORD, min_size=1, max_size=4), min_size=1, max_size=6), st.data())
def test_latin_verification_equals_the_straightforward_one(texts: list[str], titles: list[list[str]],
                                                           data: st.DataObject) -> None:
    detector = _detector(texts)
    # titles of random words and of the marks themselves with one letter changed, dropped or doubled
    for t in texts:
        j = data.draw(st.integers(0, len(t) - 1))
        titles.append([t[:j] + data.draw(st.sampled_from("aeolrnm1")) + t[j + 1:], t[:j] + t[j + 1:], t[:j] + t[j] + t[j:]])
    listings = [Listing(id=str(k), title=" ".join(words).upper() if k % 3 == 0 else " ".join(words),
                        seller=Seller(name="某店")) for k, words in enumerate(titles)]
    for p in detector._prepare_all(listings):
        for mark in detector._marks:
            if mark.cjk:
                continue
            assert detector._match_latin(mark, p) == _reference_match(detector, mark, p), (mark.text, p.normalised)


def test_latin_units_are_the_token_pattern_class() -> None:
    from regional.detection.trademark import _LATIN_TOKEN, _LATIN_UNITS

    for cp in [*range(0x3000), 0x4E00, 0xFF21, 0x1D400, 0x10FFFF]:
        assert bool(_LATIN_TOKEN.fullmatch(chr(cp))) == bool(_LATIN_UNITS[min(cp, 0x500)]), hex(cp)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab1 康Яωé\u00df\u0250\u04ff\u0500ＡZ", max_size=8), max_size=12))
def test_titles_without_latin_are_found_in_one_pass(texts: list[str]) -> None:
    from regional.detection.trademark import _LATIN_TOKEN, _has_latin

    assert _has_latin(texts) == [bool(_LATIN_TOKEN.findall(t)) for t in texts]


def test_a_one_letter_sound_alike_wins_only_as_it_is_reported() -> None:
    """_latin_similarity() picked the winner by a one-letter distance (0.917) where _latin_form() reports a respelt
    syllable (0.9, tm22lat's tz-as-z rule): the winner was not the best match (found by hypothesis, session 23). Both
    now read one _latin_judgement() (session 24, tm24lat)."""
    detector = _detector(["heaaaa"])
    listing = Listing(id="1", title="eeaaaa eaaaa hheaaaa", seller=Seller(name="某店"))
    (p,) = detector._prepare_all([listing])
    (mark,) = [m for m in detector._marks if not m.cjk]
    got = detector._match_latin(mark, p)
    assert got == _reference_match(detector, mark, p)
    assert got is not None and got.window == "eaaaa" and got.similarity > 0.9
