"""Pydantic shapes of registry and listing records, and their conversion to and from domain values.

Validation is strict about types (a nice class is the integer 30, not "30" or 30.0) because an
office's export that quietly changes types is a bug worth reporting; unknown fields are ignored.
A JSON `null` means the same as an absent field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from regional.domain import Licence, Listing, ListingSource, PatentStatus, Right, RightKind, Seller
from regional.formats.days import no_such_day
from regional.formats.errors import rule_error
from regional.formats.messages import Problem, say
from regional.formats.uscc import USCC_LENGTH
from regional.formats.width import halfwidth

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def _rule(key: str, **params: Any) -> PydanticCustomError:
    """A rule of regional/formats/messages.py broken (its English the message; user input never a template)."""
    problem = say(key, **params)
    return rule_error(str(problem), problem.key, problem.params)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise _rule("nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _rule("surrogate_escape") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _rule("blank")
    return value


def _null_as(default: Any) -> Callable[[Any], Any]:
    return lambda value: default if value is None else value


def _no_such_day(text: str) -> PydanticCustomError | None:
    problem = no_such_day(text)
    return None if problem is None else rule_error(str(problem), problem.key, problem.params)


def _iso_date(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(halfwidth(value))
        except ValueError:
            pass
        raise _no_such_day(halfwidth(value)) or _rule("iso_date")
    raise _rule("iso_date")


def _iso_datetime(value: object) -> dt.datetime:
    parsed: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(halfwidth(value))
        except ValueError:
            raise _no_such_day(halfwidth(value)) or _rule("iso_datetime") from None
    if parsed is None:
        raise _rule("iso_datetime")
    # Offices and platforms in scope report local time; a naive stamp is Beijing time.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=CHINA_STANDARD_TIME)


_LOCARNO = re.compile(r"[0-9]{2}-[0-9]{2}")


def _locarno(value: str) -> str:
    value = halfwidth(value)
    if not _LOCARNO.fullmatch(value):
        raise _rule("locarno")
    return value


def _relative_path(value: str) -> str:
    parts = re.split(r"[/\\]", value)
    if value.startswith(("/", "\\")) or ":" in parts[0]:
        raise _rule("relative_path")
    if ".." in parts:
        raise _rule("inside_folder")
    return value


def _uscc_length(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None  # a blank cell in an export means "not known"
    value = halfwidth(value)  # a code typed in full width (９１４４…ＭＡ５…) is the same code
    if len(value) != USCC_LENGTH:
        raise _rule("uscc_length", n=USCC_LENGTH)
    return value


_WEB_URL = re.compile(r"(?i:https?)://[^\s/?#]+([/?#]\S*)?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _web_url(value: str) -> str | None:
    if not value.strip():
        return None  # a blank cell means "not known"
    if _WEB_URL.fullmatch(value):
        return value
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise _rule("web_url_scheme", scheme=scheme.group(1).lower())
    raise _rule("web_url")


def _image_ref(value: str) -> str:
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise _rule("image_ref_scheme", scheme=scheme.group(1).lower())
    if scheme and not _WEB_URL.fullmatch(value):
        raise _rule("image_ref")
    return value


Text = Annotated[str, Field(strict=True), AfterValidator(_clean_text)]
WebUrl = Annotated[str, Field(strict=True), AfterValidator(_clean_text), AfterValidator(_web_url)]
RequiredText = Annotated[str, Field(strict=True), AfterValidator(_clean_text), AfterValidator(_not_blank)]
# the e-mark a listing shows (its payload text, or a link carrying it): checked when screened, bounded here
EmarkText = Annotated[str, Field(strict=True, max_length=2048), AfterValidator(_clean_text)]
IsoDate = Annotated[dt.date, PlainValidator(_iso_date)]
IsoDateTime = Annotated[dt.datetime, PlainValidator(_iso_datetime)]
NiceClass = Annotated[int, Field(strict=True, ge=1, le=45)]
NiceClasses = Annotated[tuple[NiceClass, ...], BeforeValidator(_null_as(()))]
TextList = Annotated[tuple[Text, ...], BeforeValidator(_null_as(()))]
ImagePaths = Annotated[
    tuple[Annotated[Text, AfterValidator(_not_blank), AfterValidator(_relative_path)], ...],
    BeforeValidator(_null_as(())),
]
ImageRefs = Annotated[
    tuple[Annotated[Text, AfterValidator(_not_blank), AfterValidator(_image_ref)], ...],
    BeforeValidator(_null_as(())),
]
Price = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TrademarkIn(_Record):
    """`kind: trademark`."""

    reg_no: RequiredText
    mark: RequiredText
    owner: RequiredText
    # Registry exports list registered marks; an absent status means just that.
    status: Annotated[RequiredText, BeforeValidator(_null_as("registered"))] = "registered"
    nice_classes: NiceClasses = ()
    valid_until: IsoDate | None = None
    # 驰名商标: recognised as well known, so protected across goods classes (true/false)
    well_known: Annotated[bool, Field(strict=True), BeforeValidator(_null_as(False))] = False
    # the mark's registered forms in other scripts (华为 ↔ HUAWEI, 大白兔 ↔ WHITE RABBIT): screened as this right
    counterparts: Annotated[tuple[Annotated[Text, AfterValidator(_not_blank)], ...],
                            BeforeValidator(_null_as(()))] = ()


class PatentIn(_Record):
    """`kind: invention` and `kind: utility_model`."""

    number: RequiredText
    title: RequiredText
    owner: RequiredText
    status: PatentStatus
    ipc: TextList = ()
    claims: Text | None = None
    expires: IsoDate | None = None


class DesignIn(_Record):
    """`kind: design`; image paths are relative to the registry file."""

    number: RequiredText
    title: RequiredText
    owner: RequiredText
    status: PatentStatus
    locarno: Annotated[Text, AfterValidator(_locarno)] | None = None
    images: ImagePaths = ()
    expires: IsoDate | None = None


class LicenceIn(_Record):
    """`kind: licence`."""

    right: RequiredText
    licensee: RequiredText
    licensee_uscc: Annotated[Text | None, AfterValidator(_uscc_length)] = None
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None

    @field_validator("valid_until")
    @classmethod
    def _not_before_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise _rule("not_before_valid_from")
        return value


class SellerIn(_Record):
    """The optional `seller` object of a listing."""

    name: Text | None = None
    uscc: Text | None = None  # scraped codes may be partial: kept as evidence, not checked
    phone: Text | None = None
    address: Text | None = None
    shop_url: WebUrl | None = None


class ListingIn(_Record):
    """A listing; only `id` and `title` are required."""

    id: RequiredText
    title: RequiredText
    source: Annotated[ListingSource, BeforeValidator(_null_as(ListingSource.ECOMMERCE))] = (
        ListingSource.ECOMMERCE
    )
    platform: Text | None = None
    url: WebUrl | None = None
    description: Text | None = None
    price: Price | None = None
    currency: Text | None = None
    nice_classes: NiceClasses = ()
    category: Text | None = None
    seller: Annotated[SellerIn, BeforeValidator(_null_as({}))] = Field(default_factory=SellerIn)
    images: ImageRefs = ()
    observed_at: IsoDateTime | None = None
    emark: EmarkText | None = None


REGISTRY_SHAPES: dict[str, type[_Record]] = {
    "trademark": TrademarkIn,
    "invention": PatentIn,
    "utility_model": PatentIn,
    "design": DesignIn,
    "licence": LicenceIn,
}

# Field rules, used instead of pydantic's wording when a field is wrong.
REGISTRY_HINTS: dict[str, Problem] = {
    "nice_classes": say("nice_classes"),
    "well_known": say("boolean"),
    "counterparts": say("counterparts"),
    "ipc": say("ipc"),
    "images": say("image_paths"),
    "status": say("one_of", values=", ".join(s.value for s in PatentStatus)),
}
LISTING_HINTS: dict[str, Problem] = {
    "nice_classes": say("nice_classes"),
    "price": say("non_negative"),
    "source": say("one_of", values=", ".join(s.value for s in ListingSource)),
    "images": say("image_refs"),
    "seller": say("seller"),
    "emark": say("emark"),
}


def to_domain(kind: str, record: _Record) -> Right | Licence:
    """Build the domain value from a validated registry shape."""
    if isinstance(record, LicenceIn):
        return Licence(
            right=record.right,
            licensee=record.licensee,
            licensee_uscc=record.licensee_uscc,
            valid_from=record.valid_from,
            valid_until=record.valid_until,
        )
    if isinstance(record, TrademarkIn):
        return Right(
            kind=RightKind.TRADEMARK,
            number=record.reg_no,
            title=record.mark,
            owner=record.owner,
            status=record.status,
            nice_classes=record.nice_classes,
            valid_until=record.valid_until,
            well_known=record.well_known,
            counterparts=tuple(dict.fromkeys(c.strip() for c in record.counterparts)),
        )
    if isinstance(record, DesignIn):
        return Right(
            kind=RightKind.DESIGN,
            number=record.number,
            title=record.title,
            owner=record.owner,
            status=record.status,
            locarno=record.locarno,
            images=record.images,
            valid_until=record.expires,
        )
    assert isinstance(record, PatentIn)
    return Right(
        kind=RightKind(kind),
        number=record.number,
        title=record.title,
        owner=record.owner,
        status=record.status,
        ipc=record.ipc,
        claims=record.claims,
        valid_until=record.expires,
    )


def listing_to_domain(record: ListingIn) -> Listing:
    """Build a domain Listing from a validated listing shape."""
    s = record.seller
    return Listing(
        id=record.id,
        title=record.title,
        source=record.source,
        platform=record.platform,
        url=record.url,
        description=record.description,
        price=record.price,
        currency=record.currency,
        nice_classes=record.nice_classes,
        category=record.category,
        seller=Seller(name=s.name, uscc=s.uscc, phone=s.phone, address=s.address, shop_url=s.shop_url),
        images=record.images,
        observed_at=record.observed_at,
        emark=record.emark or None,
    )


def _drop_empty(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != {}}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def right_to_json(right: Right) -> dict[str, Any]:
    """The interchange form of a Right (formats.md); absent values are left out."""
    if right.kind is RightKind.TRADEMARK:
        return _drop_empty(
            {
                "kind": right.kind.value,
                "reg_no": right.number,
                "mark": right.title,
                "owner": right.owner,
                "status": str(right.status),
                "nice_classes": list(right.nice_classes),
                "valid_until": _iso(right.valid_until),
                "well_known": right.well_known or None,
                "counterparts": list(right.counterparts) or None,
            }
        )
    out: dict[str, Any] = {
        "kind": right.kind.value,
        "number": right.number,
        "title": right.title,
        "owner": right.owner,
        "status": str(right.status),
    }
    if right.kind is RightKind.DESIGN:
        out |= {"locarno": right.locarno, "images": list(right.images)}
    else:
        out |= {"ipc": list(right.ipc), "claims": right.claims}
    out["expires"] = _iso(right.valid_until)
    return _drop_empty(out)


def licence_to_json(licence: Licence) -> dict[str, Any]:
    """The interchange form of a Licence (formats.md); absent values are left out."""
    return _drop_empty(
        {
            "kind": "licence",
            "right": licence.right,
            "licensee": licence.licensee,
            "licensee_uscc": licence.licensee_uscc,
            "valid_from": _iso(licence.valid_from),
            "valid_until": _iso(licence.valid_until),
        }
    )


def listing_to_json(listing: Listing) -> dict[str, Any]:
    """The interchange form of a Listing (formats.md); absent values are left out."""
    s = listing.seller
    seller = _drop_empty(
        {"name": s.name, "uscc": s.uscc, "phone": s.phone, "address": s.address, "shop_url": s.shop_url}
    )
    return _drop_empty(
        {
            "id": listing.id,
            "source": listing.source.value,
            "platform": listing.platform,
            "url": listing.url,
            "title": listing.title,
            "description": listing.description,
            "price": listing.price,
            "currency": listing.currency,
            "nice_classes": list(listing.nice_classes),
            "category": listing.category,
            "seller": seller,
            "images": list(listing.images),
            "observed_at": listing.observed_at.isoformat() if listing.observed_at else None,
            "emark": listing.emark,
        }
    )
