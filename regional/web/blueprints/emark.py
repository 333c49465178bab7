"""Electronic IP marks (标识电子化): the public verification page and API (no sign-in), the office's register.

Anyone may verify a mark (rate-limited per address, input bounded); every scan is recorded.
Officers issue marks for the registry's rights, print their QR codes, trace and revoke them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.emark import core, service
from regional.emark.models import MarkState, ScanChannel
from regional.web import emark_labels  # noqa: F401 - the e-mark labels (statuses, states, channels, steps)
from regional.web.auth import client_address, current_actor, public, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, int_arg, page_arg

bp = Blueprint("emark", __name__)
READERS = (OFFICER, SUPERVISOR, ADMIN, AUDITOR)
ISSUERS = (OFFICER, SUPERVISOR, ADMIN)
NAV = [NavItem("emark.register_page", _l("E-marks"), roles=frozenset(READERS))]
PAGE = 50

FIELD_NAMES = {"right": _l("Right number"), "product": _l("Product"), "licensee": _l("Licensee"),
               "batch": _l("Batch"), "serial": _l("Serial number"), "reason": _l("Reason")}
# What each verdict means for whoever scanned it (shown under the status)
EXPLAIN = {
    "genuine": _l("The mark was issued by the IP office for this right and has not been revoked."),
    "forged": _l("The mark was not issued by any office of this system: do not trust the goods' label."),
    "altered": _l("The mark's content was changed or damaged after it was issued: do not trust it."),
    "revoked": _l("The issuing office revoked this mark; goods carrying it are no longer covered."),
    "unknown": _l("The issuing office has no record of this mark: do not trust it."),
    "unreadable": _l("This is not an electronic IP mark. Scan the QR code on the label, or paste its text."),
}


@bp.app_template_global("region_label")
def region_label(code: str) -> str:
    """A region's name in the reader's language, with its code."""
    from regional.web.i18n import current_lang
    from sync.regions import UnknownRegion, region_name

    try:
        return f"{region_name(code, current_lang())} ({code})"
    except (UnknownRegion, KeyError, ValueError):
        return code


def _may(roles: tuple[str, ...]) -> bool:
    from flask_login import current_user

    return bool(current_user.is_authenticated and current_user.has(*roles))


def _now() -> dt.datetime:
    from regional.node import utcnow

    return utcnow()


def _keys(issuing: bool = False) -> service.Keys:
    cfg = current_app.config["HUFU"]
    return service.load_keys(cfg.pki_dir, cfg.region, issuing=issuing)


def _mark_json(result: core.Verdict) -> dict[str, Any] | None:
    b = result.body
    if b is None:
        return None
    return {"mark_id": b.mark_id, "region": b.region, "right": b.right, "holder": b.holder,
            "licensee": b.licensee or None, "product": b.product, "batch": b.batch or None,
            "serial": b.serial or None, "issued": b.issued.isoformat()}


def _verify(text: str, channel: ScanChannel) -> core.Verdict:
    return service.verify(db(), _keys(), text, channel=channel, now=_now(), address=client_address(),
                          rate_limit=True)


# ---------------------------------------------------------------- public


@bp.get("/emark/verify")
@public
def verify_page() -> Any:
    """扫码验真: anyone pastes or scans a mark and sees whether it is genuine, who holds the right, if revoked."""
    text = request.args.get("m", "")
    if not text.strip():
        return render_template("emark_verify.html", text="", result=None)
    if len(text) > core.MAX_PAYLOAD_CHARS:
        return render_template("emark_verify.html", text="", result=None, error=gettext(
            "An e-mark has at most %(n)s characters.", n=core.MAX_PAYLOAD_CHARS)), 400
    try:
        result = _verify(text, ScanChannel.WEB)
    except service.RateLimited:
        return render_template("emark_verify.html", text=text, result=None, error=gettext(
            "Too many verifications from this address; please wait a minute and try again.")), 429
    except service.EmarkError:
        return render_template("emark_verify.html", text=text, result=None,
                               error=gettext("This node cannot verify e-marks yet (its credentials are missing).")), 503
    return render_template("emark_verify.html", text=text, result=result, mark=_mark_json(result),
                           explain=EXPLAIN[result.status.value])


@bp.get("/api/public/emark/verify")
@public
def api_verify() -> Any:
    """The public verification API: GET ?payload=TEXT -> status, genuine, reason, the mark's fields."""
    text = request.args.get("payload", request.args.get("m", ""))
    if not text.strip():
        return jsonify({"error": "Bad Request", "status": 400, "field": "payload",
                        "message": "give the mark's text as ?payload=..."}), 400
    if len(text) > core.MAX_PAYLOAD_CHARS:
        return jsonify({"error": "Bad Request", "status": 400, "field": "payload",
                        "message": f"an e-mark has at most {core.MAX_PAYLOAD_CHARS} characters"}), 400
    try:
        result = _verify(text, ScanChannel.API)
    except service.RateLimited as exc:
        response = jsonify({"error": "Too Many Requests", "status": 429, "message": str(exc)})
        response.headers["Retry-After"] = "60"
        return response, 429
    except service.EmarkError as exc:
        return jsonify({"error": "Service Unavailable", "status": 503, "message": str(exc)}), 503
    from regional.web.labels import label

    return jsonify({"status": result.status.value, "genuine": result.genuine, "reason": result.reason,
                    "status_label": label("emark_status", result.status.value), "mark": _mark_json(result)})


# ---------------------------------------------------------------- the office's register


