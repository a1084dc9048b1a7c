"""The address of the published SK, as the petugas types it: checked before it is stored and
sent to every PPID Pembantu and the DPRD (and shown on pages and in letters later).

Accepted: an ``https`` URL that parses cleanly (a host name, a valid port, no user or
password) and holds no quote, space, angle bracket, backslash or control character, so it
cannot break out of an HTML attribute or a message. The configured PUBLIC_BASE_URL is given as
the example when one is refused.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_LENGTH = 500
_FORBIDDEN = frozenset("\"'<>`\\{}|^")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def refusal(url: str) -> str | None:
    """None when `url` is acceptable, else the refusal code saying why."""
    if not url or len(url) > MAX_LENGTH:
        return "bad_url"
    if any(c in _FORBIDDEN or c.isspace() or unicodedata.category(c)[0] in "CZ" for c in url):
        return "url_bad_characters"
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return "bad_url"
    if parts.scheme.lower() != "https":
        return "url_not_https"
    host = parts.hostname or ""
    if not port_ok or parts.username is not None or parts.password is not None:
        return "bad_url"
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return "bad_url"
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return "bad_url"
    return None


def example(base: str, year: int) -> str:
    """What to show in the refusal: the public base's page for the year, or a sample."""
    if base.startswith("https://"):
        return f"{base.rstrip('/')}/dik-{year}.html"
    return f"https://ppid.kupangkota.go.id/dik-{year}"
