"""bot/signatures: PAdES signatures verified with pyHanko against the office's own trust roots.

Every certificate and PDF is made here (tests/pades.py): a CA of the test's own, a signer under
it, a scan made with Pillow and signed with pyHanko, and the same file changed after signing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.signatures import (
    INVALID,
    MODIFIED,
    NONE,
    UNREADABLE,
    UNTRUSTED,
    VALID,
    TrustRoots,
    load_trust_roots,
    verify_pdf,
)
from bot.signatures.verify import NO_CHAIN, NO_ROOTS
from tests.pades import SIGNER_NAME, Pki, change_after_signing, make_pki, scan_pdf, sign_pdf


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="module")
def signed(pki: Pki) -> bytes:
    return sign_pdf(scan_pdf(), pki)


def roots_of(pki: Pki, tmp_path: Path) -> TrustRoots:
    return load_trust_roots(pki.write_root(tmp_path / "akar"))


def test_a_valid_tte_names_the_signer_and_the_time(
    pki: Pki, signed: bytes, tmp_path: Path
) -> None:
    before = datetime.now(UTC) - timedelta(minutes=5)
    check = verify_pdf(signed, roots_of(pki, tmp_path))
    assert check.status == VALID
    assert check.sha256 == hashlib.sha256(signed).hexdigest()
    assert check.signer == SIGNER_NAME
    assert check.signed_at is not None and before <= check.signed_at <= datetime.now(UTC)
    (only,) = check.signatures
    assert only.time_source == "claimed"  # no TSA token: the signer's own clock
    assert only.trust_anchor == "Root CA Uji Kota Kupang"
    assert only.summary == "INTACT:TRUSTED,UNTOUCHED"
    assert check.is_electronic


def test_a_tsa_timestamp_gives_the_signing_time(pki: Pki, tmp_path: Path) -> None:
    """With a time stamping authority's token (PAdES B-T, as BSrE's TTE carries), the signing
    time is the TSA's, not the signer's own clock."""
    when = (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0)
    check = verify_pdf(sign_pdf(scan_pdf(), pki, tsa_time=when), roots_of(pki, tmp_path))
    assert check.status == VALID
    (only,) = check.signatures
    assert only.time_source == "timestamp" and only.signed_at == when


def test_a_file_changed_after_signing_is_caught(pki: Pki, signed: bytes, tmp_path: Path) -> None:
    changed = change_after_signing(signed)
    assert changed.startswith(signed)  # an incremental update: the signed bytes are untouched
    check = verify_pdf(changed, roots_of(pki, tmp_path))
    assert check.status == MODIFIED
    assert check.signer == SIGNER_NAME
    assert "EXTENDED_WITH_OTHER" in check.record_detail()


def test_bytes_changed_inside_the_signed_revision_break_the_signature(
    pki: Pki, signed: bytes, tmp_path: Path
) -> None:
    # Flip one byte of the page image, which the signature covers.
    at = signed.index(b"stream\n", signed.index(b"/Image")) + 200
    broken = signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1 :]
    check = verify_pdf(broken, roots_of(pki, tmp_path))
    assert check.status == INVALID
    assert check.signer == SIGNER_NAME


def test_a_certificate_under_another_root_is_not_trusted(signed: bytes, tmp_path: Path) -> None:
    other = make_pki("Root CA Lain")
    check = verify_pdf(signed, roots_of(other, tmp_path))
    assert check.status == UNTRUSTED
    assert check.reason == NO_CHAIN
    assert check.signer == SIGNER_NAME


def test_without_configured_roots_nothing_is_trusted(signed: bytes) -> None:
    """The operating system's store is never consulted (BSrE is not in it anyway)."""
    check = verify_pdf(signed, load_trust_roots(None))
    assert check.status == UNTRUSTED and check.reason == NO_ROOTS


def test_a_plain_scan_is_a_scan(pki: Pki, tmp_path: Path) -> None:
    scan = scan_pdf()
    check = verify_pdf(scan, roots_of(pki, tmp_path))
    assert check.status == NONE and check.signer is None and not check.is_electronic
    assert check.sha256 == hashlib.sha256(scan).hexdigest()


def test_a_pdf_that_cannot_be_read_is_recorded_not_raised(pki: Pki, tmp_path: Path) -> None:
    check = verify_pdf(b"%PDF-1.4\nthis is not a pdf at all\n", roots_of(pki, tmp_path))
    assert check.status == UNREADABLE and check.detail


def test_a_second_signature_keeps_the_first_valid(pki: Pki, signed: bytes, tmp_path: Path) -> None:
    second_pki = make_pki(signer_name="Kepala Bagian Hukum")
    twice = sign_pdf(signed, second_pki, field="TTE_Kabag")
    roots = TrustRoots(
        roots_of(pki, tmp_path / "a").certs + roots_of(second_pki, tmp_path / "b").certs
    )
    check = verify_pdf(twice, roots)
    assert [s.status for s in check.signatures] == [VALID, VALID]
    assert check.status == VALID
    assert [s.signer for s in check.signatures] == [SIGNER_NAME, "Kepala Bagian Hukum"]
    # With only the first root, the second signer is the one that is not trusted.
    check = verify_pdf(twice, roots_of(pki, tmp_path / "c"))
    assert check.status == UNTRUSTED and check.signer == "Kepala Bagian Hukum"


def test_trust_roots_from_a_folder_of_pem_and_der(pki: Pki, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    other = make_pki("Root CA Kedua")
    folder = tmp_path / "akar"
    folder.mkdir()
    # One PEM file with two certificates, one DER file, one broken file, one ignored file.
    (folder / "bundle.pem").write_bytes(pki.root_pem() + other.root_pem())
    (folder / "ketiga.cer").write_bytes(
        make_pki("Root CA Ketiga").root.public_bytes(serialization.Encoding.DER)
    )
    (folder / "rusak.crt").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n")
    (folder / "BACA.txt").write_text("bukan sertifikat")
    roots = load_trust_roots(folder)
    assert len(roots.certs) == 3
    assert [p.split(":")[0] for p in roots.problems] == ["rusak.crt"]
    # A single file works as well; a missing path is reported.
    assert len(load_trust_roots(folder / "bundle.pem").certs) == 2
    missing = load_trust_roots(tmp_path / "tidak-ada")
    assert not missing.certs and "not found" in missing.problems[0]
