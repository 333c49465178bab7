"""Evidence packages verify offline against the national key alone, and every tampering is caught with its reason."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync import merkle, note
from sync.evidence import (
    MANIFEST_TYPE,
    NATIONAL_KEY_NAME,
    NATIONAL_ORIGIN,
    RegionKey,
    VerificationFailed,
    canonical_json,
    iso_utc,
    manifest_leaf,
    public_pem,
    region_key_name,
    region_origin,
    sign_manifest,
    trust_text,
    verify_package,
)
from sync.evidence_package import CaptureFiles, build_package

T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
NATIONAL = ed25519.Ed25519PrivateKey.generate()
KEYS = {"440000": ed25519.Ed25519PrivateKey.generate(), "330000": ed25519.Ed25519PrivateKey.generate()}
ROGUE = ed25519.Ed25519PrivateKey.generate()
LEAD = "9a1f0c3e-0000-4000-8000-000000000001"


def _pub(key: ed25519.Ed25519PrivateKey) -> bytes:
    return note.raw_public(key)


class World:
    """Two regions capturing into their logs, one national log, a co-signed checkpoint."""

    def __init__(self, captures: int = 5) -> None:
        self.region_trees = {code: merkle.MemoryTree() for code in KEYS}
        self.national = merkle.MemoryTree()
        self.captures: list[dict] = []
        for i in range(captures):
            for code, key in KEYS.items():
                self.capture(code, key, i)
        size = self.national.size
        cp = note.Checkpoint(NATIONAL_ORIGIN, size, self.national.root(), T0 + dt.timedelta(minutes=5))
        signed = note.sign_checkpoint(cp, NATIONAL_KEY_NAME, NATIONAL)
        for code, key in KEYS.items():
            signed = signed.with_signature(note.cosign(signed, region_key_name(code), key, T0 + dt.timedelta(minutes=6)))
        self.checkpoint = signed.render()
        self.trust = note.sign_note(trust_text([RegionKey(c, _pub(k)) for c, k in KEYS.items()], T0),
                                    NATIONAL_KEY_NAME, NATIONAL).render()

    def capture(self, code: str, key: ed25519.Ed25519PrivateKey, i: int) -> None:
        record = canonical_json({"id": f"tb-{code}-{i}", "title": "康帅傅 红烧牛肉面", "images": ["img/1.png"]})
        image = bytes([i, 1, 2, 3]) * 50
        items = {hashlib.sha256(b).hexdigest(): b for b in (record, image)}
        tree = self.region_trees[code]
        index = tree.size
        manifest = canonical_json({
            "type": MANIFEST_TYPE, "region": code, "node": region_key_name(code), "lead": LEAD if i == 0 else f"l-{i}",
            "captured_at": iso_utc(T0 + dt.timedelta(seconds=i)), "log_index": index, "reason": "lead_created",
            "items": [{"role": "listing_record", "sha256": hashlib.sha256(record).hexdigest(), "size": len(record)},
                      {"role": "image", "name": "img/1.png", "sha256": hashlib.sha256(image).hexdigest(),
                       "size": len(image)}]})
        tree.append(manifest_leaf(manifest))
        head = note.sign_checkpoint(note.Checkpoint(region_origin(code), tree.size, tree.root(), T0), region_key_name(code),
                                    key).render()
        leaf_index = self.national.append(manifest_leaf(manifest))
        self.captures.append({"code": code, "manifest": manifest, "signature": sign_manifest(manifest, key),
                              "head": head, "index": index, "leaf_index": leaf_index, "items": items})

    def files(self, code: str = "440000") -> list[CaptureFiles]:
        out = []
        for c in self.captures:
            if c["code"] != code:
                continue
            out.append(CaptureFiles(
                manifest=c["manifest"], manifest_sha256=hashlib.sha256(c["manifest"]).hexdigest(),
                signature=c["signature"], region_head=c["head"],
                region_path=self.region_trees[code].inclusion_proof(c["index"], c["index"] + 1),
                leaf_index=c["leaf_index"], tree_size=self.national.size,
                path=self.national.inclusion_proof(c["leaf_index"]), checkpoint=self.checkpoint, items=c["items"]))
        return out

    def package(self, code: str = "440000") -> bytes:
        return build_package({"kind": "lead", "uuid": LEAD}, self.files(code), self.trust, _pub(NATIONAL),
                             region_key_name(code), T0 + dt.timedelta(hours=1))


WORLD = World()
GOOD = WORLD.package()


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _first(files: dict[str, bytes], pattern: str) -> str:
    return next(n for n in sorted(files) if re.fullmatch(pattern, n))


def _fails(files: dict[str, bytes], match: str, key: bytes | None = None) -> None:
    with pytest.raises(VerificationFailed, match=match):
        verify_package(_zip(files), key or _pub(NATIONAL))


def test_a_sound_package_verifies_with_the_national_key_alone_and_reports_what_it_holds() -> None:
    report = verify_package(GOOD, _pub(NATIONAL))
    assert len(report.captures) == 5
    text = report.text()
    assert text.startswith("VALID") and "co-signed by 2 witness(es)" in text and LEAD in text
    files = _files(GOOD)
    assert "摘要.html" in files and "取证时间" in files["摘要.html"].decode()
    assert "keys/region-440000.pub" in files and "keys/trust.note" in files


def test_the_summary_says_times_in_beijing_time_and_nodes_regions_and_the_worker_in_words() -> None:
    """newcomer14 F14: 摘要.html (court-facing) printed 生成时间（UTC）：2026-12-02T11:30:09.380570Z, 操作人 worker and region
    codes, while the lead page shows the same capture in Beijing time (a different date near midnight)."""
    summary = _files(GOOD)["摘要.html"].decode()
    assert "生成时间（北京时间）：2026-11-23 17:00:00" in summary  # T0 + 1 h, UTC+8
    assert "<th>取证时间（北京时间）</th><td>2026-11-23 16:00:00</td>" in summary
    assert "时间（北京时间）2026-11-23 16:05:00" in summary  # the national checkpoint
    assert "T08:00:00" not in summary and "Z<" not in summary and "（UTC）" not in summary
    assert "广东省区域节点（hufu-region-440000）" in summary
    assert "广东省（440000）" in summary and "浙江省（330000）" in summary  # the witnesses
    from sync.evidence_package import _actor_zh, _node_zh

    assert (_actor_zh("worker"), _actor_zh("cli:ops"), _actor_zh("张警官")) == ("系统自动取证", "命令行操作（ops）", "张警官")
    assert _node_zh("hufu-national") == "国家节点（hufu-national）"


def test_one_changed_byte_of_an_item_is_caught_naming_the_item() -> None:
    files = _files(GOOD)
    name = _first(files, r"items/[0-9a-f]{64}")
    files[name] = _flip(files[name], len(files[name]) // 2)
    _fails(files, r"items/[0-9a-f]+: item .* was changed — its bytes hash to")


def test_one_changed_byte_of_a_manifest_is_caught_and_a_consistently_renamed_one_fails_its_signature() -> None:
    files = _files(GOOD)
    name = _first(files, r"captures/[0-9a-f]{64}/manifest\.json")
    files[name] = files[name].replace(b'"lead_created"', b'"lead_createD"')
    _fails(files, r"manifest\.json was changed: its bytes hash to")
    # the forger renames everything after the new digest: the region's signature still gives them away
    files = _files(GOOD)
    old = name.split("/")[1]
    forged = files[name].replace(b"img/1.png", b"img/2.png")
    new = hashlib.sha256(forged).hexdigest()
    renamed = {n.replace(old, new): (forged if n == name else d) for n, d in files.items()}
    renamed["package.json"] = files["package.json"].replace(old.encode(), new.encode())
    _fails(renamed, "the manifest signature does not verify")


def test_one_changed_byte_of_a_proof_is_caught() -> None:
    files = _files(GOOD)
    name = _first(files, r"captures/[0-9a-f]{64}/proof\.json")
    proof = json.loads(files[name])
    raw = bytearray(base64.b64decode(proof["path"][0]))
    raw[7] ^= 0x01
    proof["path"][0] = base64.b64encode(bytes(raw)).decode()
    files[name] = json.dumps(proof).encode()
    _fails(files, r"the inclusion proof of manifest .* does not lead to the root of checkpoints/10\.note")


def test_reordered_leaves_are_caught() -> None:
    files = _files(GOOD)
    name = _first(files, r"captures/[0-9a-f]{64}/proof\.json")
    proof = json.loads(files[name])
    proof["leaf_index"] ^= 1  # claim the neighbour's place in the national log
    files[name] = json.dumps(proof).encode()
    _fails(files, "does not lead to the root")
    files = _files(GOOD)
    proof = json.loads(files[name])
    proof["region_path"] = list(reversed(proof["region_path"])) if len(proof["region_path"]) > 1 else ["AAAA"]
    files[name] = json.dumps(proof).encode()
    _fails(files, "not leaf .* of region 440000's signed log head")


def test_one_changed_byte_of_a_checkpoint_or_its_cosignatures_is_caught() -> None:
    files = _files(GOOD)
    name = _first(files, r"checkpoints/\d+\.note")
    text = files[name].decode()
    files[name] = text.replace("\n10\n", "\n11\n", 1).encode()
    _fails(files, r"checkpoints/10\.note: the signature by hufu-national does not verify")
    files = _files(GOOD)
    lines = text.split("\n")
    witness = next(i for i, line in enumerate(lines) if line.startswith("\u2014 hufu-region-330000"))
    sig = bytearray(base64.b64decode(lines[witness].split(" ")[2]))
    sig[-1] ^= 0x01
    lines[witness] = f"\u2014 hufu-region-330000 {base64.b64encode(bytes(sig)).decode()}"
    files[name] = "\n".join(lines).encode()
    _fails(files, "co-signature by witness hufu-region-330000 does not verify")


def test_a_checkpoint_nobody_witnessed_is_refused() -> None:
    files = _files(GOOD)
    name = _first(files, r"checkpoints/\d+\.note")
    kept = [line for line in files[name].decode().split("\n") if not line.startswith("\u2014 hufu-region-")]
    files[name] = "\n".join(kept).encode()
    _fails(files, "carries 0 witness co-signature.* it was not witnessed")


def test_a_region_key_not_in_the_trust_set_is_refused() -> None:
    files = _files(GOOD)
    files["keys/region-440000.pub"] = public_pem(_pub(ROGUE))
    _fails(files, "is not in the trust set signed by the national key")
    # the forger re-signs a manifest with a rogue key and hides the key file: no trusted key verifies it
    files = _files(GOOD)
    del files["keys/region-440000.pub"]
    name = _first(files, r"captures/[0-9a-f]{64}/manifest\.sig")
    manifest = files[name.replace("manifest.sig", "manifest.json")]
    files[name] = base64.b64encode(sign_manifest(manifest, ROGUE))
    _fails(files, "does not verify with any key of region 440000 in the trust set")


def test_a_witness_outside_the_trust_set_and_a_forged_key_list_are_refused() -> None:
    files = _files(GOOD)
    name = _first(files, r"checkpoints/\d+\.note")
    signed = note.parse_note(files[name])
    files[name] = signed.with_signature(note.cosign(signed, "hufu-region-110000", ROGUE, T0)).render().encode()
    _fails(files, "co-signature by hufu-region-110000, whose key is not in the trust set")
    files = _files(GOOD)
    forged = note.sign_note(trust_text([RegionKey("440000", _pub(ROGUE))], T0), NATIONAL_KEY_NAME, ROGUE)
    files["keys/trust.note"] = forged.render().encode()
    _fails(files, "keys/trust.note: .* not the one the national key signed")


def test_only_the_national_key_given_is_trusted() -> None:
    _fails(_files(GOOD), "keys/trust.note: no signature by hufu-national", key=_pub(ROGUE))


def test_a_missing_file_or_a_broken_zip_gets_a_reason() -> None:
    files = _files(GOOD)
    name = _first(files, r"items/[0-9a-f]{64}")
    del files[name]
    _fails(files, "is missing from the package")
    with pytest.raises(VerificationFailed, match="not a zip file"):
        verify_package(b"PK\x03\x04 not really", _pub(NATIONAL))
    broken = bytearray(GOOD)
    at = broken.index(b"items/") + 200
    broken[at] ^= 0xFF  # a byte inside compressed data: the zip's own CRC or inflate fails
    with pytest.raises(VerificationFailed):
        verify_package(bytes(broken), _pub(NATIONAL))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_single_byte_change_to_any_file_of_a_package_is_refused_or_harmless(data) -> None:  # type: ignore[no-untyped-def]
    files = _files(GOOD)
    name = data.draw(st.sampled_from(sorted(n for n in files if n != "摘要.html")))
    body = files[name]
    at = data.draw(st.integers(0, len(body) - 1))
    files[name] = body[:at] + bytes([body[at] ^ data.draw(st.integers(1, 255))]) + body[at + 1:]
    try:
        report = verify_package(_zip(files), _pub(NATIONAL))
    except VerificationFailed:
        return
    # what still verifies is a change nothing relies on: the informational national key copy, JSON
    # whitespace, the package's creation note — never an item, a manifest, a proof or a signature; a region's
    # key file may change only where it still reads as the same key (a line break turned into other whitespace,
    # the last newline into trailing text after the PEM block: hypothesis draws the last byte often)
    if name.startswith("keys/region-") and name.endswith(".pub"):
        from sync.evidence import load_public_key

        assert load_public_key(files[name]) == load_public_key(body), f"{name} verified as another key"
    else:
        assert name in ("keys/national.pub", "package.json") or name.endswith("proof.json") or name.endswith(".note")
    assert len(report.captures) == 5


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_with_a_reason_never_a_crash(data: bytes) -> None:
    with pytest.raises(VerificationFailed):
        verify_package(data, _pub(NATIONAL))
