"""Routing rules (推送): which body receives a lead, and why (pure core + division parsing)."""

from __future__ import annotations

from regional.domain import LeadType
from regional.routing.core import Agency, AgencyKind, Route, Rule, Site, SiteKind, route, site_kind_of_address
from regional.routing.places import Level, divisions, uscc_division

GD = "440000"
DIRECTORY = [
    Agency("440000-MR", "广东省市场监督管理局", AgencyKind.MARKET_REGULATION, Level.PROVINCE, GD),
    Agency("440000-IP", "广东省知识产权局执法处", AgencyKind.IP_ENFORCEMENT, Level.PROVINCE, GD),
    Agency("440000-RA", "广东省知识产权维权援助中心", AgencyKind.RIGHTS_ASSISTANCE, Level.PROVINCE, GD),
    Agency("440300-MR", "深圳市市场监督管理局", AgencyKind.MARKET_REGULATION, Level.CITY, "440300"),
    Agency("440305-MR", "深圳市市场监督管理局南山监管局", AgencyKind.MARKET_REGULATION, Level.DISTRICT, "440305"),
    Agency("440300-IP", "深圳市知识产权局", AgencyKind.IP_ENFORCEMENT, Level.CITY, "440300"),
    Agency("440300-RA", "深圳市知识产权维权援助分中心", AgencyKind.RIGHTS_ASSISTANCE, Level.CITY, "440300"),
    Agency("440100-MR", "广州市市场监督管理局", AgencyKind.MARKET_REGULATION, Level.CITY, "440100"),
]


def test_patent_infringement_goes_to_the_rights_assistance_centre_and_the_rights_holder() -> None:
    r = route(LeadType.DESIGN, [Site(SiteKind.SALES, "440305")], GD, DIRECTORY)
    assert (r.agency.code, r.rule, r.notify_rights_holder) == ("440300-RA", Rule.PATENT_ASSISTANCE, True)
    r = route(LeadType.INVENTION, [Site(SiteKind.SALES, "440106")], GD, DIRECTORY)  # no Guangzhou centre
    assert r.agency.code == "440000-RA"


def test_trademark_goes_to_the_most_local_body_over_the_production_site() -> None:
    sites = [Site(SiteKind.REGISTRATION, "440106"), Site(SiteKind.PRODUCTION, "440305"),
             Site(SiteKind.WAREHOUSE, "440106")]
    r = route(LeadType.TRADEMARK, sites, GD, DIRECTORY)
    assert (r.agency.code, r.rule, r.site.kind) == ("440305-MR", Rule.OFFENDER_SITE, SiteKind.PRODUCTION)
    assert not r.notify_rights_holder


def test_warehouse_before_registration_area() -> None:
    r = route(LeadType.TRADEMARK, [Site(SiteKind.REGISTRATION, "440305"), Site(SiteKind.WAREHOUSE, "440106")],
              GD, DIRECTORY)
    assert r.agency.code == "440100-MR" and r.site.kind is SiteKind.WAREHOUSE


def test_counterfeit_patent_prefers_the_ip_enforcement_body() -> None:
    r = route(LeadType.COUNTERFEIT_PATENT, [Site(SiteKind.SALES, "440305")], GD, DIRECTORY)
    assert r.agency.code == "440300-IP"


def test_leads_in_several_cities_go_to_the_province_level_body() -> None:
    r = route(LeadType.TRADEMARK, [Site(SiteKind.SALES, "440305")], GD, DIRECTORY, offender_cities=["440100"])
    assert (r.agency.code, r.rule, r.cities) == ("440000-MR", Rule.SEVERAL_CITIES, ("440100", "440300"))


def test_no_location_or_another_province_stays_with_the_provinces_body() -> None:
    assert route(LeadType.TRADEMARK, [], GD, DIRECTORY).rule is Rule.NO_LOCATION
    r = route(LeadType.TRADEMARK, [Site(SiteKind.SALES, "330106")], GD, DIRECTORY)
    assert (r.agency.code, r.rule) == ("440000-MR", Rule.OUTSIDE_PROVINCE)


def test_an_empty_directory_says_so() -> None:
    r = route(LeadType.TRADEMARK, [Site(SiteKind.SALES, "440305")], GD, [])
    assert r == Route(None, Rule.NO_AGENCY, Site(SiteKind.SALES, "440305"), False,
                      considered=(Site(SiteKind.SALES, "440305"),))


def test_addresses_parse_to_the_most_specific_division() -> None:
    tree = divisions()
    assert tree.parse("广东省深圳市南山区科技园路12号") == "440305"
    assert tree.parse("深圳市南山区科技园路12号", within=GD) == "440305"
    assert tree.parse("浙江杭州西湖区文三路") == "330106"
    assert tree.parse("北京市朝阳区建国路") == "110105"
    assert tree.parse("火星基地") is None
    assert tree.full_name("440305") == "广东省深圳市南山区"


def test_site_kinds_from_address_words_and_credit_code_area() -> None:
    assert site_kind_of_address("东莞市长安镇工业大道3号厂房") is SiteKind.PRODUCTION
    assert site_kind_of_address("广州市白云区物流园5号仓库") is SiteKind.WAREHOUSE
    assert site_kind_of_address("深圳市南山区海岸城3楼") is SiteKind.SALES
    assert uscc_division("91440305MA5DC0QX1L") == "440305"
    assert uscc_division("123") is None
