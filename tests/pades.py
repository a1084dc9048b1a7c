"""Test-time PKI and PDFs: a CA of our own, a signer's certificate, and PDFs signed with pyHanko.

Nothing here is a fixture file: every certificate, key and PDF is made when a test asks, so the
tests also show how a real TTE (a PAdES signature by a certificate under a CA the office trusts)
is built. The PDFs start as a "scan" made with Pillow, as a scanner would produce one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNER_NAME = "dr. Christian Widodo, S.H."


@dataclass(frozen=True)
class Pki:
    """A root CA, an intermediate under it, a signer's certificate with its key, and a time
    stamping authority (TSA) under the same intermediate."""

    root: x509.Certificate
    intermediate: x509.Certificate
    signer: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey
    tsa: x509.Certificate
    tsa_key: rsa.RSAPrivateKey  # pyHanko's test TSA signs with RSA only

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def write_root(self, folder: Path, name: str = "root-ca.pem") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(self.root_pem())
        return path


def _name(cn: str, org: str = "Balai Uji Sertifikasi Elektronik") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _ca_cert(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    now: datetime,
    path_length: int | None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(issuer_key, hashes.SHA256())
    )


def _end_entity(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    now: datetime,
    *,
    tsa: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=700))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(root_name: str = "Root CA Uji Kota Kupang", signer_name: str = SIGNER_NAME) -> Pki:
    """A fresh three-level PKI, like BSrE's (root, issuing CA, person; and a TSA)."""
    now = datetime.now(UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_subject = _name(root_name)
    root = _ca_cert(root_subject, root_key, root_subject, root_key, now, 1)
    inter_key = ec.generate_private_key(ec.SECP256R1())
    inter_subject = _name(f"CA Penerbit {root_name}")
    inter = _ca_cert(inter_subject, inter_key, root_subject, root_key, now, 0)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_subject = _name(signer_name, "Pemerintah Kota Kupang")
    signer = _end_entity(signer_subject, signer_key, inter_subject, inter_key, now)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_subject = _name(f"TSA {root_name}")
    tsa = _end_entity(tsa_subject, tsa_key, inter_subject, inter_key, now, tsa=True)
    return Pki(root, inter, signer, signer_key, tsa, tsa_key)


def scan_pdf(text: str = "KEPUTUSAN WALIKOTA KUPANG") -> bytes:
    """A one-page PDF as a scanner makes it: a picture of a page, no text layer."""
    page = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 60), text, fill="black")
    draw.rectangle((60, 100, 560, 104), fill="black")
    out = BytesIO()
    page.save(out, format="PDF", resolution=75.0)
    return out.getvalue()


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def sign_pdf(
    pdf: bytes, pki: Pki, field: str = "TTE_Walikota", tsa_time: datetime | None = None
) -> bytes:
    """Sign `pdf` (PAdES baseline B, or B-T with a TSA token at `tsa_time`) with the PKI's
    signer, embedding the CA chain."""
    chain = [_asn1_cert(pki.intermediate), _asn1_cert(pki.root)]
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(pki.signer),
        signing_key=_asn1_key(pki.signer_key),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    timestamper = None
    if tsa_time is not None:
        timestamper = DummyTimeStamper(
            tsa_cert=_asn1_cert(pki.tsa),
            tsa_key=_asn1_key(pki.tsa_key),
            certs_to_embed=SimpleCertificateStore.from_certs(chain),
            fixed_dt=tsa_time,
        )
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    out = signers.PdfSigner(meta, signer, timestamper=timestamper).sign_pdf(writer)
    return bytes(out.getvalue())


def change_after_signing(signed: bytes, text: str = "Nomor: 999/PALSU/2026") -> bytes:
    """Append an incremental update that draws new content on the signed page (a forgery that
    leaves the signed bytes, and so the signature itself, intact)."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    stream = generic.StreamObject(stream_data=f"BT 60 500 Td ({text}) Tj ET".encode())
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