@bp.get("/emarks")
@roles_required(*READERS)
def register_page() -> str:
    """The register of marks: issue a mark, find one, see how often each was scanned."""
    right = (request.args.get("right") or "").strip()[:64] or None
    state = request.args.get("state") if request.args.get("state") in ("active", "revoked") else None
    page = page_arg()
    with db().read() as session:
        rows, total = service.marks(session, right=right, state=state, limit=PAGE, offset=(page - 1) * PAGE)
        counts = service.scan_counts(session, [r.mark_id for r in rows])
        failed = service.recent_failures(session, 20)
    return render_template("emarks.html", rows=rows, total=total, counts=counts, right=right or "", state=state or "",
                           page=page, pages=max(1, -(-total // PAGE)), failed=failed, form=request.args,
                           names=FIELD_NAMES, can_issue=_may(ISSUERS))


@bp.post("/emarks")
@roles_required(*ISSUERS)
def issue() -> Any:
    """Issue a mark (CSRF-checked; audited)."""
    actor = current_actor()
    form = {k: (request.form.get(k) or "")[:1000] for k in ("right", "product", "licensee", "batch", "serial")}
    try:
        mark, _payload = service.issue(db(), _keys(issuing=True), right=form["right"], product=form["product"],
                                       licensee=form["licensee"], batch=form["batch"], serial=form["serial"],
                                       actor=actor.name, now=_now(), address=actor.address)
    except service.EmarkError as exc:
        field = exc.field or ""
        with db().read() as session:
            rows, total = service.marks(session, limit=PAGE)
            counts = service.scan_counts(session, [r.mark_id for r in rows])
            failed = service.recent_failures(session, 20)
        message = _issue_error(exc)
        return render_template("emarks.html", rows=rows, total=total, counts=counts, right="", state="", page=1,
                               pages=max(1, -(-total // PAGE)), failed=failed, form=form, names=FIELD_NAMES,
                               can_issue=True, error=message, error_field=field), 400
    flash(gettext("E-mark %(id)s issued.", id=mark.mark_id), "ok")
    return redirect(url_for("emark.mark_page", mark_id=mark.mark_id))


def _issue_error(exc: service.EmarkError) -> str:
    text = str(exc)
    if exc.field == "right" and "not in this region" in text:
        return gettext("This right is not in the region's registry.")
    if exc.field == "right" and ("expired" in text or " is " in text):
        return gettext("This right is no longer in force; no e-mark can be issued for it.")
    if exc.field == "licensee":
        return gettext("This licensee holds no licence of the right valid today.")
    if exc.field in FIELD_NAMES:
        if "required" in text:
            return gettext("%(field)s is required.", field=FIELD_NAMES[exc.field])
        return gettext("%(field)s is too long or holds characters that are not allowed.", field=FIELD_NAMES[exc.field])
    return gettext("This node cannot issue e-marks: its credentials lack the national office's voucher.")


@bp.get("/emarks/<mark_id>")
@roles_required(*READERS)
def mark_page(mark_id: str) -> str:
    """One mark: its payload and QR code, and its trace from registration to enforcement."""
    if len(mark_id) > 24:
        abort(404)
    with db().read() as session:
        mark, steps = service.trace(session, mark_id, limit=int_arg("scans", 500, 1, 5000))
    if mark is None and not steps:
        abort(404)
    qr = _qr_svg(mark.payload) if mark is not None and mark.payload else None
    return render_template("emark.html", mark=mark, steps=steps, qr=qr, names=FIELD_NAMES,
                           can_revoke=_may(ISSUERS) and mark is not None and mark.local
                           and mark.state is MarkState.ACTIVE)


def _qr_svg(payload: str) -> str:
    import base64
    import io

    import segno

    buf = io.BytesIO()
    segno.make_qr(payload, error="m").save(buf, kind="svg", scale=3, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@bp.get("/emarks/<mark_id>/qr.svg")
@roles_required(*READERS)
def mark_qr(mark_id: str) -> Response:
    """The mark's QR code, for printing on labels."""
    import io

    import segno

    with db().read() as session:
        mark, _steps = service.trace(session, mark_id[:24], limit=1)
    if mark is None or not mark.payload:
        abort(404)
    buf = io.BytesIO()
    segno.make_qr(mark.payload, error="m").save(buf, kind="svg", scale=4, border=4)
    return Response(buf.getvalue(), mimetype="image/svg+xml",
                    headers={"Content-Disposition": f'attachment; filename="{mark.mark_id}.svg"'})


@bp.post("/emarks/<mark_id>/revoke")
@roles_required(*ISSUERS)
def revoke(mark_id: str) -> Any:
    """Revoke a mark this region issued (CSRF-checked; audited; filed for every region)."""
    from regional.node import signer

    actor = current_actor()
    try:
        service.revoke(db(), signer(current_app.config["HUFU"]), mark_id[:24], reason=request.form.get("reason", "")[:1000],
                       actor=actor.name, now=_now(), address=actor.address)
    except service.UnknownMark:
        abort(404)
    except service.EmarkError as exc:
        flash(gettext("Say why the e-mark is revoked (at most 500 characters).") if exc.field == "reason"
              else gettext("This e-mark was already revoked."), "error")
        return redirect(url_for("emark.mark_page", mark_id=mark_id[:24]))
    flash(gettext("E-mark %(id)s revoked; every region hears it with the next sync.", id=mark_id[:24]), "ok")
    return redirect(url_for("emark.mark_page", mark_id=mark_id[:24]))
