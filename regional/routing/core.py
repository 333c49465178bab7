"""Routing (推送): which body receives a confirmed lead, and why — pure.

The rules of the Internet+ work plan (互联网+知识产权保护工作方案, 信息推送与共享机制):

* a patent-infringement lead (design, invention / utility model) goes to the rights-assistance
  centre (维权援助中心) — the one with jurisdiction over the offender's site, else the
  province's — and to the rights holder;
* counterfeit-patent (假冒专利) and trademark-infringement leads go to the enforcement body with
  jurisdiction over the offender's location: the production or sales site, else a warehouse,
  else the registration area of the credit code; the most local body that covers it
  (district, then city, then province);
* when the same offender's leads lie in several cities of this province, the province-level
  body receives them;
* a site outside this province leaves the lead with this province's body (the national node
  forms the cross-region case);
* a lead found in a customs declaration (source `customs`) goes to the customs liaison body of
  the directory (the most local one covering the declarant's site, else the province's); without
  one, the rules above apply.

Values in, a `Route` out; the explanation is a code with parameters, rendered in the reader's
language by the web layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from regional.domain import LeadType
from regional.routing.places import Level, city_of, covers, province_of


class AgencyKind(StrEnum):
    """Kinds of receiving body."""

    IP_ENFORCEMENT = "ip_enforcement"  # 知识产权执法
    MARKET_REGULATION = "market_regulation"  # 市场监管
    RIGHTS_ASSISTANCE = "rights_assistance"  # 维权援助中心
    PROTECTION_CENTRE = "protection_centre"  # 知识产权保护中心
    CUSTOMS_LIAISON = "customs_liaison"  # 海关知识产权保护联络（进出口线索）

    @property
    def enforcement(self) -> bool:
        """Whether bodies of this kind enforce (take administrative action)."""
        return self in (AgencyKind.IP_ENFORCEMENT, AgencyKind.MARKET_REGULATION)


class SiteKind(StrEnum):
    """What an offender's location is, in the order the rules prefer."""

    PRODUCTION = "production"  # 生产场所
    SALES = "sales"  # 销售（经营）场所
    WAREHOUSE = "warehouse"  # 仓储
    REGISTRATION = "registration"  # 统一社会信用代码登记地


SITE_PREFERENCE = (SiteKind.PRODUCTION, SiteKind.SALES, SiteKind.WAREHOUSE, SiteKind.REGISTRATION)
PRODUCTION_WORDS = ("工厂", "厂区", "厂房", "生产", "车间", "加工", "制造", "厂")
WAREHOUSE_WORDS = ("仓库", "仓储", "物流园", "物流中心", "货仓", "仓")


class Rule(StrEnum):
    """Why a lead went where it went (rendered in Chinese on the lead page)."""

    PATENT_ASSISTANCE = "patent_assistance"  # patent infringement → rights-assistance centre + rights holder
    PATENT_PROTECTION_CENTRE = "patent_protection_centre"  # no assistance centre: the protection centre
    OFFENDER_SITE = "offender_site"  # enforcement body with jurisdiction over the site
    SEVERAL_CITIES = "several_cities"  # the offender's leads in several cities → the province's body
    OUTSIDE_PROVINCE = "outside_province"  # the site lies in another province
    NO_LOCATION = "no_location"  # nothing locates the offender: the province's body
    MANUAL = "manual"  # an officer re-routed it, with a reason
    NO_AGENCY = "no_agency"  # the directory has no body that fits
    CUSTOMS_LIAISON = "customs_liaison"  # a customs declaration's lead: the customs liaison body (issue 14)


@dataclass(frozen=True, slots=True)
class Agency:
    """A receiving body in the directory."""

    code: str
    name: str
    kind: AgencyKind
    level: Level
    division: str  # GB/T 2260 code of its area


@dataclass(frozen=True, slots=True)
class Site:
    """A place tied to the offender."""

    kind: SiteKind
    division: str
    source: str = ""  # where it came from: seller address, complaint, credit code


@dataclass(frozen=True)
class Route:
    """Where a lead goes and why."""

    agency: Agency | None
    rule: Rule
    site: Site | None = None
    notify_rights_holder: bool = False
    cities: tuple[str, ...] = ()  # for SEVERAL_CITIES: the cities concerned
    considered: tuple[Site, ...] = field(default_factory=tuple)

    def explain(self) -> dict[str, object]:
        """The decision as a code with parameters (stored, audited, rendered at display time)."""
        out: dict[str, object] = {"rule": self.rule.value, "notify_rights_holder": self.notify_rights_holder}
        if self.site is not None:
            out["site"] = {"kind": self.site.kind.value, "division": self.site.division, "source": self.site.source}
        if self.cities:
            out["cities"] = list(self.cities)
        if self.agency is not None:
            out["agency"] = {"code": self.agency.code, "name": self.agency.name, "level": self.agency.level.value,
                             "kind": self.agency.kind.value, "division": self.agency.division}
        out["considered"] = [{"kind": s.kind.value, "division": s.division, "source": s.source}
                             for s in self.considered]
        return out


