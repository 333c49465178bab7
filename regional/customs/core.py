"""Import and export (进出口) — the pure rules: field checks, HS → Nice classes, the recordation check, export warnings.

Values in, values out: no database, no Flask, no clock.

* A customs declaration (报关单) becomes a screened record of source `customs` (id `C:NUMBER`;
  title = brand + goods; seller = the domestic party: the consignor of an export, the consignee
  of an import), so the four detection models screen it against the registry like any record.
* Recordation (知识产权海关备案): rights recorded for customs protection, with the parties the
  holder authorised. A declaration naming a recorded brand whose domestic party is neither the
  holder nor a licensee of the right scores high, with its own reason code
  `cu.recorded_brand_unlicensed`.
* Export risk warnings (境外侵权风险预警): the province's key export products are screened by the
  same detection models against the foreign rights registered in each product's destination
  markets; what they find is a warning for the exporter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from regional.domain import LeadFinding, LeadType, Licence, Listing, ListingSource, Right, RightKind, Seller
from regional.formats.days import no_such_day
from regional.formats.errors import describe_value
from regional.formats.messages import Problem, say
from regional.formats.width import halfwidth

RECORDED_BRAND_UNLICENSED = "cu.recorded_brand_unlicensed"
EXPORT_SAME_MARK = "cu.export_same_mark"  # a key export product's brand is a mark registered in its market
RECORDATION_SCORE = 0.95
LISTING_PREFIX = "C:"  # declaration records: C:NUMBER


def compact(text: str) -> str:
    """regional.detection.normalize.compact, loaded when first needed: this module is imported with the node's
    tables (regional/customs/models.py), so by every command, and the detection code (numpy) must not come with it."""
    from regional.detection.normalize import compact as normal

    return normal(text)

_DECLARATION_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,29}$")
_HS = re.compile(r"^[0-9]{4}(?:\.?[0-9]{2}){0,3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_RIGHT_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/ ]{0,63}$")


class CustomsError(ValueError):
    """A field the rules refuse; `field` names it (dotted for nested fields, e.g. `consignor.uscc`).

    `problem` is the rule broken (regional/formats/messages.py; with `got=` the value given, quoted as the
    listings import quotes it); `message` its English. A record with several bad fields raises `errors`: all of
    them, the first being this exception's own field and message."""

    def __init__(self, field: str | None, message: Problem | str, reason: str | None = None, *,
                 got: object = None) -> None:
        problem = say("got", message=message, got=describe_value(got)) if got is not None else message
        self.problem = problem if isinstance(problem, Problem) else None
        self.message = str(problem)
        super().__init__(f"{field}: {self.message}" if field else self.message)
        self.field = field
        self.reason = reason or field or "invalid"
        self.errors: list[CustomsError] = [self]


_T = TypeVar("_T")


class _Fields:
    """Checks a record's fields one by one and keeps every refusal (a clerk fixes them all in one pass)."""

    def __init__(self) -> None:
        self.errors: list[CustomsError] = []

    def check(self, rule: Callable[..., _T], *args: Any, **kwargs: Any) -> _T | None:
        """`rule(*args, **kwargs)`, or None (the refusal kept) when it refuses the field."""
        try:
            return rule(*args, **kwargs)
        except CustomsError as exc:
            self.errors.extend(exc.errors)
            return None

    def refuse(self, field: str, message: Problem, reason: str | None = None, *, got: object = None) -> None:
        self.errors.append(CustomsError(field, message, reason, got=got))

    def done(self) -> None:
        """Raise the first refusal (carrying all of them in `errors`) when there is any."""
        if self.errors:
            first = self.errors[0]
            first.errors = list(self.errors)
            raise first


class Direction(StrEnum):
    """Which way the goods go."""

    IMPORT = "import"  # 进口
    EXPORT = "export"  # 出口


_DIRECTIONS = {"import": Direction.IMPORT, "进口": Direction.IMPORT, "i": Direction.IMPORT,
               "export": Direction.EXPORT, "出口": Direction.EXPORT, "e": Direction.EXPORT}

