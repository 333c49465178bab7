"""Evidence at import: keep each listing record as received and every file it carries or names.

A feed hands over page captures and images in one of two ways (docs/formats.md, "Evidence"):

* **paths inside an import bundle** — a folder holding the listings file, or a `.zip` of it:
  `images`, `page_capture.html`, `page_capture.screenshot` and `attachments[].path` name
  files relative to the listings file; nothing outside the bundle can be named;
* **inline base64** — `attachments[].data_base64`, at most 2 MiB decoded per attachment.

Everything is stored content-addressed before the import's transaction; a record whose
files are missing, too large or malformed makes the whole file fail with errors naming the
record and the field, like any other bad record.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import mimetypes
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regional.formats.errors import ImportFileError, RecordError
from regional.formats.messages import Problem, say
from sync.cas import ContentStore
from sync.evidence import canonical_json

MAX_INLINE_BYTES = 2 * 1024 * 1024  # one inline (base64) attachment, decoded
MAX_INLINE_TOTAL = 8 * 1024 * 1024  # all inline attachments of one record, decoded
# How much longer than the reader's per-record limit a record may be to carry its inline attachments.
INLINE_ALLOWANCE = (MAX_INLINE_TOTAL * 4) // 3 + 64 * 1024
MAX_FILE_BYTES = 32 * 1024 * 1024  # one file inside a bundle
MAX_ATTACHMENTS = 20  # attachments per record
MAX_IMAGES = 50  # images per record
MAX_BUNDLE_BYTES = 4 * 1024 * 1024 * 1024  # a whole .zip bundle, unpacked
MAX_BUNDLE_FILES = 200_000
LISTING_FILES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".xlsx")  # what a bundle's listings file may be
NAME = re.compile(r"[^\x00-\x1f/\\]{1,200}")
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")


@dataclass
class ListingEvidence:
    """What one listing record brings: its canonical record, its files, the URLs it only names."""

    record_sha256: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)


class BundleError(ImportFileError):
    """A bundle that cannot be opened safely; the reason names the entry."""


@contextlib.contextmanager
def bundle(path: Path) -> Iterator[tuple[Path, Path]]:
    """(listings file, folder file paths are relative to): a .zip is unpacked safely into a temporary folder."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        yield path, path.parent
        return
    tmp = Path(tempfile.mkdtemp(prefix="hufu-bundle-"))
    try:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise BundleError(path.name, say("bundle_unreadable", why=str(exc))) from None
        with zf:
            infos = zf.infolist()
            if len(infos) > MAX_BUNDLE_FILES:
                raise BundleError(path.name, say("bundle_entries", n=f"{len(infos):,}", max=f"{MAX_BUNDLE_FILES:,}"))
            if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
                raise BundleError(path.name, say("bundle_size", max=MAX_BUNDLE_BYTES >> 30))
            for info in infos:
                name = info.filename
                parts = re.split(r"[/\\]", name)
                if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                    raise BundleError(path.name, say("bundle_outside", entry=name))
                if info.is_dir():
                    continue
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise BundleError(path.name, say("bundle_symlink", entry=name))
                target = tmp / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        candidates = sorted(p for p in tmp.rglob("*") if p.is_file() and p.name.lower().endswith(LISTING_FILES))
        if len(candidates) != 1:
            listed = ", ".join(str(p.relative_to(tmp)) for p in candidates[:5]) or "none"
            raise BundleError(path.name, say("bundle_listings", found=listed))
        yield candidates[0], candidates[0].parent
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class _Record:
    """Collects one record's files and errors."""

    def __init__(self, file: str, line: int, record_id: str | None, base: Path, store: ContentStore) -> None:
        self.file, self.line, self.record_id, self.base, self.store = file, line, record_id, base, store
        self.errors: list[RecordError] = []
        self.items: list[dict[str, Any]] = []
        self.refs: list[dict[str, Any]] = []
        self.inline_bytes = 0

    def error(self, field_path: str, problem: Problem) -> None:
        self.errors.append(RecordError.of(self.file, self.line, self.record_id, field_path, problem))

    def bundle_file(self, field_path: str, rel: object, role: str) -> None:
        if not isinstance(rel, str) or not rel.strip():
            self.error(field_path, say("ev_path_text"))
            return
        parts = re.split(r"[/\\]", rel)
        if rel.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or "\x00" in rel:
            self.error(field_path, say("ev_path_relative"))
            return
        target = (self.base / rel).resolve()
        if not target.is_relative_to(self.base.resolve()):
            self.error(field_path, say("ev_outside", path=repr(rel)))
            return
        if not target.is_file():
            self.error(field_path, say("ev_missing", path=repr(rel)))
            return
        try:
            digest, size = self.store.put_file(target, MAX_FILE_BYTES)
        except ValueError:
            self.error(field_path, say("ev_file_large", path=repr(rel), mib=MAX_FILE_BYTES >> 20))
            return
        self.items.append({"role": role, "name": rel, "sha256": digest, "size": size,
                           "media_type": mimetypes.guess_type(rel)[0] or "application/octet-stream"})

    def inline(self, field_path: str, att: dict[str, Any], name: str) -> None:
        data = att.get("data_base64")
        if not isinstance(data, str):
            self.error(f"{field_path}.data_base64", say("ev_base64_text"))
            return
        if len(data) > (MAX_INLINE_BYTES * 4) // 3 + 8:
            self.error(f"{field_path}.data_base64", say("ev_inline_large_hint", mib=MAX_INLINE_BYTES >> 20))
            return
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            self.error(f"{field_path}.data_base64", say("ev_base64"))
            return
        if len(raw) > MAX_INLINE_BYTES:
            self.error(f"{field_path}.data_base64", say("ev_inline_large", mib=MAX_INLINE_BYTES >> 20))
            return
        media = att.get("media_type") or mimetypes.guess_type(name)[0] or "application/octet-stream"
        if not isinstance(media, str) or not MEDIA_TYPE.fullmatch(media):
            self.error(f"{field_path}.media_type", say("ev_media_type"))
            return
        self.inline_bytes += len(raw)
        if self.inline_bytes > MAX_INLINE_TOTAL:
            self.error(f"{field_path}.data_base64", say("ev_inline_total", mib=MAX_INLINE_TOTAL >> 20))
            return
        self.items.append({"role": str(att.get("role") or "attachment")[:32], "name": name,
                           "sha256": self.store.put(raw), "size": len(raw), "media_type": media})


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def collect_one(obj: dict[str, Any], *, file: str, line: int, base: Path, store: ContentStore
                ) -> tuple[ListingEvidence | None, list[RecordError]]:
    """Store one valid listing record's canonical JSON and files; return them, or the errors."""
    record_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    rec = _Record(file, line, record_id, base, store)
    images = obj.get("images") or []
    if isinstance(images, list):
        if len(images) > MAX_IMAGES:
            rec.error("images", say("ev_images", n=MAX_IMAGES))
        for i, image in enumerate(images[:MAX_IMAGES]):
            if isinstance(image, str) and _is_url(image):
                rec.refs.append({"role": "image", "url": image[:2000]})
            else:
                rec.bundle_file(f"images[{i}]", image, "image")
    page = obj.get("page_capture")
    if page is not None:
        if not isinstance(page, dict):
            rec.error("page_capture", say("ev_page"))
        else:
            if not (page.get("html") or page.get("screenshot")):
                rec.error("page_capture", say("ev_page_empty"))
            for key, role in (("html", "page_html"), ("screenshot", "screenshot")):
                if page.get(key) is not None:
                    rec.bundle_file(f"page_capture.{key}", page[key], role)
    atts = obj.get("attachments")
    if atts is not None:
        if not isinstance(atts, list):
            rec.error("attachments", say("ev_attachments"))
        else:
            if len(atts) > MAX_ATTACHMENTS:
                rec.error("attachments", say("ev_attachments_many", n=MAX_ATTACHMENTS))
            for i, att in enumerate(atts[:MAX_ATTACHMENTS]):
                where = f"attachments[{i}]"
                if not isinstance(att, dict):
                    rec.error(where, say("ev_attachment"))
                    continue
                has_data, has_path = att.get("data_base64") is not None, att.get("path") is not None
                if has_data == has_path:
                    rec.error(where, say("ev_attachment_one"))
                    continue
                name = att.get("name") or (att.get("path") if has_path else None)
                if not isinstance(name, str) or not NAME.fullmatch(name.replace("/", "_")):
                    rec.error(f"{where}.name", say("ev_attachment_name"))
                    continue
                if has_path:
                    rec.bundle_file(f"{where}.path", att["path"], str(att.get("role") or "attachment")[:32])
                else:
                    rec.inline(where, att, name)
    if rec.errors:
        return None, rec.errors
    try:
        body = canonical_json(obj)
    except ValueError as exc:
        return None, [RecordError.of(file, line, record_id, None, say("ev_canonical", why=exc))]
    return ListingEvidence(record_sha256=store.put(body), attachments=rec.items, references=rec.refs), []


def collect(file: str, raw: Sequence[tuple[int, dict[str, Any]]], base: Path, store: ContentStore
            ) -> tuple[dict[str, ListingEvidence], list[RecordError]]:
    """Every valid record's evidence, keyed by listing id, and the errors of the records whose files are bad."""
    out: dict[str, ListingEvidence] = {}
    errors: list[RecordError] = []
    with store.batch():  # one file-system flush for the whole file's objects
        for line, obj in raw:
            found, errs = collect_one(obj, file=file, line=line, base=base, store=store)
            errors.extend(errs)
            if found is not None:
                out[str(obj["id"])] = found
    return out, errors
