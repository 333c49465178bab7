"""sync/limits.py's batch check (session 19, sync20): the patterns checked over a column's values joined, the
records' columns handed to ingest, the columns the control-character scans may skip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import limits
from sync.v1 import sync_pb2

UUID = "6a1d3c1e-0000-4000-8000-000000000001"
_KINDS = sorted(limits._FULLMATCH, key=str)
_SAMPLES = ["", "440000", "4400001", UUID, UUID.upper(), UUID + "\n" + UUID, "0" * 64, "a" * 64 + "\n", "image/jpeg",
            "image/jpeg\nimage/png", "https://a.cn/1", "HTTPS://A.CN", "https://a.cn/1\nhttps://b.cn/2", "ftp://a",
            "https://a.cn/x y", "https://a.cn/\u3000", "https://a.cn/\x00", "\n", "\nhttps://a.cn", "https://a.cn\n",
            "https://u@a.cn/p?q#f", "44000\n0"]
_values = st.one_of(st.sampled_from(_SAMPLES), st.text(alphabet="0123456789abcdefABCDEF-/:.hts\n \x00", max_size=40))


@pytest.mark.parametrize("kind", _KINDS)
def test_no_pattern_of_a_kind_matches_a_line_feed(kind: limits.Kind) -> None:
    # the joined check counts on it: the line feeds of the joined text are exactly the separators
    pattern = limits._FULLMATCH[kind]
    for sample in _SAMPLES:
        for text in (sample + "\n", "\n" + sample, sample[:3] + "\n" + sample[3:]):
            assert pattern.fullmatch(text) is None, (kind, text)


@settings(max_examples=400, deadline=None)
@given(kind=st.sampled_from(_KINDS), values=st.lists(_values, max_size=6))
def test_a_column_joined_matches_exactly_when_every_value_does(kind: limits.Kind, values: list[str]) -> None:
    pattern = limits._FULLMATCH[kind]
    every = limits._every_fullmatch(pattern)
    assert every(tuple(values)) == all(pattern.fullmatch(v) for v in values if v)


def test_the_kinds_left_out_of_the_scans_admit_printable_ascii_only() -> None:
    for kind in limits._CLEAN - {limits.Kind.ENUM}:
        for bad in ("\x00", "\n", "\u200b", "\u2028", "\x85", "康", " ", "\t"):
            for sample in _SAMPLES:
                for text in (sample + bad, bad + sample, sample[:3] + bad + sample[3:]):
                    assert limits._FULLMATCH[kind].fullmatch(text) is None, (kind, text)
    for spec in limits.SPECS.values():
        for limit in spec.values():
            if isinstance(limit, limits.FieldLimit) and limit.kind is limits.Kind.ENUM:
                assert all(c.isascii() and c.isprintable() for c in limit.choices)


def _record(sequence: int, **fields: object) -> sync_pb2.Record:
    lead = dict(listing_id=f"tb-{sequence}", right="TM-1", type="trademark", score=0.9, reasons=["looks alike"],
                listing_title="康帅傅 方便面", listing_url=f"https://shop.example.cn/i/{sequence}", platform="淘宝",
                detected_at="2026-11-02T10:00:00+08:00", state="new", city="440300")
    lead.update(fields)
    return sync_pb2.Record(region="440000", epoch=1, sequence=sequence, uuid=UUID[:-3] + f"{sequence:03d}",
                           revision=2, created_at="2026-11-02T10:00:00+00:00",
                           lead=sync_pb2.Lead(seller=sync_pb2.Seller(name="某某商行", shop_url="https://s.cn/"),
                                              **lead))  # type: ignore[arg-type]


def test_the_columns_answer_is_the_records_own_fields_in_order_or_false() -> None:
    records = [_record(i) for i in range(1, 6)]
    columns = limits.records_columns("lead")(records)
    assert columns is not False
    assert columns[:6] == [("440000",) * 5, (1,) * 5, (1, 2, 3, 4, 5), tuple(r.uuid for r in records), (2,) * 5,
                           ("2026-11-02T10:00:00+00:00",) * 5]
    assert [lead.listing_id for lead in columns[6]] == [f"tb-{i}" for i in range(1, 6)]
    assert limits.records_checker("lead")(records) is True
    assert limits.records_checker("lead")([]) is True and limits.records_columns("lead")([]) == [()] * 7
    for name, value in [("city", "4403\n0"), ("listing_url", "https://a.cn/1\nhttps://b.cn/2"), ("type", "x\n"),
                        ("listing_url", "https://a.cn/\x07"), ("city", "44030\x00")]:
        bad = _record(3, **{name: value})
        assert limits.record_checker("lead")(bad) is False, name
        assert limits.records_columns("lead")([*records[:2], bad, *records[3:]]) is False, name
        assert limits.records_checker("lead")([bad]) is False, name
    bad = _record(4)
    bad.uuid = UUID + "\n" + UUID
    assert limits.records_columns("lead")([*records, bad]) is False