# HS chapters (first two digits) → the Nice classes their goods usually fall in: enough to let the
# trademark model compare like with like; goods outside the table are screened without classes.
HS_NICE: dict[str, tuple[int, ...]] = {
    "04": (29,), "09": (30,), "11": (30,), "15": (29,), "16": (29,), "17": (30,), "18": (30,), "19": (30,),
    "20": (29, 32), "21": (30,), "22": (32, 33), "24": (34,), "30": (5,), "33": (3,), "34": (3,), "39": (21, 17),
    "40": (12, 17), "42": (18,), "43": (25,), "48": (16,), "49": (16,), "61": (25,), "62": (25,), "63": (24,),
    "64": (25,), "65": (25,), "66": (18,), "69": (21,), "70": (21,), "71": (14,), "73": (6, 21), "82": (8,),
    "83": (6,), "84": (7, 9, 11), "85": (9, 11), "87": (12,), "90": (9, 10), "91": (14,), "92": (15,),
    "94": (20, 11), "95": (28,), "96": (16, 21),
}


def nice_of_hs(hs_code: str) -> tuple[int, ...]:
    """The Nice classes an HS code's chapter usually maps to (empty when unknown)."""
    return HS_NICE.get(hs_code.replace(".", "")[:2], ())


def brand_key(text: str | None) -> str:
    """A brand as compared with a recorded mark: width, case, traditional characters and spaces folded."""
    return compact(text or "")


# ---------------------------------------------------------------- field checks


def _text(values: Mapping[str, Any], name: str, limit: int, *, required: bool = False, where: str = "") -> str:
    raw = values.get(name)
    field = f"{where}{name}"
    if raw is None:
        raw = ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise CustomsError(field, say("text"))
    value = " ".join(raw.split())
    if required and not value:
        raise CustomsError(field, say("required"))
    if len(value) > limit:
        raise CustomsError(field, say("too_long", n=len(value), max=limit))
    if any(ord(ch) < 32 or ord(ch) == 127 or 0x202A <= ord(ch) <= 0x202E for ch in value):
        raise CustomsError(field, say("control_chars"))
    return value


def _code(values: Mapping[str, Any], name: str, limit: int, *, required: bool = False, where: str = "") -> str:
    """A code, a number or a date as text: typed in full width (ＡＢ１２, ８５１６．７１) it is read as its ASCII."""
    return halfwidth(_text(values, name, limit, required=required, where=where))


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _number(values: Mapping[str, Any], name: str, *, maximum: float = 1e15) -> float | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        cleaned = halfwidth(raw).strip()
        if "," in cleaned:  # a comma only groups thousands: "1,5" or "2.000,5" is refused, not read as 15 or 2.0005
            if not _GROUPED.fullmatch(cleaned):
                raise CustomsError(name, say("number"), got=raw)
            cleaned = cleaned.replace(",", "")
        try:
            raw = float(cleaned)
        except ValueError:
            raise CustomsError(name, say("number"), got=raw) from None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw or not 0 <= raw <= maximum:
        raise CustomsError(name, say("number_range", max=f"{maximum:,.0f}"), got=values.get(name))
    return float(raw)


def _date(values: Mapping[str, Any], name: str, *, required: bool = False) -> dt.date | None:
    raw = values.get(name)
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise CustomsError(name, say("required_date"))
        return None
    text = halfwidth(str(raw)).strip().replace("/", "-")
    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T].*)?", text)
    try:
        if m is None:
            raise ValueError(text)
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        problem = (no_such_day(text) if m is not None else None) or say("date")
        raise CustomsError(name, problem, got=raw if isinstance(raw, str | int | float) else None) from None


def _country(values: Mapping[str, Any], name: str) -> str | None:
    value = _code(values, name, 40).upper()  # read whole first, so "USA" is quoted as the code it is not
    if value and not _COUNTRY.match(value):
        raise CustomsError(name, say("country"), got=value)
    return value or None


def _uscc(value: str, field: str) -> str | None:
    value = halfwidth(value).upper()
    if value and not _USCC.match(value):
        raise CustomsError(field, say("uscc_length", n=18), got=value)
    return value or None


@dataclass(frozen=True)
class Party:
    """A consignor or consignee (发货人 / 收货人)."""

    name: str | None = None
    uscc: str | None = None


