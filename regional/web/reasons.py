"""Lead reasons for display in the reader's language.

A lead carries its reasons twice: English sentences (the interchange form, formats.md) and,
aligned with them, codes with parameters (regional/reasons.py). `reason_texts` renders each
code through the message catalogue (`render_code`); only a reason without a usable code —
leads stored before codes existed, or a code this version does not know yet — falls back to
the legacy patterns below, which read the English sentence back into Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from regional.nice import class_label

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _differ(m: re.Match[str]) -> str:
    n, what, detail = m.group("n"), m.group("what"), m.group("detail") or ""
    unit = "个字" if what.startswith("character") else "个字母"
    extra = {"": "", ", same pinyin": "，拼音相同", ", same pinyin initials": "，拼音首字母相同",
             ", look-alike characters": "，形近字"}.get(detail, detail)
    return f"标识「{m.group('a')}」与「{m.group('b')}」近似（{n} {unit}不同{extra}）"


def _class(m: re.Match[str]) -> str:
    src = m.group("src")
    where = ""
    if src:
        cat = re.fullmatch(r"category '(.*)'", src)
        where = f"（由类目「{cat.group(1)}」推断）" if cat else "（由标题推断）"
    return f"同一商品类别 {class_label(int(m.group('c')))}{where}"


RULES: list[Rule] = [
    (re.compile(r"^mark '(?P<a>.*)' looks like '(?P<b>.*)' \((?P<n>\d+) (?P<what>characters? differs?|letters? differs?)"
                r"(?P<detail>, same pinyin(?: initials)?|, look-alike characters)?\)$"), _differ),
    (re.compile(r"^mark '(.*)' is '(.*)' with one character left out$"),
     lambda m: f"标识「{m.group(1)}」是「{m.group(2)}」少写一个字"),
    (re.compile(r"^mark '(.*)' sounds like '(.*)' \(sound-alike spelling\)$"),
     lambda m: f"标识「{m.group(1)}」与「{m.group(2)}」读音近似（拼写不同）"),
    (re.compile(r"^'(.*)' begins with the mark '(.*)'$"), lambda m: f"「{m.group(1)}」以商标「{m.group(2)}」开头"),
    (re.compile(r"^'(.*)' is a well-known mark \(驰名商标\), protected across classes$"),
     lambda m: f"「{m.group(1)}」为驰名商标，跨类别保护"),
    (re.compile(r"^mark '(.*)' looks like '(.*)' \(confusable letters\)$"),
     lambda m: f"标识「{m.group(1)}」与「{m.group(2)}」近似（形近字母混淆）"),
    (re.compile(r"^mark '(.*)' sounds like '(.*)' \(same pinyin '(.*)'\)$"),
     lambda m: f"标识「{m.group(1)}」与「{m.group(2)}」读音相同（拼音 {m.group(3)}）"),
    (re.compile(r"^mark '(.*)' is a traditional-character form of '(.*)'$"),
     lambda m: f"标识「{m.group(1)}」是「{m.group(2)}」的繁体写法"),
    (re.compile(r"^exact mark '(.*)'$"), lambda m: f"与注册商标「{m.group(1)}」完全相同"),
    (re.compile(r"^same goods class (?P<c>\d+)(?: \(inferred from (?P<src>.*)\))?$"), _class),
    (re.compile(r"^goods class (.*) differs from the mark's (.*)$"),
     lambda m: f"商品类别 {m.group(1)} 与商标核定类别 {m.group(2)} 不同"),
    (re.compile(r"^price (\S+) is far below the typical (\S+) \(counterfeit suspicion\)$"),
     lambda m: f"售价 {m.group(1)} 远低于同类正品常见价 {m.group(2)}（涉嫌假冒）"),
    (re.compile(r"^'(.*)' is not a valid patent number \((.*)\)$"),
     lambda m: f"「{m.group(1)}」不是有效的专利号（{m.group(2)}）"),
    (re.compile(r"^'(.*)' fails its check digit \(a valid number would end in \.(.)\)$"),
     lambda m: f"「{m.group(1)}」校验位错误（正确应为 .{m.group(2)}）"),
    (re.compile(r"^'(.*)' is not in the patent registry$"), lambda m: f"专利数据库中没有「{m.group(1)}」"),
    (re.compile(r"^'(.*)' is the publication of an application \(kind A\), not a granted patent$"),
     lambda m: f"「{m.group(1)}」是申请公布号（A），并非已授权专利"),
    (re.compile(r"^patent (\S+) has lapsed \(fees unpaid\); marking it is no longer allowed$"),
     lambda m: f"专利 {m.group(1)} 已因未缴年费终止，不得再标注"),
    (re.compile(r"^patent (\S+) expired(?: on (\S+))?$"),
     lambda m: f"专利 {m.group(1)} 已期限届满" + (f"（{m.group(2)}）" if m.group(2) else "")),
    (re.compile(r"^patent (\S+) has been invalidated$"), lambda m: f"专利 {m.group(1)} 已被宣告无效"),
    (re.compile(r"^(\S+) is only a pending application but is marked as a patent$"),
     lambda m: f"{m.group(1)} 仅为专利申请，却标注为专利"),
    (re.compile(r"^application (\S+) was rejected, yet '(.*)' is marked on the goods$"),
     lambda m: f"申请 {m.group(1)} 已被驳回，商品上仍标注「{m.group(2)}」"),
    (re.compile(r"^claimed as (\S+) but '(.*)' is a (\S+) number$"),
     lambda m: f"声称为{m.group(1)}，但「{m.group(2)}」是{m.group(3)}号"),
    (re.compile(r"^'(.*)' belongs to (.*), who has licensed no one; the seller is (.*)$"),
     lambda m: f"「{m.group(1)}」的专利权人为{m.group(2)}，未许可他人实施；经营者为{m.group(3)}"),
    (re.compile(r"^listing states (\d+) of (\d+) features of claim 1 of (\S+): (.*)$"),
     lambda m: f"商品描述包含 {m.group(3)} 权利要求1 的 {m.group(1)}/{m.group(2)} 项技术特征：{m.group(4)}"),
    (re.compile(r"^not stated: (.*)$"), lambda m: f"未提及：{m.group(1)}"),
    (re.compile(r"^same technical field (.*)$"), lambda m: f"同一技术领域 {m.group(1)}"),
    (re.compile(r"^to be compared by an examiner \(lower priority\)$"), lambda m: "需审查员比对（较低优先级）"),
    (re.compile(r"^listing image '(.*)' looks like view (\S+) of design (\S+) \(pHash (\d+)/64 and dHash (\d+)/64 bits differ\)$"),
     lambda m: f"商品图片「{m.group(1)}」与外观设计 {m.group(3)} 的视图 {m.group(2)} 近似"
               f"（pHash 差 {m.group(4)}/64 位，dHash 差 {m.group(5)}/64 位）"),
    (re.compile(r"^same Locarno class (.*)$"), lambda m: f"同一洛迦诺分类 {m.group(1)}"),
    (re.compile(r"^title shares '(.*)' with the design's title '(.*)'$"),
     lambda m: f"标题与外观设计名称「{m.group(2)}」共有「{m.group(1)}」"),
    (re.compile(r"^seller is on the national blacklist of repeat infringers$"), lambda m: "经营者在全国重复侵权失信名单上"),
    (re.compile(r"^complaint names this right; no detection model matched the listing$"),
     lambda m: "投诉人指明了该权利；检测模型未匹配该商品"),
    (re.compile(r"^on the national blacklist of repeat infringers$"), lambda m: "在全国重复侵权失信名单上"),
    (re.compile(r"^(\d+) leads on (\d+) right\(s\)$"), lambda m: f"涉及 {m.group(2)} 项权利的线索 {m.group(1)} 条"),
    (re.compile(r"^(\d+) leads from (\d+) distinct sellers$"),
     lambda m: f"{m.group(2)} 个不同经营者的线索 {m.group(1)} 条"),
    (re.compile(r"^price (\S+) is (\d+)% of the median (\S+) of '(.*)' \((\d+) listings\)$"),
     lambda m: f"售价 {m.group(1)} 仅为「{m.group(4)}」类 {m.group(5)} 件商品中位价 {m.group(3)} 的 {m.group(2)}%"),
]


def translate_reason(reason: str, lang: str) -> str:
    """The reason in the reader's language; English is the stored form."""
    if lang != "zh_CN":
        return reason
    for pattern, render in RULES:
        m = pattern.match(reason)
        if m:
            return render(m)
    return reason


