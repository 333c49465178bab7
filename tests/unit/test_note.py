"""Signed notes, checkpoints and witness co-signatures (C2SP formats): round trips and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from sync import note
from sync.cas import ContentStore, ObjectCorrupt, ObjectMissing

T = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)
LOG = ed25519.Ed25519PrivateKey.generate()
WITNESS = ed25519.Ed25519PrivateKey.generate()


def _checkpoint(size: int = 12) -> note.Note:
    cp = note.Checkpoint(origin="hufu.test/log", size=size, root=bytes(range(32)), time=T)
    return note.sign_checkpoint(cp, "hufu-national", LOG)


def test_a_signed_checkpoint_round_trips_through_its_text_form() -> None:
    rendered = _checkpoint().render()
    assert rendered.startswith("hufu.test/log\n12\n")
    assert "\ntime 2026-11-23T08:30:00Z\n\n\u2014 hufu-national " in rendered
    cp = note.open_checkpoint(rendered, "hufu-national", note.raw_public(LOG), origin="hufu.test/log")
    assert (cp.size, cp.root, cp.time) == (12, bytes(range(32)), T)


def test_a_changed_byte_in_a_checkpoint_or_a_wrong_key_is_refused_with_a_reason() -> None:
    rendered = _checkpoint().render()
    tampered = rendered.replace("\n12\n", "\n13\n")
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_checkpoint(tampered, "hufu-national", note.raw_public(LOG))
    with pytest.raises(note.NoteError, match="no signature by hufu-national"):
        note.open_checkpoint(rendered, "hufu-national", note.raw_public(WITNESS))
    with pytest.raises(note.NoteError, match="not 'other'"):
        note.open_checkpoint(rendered, "hufu-national", note.raw_public(LOG), origin="other")
    for bad in ("", "no blank line\n", "a\n\nnot a signature\n", rendered[:-1]):
        with pytest.raises(note.NoteError):
            note.parse_note(bad)


def test_witness_cosignatures_verify_and_bind_the_checkpoint_text() -> None:
    signed = _checkpoint()
    sig = note.cosign(signed, "hufu-region-440000", WITNESS, T + dt.timedelta(seconds=5))
    both = note.parse_note(signed.with_signature(sig).render())
    got = note.verify_cosignature(both, "hufu-region-440000", note.raw_public(WITNESS))
    assert got.time == T + dt.timedelta(seconds=5)
    note.verify_note(both, "hufu-national", note.raw_public(LOG))  # the log's own signature still verifies
    moved = note.Note(_checkpoint(13).text, both.signatures)
    with pytest.raises(note.NoteError, match="checkpoint was changed"):
        note.verify_cosignature(moved, "hufu-region-440000", note.raw_public(WITNESS))
    with pytest.raises(note.NoteError, match="no co-signature"):
        note.verify_cosignature(signed, "hufu-region-440000", note.raw_public(WITNESS))


def test_the_content_store_names_objects_by_digest_never_overwrites_and_reports_changed_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ContentStore(tmp_path)
    digest = store.put(b"listing record")
    assert store.put(b"listing record") == digest
    path = store.path(digest)
    assert path.read_bytes() == b"listing record" and not path.stat().st_mode & 0o222
    assert store.get(digest) == b"listing record"
    path.chmod(0o644)
    path.write_bytes(b"listing recorD")
    with pytest.raises(ObjectCorrupt, match="changed on disk"):
        store.get(digest)
    with pytest.raises(ObjectMissing):
        store.get("0" * 64)
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def test_a_batch_of_objects_appears_whole_after_one_flush_and_a_failed_batch_leaves_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = ContentStore(tmp_path)
    with store.batch():
        a = store.put(b"first")
        assert store.put(b"first") == a
        assert not store.has(a)  # not visible before its bytes are durable
        b = store.put(b"second")
    assert store.get(a) == b"first" and store.get(b) == b"second"
    try:
        with store.batch():
            c = store.put(b"third")
            raise RuntimeError("the transaction failed")
    except RuntimeError:
        pass
    assert not store.has(c)
    assert not [p for p in tmp_path.rglob(".tmp-*")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=600), st.text(max_size=600)))
def test_any_note_text_is_parsed_or_refused_with_a_note_error(data) -> None:  # type: ignore[no-untyped-def]
    try:
        parsed = note.parse_note(data)
    except note.NoteError:
        return
    try:
        note.parse_checkpoint(parsed.text)
    except note.NoteError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_checkpoint_with_random_changes_never_verifies_unless_unchanged(data) -> None:  # type: ignore[no-untyped-def]
    rendered = _checkpoint().render().encode()
    at = data.draw(st.integers(0, len(rendered) - 1))
    new = data.draw(st.integers(0, 255))
    changed = rendered[:at] + bytes([new]) + rendered[at + 1:]
    try:
        cp = note.open_checkpoint(changed, "hufu-national", note.raw_public(LOG))
    except note.NoteError:
        return
    # an accepted note must say exactly what was signed (only a change inside the signature line's padding passes)
    assert (cp.size, cp.root, cp.time) == (12, bytes(range(32)), T)