def _party(values: Mapping[str, Any], name: str) -> Party:
    raw = values.get(name)
    if raw is None:
        raw = {}
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, Mapping):
        raise CustomsError(name, say("party"))
    return Party(name=_text(raw, "name", 300, where=f"{name}.") or None,
                 uscc=_uscc(_text(raw, "uscc", 18, where=f"{name}."), f"{name}.uscc"))


@dataclass(frozen=True)
class Declaration:
    """A checked customs declaration (报关单)."""

    number: str
    direction: Direction
    port: str
    hs_code: str
    goods: str
    brand: str | None = None
    quantity: float | None = None
    unit: str | None = None
    value: float | None = None
    currency: str | None = None
    consignor: Party = Party()
    consignee: Party = Party()
    origin_country: str | None = None
    destination_country: str | None = None
    declared_on: dt.date | None = None

    @property
    def domestic(self) -> Party:
        """The party in this province: the consignor of an export, the consignee of an import."""
        return self.consignor if self.direction is Direction.EXPORT else self.consignee


def check_declaration(values: Mapping[str, Any]) -> Declaration:
    """A declaration record, checked (docs/formats.md, "Customs declarations")."""
    fields = _Fields()  # every bad field of the record is reported, not the first alone
    number = fields.check(_code, values, "declaration_no", 30, required=True)
    if number is not None and not _DECLARATION_NO.match(number):
        fields.refuse("declaration_no", say("declaration_no"), got=number)
    raw_direction = fields.check(_code, values, "direction", 10, required=True)
    direction = _DIRECTIONS.get(raw_direction.lower()) if raw_direction is not None else None
    if raw_direction is not None and direction is None:
        fields.refuse("direction", say("direction"), got=raw_direction)
    hs_code = fields.check(_code, values, "hs_code", 13, required=True)
    if hs_code is not None and not _HS.match(hs_code):
        fields.refuse("hs_code", say("hs_code"), got=hs_code)
    currency = (fields.check(_code, values, "currency", 3) or "").upper() or None
    if currency is not None and not _CURRENCY.match(currency):
        fields.refuse("currency", say("currency"), got=currency)
    checked = {"port": fields.check(_text, values, "port", 100, required=True),
               "goods": fields.check(_text, values, "goods", 500, required=True),
               "brand": fields.check(_text, values, "brand", 200) or None,
               "quantity": fields.check(_number, values, "quantity"),
               "unit": fields.check(_text, values, "unit", 16) or None,
               "value": fields.check(_number, values, "value"),
               "consignor": fields.check(_party, values, "consignor"),
               "consignee": fields.check(_party, values, "consignee"),
               "origin_country": fields.check(_country, values, "origin_country"),
               "destination_country": fields.check(_country, values, "destination_country"),
               "declared_on": fields.check(_date, values, "declared_on")}
    if direction is not None:
        side = "consignor" if direction is Direction.EXPORT else "consignee"
        domestic = checked[side]
        if isinstance(domestic, Party) and not (domestic.name or domestic.uscc):
            fields.refuse(side, say(f"domestic_{side}"), "domestic_party")
    fields.done()
    assert number is not None and direction is not None and hs_code is not None  # else done() raised
    return Declaration(number=number, direction=direction, hs_code=hs_code.replace(".", ""), currency=currency,
                       **checked)  # type: ignore[arg-type]


def listing_id(number: str) -> str:
    """The id of a declaration's screened record."""
    return f"{LISTING_PREFIX}{number}"


def declaration_listing(d: Declaration) -> Listing:
    """The declaration as a record the four detection models screen against the registry."""
    title = d.goods if not d.brand or d.brand in d.goods else f"{d.brand} {d.goods}"
    party = d.domestic
    # No price: a declared value is a customs value (FOB/CIF, mostly USD, per carton or per declared unit), not the
    # retail price per item in yuan the models' typical-price check compares with (newcomer14: 9,600 USD for 800
    # cartons of 雪碧 read as "12 far below the typical 42.35, counterfeit suspicion"). The declaration page shows it.
    return Listing(id=listing_id(d.number), title=title[:1000], source=ListingSource.CUSTOMS,
                   platform=d.port[:100], description=f"商品编码 {d.hs_code}", price=None, currency=d.currency,
                   nice_classes=nice_of_hs(d.hs_code), seller=Seller(name=party.name, uscc=party.uscc),
                   observed_at=None)


# ---------------------------------------------------------------- recordation (知识产权海关备案)


