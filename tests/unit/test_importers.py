"""The interchange importers: good files parse, bad records are reported precisely, reading goes on."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regional.domain import Licence, Listing, ListingSource, PatentStatus, Right, RightKind, Seller
from regional.importers import (
    ImportFileError,
    RecordError,
    RecordValidationError,
    licence_to_json,
    listing_to_json,
    parse_listing_line,
    parse_registry_line,
    read_listings,
    read_registry,
    right_to_json,
    uscc_check_character_ok,
    write_jsonl,
)

CST = dt.timezone(dt.timedelta(hours=8))

TRADEMARK = {
    "kind": "trademark",
    "reg_no": "TM-0012345",
    "mark": "康师傅",
    "owner": "顶益（开曼岛）控股有限公司",
    "nice_classes": [30, 32],
    "status": "registered",
    "valid_until": "2031-05-27",
}
INVENTION = {
    "kind": "invention",
    "number": "ZL201910123456.7",
    "title": "一种泡面碗",
    "owner": "某公司",
    "status": "granted",
    "ipc": ["A47J 31/44"],
    "claims": "1. 一种……",
    "expires": "2039-03-01",
}
UTILITY_MODEL = {**INVENTION, "kind": "utility_model", "number": "ZL202020123456.1"}
DESIGN = {
    "kind": "design",
    "number": "ZL202030123456.X",
    "title": "面碗",
    "owner": "某公司",
    "status": "granted",
    "locarno": "07-02",
    "images": ["designs/ZL202030123456X-1.png"],
    "expires": "2035-01-01",
}
LICENCE = {
    "kind": "licence",
    "right": "TM-0012345",
    "licensee": "某食品有限公司",
    "licensee_uscc": "91350100M000100Y43",
    "valid_from": "2024-01-01",
    "valid_until": "2026-12-31",
}
LISTING = {
    "id": "tb-88231",
    "source": "ecommerce",
    "platform": "淘宝",
    "url": "https://item.example/88231",
    "title": "康帅傅 红烧牛肉面 五连包",
    "description": "…",
    "price": 9.9,
    "currency": "CNY",
    "nice_classes": [30],
    "category": "方便食品",
    "seller": {
        "name": "某店",
        "uscc": "91440300MA5XXXXXXX",
        "phone": "0755-1234567",
        "address": "广东省深圳市…",
        "shop_url": "https://shop.example/1",
    },
    "images": ["https://img.example/1.jpg"],
    "observed_at": "2026-11-02T10:00:00+08:00",
}


def write_lines(path: Path, lines: list[Any]) -> Path:
    """Write dicts as JSON and strings verbatim, one per line (gzip when the name ends in .gz)."""
    text = "".join((ln if isinstance(ln, str) else json.dumps(ln, ensure_ascii=False)) + "\n" for ln in lines)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def only_error(errors: list[RecordError]) -> RecordError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# --- good files --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registry.jsonl", "registry.jsonl.gz"])
def test_good_registry_file_parses_into_rights_and_licences(tmp_path: Path, name: str) -> None:
    path = write_lines(tmp_path / name, [TRADEMARK, INVENTION, "", UTILITY_MODEL, DESIGN, LICENCE])

    batch = read_registry(path)

    assert batch.errors == []
    assert batch.lines == 6
    assert batch.rights == [
        Right(
            kind=RightKind.TRADEMARK,
            number="TM-0012345",
            title="康师傅",
            owner="顶益（开曼岛）控股有限公司",
            status="registered",
            nice_classes=(30, 32),
            valid_until=dt.date(2031, 5, 27),
        ),
        Right(
            kind=RightKind.INVENTION,
            number="ZL201910123456.7",
            title="一种泡面碗",
            owner="某公司",
            status=PatentStatus.GRANTED,
            ipc=("A47J 31/44",),
            claims="1. 一种……",
            valid_until=dt.date(2039, 3, 1),
        ),
        Right(
            kind=RightKind.UTILITY_MODEL,
            number="ZL202020123456.1",
            title="一种泡面碗",
            owner="某公司",
            status=PatentStatus.GRANTED,
            ipc=("A47J 31/44",),
            claims="1. 一种……",
            valid_until=dt.date(2039, 3, 1),
        ),
        Right(
            kind=RightKind.DESIGN,
            number="ZL202030123456.X",
            title="面碗",
            owner="某公司",
            status=PatentStatus.GRANTED,
            locarno="07-02",
            images=("designs/ZL202030123456X-1.png",),
            valid_until=dt.date(2035, 1, 1),
        ),
    ]
    assert batch.licences == [
        Licence(
            right="TM-0012345",
            licensee="某食品有限公司",
            licensee_uscc="91350100M000100Y43",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2026, 12, 31),
        )
    ]
    assert batch.warnings == []


@pytest.mark.parametrize("name", ["listings.jsonl", "listings.jsonl.gz"])
def test_good_listings_file_parses_into_listings(tmp_path: Path, name: str) -> None:
    path = write_lines(tmp_path / name, [LISTING, {"id": "ex-1", "title": "展品", "source": "exhibition"}])

    batch = read_listings(path)

    assert batch.errors == []
    assert batch.lines == 2
    first, second = batch.listings
    assert first == Listing(
        id="tb-88231",
        title="康帅傅 红烧牛肉面 五连包",
        source=ListingSource.ECOMMERCE,
        platform="淘宝",
        url="https://item.example/88231",
        description="…",
        price=9.9,
        currency="CNY",
        nice_classes=(30,),
        category="方便食品",
        seller=Seller(
            name="某店",
            uscc="91440300MA5XXXXXXX",
            phone="0755-1234567",
            address="广东省深圳市…",
            shop_url="https://shop.example/1",
        ),
        images=("https://img.example/1.jpg",),
        observed_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST),
    )
    assert second == Listing(id="ex-1", title="展品", source=ListingSource.EXHIBITION)


def test_listing_with_only_id_and_title_defaults_to_ecommerce_and_empty_seller() -> None:
    listing = parse_listing_line({"id": "x", "title": "t"}, file="l.jsonl", line=1)

    assert listing == Listing(id="x", title="t")
    assert listing.source is ListingSource.ECOMMERCE
    assert listing.seller == Seller()


def test_null_fields_mean_absent() -> None:
    obj = {"id": "x", "title": "t", "source": None, "seller": None, "nice_classes": None, "price": None}
    assert parse_listing_line(obj, file="l.jsonl", line=1) == Listing(id="x", title="t")


def test_naive_observed_at_is_taken_as_beijing_time() -> None:
    listing = parse_listing_line(
        {"id": "x", "title": "t", "observed_at": "2026-11-02T10:00:00"}, file="l.jsonl", line=1
    )
    assert listing.observed_at == dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def test_integer_price_is_accepted_as_a_number() -> None:
    listing = parse_listing_line({"id": "x", "title": "t", "price": 10}, file="l.jsonl", line=1)
    assert listing.price == 10.0


def test_unknown_fields_are_ignored(tmp_path: Path) -> None:
    extra = {"shelf": "A3", "nested": {"anything": [1, None]}}
    path = write_lines(tmp_path / "registry.jsonl", [{**TRADEMARK, **extra}, {**LICENCE, **extra}])
    listings = write_lines(tmp_path / "listings.jsonl", [{**LISTING, **extra, "seller": {"wechat": "x"}}])

    registry = read_registry(path)
    assert registry.errors == []
    assert len(registry.rights) == 1 and len(registry.licences) == 1
    batch = read_listings(listings)
    assert batch.errors == []
    assert batch.listings[0].seller == Seller()


def test_trademark_without_status_is_taken_as_registered() -> None:
    obj = {k: v for k, v in TRADEMARK.items() if k != "status"}
    right = parse_registry_line(obj, file="registry.jsonl", line=1)
    assert isinstance(right, Right) and right.status == "registered"


def test_byte_order_mark_and_windows_line_endings_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(LISTING).encode() + b"\r\n\r\n" + b'{"id":"b","title":"t"}\r\n'
    )

    batch = read_listings(path)

    assert batch.errors == []
    assert [x.id for x in batch.listings] == ["tb-88231", "b"]
    assert batch.lines == 3


# --- bad records: each names file, line, record and field; the rest is still read ----------


def test_line_that_is_not_json_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "listings.jsonl", [LISTING, '{"id": "b", "title": ', {"id": "c", "title": "t"}]
    )

    batch = read_listings(path)

    error = only_error(batch.errors)
    assert (error.file, error.line, error.field) == ("listings.jsonl", 2, None)
    assert str(error).startswith("listings.jsonl:2: not valid JSON")
    assert [x.id for x in batch.listings] == ["tb-88231", "c"]


@pytest.mark.parametrize("line", ["[1, 2]", '"text"', "42", "null", "NaN", '{"price": Infinity}'])
def test_line_that_is_not_a_json_object_is_reported(tmp_path: Path, line: str) -> None:
    path = write_lines(tmp_path / "registry.jsonl", [TRADEMARK, line, INVENTION])

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert (error.file, error.line) == ("registry.jsonl", 2)
    assert len(batch.rights) == 2


def test_listing_missing_title_names_the_field(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "listings.jsonl", [{"id": "tb-1"}, LISTING])

    batch = read_listings(path)

    error = only_error(batch.errors)
    assert (error.file, error.line, error.record_id, error.field) == ("listings.jsonl", 1, "tb-1", "title")
    assert str(error) == "listings.jsonl:1 (tb-1) field 'title': is required"
    assert [x.id for x in batch.listings] == ["tb-88231"]


@pytest.mark.parametrize("title", ["", "   ", 42, None])
def test_listing_title_must_be_non_empty_text(title: object) -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line({"id": "x", "title": title}, file="l.jsonl", line=3)
    assert only_error(caught.value.errors).field == "title"


def test_patent_with_unknown_status_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "registry.jsonl", [{**INVENTION, "status": "alive"}, TRADEMARK])

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert (error.line, error.record_id, error.field) == (1, "ZL201910123456.7", "status")
    assert "granted, lapsed, expired, invalidated, pending, rejected" in error.message
    assert '"alive"' in error.message
    assert len(batch.rights) == 1


def test_nice_class_99_is_rejected_with_a_plain_sentence(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "registry.jsonl", [INVENTION, {**TRADEMARK, "nice_classes": [30, 99]}])

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert str(error) == (
        "registry.jsonl:2 (TM-0012345) field 'nice_classes': must be a list of integers 1..45 (got 99)"
    )
    assert len(batch.rights) == 1


@pytest.mark.parametrize("classes", [["30"], [30.0], [True], 30, [0], [46]])
def test_nice_classes_must_be_integers_1_to_45(classes: object) -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line({"id": "x", "title": "t", "nice_classes": classes}, file="l.jsonl", line=1)
    assert only_error(caught.value.errors).field == "nice_classes"


@pytest.mark.parametrize(
    ("record", "field", "said"),
    [
        ({**TRADEMARK, "valid_until": "2031-02-30"}, "valid_until", "2031-02 has 28 days"),  # newcomer24
        ({**INVENTION, "expires": "next year"}, "expires", "ISO 8601"),
        ({**DESIGN, "expires": 20350101}, "expires", "ISO 8601"),
        ({**LICENCE, "valid_from": "2024/01/01"}, "valid_from", "ISO 8601"),
    ],
)
def test_bad_registry_date_names_the_field(tmp_path: Path, record: dict[str, Any], field: str, said: str) -> None:
    path = write_lines(tmp_path / "registry.jsonl", [record, UTILITY_MODEL])

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert (error.file, error.line, error.field) == ("registry.jsonl", 1, field)
    assert said in error.message


@pytest.mark.parametrize(("observed", "said"), [
    ("2026-02-30T10:00:00+08:00", "names a day the calendar does not have: 2026-02 has 28 days"),
    ("2024-02-30", "names a day the calendar does not have: 2024-02 has 29 days"),
    ("2026-04-31 09:00", "2026-04 has 30 days"),
    ("2026-13-01T10:00:00+08:00", "must be an ISO 8601 date-time like"),  # no such month: the format is wrong
    ("2026-02-3", "must be an ISO 8601 date-time like"),
])
def test_a_day_its_month_does_not_have_is_said_so_not_as_a_wrong_format(observed: str, said: str) -> None:
    """newcomer24: 2026-02-30 (written right, a day February does not have) was refused as "must be an ISO 8601
    date-time like 2026-11-02T10:00:00+08:00", which sends an officer looking for a typo that is not there."""
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line({"id": "x", "title": "t", "observed_at": observed}, file="l.jsonl", line=3)
    error = only_error(caught.value.errors)
    assert error.field == "observed_at" and said in error.message, error.message
    assert f'(got "{observed}")' in error.message


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)), st.integers(min_value=29, max_value=99))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_every_written_day_is_read_or_refused_with_its_months_length(day: dt.date, dd: int) -> None:
    text = f"{day.year:04d}-{day.month:02d}-{dd:02d}"
    try:
        parse_listing_line({"id": "x", "title": "t", "observed_at": text}, file="l.jsonl", line=1)
    except RecordValidationError as caught:
        message = only_error(caught.errors).message
        days = calendar_days(day.year, day.month)
        assert dd > days and f"{day.year:04d}-{day.month:02d} has {days} days" in message, (text, message)
    else:
        assert dd <= calendar_days(day.year, day.month)