def render_reason(reason: object, lang: str) -> str:
    """A stored English reason sentence for display in `lang` (the legacy path)."""
    return translate_reason(str(reason), lang)


# ------------------------------------------------------------------ codes with parameters

def _p(message: str) -> str:
    from flask_babel import pgettext

    return pgettext("reason", message)


def _m(context: str, message: str) -> str:
    """Mark a message (with its context) for the catalogue; it is translated when rendered."""
    return message


def _n(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _join(value: Any) -> str:
    from flask_babel import gettext

    if isinstance(value, list | tuple):
        return gettext(", ").join(_n(v) for v in value)
    return _n(value)


def _class(value: Any) -> str:
    from regional.web.i18n import current_lang

    try:
        number = int(value)
    except (TypeError, ValueError):
        return _n(value)
    return class_label(number) if current_lang() == "zh_CN" else str(number)


def _lookalike(p: dict[str, Any]) -> str:
    detail = {"same_pinyin": _p(_m("reason", ", same pinyin")), "same_initials": _p(_m("reason", ", same pinyin initials")),
              "shape": _p(_m("reason", ", look-alike characters"))}.get(str(p.get("detail") or ""), "")
    return _p(_m("reason", "mark '%(window)s' looks like '%(mark)s' (%(differ)s character(s) differ%(detail)s)")) % {
        **p, "detail": detail}


def _class_same(p: dict[str, Any]) -> str:
    source = {"category": _p(_m("reason", " (inferred from the category)")), "title": _p(_m("reason", " (inferred from the title)"))}.get(
        str(p.get("inferred_from") or ""), "")
    return _p(_m("reason", "same goods class %(class)s%(source)s")) % {"class": _class(p["class"]), "source": source}


def _wrong_kind(p: dict[str, Any]) -> str:
    from regional.web.labels import label

    return _p(_m("reason", "claimed as %(claimed)s but '%(number)s' is a %(actual)s number")) % {
        **p, "claimed": label("right_kind", p["claimed"]), "actual": label("right_kind", p["actual"])}


def _emark_invalid(p: dict[str, Any]) -> str:
    from regional.web import emark_labels  # noqa: F401 - registers the e-mark statuses
    from regional.web.labels import label

    return _p(_m("reason", "the listing shows an e-mark that fails verification: %(status)s (mark %(mark)s, right "
                           "%(right)s)")) % {**p, "status": label("emark_status", str(p.get("status") or ""))}


Renderer = Callable[[dict[str, Any]], str]
SIMPLE: dict[str, str] = {
    "em.other_product": _m("reason", "the listing shows a genuine e-mark of right %(right)s made out for another "
                                     "product ('%(product)s')"),
    "tm.counterpart": _m("reason", "'%(counterpart)s' is the registered counterpart of the mark '%(mark)s'"),
    "tm.counterfeit_wording": _m("reason", "'%(mark)s' is offered with the words '%(words)s' (the seller says the "
                                           "goods are copies)"),
    "tm.origin_claim": _m("reason", "'%(mark)s' is offered as '%(words)s' by a seller that is neither the mark's owner "
                                    "nor a licensee (a false claim of origin or authorisation)"),
    "em.genuine": _m("reason", "the listing shows a genuine e-mark of right %(right)s for this product (licensed goods)"),
    "tm.exact": _m("reason", "exact mark '%(mark)s'"),
    "tm.traditional": _m("reason", "mark '%(window)s' is a traditional-character form of '%(mark)s'"),
    "tm.homophone": _m("reason", "mark '%(window)s' sounds like '%(mark)s' (same pinyin '%(pinyin)s')"),
    "tm.deleted_char": _m("reason", "mark '%(window)s' is '%(mark)s' with one character left out"),
    "tm.inserted_char": _m("reason", "mark '%(window)s' is '%(mark)s' with one character added"),
    "tm.reordered": _m("reason", "mark '%(window)s' is '%(mark)s' with two characters swapped"),
    "tm.spacing": _m("reason", "mark '%(window)s' is '%(mark)s' written with other spacing"),
    "tm.pinyin": _m("reason", "mark '%(window)s' is the pinyin of '%(mark)s' ('%(pinyin)s')"),
    "tm.latin_confusable": _m("reason", "mark '%(window)s' looks like '%(mark)s' (confusable letters)"),
    "tm.latin_phonetic": _m("reason", "mark '%(window)s' sounds like '%(mark)s' (sound-alike spelling)"),
    "tm.latin_letters": _m("reason", "mark '%(window)s' looks like '%(mark)s' (%(differ)s letter(s) differ)"),
    "tm.latin_partial": _m("reason", "'%(window)s' begins with the mark '%(mark)s'"),
    "tm.class_other": _m("reason", "goods class %(classes)s differs from the mark's %(mark_classes)s"),
    "tm.well_known": _m("reason", "'%(mark)s' is a well-known mark, protected across goods classes"),
    "tm.cheap": _m("reason", "price %(price)s is far below the typical %(typical)s (counterfeit suspicion)"),
    "pm.malformed": _m("reason", "'%(number)s' is not a valid patent number (%(problem)s)"),
    "pm.bad_check_digit": _m("reason", "'%(number)s' fails its check digit (a valid number would end in .%(expected)s)"),
    "pm.not_in_registry": _m("reason", "'%(number)s' is not in the patent registry"),
    "pm.application_only": _m("reason", "'%(number)s' is only an application (%(patent)s), not a granted patent"),
    "pm.lapsed": _m("reason", "patent %(patent)s has lapsed (fees unpaid); marking it is no longer allowed"),
    "pm.expired": _m("reason", "patent %(patent)s expired on %(on)s"),
    "pm.invalidated": _m("reason", "patent %(patent)s has been invalidated"),
    "pm.rejected": _m("reason", "application %(patent)s was rejected, yet '%(number)s' is marked on the goods"),
    "pm.not_owner_unlicensed": _m("reason", "'%(number)s' belongs to %(owner)s, who has licensed no one; the seller is %(seller)s"),
    "ds.image_similar": _m("reason", "listing image '%(image)s' looks like view %(view)s of design %(design)s "
                        "(pHash %(phash_bits)s/64 and dHash %(dhash_bits)s/64 bits differ)"),
    "ds.same_class": _m("reason", "same Locarno class %(locarno)s"),
    "ds.title_shared": _m("reason", "title shares '%(shared)s' with the design's title '%(title)s'"),
    "iv.claim_features": _m("reason", "listing states %(matched)s of %(total)s features of claim 1 of %(patent)s: %(features)s"),
    "iv.not_stated": _m("reason", "not stated: %(features)s"),
    "iv.same_field": _m("reason", "same technical field %(fields)s"),
    "iv.examiner_review": _m("reason", "to be compared by an examiner (lower priority)"),
    "bl.seller_blacklisted": _m("reason", "seller is on the national blacklist of repeat infringers"),
    "cp.named_right": _m("reason", "the complainant names %(right)s; no detection model matched the listing"),
}
def _recorded_brand(p: dict[str, Any]) -> str:
    party = {"consignor": _p(_m("reason", "consignor")), "consignee": _p(_m("reason", "consignee"))}[str(p["party"])]
    return _p(_m("reason", "brand '%(brand)s' is recorded with customs for %(right)s (recordation %(recordation)s); "
                           "the %(party)s %(name)s is neither the holder nor a licensee")) % {**p, "party": party}


def _export_same_mark(p: dict[str, Any]) -> str:
    """A destination country's mark: the country by its name in the reader's language (美国), not its code (US)."""
    from regional.web.labels import country_name

    return _p(_m("reason", "the brand '%(brand)s' is the mark '%(mark)s' registered in %(country)s by %(owner)s")) % {
        **p, "country": country_name(str(p["country"]))}


SPECIAL: dict[str, Renderer] = {"cu.export_same_mark": _export_same_mark, "em.invalid": _emark_invalid, "tm.lookalike": _lookalike, "tm.class_same": _class_same, "pm.wrong_kind": _wrong_kind,
                                "cu.recorded_brand_unlicensed": _recorded_brand}


def render_code(entry: Any) -> str | None:
    """One reason code with its parameters in the current language, or None if it cannot be rendered."""
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        return None
    code = entry["code"]
    params = {k: _join(v) if k != "class" else v for k, v in entry.items() if k != "code"}
    try:
        if code in SPECIAL:
            return SPECIAL[code](params)
        if code in SIMPLE:
            return _p(SIMPLE[code]) % params
    except (KeyError, TypeError, ValueError):
        return None  # a parameter is missing or malformed: the sentence is shown instead
    return None


# ------------------------------------------------------------------ look-alike letters, told apart

# reasons that compare a listing's window with a mark; their letters may differ only in glyphs that look the same
# on screen (l/I, 0/O, rn/m): such a reason gets the differing characters named
_COMPARED = {"tm.latin_confusable", "tm.latin_letters", "tm.latin_phonetic", "tm.lookalike"}
_COMPARED_SENTENCE = re.compile(r"^mark '(?P<window>.*)' (?:looks|sounds) like '(?P<mark>.*)' \(")


def differing_characters(window: str, mark: str) -> list[tuple[int, str, str]]:
    """(1-based position in the window, window's character, mark's character) for every character the two
    differ in at the same place, ignoring letter case (marks are registered in capitals: 'Nike' is 'NIKE');
    insertions and deletions are visible and not listed."""
    import difflib

    def folded(text: str) -> list[str]:
        return [c.lower() if c.isascii() else c for c in text]

    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, folded(window), folded(mark),
                                                       autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            out.extend((i1 + k + 1, window[i1 + k], mark[j1 + k]) for k in range(i2 - i1))
    return out


def _char_name(ch: str) -> str:
    if ch.isascii() and ch.isalpha():
        return (_p(_m("reason", "lower-case %(c)s")) if ch.islower() else _p(_m("reason", "capital %(c)s"))) % {"c": ch}
    if ch.isascii() and ch.isdigit():
        return _p(_m("reason", "digit %(c)s")) % {"c": ch}
    return f"{ch} (U+{ord(ch):04X})"


def _told_apart(window: str, mark: str) -> str | None:
    """"position 2: lower-case l in the listing, capital I in the mark" when Latin letters or digits differ."""
    from flask_babel import gettext

    diffs = [d for d in differing_characters(window, mark) if d[1].isascii() or d[2].isascii()][:4]
    if not diffs or len(window) > 100 or len(mark) > 100:
        return None
    return gettext("; ").join(
        _p(_m("reason", "character %(n)s: %(a)s in the listing, %(b)s in the mark")) % {
            "n": n, "a": _char_name(a), "b": _char_name(b)} for n, a, b in diffs)


def reason_texts(reasons: Any, codes: Any = None, lang: str | None = None) -> list[str]:
    """A lead's reasons for display: rendered from codes where possible, else from the sentences. A reason that
    compares Latin letters names the characters that differ (l and I look the same in most fonts)."""
    from regional.web.i18n import current_lang

    lang = lang or current_lang()
    sentences = [str(r) for r in (reasons or [])]
    entries = list(codes or []) if isinstance(codes, list | tuple) else []
    aligned = len(entries) == len(sentences)
    out = []
    for i, sentence in enumerate(sentences):
        entry = entries[i] if aligned else None
        text = render_code(entry) if entry is not None else None
        text = text if text is not None else translate_reason(sentence, lang)
        pair = None
        if isinstance(entry, dict) and entry.get("code") in _COMPARED:
            pair = entry.get("window"), entry.get("mark")
        elif (m := _COMPARED_SENTENCE.match(sentence)) is not None:
            pair = m.group("window"), m.group("mark")
        if pair and isinstance(pair[0], str) and isinstance(pair[1], str):
            hint = _told_apart(pair[0], pair[1])
            if hint:
                text = _p(_m("reason", "%(reason)s — %(differences)s")) % {"reason": text, "differences": hint}
        out.append(text)
    return out