@dataclass(frozen=True)
class Recordation:
    """A right recorded for customs protection, and whom the holder authorised to use it."""

    number: str  # 备案号
    right: str  # the registry right it protects
    holder: str
    mark: str | None = None  # the recorded brand as it appears on goods (default: the right's title)
    valid_until: dt.date | None = None
    licensees: tuple[Party, ...] = ()


def check_recordation(values: Mapping[str, Any]) -> Recordation:
    """A recordation record, checked."""
    number = _code(values, "number", 40, required=True)
    right = _code(values, "right", 64, required=True)
    if not _RIGHT_NO.match(right):
        raise CustomsError("right", say("right_number"), got=right)
    raw = values.get("licensees") or []
    if isinstance(raw, str):
        raw = [{"name": p.strip()} for p in re.split(r"[;；\n]+", raw) if p.strip()]
    if not isinstance(raw, list) or len(raw) > 200:
        raise CustomsError("licensees", say("licensees"))
    licensees = tuple(_party({"licensees": item}, "licensees") for item in raw)
    return Recordation(number=number, right=right, holder=_text(values, "holder", 300, required=True),
                       mark=_text(values, "mark", 200) or None, valid_until=_date(values, "valid_until"),
                       licensees=licensees)


def _same_party(a: Party, name: str | None, uscc: str | None) -> bool:
    if a.uscc and uscc:
        return a.uscc.upper() == uscc.upper()
    return bool(a.name and name and compact(a.name) == compact(name))


def authorised(party: Party, holder: str, licensees: Iterable[Party], licences: Iterable[Licence],
               right: str, on: dt.date | None) -> bool:
    """Whether `party` may put the recorded right on goods: the holder, a recorded licensee, or a registry licensee."""
    if party.name and compact(party.name) == compact(holder):
        return True
    if any(_same_party(p, party.name, party.uscc) for p in licensees):
        return True
    for lic in licences:
        if lic.right != right:
            continue
        if on is not None and ((lic.valid_from and on < lic.valid_from) or (lic.valid_until and on > lic.valid_until)):
            continue
        if _same_party(Party(lic.licensee, lic.licensee_uscc), party.name, party.uscc):
            return True
    return False


def recordation_findings(declarations: Sequence[Declaration], recordations: Sequence[Recordation],
                         titles: Mapping[str, str], licences: Sequence[Licence], as_of: dt.date,
                         model_version: str = "customs-recordation-1") -> list[LeadFinding]:
    """A strong lead for every declaration naming a recorded brand whose domestic party is not authorised.

    `titles`: right number → the registry title (the mark), used when a recordation names no mark.
    A brand matches when it is the recorded mark once width, case, traditional characters and
    spaces are folded; an expired recordation protects nothing.
    """
    by_brand: dict[str, list[Recordation]] = {}
    for r in recordations:
        if r.valid_until is not None and r.valid_until < as_of:
            continue
        key = brand_key(r.mark or titles.get(r.right))
        if key:
            by_brand.setdefault(key, []).append(r)
    out = []
    for d in declarations:
        key = brand_key(d.brand)
        if not key or key not in by_brand:
            continue
        party = d.domestic
        for r in by_brand[key]:
            if authorised(party, r.holder, r.licensees, licences, r.right, d.declared_on or as_of):
                continue
            role = "consignor" if d.direction is Direction.EXPORT else "consignee"
            who = party.name or party.uscc or ""
            reason = (f"brand '{d.brand}' is recorded with customs for {r.right} (recordation {r.number}); "
                      f"the {role} {who} is neither the holder nor a licensee")
            out.append(LeadFinding(listing_id=listing_id(d.number), right=r.right, type=LeadType.TRADEMARK,
                                   score=RECORDATION_SCORE, reasons=(reason,), model_version=model_version,
                                   codes=(RECORDED_BRAND_UNLICENSED,),
                                   params=({"brand": d.brand, "right": r.right, "recordation": r.number,
                                            "party": role, "name": who},)))
    return out


