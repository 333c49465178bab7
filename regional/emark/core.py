"""Electronic IP marks (标识电子化): the signed payload, its checks and the verdict (pure: no I/O, no clock).

A mark is printed as a QR code whose text is the payload::

    HFM1.<base32 of: body length (2 bytes) | body | issuer key (32) | voucher (64) | signature (64)>

* body: UTF-8 fields separated by U+001F — mark id, issuing region, right number, holder,
  licensee, product, batch, serial, issue date (YYYY-MM-DD);
* issuer key: the issuing region's Ed25519 signing public key;
* voucher: the national key's Ed25519 signature over (region, issuer key) — the national office
  vouches that this key is the region's (made at `hufu pki issue-region`);
* signature: the issuer key's signature over the body.

Base32 without padding keeps the payload in the QR alphanumeric set (upper case, digits, '.'),
the densest mode. Anyone holding the national public key can check a mark offline; whether it
was revoked is the node's knowledge (its register and the revocations received by downlink).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync.pki import emark_voucher_message as voucher_message

PREFIX = "HFM1."
SEP = "\x1f"
BODY_CONTEXT = b"hufu-emark-v1\x00"
TAIL = 32 + 64 + 64
MAX_PAYLOAD_CHARS = 2048  # the edge limit: anything longer is refused before decoding
MAX_BODY_BYTES = 1200
FIELDS = ("mark_id", "region", "right", "holder", "licensee", "product", "batch", "serial", "issued")
LIMITS = {"mark_id": 24, "region": 6, "right": 64, "holder": 300, "licensee": 300, "product": 200,
          "batch": 64, "serial": 64, "issued": 10}
_B32 = re.compile(r"[A-Z2-7]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TOKEN = re.compile(r"HFM1\.[A-Za-z2-7]+")


class MarkError(ValueError):
    """A payload that is not a readable e-mark; the message says why."""

    damaged = False  # set when the text is an e-mark's (HFM1.) whose content does not hold together


class DamagedMark(MarkError):
    """An e-mark whose content was changed or cut: base32, lengths or fields do not hold together."""

    damaged = True


class Status(StrEnum):
    """What a verification found."""

    GENUINE = "genuine"  # signed by a key the national office vouched for, not revoked
    FORGED = "forged"  # the issuer key is not vouched for by this federation's national key
    ALTERED = "altered"  # a vouched issuer, but the content does not match its signature
    REVOKED = "revoked"  # genuine, but withdrawn by the issuing region
    UNKNOWN = "unknown"  # signed with this region's key, yet never issued here (not in the register)
    UNREADABLE = "unreadable"  # not an e-mark at all


FAILED = frozenset({Status.FORGED, Status.ALTERED, Status.REVOKED, Status.UNKNOWN, Status.UNREADABLE})


@dataclass(frozen=True, slots=True)
class MarkBody:
    """What a mark says."""

    mark_id: str
    region: str
    right: str
    holder: str
    licensee: str
    product: str
    batch: str
    serial: str
    issued: dt.date

    def encode(self) -> bytes:
        """The body bytes the issuer signs."""
        values = [str(getattr(self, f)) if f != "issued" else self.issued.isoformat() for f in FIELDS]
        for name, value in zip(FIELDS, values, strict=True):
            check_field(name, value)
        raw = SEP.join(values).encode()
        if len(raw) > MAX_BODY_BYTES:
            raise MarkError(f"the mark's text is {len(raw)} bytes; at most {MAX_BODY_BYTES}")
        return raw


def check_field(name: str, value: str) -> str:
    """A field value as a mark may carry it, or MarkError naming the field."""
    if len(value) > LIMITS[name]:
        raise MarkError(f"field {name}: at most {LIMITS[name]} characters (got {len(value)})")
    if _CONTROL.search(value):
        raise MarkError(f"field {name}: control characters are not allowed")
    if name in ("mark_id", "region", "right", "holder", "product", "issued") and not value.strip():
        raise MarkError(f"field {name}: required")
    return value


@dataclass(frozen=True, slots=True)
class ParsedMark:
    """A decoded payload (not yet checked)."""

    body: MarkBody
    body_bytes: bytes
    issuer_key: bytes
    voucher: bytes
    signature: bytes


def make_voucher(national_key: ed25519.Ed25519PrivateKey, region: str, issuer_key: bytes) -> bytes:
    """The national office's voucher for `issuer_key` as region `region`'s mark key."""
    return national_key.sign(voucher_message(region, issuer_key))


def raw_public(key: ed25519.Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of a private key's public half."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def issue(body: MarkBody, signing_key: ed25519.Ed25519PrivateKey, voucher: bytes) -> str:
    """The payload text of a new mark."""
    raw = body.encode()
    pub = raw_public(signing_key)
    if len(voucher) != 64:
        raise MarkError("the voucher must be a 64-byte Ed25519 signature")
    sig = signing_key.sign(BODY_CONTEXT + raw)
    blob = struct.pack(">H", len(raw)) + raw + pub + voucher + sig
    return PREFIX + base64.b32encode(blob).decode().rstrip("=")


def extract(text: str) -> str:
    """The payload inside what was scanned or pasted (the payload itself, or a link carrying it)."""
    if len(text) > MAX_PAYLOAD_CHARS:
        raise MarkError(f"the text is {len(text)} characters; an e-mark has at most {MAX_PAYLOAD_CHARS}")
    stripped = "".join(text.split())
    found = _TOKEN.search(stripped) or _TOKEN.search(stripped.upper())
    if found is None:
        raise MarkError("no e-mark found: a mark starts with HFM1.")
    return found.group(0)


def decode(text: str) -> ParsedMark:
    """Read a payload; MarkError when it is not a well-formed mark."""
    token = extract(text)
    data = token[len(PREFIX):].upper()
    if not _B32.fullmatch(data):
        raise DamagedMark("the mark holds characters outside base32")
    try:
        blob = base64.b32decode(data + "=" * (-len(data) % 8))
    except (binascii.Error, ValueError):
        raise DamagedMark("the mark is not valid base32 (truncated or mistyped)") from None
    if len(blob) < 2 + TAIL:
        raise DamagedMark("the mark is too short (truncated)")
    (n,) = struct.unpack(">H", blob[:2])
    if n > MAX_BODY_BYTES or len(blob) != 2 + n + TAIL:
        raise DamagedMark("the mark's length does not add up (truncated or altered)")
    raw = blob[2:2 + n]
    issuer_key, voucher, sig = blob[2 + n:2 + n + 32], blob[2 + n + 32:2 + n + 96], blob[2 + n + 96:]
    try:
        text_body = raw.decode()
    except UnicodeDecodeError:
        raise DamagedMark("the mark's text is not UTF-8 (altered)") from None
    parts = text_body.split(SEP)
    if len(parts) != len(FIELDS):
        raise DamagedMark(f"the mark has {len(parts)} fields; expected {len(FIELDS)}")
    try:
        for name, value in zip(FIELDS, parts, strict=True):
            check_field(name, value)
    except MarkError as exc:
        raise DamagedMark(str(exc)) from None
    if not re.fullmatch(r"[0-9]{6}", parts[1]):
        raise DamagedMark("field region: a six-digit GB/T 2260 code")
    try:
        issued = dt.date.fromisoformat(parts[8])
    except ValueError:
        raise DamagedMark("field issued: a date YYYY-MM-DD") from None
    body = MarkBody(*parts[:8], issued=issued)  # type: ignore[arg-type]
    return ParsedMark(body=body, body_bytes=raw, issuer_key=issuer_key, voucher=voucher, signature=sig)


def _verifies(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def signature_status(mark: ParsedMark, national_key: bytes) -> Status:
    """GENUINE when the national key vouches for the issuer and the issuer signed the body; else why not."""
    if not _verifies(national_key, mark.voucher, voucher_message(mark.body.region, mark.issuer_key)):
        return Status.FORGED
    if not _verifies(mark.issuer_key, mark.signature, BODY_CONTEXT + mark.body_bytes):
        return Status.ALTERED
    return Status.GENUINE


@dataclass(frozen=True, slots=True)
class Known:
    """What the node knows of a mark beyond its signature."""

    issued_here: bool = False  # the mark is in this node's register
    own_region: bool = False  # the mark names this node's region as its issuer
    revoked: bool = False
    revoked_at: str = ""
    revoked_reason: str = ""
    revoked_by: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one verification."""

    status: Status
    reason: str  # English, for the CLI and the API; the web renders the status through the catalogue
    body: MarkBody | None = None

    @property
    def genuine(self) -> bool:
        """Whether the mark may be trusted."""
        return self.status is Status.GENUINE


