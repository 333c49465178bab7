"""The review queue (人工判断): filtered, searched, sorted, keyset-paginated lists of leads, and their totals.

Fast at a million leads on SQLite and PostgreSQL because no page ever sorts or counts every
match:

* each query arm fixes one state (and one type / source when several are asked for), so an
  index whose tail is the sort key hands rows over in order; arms are merged with UNION ALL,
  each with its own LIMIT;
* pages continue from a cursor (the last row's sort key and id), never an OFFSET;
* the total of a filter on state, type and source is read from `lead_tallies` (deltas written
  by triggers, folded by the worker), exactly, however large; other filters are counted through their
  index up to COUNT_CAP + 1 matches: a total above COUNT_CAP is shown as "more than COUNT_CAP"
  (`Page.total_exact` is False) — reading 176,000 index entries to print one number was the slowest part
  of a page at a million leads. `exact=True` counts every match (the API's `total=exact`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.domain import LeadState, LeadType, ListingSource
from regional.models import LeadRow, ListingRow, RegistryRight, SellerRow
from regional.reports.periods import to_utc
from regional.review.search import MAX_QUERY, fts5_query, is_prefix, prefix_range, query_terms, stem
from regional.workflow_models import LeadSearch, LeadTally

DEFAULT_STATES = (LeadState.NEW, LeadState.NEED_INFO)  # leads awaiting judgement
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
DRIVE_THRESHOLD = 20_000  # matches above which a page walks the sort's index instead of sorting the matches
COUNT_CAP = DRIVE_THRESHOLD  # totals past this many matches (not read from the tallies) are shown as "more than"
MAX_SELLERS = 500  # sellers a seller filter may name before it must be narrowed


class Sort(StrEnum):
    """Orders the queue can be read in."""

    SCORE_DESC = "-score"
    SCORE_ASC = "score"
    NEWEST = "-created"
    OLDEST = "created"


REVERSED = {Sort.SCORE_DESC: Sort.SCORE_ASC, Sort.SCORE_ASC: Sort.SCORE_DESC, Sort.NEWEST: Sort.OLDEST,
            Sort.OLDEST: Sort.NEWEST}


class FilterError(ValueError):
    """A query parameter that cannot be used; names the parameter. The page says it in the reader's language from
    `problem` (as regional/web/queryargs.py does for the other lists: "choice", "date", "score", "range", "text",
    "order", "control"), the value given and the allowed values or limit; without one, by the parameter alone."""

    def __init__(self, param: str, message: str, *, value: str | None = None, problem: str | None = None,
                 allowed: tuple[str, ...] = (), limit: object = None, other: str | None = None) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.limit = limit
        self.other = other


@dataclass(frozen=True)
class Filters:
    """What the queue shows."""

    states: tuple[LeadState, ...] = DEFAULT_STATES
    types: tuple[LeadType, ...] = ()
    sources: tuple[ListingSource, ...] = ()
    score_min: float | None = None
    score_max: float | None = None  # exclusive, except 1.0 which includes a score of 1
    right: str | None = None
    seller: str | None = None
    date_from: dt.date | None = None  # a day in Beijing (China Standard Time), like every date an officer sees
    date_to: dt.date | None = None  # inclusive
    assigned: str | None = None  # a user name, or "-" for leads assigned to nobody
    q: str | None = None

    def only_tallied(self) -> bool:
        """Whether the filters touch only state, type and source (then totals come from the tallies)."""
        return not (self.score_min is not None or self.score_max is not None or self.right or self.seller
                    or self.date_from or self.date_to or self.assigned or self.q)

    def only_tallied_but_search(self) -> bool:
        """Whether search is the only filter besides state, type and source."""
        return bool(self.q) and replace(self, q=None).only_tallied()

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (for links that keep them)."""
        out: dict[str, str] = {}
        if self.states != DEFAULT_STATES:
            out["state"] = ",".join(s.value for s in self.states) or "all"
        if self.types:
            out["type"] = ",".join(t.value for t in self.types)
        if self.sources:
            out["source"] = ",".join(s.value for s in self.sources)
        for key in ("score_min", "score_max", "right", "seller", "assigned", "q"):
            value = getattr(self, key)
            if value is not None and value != "":
                out[key] = str(value)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        return out