def merge_findings(found: Sequence[LeadFinding], extra: Sequence[LeadFinding]) -> list[LeadFinding]:
    """The models' findings with the recordation findings: one per (record, right, type), the higher score,
    the recordation reason added to a model's finding on the same right."""
    from dataclasses import replace

    index = {(f.listing_id, f.right, f.type): i for i, f in enumerate(found)}
    out = list(found)
    for f in extra:
        at = index.get((f.listing_id, f.right, f.type))
        if at is None:
            index[(f.listing_id, f.right, f.type)] = len(out)
            out.append(f)
            continue
        old = out[at]
        aligned = len(old.codes) == len(old.reasons)
        out[at] = replace(old, score=max(old.score, f.score), reasons=(*old.reasons, *f.reasons),
                          codes=(*old.codes, *f.codes) if aligned else old.codes,
                          params=(*(old.params or ({},) * len(old.codes)), *f.params) if aligned else old.params)
    return out


# ---------------------------------------------------------------- export risk (境外侵权风险预警)


@dataclass(frozen=True)
class ForeignRight:
    """A right registered in a foreign market (from the registry of foreign rights the office imports)."""

    country: str
    kind: RightKind
    number: str
    title: str
    owner: str
    nice_classes: tuple[int, ...] = ()
    ipc: tuple[str, ...] = ()
    claims: str | None = None
    valid_until: dt.date | None = None


def check_foreign_right(values: Mapping[str, Any]) -> ForeignRight:
    """A foreign right record, checked."""
    country = _country(values, "country")
    if country is None:
        raise CustomsError("country", say("country_required"))
    try:
        kind = RightKind(_code(values, "kind", 16, required=True))
    except ValueError:
        raise CustomsError("kind", say("right_kind"), got=values.get("kind")) from None
    classes = _classes(values.get("nice_classes"))
    ipc = values.get("ipc") or []
    if isinstance(ipc, str):
        ipc = [p.strip() for p in re.split(r"[;,，；]+", ipc) if p.strip()]
    if not isinstance(ipc, list) or len(ipc) > 50 or any(not isinstance(p, str) or len(p) > 32 for p in ipc):
        raise CustomsError("ipc", say("ipc_list"))
    return ForeignRight(country=country, kind=kind, number=_code(values, "number", 64, required=True),
                        title=_text(values, "title", 500, required=True), owner=_text(values, "owner", 300, required=True),
                        nice_classes=classes, ipc=tuple(ipc), claims=_text(values, "claims", 20_000) or None,
                        valid_until=_date(values, "valid_until"))


def _classes(raw: object) -> tuple[int, ...]:
    if raw is None or raw == "":
        return ()
    items = re.split(r"[\s,;，；、]+", halfwidth(raw)) if isinstance(raw, str) else raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if item == "":
            continue
        text = halfwidth(str(item))
        if isinstance(item, bool) or not text.isdigit() or not 1 <= int(text) <= 45:
            raise CustomsError("nice_classes", say("nice_1_45"), got=text)
        out.append(int(text))
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class ExportProduct:
    """One of the province's key export products (重点出口产品)."""

    code: str
    name: str
    destinations: tuple[str, ...]
    brand: str | None = None
    hs_code: str | None = None
    nice_classes: tuple[int, ...] = ()
    description: str | None = None
    exporter: str | None = None


def check_export_product(values: Mapping[str, Any]) -> ExportProduct:
    """A key export product, checked."""
    code = _code(values, "code", 40, required=True)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}", code):
        raise CustomsError("code", say("product_code"), got=code)
    raw = values.get("destinations") or []
    if isinstance(raw, str):
        raw = [p.strip() for p in re.split(r"[\s,;，；、]+", halfwidth(raw)) if p.strip()]
    if not isinstance(raw, list) or not raw or len(raw) > 60:
        raise CustomsError("destinations", say("destinations"))
    destinations = tuple(dict.fromkeys(_country({"destinations": str(c)}, "destinations") or "" for c in raw))
    hs_code = _code(values, "hs_code", 13) or None
    if hs_code is not None and not _HS.match(hs_code):
        raise CustomsError("hs_code", say("hs_code_plain"), got=hs_code)
    classes = _classes(values.get("nice_classes")) or (nice_of_hs(hs_code) if hs_code else ())
    return ExportProduct(code=code, name=_text(values, "name", 300, required=True), destinations=destinations,
                         brand=_text(values, "brand", 200) or None, hs_code=hs_code.replace(".", "") if hs_code else None,
                         nice_classes=classes, description=_text(values, "description", 4000) or None,
                         exporter=_text(values, "exporter", 300) or None)