def calendar_days(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def test_bad_observed_at_names_the_field() -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line({"id": "x", "title": "t", "observed_at": "yesterday"}, file="l.jsonl", line=7)
    error = only_error(caught.value.errors)
    assert (error.line, error.record_id, error.field) == (7, "x", "observed_at")


def test_licence_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_registry_line({**LICENCE, "valid_until": "2023-12-31"}, file="registry.jsonl", line=4)
    error = only_error(caught.value.errors)
    assert (error.record_id, error.field) == ("TM-0012345", "valid_until")


def test_licensee_code_must_have_18_characters_but_a_wrong_check_character_is_only_flagged(
    tmp_path: Path,
) -> None:
    typo = "91350100M000100Y44"
    assert not uscc_check_character_ok(typo)
    assert uscc_check_character_ok("91350100M000100Y43")
    path = write_lines(
        tmp_path / "registry.jsonl",
        [{**LICENCE, "licensee_uscc": "9135"}, {**LICENCE, "licensee_uscc": typo}],
    )

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert (error.line, error.field) == (1, "licensee_uscc")
    assert [x.licensee_uscc for x in batch.licences] == [typo]
    warning = only_error(batch.warnings)
    assert (warning.line, warning.field) == (2, "licensee_uscc")


def test_duplicate_listing_id_is_an_error_on_the_later_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "listings.jsonl", [LISTING, {"id": "b", "title": "t"}, {**LISTING, "title": "x"}]
    )

    batch = read_listings(path)

    error = only_error(batch.errors)
    assert (error.line, error.record_id, error.field) == (3, "tb-88231", "id")
    assert "line 1" in error.message
    assert [x.id for x in batch.listings] == ["tb-88231", "b"]


