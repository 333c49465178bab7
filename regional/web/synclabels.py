"""Display names of the sync area's stored values: region standings, audit actions and audit fields.

Imported by the regional status blueprint and the national overview blueprint (both apps show them).
"""

from __future__ import annotations

from flask_babel import lazy_pgettext as _p

from regional.web.labels import register

register("standing", {
    "ok": _p("standing", "OK"),
    "silent": _p("standing", "Silent"),
    "refused": _p("standing", "Refused"),
    "never": _p("standing", "Never synced"),
    "late": _p("standing", "Late (no contact for several sync intervals)"),
    "cut_off": _p("standing", "No contact (this node's gRPC server does not answer)"),
    "split_brain": _p("standing", "Two live copies"),
})
register("audit_action", {
    "record_quarantined": _p("audit_action", "record quarantined by the projection"),
    "record_withheld": _p("audit_action", "record breaks a field limit: kept aside, a signed tombstone sent instead"),
    "region_restored": _p("audit_action", "database restored by an operator (new epoch recorded nationally)"),
    "lead_not_filed": _p("audit_action", "lead breaks a field limit: kept here, not filed"),
    "evidence_log_resync": _p("audit_action", "evidence log continued from the national copy"),
    "leads_only_national": _p("audit_action", "leads checked against the national node (after a restore)"),
    "case_failed": _p("audit_action", "cross-region case could not be formed"),
    "review_outcome_unusable": _p("audit_action", "review outcome from a region could not be used"),
})
register("audit_field", {
    "sequence": _p("audit_field", "sequence"),
    "old_epoch": _p("audit_field", "old epoch"),
    "from_epoch": _p("audit_field", "epoch of the restored copy"),
    "to_epoch": _p("audit_field", "new epoch"),
    "national_epoch_before": _p("audit_field", "national node's epoch before"),
    "national_high_water": _p("audit_field", "acknowledged by the national node"),
    "outbox_head": _p("audit_field", "last outbox sequence"),
    "acked": _p("audit_field", "acknowledged sequence"),
    "cert_serial": _p("audit_field", "certificate serial"),
    "operator": _p("audit_field", "operator"),
    "uplink_id": _p("audit_field", "stored record number"),
    "kind": _p("audit_field", "record kind"),
    "uuid": _p("audit_field", "record identifier"),
    "lead": _p("audit_field", "lead"),
    "listing": _p("audit_field", "listing"),
    # evidence_log_resync (regional/evidence/resync.py)
    "from_index": _p("audit_field", "from index of this region's evidence log"),
    "national_size": _p("audit_field", "entries in the national copy"),
    "local_size_before": _p("audit_field", "entries here before"),
    "size_after": _p("audit_field", "entries here after"),
    "recovered": _p("audit_field", "entries read back from the national copy"),
    "refiled": _p("audit_field", "captures signed again and filed again"),
    "moved": _p("audit_field", "captures moved to a new index (capture, old index, new index)"),
    # leads_only_national (regional/lostleads.py)
    "national_leads": _p("audit_field", "leads held by the national node"),
    "local_leads": _p("audit_field", "leads held here"),
    "missing_here": _p("audit_field", "missing here"),
    "listing_ids": _p("audit_field", "listing IDs (first 20)"),
    # case_failed, case_withdrawn (national/cases.py)
    "subject": _p("audit_field", "group of leads"),
    "merged": _p("audit_field", "its leads went to another case of the same seller"),
    "status_before": _p("audit_field", "status before"),
    # evidence_export_refused (regional/web/blueprints/evidence.py)
    "object": _p("audit_field", "evidence file (digest)"),
})
register("actor", {
    "evidence": _p("actor", "evidence service"),
})
