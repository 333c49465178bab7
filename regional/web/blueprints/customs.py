"""Import and export (进出口): customs declarations and their leads, recordations, export risk warnings."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p

from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.customs import core, service
from regional.customs.core import CustomsError
from regional.customs.models import CustomsDeclaration, CustomsRecordation, ExportProductRow, ForeignRightRow
from regional.formats.errors import ImportFileError, RecordError, invalid_records
from regional.models import LeadRow
from regional.web import refusals
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.filefaults import chosen_encoding, saved_name
from regional.web.foundation import NavItem, page_arg, query_with, upload_limit
from regional.web.labels import register

bp = Blueprint("customs", __name__)
READERS = (OFFICER, SUPERVISOR, ADMIN, AUDITOR)
NAV = [NavItem("customs.declarations", _l("Import and export"), roles=frozenset(READERS))]
MAX_UPLOAD = service.WEB_UPLOAD_BYTES  # the forms say it (max_mib), the upload checks it
MAX_UPLOAD_MIB = MAX_UPLOAD >> 20
PAGE = 200

register("direction", {"import": _p("direction", "Import"), "export": _p("direction", "Export")})
register("agency_kind", {"customs_liaison": _p("agency_kind", "Customs liaison")})
register("route_rule", {"customs_liaison": _p("route_rule", "a customs declaration's lead: the customs liaison body")})
register("right_kind_short", {"trademark": _p("right_kind_short", "trademark"), "invention": _p("right_kind_short", "invention"),
                              "utility_model": _p("right_kind_short", "utility model"),
                              "design": _p("right_kind_short", "design")})
register("audit_action", {
    "import_declarations": _p("audit_action", "customs declarations imported"),
    "import_declarations_rejected": _p("audit_action", "customs declarations file refused"),
    "import_recordations": _p("audit_action", "customs recordations imported"),
    "import_recordations_rejected": _p("audit_action", "customs recordations file refused"),
    "import_foreign_rights": _p("audit_action", "foreign rights imported"),
    "import_foreign_rights_rejected": _p("audit_action", "foreign rights file refused"),
    "import_export_products": _p("audit_action", "key export products imported"),
    "import_export_products_rejected": _p("audit_action", "key export products file refused"),
    "import_declarations_unreadable": _p("audit_action", "could not read a customs declarations file"),
    "import_recordations_unreadable": _p("audit_action", "could not read a customs recordations file"),
    "import_foreign_rights_unreadable": _p("audit_action", "could not read a foreign rights file"),
    "import_export_products_unreadable": _p("audit_action", "could not read a key export products file"),
    "export_product_saved": _p("audit_action", "key export product saved"),
})
KINDS = {"declarations": ("import_declarations", (OFFICER, SUPERVISOR, ADMIN)),
         "recordations": ("import_recordations", (SUPERVISOR, ADMIN)),
         "foreign": ("import_foreign_rights", (SUPERVISOR, ADMIN)),
         "products": ("import_products", (SUPERVISOR, ADMIN))}
FIELD_NAMES = {
    "declaration_no": _l("Declaration number"), "direction": _l("Import or export"), "port": _l("Port"),
    "hs_code": _l("HS code"), "goods": _l("Goods"), "brand": _l("Brand"), "quantity": _l("Quantity"),
    "unit": _l("Unit"), "value": _l("Total value"), "currency": _l("Currency"), "consignor": _l("Consignor"),
    "consignor.name": _l("Consignor"), "consignor.uscc": _l("Consignor's credit code"), "consignee": _l("Consignee"),
    "consignee.name": _l("Consignee"), "consignee.uscc": _l("Consignee's credit code"),
    "origin_country": _l("Country of origin"), "destination_country": _l("Country of destination"),
    "declared_on": _l("Declared on"), "number": _l("Number"), "right": _l("Right number"), "holder": _l("Holder"),
    "mark": _l("Recorded mark"), "valid_until": _l("Valid until"), "licensees": _l("Licensees"),
    "licensees.name": _l("Licensees"), "licensees.uscc": _l("Licensees"), "country": _l("Country"),
    "kind": _l("Kind"), "title": _l("Title or mark"), "owner": _l("Owner"), "nice_classes": _l("Nice classes"),
    "ipc": _l("IPC"), "claims": _l("Claims"), "code": _l("Product code"), "name": _l("Product name"),
    "description": _l("Description"), "exporter": _l("Exporter"), "destinations": _l("Destination markets"),
}
REASONS = {
    "duplicate": _l("appears twice in the file"),
    "domestic_party": _l("the party in this province (consignor of an export, consignee of an import) is missing"),
    **refusals.READING,
}


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


def explain(field: str | None, reason: str) -> str:
    """A refusal in the reader's language."""
    return refusals.explain(field, reason, FIELD_NAMES, REASONS)


