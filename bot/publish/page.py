"""The public DIK page (HTML) and the folder's index, from Jinja2 templates with autoescape.

The page is one self-contained file: its CSS and JS are inlined from `templates/publik/`, and a
Content-Security-Policy allows exactly those two blocks (by hash) and nothing else, so even text
that escaped escaping could not run a script or load anything from elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot import tanggal
from bot.publish.glosses import glosses
from bot.publish.model import PublicDik

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "publik"
COLUMNS = (
    ("no", "No"),
    ("opd", "OPD"),
    ("informasi", "Informasi"),
    ("dasar_hukum", "Dasar hukum pengecualian"),
    ("konsekuensi_dibuka", "Konsekuensi apabila dibuka"),
    ("konsekuensi_ditutup", "Pertimbangan apabila ditutup"),
    ("jangka_waktu", "Jangka waktu"),
    ("keputusan", "Keputusan"),
)


@dataclass(frozen=True, slots=True)
class PageLink:
    href: str
    label: str


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["format_tanggal"] = tanggal.format_tanggal
    return env


@cache
def _asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _csp(css: str, js: str | None) -> str:
    script = _sha256(js) if js is not None else "'none'"
    return (
        f"default-src 'none'; style-src {_sha256(css)}; script-src {script}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_page(dik: PublicDik) -> str:
    """The public page of one DIK: search by keyword and by OPD, cards on a phone."""
    css, js = _asset("dik.css"), _asset("dik.js")
    return (
        _env()
        .get_template("dik.html.j2")
        .render(
            dik=dik,
            judul=f"Daftar Informasi yang Dikecualikan Tahun {dik.tahun}",
            sk_text=dik.sk.text(dik.title_walikota),
            diperbarui=tanggal.format_tanggal(dik.generated_at.date()),
            offices=dik.offices(),
            columns=COLUMNS,
            arti=glosses(),
            huruf_used=dik.huruf_used(),
            css=Markup(css),
            js=Markup(js),
            csp=_csp(css, js),
        )
    )


def render_index(badan_publik: str, pages: Sequence[PageLink]) -> str:
    """The folder's index.html: straight on to the newest page, with every year listed."""
    css = _asset("dik.css")
    return (
        _env()
        .get_template("index.html.j2")
        .render(
            badan_publik=badan_publik,
            newest=pages[0],
            pages=pages,
            css=Markup(css),
            csp=_csp(css, None),
        )
    )
