"""Display names of the officers' workflow in the audit log: actions, the fields they record, coded values."""

from __future__ import annotations

from flask_babel import lazy_pgettext as _p

from regional.web import auditview, retrainmsgs
from regional.web.labels import register

register("audit_action", {
    "lead_judged": _p("audit_action", "lead judged"),
    "lead_overridden": _p("audit_action", "final decision changed by a supervisor"),
    "leads_judged_in_batch": _p("audit_action", "leads judged in a batch"),
    "second_review_approved": _p("audit_action", "second review approved"),
    "second_review_refused": _p("audit_action", "second review refused"),
    "leads_assigned": _p("audit_action", "leads assigned"),
    "lead_routed": _p("audit_action", "lead pushed"),
    "lead_rerouted": _p("audit_action", "lead re-routed"),
    "notice_withdrawn": _p("audit_action", "notice withdrawn (confirmation changed)"),
    "case_opened": _p("audit_action", "case opened"),
    "case_step": _p("audit_action", "case step"),
    "case_reassigned": _p("audit_action", "case handed to another officer"),
    "complaint_received": _p("audit_action", "complaint received"),
    "complaint_honeypot": _p("audit_action", "robot complaint discarded"),
    "detection_requested": _p("audit_action", "detection requested by a rights holder"),
    "detection_request_done": _p("audit_action", "rights holder's detection finished"),
    "detection_request_failed": _p("audit_action", "rights holder's detection failed"),
    "rights_holder_set": _p("audit_action", "rights-holder account tied to an owner"),
    "agencies_imported": _p("audit_action", "agency directory imported"),
    "agencies_generated": _p("audit_action", "agency directory generated"),
    "agency_saved": _p("audit_action", "agency saved"),
    "agency_member_added": _p("audit_action", "user added to an agency"),
    "agency_member_removed": _p("audit_action", "user taken off an agency"),
    "model_retrained": _p("audit_action", "models retrained"),
    "model_rolled_back": _p("audit_action", "model rolled back"),
    "retrain_requested": _p("audit_action", "retraining requested"),
})
register("audit_field", {
    "lead": _p("audit_field", "lead"), "reason_code": _p("audit_field", "exclusion reason"),
    "second_review": _p("audit_field", "second review rule"), "min_score": _p("audit_field", "from score"),
    "max_score": _p("audit_field", "below score"), "types": _p("audit_field", "lead types"),
    "judged": _p("audit_field", "judged"), "refused": _p("audit_field", "refused"),
    "changed": _p("audit_field", "changed"), "proposer": _p("audit_field", "decided by"),
    "rule": _p("audit_field", "rule"), "agency": _p("audit_field", "agency"), "notice": _p("audit_field", "notice"),
    "officer": _p("audit_field", "officer in charge"), "result": _p("audit_field", "result"),
    "finding": _p("audit_field", "finding"), "overdue": _p("audit_field", "overdue"),
    "step": _p("audit_field", "step"), "tracking": _p("audit_field", "tracking number"),
    "client": _p("audit_field", "sender (hashed address)"), "listing": _p("audit_field", "listing"),
    "request": _p("audit_field", "request"), "holder": _p("audit_field", "rights holder"),
    "owner": _p("audit_field", "owner"), "screened": _p("audit_field", "listings screened"),
    "already_held": _p("audit_field", "leads already held"), "error": _p("audit_field", "error"),
    "province": _p("audit_field", "province"), "added": _p("audit_field", "added"),
    "kind": _p("audit_field", "kind"), "level": _p("audit_field", "level"),
    "division": _p("audit_field", "division"), "phone": _p("audit_field", "phone"),
    "model": _p("audit_field", "model"), "version": _p("audit_field", "version"),
    "current": _p("audit_field", "model in use"), "candidate": _p("audit_field", "candidate"),
    "promoted": _p("audit_field", "promoted"), "node_train": _p("audit_field", "judgements trained on"),
    "node_held_out": _p("audit_field", "judgements held out"), "base_examples": _p("audit_field", "base examples"),
    "candidate_metrics": _p("audit_field", "candidate on held-out judgements"),
    "current_metrics": _p("audit_field", "model in use on held-out judgements"),
    "examples": _p("audit_field", "examples"), "positives": _p("audit_field", "confirmed"),
    "precision": _p("audit_field", "precision"), "recall": _p("audit_field", "recall"), "f1": _p("audit_field", "F1 score"),
    "brier": _p("audit_field", "Brier score"), "new_leads": _p("audit_field", "new leads"),
    "ipc": _p("audit_field", "technical fields"), "locarno": _p("audit_field", "design classes"),
    "started_at": _p("audit_field", "started"),
})
# a retraining's outcome (a code and its numbers) and the English reason of entries written before it was stored
auditview.add_text("outcome", retrainmsgs.audit_outcome)
auditview.add_text("reason", retrainmsgs.audit_reason)
# stored codes inside entries, shown by their labels
auditview.VALUE_KINDS.update({"reason_code": "exclusion_reason", "rule": "route_rule", "result": "case_result",
                              "finding": "case_finding", "step": "case_state", "model": "model"})