def explain_error(error: RecordError, reason: str) -> str:
    """A bad record's refusal in the reader's language: the page's words for its reason, else the rule it broke
    (the value given and the values allowed, as the command line says them)."""
    if reason in REASONS or error.said is None:
        return explain(error.field, reason)
    return refusals.explain_rule(error.field, error.said, FIELD_NAMES)


@bp.get("/customs")
@roles_required(*READERS)
def declarations() -> str:
    """The declarations (newest first) with their leads, and the imports."""
    direction = request.args.get("direction") if request.args.get("direction") in ("import", "export") else None
    # newcomer15 F7: "共 20009 份" with the newest 200 shown and no way to the rest or to one number
    q = " ".join((request.args.get("q") or "").split())[:100]
    page = page_arg()
    where: list[sa.ColumnElement[bool]] = []
    if direction:
        where.append(CustomsDeclaration.direction == direction)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = "%" + escaped + "%"
        where.append(sa.or_(CustomsDeclaration.number.like(escaped.replace(" ", "") + "%", escape="\\"),
                            *[column.like(like, escape="\\") for column in (
                                CustomsDeclaration.goods, CustomsDeclaration.brand, CustomsDeclaration.consignor_name,
                                CustomsDeclaration.consignee_name)]))
    with db().read() as session:
        stmt = (sa.select(CustomsDeclaration).where(*where)
                .order_by(CustomsDeclaration.declared_on.desc().nulls_last(), CustomsDeclaration.id.desc())
                .limit(PAGE).offset((page - 1) * PAGE))
        rows = list(session.scalars(stmt))
        total = session.scalar(sa.select(sa.func.count()).select_from(CustomsDeclaration).where(*where)) or 0
        leads: dict[str, list[LeadRow]] = {}
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.listing_id.in_([r.listing_id for r in rows]))):
            leads.setdefault(lead.listing_id, []).append(lead)
        recordations = list(session.scalars(sa.select(CustomsRecordation).order_by(CustomsRecordation.number)
                                            .limit(PAGE)))
        recordation_total = session.scalar(sa.select(sa.func.count()).select_from(CustomsRecordation)) or 0
        session.expunge_all()
    return render_template("customs.html", rows=rows, total=total, leads=leads, recordations=recordations,
                           recordation_total=recordation_total, direction=direction, q=q, page=page, page_size=PAGE,
                           query_with=query_with, max_mib=MAX_UPLOAD_MIB)


