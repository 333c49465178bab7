"""A .zip listings bundle that cannot be opened safely (not a zip, an entry pointing outside it, no listings file or
two) is refused by rule — one line naming the bundle and the reason, exit 1, an audit entry with the rule's key (the
rule's Chinese is in lead23.po; test_import_rules checks it). On main 81c5939 every such bundle ended in a traceback
(AttributeError: 'str' object has no attribute 'as_json': BundleError was given a sentence, not a rule) and nothing
was audited (ops23 saw it; fixed by the lead, session 23). Real `hufu` processes on a fresh region."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.integration.fresh_nodes import fresh_region, run


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fresh_region(tmp_path_factory.mktemp("lead23-bundle"))


def _zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


LISTING = json.dumps({"id": "l23-1", "title": "康帅傅 红烧牛肉面", "price": 3.5}, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(("make", "said", "key"), [
    (lambda d: (d / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip") and d / "broken.zip",
     "broken.zip: is not a readable zip bundle (", "bundle_unreadable"),
    (lambda d: _zip(d / "slip.zip", {"../listings.jsonl": LISTING}),
     "slip.zip: entry '../listings.jsonl' points outside the bundle", "bundle_outside"),
    (lambda d: _zip(d / "none.zip", {"readme.txt": "no listings here"}),
     "none.zip: must hold exactly one listings file (*.jsonl, *.csv or *.xlsx, optionally .gz); found none",
     "bundle_listings"),
    (lambda d: _zip(d / "two.zip", {"a.jsonl": LISTING, "b.jsonl": LISTING}),
     "two.zip: must hold exactly one listings file (*.jsonl, *.csv or *.xlsx, optionally .gz); found a.jsonl, b.jsonl",
     "bundle_listings"),
])
def test_a_bundle_that_cannot_be_opened_safely_is_refused_by_rule_and_audited(node: Path, tmp_path: Path, make, said,
                                                                               key) -> None:
    path = make(tmp_path)
    done = run("regional", "import-listings", path, "--data-dir", node)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and said in done.stderr, done.stderr
    with sqlite3.connect(node / "node.db") as db:
        rows = [json.loads(d) for (d,) in db.execute(
            "SELECT detail FROM audit_log WHERE action = 'import_listings_unreadable' ORDER BY id")]
    assert any(r["file"] == str(path) and r["reason_parts"]["rule"]["key"] == key for r in rows), rows
    with sqlite3.connect(node / "node.db") as db:
        assert db.execute("SELECT COUNT(*) FROM listings WHERE id = 'l23-1'").fetchone() == (0,)
