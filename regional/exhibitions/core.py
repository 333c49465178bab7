"""Exhibitions (大型展会) — the pure rules: field checks, the complaint station's deadlines and states, the board.

Values in, values out: no database, no Flask, no clock (callers pass `now`). The service
(regional/exhibitions/service.py) stores what these rules decide.

* An exhibition has a code (used in the ids of its exhibits), dates, a venue, an organiser, the
  hosting region, halls and booths. Its phase is read from the dates: before, during, after.
* An exhibitor registers for a booth and signs the non-infringement pledge (参展方不侵权承诺);
  only then may it file exhibits (展品报备). Each exhibit becomes a screened record of source
  `exhibition` whose id carries the show and the booth (`E:CODE:BOOTH:NO`), so its leads are
  tagged with both in the review queue.
* A complaint at the on-site station (举报投诉维权援助工作站) gets a fast-track deadline
  (default 24 h after it is logged) and moves open → handling → resolved | dismissed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from regional.domain import Listing, ListingSource, Seller
from regional.formats.days import no_such_day
from regional.formats.errors import describe_value
from regional.formats.messages import Problem, say
from regional.formats.width import halfwidth

DEFAULT_DEADLINE_HOURS = 24
MAX_DEADLINE_HOURS = 720
DUE_SOON = dt.timedelta(hours=2)  # the board marks a complaint due within this as urgent
MAX_HALLS = 100
MAX_BOOTHS_PER_SHOW = 5000
MAX_EXHIBITS_PER_EXHIBITOR = 500
MAX_RIGHTS_PER_EXHIBIT = 20
MAX_IMAGES_PER_EXHIBIT = 20

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_BOOTH = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff_.-]{0,23}$")
_REGION = re.compile(r"^[1-9][0-9]0000$")
_EXHIBIT_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_RIGHT_NO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/ ]{0,63}$")

LISTING_PREFIX = "E"  # exhibit records: E:SHOW:BOOTH:NUMBER


class ExhibitionError(ValueError):
    """Input the exhibition rules refuse; `field` names the field (None: the whole request).

    `problem` is the rule broken (a key of regional/formats/messages.py with its parameters, which the web UI says
    in the reader's language); `message` its English, as the command line prints it."""

    def __init__(self, field: str | None, message: Problem, reason: str | None = None) -> None:
        self.problem = message
        self.message = str(message)
        super().__init__(f"{field}: {self.message}" if field else self.message)
        self.field = field
        self.reason = reason or field or "invalid"  # what the web UI explains in the reader's language
        self.errors: list[ExhibitionError] = [self]  # a record's every bad field (check_exhibit), this one first


_T = TypeVar("_T")


class Phase(StrEnum):
    """Where an exhibition stands, read from its dates."""

    UPCOMING = "upcoming"  # 筹备中: registration, filing and pre-show screening
    OPEN = "open"  # 展期中: the complaint station is busy
    CLOSED = "closed"  # 已闭幕


class ComplaintState(StrEnum):
    """A station complaint's handling (transitions: `next_state`)."""

    OPEN = "open"  # 已登记，待处理
    HANDLING = "handling"  # 处理中
    RESOLVED = "resolved"  # 已办结
    DISMISSED = "dismissed"  # 不成立


class ComplaintAction(StrEnum):
    """What an officer does with a station complaint."""

    TAKE = "take"  # 受理: an officer takes it on (open → handling)
    RESOLVE = "resolve"  # 办结 with a resolution
    DISMISS = "dismiss"  # 不成立: no infringement (the exhibitor showed its rights or licence, …)
    NOTE = "note"  # 记录: a step noted, the state unchanged


class Resolution(StrEnum):
    """How a resolved complaint ended; all but LICENCE_SHOWN confirm an infringement at the booth."""

    WITHDRAWN = "withdrawn"  # 撤展: the exhibits were taken off the stand
    COVERED = "covered"  # 遮盖: the marks or features were covered
    SETTLED = "settled"  # 调解: the parties settled
    TRANSFERRED = "transferred"  # 移交执法: handed to the enforcement body

    @property
    def confirms_infringement(self) -> bool:
        """Whether this ending establishes an infringement by the exhibitor (for the cross-region flag)."""
        return True


OPEN_STATES = frozenset({ComplaintState.OPEN, ComplaintState.HANDLING})
_TRANSITIONS: dict[tuple[ComplaintState, ComplaintAction], ComplaintState] = {
    (ComplaintState.OPEN, ComplaintAction.TAKE): ComplaintState.HANDLING,
    (ComplaintState.OPEN, ComplaintAction.RESOLVE): ComplaintState.RESOLVED,
    (ComplaintState.OPEN, ComplaintAction.DISMISS): ComplaintState.DISMISSED,
    (ComplaintState.HANDLING, ComplaintAction.RESOLVE): ComplaintState.RESOLVED,
    (ComplaintState.HANDLING, ComplaintAction.DISMISS): ComplaintState.DISMISSED,
    (ComplaintState.OPEN, ComplaintAction.NOTE): ComplaintState.OPEN,
    (ComplaintState.HANDLING, ComplaintAction.NOTE): ComplaintState.HANDLING,
}


def next_state(state: ComplaintState, action: ComplaintAction, resolution: Resolution | None = None) -> ComplaintState:
    """The state after `action`; a resolution is required to resolve and refused otherwise."""
    target = _TRANSITIONS.get((state, action))
    if target is None:
        raise ExhibitionError("action", say("ex_wrong_state", state=state.value, action=action.value), "wrong_state")
    if action is ComplaintAction.RESOLVE and resolution is None:
        raise ExhibitionError("resolution", say("ex_resolution_needed", values=", ".join(r.value for r in Resolution)))
    if action is not ComplaintAction.RESOLVE and resolution is not None:
        raise ExhibitionError("resolution", say("ex_resolution_only"), "resolution_only_resolve")
    return target


def deadline(received_at: dt.datetime, hours: int) -> dt.datetime:
    """When a complaint logged at `received_at` must be handled (the fast track)."""
    return received_at + dt.timedelta(hours=check_deadline_hours(hours))


def check_deadline_hours(hours: object) -> int:
    """A fast-track deadline in whole hours, 1..720."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_DEADLINE_HOURS:
        raise ExhibitionError("deadline_hours", say("ex_hours", max=MAX_DEADLINE_HOURS))
    return hours


class Due(StrEnum):
    """How a complaint stands against its deadline."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"


def due(state: ComplaintState, deadline_at: dt.datetime, now: dt.datetime,
        closed_at: dt.datetime | None = None) -> Due:
    """Whether a complaint is on time, due soon, overdue — or, once closed, whether it was closed in time."""
    if state not in OPEN_STATES:
        return Due.CLOSED_ON_TIME if closed_at is None or closed_at <= deadline_at else Due.CLOSED_LATE
    if now > deadline_at:
        return Due.OVERDUE
    if deadline_at - now <= DUE_SOON:
        return Due.DUE_SOON
    return Due.ON_TIME


def phase(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> Phase:
    """Before, during or after the show."""
    if today < starts_on:
        return Phase.UPCOMING
    if today > ends_on:
        return Phase.CLOSED
    return Phase.OPEN


# ---------------------------------------------------------------- field checks


def _text(values: Mapping[str, Any], name: str, limit: int, *, required: bool = False, lines: bool = False) -> str:
    raw = values.get(name)
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ExhibitionError(name, say("text"))
    value = raw.strip()
    if required and not value:
        raise ExhibitionError(name, say("required"))
    if len(value) > limit:
        raise ExhibitionError(name, say("too_long", n=len(value), max=limit))
    allowed = "\t\n\r" if lines else "\t"
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 or 0x202A <= ord(ch) <= 0x202E for ch in value):
        raise ExhibitionError(name, say("control_chars"))
    return value if lines else " ".join(value.split())


def _date(values: Mapping[str, Any], name: str) -> dt.date:
    raw = values.get(name)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if not isinstance(raw, str) or not raw.strip():
        raise ExhibitionError(name, say("required_date"))
    from regional.formats.csvfile import read_cell

    # typed in full width (２０２６－１２－１０) or as spreadsheets and the files write it (2026/12/10, 2026年12月10日)
    raw = str(read_cell("date", halfwidth(raw).strip()))
    try:
        return dt.date.fromisoformat(raw[:10]) if len(raw) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name, raw)


