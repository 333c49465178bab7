"""sync/limits.py: one declaration of every synced field's limits, matching both schemas."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import limits
from sync.v1 import sync_pb2

UUID = "6a1d3c1e-0000-4000-8000-000000000001"


def _lead(**fields: object) -> sync_pb2.Record:
    lead = dict(listing_id="tb-1", right="TM-1", type="trademark", score=0.9, reasons=["looks alike"],
                model_version="tm-1", listing_title="康帅傅 方便面", listing_url="https://shop.example.cn/i/1",
                platform="淘宝", source="ecommerce", right_title="康师傅", detected_at="2026-11-02T10:00:00+08:00",
                state="new")
    seller = fields.pop("seller", {"name": "某某商行", "phone": "13800000000"})
    lead.update(fields)
    return sync_pb2.Record(region="440000", epoch=1, sequence=7, uuid=UUID, revision=1,
                           created_at="2026-11-02T10:00:00+00:00",
                           lead=sync_pb2.Lead(seller=sync_pb2.Seller(**seller), **lead))  # type: ignore[arg-type]


def test_a_well_formed_lead_record_passes() -> None:
    assert limits.validate_record(_lead()) == []


@pytest.mark.parametrize(("fields", "path", "words"), [
    ({"listing_title": "a\x00b"}, "lead.listing_title", "NUL character (U+0000) at character 2"),
    ({"listing_id": "x" * 201}, "lead.listing_id", "201 characters long; at most 200"),
    ({"listing_url": "javascript:alert(1)"}, "lead.listing_url", "not a javascript: URL"),
    ({"listing_url": "https://a.cn/x y"}, "lead.listing_url", "without spaces"),
    ({"score": float("nan")}, "lead.score", "finite"),
    ({"score": 1.5}, "lead.score", "from 0 to 1"),
    ({"type": "theft"}, "lead.type", "one of trademark"),
    ({"detected_at": "yesterday"}, "lead.detected_at", "ISO 8601"),
    ({"reasons": ["r"] * 33}, "lead.reasons", "33 items"),
    ({"right": " TM-1"}, "lead.right", "spaces"),
    ({"right": "TM\u202e-1"}, "lead.right", "invisible character U+202E"),
    ({"listing_id": ""}, "lead.listing_id", "must not be empty"),
    ({"seller": {"phone": "138\n0000"}}, "lead.seller.phone", "control character U+000A"),
    ({"seller": {"shop_url": "ftp://x.cn"}}, "lead.seller.shop_url", "not a ftp: URL"),
])
def test_each_broken_field_is_named_with_the_record(fields: dict[str, object], path: str, words: str) -> None:
    errors = limits.validate_record(_lead(**fields))
    assert [e.field for e in errors] == [path]
    text = str(errors[0])
    assert text.startswith(f"lead record {UUID} (sequence 7): field {path} ")
    assert words in text


def test_length_in_bytes_is_checked_as_well_as_characters() -> None:
    # 500 four-byte characters fit 500 characters but not an explicit 1,000-byte limit
    limit = limits.FieldLimit(limits.Kind.LINE, 500, max_bytes=1000)
    assert limits.check(limit, "😀" * 250) is None
    assert "bytes in UTF-8" in (limits.check(limit, "😀" * 251) or "")


def test_unpaired_surrogates_are_invalid_utf8() -> None:
    problem = limits.check(limits.LEAD["platform"], "ab\ud800")  # type: ignore[arg-type]
    assert problem is not None and "not valid UTF-8" in problem


def test_envelope_fields_and_record_size() -> None:
    rec = _lead()
    rec.region, rec.uuid, rec.epoch = "44", "not-a-uuid", 2**40
    fields = {e.field for e in limits.validate_record(rec)}
    assert fields == {"region", "uuid", "epoch"}
    big = _lead(reasons=["😀" * 2000] * 32, listing_title="😀" * 1000, right_title="😀" * 500)
    assert any(e.field == "record" for e in limits.validate_record(big))


def test_a_record_without_payload_is_refused() -> None:
    rec = sync_pb2.Record(region="440000", epoch=1, sequence=1, uuid=UUID, revision=1)
    assert [e.field for e in limits.validate_record(rec)] == ["payload"]


def test_before_numbering_region_epoch_sequence_are_not_required() -> None:
    rec = sync_pb2.Record(uuid=str(uuid.uuid4()),
                          case_feedback=sync_pb2.CaseFeedback(case_uuid=UUID, status="note", note="x" * 5001))
    errors = limits.validate_record(rec, numbered=False)
    assert [e.field for e in errors] == ["case_feedback.note"]
    assert "5,001 characters long; at most 5,000" in str(errors[0])


def test_dicts_from_imports_and_forms_are_checked_the_same_way() -> None:
    listing = {"id": "tb-1", "title": "t" * 1001, "url": "javascript:x", "price": -1.0,
               "seller": {"name": "n\x00"}, "images": ["a"] * 51}
    got = {e.field: e.message for e in limits.validate("Listing", listing, "line 3")}
    assert set(got) == {"title", "url", "price", "seller.name", "images"}
    assert str(limits.validate("Listing", {"title": "x"}, "line 3")[0]) == "line 3: field id must not be empty"
    assert limits.validate("Listing", {"id": "a", "title": "b", "seller": "text"}, "line 1")[0].message == \
        "must be an object"


def test_check_field_for_forms() -> None:
    err = limits.check_field("CaseFeedback.note", "x" * 15_000_000, "case feedback form")
    assert err is not None and str(err).startswith("case feedback form: field note is 15,000,000 characters")
    assert limits.check_field("CaseFeedback.note", "多行\n说明", "form") is None
    assert limits.field_limit("Lead.seller.phone").max_chars == 64


def test_rpc_integers_have_ranges() -> None:
    hello = sync_pb2.Hello(region="440000", epoch=2**63, outbox_head=2**64 - 1, oldest_unsent_at="nope")
    got = {e.field for e in limits.validate("Hello", hello, "hello")}
    assert got == {"epoch", "outbox_head", "oldest_unsent_at"}
    assert limits.validate("PullRequest", sync_pb2.PullRequest(after_cursor=2**63), "pull")[0].field == \
        "after_cursor"


def test_regional_enums_stay_within_the_declared_choices() -> None:
    from regional.domain import LeadState, LeadType, ListingSource
    from regional.services import CASE_FEEDBACK

    assert {m.value for m in LeadType} <= set(limits.LEAD_TYPES)
    assert {m.value for m in ListingSource} <= set(limits.LISTING_SOURCES)
    assert {m.value for m in LeadState} <= set(limits.LEAD_STATES)
    assert set(CASE_FEEDBACK) <= set(limits.CASE_FEEDBACK_STATUSES)


def _walk(spec: limits.Spec, path: str = "") -> list[tuple[str, limits.FieldLimit]]:
    out = []
    for name, limit in spec.items():
        if isinstance(limit, str):
            out += _walk(limits.SPECS[limit], f"{path}{name}.")
        else:
            out.append((f"{path}{name}", limit))
    return out


def test_declared_sizes_match_the_columns_of_both_schemas() -> None:
    from national.models import Base as NationalBase
    from regional.models import Base as RegionalBase

    tables = {"national": NationalBase.metadata.tables, "regional": RegionalBase.metadata.tables}
    checked = 0
    for spec_name, spec in limits.SPECS.items():
        for path, limit in _walk(spec):
            for ref in limit.columns:
                node, rest = ref.split(":")
                table, column = rest.split(".")
                col = tables[node][table].c[column]
                assert isinstance(col.type, sa.String), ref
                if limit.kind is limits.Kind.ENUM:  # every choice fits the column
                    assert col.type.length >= limit.max_chars, f"{spec_name}.{path}: {ref} is {col.type.length}"
                else:
                    assert col.type.length == limit.max_chars, f"{spec_name}.{path}: {ref} is {col.type.length}"
                checked += 1
    assert checked >= 25
    # every proto field of a payload has a declared limit
    for kind, spec_name in limits.PAYLOADS.items():
        descriptor = getattr(sync_pb2.Record(), kind).DESCRIPTOR
        assert {f.name for f in descriptor.fields} == set(limits.SPECS[spec_name]), kind


def test_every_spec_reads_as_words() -> None:
    rows = {s.spec: dict(s.rows) for s in limits.summaries()}
    assert rows["Lead"]["listing_id"].startswith("ident, ≤ 200 chars")
    assert rows["Lead"]["seller"] == "message Seller"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60), st.integers(), st.floats(), st.booleans(),
                 st.lists(st.text(max_size=5), max_size=4), st.binary(max_size=5)))
def test_check_never_raises_on_any_value(value: object) -> None:
    for _spec, spec in limits.SPECS.items():
        for _path, limit in _walk(spec):
            result = limits.check(limit, value)
            assert result is None or isinstance(result, str)


_texts = st.one_of(st.text(max_size=12), st.sampled_from(["", " x", "trademark", "https://a.cn/1", "ftp://a",
                                                          "2026-11-02", UUID, "440000", "a\x00", "x" * 70, "  ", "\u3000",
                                                          "a\u200bb", "康师傅 ", "\u2028", "康\x85"]))


@settings(max_examples=400, deadline=None)
@given(listing_id=_texts, right=_texts, type_=_texts, score=st.floats(), url=_texts, title=_texts,
       reasons=st.lists(_texts, max_size=3), detected=_texts, phone=_texts, shop=_texts, uuid_=_texts,
       region=_texts, epoch=st.integers(0, 2**64 - 1), sequence=st.integers(0, 2**64 - 1))
def test_the_fast_check_agrees_with_the_detailed_one(listing_id: str, right: str, type_: str, score: float,
                                                     url: str, title: str, reasons: list[str], detected: str,
                                                     phone: str, shop: str, uuid_: str, region: str, epoch: int,
                                                     sequence: int) -> None:
    try:
        rec = sync_pb2.Record(region=region, epoch=epoch, sequence=sequence, uuid=uuid_, revision=1,
                              lead=sync_pb2.Lead(listing_id=listing_id, right=right, type=type_, score=score,
                                                 listing_url=url, listing_title=title, reasons=reasons,
                                                 detected_at=detected,
                                                 seller=sync_pb2.Seller(phone=phone, shop_url=shop)))
    except ValueError:
        return  # protobuf itself refuses the value (e.g. a surrogate)
    detailed = (limits.validate("Record", rec, "r") + limits.validate("Lead", rec.lead, "r"))
    assert (limits.valid("Record", rec) and limits.valid("Lead", rec.lead)) == (not detailed), detailed
    assert (limits.validate_record(rec) == []) == (not detailed)
    # the one-pass check ingest runs on every record gives the same answer
    assert bool(limits.record_checker("lead")(rec)) == (not detailed), detailed


@pytest.mark.parametrize("kind", sorted(limits.PAYLOADS))
def test_the_one_pass_record_check_agrees_with_the_detailed_one_for_every_payload_kind(kind: str) -> None:
    rec = sync_pb2.Record(region="440000", epoch=1, sequence=1, uuid=UUID, revision=1)
    getattr(rec, kind).SetInParent()
    expected = limits.validate_record(rec) == []
    assert bool(limits.record_checker(kind)(rec)) == expected
    bad = sync_pb2.Record(region="44000x", epoch=1, sequence=1, uuid=UUID, revision=1)
    getattr(bad, kind).SetInParent()
    assert not limits.record_checker(kind)(bad) and limits.validate_record(bad)


@pytest.mark.parametrize("params", ["[" * 2000 + "]" * 2000, '{"a":' * 50 + "[" * 1500 + "]" * 1500 + "}" * 50])
def test_reason_code_parameters_nested_too_deeply_are_refused_not_a_crash(params: str) -> None:
    rec = sync_pb2.Record(region="440000", epoch=1, sequence=1, uuid=UUID, revision=1, lead=sync_pb2.Lead(
        listing_id="x1", right="TM-1", type="trademark", score=0.5, reasons=["r"],
        reason_codes=[sync_pb2.ReasonCode(code="tm.lookalike", params_json=params)]))
    assert len(params.encode()) <= 4096  # within the size limit: only the parser can refuse it
    assert [e.field for e in limits.validate_record(rec)] == ["lead.reason_codes"]
    assert not limits.record_checker("lead")(rec)


def test_a_json_field_nested_too_deeply_is_refused_not_a_crash() -> None:
    limit = limits.FieldLimit(limits.Kind.JSON, 10_000)
    assert limits.check(limit, "[" * 3000 + "]" * 3000) == "is JSON nested too deeply"


def _loads_object(text: str) -> bool:
    try:
        return isinstance(__import__("json").loads(text), dict)
    except (ValueError, RecursionError):
        return False


_JSONISH = st.text(alphabet=st.sampled_from(list('{}[]:,"\\ \t\n\r\x0b\x0c\ufeffaeu0123456789.-+eEtrufalsn康')),
                   max_size=40)


@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(_JSONISH, st.text(max_size=30),
                      st.builds(lambda pre, body, post: pre + body + post,
                                st.sampled_from(["", " ", "\n\t", "\ufeff", "\x0c", "x"]),
                                st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5),
                                                                               st.none()), max_size=3)
                                .map(__import__("json").dumps),
                                st.sampled_from(["", " ", "\r\n", "x", "}", " {}", "\x0b"]))))
def test_the_reason_code_json_check_answers_as_json_loads_does(text: str) -> None:
    assert limits._json_object(text) == _loads_object(text)


@pytest.mark.parametrize("text", ["{}", " {} ", '{"class": 30}', "\ufeff{}", "{} x", "{}{}", "[]", "{", "",
                                  "{\"a\": NaN}", "\x0c{}", '{"a": [1, {"b": null}]}\n', '{"a":1,}', "{'a': 1}"])
def test_the_reason_code_json_check_on_edge_cases(text: str) -> None:
    assert limits._json_object(text) == _loads_object(text)


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(["tm.lookalike", "Tm.x", "", "a" * 65, "tm..x"]), params=_JSONISH,
       created=st.sampled_from(["", "2026-11-02T10:00:00+00:00", "2026-13-02", "yesterday", "2026-11-02"]))
def test_the_one_pass_check_of_reason_codes_and_times_agrees_with_the_detailed_one(code: str, params: str,
                                                                                   created: str) -> None:
    rec = _lead(reason_codes=[sync_pb2.ReasonCode(code=code, params_json=params)], detected_at=created)
    rec.created_at = created
    assert bool(limits.record_checker("lead")(rec)) == (limits.validate_record(rec) == [])


# ---------------------------------------------------------------- the batch check (ingest's fast path)

_codes = st.lists(st.builds(lambda code, params: sync_pb2.ReasonCode(code=code, params_json=params),
                            st.sampled_from(["tm.lookalike", "tm.same_class", "", "TM.x", "a" * 65, "tm.x\n", "9x"]),
                            st.one_of(st.sampled_from(["", "{}", '{"class": 30}', " {}", "{} ", "[]", "{", "{}{}",
                                                       "\ufeff{}", '{"a": NaN}', "[" * 40 + "]" * 40,
                                                       '{"k": "' + "x" * 4100 + '"}']),
                                      _JSONISH)), max_size=3)


@st.composite
def _lead_records(draw: st.DrawFn) -> sync_pb2.Record:
    fields = dict(listing_id=draw(_texts), right=draw(_texts), type=draw(st.sampled_from(["trademark", "", "x"])),
                  score=draw(st.one_of(st.just(0.5), st.floats())), listing_url=draw(_texts),
                  listing_title=draw(_texts), reasons=draw(st.lists(_texts, max_size=3)),
                  detected_at=draw(st.sampled_from(["", "2026-11-02T10:00:00+08:00", "2026-13-01", "x"])),
                  industry=draw(st.sampled_from([0, 30, 46])), city=draw(st.sampled_from(["", "440300", "4403"])),
                  model_version=draw(_texts), reason_codes=draw(_codes))
    seller = draw(st.one_of(st.none(), st.builds(dict, phone=_texts, shop_url=_texts, name=_texts)))
    try:
        return sync_pb2.Record(region=draw(st.sampled_from(["440000", "44000x"])), epoch=1,
                               sequence=draw(st.sampled_from([1, 0])), uuid=draw(st.sampled_from([UUID, "x"])),
                               revision=1, created_at=draw(st.sampled_from(["", "2026-11-02T10:00:00+00:00", "z"])),
                               lead=sync_pb2.Lead(**fields,  # type: ignore[arg-type]
                                                  **({} if seller is None else {"seller": sync_pb2.Seller(**seller)})))
    except ValueError:  # protobuf itself refuses the value (e.g. a surrogate)
        return _lead()


@settings(max_examples=600, deadline=None)
@given(st.lists(_lead_records(), min_size=1, max_size=4))
def test_the_batch_check_never_passes_a_batch_the_record_check_refuses_any_record_of(
        records: list[sync_pb2.Record]) -> None:
    one_by_one = [bool(limits.record_checker("lead")(r)) for r in records]
    assert one_by_one == [limits.validate_record(r) == [] for r in records]
    if limits.records_checker("lead")(records):
        assert all(one_by_one)


def _raw(records: list[sync_pb2.Record]) -> list[Any]:
    """The records as national ingest's one pass reads them: lead reason codes as their bytes (its RecordList)."""
    from national.ingest import _record_list

    raw = _record_list()()
    raw.ParseFromString(b"".join(_field1(r.SerializeToString()) for r in records))
    return list(raw.records)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append(n & 0x7F | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field1(body: bytes) -> bytes:
    return b"\x0a" + _varint(len(body)) + body


@settings(max_examples=300, deadline=None)
@given(st.lists(_lead_records(), min_size=1, max_size=4))
def test_the_batch_check_answers_the_same_over_reason_codes_read_as_bytes(records: list[sync_pb2.Record]) -> None:
    raw = _raw(records)
    assert [type(r.lead.reason_codes).__name__ for r in raw[:1]] != [type(records[0].lead.reason_codes).__name__]
    assert bool(limits.records_checker("lead")(raw)) == bool(limits.records_checker("lead")(records))


def test_the_batch_check_passes_well_formed_leads_and_refuses_a_batch_with_one_broken_field() -> None:
    good = []
    for i in range(300):
        rec = _lead(listing_id=f"tb-{i}", industry=i % 46, city="440300" if i % 2 else "",
                    reasons=["相似商标 康师傅"] * (i % 3), listing_title="康帅傅\t方便面 " * (i % 5),
                    reason_codes=[sync_pb2.ReasonCode(code="tm.lookalike", params_json='{"mark": "康师傅", "n": [1, 2]}'),
                                  sync_pb2.ReasonCode(code="tm.same_class", params_json="")][: i % 3],
                    seller={"name": "某某商行", "shop_url": "https://shop.example.cn/"} if i % 4 else {})
        if i % 7 == 0:
            rec.lead.ClearField("seller")
        assert limits.record_checker("lead")(rec)
        good.append(rec)
    check = limits.records_checker("lead")
    assert check(good) and check([]) is True
    breaks: list[tuple[str, object]] = [
        ("listing_id", "x" * 201), ("listing_id", " tb-1"), ("listing_id", "tb\u200b1"), ("right", ""),
        ("type", "patent"), ("score", float("nan")), ("score", 1.5), ("listing_title", "a\x00b"),
        ("platform", "a\nb"), ("listing_url", "ftp://a.cn/"), ("detected_at", "2026-13-01"), ("city", "4403"),
        ("industry", 46), ("state", "old"), ("reasons", ["r"] * 33), ("reasons", ["x" * 2001]),
        ("reasons", ["ok\x07"]), ("model_version", "tm 1 "),
    ]
    for name, value in breaks:
        bad = sync_pb2.Record()
        bad.CopyFrom(good[150])
        if isinstance(value, list):
            bad.lead.ClearField(name)
            getattr(bad.lead, name).extend(value)
        else:
            setattr(bad.lead, name, value)
        assert not limits.record_checker("lead")(bad), name
        assert not check([*good[:150], bad, *good[151:]]), name
    for code, params in [("Tm.x", "{}"), ("", "{}"), ("tm.x", "[1]"), ("tm.x", "{"), ("tm.x", "{}{}"),
                         ("tm.x", '{"a": "' + "康" * 1400 + '"}')]:
        bad = sync_pb2.Record()
        bad.CopyFrom(good[10])
        bad.lead.reason_codes.add(code=code, params_json=params)
        assert not limits.record_checker("lead")(bad) and not check([*good, bad]), (code, params)
    for name, value in [("phone", "1\x002"), ("shop_url", "javascript:x"), ("name", "x" * 301)]:
        bad = sync_pb2.Record()
        bad.CopyFrom(good[9])
        setattr(bad.lead.seller, name, value)
        assert not limits.record_checker("lead")(bad) and not check([bad, *good]), name
    for name, value in [("region", "44000x"), ("uuid", "x"), ("created_at", "z"), ("epoch", 0), ("revision", 0)]:
        bad = sync_pb2.Record()
        bad.CopyFrom(good[0])
        setattr(bad, name, value)
        assert not limits.record_checker("lead")(bad) and not check([*good, bad]), name


@pytest.mark.parametrize("kind", sorted(limits.PAYLOADS))
def test_the_batch_check_agrees_with_the_record_check_for_every_payload_kind(kind: str) -> None:
    rec = sync_pb2.Record(region="440000", epoch=1, sequence=1, uuid=UUID, revision=1)
    getattr(rec, kind).SetInParent()
    assert bool(limits.records_checker(kind)([rec])) <= bool(limits.record_checker(kind)(rec))
    bad = sync_pb2.Record(region="44000x", epoch=1, sequence=1, uuid=UUID, revision=1)
    getattr(bad, kind).SetInParent()
    assert not limits.records_checker(kind)([rec, bad])
