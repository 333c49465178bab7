"""The federation's PKI: a national CA, the national server certificate, region certificates.

Layout of a PKI directory (national side)::

    ca.key ca.crt                 the national CA (keep ca.key offline in production)
    national.key national.crt     the national gRPC server's certificate
    regions.json                  issued regions: cert serial, Ed25519 signing public key, revoked flag
    regions/<code>/               what is handed to a region: ca.crt, region.key, region.crt,
                                  signing.key, signing.pub

A region's identity is its GB/T 2260 code, carried in the certificate as the URI
SAN ``urn:gbt2260:<code>`` and in the common name ``hufu-region-<code>``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sync.regions import region_name, validate_region

URI_PREFIX = "urn:gbt2260:"
CA_DAYS = 3650
LEAF_DAYS = 730


class PkiError(RuntimeError):
    """A PKI operation that cannot proceed; the message says what to do."""


@dataclass(frozen=True)
class RegionCredentials:
    """Paths of what a regional node needs to talk to the national node."""

    code: str
    directory: Path
    ca_cert: Path
    cert: Path
    key: Path
    signing_key: Path
    signing_pub: Path


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret with owner-only permissions from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _write_public(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o644)


def _pem_key(key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(cn: str, ou: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hufu federation"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def init_ca(pki_dir: Path, hosts: list[str] | None = None, *, force: bool = False) -> None:
    """Create the national CA and the national server certificate in `pki_dir`."""
    pki_dir = Path(pki_dir)
    pki_dir.mkdir(parents=True, exist_ok=True)
    pki_dir.chmod(0o700)
    if (pki_dir / "ca.key").exists() and not force:
        raise PkiError(f"{pki_dir / 'ca.key'} already exists; refusing to overwrite a CA (use --force)")
    hosts = hosts or ["localhost", "127.0.0.1", "::1"]
    ca_key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    ca_name = _name("Hufu National CA", "national")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(pki_dir / "ca.key", _pem_key(ca_key))
    _write_public(pki_dir / "ca.crt", ca_cert.public_bytes(serialization.Encoding.PEM))
    issue_national(pki_dir, hosts)
    ensure_log_key(pki_dir)
    registry = pki_dir / "regions.json"
    if not registry.exists() or force:
        registry.write_text("{}\n", encoding="utf-8")


def _load_ca(pki_dir: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    try:
        key = serialization.load_pem_private_key((pki_dir / "ca.key").read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate((pki_dir / "ca.crt").read_bytes())
    except FileNotFoundError as exc:
        raise PkiError(f"no national CA in {pki_dir}; run `hufu pki init --dir {pki_dir}` first") from exc
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key, cert


def _leaf(
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    subject: x509.Name,
    san: list[x509.GeneralName],
    usage: x509.ObjectIdentifier,
    days: int = LEAF_DAYS,
    not_before: dt.datetime | None = None,
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or (_now() - dt.timedelta(days=1))
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def issue_national(pki_dir: Path, hosts: list[str]) -> None:
    """Issue (or re-issue) the national server certificate for `hosts`."""
    ca_key, ca_cert = _load_ca(pki_dir)
    san: list[x509.GeneralName] = []
    for host in hosts:
        try:
            san.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            san.append(x509.DNSName(host))
    key, cert = _leaf(ca_key, ca_cert, _name("hufu-national", "national"), san, ExtendedKeyUsageOID.SERVER_AUTH)
    _write_private(pki_dir / "national.key", _pem_key(key))
    _write_public(pki_dir / "national.crt", cert.public_bytes(serialization.Encoding.PEM))


def _load_registry(pki_dir: Path) -> dict[str, dict[str, Any]]:
    path = pki_dir / "regions.json"
    if not path.exists():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _save_registry(pki_dir: Path, registry: dict[str, dict[str, Any]]) -> None:
    tmp = pki_dir / "regions.json.tmp"
    tmp.write_text(json.dumps(registry, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(pki_dir / "regions.json")


def issue_region(
    pki_dir: Path,
    code: str,
    *,
    days: int = LEAF_DAYS,
    not_before: dt.datetime | None = None,
    overlap: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> RegionCredentials:
    """Issue region `code` a client certificate, a TLS key and an Ed25519 signing key.

    Issuing again supersedes the region's previous certificate at once: the national node
    refuses it from then on. With `overlap` (a planned rotation) the previous certificate is
    still accepted for that long, so the region can install the new one without a gap.
    Every signing key ever issued stays in the region's key history, with the serial it was
    issued with, so each stored filing remains verifiable under the key valid when signed.
    """
    code = validate_region(code)
    pki_dir = Path(pki_dir)
    ca_key, ca_cert = _load_ca(pki_dir)
    subject = _name(f"hufu-region-{code}", region_name(code, "en"))
    key, cert = _leaf(
        ca_key, ca_cert, subject, [x509.UniformResourceIdentifier(URI_PREFIX + code)],
        ExtendedKeyUsageOID.CLIENT_AUTH, days=days, not_before=not_before,
    )
    signing = ed25519.Ed25519PrivateKey.generate()
    signing_pub = signing.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    out = pki_dir / "regions" / code
    creds = RegionCredentials(
        code=code, directory=out, ca_cert=out / "ca.crt", cert=out / "region.crt", key=out / "region.key",
        signing_key=out / "signing.key", signing_pub=out / "signing.pub",
    )
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)
    shutil.copyfile(pki_dir / "ca.crt", creds.ca_cert)
    ensure_log_key(pki_dir)
    shutil.copyfile(pki_dir / LOG_PUB, out / LOG_PUB)  # the region witnesses national checkpoints with it
    _write_private(creds.key, _pem_key(key))
    _write_public(creds.cert, cert.public_bytes(serialization.Encoding.PEM))
    _write_private(creds.signing_key, _pem_key(signing))
    _write_public(creds.signing_pub, signing_pub.hex().encode() + b"\n")
    # the national key vouches for the signing key as the region's e-mark issuer (issue 14, 标识电子化)
    _write_public(out / EMARK_VOUCHER, ensure_log_key(pki_dir).sign(emark_voucher_message(code, signing_pub)).hex()
                  .encode() + b"\n")
    registry = _load_registry(pki_dir)
    stamp = (now or _now()).replace(microsecond=0)
    previous = registry.get(code)
    history: list[dict[str, Any]] = list(previous.get("history", [])) if previous else []
    for earlier in history:  # a new issue ends every earlier overlap
        until = earlier.get("accept_until")
        if until and dt.datetime.fromisoformat(until) > stamp:
            earlier["accept_until"] = stamp.isoformat()
    if previous and previous.get("cert_serial"):
        history.append({
            "cert_serial": previous["cert_serial"], "signing_public_key": previous["signing_public_key"],
            "issued_at": previous.get("issued_at"), "superseded_at": stamp.isoformat(),
            "accept_until": (stamp + overlap).isoformat() if overlap else None,
        })
    registry[code] = {
        "name": region_name(code),
        "cert_serial": format(cert.serial_number, "x"),
        "signing_public_key": signing_pub.hex(),
        "issued_at": stamp.isoformat(),
        "revoked_serials": list(previous.get("revoked_serials", [])) if previous else [],
        "history": history,
    }
    _save_registry(pki_dir, registry)
    return creds


def revoke_region(pki_dir: Path, code: str, now: dt.datetime | None = None) -> str:
    """Revoke region `code`'s current certificate (recording `now` as its revocation time when given); returns the
    revoked serial. Revoking a revoked certificate changes nothing."""
    registry = _load_registry(Path(pki_dir))
    if code not in registry:
        raise PkiError(f"region {code} was never issued a certificate in {pki_dir}")
    entry = registry[code]
    serial = str(entry["cert_serial"])
    revoked = list(entry.get("revoked_serials", []))
    if serial not in revoked:
        revoked.append(serial)
        if now is not None:
            entry["revoked_at"] = {**dict(entry.get("revoked_at", {})), serial: now.isoformat()}
    entry["revoked_serials"] = revoked
    _save_registry(Path(pki_dir), registry)
    return serial


def current_revocation(pki_dir: Path, code: str) -> tuple[str, str | None] | None:
    """(serial, revocation time or None if not recorded) when region `code`'s current certificate is revoked;
    None when it is not."""
    registry = _load_registry(Path(pki_dir))
    if code not in registry:
        raise PkiError(f"region {code} was never issued a certificate in {pki_dir}")
    entry = registry[code]
    serial = str(entry["cert_serial"])
    if serial not in entry.get("revoked_serials", []):
        return None
    at = dict(entry.get("revoked_at", {})).get(serial)
    return serial, str(at) if at else None


@dataclass(frozen=True)
class IssuedKey:
    """One certificate a region was issued, with the signing key issued beside it."""

    cert_serial: str
    signing_public_key: bytes
    issued_at: dt.datetime | None = None
    superseded_at: dt.datetime | None = None  # None: the current certificate
    accept_until: dt.datetime | None = None  # an explicit overlap after it was superseded


def _time(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(value)) if value else None


@dataclass(frozen=True)
class RegionTrust:
    """What the national node knows of one region: its current key, its key history, revoked serials."""

    code: str
    signing_public_key: bytes  # the current certificate's signing key
    revoked_serials: frozenset[str]
    cert_serial: str = ""  # the current certificate ("" in a registry written before rotation existed)
    history: tuple[IssuedKey, ...] = ()  # superseded certificates and their signing keys, oldest first

    def key_for(self, cert_serial: str) -> bytes:
        """The signing key issued with certificate `cert_serial` (the current one if unknown)."""
        for issued in self.history:
            if issued.cert_serial == cert_serial:
                return issued.signing_public_key
        return self.signing_public_key

    def keys(self) -> list[bytes]:
        """Every signing key this region was ever issued, newest first."""
        return [self.signing_public_key, *[k.signing_public_key for k in reversed(self.history)]]

    def refusal(self, cert_serial: str, now: dt.datetime) -> str | None:
        """Why certificate `cert_serial` may not be used now (revoked, superseded), or None."""
        if cert_serial in self.revoked_serials:
            return f"certificate {cert_serial} of region {self.code} has been revoked"
        if not self.cert_serial or cert_serial == self.cert_serial:
            return None
        for issued in self.history:
            if issued.cert_serial == cert_serial:
                if issued.accept_until is not None and now <= issued.accept_until:
                    return None
                when = f" on {issued.superseded_at:%Y-%m-%d %H:%M} UTC" if issued.superseded_at else ""
                return (f"certificate {cert_serial} of region {self.code} was superseded by certificate "
                        f"{self.cert_serial}{when} (re-issued); install the new credentials from "
                        f"`hufu pki issue-region {self.code}`")
        return (f"certificate {cert_serial} of region {self.code} is not its current certificate "
                f"({self.cert_serial}); install the credentials last issued by `hufu pki issue-region {self.code}`")


def load_trust(pki_dir: Path) -> dict[str, RegionTrust]:
    """Read regions.json into the national node's view of issued regions."""
    out: dict[str, RegionTrust] = {}
    for code, entry in _load_registry(Path(pki_dir)).items():
        out[code] = RegionTrust(
            code=code,
            signing_public_key=bytes.fromhex(str(entry["signing_public_key"])),
            revoked_serials=frozenset(entry.get("revoked_serials", [])),
            cert_serial=str(entry.get("cert_serial", "")),
            history=tuple(IssuedKey(cert_serial=str(h["cert_serial"]),
                                    signing_public_key=bytes.fromhex(str(h["signing_public_key"])),
                                    issued_at=_time(h.get("issued_at")), superseded_at=_time(h.get("superseded_at")),
                                    accept_until=_time(h.get("accept_until")))
                          for h in entry.get("history", [])),
        )
    return out


