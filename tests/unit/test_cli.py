"""The `hufu` command: every package registers its own commands, and every option says what it does."""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from national.bench.cli import BENCHES, bench_parser
from national.hufu import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def _walk(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _walk(child, f"{path} {name}")


def _all_parsers() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield from _walk(build_parser(), "hufu")
    for name in BENCHES:
        yield f"hufu bench {name}", bench_parser(name)


def test_every_option_and_argument_of_every_command_has_help_text() -> None:
    missing = []
    for path, parser in _all_parsers():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{path}: {'/'.join(action.option_strings) or action.dest}")
    assert not missing, "options without help text:\n" + "\n".join(missing)


def test_every_subcommand_has_help_in_its_group_listing() -> None:
    missing = []
    for path, parser in _walk(build_parser(), "hufu"):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest for choice in action._choices_actions if choice.help}
                missing += [f"{path} {name}" for name in action.choices if name not in helped]
    assert not missing, "commands without help:\n" + "\n".join(missing)


def test_every_command_page_has_a_description_line() -> None:
    """newcomer14 F33: `hufu pki revoke-region --help` and 27 more showed only usage and options."""
    bare = [path for path, parser in _walk(build_parser(), "hufu") if not parser.description]
    assert not bare, "--help pages without a description:\n" + "\n".join(bare)


# The command names and flags outside checks and operators rely on: they must not change.
STABLE = {
    "hufu pki init": {"--dir", "--host", "--force"},
    "hufu pki issue-region": {"code", "--dir", "--overlap-hours"},
    "hufu pki revoke-region": {"code", "--dir"},
    "hufu regional init": {"--data-dir", "--region", "--pki", "--national", "--database-url", "--web-port"},
    "hufu regional import-registry": {"--data-dir", "file", "--actor"},
    "hufu regional import-listings": {"--data-dir", "file", "--actor"},
    "hufu regional screen": {"--data-dir"},
    "hufu regional sync": {"--data-dir"},
    "hufu regional launch": {"--data-dir", "--right", "--core", "--requested-by"},
    "hufu regional reconcile": {"--data-dir"},
    "hufu regional restore": {"--data-dir", "--operator", "--reason"},
    "hufu regional case-feedback": {"--data-dir", "case", "--status", "--officer", "--note", "--finding", "--result"},
    "hufu regional web": {"--data-dir", "--port", "--workers"},
    "hufu regional worker": {"--data-dir"},
    "hufu regional detect": {"--registry", "--listings", "--out", "--threshold", "--with-codes"},
    "hufu regional sample": {"--regions", "--out", "--seed", "--listings"},
    "hufu regional migrate": {"--data-dir", "--check", "--json"},
    "hufu national migrate": {"--data-dir", "--check", "--json"},
    "hufu national init": {"--data-dir", "--pki", "--database-url", "--grpc-port", "--web-port"},
    "hufu national serve": {"--data-dir", "--port"},
    "hufu national web": {"--data-dir", "--port", "--workers"},
    "hufu national worker": {"--data-dir"},
    "hufu national form-cases": {"--data-dir"},
    "hufu national dedup": {"--entities", "--out", "--config", "--workers", "--model-out", "--quiet"},
    "hufu national sweep": {"--data-dir", "--registry", "--listings", "--right", "--nice", "--name", "--actor"},
    "hufu national verify-filings": {"--data-dir", "--uuid"},
    "hufu national status": {"--data-dir", "--json", "--silent-after"},
    "hufu bench": {"name", "rest"},
    "hufu pki export-national-key": {"--dir", "--out"},
    "hufu evidence verify": {"package", "--national-key", "--min-witnesses"},
    "hufu evidence export": {"uuid", "--data-dir", "--out"},
    "hufu evidence capture": {"lead", "--data-dir", "--officer"},
    "hufu demo": {"--once", "--data-dir", "--regions", "--listings", "--seed", "--timeout"},
}


def test_command_names_and_flags_stay_stable() -> None:
    parsers = dict(_walk(build_parser(), "hufu"))
    lost = []
    for path, flags in STABLE.items():
        if path not in parsers:
            lost.append(f"{path}: command missing")
            continue
        have = set()
        for action in parsers[path]._actions:
            have |= set(action.option_strings) or {action.dest}
        lost += [f"{path}: {flag}" for flag in sorted(flags - have)]
    assert not lost, "commands or flags that disappeared:\n" + "\n".join(lost)


