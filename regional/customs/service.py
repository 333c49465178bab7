"""Import and export (进出口): the use cases over the database — imports, the screening hook, warnings, exports.

Thin: the rules are in regional/customs/core.py. Every import is all or nothing, names each bad
record by line and field, and leaves an audit entry (also when refused).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from regional.actors import ADMIN, OFFICER, SUPERVISOR, Actor, audit
from regional.customs import core
from regional.customs.core import CustomsError
from regional.customs.models import CustomsDeclaration, CustomsRecordation, ExportProductRow, ForeignRightRow
from regional.domain import LeadFinding, Licence, Listing, ListingSource
from regional.formats.cells import as_text, csv_cell
from regional.formats.checked import read_checked
from regional.formats.csvfile import Column, _index
from regional.formats.errors import ImportFileError, RecordError, invalid_records
from regional.formats.messages import say
from regional.formats.source import DEFAULT_LIMITS, ReadLimits
from regional.models import ImportRun, LicenceRow, RegistryRight
from sync.cas import file_sha256

DECLARATION_COLUMNS = _index([
    Column("declaration_no", aliases=("报关单号", "报关单编号", "number"), required=True),
    Column("direction", aliases=("进出口", "进出口标志", "进出口类型"), required=True),
    Column("port", aliases=("口岸", "申报口岸", "进出境关别", "关别"), required=True),
    Column("hs_code", aliases=("商品编码", "hs编码", "税则号列"), required=True),
    Column("goods", aliases=("商品名称", "货物描述", "品名"), required=True),
    Column("brand", aliases=("品牌", "商标")),
    Column("quantity", "number", ("数量", "成交数量")),
    Column("unit", aliases=("单位", "成交单位", "计量单位")),
    Column("value", "number", ("总价", "货值", "申报总价")),
    Column("currency", aliases=("币制", "币种")),
    Column("consignor.name", aliases=("发货人", "境内发货人", "境外发货人", "发货人名称")),
    Column("consignor.uscc", aliases=("发货人统一社会信用代码", "发货人信用代码")),
    Column("consignee.name", aliases=("收货人", "境内收货人", "境外收货人", "收货人名称")),
    Column("consignee.uscc", aliases=("收货人统一社会信用代码", "收货人信用代码")),
    Column("origin_country", aliases=("原产国", "启运国", "原产国（地区）")),
    Column("destination_country", aliases=("目的国", "运抵国", "最终目的国", "运抵国（地区）")),
    Column("declared_on", "date", ("申报日期",)),
])
RECORDATION_COLUMNS = _index([
    Column("number", aliases=("备案号", "海关备案号"), required=True),
    Column("right", aliases=("权利号", "注册号", "专利号"), required=True),
    Column("holder", aliases=("权利人",), required=True),
    Column("mark", aliases=("商标", "备案商标", "标识")),
    Column("valid_until", "date", ("有效期至", "备案有效期")),
    Column("licensees", aliases=("被许可人", "授权使用人")),
])
FOREIGN_COLUMNS = _index([
    Column("country", aliases=("国家", "国家或地区", "法域"), required=True),
    Column("kind", "kind", ("类型", "权利类型")),
    Column("number", aliases=("注册号", "专利号", "编号"), required=True),
    Column("title", aliases=("商标", "名称", "标识", "专利名称"), required=True),
    Column("owner", aliases=("权利人", "注册人", "专利权人"), required=True),
    Column("nice_classes", "int_list", ("尼斯分类", "类别", "商品类别")),
    Column("ipc", "list", ("ipc", "ipc分类")),
    Column("claims", aliases=("权利要求", "权利要求1")),
    Column("valid_until", "date", ("有效期至", "到期日")),
])
PRODUCT_COLUMNS = _index([
    Column("code", aliases=("产品编号", "编号"), required=True),
    Column("name", aliases=("产品名称", "名称"), required=True),
    Column("brand", aliases=("品牌", "商标")),
    Column("hs_code", aliases=("商品编码", "hs编码")),
    Column("nice_classes", "int_list", ("尼斯分类", "商品类别")),
    Column("description", aliases=("描述", "产品描述", "技术特征")),
    Column("exporter", aliases=("出口企业", "企业")),
    Column("destinations", aliases=("目标市场", "出口市场", "目的国")),
])

# a file uploaded on the customs pages (/customs, /customs/warnings), as sent: their forms say it and their check
# uses it (docs/formats.md "Customs declarations"); the command line reads files up to the general limits
# (regional/formats/source.py ReadLimits: 1 GiB uncompressed, 500,000 records)
WEB_UPLOAD_BYTES = 32 << 20


@dataclass
class ImportOutcome:
    """What an import stored, or (then nothing was stored) the errors with a reason code each."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # records stored before exactly as the file has them (a file imported again)
    errors: list[RecordError] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)


