"""Display names of stored enum values (lead types, states, case steps, audit actions, …).

Each kind is a message context, so one English word can read differently in Chinese by
context ("closed" as a case's state 已结案, as a reported step 结案). Another area adds its
own kind with `register(kind, {value: lazy_pgettext(kind, "English"), …})` from its
blueprint module. A value without a label is shown as stored, and the untranslated-text
browser test then names it.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_pgettext as _p

LABELS: dict[str, dict[str, object]] = {
    "lead_type": {
        "trademark": _p("lead_type", "Trademark infringement"),
        "counterfeit_patent": _p("lead_type", "Counterfeit patent marking"),
        "design": _p("lead_type", "Design-patent infringement"),
        "invention": _p("lead_type", "Invention / utility-model infringement"),
    },
    "lead_state": {
        "new": _p("lead_state", "Awaiting review"),
        "confirmed": _p("lead_state", "Confirmed"),
        "dismissed": _p("lead_state", "Dismissed"),
    },
    "case_status": {
        "formed": _p("case_status", "sent to regions"),
        "investigating": _p("case_status", "under investigation"),
        "confirmed": _p("case_status", "infringement confirmed"),
        "dismissed": _p("case_status", "no infringement"),
        "closed": _p("case_status", "closed"),
        "withdrawn": _p("case_status", "withdrawn"),
    },
    "feedback": {
        "accepted": _p("feedback", "accepted"),
        "investigating": _p("feedback", "investigating"),
        "confirmed": _p("feedback", "infringement confirmed"),
        "dismissed": _p("feedback", "no infringement"),
        "closed": _p("feedback", "closed"),
        "note": _p("feedback", "note"),
    },
    "merge_status": {
        "pending": _p("merge_status", "pending"),
        "merged": _p("merge_status", "merged"),
        "rejected": _p("merge_status", "kept apart"),
    },
    "risk_list": {
        "high_risk_seller": _p("risk_list", "High-risk sellers"),
        "price_anomaly": _p("risk_list", "Price anomalies"),
        "exposed_right": _p("risk_list", "Rights most exposed to infringement"),
    },
    "audit_action": {
        # electronic IP marks (issue 14)
        "emark_issued": _p("audit_action", "e-mark issued"),
        "emark_revoked": _p("audit_action", "e-mark revoked"),
        "emark_revocation_received": _p("audit_action", "e-mark revocation received"),
        "emark_event_refused": _p("audit_action", "e-mark record refused"),
        "epoch_fenced": _p("audit_action", "started a new epoch (restored database)"),
        "reconcile": _p("audit_action", "reconciled with the national node"),
        "monitoring_lists": _p("audit_action", "monitoring lists refreshed"),
        "detection_launched": _p("audit_action", "detection launched"),
        "merge_decided": _p("audit_action", "merge decided"),
        "case_feedback": _p("audit_action", "case feedback"),
        "case_feedback_unknown_case": _p("audit_action", "feedback on an unknown case"),
        "blacklisted": _p("audit_action", "blacklisted"),
        "screen": _p("audit_action", "screened listings"),
        "export_leads": _p("audit_action", "exported leads"),
        "import_registry": _p("audit_action", "imported registry"),
        "import_listings": _p("audit_action", "imported listings"),
        "import_registry_rejected": _p("audit_action", "rejected a registry file"),
        "import_listings_rejected": _p("audit_action", "rejected a listings file"),
        "import_registry_unreadable": _p("audit_action", "could not read a registry file"),
        "import_listings_unreadable": _p("audit_action", "could not read a listings file"),
        "case_formed": _p("audit_action", "case formed"),
        "case_updated": _p("audit_action", "case updated"),
        "case_withdrawn": _p("audit_action", "case withdrawn"),
        "sweep": _p("audit_action", "nationwide sweep"),
        "user_added": _p("audit_action", "user added"),
        "user_enabled": _p("audit_action", "user enabled"),
        "user_disabled": _p("audit_action", "user disabled"),
        "user_role_changed": _p("audit_action", "role changed"),
        "password_changed": _p("audit_action", "password changed"),
        "user_unlocked": _p("audit_action", "sign-in lock lifted"),
        "token_added": _p("audit_action", "API token issued"),
        "token_revoked": _p("audit_action", "API token revoked"),
        "login": _p("audit_action", "signed in"),
        "login_failed": _p("audit_action", "sign-in failed"),
        "login_throttled": _p("audit_action", "sign-in refused (too many attempts from the address)"),
        "login_refused_locked": _p("audit_action", "sign-in refused (account locked)"),
    },
    "right_kind": {
        "trademark": _p("right_kind", "trademark"),
        "invention": _p("right_kind", "invention patent"),
        "utility_model": _p("right_kind", "utility model"),
        "design": _p("right_kind", "design patent"),
    },
    "role": {
        "officer": _p("role", "officer"),
        "supervisor": _p("role", "supervisor"),
        "admin": _p("role", "administrator"),
        "auditor": _p("role", "auditor"),
        "rights_holder": _p("role", "rights holder"),
        "agency": _p("role", "enforcement body user"),
    },
    # stored code-like values inside audit entries
    "audit_value": {
        "bad_credentials": _p("audit_value", "wrong name or password"),
        "disabled": _p("audit_value", "account disabled"),
    },
    # names of the fields audit entries record (before/after and details)
    "audit_field": {
        # electronic IP marks (issue 14)
        "mark": _p("audit_field", "e-mark"),
        "product": _p("audit_field", "product"),
        "licensee": _p("audit_field", "licensee"),
        "batch": _p("audit_field", "batch"),
        "serial": _p("audit_field", "serial number"),
        "event": _p("audit_field", "event"),
        "user": _p("audit_field", "user"),
        "name": _p("audit_field", "name"),
        "display_name": _p("audit_field", "display name"),
        "role": _p("audit_field", "role"),
        "active": _p("audit_field", "active"),
        "id": _p("audit_field", "number"),
        "label": _p("audit_field", "label"),
        "revoked": _p("audit_field", "revoked"),
        "reason": _p("audit_field", "reason"),
        "locked_for_minutes": _p("audit_field", "locked for (minutes)"),
        "file": _p("audit_field", "file"),
        "count": _p("audit_field", "count"),
        "filters": _p("audit_field", "filters"),
        "created": _p("audit_field", "new"),
        "updated": _p("audit_field", "updated"),
        "unchanged": _p("audit_field", "unchanged"),
        "licences": _p("audit_field", "licences"),
        # import_*_rejected: `errors` counts problems (one record may have several), `records` the bad records
        "errors": _p("audit_field", "problems"),
        "records": _p("audit_field", "invalid records"),
        "first": _p("audit_field", "first problems"),
        "warnings": _p("audit_field", "warnings"),
        "first_warnings": _p("audit_field", "first warnings"),
        "line": _p("audit_field", "line"),
        "listings": _p("audit_field", "listings"),
        "leads": _p("audit_field", "leads"),
        "epoch": _p("audit_field", "epoch"),
        "new_epoch": _p("audit_field", "new epoch"),
        "ranges": _p("audit_field", "ranges compared"),
        "divergent": _p("audit_field", "ranges that differ"),
        "records_staged_again": _p("audit_field", "records staged again"),
        "at": _p("audit_field", "time"),
        "case": _p("audit_field", "case"),
        "cases": _p("audit_field", "cases"),
        "status": _p("audit_field", "status"),
        "feedback": _p("audit_field", "feedback"),
        "note": _p("audit_field", "note"),
        "outcome": _p("audit_field", "outcome"),
        "record": _p("audit_field", "record"),
        "region": _p("audit_field", "region"),
        "regions": _p("audit_field", "regions"),
        "lead_region": _p("audit_field", "lead region"),
        "right": _p("audit_field", "right"),
        "rights": _p("audit_field", "rights"),
        "rights_in_scope": _p("audit_field", "rights in scope"),
        "nice_classes": _p("audit_field", "goods classes"),
        "entity": _p("audit_field", "entity"),
        "review": _p("audit_field", "review"),
        "probability": _p("audit_field", "match probability"),
        "why": _p("audit_field", "why"),
        "from": _p("audit_field", "from"),
        "to": _p("audit_field", "to"),
        "sweep": _p("audit_field", "sweep"),
        "decision": _p("audit_field", "decision"),
        "type": _p("audit_field", "type"),
        "state": _p("audit_field", "state"),
        "scope": _p("audit_field", "scope"),
        "requested_by": _p("audit_field", "requested by"),
        "high_risk_seller": _p("audit_field", "high-risk sellers"),
        "price_anomaly": _p("audit_field", "price anomalies"),
        "exposed_right": _p("audit_field", "rights most exposed"),
    },
    # who acted, when it was not a person: the node's own processes
    "actor": {
        "worker": _p("actor", "scheduled jobs"),
        "sync": _p("actor", "sync service"),
        "demo": _p("actor", "demo set-up"),
        "cli": _p("actor", "command line"),
        "system": _p("actor", "system"),
    },
}


def register(kind: str, labels: Mapping[str, object]) -> None:
    """Add (or extend) a kind of labels; call it from the module that owns the values."""
    LABELS.setdefault(kind, {}).update(labels)


def actor_name(actor: object) -> str:
    """Who acted, for people: a user's name as is; the node's own processes and the command line by name."""
    from flask_babel import gettext

    text = "" if actor is None else str(actor)
    if text in LABELS["actor"]:
        return label("actor", text)
    kind, sep, rest = text.partition(":")
    if sep and kind == "cli":
        return gettext("command line (%(user)s)", user=rest)
    if sep and kind == "region":
        return gettext("region %(code)s", code=rest)
    if text.startswith("worker (asked by ") and text.endswith(")"):  # a retraining a person asked for (F15)
        return gettext("worker (asked by %(user)s)", user=text[len("worker (asked by "):-1])
    return text


def seller_key(key: object) -> str:
    """A seller's identity key (`uscc:…`, `phone:…`, `name:…`, monitoring/risk lists) for people: the kind named in
    the UI language; a name-only key says nothing the name beside it does not (empty); anything else as stored."""
    from flask_babel import gettext

    text = "" if key is None else str(key)
    kind, sep, rest = text.partition(":")
    if sep and kind == "uscc":
        return gettext("Credit code") + gettext(": ") + rest
    if sep and kind == "phone":
        return gettext("Phone") + gettext(": ") + rest
    if sep and kind == "name":
        return ""
    return text


_SYNC_PROBLEMS = {
    "UNAVAILABLE": _p("sync_error", "the national node could not be reached"),
    "DEADLINE_EXCEEDED": _p("sync_error", "the national node did not answer in time"),
    "UNAUTHENTICATED": _p("sync_error", "the national node refused this node's certificate"),
    "PERMISSION_DENIED": _p("sync_error", "the national node refused this node's certificate"),
    "RESOURCE_EXHAUSTED": _p("sync_error", "the national node is busy"),
    "INVALID_ARGUMENT": _p("sync_error", "the national node refused the request"),
    "FAILED_PRECONDITION": _p("sync_error", "the national node refused the request"),
}
_SYNC_DIRECTIONS = {"push": _p("sync_error", "sending to the national node"),
                    "pull": _p("sync_error", "receiving from the national node")}


def sync_error(text: object) -> dict[str, object]:
    """A stored sync error (`<ISO time> push|pull: <gRPC code>: <detail>`, regional/sync_agent.record_error) for
    people: its time, what was being done and what went wrong in the UI language, and the technical detail."""
    import datetime as dt
    import re

    from flask_babel import gettext

    raw = "" if text is None else str(text)
    stamp, _sep, rest = raw.partition(" ")
    try:
        at: dt.datetime | None = dt.datetime.fromisoformat(stamp)
    except ValueError:
        at, rest = None, raw
    direction, sep, detail = rest.partition(": ")
    if not sep or direction not in _SYNC_DIRECTIONS:
        direction, detail = "", rest
    code = re.search(r"\b([A-Z]+(?:_[A-Z]+)*): ", detail)
    problem = _SYNC_PROBLEMS.get(code.group(1)) if code else None
    return {"at": at, "doing": str(_SYNC_DIRECTIONS[direction]) if direction else "",
            "problem": str(problem) if problem is not None else gettext("sync failed"), "detail": detail}


# Why the national node refused a region (its stored last error, `<gRPC code>: <detail>`, national/grpc_server
# _refuse), for the national office: the known classes by what the detail says, else by the gRPC code.
_REFUSAL_CLASSES = (
    (r"has been revoked", _p("region_refusal", "its certificate has been revoked")),
    (r"was superseded by certificate", _p("region_refusal", "it used a certificate replaced by a newer one")),
    (r"not registered with this national node", _p("region_refusal", "the region is not registered here")),
    (r"expired|not yet valid", _p("region_refusal", "its certificate is not valid at this time")),
    (r"older copy|two copies|second copy|never granted|national node holds epoch",
     _p("region_refusal", "two copies of its database were live (a restore needs `hufu regional restore`)")),
    (r"allowance|used up", _p("region_refusal", "it exceeded its allowance of calls")),
)
_REFUSAL_CODES = {
    "PERMISSION_DENIED": _p("region_refusal", "its certificate was not accepted"),
    "UNAUTHENTICATED": _p("region_refusal", "it presented no valid certificate"),
    "INVALID_ARGUMENT": _p("region_refusal", "what it sent breaks the format or a limit"),
    "FAILED_PRECONDITION": _p("region_refusal", "its database does not match what this node holds"),
    "RESOURCE_EXHAUSTED": _p("region_refusal", "it exceeded its allowance of calls"),
}


def region_refusal(text: object) -> str:
    """A refusal of a region as the national node stored it, in the UI language (the raw text stays the technical
    detail beside it; newcomer16 N9: `PERMISSION_DENIED: certificate … has been revoked` shown raw)."""
    import re

    from flask_babel import gettext

    raw = "" if text is None else str(text)
    for pattern, words in _REFUSAL_CLASSES:
        if re.search(pattern, raw):
            return str(words)
    code = re.match(r"([A-Z]+(?:_[A-Z]+)*): ", raw)
    found = _REFUSAL_CODES.get(code.group(1)) if code else None
    return str(found) if found is not None else gettext("the exchange was refused")


def country_name(code: str) -> str:
    """A country or territory code (ISO 3166-1 alpha-2: US, DE) by its name in the reader's language (美国, United
    States), from Babel's locale data; an unknown code as given."""
    from babel import Locale
    from flask_babel import get_locale

    locale = get_locale() or Locale.parse("zh_CN")
    text = (code or "").strip()
    return str(locale.territories.get(text.upper(), text)) if text.isascii() and len(text) == 2 else text


