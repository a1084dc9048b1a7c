"""Verify the PAdES signatures of a PDF with pyHanko, and sum them up in one status.

For every signature in the file (document timestamps are not a person's signature and are left
out) pyHanko checks:

* **integrity of the signed revision**: the hash of the bytes the signature covers matches what
  was signed, and the signature itself verifies with the signer's certificate (``intact`` and
  ``valid``; if not: :data:`INVALID`);
* **changes after signing**: how much of the file the signature covers and, when something was
  appended later, its difference analysis of the incremental updates. Appended revocation data,
  timestamps or a further signature are allowed; new page content is not (:data:`MODIFIED`);
* **trust**: the signer's certificate chains to one of the roots the office configured, with a
  signing key usage (non-repudiation or digital signature), not expired or revoked as far as
  the file and the roots tell (:data:`UNTRUSTED` with a reason). Revocation is "soft-fail"
  and nothing is fetched from the network: the bot runs where only Telegram is reachable.

The file's status is its worst signature's; a file without a signature is :data:`NONE` (a scan)
and one pyHanko cannot read is :data:`UNREADABLE`. Neither is ever refused: they are recorded
as scans.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from bot.signatures.roots import TrustRoots

logger = logging.getLogger(__name__)

VALID = "valid"
UNTRUSTED = "untrusted"
MODIFIED = "modified"
INVALID = "invalid"
NONE = "none"
UNREADABLE = "unreadable"
STATUSES = (VALID, UNTRUSTED, MODIFIED, INVALID, NONE, UNREADABLE)
_SEVERITY = {VALID: 0, UNTRUSTED: 1, MODIFIED: 2, INVALID: 3}

# Reasons a signature is not trusted (SignerResult.reason).
NO_ROOTS = "no_roots"  # the office configured no trust root at all
NO_CHAIN = "no_chain"  # no path from the signer's certificate to a configured root
REVOKED = "revoked"
EXPIRED = "expired"
OTHER = "other"

SIGNING_KEY_USAGES = frozenset({"non_repudiation", "digital_signature"})


@dataclass(frozen=True, slots=True)
class SignerResult:
    """One signature of the file."""

    status: str  # VALID, UNTRUSTED, MODIFIED or INVALID
    signer: str  # the certificate's common name (the person), else its whole subject
    signed_at: datetime | None
    time_source: str  # "timestamp" (a TSA's token), "claimed" (the signer's clock) or ""
    reason: str = ""  # for UNTRUSTED: NO_ROOTS, NO_CHAIN, REVOKED, EXPIRED or OTHER
    trust_anchor: str = ""
    summary: str = ""  # pyHanko's machine-readable summary, e.g. INTACT:TRUSTED,UNTOUCHED


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """What the verification found in one file (identified by its SHA-256)."""

    sha256: str
    status: str
    signatures: tuple[SignerResult, ...] = ()
    detail: str = ""  # why UNREADABLE, or the trust-root problems

    @property
    def deciding(self) -> SignerResult | None:
        """The signature that sets the status: the worst one; when all are equal, the last
        applied (the one that covers the final file)."""
        if not self.signatures:
            return None
        worst = max(_SEVERITY[s.status] for s in self.signatures)
        return [s for s in self.signatures if _SEVERITY[s.status] == worst][-1]

    @property
    def signer(self) -> str | None:
        d = self.deciding
        return d.signer if d else None

    @property
    def signed_at(self) -> datetime | None:
        d = self.deciding
        return d.signed_at if d else None

    @property
    def reason(self) -> str:
        d = self.deciding
        return d.reason if d else ""

    @property
    def is_electronic(self) -> bool:
        """Whether the file carries a signature at all (else it is recorded as a scan)."""
        return self.status not in (NONE, UNREADABLE)

    def record_detail(self) -> str:
        """What the archive keeps besides the status: every signature, in pyHanko's words."""
        parts = [
            f"{s.signer}: {s.summary or s.status}"
            + (f" ({s.time_source} {s.signed_at.isoformat()})" if s.signed_at else "")
            + (f" [{s.reason}]" if s.reason else "")
            for s in self.signatures
        ]
        if self.detail:
            parts.append(self.detail)
        return "; ".join(parts)[:2000]