def _bad_date(name: str, raw: str = "") -> dt.date:
    raise ExhibitionError(name, (no_such_day(raw) if len(raw) == 10 else None) or say("date"))


def check_code(value: object, field: str = "code") -> str:
    """An exhibition code: letters, digits, '-' and '_', at most 40 (it goes into exhibit ids)."""
    if isinstance(value, str):
        value = halfwidth(value)  # typed in full width: ＳＺ－２０２６
    if not isinstance(value, str) or not _CODE.match(value.strip()):
        raise ExhibitionError(field, say("ex_code"))
    return value.strip()


def _got(problem: Problem, value: object) -> Problem:
    """`problem` with the value given (`(got 99)`, `（实际为 99）`), as the listings and customs importers say a bad
    value; a value that is absent or empty is said as the rule alone."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return problem
    return say("got", message=problem, got=describe_value(value))


def check_booth(value: object, field: str = "booth") -> str:
    """A booth code: letters, digits, Chinese characters, '-', '_', '.'; at most 24."""
    if isinstance(value, str):
        value = halfwidth(value)  # typed in full width: Ａ１－０１
    if not isinstance(value, str) or not _BOOTH.match(value.strip()):
        raise ExhibitionError(field, _got(say("ex_booth"), value))
    return value.strip()


def split_list(value: object) -> list[str]:
    """A list given as a list, or as text separated by commas, semicolons, 、 or line breaks."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,;，；、\n]+", value) if p.strip()]
    if isinstance(value, list | tuple):
        return [str(p).strip() for p in value if str(p).strip()]
    raise ExhibitionError(None, say("list"))


