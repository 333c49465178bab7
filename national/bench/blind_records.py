"""The hand-written blind dedup checks (dedup22–24: national/bench/dedup22_blind_src.py, tests/checks/dedup2*_blind_src.py)
write their records through this one helper: credit codes with their GB 32100 check character (the bench's own
`independent4.code_check`, not the resolver's) and one JSON line per record. Score a written file with
`python -m national.bench.dedup22_blind FILE`."""

from __future__ import annotations

import json
import sys

from national.bench.independent4 import CODE_CHARS, code_check


def uscc(head: str, division: str, organisation: str) -> str:
    """A valid 18-character credit code from its registration head (91, 92 …), division and organisation parts."""
    body = head + division + organisation
    assert len(body) == 17 and all(c in CODE_CHARS for c in body), body
    return body + code_check(body)


class BlindRecords:
    """The records of one check, numbered `<prefix>001`, `<prefix>002` … in the order written."""

    def __init__(self, prefix: str, default_out: str | None = None) -> None:
        self.prefix = prefix
        self.default_out = default_out
        self.rows: list[dict[str, str]] = []

    def add(self, entity: str, name: str, uscc: str | None = None, phone: str | None = None,
            address: str | None = None, shop_url: str | None = None) -> None:
        """One record of `entity` (the truth); fields left empty are not written."""
        row = {"id": f"{self.prefix}{len(self.rows) + 1:03d}", "name": name}
        for key, value in (("uscc", uscc), ("phone", phone), ("address", address), ("shop_url", shop_url)):
            if value:
                row[key] = value
        row["entity"] = entity
        self.rows.append(row)

    def main(self, argv: list[str] | None = None) -> int:
        """Write the records to argv[1] (or the check's own file) and say how many."""
        args = sys.argv if argv is None else argv
        out = args[1] if len(args) > 1 else self.default_out
        if out is None:
            raise SystemExit("usage: python SRC OUT.jsonl")
        with open(out, "w", encoding="utf-8") as f:
            for row in self.rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(len(self.rows), "records", len({row["entity"] for row in self.rows}), "entities")
        return 0