def _run(session: Session, kind: str, path: Path, records: int, actor: Actor, now: dt.datetime,
         shown: str | None = None) -> ImportRun:
    run = ImportRun(kind=kind, file_name=(shown or str(path))[:500], sha256=file_sha256(path), records=records,
                    actor=actor.name, at=now)
    session.add(run)
    session.flush()
    return run


def _refused(db: Any, kind: str, shown: str, outcome: ImportOutcome, actor: Actor, now: dt.datetime) -> ImportOutcome:
    with db.transaction() as session:
        audit(session, actor, f"import_{kind}_rejected", now, file=shown, errors=len(outcome.errors),
              records=invalid_records(outcome.errors), first=[str(e) for e in outcome.errors[:5]], first_parts=[e.parts() for e in outcome.errors[:5]])
    outcome.kind = kind
    return outcome


def _unreadable(db: Any, kind: str, shown: str, exc: ImportFileError, actor: Actor, now: dt.datetime) -> None:
    """A file that cannot be read at all leaves an audit entry too (as the listings and registry imports do), naming
    the file as handed in (`shown`: a web upload's own name, not the server's copy)."""
    parts = {**exc.parts(), "file": shown}
    where = f"{shown}:{exc.line}" if exc.line is not None else shown
    with db.transaction() as session:
        audit(session, actor, f"import_{kind}_unreadable", now, file=shown, reason=f"{where}: {exc.reason}",
              line=exc.line, reason_parts=parts)


Items = list[tuple[int, Any]]  # (line, checked record)
# stores the checked records of a file (counting created/updated in the outcome); returns extra audit detail
Store = Callable[[Session, Items, ImportOutcome, "ImportRun | None", Path, dt.datetime], Mapping[str, Any]]


@dataclass(frozen=True)
class _Kind:
    """One kind of customs file: who may import it, its columns and rule, what names a record, how it is stored."""

    name: str  # the import run's kind; audited as import_<name> and import_<name>_rejected
    roles: tuple[str, ...]
    columns: Mapping[str, Column]
    check: Callable[[Mapping[str, Any]], Any]
    key: str  # the field a record is named by
    identity: Callable[[Any], str]  # two records of one identity in a file are an error
    store: Store


def _import(db: Any, kind: _Kind, path: Path, actor: Actor, now: dt.datetime, *, fmt: str | None, encoding: str,
            limits: ReadLimits, shown: str | None = None) -> ImportOutcome:
    """Import a file of `kind`, all or nothing: every bad record named (then nothing is stored and the refusal
    is audited), else every record stored in one transaction and the import audited with its counts. A file that
    cannot be read is audited and raises ImportFileError. `shown`: the file's name in the audit log and the import
    run (a web upload's own name; default: `path`)."""
    actor.require(*kind.roles)
    path = Path(path)
    shown = shown or str(path)
    try:
        read = read_checked(path, kind.columns, kind.check, CustomsError, key=kind.key, fmt=fmt, encoding=encoding,
                            limits=limits, identity=kind.identity)
    except ImportFileError as exc:  # a web upload (named `shown`) is told the form's choices, not the CLI's flags
        _unreadable(db, kind.name, shown, exc if shown == str(path) else exc.on_the_web(), actor, now)
        raise
    outcome = ImportOutcome(kind=kind.name, errors=read.errors, reasons=read.reasons, warnings=read.warnings)
    if outcome.errors:
        return _refused(db, kind.name, shown, outcome, actor, now)
    with db.transaction() as session:
        run = _run(session, kind.name, path, len(read.items), actor, now, shown)  # file name, sha256, records
        extra = kind.store(session, read.items, outcome, run, path, now)
        audit(session, actor, f"import_{kind.name}", now, file=shown, created=outcome.created,
              updated=outcome.updated, **({"unchanged": outcome.unchanged} if outcome.unchanged else {}), **extra)
    return outcome


