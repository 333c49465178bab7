"""The read both pilot importers share (regional/formats/checked.py), fuzzed with the real customs and exhibit rules:
whatever the bytes, a file is refused whole or every line is accounted for (a record, or a located error)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional.customs import core as customs
from regional.customs.service import DECLARATION_COLUMNS, FOREIGN_COLUMNS
from regional.exhibitions import core as exhibitions
from regional.exhibitions.service import EXHIBIT_COLUMNS
from regional.formats.checked import read_checked, text_id, text_or_number_id
from regional.formats.errors import ImportFileError
from regional.formats.source import DEFAULT_LIMITS

_fuzz = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
RULES = [
    (DECLARATION_COLUMNS, customs.check_declaration, customs.CustomsError, "declaration_no", lambda d: d.number),
    (FOREIGN_COLUMNS, customs.check_foreign_right, customs.CustomsError, "number", lambda r: f"{r.country}:{r.number}"),
    (EXHIBIT_COLUMNS, exhibitions.check_exhibit, exhibitions.ExhibitionError, "id", None),
]
_value = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.text(max_size=20),
                   st.lists(st.text(max_size=5), max_size=3))
_record = st.dictionaries(st.sampled_from(["declaration_no", "direction", "port", "hs_code", "goods", "consignor",
                                           "country", "kind", "number", "title", "owner", "id", "booth", "product",
                                           "nice_classes", "x"]), _value, max_size=8)


def _accounted(path: Path, rule: int, lines: int) -> None:
    columns, check, refusal, key, identity = RULES[rule]
    try:
        read = read_checked(path, columns, check, refusal, key=key, fmt=None, encoding="utf-8",
                            limits=DEFAULT_LIMITS, identity=identity)
    except ImportFileError as exc:
        assert exc.file == str(path)
        return
    assert len(read.errors) == len(read.reasons)
    assert [e.line for e in read.errors] == sorted(e.line for e in read.errors)
    for error in read.errors:
        assert error.file == path.name and 1 <= error.line <= max(1, lines)
    taken = {line for line, _ in read.items}
    assert not taken & {e.line for e in read.errors}, "a line is both a record and an error"


@_fuzz
@given(records=st.lists(st.one_of(_record, st.text(max_size=15)), min_size=1, max_size=6),
       rule=st.integers(0, len(RULES) - 1))
def test_json_lines_of_any_shape_are_records_or_located_errors(tmp_path: Path, records: list[object],
                                                               rule: int) -> None:
    path = tmp_path / "fuzz.jsonl"
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)).replace("\n", " ") + "\n"
                   for r in records)
    path.write_text(text, encoding="utf-8")
    _accounted(path, rule, len(records))


@_fuzz
@given(data=st.binary(max_size=300), rule=st.integers(0, len(RULES) - 1))
def test_arbitrary_bytes_are_refused_whole_or_read_with_located_errors(tmp_path: Path, data: bytes,
                                                                       rule: int) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    _accounted(path, rule, data.count(b"\n") + 1)


def test_a_record_is_named_by_text_or_a_whole_number_never_by_a_flag_or_a_list() -> None:
    assert [text_or_number_id(v) for v in ("E1", 12, True, None, [1], "x" * 70)] == [
        "E1", "12", None, None, None, "x" * 60]
    assert [text_id(v) for v in ("E1", 12, "", None)] == ["E1", None, None, None]