def test_duplicate_right_number_is_an_error_even_across_kinds(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "registry.jsonl",
        [INVENTION, LICENCE, LICENCE, {**DESIGN, "number": INVENTION["number"]}],
    )

    batch = read_registry(path)

    error = only_error(batch.errors)  # two licences of one right are fine
    assert (error.line, error.field) == (4, "number")
    assert len(batch.rights) == 1 and len(batch.licences) == 2


@pytest.mark.parametrize(
    "image",
    [
        "/srv/designs/a.png",
        "\\\\server\\a.png",
        "C:\\designs\\a.png",
        "../a.png",
        "designs/../../a.png",
        "https://img.example/a.png",
    ],
)
def test_design_image_outside_the_registry_folder_is_rejected(tmp_path: Path, image: str) -> None:
    path = write_lines(
        tmp_path / "registry.jsonl", [{**DESIGN, "images": ["designs/ok.png", image]}, TRADEMARK]
    )

    batch = read_registry(path)

    error = only_error(batch.errors)
    assert (error.file, error.line, error.record_id, error.field) == (
        "registry.jsonl",
        1,
        "ZL202030123456.X",
        "images",
    )
    assert [r.kind for r in batch.rights] == [RightKind.TRADEMARK]


def test_bad_locarno_class_is_rejected() -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_registry_line({**DESIGN, "locarno": "7-2"}, file="registry.jsonl", line=1)
    assert only_error(caught.value.errors).field == "locarno"


