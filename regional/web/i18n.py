"""Message catalogues for both web apps (Flask-Babel): Chinese (zh_CN) by default, English on request.

Templates and views write English message ids (`_("Leads")`, `gettext`, `lazy_pgettext`);
`<package>/web/translations/<locale>/LC_MESSAGES/*.po` hold the translations. Every .po file of
a locale is read and merged when a locale is first used (so each area can keep its own
catalogue, e.g. `review.po`, and nothing has to be compiled to .mo before a run or a test;
see docs/adr/0006-message-catalogues.md). English needs no catalogue: the ids are English.

The language of a request: `?lang=` (remembered in a cookie), then that cookie, then the
node's configured `lang`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, request
from flask_babel import Babel, Domain, get_locale

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")
DEFAULT = "zh_CN"
LANGS = ("zh_CN", "en")
LANG_NAMES = {"zh_CN": "中文", "en": "English"}
TRANSLATIONS = Path(__file__).parent / "translations"


def localtime(value: dt.datetime | str | None) -> str:
    """A time for display: Beijing time (China has no daylight saving), to the second."""
    from sync.times import beijing_text

    return beijing_text(value)  # the one formatter of the pages and the court-facing documents


@functools.lru_cache(maxsize=16)
def load_catalogues(directories: tuple[str, ...], locale: str) -> NullTranslations:
    """Every `<dir>/<locale>/LC_MESSAGES/*.po` of `directories`, merged (later files add to earlier ones)."""
    merged = Translations()
    for directory in directories:
        for po in sorted((Path(directory) / locale / "LC_MESSAGES").glob("*.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale, domain=po.stem)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
            buffer.seek(0)
            merged.merge(Translations(buffer))
    return merged


class PoDomain(Domain):
    """A Flask-Babel domain that reads the .po catalogues of the app's translation directories."""

    def get_translations(self) -> NullTranslations:
        """The merged catalogue of the request's locale (cached for the process)."""
        if get_locale() is None:
            return NullTranslations()
        return load_catalogues(tuple(self.translation_directories), current_lang())


class PoBabel(Babel):
    """Flask-Babel whose domain reads .po files (one domain object per app, not one per request)."""

    @property
    def domain_instance(self) -> Domain:
        """The app's PoDomain."""
        domain: Domain = current_app.extensions["hufu_babel_domain"]
        return domain


def current_lang() -> str:
    """The language of the current request (the node default outside one)."""
    locale = get_locale()
    if locale is None:
        return DEFAULT
    # Babel spells zh_CN as zh_Hans_CN; the catalogues and the UI use the two codes of LANGS
    return "zh_CN" if locale.language == "zh" else "en"


def catalogue_dirs(app: Flask) -> list[str]:
    """The translation directories of an app (set by `init_app`)."""
    return list(app.extensions["babel"].translation_directories)


def _select_locale() -> str:
    lang = request.args.get("lang") or request.cookies.get("lang")
    g.lang = lang if lang in LANGS else current_app.config["HUFU_DEFAULT_LANG"]
    return str(g.lang)


def init_app(app: Flask, default_lang: str = DEFAULT, extra_dirs: Sequence[Path] = ()) -> None:
    """Set up Flask-Babel for one app: the shared catalogue plus the app's own (`extra_dirs`, which win)."""
    default_lang = default_lang if default_lang in LANGS else DEFAULT
    app.config["HUFU_DEFAULT_LANG"] = default_lang
    dirs = [str(d) for d in (TRANSLATIONS, *extra_dirs)]  # later directories win on the same message
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(dirs)
    app.extensions["hufu_babel_domain"] = PoDomain(translation_directories=dirs)
    PoBabel(app, default_locale=default_lang, default_timezone="Asia/Shanghai", locale_selector=_select_locale)

    @app.after_request
    def _remember_lang(response):  # type: ignore[no-untyped-def]
        if request.args.get("lang") in LANGS:
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax",
                                secure=request.is_secure, httponly=True)
        return response

    app.add_template_filter(localtime, "localtime")

    @app.context_processor
    def _helpers() -> dict[str, object]:
        lang = current_lang()
        other = "en" if lang == "zh_CN" else "zh_CN"
        args = {k: v for k, v in request.args.items() if k != "lang"}
        return {
            "lang_url": "?" + urlencode({**args, "lang": other}),
            "lang_switch": LANG_NAMES[other],
            "lang": lang,
            "html_lang": "zh-CN" if lang == "zh_CN" else "en",
            "other_lang": other,
        }
