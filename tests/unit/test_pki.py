"""The federation's PKI: CA, server and region certificates, identity, revocation."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509

from sync.pki import PkiError, certificate_identity, init_ca, issue_region, load_trust, revoke_region
from sync.regions import UnknownRegion


def test_keys_are_written_owner_only(tmp_path: Path) -> None:
    init_ca(tmp_path)
    creds = issue_region(tmp_path, "440000")
    for key in (tmp_path / "ca.key", tmp_path / "national.key", creds.key, creds.signing_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key


def test_region_certificate_names_its_region_code(tmp_path: Path) -> None:
    init_ca(tmp_path)
    creds = issue_region(tmp_path, "350000")
    region, serial = certificate_identity(creds.cert.read_bytes())
    assert region == "350000"
    cert = x509.load_pem_x509_certificate(creds.cert.read_bytes())
    assert "hufu-region-350000" in cert.subject.rfc4514_string()
    assert load_trust(tmp_path)["350000"].revoked_serials == frozenset()
    assert format(cert.serial_number, "x") == serial


def test_region_certificate_is_signed_by_the_national_ca(tmp_path: Path) -> None:
    init_ca(tmp_path)
    creds = issue_region(tmp_path, "330000")
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.crt").read_bytes())
    cert = x509.load_pem_x509_certificate(creds.cert.read_bytes())
    cert.verify_directly_issued_by(ca)


def test_unknown_region_codes_are_refused(tmp_path: Path) -> None:
    init_ca(tmp_path)
    with pytest.raises(UnknownRegion, match="six digits"):
        issue_region(tmp_path, "44")
    with pytest.raises(UnknownRegion, match="not a province-level"):
        issue_region(tmp_path, "440300")


def test_init_refuses_to_overwrite_a_ca(tmp_path: Path) -> None:
    init_ca(tmp_path)
    with pytest.raises(PkiError, match="refusing to overwrite"):
        init_ca(tmp_path)


def test_issue_without_a_ca_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(PkiError, match="hufu pki init"):
        issue_region(tmp_path, "440000")


def test_revocation_is_recorded_and_reissue_gets_a_new_serial(tmp_path: Path) -> None:
    init_ca(tmp_path)
    issue_region(tmp_path, "440000")
    old = revoke_region(tmp_path, "440000")
    assert old in load_trust(tmp_path)["440000"].revoked_serials
    creds = issue_region(tmp_path, "440000")
    _region, new = certificate_identity(creds.cert.read_bytes())
    assert new != old
    assert old in load_trust(tmp_path)["440000"].revoked_serials