@pytest.mark.parametrize("kind", [None, "license", 7, ["trademark"]])
def test_missing_or_unknown_kind_is_reported(kind: object) -> None:
    record = {**TRADEMARK, "kind": kind}
    with pytest.raises(RecordValidationError) as caught:
        parse_registry_line(record, file="registry.jsonl", line=2)
    error = only_error(caught.value.errors)
    assert (error.record_id, error.field) == ("TM-0012345", "kind")
    assert "trademark, invention, utility_model, design, licence" in error.message


def test_nested_field_errors_use_a_dotted_path() -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line({"id": "x", "title": "t", "seller": {"uscc": 9144}}, file="l.jsonl", line=1)
    error = only_error(caught.value.errors)
    assert str(error) == "l.jsonl:1 (x) field 'seller.uscc': must be text (got 9144)"


def test_every_problem_in_a_record_is_reported_at_once() -> None:
    record = {"id": "x", "title": "", "price": -1, "source": "tv", "nice_classes": [0]}
    with pytest.raises(RecordValidationError) as caught:
        parse_listing_line(record, file="l.jsonl", line=1)
    assert {e.field for e in caught.value.errors} == {"title", "price", "source", "nice_classes"}
    assert all("Input should" not in e.message for e in caught.value.errors)


def test_text_that_could_not_be_stored_is_rejected() -> None:
    for title in ["a\x00b", "\ud800"]:
        with pytest.raises(RecordValidationError) as caught:
            parse_listing_line({"id": "x", "title": title}, file="l.jsonl", line=1)
        assert only_error(caught.value.errors).field == "title"


