"""E-mark payloads (pure core): issue and read back, every way a mark can fail, fuzzed parser; the detection signal."""

from __future__ import annotations

import base64
import datetime as dt
import struct
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given, settings
from hypothesis import strategies as st

from regional.domain import LeadFinding, LeadType, Listing, Right, RightKind
from regional.emark import core, signal
from regional.emark.core import Known, MarkBody, Status

NATIONAL = ed25519.Ed25519PrivateKey.generate()
NATIONAL_PUB = core.raw_public(NATIONAL)
REGION_KEY = ed25519.Ed25519PrivateKey.generate()
VOUCHER = core.make_voucher(NATIONAL, "440000", core.raw_public(REGION_KEY))
BODY = MarkBody(mark_id="440000-ABCDEFGH", region="440000", right="12345678", holder="广州飞鹰体育用品有限公司",
                licensee="东莞鹰翔鞋业有限公司", product="飞鹰跑步鞋 FY-100", batch="B2026-11", serial="000123",
                issued=dt.date(2026, 11, 30))
ISSUED = Known(issued_here=True, own_region=True)


def known(_body: MarkBody) -> Known:
    return ISSUED


def repack(mark: core.ParsedMark, body: MarkBody) -> str:
    raw = body.encode()
    blob = struct.pack(">H", len(raw)) + raw + mark.issuer_key + mark.voucher + mark.signature
    return core.PREFIX + base64.b32encode(blob).decode().rstrip("=")


