"""Counterfeit patent marking (假冒专利): every rule has its own reason code."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from regional.detection import DetectionConfig, detect
from regional.detection.marking import CounterfeitMarkingDetector, MarkingReason
from regional.domain import LeadFinding, LeadType, Licence, Listing, Right, RightKind, Seller
from regional.identifiers import format_patent_number

OWNER = "深圳市鑫达电子科技有限公司"
SHOP = Seller(name="义乌市张伟百货商行", uscc="92330782MA2XXXXX1K")


def patent(digits: str, status: str = "granted", kind: RightKind = RightKind.INVENTION, owner: str = OWNER,
           until: dt.date | None = dt.date(2039, 3, 1)) -> Right:
    return Right(kind, format_patent_number(digits), "一种电热水壶", owner, status, valid_until=until)


GRANTED = patent("201910123456")  # ZL201910123456.X
UTILITY = patent("202020123456", kind=RightKind.UTILITY_MODEL)  # ZL202020123456.8
REGISTRY = [
    GRANTED, UTILITY,
    patent("201810000001", "lapsed"), patent("201810000002", "expired"), patent("201810000003", "invalidated"),
    patent("202310000004", "pending"), patent("202210000005", "rejected"),
    patent("201910000006", until=dt.date(2025, 1, 1)),
    patent("202110000007", owner="杭州某某科技有限公司"),  # owned by another, licensed to no one
    patent("202110000008", owner="杭州某某科技有限公司"),  # owned by another, licensed to a distributor
]
LICENCES = [Licence(format_patent_number("202110000008"), "宁波分销贸易有限公司")]


def screen(text: str, seller: Seller = SHOP, as_of: dt.date | None = None) -> list[LeadFinding]:
    listing = Listing(id="x", title="电热水壶 304不锈钢 包邮", description=text, seller=seller)
    return CounterfeitMarkingDetector(REGISTRY, LICENCES, as_of=as_of).detect([listing])


def codes(text: str, **kwargs: object) -> set[str]:
    return {code.removeprefix("pm.") for lead in screen(text, **kwargs) for code in lead.codes}  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "code", "words"), [
    ("专利号 ZL20191012345.6", MarkingReason.MALFORMED, "not a valid patent number"),
    ("专利号 ZL201910123456.3", MarkingReason.BAD_CHECK_DIGIT, "fails its check digit"),
    ("专利号 ZL202110999999.5", MarkingReason.NOT_IN_REGISTRY, "not in the patent registry"),
    (f"专利号 {format_patent_number('201810000001')}", MarkingReason.LAPSED, "has lapsed"),
    (f"专利号 {format_patent_number('201810000002')}", MarkingReason.EXPIRED, "expired"),
    (f"专利号 {format_patent_number('201810000003')}", MarkingReason.INVALIDATED, "invalidated"),
    (f"专利产品 {format_patent_number('202310000004')}", MarkingReason.APPLICATION_ONLY, "pending application"),
    (f"专利号 {format_patent_number('202210000005')}", MarkingReason.REJECTED, "rejected"),
    ("发明专利，专利号 ZL202020123456.8", MarkingReason.WRONG_KIND, "claimed as 发明专利 but"),
    (f"专利号 {format_patent_number('202110000007')}", MarkingReason.NOT_OWNER, "licensed no one"),
    ("本品专利 CN112345678A", MarkingReason.APPLICATION_ONLY, "publication of an application"),
])
def test_each_marking_rule_gives_its_reason_code_and_a_readable_reason(text: str, code: MarkingReason,
                                                                        words: str) -> None:
    seller = Seller(name=OWNER) if code is MarkingReason.WRONG_KIND else SHOP
    [lead] = screen(text, seller=seller)
    assert lead.type is LeadType.COUNTERFEIT_PATENT
    assert "pm." + code.value in lead.codes
    assert any(words in reason for reason in lead.reasons), lead.reasons
    assert 0.5 <= lead.score <= 1.0 and lead.model_version == "patent-marking-2026.11.1"


def test_every_reason_code_is_covered_above() -> None:
    covered = {"malformed", "bad_check_digit", "not_in_registry", "lapsed", "expired", "invalidated",
               "application_only", "rejected", "wrong_kind", "not_owner_unlicensed"}
    assert covered == {code.value for code in MarkingReason}


def test_granted_patent_past_its_end_date_is_expired_as_of_the_run_date() -> None:
    text = f"专利号 {format_patent_number('201910000006')}"
    assert "expired" not in codes(text, seller=Seller(name=OWNER))
    assert "expired" in codes(text, seller=Seller(name=OWNER), as_of=dt.date(2026, 11, 1))


def test_owner_citing_own_granted_patent_is_not_a_lead() -> None:
    assert screen("发明专利 ZL201910123456.X 正品", seller=Seller(name=OWNER)) == []


def test_honest_application_notice_is_not_a_lead() -> None:
    assert screen(f"专利申请中，申请号{format_patent_number('202310000004')[2:]}") == []


def test_patent_licensed_to_someone_is_not_flagged_for_a_reseller() -> None:
    assert screen(f"专利号 {format_patent_number('202110000008')}") == []


def test_owner_typo_in_check_digit_scores_below_a_stranger_with_the_same_typo() -> None:
    owner_typo = CounterfeitMarkingDetector(REGISTRY).checks(
        Listing(id="o", title="专利号 ZL201910123456.3", seller=Seller(name=OWNER)))
    assert owner_typo[0].codes == (MarkingReason.BAD_CHECK_DIGIT,)
    assert owner_typo[0].features["seller_is_owner"] == 1.0
    stranger = screen("专利号 ZL201910123456.3")
    owner = CounterfeitMarkingDetector(REGISTRY).detect([Listing(id="o", title="专利号 ZL201910123456.3",
                                                                  seller=Seller(name=OWNER))])
    assert not owner or owner[0].score < stranger[0].score


def test_lead_names_the_registry_record_or_the_cited_number() -> None:
    [known] = screen(f"专利号 {format_patent_number('201810000001')}")
    assert known.right == format_patent_number("201810000001")
    [unknown] = screen("专利号 ZL202110999999.5")
    assert unknown.right == "ZL202110999999.5"


def test_numbers_in_the_title_count_as_well() -> None:
    listing = Listing(id="t", title="电热水壶 专利号ZL202110999999.5", seller=SHOP)
    assert [f.type for f in detect(REGISTRY, LICENCES, [listing])] == [LeadType.COUNTERFEIT_PATENT]


def test_threshold_is_configurable_per_model() -> None:
    listing = Listing(id="t", title="电热水壶 专利号ZL202110999999.5", seller=SHOP)
    strict = DetectionConfig(thresholds={"patent-marking": 1.0})
    assert detect(REGISTRY, LICENCES, [listing], config=strict) == []
    with pytest.raises(ValueError, match="unknown detection model"):
        DetectionConfig(thresholds={"marking": 0.5})


def test_may_cite_pattern_equals_the_character_loop() -> None:
    """The pre-filter's pattern says yes exactly where the loop over characters does, and its list of digits
    that are not decimal digits is every such character of this Python's Unicode data."""
    import random
    import sys

    from regional.detection import marking

    others = {chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isdigit() and not chr(cp).isdecimal()}
    assert {ch for ch in others if re.fullmatch(marking._DIGIT, ch)} == others
    assert all(re.fullmatch(marking._DIGIT, chr(cp)) for cp in range(sys.maxunicode + 1) if chr(cp).isdecimal())
    pieces = ["1", "0", "９", "²", "①", "⑴", "٣", "𝟘", "Ⅳ", "½", " ", ".", "-", "—", "/", "x", "专利", "ZL", "\n", "　"]
    rng = random.Random(3)
    for _ in range(20000):
        title = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        description = rng.choice([None, "", "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))])
        listing = Listing(id="x", title=title, description=description)
        assert marking._may_cite(listing) == marking._may_cite_reference(listing), (title, description)