# --- unreadable files --------------------------------------------------------------------


def test_bad_gzip_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "registry.jsonl.gz"
    path.write_bytes(json.dumps(TRADEMARK).encode())

    with pytest.raises(ImportFileError) as caught:
        read_registry(path)
    assert caught.value.file == str(path)
    assert "gzip" in str(caught.value) and str(path) in str(caught.value)


def test_truncated_gzip_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(LISTING) + "\n").encode() * 50)[:-20])

    with pytest.raises(ImportFileError, match="listings.jsonl.gz"):
        read_listings(path)


def test_bad_utf8_raises_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl"
    path.write_bytes(json.dumps(LISTING).encode() + b'\n{"id": "b", "title": "\xbf\xf6"}\n')

    with pytest.raises(ImportFileError) as caught:
        read_listings(path)
    assert caught.value.line == 2
    assert f"{path}:2" in str(caught.value) and "UTF-8" in str(caught.value)


def test_missing_file_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="nope.jsonl"):
        read_registry(tmp_path / "nope.jsonl")


# --- writing and round trips -------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_written_file_reads_back_to_the_same_objects(tmp_path: Path, name: str) -> None:
    source = read_listings(write_lines(tmp_path / "in.jsonl", [LISTING, {"id": "b", "title": "t"}]))

    count = write_jsonl(tmp_path / name, (listing_to_json(x) for x in source.listings))

    assert count == 2
    again = read_listings(tmp_path / name)
    assert again.errors == [] and again.listings == source.listings
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_registry_records_round_trip_through_json(tmp_path: Path) -> None:
    batch = read_registry(
        write_lines(tmp_path / "registry.jsonl", [TRADEMARK, INVENTION, UTILITY_MODEL, DESIGN, LICENCE])
    )
    rows = [right_to_json(r) for r in batch.rights] + [licence_to_json(x) for x in batch.licences]

    write_jsonl(tmp_path / "again.jsonl.gz", rows)
    again = read_registry(tmp_path / "again.jsonl.gz")

    assert again.errors == []
    assert again.rights == batch.rights and again.licences == batch.licences
    assert rows[0] == TRADEMARK


def test_gzip_output_is_reproducible(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl.gz", [LISTING])
    write_jsonl(tmp_path / "b.jsonl.gz", [LISTING])
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()


# --- properties --------------------------------------------------------------------------

# what a field may hold: no control, surrogate, line-separator or invisible format characters
_text = st.text(st.characters(exclude_categories=["Cs", "Cc", "Cf", "Zl", "Zp"]), max_size=30)
_required_text = _text.filter(lambda s: s.strip() != "")
_ident = _required_text.filter(lambda s: s == s.strip())
_optional_text = st.none() | _text
_aware_datetimes = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes))),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.integers(-14 * 60, 14 * 60),
)
_web_urls = st.none() | st.from_regex(r"(?i:https?)://[a-z0-9.-]{1,20}(:[0-9]{1,5})?([/?#][!-~]{0,20})?",
                                      fullmatch=True)
_image_refs = st.lists(st.from_regex(r"[a-z0-9_]{1,8}(/[a-z0-9_.-]{1,8}){0,2}", fullmatch=True)
                       | st.from_regex(r"https?://[a-z0-9.]{1,12}/[!-~]{0,12}", fullmatch=True), max_size=3)
