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
from regional.review.promotion import Code, Outcome
from regional.web import retrainmsgs
from regional.web.auth import current_actor, roles_required
from regional.web.db import db
from regional.web.foundation import NavItem
from regional.web.labels import label, register

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
        refusals = _refusals(session)
    by_model: dict[str, list[Any]] = {name: [] for name in MODEL_NAMES}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    outcomes = {row.id: retrainmsgs.verdict_text(o) for row in rows if (o := retrain.stored_outcome(row))}
    return render_template("models.html", by_model=by_model, active=active, shipped=CURRENT_VERSIONS,
                           requested=requested, outcomes=outcomes,
                           refusals={name: retrainmsgs.refusal_text(o) for name, o in refusals.items()})


def _refusals(session: Any) -> dict[str, Outcome]:
    """Why each model cannot be retrained on the node's judgements now (models that can are left out)."""
    out = {}
    for name in MODEL_NAMES:
        _split, refusal = retrain.retrain_readiness(session, name)
        if refusal is not None:
            out[name] = refusal
    return out


@bp.post("/models/retrain")
@roles_required(SUPERVISOR, ADMIN)
def request_retrain() -> Response:
    """Ask the worker to retrain now (it runs within seconds; the first run builds the base data, ~a minute) —
    unless no model's judgements can give a held-out set large enough to compare on: then nothing is queued and
    the page says why, before any minutes are spent fitting (newcomer16 N7)."""
    now = dt.datetime.now(dt.UTC)
    with db().transaction() as session:
        refusals = _refusals(session)
        if len(refusals) == len(MODEL_NAMES):
            flash(gettext("Retraining was not queued: this node has too few judgements to compare a retrained "
                          "model with the one in use."), "error")
            judged = [(n, o) for n, o in refusals.items() if o.code is not Code.NO_JUDGEMENTS] or \
                list(refusals.items())[:1]
            for name, outcome in judged:
                flash(gettext("The %(model)s model cannot be retrained yet: %(why)s.", model=label("model", name),
                              why=retrainmsgs.reason_text(outcome)), "error")
            return redirect(url_for("models.models"))
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
