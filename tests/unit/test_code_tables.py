"""The trademark index's cold tables shipped as data (regional/data/code_tables.npz) against the tables computed
from their sources: regenerated here and compared array by array, so the file cannot drift from the code or the
installed pinyin dictionary and glyph tables; a file made from other inputs is ignored."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import numpy as np
import pytest

from regional.detection import code_tables
from regional.detection import normalize as nz
from regional.detection import trademark as tm

_CACHED = (code_tables.shipped, nz._code_arrays, nz._lookalike_index, tm._lookalike_csr, tm._part_pairs)


def _clear() -> None:
    for f in _CACHED:
        f.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    _clear()
    yield
    _clear()


def test_the_shipped_tables_are_the_computed_ones() -> None:
    shipped = code_tables.shipped()
    assert shipped is not None, "regional/data/code_tables.npz is stale: python -m regional.detection.code_tables"
    computed = code_tables.computed()
    assert sorted(shipped) == sorted(computed)
    for name, array in computed.items():
        assert shipped[name].dtype == array.dtype and np.array_equal(shipped[name], array), name
    assert len(shipped["pinyin_cp"]) > 20000 and len(shipped["shape_cp"]) > 1000
    assert len(shipped[f"csr{tm._RETRIEVE_GLYPH}_flat"]) > 100000


def test_loaded_tables_equal_the_computation(fresh_caches: None) -> None:
    assert code_tables.shipped() is not None
    sound, second, shape = nz._code_arrays()
    want = nz._code_arrays_computed()
    assert all(np.array_equal(a, b) for a, b in zip((sound, second, shape), want, strict=True))
    assert nz._lookalike_index() == nz._lookalike_index_computed()
    assert list(nz._lookalike_index().items()) == list(nz._lookalike_index_computed().items())  # and its order
    for at_least in (tm._RETRIEVE_GLYPH, round(tm._BOTH_GLYPH * 100)):
        loaded, computed = tm._lookalike_csr(at_least), tm._lookalike_csr_computed(at_least)
        assert [a.dtype for a in loaded] == [a.dtype for a in computed]
        assert all(np.array_equal(a, b) for a, b in zip(loaded, computed, strict=True))
    assert tm._part_pairs().dtype == np.int64 and np.array_equal(tm._part_pairs(), tm._part_pairs_computed())


def test_a_change_of_the_phrase_threshold_changes_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    before = code_tables.fingerprint()
    monkeypatch.setattr(nz, "PHRASE_MIN", nz.PHRASE_MIN + 1)
    assert code_tables.fingerprint() != before


def test_tables_from_other_inputs_are_ignored(fresh_caches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(code_tables, "fingerprint", lambda: "0" * 64)
    assert code_tables.shipped() is None
    calls: list[int] = []
    computed = nz._lookalike_index_computed

    def counted() -> nz._Table:
        calls.append(1)
        return computed()

    monkeypatch.setattr(nz, "_lookalike_index_computed", counted)
    assert nz._lookalike_index() == computed() and calls == [1]


def test_a_change_of_an_input_changes_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    before = code_tables.fingerprint()
    monkeypatch.setattr(nz, "_GROUP_MAX_SIZE", nz._GROUP_MAX_SIZE + 1)
    assert code_tables.fingerprint() != before


def test_syllable_codes_are_this_process_own() -> None:
    # syllables coded before the tables are loaded keep their codes; the loaded arrays still equal the computation
    code = (
        "import numpy as np; from regional.detection import normalize as nz; "
        "first = nz.sound_string('中国行'); "
        "loaded = nz._code_arrays(); computed = nz._code_arrays_computed(); "
        "assert nz.sound_string('中国行') == first; "
        "assert all(np.array_equal(a, b) for a, b in zip(loaded, computed)); "
        "assert chr(loaded[0][ord('中')]) == first[0]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
