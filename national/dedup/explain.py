"""Why a seller pair is uncertain: field by field, what two records share and where they disagree.

An officer deciding a merge review ("same seller?") needs the evidence, not only a probability: the same credit
code, the same phone, the same shop; or two cities, two legal forms. This reads the two records with the same
normalisers the resolver uses (so 0755-8123 4567 and 075581234567 are one phone, 淘宝 shop URLs with tracking
parameters one shop) and says per field "same", "different", or nothing when either side does not know it.
Pure: no database, no Flask, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from national.dedup import normalize as nz


class Verdict(StrEnum):
    SAME = "same"
    DIFFERENT = "different"


class Field(StrEnum):
    """The fields compared, in the order shown."""

    USCC = "uscc"
    PHONE = "phone"
    SHOP = "shop"
    NAME = "name"  # the trade name (字号), place and legal form stripped
    PLACE = "place"  # the registration place: from the name, the credit code or the address
    FORM = "form"  # the legal form: a company and an individual business are never one entity
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class FieldCheck:
    field: Field
    verdict: Verdict


def _place(name: nz.NameParts | None, uscc: str | None, address: str | None) -> str | None:
    if name is not None and name.place:
        return name.place
    if (place := nz.uscc_place(uscc)) is not None:
        return place
    parsed = nz.normalize_address(address)
    if parsed is None:
        return None
    return parsed.prefecture or parsed.province


def _verdict(a: object, b: object) -> Verdict | None:
    if not a or not b:
        return None
    return Verdict.SAME if a == b else Verdict.DIFFERENT


def compare_sellers(a: Mapping[str, str | None], b: Mapping[str, str | None]) -> tuple[FieldCheck, ...]:
    """The fields two sellers' records (keys name, uscc, phone, address, shop_url) share or contradict, in
    `Field` order; a field either record lacks is left out."""
    checks: list[FieldCheck] = []

    def add(field: Field, verdict: Verdict | None) -> None:
        if verdict is not None:
            checks.append(FieldCheck(field, verdict))

    uscc_a, uscc_b = nz.normalize_uscc(a.get("uscc")), nz.normalize_uscc(b.get("uscc"))
    add(Field.USCC, _verdict(uscc_a, uscc_b))
    add(Field.PHONE, _verdict(nz.normalize_phone(a.get("phone")), nz.normalize_phone(b.get("phone"))))
    add(Field.SHOP, _verdict(nz.normalize_shop_url(a.get("shop_url")), nz.normalize_shop_url(b.get("shop_url"))))
    name_a, name_b = nz.normalize_name(a.get("name")), nz.normalize_name(b.get("name"))
    brand_a = (name_a.brand or name_a.core) if name_a is not None else None
    brand_b = (name_b.brand or name_b.core) if name_b is not None else None
    add(Field.NAME, _verdict(brand_a, brand_b))
    place_a = _place(name_a, uscc_a, a.get("address"))
    place_b = _place(name_b, uscc_b, b.get("address"))
    if place_a and place_b:
        add(Field.PLACE, Verdict.SAME if nz.places_compatible(place_a, place_b) else Verdict.DIFFERENT)
    form_a = name_a.form if name_a is not None and name_a.form in ("company", "individual") else None
    form_b = name_b.form if name_b is not None and name_b.form in ("company", "individual") else None
    add(Field.FORM, _verdict(form_a, form_b))
    address_a, address_b = nz.normalize_address(a.get("address")), nz.normalize_address(b.get("address"))
    if address_a is not None and address_b is not None and address_a.street and address_b.street:
        same = address_a.street == address_b.street and nz.places_compatible(address_a.code, address_b.code)
        add(Field.ADDRESS, Verdict.SAME if same else Verdict.DIFFERENT)
    return tuple(checks)
