"""The detection model versions this node trained on its judgements: compare, retrain, roll back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from werkzeug.wrappers import Response

from regional import state
from regional.actors import ADMIN, AUDITOR, SUPERVISOR, audit
from regional.detection.config import MODEL_NAMES
from regional.detection.scoring import CURRENT_VERSIONS
from regional.review import retrain
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.web.labels import register

bp = Blueprint("models", __name__)
READERS = (SUPERVISOR, ADMIN, AUDITOR)
NAV = [NavItem("models.models", _l("Models"), roles=frozenset(READERS))]
RETRAIN_REQUESTED = retrain.RETRAIN_REQUESTED

register("model_status", {
    "active": _p("model_status", "active"), "candidate": _p("model_status", "candidate (not promoted)"),
    "retired": _p("model_status", "retired"),
})
register("model", {
    "trademark": _p("model", "Trademark"), "patent-marking": _p("model", "Counterfeit patent marking"),
    "design": _p("model", "Design patent"), "invention": _p("model", "Invention / utility model"),
})


@bp.get("/models")
@roles_required(*READERS)
def models() -> str:
    """Every version per model, which one scores new listings, and its figures on held-out judgements."""
    with db().read() as session:
        active = {name: m.version for name, m in retrain.active_models(session).items()}
        rows = retrain.versions(session)
        requested = state.get(session, RETRAIN_REQUESTED)
    by_model: dict[str, list[Any]] = {name: [] for name in MODEL_NAMES}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    return render_template("models.html", by_model=by_model, active=active, shipped=CURRENT_VERSIONS,
                           requested=requested)


@bp.post("/models/retrain")
@roles_required(SUPERVISOR, ADMIN)
def request_retrain() -> Response:
    """Ask the worker to retrain now (it runs within seconds; the first run builds the base data, ~a minute)."""
    now = dt.datetime.now(dt.UTC)
    with db().transaction() as session:
        state.put(session, RETRAIN_REQUESTED, f"{now.isoformat()} {current_actor().name}", now)
        audit(session, current_actor(), "retrain_requested", now)
    flash(gettext("Retraining is queued; the worker runs it shortly."), "ok")
    return redirect(url_for("models.models"))


@bp.post("/models/rollback")
@roles_required(SUPERVISOR, ADMIN)
def rollback() -> Response:
    """Go back to the version active before (or a chosen one)."""
    name = request.form.get("model", "")
    try:
        done = retrain.rollback(db(), name, actor=current_actor(), now=dt.datetime.now(dt.UTC),
                                to=request.form.get("to") or None)
    except retrain.RetrainError:
        flash(gettext("Nothing to roll back to."), "error")
    else:
        flash(gettext("%(model)s now uses %(version)s.", model=name, version=done.to_version), "ok")
    return redirect(url_for("models.models"))
