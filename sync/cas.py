"""A content-addressed, write-once object store on disk (both nodes keep their evidence in one).

An object's name is the SHA-256 of its bytes: ``<root>/sha256/ab/cdef…``. Writing goes to a
temporary file that is fsynced and then *linked* into place, so an object appears whole or
not at all, and an existing object is never replaced: storing the same bytes again is a
no-op, and nothing in the application deletes or rewrites an object (files are made
read-only). Reading re-hashes, so a changed file is reported, never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HEX = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20


class ObjectMissing(FileNotFoundError):
    """No object with that digest in the store."""


class ObjectCorrupt(ValueError):
    """A stored object whose bytes no longer hash to its name."""


def check_digest(digest: str) -> str:
    """A lower-case hex SHA-256, or ValueError."""
    if not isinstance(digest, str) or not _HEX.fullmatch(digest):
        raise ValueError(f"{str(digest)[:80]!r} is not a SHA-256 hex digest")
    return digest


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in 1 MiB chunks (an imported file's digest in its import run)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _syncfs(path: Path) -> None:
    """Flush the file system holding `path` (one call for many files); fall back to sync() where unavailable."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(path, os.O_RDONLY)
        try:
            if libc.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass
    os.sync()


class ContentStore:
    """Write-once objects named by their SHA-256 under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._pending: dict[Path, str] | None = None  # target -> temporary file, while batching

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: every object of the batch is made durable with one file-system flush, then linked.

        Objects appear only after their bytes are on disk, as with single writes; a batch that
        fails leaves no object behind.
        """
        if self._pending is not None:
            yield
            return
        self._pending = {}
        try:
            yield
            pending, self._pending = self._pending, None
            if pending:
                _syncfs(self.root)  # every temporary file's bytes are durable ...
                for target, tmp in pending.items():
                    try:
                        os.link(tmp, target)  # ... before any of them appears under its name
                    except FileExistsError:
                        pass
                    os.unlink(tmp)
                _syncfs(self.root)  # and the names themselves are durable
        finally:
            for tmp in (self._pending or {}).values():
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self._pending = None

    def path(self, digest: str) -> Path:
        """Where the object `digest` lives (whether or not it exists)."""
        check_digest(digest)
        return self.root / "sha256" / digest[:2] / digest[2:]

    def has(self, digest: str) -> bool:
        """Whether the object is stored."""
        return self.path(digest).is_file()

    def put(self, data: bytes) -> str:
        """Store bytes; return their digest (already stored bytes are left as they are)."""
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.is_file():
            return digest
        self._install(target, [data])
        return digest

    def put_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a file's bytes, streaming; return (digest, size). ValueError past `max_bytes`."""
        h = hashlib.sha256()
        size = 0
        chunks: list[bytes] = []
        with open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise ValueError(f"{source.name} is larger than the limit of {max_bytes} bytes")
                h.update(chunk)
                chunks.append(chunk)
        digest = h.hexdigest()
        target = self.path(digest)
        if not target.is_file():
            self._install(target, chunks)
        return digest, size

    def _install(self, target: Path, chunks: list[bytes]) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        if self._pending is not None:
            if target in self._pending:
                os.close(fd)
                os.unlink(tmp)
                return
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
            os.chmod(tmp, 0o444)
            self._pending[target] = tmp
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            try:
                os.link(tmp, target)  # never replaces: a concurrent writer of the same bytes wins, same content
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def get(self, digest: str) -> bytes:
        """The object's bytes, checked against its name."""
        try:
            data = self.path(digest).read_bytes()
        except FileNotFoundError:
            raise ObjectMissing(f"evidence object {digest} is not in {self.root}") from None
        if sha256_hex(data) != digest:
            raise ObjectCorrupt(f"evidence object {digest} in {self.root} was changed on disk: its bytes hash to "
                                f"{sha256_hex(data)}")
        return data

    def verify(self, digest: str) -> bool:
        """Whether the stored object is present and intact."""
        try:
            self.get(digest)
        except (ObjectMissing, ObjectCorrupt):
            return False
        return True
