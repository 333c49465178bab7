"""What a lead is counted under in reports and dashboards: its seller's city and its goods' industry."""

from __future__ import annotations

from typing import Any

from regional.nice import infer_nice_classes
from regional.routing.places import city_of, divisions, uscc_division


def seller_city(address: str | None, uscc: str | None, province: str | None = None) -> str | None:
    """The city (prefecture division code) of a seller: its address first, else its credit code's registration."""
    code = divisions().parse(address, within=province) if address else None
    if code is None or code.endswith("0000"):
        code = uscc_division(uscc) or code
    return city_of(code) if code else None


def industry_of(nice_classes: Any, category: str | None, title: str | None) -> int | None:
    """The Nice class the goods belong to: the first declared one, else one inferred from category or title."""
    for value in nice_classes or ():
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 1 <= number <= 45:
            return number
    inferred = infer_nice_classes(category, title)
    return inferred[0] if inferred else None
