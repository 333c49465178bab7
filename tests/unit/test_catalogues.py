"""The message catalogues: every message the web UIs use has a Chinese translation, and every
translation keeps its placeholders."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from regional.web.catalogue import ROOT, used_messages
from regional.web.i18n import load_catalogues

CATALOGUE_DIRS = (str(ROOT / "national" / "web" / "translations"), str(ROOT / "regional" / "web" / "translations"))


def _po_files() -> list[Path]:
    return sorted(p for d in CATALOGUE_DIRS for p in Path(d).glob("*/LC_MESSAGES/*.po"))


def test_every_message_used_has_a_chinese_translation() -> None:
    zh = load_catalogues(CATALOGUE_DIRS, "zh_CN")
    missing = []
    for m in used_messages():
        text = zh.upgettext(m.context, m.msgid) if m.context else zh.ugettext(m.msgid)
        if text == m.msgid:
            missing.append(f"{m.where}: {m.context + ' | ' if m.context else ''}{m.msgid!r}")
    assert not missing, "messages without a zh_CN translation (add them to a .po file):\n" + "\n".join(missing)


def test_catalogues_parse_and_keep_their_placeholders() -> None:
    problems = []
    files = _po_files()
    assert files, "no .po catalogues found"
    for po in files:
        with po.open("rb") as handle:
            catalog = read_po(handle, locale="zh_CN")
        for message, errors in catalog.check():
            problems += [f"{po.relative_to(ROOT)}: {message.id!r}: {e}" for e in errors]
        problems += [f"{po.relative_to(ROOT)}: fuzzy {m.id!r}" for m in catalog if m.id and m.fuzzy]
    assert not problems, "\n".join(problems)


def test_english_is_the_message_id_and_needs_no_catalogue() -> None:
    en = load_catalogues(CATALOGUE_DIRS, "en")
    assert en.ugettext("Leads") == "Leads"
    assert load_catalogues(CATALOGUE_DIRS, "zh_CN").ugettext("Leads") == "线索"


def test_the_regional_ui_is_chinese_with_the_regional_catalogues_alone() -> None:
    """A region's app loads only regional/web/translations: a regional message translated only in the national
    catalogues would show in English at every region."""
    zh = load_catalogues((str(ROOT / "regional" / "web" / "translations"),), "zh_CN")
    missing = []
    for m in used_messages():
        if not str(m.where).startswith("regional"):
            continue
        text = zh.upgettext(m.context, m.msgid) if m.context else zh.ugettext(m.msgid)
        if text == m.msgid:
            missing.append(f"{m.where}: {m.context + ' | ' if m.context else ''}{m.msgid!r}")
    assert not missing, "regional messages without a zh_CN translation in regional/web/translations:\n" + \
        "\n".join(missing)