def _store_declarations(session: Session, items: Items, outcome: ImportOutcome, run: ImportRun | None, path: Path,
                        now: dt.datetime) -> Mapping[str, Any]:
    """Each declaration becomes a record the worker screens."""
    from regional import services

    assert run is not None
    declarations: list[core.Declaration] = [d for _, d in items]
    for offset in range(0, len(declarations), 1000):
        chunk = declarations[offset:offset + 1000]
        existing = {r.number: r for r in session.scalars(sa.select(CustomsDeclaration).where(
            CustomsDeclaration.number.in_([d.number for d in chunk])))}
        for d in chunk:
            row = existing.get(d.number)
            values = {"direction": d.direction, "port": d.port, "hs_code": d.hs_code, "goods": d.goods,
                      "brand": d.brand, "quantity": d.quantity, "unit": d.unit, "value": d.value,
                      "currency": d.currency, "consignor_name": d.consignor.name, "consignor_uscc": d.consignor.uscc,
                      "consignee_name": d.consignee.name, "consignee_uscc": d.consignee.uscc,
                      "origin_country": d.origin_country, "destination_country": d.destination_country,
                      "declared_on": d.declared_on}
            if row is None:
                row = CustomsDeclaration(number=d.number, listing_id=core.listing_id(d.number))
                session.add(row)
                outcome.created += 1
            elif not _differs(row, values):
                outcome.unchanged += 1
                continue
            else:
                outcome.updated += 1
            _apply(row, values)
            row.import_id, row.imported_at = run.id, now
        session.flush()
    services.store_listings(session, [core.declaration_listing(d) for d in declarations], run_id=run.id, now=now)
    return {}


def _differs(row: Any, values: Mapping[str, Any]) -> bool:
    """Whether storing `values` would change the stored row (newcomer15 F22: a file imported again unchanged was
    counted "updated" record by record)."""
    return any(getattr(row, name) != value for name, value in values.items())


def _apply(row: Any, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)


def _store_recordations(session: Session, items: Items, outcome: ImportOutcome, run: ImportRun | None, path: Path,
                        now: dt.datetime) -> Mapping[str, Any]:
    """A right not in the registry is a warning."""
    assert run is not None
    known = set(session.scalars(sa.select(RegistryRight.number).where(
        RegistryRight.number.in_({r.right for _, r in items}))))
    existing = {r.number: r for r in session.scalars(sa.select(CustomsRecordation))}
    for line, r in items:
        if r.right not in known:
            outcome.warnings.append(RecordError.of(path.name, line, r.number, "right", say("unknown_right", right=r.right)))
        row = existing.get(r.number)
        values = {"right_number": r.right, "holder": r.holder, "mark": r.mark, "valid_until": r.valid_until,
                  "licensees": [{"name": p.name, "uscc": p.uscc} for p in r.licensees]}
        if row is None:
            row = CustomsRecordation(number=r.number)
            session.add(row)
            outcome.created += 1
        elif not _differs(row, values):
            outcome.unchanged += 1
            continue
        else:
            outcome.updated += 1
        _apply(row, values)
        row.import_id = run.id
    return {"warnings": len(outcome.warnings)}


def _store_foreign_rights(session: Session, items: Items, outcome: ImportOutcome, run: ImportRun | None, path: Path,
                          now: dt.datetime) -> Mapping[str, Any]:
    assert run is not None
    existing = {(r.country, r.number): r for r in session.scalars(sa.select(ForeignRightRow))}
    for _line, r in items:
        row = existing.get((r.country, r.number))
        values = {"kind": r.kind, "title": r.title, "owner": r.owner, "nice_classes": list(r.nice_classes),
                  "ipc": list(r.ipc), "claims": r.claims, "valid_until": r.valid_until}
        if row is None:
            row = ForeignRightRow(country=r.country, number=r.number)
            session.add(row)
            outcome.created += 1
        elif not _differs(row, values):
            outcome.unchanged += 1
            continue
        else:
            outcome.updated += 1
        _apply(row, values)
        row.import_id = run.id
    return {}


def _store_products(session: Session, items: Items, outcome: ImportOutcome, run: ImportRun | None, path: Path,
                    now: dt.datetime) -> Mapping[str, Any]:
    """A product code again updates it."""
    for _line, p in items:
        created = save_product(session, p, now)
        outcome.created += int(created)
        outcome.updated += int(not created)
    return {}


DECLARATIONS = _Kind("declarations", (OFFICER, SUPERVISOR, ADMIN), DECLARATION_COLUMNS, core.check_declaration,
                     "declaration_no", lambda d: str(d.number), _store_declarations)
RECORDATIONS = _Kind("recordations", (SUPERVISOR, ADMIN), RECORDATION_COLUMNS, core.check_recordation, "number",
                     lambda r: str(r.number), _store_recordations)
