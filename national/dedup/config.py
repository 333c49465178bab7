"""What to link and how: fields with their normalizer and comparator, blocking rules, thresholds.

A `LinkConfig` is plain data, so other record types (listings, persons, FEBRL) are linked by
writing a new config rather than new code; `LinkConfig.from_dict` reads one from JSON.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class FieldKind(StrEnum):
    """How a field is normalized and compared."""

    EXACT = "exact"  # folded text, equal or not
    STRING = "string"  # folded text, similarity levels
    USCC = "uscc"  # credit code: exact, one typo away, different
    PHONE = "phone"  # phone: exact, same local number with an area code missing, different
    NAME = "name"  # company/shop name: same registered name, same core, same trade name, similar, different, conflict
    ADDRESS = "address"  # division + street: same street, same county, same prefecture, different
    SHOP_URL = "shop_url"  # platform + shop id, equal or not


# The sub-values each kind's normalizer produces; blocking rules refer to them as "field.part".
PARTS: dict[FieldKind, tuple[str, ...]] = {
    FieldKind.EXACT: ("value",),
    FieldKind.STRING: ("value",),
    FieldKind.USCC: ("value",),
    FieldKind.PHONE: ("value", "local", "numbers"),  # the first number, its local part, every number ('|'-joined)
    FieldKind.NAME: ("core", "full", "brand", "place", "trade", "form", "sound"),
    FieldKind.ADDRESS: ("county", "prefecture", "street"),
    FieldKind.SHOP_URL: ("value",),
}


class ConfigError(ValueError):
    """A link configuration that cannot be used, with the setting named."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One compared field: its record key, its kind, similarity thresholds and term-frequency weighting."""

    name: str
    kind: FieldKind
    source: str | None = None
    thresholds: tuple[float, ...] = (0.9, 0.8)
    metric: str = "jaro_winkler"
    tf: bool = False

    @property
    def key(self) -> str:
        """The record key this field is read from."""
        return self.source or self.name


@dataclass(frozen=True, slots=True)
class KeyPart:
    """One part of a blocking key: a field part and a transform (value, prefix:N, suffix:N, uscc_parts, sorted,
    each). `each`: every '|'-separated value of the part is a key, and keys of any position meet (a phone field
    with two numbers meets the records holding either)."""

    field: str
    part: str = "value"
    transform: str = "value"


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """Records that agree on every part of the key become candidate pairs."""

    name: str
    parts: tuple[KeyPart, ...]


