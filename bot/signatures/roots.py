"""The trust roots the office configures (``SIGNATURE_TRUST_ROOTS``): a PEM/DER file or a folder.

BSrE's roots (and those of other Indonesian CAs) are not in the operating system's store, and a
TLS store is the wrong list for document signatures anyway: only what the office put in the
setting is trusted. A folder is read whole (``*.pem``, ``*.crt``, ``*.cer``, ``*.der``); a PEM
file may hold several certificates. A file that cannot be read is reported, not fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # asn1crypto (and pyHanko) load only when a signed PDF arrives
    from asn1crypto import x509

SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})


@dataclass(frozen=True)
class TrustRoots:
    """The certificates to trust, where they came from, and what could not be read."""

    certs: tuple[x509.Certificate, ...] = ()
    source: str = ""
    problems: tuple[str, ...] = field(default=())

    def names(self) -> list[str]:
        return [c.subject.human_friendly for c in self.certs]


def _certs_in(data: bytes) -> list[x509.Certificate]:
    from asn1crypto import pem, x509

    if pem.detect(data):
        return [
            x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind in ("CERTIFICATE", "TRUSTED CERTIFICATE")
        ]
    return [x509.Certificate.load(data)]


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [path]


def load_trust_roots(path: Path | None) -> TrustRoots:
    """Read every certificate under `path`; None (not configured) trusts nothing."""
    if path is None:
        return TrustRoots()
    if not path.exists():
        return TrustRoots(source=str(path), problems=(f"{path}: not found",))
    certs: list[x509.Certificate] = []
    problems: list[str] = []
    for file in _files(path):
        try:
            found = _certs_in(file.read_bytes())
            for cert in found:
                _ = cert.native  # parse the whole structure now, not during validation
        except (OSError, ValueError, TypeError) as exc:
            problems.append(f"{file.name}: {type(exc).__name__}: {exc}"[:200])
            continue
        if not found:
            problems.append(f"{file.name}: no certificate in it")
        certs.extend(found)
    return TrustRoots(tuple(certs), str(path), tuple(problems))
