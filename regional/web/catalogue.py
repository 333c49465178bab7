"""Find every message the web UIs use (Python and templates) and check the catalogues cover them.

Used by tests/unit/test_catalogues.py and by `make messages` (which writes the .pot template
translators start from): `python -m regional.web.catalogue [--pot FILE]`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("regional", "national")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2), "_p": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None, "_m": ((1, "c"), 2)}
METHODS = [("**/web/**.py", "python"), ("**/formats/messages.py", "python"), ("**/accounts/**.py", "python"), ("**/web/**/templates/**.html", "jinja2"),
           ("**/web/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}


@dataclass(frozen=True)
class Message:
    """One message id as used in the code."""

    msgid: str
    context: str | None
    where: str


def used_messages() -> Iterator[Message]:
    """Every (context, id) the web packages pass to a gettext function, with where it is used."""
    for package in PACKAGES:
        base = ROOT / package
        for filename, lineno, message, _comments, context in extract_from_dir(
                str(base), METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True):
            msgid = message[0] if isinstance(message, tuple | list) else message
            if msgid:
                yield Message(msgid, context, f"{package}/{filename}:{lineno}")


def build_template() -> Catalog:
    """A catalogue template (.pot) of every message used."""
    catalog = Catalog(project="Hufu", charset="utf-8")
    for m in used_messages():
        catalog.add(m.msgid, locations=[(m.where, 0)], context=m.context)
    return catalog


def main(argv: list[str] | None = None) -> int:
    """Write the .pot template, or list the messages."""
    parser = argparse.ArgumentParser(description="Messages used by the web UIs")
    parser.add_argument("--pot", type=Path, help="write a catalogue template (.pot) here")
    args = parser.parse_args(argv)
    if args.pot:
        with args.pot.open("wb") as handle:
            write_po(handle, build_template(), width=110)
        print(f"wrote {args.pot}")
        return 0
    for m in used_messages():
        print(f"{m.where}\t{m.context or ''}\t{m.msgid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
