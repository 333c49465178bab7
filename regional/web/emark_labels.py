"""Labels of e-mark values (issue 14), registered for `label(kind, value)`: the pages and the reason renderer use them."""

from __future__ import annotations

from flask_babel import lazy_pgettext as _p

from regional.web.labels import register

register("emark_status", {
    "genuine": _p("emark_status", "genuine"), "forged": _p("emark_status", "forged"),
    "altered": _p("emark_status", "altered or damaged"), "revoked": _p("emark_status", "revoked"),
    "unknown": _p("emark_status", "unknown to the issuing office"),
    "unreadable": _p("emark_status", "not an e-mark"),
})
register("emark_state", {"active": _p("emark_state", "in force"), "revoked": _p("emark_state", "revoked")})
register("emark_channel", {
    "web": _p("emark_channel", "public page"), "api": _p("emark_channel", "public API"),
    "cli": _p("emark_channel", "command line"), "detection": _p("emark_channel", "listing screening"),
    "officer": _p("emark_channel", "officer"),
})
register("emark_step", {
    "registered": _p("emark_step", "right registered"), "issued": _p("emark_step", "e-mark issued"),
    "scan": _p("emark_step", "scanned"), "lead": _p("emark_step", "lead for officers"),
    "revoked": _p("emark_step", "e-mark revoked"),
})