@dataclass(frozen=True)
class ExhibitionInput:
    """A checked exhibition."""

    code: str
    name: str
    venue: str
    organiser: str
    region: str
    starts_on: dt.date
    ends_on: dt.date
    halls: tuple[str, ...] = ()
    deadline_hours: int = DEFAULT_DEADLINE_HOURS


def check_exhibition(values: Mapping[str, Any], default_region: str) -> ExhibitionInput:
    """The fields of a new exhibition, checked (names and limits as the table stores them)."""
    code = check_code(values.get("code"))
    name = _text(values, "name", 200, required=True)
    venue = _text(values, "venue", 300, required=True)
    organiser = _text(values, "organiser", 300, required=True)
    region = halfwidth(_text(values, "region", 6)) or default_region
    if not _REGION.match(region):
        raise ExhibitionError("region", say("ex_region"))
    starts_on = _date(values, "starts_on")
    ends_on = _date(values, "ends_on")
    if ends_on < starts_on:
        raise ExhibitionError("ends_on", say("ex_ends_before_start"), "ends_before_start")
    if (ends_on - starts_on).days > 60:
        raise ExhibitionError("ends_on", say("ex_show_days", n=60), "too_long")
    halls = split_list(values.get("halls"))
    if len(halls) > MAX_HALLS:
        raise ExhibitionError("halls", say("ex_halls_many", n=MAX_HALLS))
    for hall in halls:
        if len(hall) > 40:
            raise ExhibitionError("halls", say("ex_hall_name", n=40))
    if len(set(halls)) != len(halls):
        raise ExhibitionError("halls", say("ex_hall_twice"), "hall_twice")
    hours = values.get("deadline_hours")
    if hours in (None, ""):
        hours = DEFAULT_DEADLINE_HOURS
    if isinstance(hours, str):
        hours = halfwidth(hours)
        hours = int(hours) if hours.strip().isdigit() and len(hours.strip()) < 6 else -1
    return ExhibitionInput(code=code, name=name, venue=venue, organiser=organiser, region=region,
                           starts_on=starts_on, ends_on=ends_on, halls=tuple(halls),
                           deadline_hours=check_deadline_hours(hours))


@dataclass(frozen=True)
class ExhibitorInput:
    """A checked exhibitor registration."""

    name: str
    booth: str
    uscc: str | None = None
    phone: str | None = None
    contact: str | None = None
    address: str | None = None
    pledge_signer: str | None = None  # who signed the non-infringement pledge for the exhibitor, if signed now


