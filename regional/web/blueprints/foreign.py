"""Foreign-language listings (外文商品, issue 14): what was screened in English, Spanish and other languages,
the goods classes read from their text, and the leads found — reasons in the reader's language."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, request
from flask import render_template as render
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p

from regional.actors import ADMIN, AUDITOR, OFFICER, SUPERVISOR
from regional.models import LeadRow, ListingRow
from regional.web.auth import roles_required
from regional.web.db import db
from regional.web.foundation import NavItem, page_arg
from regional.web.labels import register

bp = Blueprint("foreign", __name__)
READERS = (OFFICER, SUPERVISOR, ADMIN, AUDITOR)
NAV = [NavItem("foreign.listings", _l("Foreign-language listings"), roles=frozenset(READERS))]
PAGE = 50
LANGUAGES = ("en", "es", "ru", "ja", "ko", "other")
register("language", {"zh": _p("language", "Chinese"), "en": _p("language", "English"),
                      "es": _p("language", "Spanish"), "ru": _p("language", "Russian"),
                      "ja": _p("language", "Japanese"), "ko": _p("language", "Korean"),
                      "other": _p("language", "other language")})


@bp.app_template_global("nice_label")
def nice_label(number: int) -> str:
    """A Nice class with its heading in the reader's language."""
    from flask_babel import gettext

    from regional.nice import class_label, nice_classes
    from regional.web.i18n import current_lang

    if current_lang() == "zh_CN":
        return class_label(number)
    heading = nice_classes().get(number)
    return gettext("class %(n)s", n=number) + (f" {heading.en_short}" if heading else "")


@bp.get("/foreign-listings")
@roles_required(*READERS)
def listings() -> Any:
    """Listings in other languages than Chinese, newest first, with the goods classes read and the leads found."""
    from regional.detection.foreign import latin_classes

    # `language`, not `lang`: `?lang=` is the UI's language switch (regional/web/i18n.py)
    lang = request.args.get("language") if request.args.get("language") in LANGUAGES else None
    page = page_arg()
    with db().read() as session:
        where = ListingRow.language.in_([lang] if lang else list(LANGUAGES))
        total = session.scalar(sa.select(sa.func.count()).select_from(ListingRow).where(where)) or 0
        counts = dict(session.execute(sa.select(ListingRow.language, sa.func.count()).where(
            ListingRow.language.in_(list(LANGUAGES))).group_by(ListingRow.language)).all())
        rows = list(session.scalars(sa.select(ListingRow).where(where)
                                    .order_by(ListingRow.imported_at.desc(), ListingRow.id)
                                    .limit(PAGE).offset((page - 1) * PAGE)))
        leads: dict[str, list[LeadRow]] = {}
        for lead in session.scalars(sa.select(LeadRow).where(LeadRow.listing_id.in_([r.id for r in rows]))
                                    .order_by(LeadRow.score.desc())):
            leads.setdefault(lead.listing_id, []).append(lead)
    classes = {r.id: (tuple(r.nice_classes or ()) or latin_classes(r.title) or latin_classes(r.description or ""))
               for r in rows}
    return render("foreign_listings.html", rows=rows, leads=leads, classes=classes, lang=lang or "", total=total,
                  counts=counts, languages=LANGUAGES, page=page, pages=max(1, -(-total // PAGE)))