def certificate_identity(pem: bytes) -> tuple[str, str]:
    """The (region code, serial hex) a verified client certificate names."""
    cert = x509.load_pem_x509_certificate(pem)
    serial = format(cert.serial_number, "x")
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for uri in san.get_values_for_type(x509.UniformResourceIdentifier):
            if uri.startswith(URI_PREFIX):
                return uri.removeprefix(URI_PREFIX), serial
    except x509.ExtensionNotFound:
        pass
    raise PkiError("client certificate carries no urn:gbt2260: region identity")


def certificate_problem(cert_path: Path, now: dt.datetime | None = None) -> str | None:
    """Why a certificate cannot be used now (expired, not yet valid, unreadable), or None if its dates are fine."""
    try:
        cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    except (OSError, ValueError) as exc:
        return f"cannot read certificate {cert_path}: {exc}"
    now = now or _now()
    if now > cert.not_valid_after_utc:
        return (f"this node's certificate {cert_path} expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC; "
                "ask the national office to re-issue it (hufu pki issue-region) and install it")
    if now < cert.not_valid_before_utc:
        return (f"this node's certificate {cert_path} is not valid before {cert.not_valid_before_utc:%Y-%m-%d %H:%M} "
                "UTC; check this machine's clock")
    return None


# ---------------------------------------------------------------- e-mark issuer vouchers (issue 14)

