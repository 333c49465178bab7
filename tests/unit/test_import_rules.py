"""The rules an importer can raise (regional/formats/messages.py): each is said in Chinese, each raise site names
one by its key (no English sentence written at a raise site, which the web UI could only parse back), every
whole-file reason code has a kind the upload pages explain, and an old entry's English reads back into the same
rule."""

from __future__ import annotations

import ast
import re

import pytest

from regional.formats.messages import CONTEXT, FRAMES, NESTED, RULES, Problem, read, read_framed, say
from regional.web.catalogue import ROOT
from regional.web.filefaults import KINDS
from regional.web.i18n import load_catalogues

# the readers: every module that raises ImportFileError or makes a RecordError of an import
READERS = sorted([*(ROOT / "regional" / "formats").glob("*.py"), ROOT / "regional" / "importers.py",
                  ROOT / "regional" / "customs" / "service.py", ROOT / "regional" / "customs" / "core.py",
                  ROOT / "regional" / "exhibitions" / "service.py", ROOT / "regional" / "exhibitions" / "core.py",
                  ROOT / "regional" / "evidence" / "intake.py"])
# tables of keys in the readers: reason by first bytes, json's messages, pydantic's error types
KEY_TABLES = {"_MAGIC", "_JSON_REASONS", "_GENERIC", "_BOUNDS"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _str(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _said_key(node: ast.AST) -> str | None:
    """The key of a `say("key", …)` call."""
    if isinstance(node, ast.Call) and _name(node.func) == "say" and node.args:
        return _str(node.args[0])
    return None


def _scan(sources: list[tuple[str, str]]) -> tuple[dict[str, list[str]], set[str], list[str]]:
    """(key -> where it is raised, whole-file codes, raise sites that write a sentence instead of a rule)."""
    keys: dict[str, list[str]] = {}
    file_codes: set[str] = set()
    sentences: list[str] = []
    for where, source in sources:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in ("say", "_rule") and node.args:
                key = _str(node.args[0])
                if key is not None:
                    keys.setdefault(key, []).append(f"{where}:{node.lineno}")
            if isinstance(node, ast.Assign) and any(_name(t) in KEY_TABLES for t in node.targets):
                values = node.value.values if isinstance(node.value, ast.Dict) else [
                    e.elts[-1] for e in getattr(node.value, "elts", []) if isinstance(e, ast.Tuple)]
                for value in values:
                    key = _str(value)
                    assert key is not None, f"{where}:{node.lineno}: a key table holds a non-key"
                    keys.setdefault(key, []).append(f"{where}:{node.lineno}")
            # BundleError is an ImportFileError (a .zip bundle's refusal; its sentences crashed the import, session 23)
            if isinstance(node, ast.Call) and _name(node.func) in ("ImportFileError", "BundleError") \
                    and len(node.args) >= 2:
                reason = node.args[1]
                if isinstance(reason, ast.Constant | ast.JoinedStr | ast.BinOp):
                    sentences.append(f"{where}:{node.lineno}: ImportFileError with a sentence")
                code = _said_key(reason)
                if code is not None:
                    file_codes.add(code)
            if isinstance(node, ast.Call) and _name(node.func) in ("ExhibitionError", "CustomsError") \
                    and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant | ast.JoinedStr | ast.BinOp):
                sentences.append(f"{where}:{node.lineno}: {_name(node.func)} with a sentence (say a rule)")
            if isinstance(node, ast.Call) and _name(node.func) == "RecordError" and len(node.args) >= 5:
                if isinstance(node.args[4], ast.Constant | ast.JoinedStr | ast.BinOp):
                    sentences.append(f"{where}:{node.lineno}: RecordError with a sentence (use RecordError.of)")
    # whole-file codes chosen by a variable (the reader names its candidates in say() calls beside the raise)
    file_codes |= {"gbk", "encoding", "gzip", "cannot_read", "no_column", "no_sheet_column", "empty_file",
                   "header_only", "blank_lines", "zip", "xls", "pdf", "gzip_unnamed", "image"}
    return keys, file_codes, sentences


KEYS, FILE_CODES, SENTENCES = _scan([(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in READERS])
ZH = load_catalogues((str(ROOT / "regional" / "web" / "translations"),), "zh_CN")


def test_the_readers_raise_rules_by_key_and_every_key_is_a_rule() -> None:
    assert len(KEYS) > 60, f"the scan found only {len(KEYS)} keys: is it still reading the readers?"
    unknown = {k: v for k, v in KEYS.items() if k not in RULES}
    assert not unknown, f"keys raised but not in regional/formats/messages.py RULES: {unknown}"
    assert not SENTENCES, "\n".join(SENTENCES)


@pytest.mark.parametrize("key", sorted(RULES))
def test_every_rule_has_a_chinese_translation_with_the_same_placeholders(key: str) -> None:
    english = RULES[key]
    chinese = ZH.upgettext(CONTEXT, english)
    assert chinese != english, f"rule {key!r} has no zh_CN translation in imports.po: {english!r}"
    assert sorted(PLACEHOLDER.findall(chinese)) == sorted(PLACEHOLDER.findall(english))


def test_every_frame_has_a_chinese_translation() -> None:
    for template in FRAMES.values():
        assert ZH.upgettext(CONTEXT, template) != template


def test_every_whole_file_code_has_a_kind_the_upload_pages_explain() -> None:
    missing = sorted(c for c in FILE_CODES if c not in KINDS)
    assert not missing, f"ImportFileError codes without a kind in regional/web/filefaults.py KINDS: {missing}"
    assert set(KINDS) <= set(RULES)


def _example(key: str) -> Problem:
    params: dict[str, object] = {}
    for i, name in enumerate(PLACEHOLDER.findall(RULES[key])):
        params[name] = say("iso_date") if NESTED.get(key) == name else f"v{i}x"
    return say(key, **params)


@pytest.mark.parametrize("key", sorted(RULES))
def test_an_old_entrys_english_reads_back_into_its_rule(key: str) -> None:
    problem = _example(key)
    assert read(str(problem)) == problem
    zh = problem.text(lambda t: ZH.upgettext(CONTEXT, t))
    assert "%(" not in zh and all(f"v{i}x" in zh for i in range(len(problem.params)) if f"v{i}x" in str(problem))


def test_stored_parts_round_trip_and_an_unknown_key_is_not_guessed() -> None:
    problem = say("got", message=say("one_of", values="进口, 出口"), got='"sideways"')
    assert Problem.from_json(problem.as_json()) == problem
    assert str(problem) == 'must be one of 进口, 出口 (got "sideways")'
    assert Problem.from_json({"key": "a_rule_of_a_newer_version", "params": {}}) is None
    parts = read_framed("declarations.csv:3 (4400) field 'direction': " + str(problem))
    assert parts is not None and parts["message"] == problem and parts["line"] == "3"
    assert read_framed("bad_credentials") is None  # a login's reason: no import problem
    # sentences as the readers write them, read back whole (a wrapper around a rule before the rule alone)
    for text in ["must be one of trademark, invention (got \"tm\")", "item 2 must be at most 45 (got 46)",
                 "not valid JSON: expected a JSON value (column 7)", "has 7 cells but the header row has 5 columns",
                 "is not a unified social credit code: 17 character(s), a code has 18 (got \"9144\"); kept as given",
                 "is 1,201 characters long; at most 1,000 are allowed"]:
        said = read(text)
        assert said is not None and str(said) == text and said.key in ("got", "json_at", "sheet_cells", "got_kept",
                                                                        "too_long"), text


def test_say_refuses_a_key_that_is_no_rule() -> None:
    with pytest.raises(KeyError):
        say("no_such_rule_key")


def test_the_scan_sees_a_sentence_written_at_a_raise_site_and_a_new_key() -> None:
    """The scan the checks above rely on catches a sentence at a raise site and a key with no rule."""
    code = ('RecordError(file, 1, None, None, f"bad {x}")\nImportFileError(name, "is odd")\n'
            'RecordError.of(file, 1, None, None, say("a_new_rule", n=1))\n')
    keys, _codes, sentences = _scan([("new.py", code)])
    assert [s.split(": ")[0] for s in sentences] == ["new.py:1", "new.py:2"]
    assert set(keys) == {"a_new_rule"} and "a_new_rule" not in RULES


def test_a_whole_number_read_as_a_float_is_echoed_as_written() -> None:
    from regional.formats.errors import describe_value

    assert (describe_value(-5.0), describe_value(2.5), describe_value(36000.0)) == ("-5", "2.5", "36000")
    assert describe_value(1e20) == "1e+20" and describe_value("-5") == '"-5"'


def test_a_web_uploads_refusal_names_the_forms_choice_the_command_lines_its_flag() -> None:
    from regional.formats.errors import ImportFileError
    from regional.formats.messages import say

    cli = ImportFileError("a.csv", say("gbk", enc="UTF-8", byte="0xB1", col=3), line=2)
    web = cli.on_the_web()
    assert "--encoding gb18030" in cli.reason and "--encoding" not in web.reason
    assert (web.code, web.line, web.file, web.params) == ("gbk_form", 2, "a.csv", cli.params)
    other = ImportFileError("a.csv", say("no_records"))
    assert other.on_the_web() is other