def _enum_list(args: Mapping[str, str], name: str, enum: type[StrEnum]) -> tuple[Any, ...]:
    raw = (args.get(name) or "").strip()
    if not raw:
        return ()
    out = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(enum(part))
        except ValueError:
            raise FilterError(name, f"{part!r} is not one of {', '.join(m.value for m in enum)}", value=part[:40],
                              problem="choice", allowed=tuple(m.value for m in enum)) from None
    return tuple(dict.fromkeys(out))


def _score(args: Mapping[str, str], name: str) -> float | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise FilterError(name, f"{raw!r} is not a number", value=raw[:40], problem="score") from None
    if not 0.0 <= value <= 1.0:
        raise FilterError(name, "a score lies between 0 and 1", value=raw[:40], problem="score")
    return value


def _date(args: Mapping[str, str], name: str) -> dt.date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise FilterError(name, f"{raw!r} is not a date (YYYY-MM-DD)", value=raw[:40], problem="date") from None


def _text(args: Mapping[str, str], name: str, limit: int) -> str | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if len(raw) > limit:
        raise FilterError(name, f"at most {limit} characters", problem="text", limit=limit)
    if any(ord(ch) < 32 for ch in raw):
        raise FilterError(name, "control characters are not allowed", problem="control")
    return raw


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Filters from query parameters: state, type, source (comma lists), score_min, score_max,
    right, seller, from, to, assigned, q. `state=all` shows every state."""
    state_raw = (args.get("state") or "").strip()
    states = tuple(LeadState) if state_raw == "all" else (_enum_list(args, "state", LeadState) or DEFAULT_STATES)
    score_min, score_max = _score(args, "score_min"), _score(args, "score_max")
    if score_min is not None and score_max is not None and score_min > score_max:
        raise FilterError("score_min", "is above score_max", value=str(score_min), problem="order", other="score_max",
                          limit=str(score_max))
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError("from", "is after 'to'", value=date_from.isoformat(), problem="order", other="to",
                          limit=date_to.isoformat())
    return Filters(states=states, types=_enum_list(args, "type", LeadType),
                   sources=_enum_list(args, "source", ListingSource), score_min=score_min, score_max=score_max,
                   right=_text(args, "right", 64), seller=_text(args, "seller", 100), date_from=date_from,
                   date_to=date_to, assigned=_text(args, "assigned", 100), q=_text(args, "q", MAX_QUERY))


def parse_sort(value: str | None) -> Sort:
    """The sort order from a parameter (default: highest score first)."""
    if not value:
        return Sort.SCORE_DESC
    try:
        return Sort(value)
    except ValueError:
        raise FilterError("sort", f"{value!r} is not one of {', '.join(s.value for s in Sort)}", value=value[:40],
                          problem="choice", allowed=tuple(s.value for s in Sort)) from None


def parse_limit(value: str | None) -> int:
    """Page size from a parameter (1..MAX_LIMIT)."""
    if not value:
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        raise FilterError("limit", f"{value!r} is not a whole number", value=value[:40], problem="range",
                          limit=MAX_LIMIT) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError("limit", f"between 1 and {MAX_LIMIT}", value=value[:40], problem="range", limit=MAX_LIMIT)
    return limit


def parse_total(value: str | None) -> bool:
    """Whether a `total` parameter asks for an exact count past COUNT_CAP (`total=exact`; default: capped)."""
    if not value or value == "capped":
        return False
    if value == "exact":
        return True
    raise FilterError("total", f"{value!r} is not one of exact, capped", value=value[:40], problem="choice",
                      allowed=("exact", "capped"))


# ---------------------------------------------------------------- cursors


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the sort key and id of its last row."""

    sort: Sort
    key: float | str
    id: int

    def encode(self) -> str:
        """An opaque, URL-safe token."""
        raw = json.dumps([self.sort.value, self.key, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, sort: Sort) -> Cursor:
        """Read a token made by `encode` for the same sort order."""
        if len(token) > 200:
            raise FilterError("after", "not a cursor of this list")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            name, key, ident = json.loads(raw)
            cursor = cls(Sort(name), key, int(ident))
        except (ValueError, TypeError, json.JSONDecodeError):
            raise FilterError("after", "not a cursor of this list") from None
        if cursor.sort is not sort:
            raise FilterError("after", "the cursor belongs to another sort order")
        if sort in (Sort.SCORE_DESC, Sort.SCORE_ASC):
            if not isinstance(cursor.key, (int, float)) or isinstance(cursor.key, bool):
                raise FilterError("after", "not a cursor of this list")
        elif not isinstance(cursor.key, str):
            raise FilterError("after", "not a cursor of this list")
        return cursor


# ---------------------------------------------------------------- queries


@dataclass
class Page:
    """One page of the queue."""

    rows: list[dict[str, Any]]
    total: int
    next_cursor: str | None
    filters: Filters
    sort: Sort
    limit: int
    extra: dict[str, Any] = field(default_factory=dict)
    total_exact: bool = True  # False: more than `total` leads match (a capped count; see COUNT_CAP)
    prev_cursor: str | None = None  # `before` this cursor: the previous page (None on the first page)


def _sort_columns(sort: Sort) -> tuple[sa.ColumnElement[Any], bool]:
    column = LeadRow.score if sort in (Sort.SCORE_DESC, Sort.SCORE_ASC) else LeadRow.created_at
    return column, sort in (Sort.SCORE_DESC, Sort.NEWEST)


def _seller_ids(session: Session, text: str) -> list[int]:
    """Sellers a seller filter names: a credit code, a phone number, or part of a name."""
    compact = "".join(text.split())
    if len(compact) == 18 and compact.isalnum():
        stmt = sa.select(SellerRow.id).where(SellerRow.uscc == compact.upper())
    elif compact.replace("-", "").replace("+", "").isdigit() and len(compact) >= 7:
        stmt = sa.select(SellerRow.id).where(SellerRow.phone == compact)
    else:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = sa.select(SellerRow.id).where(SellerRow.name.like(f"%{escaped}%", escape="\\"))
    ids = list(session.scalars(stmt.limit(MAX_SELLERS + 1)))
    if len(ids) > MAX_SELLERS:
        raise FilterError("seller", f"names more than {MAX_SELLERS} sellers; give more of the name or a credit code")
    return ids


_LEAD_TERMS = sa.table("lead_terms", sa.column("term", sa.Text), sa.column("lead_id", sa.Integer))
MAX_POSTED_TERM = 200  # characters: longer terms are not in lead_terms (the migration's MAX_TERM)
JOINED_TERMS = 8  # terms joined in the posting table (the planner orders up to 8 joins); the rest rechecked


def _search_ids(session: Session, terms: list[str]) -> sa.Select[Any]:
    """The ids of leads whose search terms hold every term.

    SQLite: its FTS5 index. PostgreSQL: the posting table lead_terms (term, lead_id), one index-only scan
    per term joined on lead_id — the planner starts from the rarest term and probes the others' btree; no
    lead's row is read (see the migration 2026_11_30f_review_search_postings.py). A query of more than
    JOINED_TERMS terms joins its longest (rarest) ones and rechecks the rest against lead_search."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.select(sa.literal_column("rowid")).select_from(sa.text("lead_search_fts")).where(
            sa.text("lead_search_fts MATCH :fts").bindparams(fts=fts5_query(terms)))
    # prefix terms (at most search.MAX_PREFIXES) are always joined: the recheck below compares whole terms
    postable = sorted((t for t in terms if len(stem(t)) <= MAX_POSTED_TERM), key=lambda t: (not is_prefix(t),
                                                                                          -len(t)))
    joined = postable[:max(JOINED_TERMS, sum(1 for t in postable if is_prefix(t)))]
    rest = [t for t in terms if t not in joined]
    if not joined:  # only over-long terms (never from a query of MAX_QUERY characters): scan the terms
        return sa.select(LeadSearch.lead_id).where(
            sa.func.string_to_array(LeadSearch.terms, " ").op("@>")(sa.literal(rest, type_=_text_array())))
    first = _LEAD_TERMS.alias("p0")
    stmt = sa.select(first.c.lead_id).where(_posting(first, joined[0]))
    for n, term in enumerate(joined[1:], 1):
        other = _LEAD_TERMS.alias(f"p{n}")
        stmt = stmt.join(other, sa.and_(other.c.lead_id == first.c.lead_id, _posting(other, term)))
    if rest:
        stmt = stmt.join(LeadSearch, LeadSearch.lead_id == first.c.lead_id).where(
            sa.func.string_to_array(LeadSearch.terms, " ").op("@>")(sa.literal(rest, type_=_text_array())))
    if any(is_prefix(t) for t in joined):  # a lead holding two words a prefix begins is one match
        stmt = stmt.distinct()
    return stmt


def _posting(alias: Any, term: str) -> sa.ColumnElement[bool]:
    """A posting of `term`: the term itself, or for a prefix term the range of terms it begins (an index range of
    the posting key, collated "C")."""
    if not is_prefix(term):
        return alias.c.term == term  # type: ignore[no-any-return]
    low, high = prefix_range(term)
    return sa.and_(alias.c.term >= low, alias.c.term < high)


_SEARCH_CACHE = "hufu_review_search_ids"
ID_LIST_CAP = COUNT_CAP  # PostgreSQL: a search's matching ids are fetched once per request up to this many


def _search_id_list(session: Session, terms: list[str]) -> list[int] | None:
    """PostgreSQL: the ids of the leads a search matches, fetched once per session (the count and each state's arm
    then look them up by primary key instead of joining the postings again); None past ID_LIST_CAP."""
    cache: dict[tuple[str, ...], list[int] | None] | None = session.info.get(_SEARCH_CACHE)  # set by list_page
    key = tuple(terms)
    if cache is not None and key in cache:
        return cache[key]
    ids = list(session.connection().scalars(_search_ids(session, terms).limit(ID_LIST_CAP + 1)))
    found = ids if len(ids) <= ID_LIST_CAP else None
    if cache is not None:
        cache[key] = found
    return found


def _int_array(ids: list[int]) -> Any:
    from sqlalchemy.dialects.postgresql import ARRAY

    return sa.bindparam(None, ids, type_=ARRAY(sa.Integer))


def _probe_terms(terms: list[str]) -> sa.ColumnElement[bool] | None:
    """PostgreSQL, for a walk: whether the walked lead holds every term, as a correlated count of its postings
    (one primary-key probe per term and lead). A scalar subquery is never turned into a join, so the planner
    keeps walking the sort's index and stops after a page instead of joining every match (a semi-join of a common
    word's 28,663 postings read the whole score index: 1.1 s). None if a term is too long to be posted."""
    if any(len(stem(t)) > MAX_POSTED_TERM for t in terms):
        return None
    whole = [t for t in terms if not is_prefix(t)]
    conditions: list[sa.ColumnElement[bool]] = []
    if whole:
        posting = _LEAD_TERMS.alias("probe")
        held = (sa.select(sa.func.count()).select_from(posting)
                .where(posting.c.lead_id == LeadRow.id, posting.c.term.in_(whole)).scalar_subquery())
        conditions.append(held == len(whole))
    for n, term in enumerate(t for t in terms if is_prefix(t)):  # one posting in the term's range, probed
        posting = _LEAD_TERMS.alias(f"probe{n + 1}")
        conditions.append(sa.select(posting.c.lead_id).where(posting.c.lead_id == LeadRow.id, _posting(posting, term))
                          .limit(1).scalar_subquery().is_not(None))
    return sa.and_(*conditions)


def _text_array() -> Any:
    from sqlalchemy.dialects.postgresql import ARRAY

    return ARRAY(sa.Text)


def _opaque(column: Any) -> Any:
    """The column as an expression no index serves (coalesce(x, x)): the walk then follows the sort's index."""
    return sa.func.coalesce(column, column)


def _hides_filters(session: Session) -> bool:
    """Whether a walk must hide its filters from the planner (`_opaque`) to make it follow the sort's index.

    SQLite: yes — its planner, without histograms, takes a selective-looking filter's index and sorts.
    PostgreSQL: no — it costs `ORDER BY … LIMIT` walks from its statistics and picks the walk itself when many
    rows match; hiding the filters there would hand it default selectivities (an IN list on an expression: 0.5%
    per value) under which it believes nearly nothing matches, and it would scan and sort the table instead
    (a walk of 11 ms became 1.6 s at a million leads).
    """
    return session.get_bind().dialect.name == "sqlite"


def _conditions(session: Session, f: Filters, *, drive: Sort | None = None) -> list[sa.ColumnElement[bool]] | None:
    """WHERE terms common to every arm (None: the filters can match nothing).

    With `drive`, every term except a range on that sort's own key is written so that no index can
    serve it: the page is then an ordered walk of the sort's index, filtered as it goes — the plan
    to take when many leads match (`list_page` decides from the total).
    """
    opaque = drive is not None and _hides_filters(session)

    def col(column: Any, is_sort_key: bool = False) -> Any:
        return _opaque(column) if opaque and not is_sort_key else column

    by_score = drive in (Sort.SCORE_DESC, Sort.SCORE_ASC)
    out: list[sa.ColumnElement[bool]] = []
    score = col(LeadRow.score, by_score)
    if f.score_min is not None:
        out.append(score >= f.score_min)
    if f.score_max is not None:
        out.append(score <= 1.0 if f.score_max >= 1.0 else score < f.score_max)
    if f.right:
        out.append(col(LeadRow.right_number) == f.right)
    if f.seller:
        ids = _seller_ids(session, f.seller)
        if not ids:
            return None
        out.append(col(LeadRow.seller_id).in_(ids))
    created = col(LeadRow.created_at, drive in (Sort.NEWEST, Sort.OLDEST))
    if f.date_from:  # Beijing days, as everywhere else (reports, dashboards, audit): from 16:00 UTC the day before
        out.append(created >= to_utc(f.date_from))
    if f.date_to:
        out.append(created < to_utc(f.date_to + dt.timedelta(days=1)))
    if f.assigned:
        if f.assigned == "-":
            out.append(LeadRow.assigned_to.is_(None))
        else:
            out.append(col(LeadRow.assigned_to) == f.assigned)
    if f.q:
        terms = query_terms(f.q)
        if not terms:
            return None
        if session.get_bind().dialect.name == "postgresql":
            probe = _probe_terms(terms) if drive is not None else None
            if probe is not None:  # a walk: probe each walked lead's postings
                out.append(probe)
                return out
            matches = _search_id_list(session, terms) if drive is None else None
            if matches is not None:  # few enough: look the matches up by primary key
                if not matches:
                    return None
                out.append(LeadRow.id == sa.any_(_int_array(matches)))
                return out
        # SQLite (FTS5): a walk keeps the search hidden, else its planner fetches and sorts every match
        search_id = _opaque(LeadRow.id) if drive is not None else LeadRow.id
        out.append(search_id.in_(_search_ids(session, terms)))
    return out


def _effective(f: Filters) -> tuple[tuple[LeadState, ...], tuple[LeadType, ...], tuple[ListingSource, ...]]:
    """The state, type and source lists that restrict anything (a list naming every value restricts nothing)."""
    states = () if set(f.states) == set(LeadState) else f.states
    types = () if set(f.types) == set(LeadType) else f.types
    sources = () if set(f.sources) == set(ListingSource) else f.sources
    return states, types, sources


def _arms(f: Filters, walk: bool = False) -> list[dict[str, Any]]:
    """One dict of fixed equalities per arm: each state, and each type / source when several are asked.

    A walk (many matches) has one arm per state only: the sort's index is (state, key), and an arm per
    type x source would walk far for its rare combinations (need_info x design x customs)."""
    states_, types_, sources_ = _effective(f)
    states: Sequence[LeadState | None] = states_ or [None]
    types: Sequence[LeadType | None] = types_ if len(types_) > 1 and not walk else [None]
    sources: Sequence[ListingSource | None] = sources_ if len(sources_) > 1 and not walk else [None]
    out = []
    for state in states:
        for t in types:
            for s in sources:
                out.append({"state": state, "type": t, "source": s})
    return out


def _arm_where(arm: dict[str, Any], f: Filters, opaque: bool = False) -> list[sa.ColumnElement[bool]]:
    _states, types, sources = _effective(f)
    hide = _opaque if opaque else (lambda column: column)
    out: list[sa.ColumnElement[bool]] = []
    if arm["state"] is not None:
        out.append(LeadRow.state == arm["state"])
    if arm["type"] is not None:
        out.append(LeadRow.type == arm["type"])
    elif len(types) == 1:
        out.append(LeadRow.type == types[0])
    elif types:
        out.append(hide(LeadRow.type).in_(types))  # a walk: filtered as the index is walked
    if arm["source"] is not None:
        out.append(LeadRow.source == arm["source"])
    elif len(sources) == 1:
        out.append(LeadRow.source == sources[0])
    elif sources:
        out.append(hide(LeadRow.source).in_(sources))
    return out


def _key_of(value: Any, sort: Sort) -> float | str:
    if sort in (Sort.SCORE_DESC, Sort.SCORE_ASC):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    return str(value)


def _cursor_value(cursor: Cursor) -> Any:
    if cursor.sort in (Sort.SCORE_DESC, Sort.SCORE_ASC):
        return float(cursor.key)
    try:
        return dt.datetime.fromisoformat(str(cursor.key))
    except ValueError:
        raise FilterError("after", "not a cursor of this list") from None


def page_ids(session: Session, f: Filters, sort: Sort, limit: int, after: Cursor | None,
             walk: bool = False) -> list[tuple[int, Any]]:
    """(id, sort key) of one page of leads, in order; `walk`: follow the sort's index (many matches)."""
    common = _conditions(session, f, drive=sort if walk else None)
    if common is None or not f.states:
        return []
    column, desc = _sort_columns(sort)
    keyset: list[sa.ColumnElement[bool]] = []
    if after is not None:
        pair = sa.tuple_(column, LeadRow.id)
        bound = sa.tuple_(sa.literal(_cursor_value(after), type_=column.type), sa.literal(after.id))
        keyset.append(pair < bound if desc else pair > bound)
    order = (column.desc(), LeadRow.id.desc()) if desc else (column.asc(), LeadRow.id.asc())
    opaque = walk and _hides_filters(session)
    arms = [sa.select(LeadRow.id.label("id"), column.label("k")).where(*_arm_where(arm, f, opaque), *common, *keyset)
            .order_by(*order).limit(limit) for arm in _arms(f, walk)]
    if len(arms) == 1:
        stmt: Any = arms[0]
    else:
        union = sa.union_all(*[a.subquery().select() for a in arms]).subquery()
        stmt = sa.select(union.c.id, union.c.k).order_by(
            *((union.c.k.desc(), union.c.id.desc()) if desc else (union.c.k.asc(), union.c.id.asc()))).limit(limit)
    return [(int(i), k) for i, k in session.connection().execute(stmt)]


def _counted(session: Session, rows: sa.Select[Any], cap: int | None) -> int:
    """How many rows `rows` selects; with `cap`, at most cap + 1 of them are read (a LIMIT inside the count)."""
    if cap is not None:
        rows = rows.limit(cap + 1)
    return int(session.connection().scalar(sa.select(sa.func.count()).select_from(rows.subquery())) or 0)


def count(session: Session, f: Filters, cap: int | None = None) -> int:
    """How many leads the filters select: from the tallies when the filters allow it (exact, whatever the
    size), else counted through an index — with `cap`, reading at most cap + 1 matches (a result above `cap`
    then means "more than cap")."""
    if not f.states:
        return 0
    if f.only_tallied():
        stmt = sa.select(sa.func.coalesce(sa.func.sum(LeadTally.n), 0)).where(
            LeadTally.state.in_([s.value for s in f.states]))
        if f.types:
            stmt = stmt.where(LeadTally.type.in_([t.value for t in f.types]))
        if f.sources:
            stmt = stmt.where(LeadTally.source.in_([s.value for s in f.sources]))
        return int(session.connection().scalar(stmt) or 0)
    states, types, sources = _effective(f)
    if f.q and not (states or types or sources) and f.only_tallied_but_search():
        terms = query_terms(f.q)
        if not terms:
            return 0
        # counted on the server (PostgreSQL: the postings' join, index-only); the ids are not fetched: when this many
        # match, the page walks the sort's index and probes postings instead
        return _counted(session, _search_ids(session, terms), cap)
    common = _conditions(session, f)
    if common is None:
        return 0
    # a count needs no order: one query with IN lists, whichever index the planner picks
    where = list(common)
    if states:
        where.append(LeadRow.state.in_(states) if len(states) > 1 else LeadRow.state == states[0])
    if types:
        where.append(LeadRow.type.in_(types) if len(types) > 1 else LeadRow.type == types[0])
    if sources:
        where.append(LeadRow.source.in_(sources) if len(sources) > 1 else LeadRow.source == sources[0])
    return _counted(session, sa.select(LeadRow.id).where(*where), cap)


def rows_for(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The queue's row for each lead id, in the order given (plain columns: no ORM objects to build)."""
    if not ids:
        return []
    found = session.connection().execute(  # Core, not the ORM: plain rows are all a list needs
        sa.select(LeadRow.id, LeadRow.uuid, LeadRow.type, LeadRow.score, LeadRow.right_number, LeadRow.listing_id,
                  LeadRow.source, LeadRow.state, LeadRow.assigned_to, LeadRow.created_at, LeadRow.judged_at,
                  LeadRow.judged_by, LeadRow.model_version, LeadRow.reasons, ListingRow.title, ListingRow.url,
                  ListingRow.price, ListingRow.currency, ListingRow.platform, SellerRow.name, SellerRow.uscc,
                  RegistryRight.title.label("right_title"), RegistryRight.owner)
        .join(ListingRow, LeadRow.listing_id == ListingRow.id)
        .outerjoin(SellerRow, LeadRow.seller_id == SellerRow.id)
        .outerjoin(RegistryRight, RegistryRight.number == LeadRow.right_number)
        .where(LeadRow.id.in_(list(ids)))).all()
    by_id = {}
    for r in found:
        by_id[r.id] = {
            "uuid": r.uuid, "type": r.type.value, "score": round(r.score, 4), "right": r.right_number,
            "right_title": r.right_title, "right_owner": r.owner, "title": r.title, "listing_id": r.listing_id,
            "url": r.url, "price": r.price, "currency": r.currency, "platform": r.platform, "seller": r.name,
            "seller_uscc": r.uscc, "source": r.source.value, "state": r.state.value, "assigned_to": r.assigned_to,
            "detected_at": _key_of(r.created_at, Sort.NEWEST),
            "judged_at": _key_of(r.judged_at, Sort.NEWEST) if r.judged_at else None,
            "judged_by": r.judged_by, "model_version": r.model_version, "reasons": list(r.reasons or []),
        }
    return [by_id[i] for i in ids if i in by_id]


def served_in_order(f: Filters, sort: Sort) -> bool:
    """Whether one of the filters has an index whose tail is the sort key, so that its matches come out of
    the index already in order (a page is then `limit` index entries, however many match)."""
    if sort in (Sort.SCORE_DESC, Sort.SCORE_ASC):
        return bool(f.types or f.sources or f.score_min is not None or f.score_max is not None or f.right
                    or f.seller or f.assigned)
    return bool(f.date_from or f.date_to)  # (state, created_at, id)


def _should_walk(session: Session, f: Filters, sort: Sort, limit: int, total: int) -> bool:
    """The plan of a page: start from the most selective filter and sort its matches, or walk the sort's index
    and filter as it goes.

    Sorting reads every match (`total` rows, each fetched for its sort key); a walk reads about
    limit x population / total rows (matches spread evenly over the order). So a filter no index serves in the
    sort's order (a date range by score, a search, any filter by date) walks once total > sqrt(limit x
    population) — for a page of 50 among 650,000 leads awaiting judgement, above ~5,700 matches. Filters whose
    own index is in order never sort; those walk only past DRIVE_THRESHOLD matches (where a combination of them
    may make the planner pick a poor index)."""
    if f.only_tallied():
        return False
    if total > DRIVE_THRESHOLD:
        return True
    if served_in_order(f, sort) or total == 0:
        return False
    population = count(session, Filters(states=f.states))
    return total * total > limit * population


def list_page(session: Session, f: Filters, sort: Sort = Sort.SCORE_DESC, limit: int = DEFAULT_LIMIT,
              after: str | None = None, with_total: bool = True, exact: bool = False, cap: int = COUNT_CAP,
              before: str | None = None) -> Page:
    """One page of the queue with its total and the cursor of the next page.

    The total is exact when the tallies hold it or at most `cap` leads match; otherwise it is `cap` with
    `total_exact` False ("more than 20,000"), unless `exact` asks for every match to be counted. The pages are exact
    either way: they follow keyset cursors, not the total. `before` (a page's `prev_cursor`) reads the page that ends
    just before that row — the same index walked the other way; near the start it is the first page."""
    if after and before:
        raise FilterError("before", "give either after or before, not both")
    cursor = Cursor.decode(after, sort) if after else None
    try:
        back = Cursor.decode(before, sort) if before else None
    except FilterError as exc:  # named after the parameter it came in
        raise FilterError("before", str(exc).partition(": ")[2]) from None
    session.info[_SEARCH_CACHE] = {}  # a search's matches are looked up once for the total and every arm
    try:
        total = count(session, f, cap=None if exact else cap)
        capped = not exact and not f.only_tallied() and total > cap  # tallied totals are exact at any size
        # more than `cap` matches (20,000 by default) is "many" for the plan choice: walk the sort's index
        walk = _should_walk(session, f, sort, limit + 1, max(total, DRIVE_THRESHOLD + 1) if capped else total)
        earlier: list[tuple[int, Any]] = []
        if back is not None:  # the rows before `back`, nearest first, then put in the page's order
            rsort = REVERSED[sort]
            earlier = page_ids(session, f, rsort, limit + 1, Cursor(rsort, back.key, back.id), walk=walk)
        if len(earlier) > limit:
            got = earlier[:limit][::-1]
            more, has_prev = True, True
        else:  # nothing before back, or no more than a page: that is the first page
            got = page_ids(session, f, sort, limit + 1, cursor, walk=walk)
            more, has_prev = len(got) > limit, cursor is not None
            got = got[:limit]
    finally:
        session.info.pop(_SEARCH_CACHE, None)
    next_cursor = Cursor(sort, _key_of(got[-1][1], sort), got[-1][0]).encode() if more and got else None
    prev_cursor = Cursor(sort, _key_of(got[0][1], sort), got[0][0]).encode() if has_prev and got else None
    rows = rows_for(session, [i for i, _k in got])
    return Page(rows, (cap if capped else total) if with_total else -1, next_cursor, f, sort, limit,
                total_exact=not capped, prev_cursor=prev_cursor)


def with_states(f: Filters, states: Sequence[LeadState]) -> Filters:
    """The same filters for other states."""
    return replace(f, states=tuple(states))


# ---------------------------------------------------------------- upkeep


def fold_tallies(session: Session) -> int:
    """Fold the tally deltas into one row per key; returns how many rows were folded.

    Only the rows this transaction deleted are summed (DELETE … RETURNING), so two folds racing
    on PostgreSQL can never count a delta twice.
    """
    deleted = session.execute(sa.delete(LeadTally).returning(LeadTally.state, LeadTally.type, LeadTally.source,
                                                             LeadTally.n)).all()
    sums: dict[tuple[str, str, str], int] = {}
    for state, type_, source, n in deleted:
        sums[(state, type_, source)] = sums.get((state, type_, source), 0) + int(n)
    rows = [{"state": s, "type": t, "source": src, "n": n} for (s, t, src), n in sums.items() if n != 0]
    if rows:
        session.execute(sa.insert(LeadTally), rows)
    return len(deleted)


def recount(session: Session) -> dict[str, int]:
    """Rebuild the tallies from the leads themselves (repair; the triggers keep them right otherwise)."""
    session.execute(sa.delete(LeadTally))
    counts = session.execute(sa.select(LeadRow.state, LeadRow.type, LeadRow.source, sa.func.count())
                             .group_by(LeadRow.state, LeadRow.type, LeadRow.source)).all()
    rows = [{"state": s.value, "type": t.value, "source": src.value, "n": int(n)} for s, t, src, n in counts]
    if rows:
        session.execute(sa.insert(LeadTally), rows)
    return {f"{r['state']}/{r['type']}/{r['source']}": r["n"] for r in rows}