def label(kind: str, value: object) -> str:
    """The display name of `value` (an enum member or its stored string) in the current language."""
    key = getattr(value, "value", value)
    found = LABELS.get(kind, {}).get(str(key))
    return str(found) if found is not None else str(key)


def evidence_note(status: object, reason: str | None) -> str | None:
    """What a capture's status reason means, in the current language (the raw reason is the technical detail)."""
    import re

    from flask_babel import gettext

    from sync.evidence import refusal_kind

    if not reason:
        return None
    logged = str(getattr(status, "value", status)) == "logged"
    moved = re.match(r"moved from index (\d+) to (\d+)", reason)
    again = re.match(r"re-signed and filed again at index (\d+)", reason)
    if logged and (moved or again):  # history now, not a wait (newcomer16 N9: "logged" and "pending" at once)
        if moved:
            return gettext("Earlier moved to index %(j)s of this region's evidence log (it was %(i)s), signed again "
                           "with the current key and filed again; the national log has since taken it.",
                           i=moved[1], j=moved[2])
        return gettext("Earlier refused, then signed again with the current key and filed again (index %(i)s); the "
                       "national log has since taken it.", i=again[1] if again else "")
    if moved:
        return gettext("Moved to index %(j)s of this region's evidence log (it was %(i)s), signed again with the "
                       "current key and filed again; waiting for the national log.", i=moved[1], j=moved[2])
    if again:
        return gettext("Signed again with the current key and filed again (index %(i)s); waiting for the national "
                       "log.", i=again[1])
    if reason.startswith("recovered from the national copy"):
        return gettext("Read back from the national copy of this region's evidence log (this database, restored "
                       "from a backup, had lost it).")
    if str(getattr(status, "value", status)) != "refused":
        return None
    return gettext("Refused by the national node: %(kind)s. The region signs it again with its current key and "
                   "files it again on its next evidence pass.", kind=label("evidence_alarm", refusal_kind(reason)))
