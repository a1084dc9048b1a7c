"""The public DIP page: one self-contained HTML file like the DIK page (inline CSS and JS
allowed by hash in its Content-Security-Policy, autoescaped values), searchable by OPD, jenis
and keyword, cards on a phone, linked with the DIK page beside it."""

from __future__ import annotations

from markupsafe import Markup

from bot import tanggal
from bot.formdip.model import JENIS_TITLES
from bot.publish.dip_model import PublicDip
from bot.publish.page import _asset, _csp, _env

COLUMNS = (
    ("no", "No"),
    ("opd", "OPD"),
    ("ringkasan", "Ringkasan isi informasi"),
    ("pejabat", "Pejabat/unit yang menguasai"),
    ("penanggung_jawab", "Penanggung jawab pembuatan/penerbitan"),
    ("waktu_tempat", "Waktu dan tempat pembuatan"),
    ("bentuk", "Bentuk informasi"),
    ("retensi", "Retensi arsip"),
    ("jenis", "Jenis informasi"),
)
JENIS_ARTI = {
    "berkala": "diumumkan secara rutin dan berkala, paling singkat enam bulan sekali "
    "(Pasal 9 Undang-Undang Nomor 14 Tahun 2008)",
    "serta_merta": "diumumkan segera, tanpa penundaan, karena dapat mengancam hajat hidup "
    "orang banyak dan ketertiban umum (Pasal 10)",
    "setiap_saat": "wajib disediakan setiap saat dan dapat diperoleh dengan mengajukan "
    "permohonan informasi publik (Pasal 11)",
}


def render_dip_page(dip: PublicDip) -> str:
    css, js = _asset("dik.css"), _asset("dip.js")
    return (
        _env()
        .get_template("dip.html.j2")
        .render(
            dip=dip,
            keputusan_text=dip.keputusan.text(f"PPID Utama {dip.badan_publik}"),
            diperbarui=tanggal.format_tanggal(dip.generated_at.date()),
            offices=dip.offices(),
            jenis=dip.jenis_counts(),
            jenis_titles=JENIS_TITLES,
            jenis_arti=JENIS_ARTI,
            columns=COLUMNS,
            css=Markup(css),
            js=Markup(js),
            csp=_csp(css, js),
        )
    )