listings = st.builds(
    Listing,
    id=_ident,
    title=_required_text,
    source=st.sampled_from(ListingSource),
    platform=_optional_text,
    url=_web_urls,
    description=_optional_text,
    price=st.none() | st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    currency=st.none() | _text.map(lambda s: s[:8]),
    nice_classes=st.lists(st.integers(1, 45), max_size=5).map(tuple),
    category=_optional_text,
    seller=st.builds(
        Seller,
        name=_optional_text,
        uscc=_optional_text,
        phone=_optional_text,
        address=_optional_text,
        shop_url=_web_urls,
    ),
    images=_image_refs.map(tuple),
    observed_at=st.none() | _aware_datetimes,
)
_dates = st.none() | st.dates()
_relative_paths = st.lists(
    st.from_regex(r"[a-z0-9_]{1,8}(/[a-z0-9_.-]{1,8}){0,2}", fullmatch=True), max_size=3
)
rights = st.one_of(
    st.builds(
        Right,
        kind=st.just(RightKind.TRADEMARK),
        number=_ident,
        title=_required_text,
        owner=_required_text,
        status=_required_text,
        nice_classes=st.lists(st.integers(1, 45), max_size=5).map(tuple),
        valid_until=_dates,
    ),
    st.builds(
        Right,
        kind=st.sampled_from([RightKind.INVENTION, RightKind.UTILITY_MODEL]),
        number=_ident,
        title=_required_text,
        owner=_required_text,
        status=st.sampled_from(PatentStatus),
        ipc=st.lists(_required_text, max_size=3).map(tuple),
        claims=_optional_text,
        valid_until=_dates,
    ),
    st.builds(
        Right,
        kind=st.just(RightKind.DESIGN),
        number=_ident,
        title=_required_text,
        owner=_required_text,
        status=st.sampled_from(PatentStatus),
        locarno=st.none() | st.from_regex(r"[0-9]{2}-[0-9]{2}", fullmatch=True),
        images=_relative_paths.map(tuple),
        valid_until=_dates,
    ),
)


@given(listings)
def test_listing_round_trips_through_its_json_form(listing: Listing) -> None:
    as_json = json.loads(json.dumps(listing_to_json(listing), ensure_ascii=False))
    assert parse_listing_line(as_json, file="l.jsonl", line=1) == listing


@given(rights)
def test_right_round_trips_through_its_json_form(right: Right) -> None:
    as_json = json.loads(json.dumps(right_to_json(right), ensure_ascii=False))
    assert parse_registry_line(as_json, file="registry.jsonl", line=1) == right


def _check_errors_are_located(errors: list[RecordError], file: str, lines: int) -> None:
    for error in errors:
        assert error.file == file
        assert 1 <= error.line <= lines
        assert str(error).startswith(f"{file}:{error.line}")


_fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_fuzz
@given(data=st.binary(max_size=400), gz=st.booleans(), compress=st.booleans())
def test_arbitrary_bytes_never_raise_anything_but_the_documented_errors(
    tmp_path: Path, data: bytes, gz: bool, compress: bool
) -> None:
    path = tmp_path / ("fuzz.jsonl.gz" if gz else "fuzz.jsonl")
    path.write_bytes(gzip.compress(data) if gz and compress else data)
    for read in (read_registry, read_listings):
        try:
            batch = read(path)
        except ImportFileError as exc:
            assert exc.file == str(path)
            continue
        _check_errors_are_located(batch.errors, path.name, batch.lines)


_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_field_names = st.sampled_from(
    [
        "kind",
        "reg_no",
        "number",
        "id",
        "title",
        "mark",
        "owner",
        "status",
        "nice_classes",
        "ipc",
        "claims",
        "expires",
        "valid_from",
        "valid_until",
        "locarno",
        "images",
        "right",
        "licensee",
        "licensee_uscc",
        "source",
        "price",
        "seller",
        "observed_at",
        "currency",
    ]
)
_kinds = st.sampled_from(["trademark", "invention", "utility_model", "design", "licence", "listing"])
_shaped = st.builds(
    lambda kind, fields: {"kind": kind, **fields},
    _kinds,
    st.dictionaries(
        _field_names, _json_values | st.sampled_from(["2024-01-01", "07-02", "granted", "x"]), max_size=10
    ),
)


@_fuzz
@given(values=st.lists(_json_values | _shaped, min_size=1, max_size=8))
def test_arbitrary_json_values_never_raise_and_every_error_is_located(
    tmp_path: Path, values: list[object]
) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values), encoding="utf-8")

    for batch in (read_registry(path), read_listings(path)):
        _check_errors_are_located(batch.errors, path.name, len(values))
        assert batch.lines == len(values)
    registry = read_registry(path)
    assert len(registry.rights) + len(registry.licences) + len({e.line for e in registry.errors}) == len(
        values
    )
