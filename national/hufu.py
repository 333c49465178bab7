"""The `hufu` console command: assembles every package's commands, runs one, maps errors to exit codes.

Each package owns its commands: `sync/cli.py` (pki), `regional/cli.py`, `national/cli.py`
(national and demo) and `national/bench/cli.py` (bench). This module only assembles them
(national is the top of the import graph, so it may import all three).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sync.cli import fail

GROUPS = ("pki", "regional", "national", "evidence", "bench", "demo")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `hufu`."""
    import national.bench.cli
    import national.cli
    import national.evidence_cli
    import regional.cli
    import sync.cli

    p = argparse.ArgumentParser(prog="hufu", description="Hufu 虎符: federated Internet+ IP protection")
    sub = p.add_subparsers(dest="group", required=True, metavar="{" + ",".join(GROUPS) + "}")
    sync.cli.register(sub)
    regional.cli.register(sub)
    national.cli.register(sub)
    national.evidence_cli.register(sub)
    national.bench.cli.register(sub)
    _describe_pages(p)
    return p


def _describe_pages(parser: argparse.ArgumentParser) -> None:
    """Give every command's own --help page a description line: its one-line help from the group listing when the
    package gave none (newcomer14 F33: 28 pages showed only usage and options)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, child in action.choices.items():
                if not child.description and helps.get(name):
                    text = str(helps[name])
                    child.description = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
                _describe_pages(child)


def undecodable_argument(argv: Sequence[str], exc: UnicodeEncodeError) -> str:
    """What to tell when a command stopped on text it cannot store: the argument the shell handed over in bytes that
    are not UTF-8 (a GBK terminal, a pasted note), by its bytes (newcomer20: `case-feedback --note` said only
    "'utf-8' codec can't encode characters in position 0-3: surrogates not allowed")."""
    import os

    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return (f"the argument {os.fsencode(arg)!r} is not UTF-8 text (is the terminal's locale GBK?): "
                    "type it again in a UTF-8 terminal (LANG=zh_CN.UTF-8)")
    return str(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `hufu` console script."""
    from sync.config import ConfigError
    from sync.pki import PkiError
    from sync.regions import UnknownRegion

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UnicodeEncodeError as exc:
        return fail(undecodable_argument(sys.argv[1:] if argv is None else argv, exc))
    except (ConfigError, PkiError, UnknownRegion, FileNotFoundError, ValueError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
