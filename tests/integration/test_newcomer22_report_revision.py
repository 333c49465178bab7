"""newcomer22 D2: a report address with a revision number too large for the database (`?revision=99999999999999999999`,
a mistyped or pasted link) answered 500 on both nodes (OverflowError from the driver); and a revision that is not a
number (`?revision=abc`) was silently dropped, so the page showed the live figures (region) or the latest
compilation (national) under a link that named another revision. Both are now a 400 naming the parameter.
newcomer22 D3: the same overflow in a path: POST /merges/<id> (national) and /admin/tokens/<id>/revoke (region) with an
id beyond the database's integers answered 500; now 404, like an id that does not exist."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _subprocess_env, hufu_command, sign_in, start_node_web

PASSWORD = "Pw-Xq7-2026-zz"


def hufu(*args: str | Path, stdin: str | None = None) -> str:
    done = subprocess.run([*hufu_command(), *map(str, args)], capture_output=True, text=True, input=stdin,
                          env=_subprocess_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("n22-revision")
    hufu("pki", "init", "--dir", root / "pki")
    hufu("pki", "issue-region", "440000", "--dir", root / "pki")
    hufu("national", "init", "--data-dir", root / "national", "--pki", root / "pki")
    hufu("regional", "init", "--data-dir", root / "region", "--region", "440000", "--pki",
         root / "pki/regions/440000", "--national", "127.0.0.1:9")
    hufu("regional", "user", "add", "officer", "--role", "officer", "--data-dir", root / "region", stdin=PASSWORD)
    hufu("national", "user", "add", "officer", "--role", "officer", "--data-dir", root / "national", stdin=PASSWORD)
    hufu("regional", "user", "add", "admin", "--role", "admin", "--data-dir", root / "region", stdin=PASSWORD)
    webs = [start_node_web("regional", root / "region"), start_node_web("national", root / "national")]
    try:
        yield {"regional": webs[0].base_url, "national": webs[1].base_url}
    finally:
        for web in webs:
            web.stop()


@pytest.mark.parametrize("kind", ["regional", "national"])
def test_a_bad_revision_is_a_400_naming_it_never_a_500(nodes: dict[str, str], new_page: Callable[..., Any],
                                                       kind: str) -> None:
    base = nodes[kind]
    page = new_page()
    sign_in(page, base, "officer", PASSWORD)
    for value in ("99999999999999999999", "9223372036854775808", "abc", "1.5"):
        for path in (f"/reports/2026-11?revision={value}", f"/reports/2026-11.xlsx?revision={value}"):
            answer = page.context.request.get(base + path, max_redirects=0)
            assert answer.status == 400, (path, answer.status)
            assert "revision" in answer.text(), path
    # a revision that could exist but does not is still "not found"
    assert page.context.request.get(base + "/reports/2026-11?revision=7").status == 404


def test_an_id_beyond_the_databases_integers_in_a_path_is_a_404(nodes: dict[str, str],
                                                                new_page: Callable[..., Any]) -> None:
    import re

    for kind, role, path in (("national", "officer", "/merges/{}"), ("regional", "admin", "/admin/tokens/{}/revoke")):
        base = nodes[kind]
        page = new_page()
        sign_in(page, base, role, PASSWORD)
        page.goto(base + ("/merges" if kind == "national" else "/admin/users"), wait_until="load")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.content())
        assert token, kind
        for number in ("99999999999999999999", "2147483648", "999999"):
            answer = page.context.request.post(base + path.format(number), max_redirects=0,
                                               form={"csrf_token": token.group(1), "decision": "merge"})
            assert answer.status < 500, (kind, number, answer.status)
            if number != "999999":
                assert answer.status == 404, (kind, number, answer.status)