def _cert_name(cert: Any) -> str:
    subject = cert.subject.native
    name = subject.get("common_name") if isinstance(subject, dict) else None
    if isinstance(name, list):
        name = name[0] if name else None
    return str(name or cert.subject.human_friendly)[:200]


def _trust_reason(status: Any, roots: TrustRoots) -> str:
    from pyhanko.sign.ades.report import AdESIndeterminate

    if not roots.certs:
        return NO_ROOTS
    indic = status.trust_problem_indic
    if status.revoked or indic in (
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
    ):
        return REVOKED
    if indic in (
        AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND,
        AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    ):
        return NO_CHAIN
    if indic in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    ):
        return EXPIRED
    if status.validation_path is None:
        return NO_CHAIN
    return OTHER


def _changed_after_signing(status: Any) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return True  # a byte range that does not cover its own revision
    level = status.modification_level
    return level is None or level == ModificationLevel.OTHER or not status.docmdp_ok


def _signing_time(status: Any) -> tuple[datetime | None, str]:
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid:
        return ts.timestamp, "timestamp"
    if status.signer_reported_dt is not None:
        return status.signer_reported_dt, "claimed"
    return None, ""


def _one(embedded: Any, roots: TrustRoots) -> SignerResult:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(roots.certs), allow_fetching=False)
    try:
        status = validate_pdf_signature(
            embedded,
            context,
            key_usage_settings=KeyUsageConstraints(key_usage=set(SIGNING_KEY_USAGES)),
        )
    except SignatureValidationError as exc:
        try:
            name = _cert_name(embedded.signer_cert)
        except Exception:  # the CMS may not even name a certificate
            name = "(tidak diketahui)"
        return SignerResult(INVALID, name, None, "", summary=f"ERROR: {exc}"[:300])
    when, source = _signing_time(status)
    name = _cert_name(status.signing_cert)
    summary = status.summary()
    if not (status.intact and status.valid):
        return SignerResult(INVALID, name, when, source, summary=summary)
    if _changed_after_signing(status):
        return SignerResult(MODIFIED, name, when, source, summary=summary)
    if not status.trusted:
        reason = _trust_reason(status, roots)
        return SignerResult(UNTRUSTED, name, when, source, reason=reason, summary=summary)
    anchor = _cert_name(status.validation_path[0]) if status.validation_path else ""
    if not status.bottom_line:  # e.g. a timestamp token or seed value that does not hold
        return SignerResult(
            UNTRUSTED, name, when, source, reason=OTHER, trust_anchor=anchor, summary=summary
        )
    return SignerResult(VALID, name, when, source, trust_anchor=anchor, summary=summary)


def verify_pdf(data: bytes, roots: TrustRoots) -> SignatureCheck:
    """Verify every signature of `data` against `roots`. Blocking: run it in a thread."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    sha = hashlib.sha256(data).hexdigest()
    problems = "; ".join(roots.problems)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        found = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
    except Exception as exc:  # pyHanko raises many kinds on a malformed or encrypted file
        logger.info("signature check: PDF %s not readable: %s", sha[:12], type(exc).__name__)
        return SignatureCheck(sha, UNREADABLE, detail=f"{type(exc).__name__}: {exc}"[:300])
    if not found:
        return SignatureCheck(sha, NONE, detail=problems)
    results = []
    for embedded in found:
        try:
            results.append(_one(embedded, roots))
        except Exception as exc:  # an unsupported algorithm, a broken CMS structure
            logger.info("signature check: %s: %s", sha[:12], type(exc).__name__)
            return SignatureCheck(sha, UNREADABLE, detail=f"{type(exc).__name__}: {exc}"[:300])
    worst = max(results, key=lambda r: _SEVERITY[r.status])
    return SignatureCheck(sha, worst.status, tuple(results), problems)
