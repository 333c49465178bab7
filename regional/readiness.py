"""Can this regional node do its work? Plain sentences for `init` and for a worker about to start.

`init` warns about what is still missing (a node may be set up before its credentials
arrive); the worker refuses to start until nothing is, instead of failing every few seconds.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from regional.config import RegionalConfig

CREDENTIAL_FILES = ("ca.crt", "region.crt", "region.key", "signing.key")
_TARGET = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")


class NotReady(ValueError):
    """The node cannot work; `problems` says why, each with what to do."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def target_problem(target: str | None) -> str | None:
    """Why `national_target` cannot be dialled, or None."""
    if not target:
        return ("no national node configured: run `hufu regional init --data-dir DIR --region CODE "
                "--national HOST:PORT` (or set HUFU_NATIONAL_TARGET)")
    match = _TARGET.match(target)
    if match is None:
        return f"national node address {target!r} is not HOST:PORT (for example 10.0.0.5:7443)"
    if not 0 < int(match.group(2)) < 65536:
        return f"national node address {target!r}: port {int(match.group(2))} is out of range (1–65535)"
    return None


def national_silence(target: str, timeout: float = 3.0) -> str | None:
    """Why nothing answers at the national node's address right now (no TCP connection), or None. Not a reason to
    refuse starting — the worker retries — but what an operator checking a node wants to hear (newcomer14: `check`
    said "ready" with nothing listening there)."""
    import socket

    match = _TARGET.match(target)
    if match is None:
        return None
    host = match.group(1).strip("[]")
    try:
        with socket.create_connection((host, int(match.group(2))), timeout=timeout):
            return None
    except OSError as exc:
        why = exc.strerror or exc.__class__.__name__
        return (f"the national node at {target} does not answer now ({why}): the worker will start and keep "
                "retrying; check the address, the national node and the firewall")


def credential_problems(pki_dir: Path, region: str, *, check_dates: bool = True) -> list[str]:
    """What is wrong with the credentials in `pki_dir` for `region` (empty list: they are usable).

    Without `check_dates` an expired or not-yet-valid certificate passes: it is still the right
    region's, and `init` installs it with a warning rather than refusing it.
    """
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    from sync.envelope import load_signing_key
    from sync.pki import PkiError, certificate_identity, certificate_problem

    missing = [name for name in CREDENTIAL_FILES if not (pki_dir / name).is_file()]
    if missing:
        if len(missing) == len(CREDENTIAL_FILES):
            return [f"no credentials in {pki_dir}: ask the national office for this region's directory "
                    f"(`hufu pki issue-region {region}`) and install it with `hufu regional init --data-dir DIR "
                    f"--region {region} --pki THAT_DIR`"]
        return [f"credentials incomplete in {pki_dir}: {', '.join(missing)} missing; install the whole directory "
                f"issued by `hufu pki issue-region {region}` with `hufu regional init … --pki DIR`"]
    problems = []
    try:
        named, _serial = certificate_identity((pki_dir / "region.crt").read_bytes())
        if named != region:
            problems.append(f"the certificate in {pki_dir / 'region.crt'} was issued to region {named}, "
                            f"not to this node's region {region}")
        ca = x509.load_pem_x509_certificate((pki_dir / "ca.crt").read_bytes())
        cert = x509.load_pem_x509_certificate((pki_dir / "region.crt").read_bytes())
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            problems.append(f"the certificate {pki_dir / 'region.crt'} was not issued by the national CA "
                            f"in {pki_dir / 'ca.crt'}")
    except (OSError, ValueError, PkiError) as exc:
        problems.append(f"cannot read the certificate {pki_dir / 'region.crt'}: {exc}")
    expired = certificate_problem(pki_dir / "region.crt") if check_dates else None
    if expired and not expired.startswith("cannot read"):
        problems.append(expired)
    try:
        load_signing_key(pki_dir / "signing.key")
    except (OSError, ValueError, TypeError) as exc:
        problems.append(f"cannot load the signing key {pki_dir / 'signing.key'}: {exc}")
    return problems


def database_problem(config: RegionalConfig) -> str | None:
    """Why the node's database cannot be used (absent, unreachable, not migrated), or None."""
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext

    from regional.node import MIGRATIONS
    from sync.db import make_engine, migration_heads
    from sync.migrate import redact

    if config.db_url.startswith("sqlite:") and not (config.data_dir / "node.db").exists() \
            and not config.database_url:
        return f"no database in {config.data_dir}: run `hufu regional init` first"
    logging.getLogger("alembic").setLevel(logging.WARNING)  # no migration chatter for a read-only check
    try:
        engine = make_engine(config.db_url, immediate=False)
        try:
            with engine.connect() as conn:
                current = set(MigrationContext.configure(conn).get_current_heads())
        finally:
            engine.dispose()
    except sa.exc.SQLAlchemyError as exc:
        return (f"cannot open the database {redact(config.db_url)}: {exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0]}")
    heads = set(migration_heads(MIGRATIONS))
    if current != heads:
        return (f"the database schema is at {', '.join(sorted(current)) or 'nothing'}, this version needs "
                f"{', '.join(sorted(heads))}: run `hufu regional migrate --data-dir {config.data_dir}`")
    return None


def sync_problems(config: RegionalConfig) -> list[str]:
    """Why this node cannot screen and sync with the national node (credentials and address)."""
    problems = credential_problems(config.pki_dir, config.region)
    target = target_problem(config.national_target)
    if target:
        problems.append(target)
    return problems


def worker_problems(config: RegionalConfig) -> list[str]:
    """Everything that would make the worker fail on every run; empty when it can start."""
    problems = sync_problems(config)
    db = database_problem(config)
    if db:
        problems.insert(0, db)
    return problems


def check_worker(config: RegionalConfig) -> None:
    """Raise NotReady when the worker could not do its jobs."""
    problems = worker_problems(config)
    if problems:
        raise NotReady(problems)
