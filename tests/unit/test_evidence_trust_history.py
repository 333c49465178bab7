"""The key list a national evidence package carries names every key a region had, each for the time it was current
(newcomer15 F16: after a routine revoke + re-issue, national packages listed only the new key and every capture
signed before the rotation failed to verify, while the region's own package of the same capture verified)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from national import evidence
from sync import note
from sync.evidence import parse_trust
from sync.pki import init_ca, issue_region, load_trust, revoke_region

T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 12, 2, 14, 59, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)


def test_a_region_key_superseded_by_a_reissue_stays_in_the_key_list_for_its_own_time(tmp_path: Path) -> None:
    pki = tmp_path / "pki"
    init_ca(pki)
    issue_region(pki, "350000", now=T0)
    first = load_trust(pki)["350000"].signing_public_key
    revoke_region(pki, "350000")
    issue_region(pki, "350000", now=T1)
    second = load_trust(pki)["350000"].signing_public_key
    issue_region(pki, "350000", now=T2, overlap=dt.timedelta(days=2))
    third = load_trust(pki)["350000"].signing_public_key
    assert len({first, second, third}) == 3
    keys = [k for k in evidence.region_keys(load_trust(pki)) if k.region == "350000"]
    by_key = {k.public_key: k for k in keys}
    assert set(by_key) == {first, second, third}
    assert by_key[first].covers(T0 - dt.timedelta(days=60))  # the demo's back-dated history too
    assert by_key[first].covers(T1 - dt.timedelta(seconds=1)) and not by_key[first].covers(T1)
    assert by_key[second].covers(T1) and by_key[second].covers(T2 + dt.timedelta(days=1))  # its overlap
    assert by_key[second].covers(T1 - dt.timedelta(seconds=1))  # a capture re-signed after the re-issue (no start)
    assert not by_key[second].covers(T2 + dt.timedelta(days=3))
    assert by_key[third].valid_from is None and by_key[third].valid_until is None
    # the signed list round-trips with the periods (what a court's verifier reads)
    signed = evidence.trust_note(keys, ed25519.Ed25519PrivateKey.generate(), T2)
    listed = {k.public_key: (k.valid_from, k.valid_until) for k in parse_trust(note.parse_note(signed).text)}
    assert listed == {k: (v.valid_from, v.valid_until) for k, v in by_key.items()}