@bp.post("/customs/import/<kind>")
@upload_limit(MAX_UPLOAD + 64 * 1024)  # the file and the form's few fields
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def upload(kind: str) -> Response:
    """Import a declarations / recordations / foreign rights / key products file (all or nothing)."""
    if kind not in KINDS:
        return redirect(url_for("customs.declarations"))
    func_name, roles = KINDS[kind]
    actor = current_actor()
    back = url_for("customs.warnings") if kind in ("foreign", "products") else url_for("customs.declarations")
    if not actor.roles & set(roles):
        from werkzeug.exceptions import Forbidden as Refused

        raise Refused()
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        flash(gettext("Choose a file."), "error")
        return redirect(back)
    name = Path(upload_file.filename).name[:200]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / saved_name(name)  # its format decided as the command line decides it (newcomer16 N2)
        upload_file.save(path)
        if path.stat().st_size > MAX_UPLOAD:
            flash(gettext("The file is too large (at most %(n)s MiB).", n=MAX_UPLOAD_MIB), "error")
            return redirect(back)
        try:
            outcome = getattr(service, func_name)(db(), path, actor, _now(), shown=name,  # not the server's copy
                                                  encoding=chosen_encoding(request.form.get("encoding")))
        except ImportFileError as exc:
            refusals.flash_file_fault(exc)
            return redirect(back)
    if outcome.errors:
        flash(gettext("%(n)s invalid record(s); nothing was imported.", n=invalid_records(outcome.errors)), "error")
        refusals.flash_record_errors(outcome.errors, outcome.reasons, lambda e, reason: gettext(
            "Line %(line)s (%(id)s): %(why)s", line=e.line, id=e.record_id or "—", why=explain_error(e, reason)))
    else:
        if outcome.unchanged:
            flash(gettext("%(created)s new, %(updated)s updated, %(unchanged)s unchanged.", created=outcome.created,
                          updated=outcome.updated, unchanged=outcome.unchanged), "ok")
        else:
            flash(gettext("%(created)s new, %(updated)s updated.", created=outcome.created, updated=outcome.updated),
                  "ok")
        if outcome.warnings:
            flash(gettext("%(n)s warning(s): rights not in this node's registry.", n=len(outcome.warnings)), "error")
    return redirect(back)


@bp.post("/customs/screen")
@roles_required(OFFICER, SUPERVISOR, ADMIN)
def screen() -> Response:
    """Screen every declaration now (the worker screens new ones by itself): the four models and the recordation check."""
    from flask import current_app

    from regional import services
    from regional.domain import LeadOrigin
    from regional.node import signer

    result = services.screen_pending(db(), signer(current_app.config["HUFU"]), now=_now(), rescreen=True,
                                     actor=current_actor().name, origin=LeadOrigin.LAUNCH,
                                     id_prefix=core.LISTING_PREFIX)
    flash(gettext("%(n)s declaration(s) screened; %(leads)s new lead(s) in the review queue.", n=result.screened,
                  leads=result.leads), "ok")
    return redirect(url_for("customs.declarations"))


def _warnings() -> tuple[list[core.Warning], dict[str, ExportProductRow], dict[str, int]]:
    with db().read() as session:
        found, products = service.warnings(session, _now().date())
        counts = dict(session.execute(sa.select(ForeignRightRow.country, sa.func.count())
                                      .group_by(ForeignRightRow.country)).all())
        session.expunge_all()
    return found, products, counts


@bp.get("/customs/warnings")
@roles_required(*READERS)
def warnings() -> str:
    """Export risk warnings (境外侵权风险预警): each key export product against its markets' foreign rights."""
    found, products, counts = _warnings()
    return render_template("customs_warnings.html", found=found, products=products, counts=counts,
                           max_mib=MAX_UPLOAD_MIB)


@bp.post("/customs/products")
@roles_required(SUPERVISOR, ADMIN)
def product() -> Response:
    values = {k: request.form.get(k, "") for k in ("code", "name", "brand", "hs_code", "nice_classes", "description",
                                                   "exporter", "destinations")}
    try:
        with db().transaction() as session:
            service.add_product(session, values, current_actor(), _now())
    except CustomsError as exc:
        flash(gettext("Not saved: %(why)s", why=explain(exc.field, exc.reason)), "error")
    else:
        flash(gettext("Saved."), "ok")
    return redirect(url_for("customs.warnings"))


@bp.get("/customs/warnings.<fmt>")
@roles_required(*READERS)
def warnings_file(fmt: str) -> Response:
    """The warnings as a file for exporters (CSV or .xlsx)."""
    from regional.web.reasons import reason_texts

    if fmt not in ("csv", "xlsx"):
        from werkzeug.exceptions import NotFound

        raise NotFound()
    found, products, _counts = _warnings()
    rows = service.warning_rows(found, products, lambda w: "；".join(reason_texts(list(w.reasons), list(w.codes))))
    if fmt == "xlsx":
        data, mime = service.export_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, mime = service.export_csv(rows), "text/csv; charset=utf-8"
    stamp = _now().strftime("%Y%m%d")
    return Response(data, content_type=mime, headers={  # content_type: a text/* mimetype gets a second charset
        "Content-Disposition": f"attachment; filename=export-risk-{stamp}.{fmt}"})