@pytest.mark.parametrize(("module", "groups"), [("sync.cli", ["pki"]), ("regional.cli", ["regional"]),
                                                 ("national.cli", ["national", "demo"]),
                                                 ("national.bench.cli", ["bench"]),
                                                 ("national.evidence_cli", ["evidence"])])
def test_each_package_registers_its_own_command_groups(module: str, groups: list[str]) -> None:
    import importlib

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    assert list(sub.choices) == groups


def test_the_entry_point_only_assembles() -> None:
    tree = ast.parse((ROOT / "national" / "hufu.py").read_text(encoding="utf-8"))
    commands = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("cmd_")]
    assert commands == []


def test_python_dash_m_national_cli_still_runs_the_whole_command(capsys: pytest.CaptureFixture[str]) -> None:
    from national import cli

    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for group in ("pki", "regional", "national", "bench", "demo"):
        assert group in out


def test_missing_data_dir_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["regional", "screen"])
    assert exited.value.code == 2
    assert "--data-dir" in capsys.readouterr().err


def test_evidence_verify_names_an_unreadable_key_in_one_line_and_refuses_a_damaged_package(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """newcomer12: a missing key file printed Python's raw "[Errno 2] …"; a non-zip package is INVALID (exit 1)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    package = tmp_path / "证据.zip"
    package.write_bytes(b"PK\x03\x04 truncated")
    assert main(["evidence", "verify", str(package), "--national-key", str(tmp_path / "nope.pem")]) == 2
    err = capsys.readouterr().err
    assert "cannot be read as the national public key (No such file or directory)" in err and "[Errno" not in err
    key = tmp_path / "national.pem"
    key.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    assert main(["evidence", "verify", str(package), "--national-key", str(key)]) == 1
    assert capsys.readouterr().out.startswith("INVALID: the package is not a zip file")


@pytest.mark.parametrize("hours", ["-5", "nan", "inf", "abc"])
def test_pki_overlap_hours_refuses_what_is_not_a_span_of_hours(hours: str, capsys: pytest.CaptureFixture[str]) -> None:
    """newcomer12b: --overlap-hours -5 was accepted and wrote an overlap ending before the rotation."""
    with pytest.raises(SystemExit) as exited:
        main(["pki", "issue-region", "330000", "--dir", "/nonexistent", "--overlap-hours", hours])
    assert exited.value.code == 2 and "--overlap-hours" in capsys.readouterr().err


def test_pki_revoking_twice_says_already_revoked_and_export_to_a_missing_directory_names_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """newcomer12b: a second revocation said "revoked" again; `export-national-key --out /no/dir/k.pem` printed a raw
    "[Errno 2] No such file or directory"."""
    from sync.pki import init_ca, issue_region, load_trust

    pki = tmp_path / "pki"
    init_ca(pki, None)
    issue_region(pki, "330000")
    capsys.readouterr()
    assert main(["pki", "revoke-region", "330000", "--dir", str(pki)]) == 0
    first = capsys.readouterr().out
    serial = next(iter(load_trust(pki)["330000"].revoked_serials))
    assert f"certificate {serial} revoked" in first
    assert main(["pki", "revoke-region", "330000", "--dir", str(pki)]) == 0
    second = capsys.readouterr().out
    assert f"certificate {serial} is already revoked since 20" in second and "nothing changed" in second, second
    assert load_trust(pki)["330000"].revoked_serials == frozenset({serial})
    missing = tmp_path / "no" / "dir" / "k.pem"
    assert main(["pki", "export-national-key", "--dir", str(pki), "--out", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {missing}: its directory {missing.parent} does not exist" in err and "Errno" not in err
    assert main(["pki", "export-national-key", "--dir", str(pki), "--out", str(tmp_path)]) == 1
    assert "it is a directory" in capsys.readouterr().err
    assert main(["pki", "export-national-key", "--dir", str(pki), "--out", str(tmp_path / "k.pem")]) == 0
    assert (tmp_path / "k.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