_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_exhibitor(values: Mapping[str, Any]) -> ExhibitorInput:
    """The fields of an exhibitor's registration, checked."""
    name = _text(values, "name", 300, required=True)
    booth = check_booth(values.get("booth"))
    uscc = halfwidth(_text(values, "uscc", 18)).upper() or None
    if uscc is not None and not _USCC.match(uscc):
        raise ExhibitionError("uscc", say("uscc_length", n=18))
    phone = halfwidth(_text(values, "phone", 40)) or None
    if phone is not None and not re.fullmatch(r"[0-9+()\- ]{5,40}", phone):
        raise ExhibitionError("phone", say("ex_phone"))
    return ExhibitorInput(name=name, booth=booth, uscc=uscc, phone=phone,
                          contact=_text(values, "contact", 100) or None,
                          address=_text(values, "address", 500) or None,
                          pledge_signer=_text(values, "pledge_signer", 100) or None)


@dataclass(frozen=True)
class ExhibitInput:
    """A checked exhibit filing (展品报备)."""

    number: str
    booth: str
    product: str
    brand: str | None = None
    description: str | None = None
    nice_classes: tuple[int, ...] = ()
    images: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()  # the IP rights the exhibitor relies on
    licence: str | None = None  # or the licence it holds


def check_exhibit(values: Mapping[str, Any]) -> ExhibitInput:
    """The fields of one filed exhibit, checked: every bad field is named at once (the first refusal raised carries
    all of them in `errors`; newcomer15 F1: an empty name hid a class 77 until the file came back a second time)."""
    errors: list[ExhibitionError] = []

    def field(rule: Callable[[], _T]) -> _T | None:
        try:
            return rule()
        except ExhibitionError as exc:
            errors.append(exc)
            return None

    def number_of() -> str:
        number = values.get("id") if values.get("id") not in (None, "") else values.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if isinstance(number, str):
            number = halfwidth(number)
        if not isinstance(number, str) or not _EXHIBIT_NO.match(number.strip()):  # the same words as a product code's
            raise ExhibitionError("id", _got(say("product_code"), number))
        return number.strip()

    def classes_of() -> tuple[int, ...]:
        classes: list[int] = []
        for item in split_list(values.get("nice_classes")) if not isinstance(values.get("nice_classes"), int) \
                else [str(values["nice_classes"])]:
            item = halfwidth(item)
            if not item.isdigit() or not 1 <= int(item) <= 45:  # the value given, as the other importers say it
                raise ExhibitionError("nice_classes", _got(say("nice_1_45"), int(item) if item.isdigit() else item))
            classes.append(int(item))
        return tuple(dict.fromkeys(classes))

    def images_of() -> tuple[str, ...]:
        images = split_list(values.get("images"))
        if len(images) > MAX_IMAGES_PER_EXHIBIT:
            raise ExhibitionError("images", say("ex_photos_many", n=MAX_IMAGES_PER_EXHIBIT))
        for image in images:
            if len(image) > 500 or not (image.startswith(("http://", "https://")) or
                                        (not image.startswith("/") and ".." not in image.split("/")
                                         and ":" not in image)):
                raise ExhibitionError("images", say("ex_photo"))
        return tuple(images)

    def rights_of() -> tuple[str, ...]:
        rights = [halfwidth(r) for r in split_list(values.get("rights"))]
        if len(rights) > MAX_RIGHTS_PER_EXHIBIT:
            raise ExhibitionError("rights", say("ex_rights_many", n=MAX_RIGHTS_PER_EXHIBIT))
        for right in rights:
            if not _RIGHT_NO.match(right):
                raise ExhibitionError("rights", say("ex_right_number", right=right[:40]))
        return tuple(rights)

    number = field(number_of)
    booth = field(lambda: check_booth(values.get("booth")))
    product = field(lambda: _text(values, "product", 500, required=True))
    brand = field(lambda: _text(values, "brand", 200))
    description = field(lambda: _text(values, "description", 4000, lines=True))
    classes = field(classes_of)
    images = field(images_of)
    rights = field(rights_of)
    licence = field(lambda: _text(values, "licence", 1000))
    if errors:
        first = errors[0]
        first.errors = list(errors)
        raise first
    assert number is not None and booth is not None and product is not None
    return ExhibitInput(number=number, booth=booth, product=product, brand=brand or None,
                        description=description or None, nice_classes=classes or (), images=images or (),
                        rights=rights or (), licence=licence or None)