def site_kind_of_address(address: str) -> SiteKind:
    """Production, warehouse or (by default) sales site, from the words of an address."""
    if any(w in address for w in WAREHOUSE_WORDS):
        return SiteKind.WAREHOUSE
    if any(w in address for w in PRODUCTION_WORDS):
        return SiteKind.PRODUCTION
    return SiteKind.SALES


PATENT_TYPES = frozenset({LeadType.DESIGN, LeadType.INVENTION})
_ENFORCER_ORDER: dict[LeadType, tuple[AgencyKind, ...]] = {
    LeadType.TRADEMARK: (AgencyKind.MARKET_REGULATION, AgencyKind.IP_ENFORCEMENT),
    LeadType.COUNTERFEIT_PATENT: (AgencyKind.IP_ENFORCEMENT, AgencyKind.MARKET_REGULATION),
}
_LEVEL_RANK = {Level.DISTRICT: 0, Level.CITY: 1, Level.PROVINCE: 2}


def best_site(sites: Iterable[Site], province: str) -> Site | None:
    """The preferred site inside `province` (production/sales, warehouse, registration), else any site."""
    ordered = sorted(sites, key=lambda s: (SITE_PREFERENCE.index(s.kind), s.division))
    inside = [s for s in ordered if province_of(s.division) == province]
    return inside[0] if inside else (ordered[0] if ordered else None)


def most_local(directory: Sequence[Agency], kinds: Sequence[AgencyKind], division: str,
               max_level: Level = Level.PROVINCE) -> Agency | None:
    """The most local agency of the first kind in `kinds` that covers `division` (ties: lowest code)."""
    for kind in kinds:
        fitting = [a for a in directory if a.kind is kind and covers(a.division, a.level, division)
                   and _LEVEL_RANK[a.level] <= _LEVEL_RANK[max_level]]
        if fitting:
            return min(fitting, key=lambda a: (_LEVEL_RANK[a.level], a.code))
    return None


def route(lead_type: LeadType, sites: Sequence[Site], province: str, directory: Sequence[Agency],
          offender_cities: Iterable[str] = (), source: str | None = None) -> Route:
    """Where a lead goes under the plan's rules.

    `sites`: the offender's places known for this lead; `offender_cities`: the cities (prefecture
    codes) of this offender's other leads in this node; `directory`: the node's active agencies;
    `source`: where the lead was found (`customs` goes to the customs liaison body).
    """
    # one entry per (kind, place): the seller's address and a complaint often name the same district
    distinct = {(s.kind, s.division): s for s in sorted(sites, key=lambda s: s.source, reverse=True)}
    considered = tuple(sorted(distinct.values(), key=lambda s: (SITE_PREFERENCE.index(s.kind), s.division)))
    site = best_site(sites, province)
    inside = site is not None and province_of(site.division) == province
    if source == "customs":
        where = site.division if inside and site is not None else province
        agency = most_local(directory, (AgencyKind.CUSTOMS_LIAISON,), where)
        if agency is not None:
            return Route(agency, Rule.CUSTOMS_LIAISON, site if inside else None,
                         lead_type in PATENT_TYPES, considered=considered)
    if lead_type in PATENT_TYPES:
        where = site.division if inside and site is not None else province
        agency = most_local(directory, (AgencyKind.RIGHTS_ASSISTANCE,), where)
        if agency is not None:
            return Route(agency, Rule.PATENT_ASSISTANCE, site if inside else None, True, considered=considered)
        agency = most_local(directory, (AgencyKind.PROTECTION_CENTRE,), where)
        if agency is not None:
            return Route(agency, Rule.PATENT_PROTECTION_CENTRE, site if inside else None, True,
                         considered=considered)
        return Route(None, Rule.NO_AGENCY, site, True, considered=considered)
    kinds = _ENFORCER_ORDER.get(lead_type, (AgencyKind.MARKET_REGULATION, AgencyKind.IP_ENFORCEMENT))
    cities = {c for c in offender_cities if c and province_of(c) == province}
    here = city_of(site.division) if inside and site is not None else None
    if here:
        cities.add(here)
    if len(cities) > 1:
        agency = most_local(directory, kinds, province)
        if agency is not None and agency.level is Level.PROVINCE:
            return Route(agency, Rule.SEVERAL_CITIES, site if inside else None, False, tuple(sorted(cities)),
                         considered=considered)
    if inside and site is not None:
        agency = most_local(directory, kinds, site.division)
        if agency is not None:
            return Route(agency, Rule.OFFENDER_SITE, site, False, considered=considered)
    rule = Rule.OUTSIDE_PROVINCE if site is not None else Rule.NO_LOCATION
    agency = most_local(directory, kinds, province)
    if agency is None:
        return Route(None, Rule.NO_AGENCY, site, False, considered=considered)
    return Route(agency, rule, site, False, considered=considered)