@dataclass(frozen=True)
class LinkConfig:
    """Everything the engine needs to link one kind of record."""

    fields: tuple[FieldSpec, ...]
    blocking: tuple[BlockingRule, ...]
    max_block: int = 60
    link_probability: float = 0.95
    review_probability: float = 0.5
    em_iterations: int = 25
    u_sample_pairs: int = 1_000_000
    training_pairs: int = 2_000_000  # per blocking rule, for the EM sessions
    cannot_link: tuple[str, ...] = ()  # fields whose differing values (both valid) forbid a merge
    min_records_for_em: int = 20_000  # below this, use `model` (when given) instead of fitting one
    model: Mapping[str, Any] | None = None  # a stored MatchModel.as_dict(), fitted on a large batch
    seed: int = 20240501
    extra: Mapping[str, Any] = field(default_factory=dict)

    def field(self, name: str) -> FieldSpec:
        """The field spec called `name`."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise ConfigError(f"no field {name!r} in the link configuration")

    def validate(self) -> LinkConfig:
        """Raise ConfigError naming the first bad setting; return self when all is well."""
        if not self.fields:
            raise ConfigError("fields: at least one field is needed")
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ConfigError(f"fields: duplicate names in {names}")
        if not self.blocking:
            raise ConfigError("blocking: at least one rule is needed")
        for rule in self.blocking:
            for part in rule.parts:
                spec = self.field(part.field)
                if part.part not in PARTS[spec.kind]:
                    raise ConfigError(f"blocking {rule.name}: {spec.kind} field {spec.name!r} has parts "
                                      f"{PARTS[spec.kind]}, not {part.part!r}")
                if not (part.transform in ("value", "uscc_parts", "sorted", "each")
                        or part.transform.startswith(("prefix:", "suffix:"))):
                    raise ConfigError(f"blocking {rule.name}: unknown transform {part.transform!r}")
        for name in self.cannot_link:
            self.field(name)
        if not 0 < self.review_probability <= self.link_probability < 1:
            raise ConfigError("need 0 < review_probability <= link_probability < 1")
        if self.max_block < 2:
            raise ConfigError("max_block must be at least 2")
        return self

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinkConfig:
        """Build and validate a config from plain JSON-like data."""
        try:
            fields = tuple(FieldSpec(name=f["name"], kind=FieldKind(f["kind"]), source=f.get("source"),
                                     thresholds=tuple(f.get("thresholds", (0.9, 0.8))),
                                     metric=f.get("metric", "jaro_winkler"), tf=bool(f.get("tf", False)))
                           for f in data["fields"])
            blocking = tuple(BlockingRule(name=r["name"], parts=tuple(
                KeyPart(field=p["field"], part=p.get("part", "value"), transform=p.get("transform", "value"))
                for p in r["parts"])) for r in data["blocking"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"bad link configuration: {exc}") from exc
        scalars = {k: data[k] for k in ("max_block", "link_probability", "review_probability", "em_iterations",
                                         "u_sample_pairs", "training_pairs", "seed", "min_records_for_em", "model") if k in data}
        return cls(fields=fields, blocking=blocking, cannot_link=tuple(data.get("cannot_link", ())),
                   **scalars).validate()


def _rule(name: str, *parts: tuple[str, str, str]) -> BlockingRule:
    return BlockingRule(name, tuple(KeyPart(f, p, t) for f, p, t in parts))


def seller_config(fields: Sequence[str] = ("name", "uscc", "phone", "address", "shop_url")) -> LinkConfig:
    """The config for market entities reported with leads (`hufu national dedup`)."""
    specs = {
        "name": FieldSpec("name", FieldKind.NAME, thresholds=(0.75,), tf=True),
        "uscc": FieldSpec("uscc", FieldKind.USCC, tf=False),
        "phone": FieldSpec("phone", FieldKind.PHONE, tf=True),
        "address": FieldSpec("address", FieldKind.ADDRESS, thresholds=(0.8,), tf=False),
        "shop_url": FieldSpec("shop_url", FieldKind.SHOP_URL, tf=True),
    }
    blocking = (
        _rule("uscc", ("uscc", "value", "uscc_parts")),
        # every number of the field: "0771-3844743 / 13372774184" meets the records holding either number
        _rule("phone", ("phone", "numbers", "each")),
        _rule("phone_local", ("phone", "local", "value")),
        _rule("shop", ("shop_url", "value", "value")),
        _rule("name", ("name", "core", "value")),
        _rule("brand", ("name", "brand", "value")),
        # a homophone typed for the trade name (亿信/亿新, 德畅/得畅) shares no exact name part: block on its sound
        _rule("sound", ("name", "sound", "value")),
        _rule("name_head_pref", ("address", "prefecture", "value"), ("name", "core", "prefix:2")),
        _rule("name_tail_county", ("address", "county", "value"), ("name", "core", "suffix:2")),
        # the city its name is registered in and the first characters of the trade name: a typing slip further on
        # (沈阳市沈河区宁亮尚行 / 宁亮商行, 惠州市寿泉乐厂器 / 寿泉乐器厂) shares no exact name part
        _rule("name_place_head", ("name", "place", "prefix:4"), ("name", "core", "prefix:2")),
        # ... and two neighbours of the trade name swapped (济南市天桥区氏徐营业部 / 徐氏营业部): its characters in order
        _rule("name_place_letters", ("name", "place", "prefix:4"), ("name", "brand", "sorted")),
        _rule("street", ("address", "county", "value"), ("address", "street", "value")),
    )
    model = _seller_model() if tuple(fields) == ("name", "uscc", "phone", "address", "shop_url") else None
    return LinkConfig(fields=tuple(specs[f] for f in fields), blocking=blocking,
                      cannot_link=("uscc",) if "uscc" in fields else (), model=model).validate()


@functools.cache
def _seller_model() -> Mapping[str, Any] | None:
    """The seller model fitted by EM on 200,000 generated records (`seller_model.json`), for small batches."""
    path = Path(__file__).with_name("seller_model.json")
    if not path.exists():
        return None
    data: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