def product_listing(product: ExportProduct) -> Listing:
    """A key export product as a record the detection models screen."""
    title = product.name if not product.brand or product.brand in product.name else f"{product.brand} {product.name}"
    return Listing(id=f"export:{product.code}", title=title, source=ListingSource.CUSTOMS,
                   description=product.description, nice_classes=product.nice_classes,
                   seller=Seller(name=product.exporter))


def foreign_as_right(r: ForeignRight) -> Right:
    """A foreign right in the shape the detection models take."""
    status = "registered" if r.kind is RightKind.TRADEMARK else "granted"
    return Right(kind=r.kind, number=r.number, title=r.title, owner=r.owner, status=status,
                 nice_classes=r.nice_classes, ipc=r.ipc, claims=r.claims, valid_until=r.valid_until)


@dataclass(frozen=True)
class Warning:
    """One foreign right a key export product may collide with in a destination market."""

    product: str
    country: str
    right: str
    kind: str
    title: str
    owner: str
    type: str
    score: float
    reasons: tuple[str, ...]
    codes: tuple[dict[str, Any], ...]


Detector = Any  # (rights, licences, listings) -> findings, as regional.services.Detector


def same_mark_findings(products: Sequence[ExportProduct], rights: Sequence[ForeignRight], country: str,
                       model_version: str = "export-same-mark-1") -> list[LeadFinding]:
    """The plainest collision, which the similarity models leave to the genuine-goods question at home: the
    product's brand *is* a foreign trademark (folded for width, case and script variants) in an overlapping
    class (or either side has no class)."""
    marks: dict[str, list[ForeignRight]] = {}
    for r in rights:
        if r.kind is RightKind.TRADEMARK and brand_key(r.title):
            marks.setdefault(brand_key(r.title), []).append(r)
    out = []
    for p in products:
        for brand in {b for b in (p.brand,) if b}:
            for r in marks.get(brand_key(brand), []):
                if p.nice_classes and r.nice_classes and not set(p.nice_classes) & set(r.nice_classes):
                    continue
                classes = sorted(set(p.nice_classes) & set(r.nice_classes)) or list(r.nice_classes)
                out.append(LeadFinding(
                    listing_id=f"export:{p.code}", right=r.number, type=LeadType.TRADEMARK, score=1.0,
                    reasons=(f"the brand '{brand}' is the mark '{r.title}' registered in {country} by {r.owner}",),
                    model_version=model_version, codes=(EXPORT_SAME_MARK,),
                    params=({"brand": brand, "mark": r.title, "country": country, "owner": r.owner,
                             "classes": ", ".join(str(c) for c in classes)},)))
    return out


def export_warnings(products: Sequence[ExportProduct], foreign: Sequence[ForeignRight], detector: Detector,
                    as_of: dt.date) -> list[Warning]:
    """For each product and each of its destination markets, the foreign rights the detection models flag.

    Rights past their term are left out. Sorted by product, country, descending score.
    """
    from regional import reasons as reason_codes

    by_country: dict[str, list[ForeignRight]] = {}
    for r in foreign:
        if r.valid_until is not None and r.valid_until < as_of:
            continue
        by_country.setdefault(r.country, []).append(r)
    out: list[Warning] = []
    for country in sorted({c for p in products for c in p.destinations}):
        rights = by_country.get(country, [])
        wanted = [p for p in products if country in p.destinations]
        if not rights or not wanted:
            continue
        info = {r.number: r for r in rights}
        core_findings = detector([foreign_as_right(r) for r in rights], [], [product_listing(p) for p in wanted])
        findings = merge_findings(core_findings, same_mark_findings(wanted, rights, country))
        for f in findings:
            r = info.get(f.right)
            if r is None:
                continue
            out.append(Warning(product=f.listing_id.removeprefix("export:"), country=country, right=r.number,
                               kind=r.kind.value, title=r.title, owner=r.owner, type=f.type.value,
                               score=round(f.score, 4), reasons=tuple(f.reasons),
                               codes=tuple(reason_codes.of_finding(f))))
    out.sort(key=lambda w: (w.product, w.country, -w.score, w.right))
    return out