EMARK_VOUCHER = "emark.voucher"  # hex of the national log key's signature over emark_voucher_message
EMARK_VOUCHER_CONTEXT = b"hufu-emark-issuer-v1\x00"


def emark_voucher_message(region: str, signing_public_key: bytes) -> bytes:
    """What the national key signs to vouch that `signing_public_key` issues region `region`'s e-marks."""
    return EMARK_VOUCHER_CONTEXT + region.encode() + b"\x00" + signing_public_key


def emark_voucher(pki_dir: Path, region: str, signing_public_key: bytes) -> bytes:
    """The national voucher for a region's current signing key (national side: needs the national log key)."""
    return ensure_log_key(Path(pki_dir)).sign(emark_voucher_message(region, signing_public_key))


# ---------------------------------------------------------------- epoch grants (split brain)

GRANT_CONTEXT = b"hufu-epoch-grant-v1"


def _grant_message(region: str, epoch: int) -> bytes:
    return b"|".join([GRANT_CONTEXT, region.encode(), str(epoch).encode()])


def sign_epoch_grant(pki_dir: Path, region: str, epoch: int) -> bytes:
    """The national node's signature granting `region` epoch `epoch` (made by `Restore`, sent in every hello)."""
    key = serialization.load_pem_private_key((Path(pki_dir) / "national.key").read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key.sign(_grant_message(region, epoch), ec.ECDSA(hashes.SHA256()))


def verify_epoch_grant(pki_dir: Path, region: str, epoch: int, grant: bytes) -> bool:
    """Whether `grant` is this national node's signature granting `region` epoch `epoch`."""
    from cryptography.exceptions import InvalidSignature

    if not grant:
        return False
    try:
        cert = x509.load_pem_x509_certificate((Path(pki_dir) / "national.crt").read_bytes())
        public = cert.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(grant, _grant_message(region, epoch), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, OSError):
        return False
    return True


# ---------------------------------------------------------------- the national evidence log key (issue 10)

LOG_KEY = "evidence-log.key"
LOG_PUB = "evidence-log.pub"  # also handed to every region: witnesses pin it


def ensure_log_key(pki_dir: Path) -> ed25519.Ed25519PrivateKey:
    """The national node's Ed25519 key for signing evidence checkpoints and the key list; created once."""
    pki_dir = Path(pki_dir)
    path = pki_dir / LOG_KEY
    if not path.exists():
        key = ed25519.Ed25519PrivateKey.generate()
        _write_private(path, _pem_key(key))
        _write_public(pki_dir / LOG_PUB, key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, ed25519.Ed25519PrivateKey):
        raise PkiError(f"{path} is not an Ed25519 private key")
    return loaded


def log_public_key(pki_dir: Path) -> bytes:
    """The raw national log public key (creating the key pair on first use at the national office)."""
    from sync.note import raw_public

    return raw_public(ensure_log_key(pki_dir))
