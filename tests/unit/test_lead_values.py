"""The lead projection's row builder (national/feed._lead_values) gives the row of its plain spelling.

The projection builds every lead's row with a fast path (each field read once, the reason codes'
parameters scanned by the C JSON scanner, the JSON texts written by the encoder json.dumps ends in).
The plain spelling — `reasons.from_wire` of the codes, `json.dumps` of the reasons and of the codes,
`filings.lead_columns` — is the definition; these tests hold the fast path to it on ordinary leads and
on every way a lead's reason codes can be malformed (then the lead keeps its sentences, no codes).
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from national import feed
from national.reports.filings import lead_columns
from regional import reasons as reason_codes
from sync.v1 import sync_pb2

NOW = dt.datetime(2026, 12, 1, 3, 30, tzinfo=dt.UTC)


def plain_row(record: sync_pb2.Record, region: str) -> tuple[object, ...]:
    """The row as the projection wrote it before the fast path (the definition)."""
    lead, seller = record.lead, record.lead.seller
    codes = reason_codes.from_wire(((c.code, c.params_json) for c in lead.reason_codes), len(lead.reasons))
    counted = lead_columns(lead, NOW)
    return (record.uuid, region, lead.listing_id, lead.listing_title or None, lead.listing_url or None,
            lead.platform or None, lead.right, lead.right_title or None, lead.type, lead.score,
            json.dumps(list(lead.reasons)), json.dumps(codes) if codes else None, lead.model_version,
            seller.name or None, seller.uscc or None, seller.phone or None, seller.address or None,
            seller.shop_url or None, lead.detected_at or None, NOW,
            counted["detected"], counted["source"], counted["origin"], counted["industry"], counted["city"])


def record(codes: list[tuple[str, str]], reasons: list[str] | None = None, **fields: object) -> sync_pb2.Record:
    reasons = reasons if reasons is not None else [f"reason {i} 康师傅 \"q\" \\ é" for i in range(len(codes))]
    lead = sync_pb2.Lead(listing_id="tb-1", right="TM-1", type="trademark", score=0.5, reasons=reasons,
                         reason_codes=[sync_pb2.ReasonCode(code=c, params_json=p) for c, p in codes],
                         model_version="m-1", **fields)  # type: ignore[arg-type]
    return sync_pb2.Record(uuid="6a1d3c1e-0000-4000-8000-000000000001", revision=1, lead=lead)


def row(rec: sync_pb2.Record) -> tuple[object, ...]:
    return feed._lead_values(rec, "440000", NOW, NOW, None)


MALFORMED = [
    ("not json", "{not json"),
    ("a list", '["a"]'),
    ("a string", '"x"'),
    ("extra data", '{"a": 1} {"b": 2}'),
    ("extra data after space", '{"a": 1} x'),
    ("a BOM", '\ufeff{"a": 1}'),
    ("unclosed", '{"a": 1'),
    ("NaN-like word", '{"a": nan}'),
    ("over 4,096 bytes", '{"m": "' + "é" * 2047 + '"}'),
    ("nested too deep", "{" + '"a": {' * 5000 + "}" * 5001),
]


@pytest.mark.parametrize(("what", "params"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_lead_with_a_malformed_reason_code_keeps_its_sentences_and_no_codes(what: str, params: str) -> None:
    rec = record([("tm.exact", '{"mark": "x"}'), ("tm.lookalike", params)])
    got = row(rec)
    assert got == plain_row(rec, "440000"), what
    assert got[feed.LEAD_COLUMNS.index("reason_codes")] is None
    assert json.loads(str(got[feed.LEAD_COLUMNS.index("reasons")])) == list(rec.lead.reasons)


WELL_FORMED = [
    ("flat", [("tm.lookalike", '{"mark": "康师傅", "window": "康帅傅"}'), ("tm.same_class", '{"class": 30}')]),
    ("white space around", [("tm.exact", ' \t\n{"mark": "雪碧"}\r\n ')]),
    ("no parameters", [("tm.exact", ""), ("tm.cheap", "{}")]),
    ("a code key inside, moved last", [("tm.exact", '{"code": "other", "mark": "x", "z": 1}')]),
    ("nested values cleaned", [("tm.class_other", '{"classes": [21, [1, [2, [3]]]], "m": {"a": {"b": {"c": 1}}}}')]),
    ("numbers and constants", [("tm.cheap", '{"price": 3, "typical": 17.25, "f": 1e400, "t": true, "n": null}')]),
    ("escapes", [("tm.exact", '{"mark": "\\u96ea\\u78a7 \\"q\\" \\\\ \\ud83d\\ude00"}')]),
    ("exactly 4,096 bytes", [("tm.exact", '{"m": "' + "é" * 2042 + "xxx" + '"}')]),
]


@pytest.mark.parametrize(("what", "codes"), WELL_FORMED, ids=[w[0] for w in WELL_FORMED])
def test_a_lead_with_well_formed_codes_gets_the_codes_of_the_plain_spelling(what: str,
                                                                             codes: list[tuple[str, str]]) -> None:
    rec = record(codes, listing_title="康帅傅", detected_at="2026-11-30T10:00:00+08:00", industry=30, city="440300",
                 source="ecommerce", origin="monitoring", seller=sync_pb2.Seller(name="深圳某商行"))
    got = row(rec)
    assert got == plain_row(rec, "440000"), what
    text = got[feed.LEAD_COLUMNS.index("reason_codes")]
    assert isinstance(text, str) and [e["code"] for e in json.loads(text)] == [c for c, _p in codes]


def test_codes_not_aligned_with_the_reasons_or_too_many_are_dropped() -> None:
    one = [("tm.exact", '{"mark": "x"}')]
    for rec in (record(one, reasons=["a", "b"]), record(one * 2, reasons=["a"]), record([], reasons=["a"]),
                record(one * 33), record([("", "{}")]), record([("x" * 65, "{}")])):
        assert row(rec) == plain_row(rec, "440000")
        assert row(rec)[feed.LEAD_COLUMNS.index("reason_codes")] is None
    full = record(one * 32)
    assert row(full) == plain_row(full, "440000") and row(full)[feed.LEAD_COLUMNS.index("reason_codes")] is not None


def test_random_leads_match_the_plain_spelling() -> None:
    rng = random.Random(12)
    pieces = ['{"mark": "雪碧"}', "", "{}", '{"a": [1, 2]}', "[1]", "{", '{"b": {"c": [1, {"d": 2}]}}', " {} ",
              '{"code": 1}', "null", '{"x": "\\u0000"}']
    for _ in range(500):
        n = rng.randint(0, 4)
        codes = [(rng.choice(["tm.exact", "pm.lapsed", ""]), rng.choice(pieces)) for _ in range(n)]
        reasons = [rng.choice(["a", "相似", "q\"\\", "\u2028"]) for _ in range(n + rng.choice([0, 0, 0, 1, -1]))]
        rec = record(codes, reasons=[r for r in reasons], industry=rng.choice([0, 30, 99]),
                     city=rng.choice(["", "440300", "44030x"]), source=rng.choice(["", "ecommerce", "other"]),
                     detected_at=rng.choice(["", "2026-11-30T10:00:00", "bad"]))
        assert row(rec) == plain_row(rec, "440000"), (codes, reasons)
