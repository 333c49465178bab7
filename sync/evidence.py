"""Evidence manifests, the key list, and the offline verification of an evidence package (pure: bytes in, report out).

Both nodes and `hufu evidence verify` share this module. Nothing here reads a clock, a
database or the network: the verifier is handed the package's files and the national
public key, and trusts nothing else (docs/evidence.md).

* A **manifest** is canonical JSON (sorted keys, no spaces, UTF-8) naming one capture: the
  region, the lead, the capture time, the capturing node, its index in the region's log and
  every item by SHA-256. The region signs ``MANIFEST_CONTEXT + manifest`` with its Ed25519
  key. Its leaf in both logs is ``SHA-256(0x00 || manifest)``.
* The **key list** (``keys/trust.note``) is a signed note by the national log key listing
  each region's signing keys and when each was valid: the only way a region key is trusted.
* A **package** is a zip: ``package.json`` (what is inside), ``items/<sha256>``, per capture
  ``captures/<sha256>/manifest.json``, ``manifest.sig``, ``region-head.note`` and
  ``proof.json``, the checkpoints ``checkpoints/<size>.note``, the key list, and a Chinese
  summary ``摘要.html``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync import merkle, note

MANIFEST_TYPE = "hufu-evidence-manifest/v1"
MANIFEST_MEDIA_TYPE = "application/vnd.hufu.evidence-manifest+json"
MANIFEST_CONTEXT = b"hufu-evidence-manifest/v1\n"
PACKAGE_FORMAT = "hufu-evidence-package/v1"
TRUST_HEADER = "hufu-trust/v1"
NATIONAL_KEY_NAME = "hufu-national"
NATIONAL_ORIGIN = "hufu/national-evidence-log"
MAX_PACKAGE_BYTES = 2 << 30
MAX_PACKAGE_FILES = 100_000


def region_key_name(region: str) -> str:
    """The note key name of a region (its log heads and its witness co-signatures)."""
    return f"hufu-region-{region}"


def region_origin(region: str) -> str:
    """The origin line of a region's evidence log."""
    return f"hufu/region-{region}-evidence-log"


