"""Case formation's pure core: grouping leads into cross-region cases."""

from __future__ import annotations

from national import cases
from national.cases import (
    LeadFacts,
    choose_lead_region,
    group_leads,
    host_change_outcome,
    normalize_phone,
    stable_lead_region,
)

USCC = "91440300MA5F12345X"


def lead(i: int, region: str, right: str = "TM-1", uscc: str | None = None, phone: str | None = None,
         address: str | None = None) -> LeadFacts:
    return LeadFacts(id=i, region=region, right=right, uscc=uscc, phone=phone, address=address)


def test_same_seller_in_two_regions_becomes_one_cross_region_case() -> None:
    drafts = group_leads([lead(1, "440000", uscc=USCC), lead(2, "330000", uscc=USCC.lower())])
    assert len(drafts) == 1
    assert drafts[0].cross_region and drafts[0].regions == ("330000", "440000")


def test_sellers_linked_by_phone_in_different_formats_are_one_seller() -> None:
    drafts = group_leads([lead(1, "440000", phone="+86 138-0013-8000"), lead(2, "350000", phone="0086 13800138000"),
                          lead(3, "330000", phone="138 0013 8000")])
    assert len(drafts) == 1 and len(drafts[0].regions) == 3


def test_same_seller_but_different_rights_are_different_cases() -> None:
    drafts = group_leads([lead(1, "440000", "TM-1", uscc=USCC), lead(2, "330000", "TM-2", uscc=USCC)])
    assert len(drafts) == 2 and not any(d.cross_region for d in drafts)


def test_leads_without_seller_identifiers_form_no_case() -> None:
    assert group_leads([lead(1, "440000"), lead(2, "330000")]) == []


def test_chain_through_phone_and_credit_code_joins_one_case() -> None:
    drafts = group_leads([lead(1, "440000", uscc=USCC), lead(2, "330000", uscc=USCC, phone="13800138000"),
                          lead(3, "350000", phone="13800138000")])
    assert len(drafts) == 1 and drafts[0].lead_ids == (1, 2, 3)


def test_lead_region_is_where_the_warehouse_or_factory_is() -> None:
    members = [lead(1, "330000", address="广东省深圳市宝安区福永街道8号仓库", uscc="91330100MA27XXXX1X"),
               lead(2, "330000"), lead(3, "440000")]
    assert choose_lead_region(["330000", "440000"], members) == "440000"


def test_lead_region_falls_back_to_the_registered_province_of_the_credit_code() -> None:
    members = [lead(1, "330000", uscc="91440300MA5F12345X"), lead(2, "330000"), lead(3, "440000")]
    assert choose_lead_region(["330000", "440000"], members) == "440000"


def test_lead_region_falls_back_to_the_region_with_most_leads() -> None:
    members = [lead(1, "330000", address="北京市朝阳区"), lead(2, "330000"), lead(3, "440000")]
    assert choose_lead_region(["330000", "440000"], members) == "330000"


def test_phone_normalization_drops_country_code_and_rejects_fragments() -> None:
    assert normalize_phone("+86 13800138000") == "13800138000"
    assert normalize_phone("0755-83451234") == "075583451234"
    assert normalize_phone("12") is None and normalize_phone(None) is None


def _draft(*lead_ids: int) -> cases.CaseDraft:
    return cases.CaseDraft(right="TM-9", lead_ids=lead_ids, regions=("330000", "440000"), seller_keys=("uscc:X",),
                           lead_region="440000", entity_id=7)


def test_a_group_with_no_lead_in_a_closed_case_is_planned_as_it_was() -> None:
    draft = _draft(1, 2, 3)
    assert cases.follow_up(draft, {1: 10, 2: 10, 3: None}, closed={11}) is draft
    assert cases.follow_ups([draft], {1: 10}, closed=set()) == [draft]


def test_new_leads_of_a_closed_cases_group_form_a_new_case_that_follows_it() -> None:
    """A closed case is neither grown nor reopened: the other leads form a new case naming it (前案), with the regions
    of the whole group (those of the closed case too) and its lead region."""
    follow = cases.follow_up(_draft(1, 2, 3), {1: 10, 2: 10, 3: None}, closed={10})
    assert follow is not None
    assert (follow.lead_ids, follow.prior_case_id) == ((3,), 10)
    assert (follow.regions, follow.lead_region, follow.entity_id) == (("330000", "440000"), "440000", 7)


def test_leads_already_in_a_follow_up_case_stay_there_and_the_latest_closed_case_is_the_prior() -> None:
    # case 10 closed, case 12 (its follow-up) closed too, case 13 open: 3 and 4 continue without the closed ones
    follow = cases.follow_up(_draft(1, 2, 3, 4), {1: 10, 2: 12, 3: 13, 4: None}, closed={10, 12})
    assert follow is not None and (follow.lead_ids, follow.prior_case_id) == ((3, 4), 12)


def test_a_group_wholly_in_closed_cases_is_not_planned() -> None:
    assert cases.follow_up(_draft(1, 2), {1: 10, 2: 10}, closed={10}) is None
    assert cases.follow_ups([_draft(1, 2), _draft(5, 6)], {1: 10, 2: 10}, closed={10}) == [_draft(5, 6)]


def test_an_issued_cases_host_region_stays_when_later_leads_join_and_moves_only_when_it_left() -> None:
    """newcomer16 N15: one more Guangdong lead flipped an issued case's host from Zhejiang to Guangdong, silently."""
    assert stable_lead_region(None, ["330000", "440000"], "440000") == "440000"  # a new case: the rule chooses
    assert stable_lead_region("330000", ["330000", "350000", "440000"], "440000") == "330000"  # issued: it stays
    assert stable_lead_region("330000", ["350000", "440000"], "440000") == "440000"  # its leads left: it moves
    assert host_change_outcome("330000", "440000") == \
        "lead region changed from 330000 to 440000: 330000 is no longer concerned by the case"