def test_an_issued_mark_reads_back_and_verifies_as_genuine_naming_the_holder() -> None:
    payload = core.issue(BODY, REGION_KEY, VOUCHER)
    assert payload.startswith("HFM1.") and set(payload[5:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    verdict = core.verdict(payload, NATIONAL_PUB, known)
    assert verdict.status is Status.GENUINE and verdict.genuine
    assert verdict.body == BODY and "广州飞鹰体育用品有限公司" in verdict.reason
    # what scanners do to it: lower case, line breaks, a link around it
    assert core.verdict(payload.lower(), NATIONAL_PUB, known).genuine
    assert core.verdict(payload[:60] + "\n " + payload[60:], NATIONAL_PUB, known).genuine
    assert core.verdict(f"https://ip.example.cn/emark/verify?m={payload}&x=1", NATIONAL_PUB, known).genuine


def test_a_changed_field_under_the_original_signature_is_altered() -> None:
    mark = core.decode(core.issue(BODY, REGION_KEY, VOUCHER))
    for change in ({"product": "飞鹰篮球鞋"}, {"holder": "某某公司"}, {"right": "87654321"}, {"serial": "000124"},
                   {"issued": dt.date(2027, 1, 1)}):
        verdict = core.verdict(repack(mark, replace(BODY, **change)), NATIONAL_PUB, known)
        assert verdict.status is Status.ALTERED, change


def test_a_mark_signed_by_a_key_the_national_office_never_vouched_for_is_forged() -> None:
    forger = ed25519.Ed25519PrivateKey.generate()
    assert core.verdict(core.issue(BODY, forger, VOUCHER), NATIONAL_PUB, known).status is Status.FORGED
    assert core.verdict(core.issue(BODY, forger, bytes(64)), NATIONAL_PUB, known).status is Status.FORGED
    # a voucher from another federation's national key
    other = ed25519.Ed25519PrivateKey.generate()
    own = core.issue(BODY, forger, core.make_voucher(other, "440000", core.raw_public(forger)))
    assert core.verdict(own, NATIONAL_PUB, known).status is Status.FORGED
    # a region's voucher does not let it issue as another region
    as_other = replace(BODY, region="330000", mark_id="330000-ABCDEFGH")
    assert core.verdict(core.issue(as_other, REGION_KEY, VOUCHER), NATIONAL_PUB, known).status is Status.FORGED


def test_revoked_and_unknown_marks_fail_with_their_reason() -> None:
    payload = core.issue(BODY, REGION_KEY, VOUCHER)
    revoked = core.verdict(payload, NATIONAL_PUB, lambda b: Known(issued_here=True, own_region=True, revoked=True,
                                                                  revoked_at="2026-12-01", revoked_reason="召回"))
    assert revoked.status is Status.REVOKED and "召回" in revoked.reason and "2026-12-01" in revoked.reason
    unknown = core.verdict(payload, NATIONAL_PUB, lambda b: Known(issued_here=False, own_region=True))
    assert unknown.status is Status.UNKNOWN
    # at another region a vouched mark it never saw is genuine (its issuer vouched for by the national key)
    assert core.verdict(payload, NATIONAL_PUB, lambda b: Known()).genuine


@pytest.mark.parametrize("text", ["", "hello", "HFM1.", "HFM1.AAAA", "HFM1." + "A" * 400, "HFM1.!!!!",
                                  "x" * (core.MAX_PAYLOAD_CHARS + 1)])
def test_what_is_not_a_mark_is_refused_with_a_reason(text: str) -> None:
    verdict = core.verdict(text, NATIONAL_PUB, known)
    assert not verdict.genuine and verdict.status in (Status.UNREADABLE, Status.ALTERED) and verdict.reason


def test_a_truncated_or_mistyped_mark_is_altered_or_damaged() -> None:
    payload = core.issue(BODY, REGION_KEY, VOUCHER)
    for bad in (payload[:-1], payload[:-8], payload[:100], payload[:50] + "1" + payload[51:]):
        assert core.verdict(bad, NATIONAL_PUB, known).status is Status.ALTERED


def test_fields_are_bounded_when_issuing() -> None:
    with pytest.raises(core.MarkError, match="product"):
        core.issue(replace(BODY, product="x" * 201), REGION_KEY, VOUCHER)
    with pytest.raises(core.MarkError, match="holder"):
        core.issue(replace(BODY, holder="a\x1fb"), REGION_KEY, VOUCHER)
    with pytest.raises(core.MarkError, match="product"):
        core.issue(replace(BODY, product=" "), REGION_KEY, VOUCHER)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_fuzz_any_text_gives_a_verdict_never_an_exception(text: str) -> None:
    verdict = core.verdict(text, NATIONAL_PUB, known)
    assert verdict.status in Status and (verdict.genuine is (verdict.status is Status.GENUINE))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fuzz_flipping_bytes_of_a_genuine_mark_never_verifies(data: st.DataObject) -> None:
    payload = core.issue(BODY, REGION_KEY, VOUCHER)
    blob = bytearray(base64.b32decode(payload[5:] + "=" * (-len(payload[5:]) % 8)))
    i = data.draw(st.integers(0, len(blob) - 1))
    blob[i] ^= data.draw(st.integers(1, 255))
    bad = core.PREFIX + base64.b32encode(bytes(blob)).decode().rstrip("=")
    assert not core.verdict(bad, NATIONAL_PUB, known).genuine


@settings(max_examples=200, deadline=None)
@given(st.builds(MarkBody, mark_id=st.text(min_size=1, max_size=24).filter(str.strip),
                 region=st.just("440000"), right=st.text(min_size=1, max_size=64).filter(str.strip),
                 holder=st.text(min_size=1, max_size=300).filter(str.strip), licensee=st.text(max_size=300),
                 product=st.text(min_size=1, max_size=200).filter(str.strip), batch=st.text(max_size=64),
                 serial=st.text(max_size=64), issued=st.dates()))
def test_fuzz_every_issuable_body_round_trips(body: MarkBody) -> None:
    try:
        payload = core.issue(body, REGION_KEY, VOUCHER)
    except core.MarkError:
        return  # control characters, or more than the body limit: refused when issuing
    verdict = core.verdict(payload, NATIONAL_PUB, known)
    assert verdict.genuine and verdict.body == body


# ---------------------------------------------------------------- the detection signal

RIGHT = Right(kind=RightKind.TRADEMARK, number="12345678", title="飞鹰", owner=BODY.holder, status="registered",
              nice_classes=(25,))
LISTING = Listing(id="L1", title="飞鹰跑步鞋 FY-100 正品", nice_classes=(25,))


def _finding(score: float = 0.8, right: str = "12345678") -> LeadFinding:
    return LeadFinding("L1", right, LeadType.TRADEMARK, score, ("exact mark '飞鹰'",), "tm-1", codes=("tm.exact",),
                       params=({"mark": "飞鹰"},))


def test_a_failed_mark_raises_the_claimed_rights_lead_or_adds_one_with_its_reason_code() -> None:
    failed = core.Verdict(Status.FORGED, "forged", BODY)
    raised = signal.apply([_finding(0.6)], {"L1": LISTING}, {"L1": failed}, {RIGHT.number: RIGHT})
    assert len(raised) == 1 and raised[0].score == signal.STRONG and raised[0].codes[-1] == signal.INVALID
    assert len(raised[0].codes) == len(raised[0].reasons) == len(raised[0].params)
    added = signal.apply([], {"L1": LISTING}, {"L1": failed}, {RIGHT.number: RIGHT})
    assert [(f.right, f.score, f.codes) for f in added] == [("12345678", signal.STRONG, (signal.INVALID,))]


def test_a_genuine_mark_for_another_product_is_a_strong_signal() -> None:
    verdict = core.Verdict(Status.GENUINE, "ok", replace(BODY, product="飞鹰运动水壶"))
    out = signal.apply([], {"L1": LISTING}, {"L1": verdict}, {RIGHT.number: RIGHT})
    assert [(f.score, f.codes) for f in out] == [(signal.OTHER_PRODUCT, (signal.OTHER,))]


def test_a_genuine_mark_for_this_product_lowers_the_rights_lead_only() -> None:
    verdict = core.Verdict(Status.GENUINE, "ok", replace(BODY, product="飞鹰跑步鞋"))
    out = signal.apply([_finding(0.8), _finding(0.7, right="99999999")], {"L1": LISTING}, {"L1": verdict},
                       {RIGHT.number: RIGHT})
    by_right = {f.right: f for f in out}
    assert by_right["12345678"].score == pytest.approx(0.4) and by_right["12345678"].codes[-1] == signal.GENUINE
    assert by_right["99999999"].score == 0.7


def test_product_matching_reads_chinese_and_english() -> None:
    assert signal.same_product("飞鹰跑步鞋", LISTING)
    assert not signal.same_product("飞鹰运动水壶", LISTING)
    en = Listing(id="L2", title="FEIYING Running Shoes FY-100, men's", nice_classes=(25,))
    assert signal.same_product("running shoes", en) and not signal.same_product("water bottle", en)
