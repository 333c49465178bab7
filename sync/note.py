"""Signed notes, checkpoints and witness co-signatures in the C2SP formats (pure: no I/O, no clock).

A *signed note* (C2SP signed-note) is UTF-8 text followed by a blank line and one line per
signature: ``— <key name> <base64(key id || signature)>``. The key id is the first four
bytes of SHA-256(name || "\\n" || type || public key); type 0x01 is an Ed25519 note
signature, 0x04 a ``cosignature/v1`` witness co-signature (C2SP tlog-cosignature), whose
signature field also carries the co-signing time.

A *checkpoint* (C2SP tlog-checkpoint) is a note whose text is::

    <origin>
    <tree size>
    <base64 root hash>
    time <ISO 8601 UTC>        (extension line: when the log signed this size)

Hufu uses checkpoints for both kinds of log head: a region signs the head of its own
evidence log, the national node signs the head of the national log, and regions co-sign
national checkpoints as witnesses.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
DASH = "\u2014"  # "—", the em dash that starts a signature line
MAX_NOTE_BYTES = 1 << 20
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A note or checkpoint that is malformed or does not verify; the message says which."""


def raw_public(key: ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key."""
    pub = key.public_key() if isinstance(key, ed25519.Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """The 4-byte key id of a signer in a note."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def fingerprint(public_key: bytes) -> str:
    """A public key's SHA-256 fingerprint, grouped for reading aloud (what an officer compares)."""
    h = hashlib.sha256(public_key).hexdigest()
    return ":".join(h[i:i + 4] for i in range(0, 64, 4))


def _valid_name(name: str) -> str:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")
    return name


@dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_id: bytes
    blob: bytes  # the signature, or for cosignature/v1: 8-byte big-endian time || signature

    def line(self) -> str:
        """The note line."""
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.blob).decode()}\n"


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures."""

    text: str
    signatures: tuple[Signature, ...]

    def render(self) -> str:
        """The note as it is stored and sent."""
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signature(self, sig: Signature) -> Note:
        """This note with one more signature (a signature of the same key replaces nothing: duplicates kept out)."""
        if any(s.key_id == sig.key_id and s.name == sig.name and s.blob == sig.blob for s in self.signatures):
            return self
        return Note(self.text, (*self.signatures, sig))


def parse_note(data: str | bytes) -> Note:
    """Split a signed note into text and signature lines; raise NoteError if it is malformed."""
    if isinstance(data, bytes):
        if len(data) > MAX_NOTE_BYTES:
            raise NoteError(f"note is {len(data)} bytes, more than {MAX_NOTE_BYTES}")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError(f"note is not UTF-8: {exc}") from None
    if "\r" in data:
        raise NoteError("note contains a carriage return")
    sep = data.rfind("\n\n")
    if sep < 0:
        raise NoteError("note has no blank line before its signatures")
    text, sigs = data[:sep + 1], data[sep + 2:]
    if not sigs.endswith("\n"):
        raise NoteError("note does not end with a newline")
    out = []
    for line in sigs[:-1].split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            raise NoteError(f"malformed signature line {line[:80]!r}")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except (binascii.Error, ValueError):
            raise NoteError(f"signature of {parts[1]!r} is not base64") from None
        if len(raw) < 5:
            raise NoteError(f"signature of {parts[1]!r} is too short")
        out.append(Signature(name=parts[1], key_id=raw[:4], blob=raw[4:]))
    if not out:
        raise NoteError("note carries no signature")
    if len(out) > MAX_SIGNATURES:
        raise NoteError(f"note carries {len(out)} signatures, more than {MAX_SIGNATURES}")
    return Note(text=text, signatures=tuple(out))


def sign_note(text: str, name: str, key: ed25519.Ed25519PrivateKey) -> Note:
    """A note with one Ed25519 signature."""
    if not text.endswith("\n") or "\n\n" in text:
        raise NoteError("note text must end with a newline and contain no blank line")
    kid = key_id(_valid_name(name), SIG_ED25519, raw_public(key))
    return Note(text, (Signature(name, kid, key.sign(text.encode())),))


def verify_note(note: Note, name: str, public_key: bytes) -> Signature:
    """The verified Ed25519 signature of `name`'s key on `note`; raise NoteError when absent or wrong."""
    kid = key_id(name, SIG_ED25519, public_key)
    candidates = [s for s in note.signatures if s.name == name and s.key_id == kid]
    if not candidates:
        raise NoteError(f"no signature by {name} with key {fingerprint(public_key)[:19]}…")
    pub = ed25519.Ed25519PublicKey.from_public_bytes(public_key)
    for sig in candidates:
        try:
            pub.verify(sig.blob, note.text.encode())
            return sig
        except InvalidSignature:
            continue
    raise NoteError(f"the signature by {name} does not verify: the signed text was changed or the key is wrong")