def listing_id(code: str, booth: str, number: str) -> str:
    """The id of an exhibit's screened record: show and booth can be read (and searched) in it."""
    return f"{LISTING_PREFIX}:{code}:{booth}:{number}"


def listing_prefix(code: str) -> str:
    """The common start of every exhibit id of a show."""
    return f"{LISTING_PREFIX}:{code}:"


def exhibit_listing(code: str, exhibit: ExhibitInput, exhibitor: Seller) -> Listing:
    """The exhibit as a record the four detection models screen against the registry."""
    title = exhibit.product
    if exhibit.brand and exhibit.brand not in title:
        title = f"{exhibit.brand} {title}"
    return Listing(id=listing_id(code, exhibit.booth, exhibit.number), title=title[:1000],
                   source=ListingSource.EXHIBITION, platform=code, description=exhibit.description,
                   nice_classes=exhibit.nice_classes, category=None, seller=exhibitor, images=exhibit.images)


# ---------------------------------------------------------------- the live board


@dataclass(frozen=True)
class OpenComplaint:
    """What the board needs of one open complaint."""

    booth: str
    number: str
    deadline_at: dt.datetime
    state: ComplaintState


@dataclass(frozen=True)
class BoardRow:
    """One booth with open complaints."""

    booth: str
    open: int
    handling: int
    overdue: int
    next_deadline: dt.datetime
    due: Due
    numbers: tuple[str, ...]


def board(complaints: Iterable[OpenComplaint], now: dt.datetime) -> list[BoardRow]:
    """Booths with open complaints: overdue first, then by the nearest deadline."""
    by_booth: dict[str, list[OpenComplaint]] = {}
    for c in complaints:
        if c.state in OPEN_STATES:
            by_booth.setdefault(c.booth, []).append(c)
    rows = []
    for booth, items in by_booth.items():
        items.sort(key=lambda c: (c.deadline_at, c.number))
        first = items[0]
        overdue = sum(1 for c in items if now > c.deadline_at)
        rows.append(BoardRow(booth=booth, open=sum(1 for c in items if c.state is ComplaintState.OPEN),
                             handling=sum(1 for c in items if c.state is ComplaintState.HANDLING),
                             overdue=overdue, next_deadline=first.deadline_at,
                             due=due(first.state, first.deadline_at, now), numbers=tuple(c.number for c in items)))
    rows.sort(key=lambda r: (r.overdue == 0, r.next_deadline, r.booth))
    return rows


def summary(exhibits: int, screened: int, leads_by_state: Mapping[str, int], complaints_by_state: Mapping[str, int],
            on_time: int, closed: int, booths_with_complaints: int) -> dict[str, Any]:
    """A show's figures for the monthly report (counts only)."""
    return {"exhibits": exhibits, "screened": screened, "leads": sum(leads_by_state.values()),
            "leads_confirmed": leads_by_state.get("confirmed", 0),
            "complaints": sum(complaints_by_state.values()),
            "complaints_resolved": complaints_by_state.get("resolved", 0),
            "complaints_dismissed": complaints_by_state.get("dismissed", 0),
            "complaints_open": sum(complaints_by_state.get(s.value, 0) for s in OPEN_STATES),
            "closed_on_time": on_time, "closed": closed, "booths_with_complaints": booths_with_complaints}


def seller_of(name: str, uscc: str | None, phone: str | None, address: str | None) -> Seller:
    """The exhibitor as the market entity behind its exhibits."""
    return Seller(name=name, uscc=uscc, phone=phone, address=address)


def confirmed_infringer(resolutions: Sequence[Resolution | None], confirmed_leads: int) -> bool:
    """Whether an exhibitor's record at a show establishes infringement (resolved complaints or confirmed leads)."""
    return confirmed_leads > 0 or any(r is not None and r.confirms_infringement for r in resolutions)