FOREIGN_RIGHTS = _Kind("foreign_rights", (SUPERVISOR, ADMIN), FOREIGN_COLUMNS, core.check_foreign_right, "number",
                       lambda r: f"{r.country}:{r.number}", _store_foreign_rights)
# a file of key export products keeps its import run like every other file (the form adds one product at a time)
EXPORT_PRODUCTS = _Kind("export_products", (SUPERVISOR, ADMIN), PRODUCT_COLUMNS, core.check_export_product, "code",
                        lambda p: str(p.code), _store_products)


def import_declarations(db: Any, path: Path, actor: Actor, now: dt.datetime, *, fmt: str | None = None,
                        encoding: str = "utf-8", shown: str | None = None,
                        limits: ReadLimits = DEFAULT_LIMITS) -> ImportOutcome:
    """Import customs declarations (all or nothing); each becomes a record the worker screens."""
    return _import(db, DECLARATIONS, path, actor, now, fmt=fmt, encoding=encoding, limits=limits,
                   shown=shown)


def import_recordations(db: Any, path: Path, actor: Actor, now: dt.datetime, *, fmt: str | None = None,
                        encoding: str = "utf-8", shown: str | None = None) -> ImportOutcome:
    """Import customs recordations (all or nothing); a right not in the registry is a warning."""
    return _import(db, RECORDATIONS, path, actor, now, fmt=fmt, encoding=encoding, limits=DEFAULT_LIMITS,
                   shown=shown)


def import_foreign_rights(db: Any, path: Path, actor: Actor, now: dt.datetime, *, fmt: str | None = None,
                          encoding: str = "utf-8", shown: str | None = None) -> ImportOutcome:
    """Import the registry of foreign rights (all or nothing)."""
    return _import(db, FOREIGN_RIGHTS, path, actor, now, fmt=fmt, encoding=encoding, limits=DEFAULT_LIMITS,
                   shown=shown)


def import_products(db: Any, path: Path, actor: Actor, now: dt.datetime, *, fmt: str | None = None,
                    encoding: str = "utf-8", shown: str | None = None) -> ImportOutcome:
    """Import the key export products (all or nothing; a product code again updates it)."""
    return _import(db, EXPORT_PRODUCTS, path, actor, now, fmt=fmt, encoding=encoding, limits=DEFAULT_LIMITS,
                   shown=shown)


def save_product(session: Session, p: core.ExportProduct, now: dt.datetime) -> bool:
    """Insert or update one key export product; True when new."""
    row = session.scalar(sa.select(ExportProductRow).where(ExportProductRow.code == p.code))
    created = row is None
    if row is None:
        row = ExportProductRow(code=p.code)
        session.add(row)
    row.name, row.brand, row.hs_code, row.nice_classes = p.name, p.brand, p.hs_code, list(p.nice_classes)
    row.description, row.exporter, row.destinations, row.updated_at = (p.description, p.exporter,
                                                                       list(p.destinations), now)
    return created


def add_product(session: Session, values: Mapping[str, Any], actor: Actor, now: dt.datetime) -> ExportProductRow:
    """Add or change one key export product from a form."""
    actor.require(SUPERVISOR, ADMIN)
    p = core.check_export_product(values)
    created = save_product(session, p, now)
    audit(session, actor, "export_product_saved", now, code=p.code, created=created,
          after={"name": p.name, "brand": p.brand, "destinations": list(p.destinations)})
    return session.scalar(sa.select(ExportProductRow).where(ExportProductRow.code == p.code))  # type: ignore[return-value]


# ---------------------------------------------------------------- the screening hook


def _declaration_of(row: CustomsDeclaration) -> core.Declaration:
    return core.Declaration(number=row.number, direction=row.direction, port=row.port, hs_code=row.hs_code,
                            goods=row.goods, brand=row.brand, quantity=row.quantity, unit=row.unit, value=row.value,
                            currency=row.currency, consignor=core.Party(row.consignor_name, row.consignor_uscc),
                            consignee=core.Party(row.consignee_name, row.consignee_uscc),
                            origin_country=row.origin_country, destination_country=row.destination_country,
                            declared_on=row.declared_on)