KnownLookup = Callable[[MarkBody], Known]


def verdict(text: str, national_key: bytes, known_of: KnownLookup) -> Verdict:
    """Verify a scanned or pasted mark: readable, vouched, signed, issued, not revoked."""
    try:
        mark = decode(text)
    except MarkError as exc:
        if exc.damaged:  # an e-mark's prefix, but its content does not hold together
            return Verdict(Status.ALTERED, f"the mark was altered or damaged: {exc}")
        return Verdict(Status.UNREADABLE, f"not a readable e-mark: {exc}")
    return judge(mark, signature_status(mark, national_key), known_of(mark.body))


def judge(mark: ParsedMark, crypto: Status, known: Known) -> Verdict:
    """Combine the signature check with what the node knows."""
    b = mark.body
    if crypto is Status.FORGED:
        return Verdict(Status.FORGED, f"the issuing key of mark {b.mark_id} is not vouched for by the "
                                      "national office (not a mark of this federation)", b)
    if crypto is Status.ALTERED:
        return Verdict(Status.ALTERED, f"the content of mark {b.mark_id} does not match its signature "
                                       "(right, holder, product or another field was changed)", b)
    if known.revoked:
        when = f" on {known.revoked_at}" if known.revoked_at else ""
        by = f" by region {known.revoked_by}" if known.revoked_by else ""
        why = f": {known.revoked_reason}" if known.revoked_reason else ""
        return Verdict(Status.REVOKED, f"withdrawn{by}{when}{why} (mark {b.mark_id}, right {b.right})", b)
    if known.own_region and not known.issued_here:
        return Verdict(Status.UNKNOWN, f"region {b.region} never issued mark {b.mark_id} "
                                       "(it is not in the register)", b)
    licensee = f", licensee {b.licensee}" if b.licensee else ""
    return Verdict(Status.GENUINE, f"right {b.right} is held by {b.holder}{licensee}; product "
                                   f"{b.product}; batch {b.batch or '-'}, serial {b.serial or '-'}; issued "
                                   f"{b.issued.isoformat()} by region {b.region} (mark {b.mark_id})", b)