# ---------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    """A log's signed head: origin, size, root and time."""

    origin: str
    size: int
    root: bytes
    time: dt.datetime

    def text(self) -> str:
        """The checkpoint body (the text that is signed)."""
        when = self.time.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\ntime {when}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Read a checkpoint body; raise NoteError when a line is missing or malformed."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint must have an origin, a size, a root hash and a time line")
    origin, size_s, root_s = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("checkpoint origin is empty")
    if not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")) or len(size_s) > 20:
        raise NoteError(f"checkpoint size {size_s[:30]!r} is not a decimal number")
    try:
        root = base64.b64decode(root_s, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError("checkpoint root is not base64") from None
    if len(root) != 32:
        raise NoteError(f"checkpoint root is {len(root)} bytes, not a SHA-256 hash")
    when = None
    for ext in lines[3:-1]:
        if ext.startswith("time "):
            try:
                when = dt.datetime.strptime(ext[5:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            except ValueError:
                raise NoteError(f"checkpoint time {ext[5:40]!r} is not YYYY-MM-DDTHH:MM:SSZ") from None
    if when is None:
        raise NoteError("checkpoint carries no time line")
    return Checkpoint(origin=origin, size=int(size_s), root=root, time=when)


def sign_checkpoint(cp: Checkpoint, name: str, key: ed25519.Ed25519PrivateKey) -> Note:
    """A checkpoint signed by the log's key."""
    return sign_note(cp.text(), name, key)


def open_checkpoint(note: Note | str | bytes, name: str, public_key: bytes, origin: str | None = None) -> Checkpoint:
    """Verify the log's signature on a checkpoint note and read it; raise NoteError when it does not hold."""
    if not isinstance(note, Note):
        note = parse_note(note)
    verify_note(note, name, public_key)
    cp = parse_checkpoint(note.text)
    if origin is not None and cp.origin != origin:
        raise NoteError(f"checkpoint is for log {cp.origin!r}, not {origin!r}")
    return cp


# ---------------------------------------------------------------- witness co-signatures (C2SP tlog-cosignature)


def _cosigned_message(text: str, when: int) -> bytes:
    return f"cosignature/v1\ntime {when}\n".encode() + text.encode()


def cosign(note: Note, name: str, key: ed25519.Ed25519PrivateKey, when: dt.datetime) -> Signature:
    """A witness's co-signature of a checkpoint note's text at `when`."""
    seconds = int(when.timestamp())
    kid = key_id(_valid_name(name), SIG_COSIGNATURE_V1, raw_public(key))
    return Signature(name, kid, struct.pack(">Q", seconds) + key.sign(_cosigned_message(note.text, seconds)))


@dataclass(frozen=True)
class Cosignature:
    """A verified co-signature: who and when."""

    name: str
    time: dt.datetime


def verify_cosignature(note: Note, name: str, public_key: bytes) -> Cosignature:
    """The verified co-signature of `name` on `note`; raise NoteError when absent or wrong."""
    kid = key_id(name, SIG_COSIGNATURE_V1, public_key)
    candidates = [s for s in note.signatures if s.name == name and s.key_id == kid]
    if not candidates:
        raise NoteError(f"no co-signature by witness {name}")
    pub = ed25519.Ed25519PublicKey.from_public_bytes(public_key)
    for sig in candidates:
        if len(sig.blob) != 8 + 64:
            continue
        (seconds,) = struct.unpack(">Q", sig.blob[:8])
        try:
            pub.verify(sig.blob[8:], _cosigned_message(note.text, seconds))
        except InvalidSignature:
            continue
        return Cosignature(name=name, time=dt.datetime.fromtimestamp(seconds, dt.UTC))
    raise NoteError(f"the co-signature by witness {name} does not verify: the checkpoint was changed")