def recordations(session: Session) -> tuple[list[core.Recordation], dict[str, str]]:
    """Every recordation, and the registry titles of the rights they protect."""
    rows = list(session.scalars(sa.select(CustomsRecordation)))
    recs = [core.Recordation(number=r.number, right=r.right_number, holder=r.holder, mark=r.mark,
                             valid_until=r.valid_until,
                             licensees=tuple(core.Party(p.get("name"), p.get("uscc")) for p in (r.licensees or [])))
            for r in rows]
    titles = dict(session.execute(sa.select(RegistryRight.number, RegistryRight.title).where(
        RegistryRight.number.in_({r.right for r in recs}))).all()) if recs else {}
    return recs, titles


def with_recordations(session: Session, findings: list[LeadFinding], listings: Sequence[Listing],
                      licences: Sequence[Licence], as_of: dt.date) -> list[LeadFinding]:
    """The screening hook: add the recordation check's findings for the customs declarations among `listings`."""
    ids = [x.id for x in listings if x.source is ListingSource.CUSTOMS and x.id.startswith(core.LISTING_PREFIX)]
    if not ids:
        return findings
    recs, titles = recordations(session)
    if not recs:
        return findings
    rows = list(session.scalars(sa.select(CustomsDeclaration).where(CustomsDeclaration.listing_id.in_(ids))))
    extra = core.recordation_findings([_declaration_of(r) for r in rows], recs, titles, licences, as_of)
    return core.merge_findings(findings, extra) if extra else findings


# ---------------------------------------------------------------- export risk warnings


def _product_of(row: ExportProductRow) -> core.ExportProduct:
    return core.ExportProduct(code=row.code, name=row.name, destinations=tuple(row.destinations or ()),
                              brand=row.brand, hs_code=row.hs_code, nice_classes=tuple(row.nice_classes or ()),
                              description=row.description, exporter=row.exporter)


def _foreign_of(row: ForeignRightRow) -> core.ForeignRight:
    return core.ForeignRight(country=row.country, kind=row.kind, number=row.number, title=row.title, owner=row.owner,
                             nice_classes=tuple(row.nice_classes or ()), ipc=tuple(row.ipc or ()), claims=row.claims,
                             valid_until=row.valid_until)


def warnings(session: Session, as_of: dt.date, product: str | None = None,
             detector: core.Detector | None = None) -> tuple[list[core.Warning], dict[str, ExportProductRow]]:
    """The export risk warnings of every key export product (or one), computed now by the detection models."""
    if detector is None:
        from regional.detection.engine import detect

        def detector(rights, licences, listings):  # type: ignore[no-untyped-def]
            return detect(rights, licences, listings, as_of=as_of)

    stmt = sa.select(ExportProductRow).order_by(ExportProductRow.code)
    if product:
        stmt = stmt.where(ExportProductRow.code == product)
    products = {r.code: r for r in session.scalars(stmt)}
    countries = {c for r in products.values() for c in (r.destinations or [])}
    foreign = [_foreign_of(r) for r in session.scalars(sa.select(ForeignRightRow).where(
        ForeignRightRow.country.in_(countries)))] if countries else []
    found = core.export_warnings([_product_of(r) for r in products.values()], foreign, detector, as_of)
    return found, products


EXPORT_HEADER = ["产品编号", "产品名称", "品牌", "目标市场", "境外权利号", "权利类型", "权利名称/商标", "权利人", "风险类型", "风险分",
                 "理由"]


def warning_rows(found: Sequence[core.Warning], products: Mapping[str, ExportProductRow],
                 render: Callable[[core.Warning], str]) -> list[list[Any]]:
    """The warnings as table rows for an export file (header `EXPORT_HEADER`)."""
    rows = []
    for w in found:
        p = products.get(w.product)
        rows.append([w.product, p.name if p else "", (p.brand or "") if p else "", w.country, w.right, w.kind, w.title,
                     w.owner, w.type, w.score, render(w)])
    return rows


def export_csv(rows: Sequence[Sequence[Any]]) -> bytes:
    """CSV (UTF-8 with BOM, so that Excel opens Chinese correctly); cells that start a formula are quoted off."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """An .xlsx workbook of the warnings (openpyxl)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "境外侵权风险预警"
    ws.append(EXPORT_HEADER)
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            as_text(cell)  # formula-like text is a text cell, value exact (newcomer23 C: was shown with a leading ')
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def licences_of(session: Session) -> list[Licence]:
    """Every licence of the registry (for the recordation check outside screening)."""
    return [Licence(right=r.right_number, licensee=r.licensee, licensee_uscc=r.licensee_uscc, valid_from=r.valid_from,
                    valid_until=r.valid_until) for r in session.scalars(sa.select(LicenceRow))]