def canonical_json(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no insignificant spaces, UTF-8, no NaN (RFC 8785 for Hufu's values)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def iso_utc(when: dt.datetime) -> str:
    """An aware time as ISO 8601 UTC with microseconds, e.g. 2026-11-23T08:30:00.123456Z."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> dt.datetime:
    """Read a time written by iso_utc (or any ISO 8601 with an offset)."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def sign_manifest(manifest: bytes, key: ed25519.Ed25519PrivateKey) -> bytes:
    """The region's signature over a manifest."""
    return key.sign(MANIFEST_CONTEXT + manifest)


def manifest_signature_ok(manifest: bytes, signature: bytes, public_key: bytes) -> bool:
    """Whether `signature` is the signature of `public_key` over the manifest."""
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(signature, MANIFEST_CONTEXT + manifest)
    except (InvalidSignature, ValueError):
        return False
    return True


def load_public_key(data: bytes) -> bytes:
    """Raw Ed25519 public key bytes from a PEM file (or 64 hex characters); ValueError when it is neither."""
    text = data.strip()
    if b"-----BEGIN" in text:
        start = text.index(b"-----BEGIN")
        try:
            key = serialization.load_pem_public_key(text[start:])
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise ValueError(f"not a PEM Ed25519 public key: {exc}") from None
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError("the key is not an Ed25519 public key")
        return note.raw_public(key)
    try:
        raw = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("neither a PEM public key nor 64 hex characters") from None
    if len(raw) != 32:
        raise ValueError(f"a hex Ed25519 public key has 32 bytes, this one {len(raw)}")
    return raw


def public_pem(public_key: bytes) -> bytes:
    """A raw Ed25519 public key as PEM (SubjectPublicKeyInfo)."""
    return ed25519.Ed25519PublicKey.from_public_bytes(public_key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


# ---------------------------------------------------------------- the key list (trust set)


@dataclass(frozen=True)
class RegionKey:
    """One signing key of a region and when it was in force (None: open-ended)."""

    region: str
    public_key: bytes
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None

    def covers(self, when: dt.datetime) -> bool:
        """Whether the key was in force at `when`."""
        return (self.valid_from is None or when >= self.valid_from) and (
            self.valid_until is None or when < self.valid_until)


def trust_text(keys: Sequence[RegionKey], issued: dt.datetime) -> str:
    """The body of the key list note."""
    lines = [TRUST_HEADER, f"issued {iso_utc(issued)}"]
    for k in sorted(keys, key=lambda k: (k.region, k.valid_from or dt.datetime.min.replace(tzinfo=dt.UTC))):
        lines.append(" ".join([
            "region", k.region, base64.b64encode(k.public_key).decode(),
            iso_utc(k.valid_from) if k.valid_from else "-", iso_utc(k.valid_until) if k.valid_until else "-"]))
    return "\n".join(lines) + "\n"


def parse_trust(text: str) -> list[RegionKey]:
    """Read a key list body; raise note.NoteError when malformed."""
    lines = text.rstrip("\n").split("\n")
    if not lines or lines[0] != TRUST_HEADER:
        raise note.NoteError("the key list does not start with " + TRUST_HEADER)
    keys = []
    for line in lines[1:]:
        parts = line.split(" ")
        if parts[0] == "issued":
            continue
        if len(parts) != 5 or parts[0] != "region":
            raise note.NoteError(f"malformed key list line {line[:80]!r}")
        try:
            raw = base64.b64decode(parts[2], validate=True)
            start = None if parts[3] == "-" else parse_iso(parts[3])
            until = None if parts[4] == "-" else parse_iso(parts[4])
        except (binascii.Error, ValueError):
            raise note.NoteError(f"malformed key list line {line[:80]!r}") from None
        if len(raw) != 32:
            raise note.NoteError(f"key of region {parts[1]} is not a 32-byte Ed25519 key")
        keys.append(RegionKey(parts[1], raw, start, until))
    return keys


# ---------------------------------------------------------------- package contents


def refusal_kind(reason: str | None) -> str:
    """The alarm kind of the national node's reason for refusing a manifest (see national.evidence.log_manifests)."""
    text = reason or ""
    if "before index" in text:
        return "region_log_gap"
    if "rewritten" in text:
        return "region_log_rewritten"
    if "log head" in text:
        return "bad_region_head"
    return "bad_manifest"


def manifest_leaf(manifest: bytes) -> bytes:
    """The leaf hash of a manifest in the region's and the national log."""
    return merkle.leaf_hash(manifest)


def proof_json(leaf_index: int, tree_size: int, path: Sequence[bytes], checkpoint_file: str) -> dict[str, Any]:
    """The proof.json of a capture in a package."""
    return {"leaf_index": leaf_index, "tree_size": tree_size, "checkpoint": checkpoint_file,
            "path": [base64.b64encode(h).decode() for h in path]}


@dataclass
class PackageWriter:
    """Collects a package's files, then writes the zip (deterministic order)."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> None:
        """Add a file (the same name twice must carry the same bytes)."""
        if name in self.files and self.files[name] != data:
            raise ValueError(f"{name} added twice with different contents")
        self.files[name] = data

    def to_zip(self) -> bytes:
        """The package as zip bytes."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(self.files):
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o444 << 16
                zf.writestr(info, self.files[name])
        return buf.getvalue()


# ---------------------------------------------------------------- verification


class VerificationFailed(Exception):
    """The package does not verify; `str()` is the precise reason, naming the file and what did not hold."""


@dataclass
class CaptureReport:
    """What was verified about one capture."""

    manifest_sha256: str
    region: str
    lead: str
    captured_at: str
    reason: str
    items: list[dict[str, Any]]
    leaf_index: int
    checkpoint_size: int
    checkpoint_time: str
    witnesses: list[str]
    references: list[dict[str, Any]]


@dataclass
class Report:
    """The result of a successful verification."""

    subject: dict[str, Any]
    national_fingerprint: str
    captures: list[CaptureReport]
    notes: list[str]

    def text(self) -> str:
        """A plain report for a person."""
        out = [f"VALID evidence package ({PACKAGE_FORMAT})",
               f"subject: {self.subject.get('kind', '?')} {self.subject.get('uuid', '?')}",
               f"trusted national key: {self.national_fingerprint}", ""]
        for c in self.captures:
            out.append(f"capture {c.manifest_sha256}")
            out.append(f"  lead {c.lead}, captured {c.captured_at} by region {c.region} ({c.reason})")
            for item in c.items:
                out.append(f"  item ok   {item['sha256']}  {item.get('role', '')}  {item.get('name', '')} "
                           f"({item.get('size', '?')} bytes)")
            for ref in c.references:
                out.append(f"  named, not held: {ref.get('role', '')} {ref.get('url', '')}")
            out.append(f"  manifest signed by region {c.region}; logged as leaf {c.leaf_index} of the national log")
            out.append(f"  under national checkpoint of size {c.checkpoint_size} ({c.checkpoint_time}), "
                       f"co-signed by {len(c.witnesses)} witness(es): {', '.join(c.witnesses)}")
            out.append("")
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out).rstrip() + "\n"


def _read_zip(data: bytes) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise VerificationFailed(f"the package is not a zip file ({exc})") from None
    infos = zf.infolist()
    if len(infos) > MAX_PACKAGE_FILES:
        raise VerificationFailed(f"the package holds {len(infos)} files, more than {MAX_PACKAGE_FILES}")
    if sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
        raise VerificationFailed("the package unpacks to more than 2 GiB")
    files = {}
    for info in infos:
        if info.is_dir():
            continue
        try:
            files[info.filename] = zf.read(info)
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:  # a changed byte inside the zip
            raise VerificationFailed(f"{info.filename}: cannot be read from the package ({exc})") from None
    return files


def _need(files: Mapping[str, bytes], name: str) -> bytes:
    if name not in files:
        raise VerificationFailed(f"{name} is missing from the package")
    return files[name]


def _json(files: Mapping[str, bytes], name: str) -> Any:
    try:
        return json.loads(_need(files, name))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationFailed(f"{name} is not valid JSON ({exc})") from None


def _keys_for(keys: Sequence[RegionKey], region: str, public_key: bytes | None, when: dt.datetime) -> list[RegionKey]:
    mine = [k for k in keys if k.region == region]
    if not mine:
        raise VerificationFailed(f"region {region} has no key in the trust set signed by the national key")
    if public_key is not None and not any(k.public_key == public_key for k in mine):
        raise VerificationFailed(
            f"the package's key for region {region} ({note.fingerprint(public_key)[:19]}…) is not in the trust "
            "set signed by the national key: the national office never registered that key for the region")
    in_force = [k for k in mine if k.covers(when)]
    if not in_force:
        raise VerificationFailed(f"no key of region {region} in the trust set was in force at {iso_utc(when)}")
    return in_force


def verify_package(data: bytes, national_key: bytes, *, min_witnesses: int = 1) -> Report:
    """Verify a package against the national public key alone; raise VerificationFailed with the reason."""
    files = _read_zip(data)
    index = _json(files, "package.json")
    if not isinstance(index, dict) or index.get("format") != PACKAGE_FORMAT:
        raise VerificationFailed(f"package.json does not declare format {PACKAGE_FORMAT}")
    notes: list[str] = []
    # 1. the key list, signed by the national key given on the command line (nothing else is trusted)
    try:
        trust_note = note.parse_note(_need(files, "keys/trust.note"))
        note.verify_note(trust_note, NATIONAL_KEY_NAME, national_key)
        keys = parse_trust(trust_note.text)
    except note.NoteError as exc:
        raise VerificationFailed(f"keys/trust.note: {exc} — the region key list is not the one the national key "
                                 "signed") from None
    captures = index.get("captures")
    if isinstance(captures, list) and not all(isinstance(c, dict) for c in captures):
        raise VerificationFailed("package.json: captures must be a list of objects")
    if not isinstance(captures, list) or not captures:
        raise VerificationFailed("package.json lists no captures")
    checked_checkpoints: dict[str, tuple[note.Checkpoint, list[str]]] = {}
    reports = []
    for entry in captures:
        reports.append(_verify_capture(files, entry, keys, national_key, checked_checkpoints, min_witnesses))
    listed = {f"items/{i['sha256']}" for r in reports for i in r.items}
    extra = [n for n in files if n.startswith("items/") and n not in listed]
    if extra:
        notes.append(f"{len(extra)} file(s) under items/ are named by no manifest and were not checked")
    subject: dict[str, Any] = index["subject"] if isinstance(index.get("subject"), dict) else {}
    return Report(subject=subject, national_fingerprint=note.fingerprint(national_key), captures=reports,
                  notes=notes)


def _verify_capture(files: Mapping[str, bytes], entry: Any, keys: Sequence[RegionKey], national_key: bytes,
                    checkpoints: dict[str, tuple[note.Checkpoint, list[str]]], min_witnesses: int) -> CaptureReport:
    if not isinstance(entry, dict) or not isinstance(entry.get("manifest_sha256"), str):
        raise VerificationFailed("package.json: a capture entry has no manifest_sha256")
    digest = entry["manifest_sha256"]
    base = f"captures/{digest}"
    manifest = _need(files, f"{base}/manifest.json")
    actual = hashlib.sha256(manifest).hexdigest()
    if actual != digest:
        raise VerificationFailed(f"{base}/manifest.json was changed: its bytes hash to {actual}, not {digest}")
    try:
        m = json.loads(manifest)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerificationFailed(f"{base}/manifest.json is not valid JSON ({exc})") from None
    if not isinstance(m, dict) or m.get("type") != MANIFEST_TYPE:
        raise VerificationFailed(f"{base}/manifest.json is not a {MANIFEST_TYPE} manifest")
    region = str(m.get("region", ""))
    try:
        captured = parse_iso(str(m.get("captured_at")))
    except ValueError:
        raise VerificationFailed(f"{base}/manifest.json: captured_at is not an ISO 8601 time") from None
    # 2. the manifest signature, by a region key in the national trust set in force at capture time
    declared = None
    key_file = f"keys/region-{region}.pub"
    if key_file in files:
        try:
            declared = load_public_key(files[key_file])
        except ValueError as exc:
            raise VerificationFailed(f"{key_file}: {exc}") from None
    candidates = _keys_for(keys, region, declared, captured)
    try:
        signature = base64.b64decode(_need(files, f"{base}/manifest.sig").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationFailed(f"{base}/manifest.sig is not base64") from None
    signed_by = [k for k in candidates if manifest_signature_ok(manifest, signature, k.public_key)]
    if not signed_by:
        raise VerificationFailed(f"{base}/manifest.sig: the manifest signature does not verify with any key of region "
                                 f"{region} in the trust set (the manifest or its signature was changed, or it was "
                                 "signed by a key the national office never registered)")
    key = signed_by[0]
    # 3. every item the manifest names, by digest
    items = m.get("items")
    if not isinstance(items, list):
        raise VerificationFailed(f"{base}/manifest.json lists no items")
    for item in items:
        want = str(item.get("sha256", "")) if isinstance(item, dict) else ""
        label = f"item {item.get('name') or item.get('role')!r}" if isinstance(item, dict) else "an item"
        name = f"items/{want}"
        if name not in files:
            raise VerificationFailed(f"{label} ({want}) named by manifest {digest[:12]}… is missing from the package")
        got = hashlib.sha256(files[name]).hexdigest()
        if got != want:
            raise VerificationFailed(f"{name}: {label} was changed — its bytes hash to {got}, the signed manifest "
                                     f"says {want}")
    # 4. the region's own log: its signed head and the manifest's place in it
    log_index = m.get("log_index")
    try:
        head_note = note.parse_note(_need(files, f"{base}/region-head.note"))
        head = note.open_checkpoint(head_note, region_key_name(region), key.public_key, origin=region_origin(region))
    except note.NoteError as exc:
        raise VerificationFailed(f"{base}/region-head.note: {exc}") from None
    proof = _json(files, f"{base}/proof.json")
    if not isinstance(proof, dict):
        raise VerificationFailed(f"{base}/proof.json is not a JSON object")
    try:
        region_path = [base64.b64decode(h, validate=True) for h in proof.get("region_path", [])]
        merkle.verify_inclusion(int(log_index), head.size, manifest_leaf(manifest), region_path, head.root)  # type: ignore[arg-type]
    except (merkle.ProofError, TypeError, ValueError, binascii.Error) as exc:
        raise VerificationFailed(f"{base}/proof.json: the manifest is not leaf {log_index} of region {region}'s "
                                 f"signed log head ({exc})") from None
    # 5. the national checkpoint: its signature and its witnesses' co-signatures
    cp_file = str(proof.get("checkpoint", ""))
    if cp_file not in checkpoints:
        checkpoints[cp_file] = _verify_checkpoint(files, cp_file, keys, national_key, min_witnesses)
    cp, witnesses = checkpoints[cp_file]
    # 6. the inclusion proof of the manifest under that checkpoint
    try:
        leaf_index = int(proof["leaf_index"])
        tree_size = int(proof["tree_size"])
        path = [base64.b64decode(h, validate=True) for h in proof["path"]]
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise VerificationFailed(f"{base}/proof.json is malformed (leaf_index, tree_size, path)") from None
    if tree_size != cp.size:
        raise VerificationFailed(f"{base}/proof.json proves under a tree of size {tree_size} but {cp_file} is of "
                                 f"size {cp.size}")
    try:
        merkle.verify_inclusion(leaf_index, tree_size, manifest_leaf(manifest), path, cp.root)
    except merkle.ProofError as exc:
        raise VerificationFailed(f"{base}/proof.json: the inclusion proof of manifest {digest[:12]}… does not lead "
                                 f"to the root of {cp_file} ({exc})") from None
    refs: list[dict[str, Any]] = m["references"] if isinstance(m.get("references"), list) else []
    return CaptureReport(manifest_sha256=digest, region=region, lead=str(m.get("lead", "")),
                         captured_at=str(m.get("captured_at")), reason=str(m.get("reason", "")), items=items,
                         leaf_index=leaf_index, checkpoint_size=cp.size, checkpoint_time=iso_utc(cp.time),
                         witnesses=witnesses, references=refs)


def _verify_checkpoint(files: Mapping[str, bytes], name: str, keys: Sequence[RegionKey], national_key: bytes,
                       min_witnesses: int) -> tuple[note.Checkpoint, list[str]]:
    try:
        cp_note = note.parse_note(_need(files, name))
        cp = note.open_checkpoint(cp_note, NATIONAL_KEY_NAME, national_key, origin=NATIONAL_ORIGIN)
    except note.NoteError as exc:
        raise VerificationFailed(f"{name}: {exc}") from None
    witnesses: list[str] = []
    for sig in cp_note.signatures:
        if sig.name == NATIONAL_KEY_NAME:
            continue
        region = sig.name.removeprefix("hufu-region-")
        candidates = [k for k in keys if k.region == region]
        if not candidates:
            raise VerificationFailed(f"{name}: co-signature by {sig.name}, whose key is not in the trust set "
                                     "signed by the national key")
        errors = []
        for k in candidates:
            try:
                note.verify_cosignature(note.Note(cp_note.text, (sig,)), sig.name, k.public_key)
                break
            except note.NoteError as exc:
                errors.append(str(exc))
        else:
            raise VerificationFailed(f"{name}: {errors[0]}")
        witnesses.append(region)
    if len(witnesses) < min_witnesses:
        raise VerificationFailed(f"{name}: the national checkpoint carries {len(witnesses)} witness co-signature(s), "
                                 f"fewer than the {min_witnesses} required: it was not witnessed")
    return cp, witnesses
