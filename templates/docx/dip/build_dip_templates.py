"""Build the DOCX templates of the DIP procedure (this folder: the DIP SOP's own templates),
with the helpers and the tata naskah of ``../build_templates.py``:

    .venv/bin/python templates/docx/dip/build_dip_templates.py [OUTPUT_DIR]

``nota_dinas_dip.docx`` (NotaDinasDip), ``surat_permintaan_dip.docx`` (SuratPermintaanDip)
and ``keputusan_dip.docx`` (KeputusanDip), all in ``bot/documents/dip_letters.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

HERE_DIP = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE_DIP.parent))

from build_templates import (  # noqa: E402  (the folder is put on the path just above)
    BODY_PT,
    CENTER,
    JUSTIFY,
    LANDSCAPE_W,
    LETTER_LAMPIRAN,
    NOTE_PERWALI,
    NOTE_UU,
    _cant_split,
    _group_rows,
    _page_setup,
    body,
    catatan,
    data_row,
    grid,
    keep_block,
    kop,
    kv,
    lampiran_head,
    lampiran_signature,
    letter_head,
    loop_rows,
    new_document,
    para,
    save_reproducibly,
    signature,
    tag,
    tag_row,
    tembusan,
)

NOTE_PERKI_SLIP = (
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik"
)


def build_nota_dinas_dip() -> DocumentObject:
    doc = new_document("Nota Dinas Pemutakhiran Daftar Informasi Publik")
    doc.core_properties.subject = "Daftar Informasi Publik"
    kop(doc)
    para(doc, "NOTA DINAS", bold=True, underline=True, size=13, align=CENTER, after=8)
    kv(doc, "Kepada", "{{ head.kepada_text }}", label_w=2.6)
    kv(doc, "Dari", "{{ dari }}", label_w=2.6)
    tag(doc, "{%p if head.tembusan %}")
    kv(doc, "Tembusan", "{{ head.tembusan_text }}", label_w=2.6)
    tag(doc, "{%p endif %}")
    kv(doc, "Tanggal", "{{ head.tanggal }}", label_w=2.6)
    kv(doc, "Nomor", "{{ head.nomor }}", label_w=2.6)
    kv(doc, "Sifat", "{{ head.sifat }}", label_w=2.6)
    kv(doc, "Lampiran", "{{ head.lampiran }}", label_w=2.6)
    kv(doc, "Hal", "{{ head.hal }}", label_w=2.6, bold_value=True)
    para(doc, "", border_bottom="single", after=8)
    body(
        doc,
        f"Dalam rangka melaksanakan ketentuan Pasal 11 ayat (1) huruf a {NOTE_UU}, "
        f"{NOTE_PERKI_SLIP}, dan {NOTE_PERWALI}, Daftar Informasi Publik di lingkungan "
        "{{ org.badan_publik }} perlu dimutakhirkan untuk Tahun {{ tahun }} berdasarkan "
        "inventarisasi oleh setiap {{ org.ppid_label }}.",
    )
    body(
        doc,
        "Sehubungan dengan hal tersebut, bersama ini kami mohon persetujuan Bapak/Ibu untuk "
        "menyampaikan surat kepada seluruh {{ org.ppid_label }} di lingkungan "
        "{{ org.badan_publik }} agar memutakhirkan Daftar Informasi Publik pada Perangkat "
        "Daerah masing-masing paling lambat {{ batas_waktu }}, dengan menggunakan Form Daftar "
        "Informasi Publik yang telah berisi daftar yang berlaku.",
    )
    body(
        doc,
        "Daftar yang diterima selanjutnya akan diverifikasi, dihimpun, dan ditetapkan dengan "
        "Keputusan Pejabat Pengelola Informasi dan Dokumentasi Utama, kemudian diumumkan "
        "kepada publik.",
    )
    catatan(doc)
    block = keep_block(doc)
    body(
        block,
        "Demikian disampaikan, mohon arahan dan persetujuan Bapak/Ibu. Atas perhatiannya "
        "diucapkan terima kasih.",
    )
    signature(block)
    return doc


def build_surat_permintaan_dip() -> DocumentObject:
    doc = new_document("Surat Permintaan Pemutakhiran Daftar Informasi Publik")
    doc.core_properties.subject = "Daftar Informasi Publik"
    kop(doc)
    letter_head(doc)
    body(
        doc,
        f"Dalam rangka pelaksanaan {NOTE_UU}, khususnya Pasal 11 ayat (1) huruf a mengenai "
        "daftar seluruh Informasi Publik yang berada di bawah penguasaan Badan Publik, serta "
        f"{NOTE_PERKI_SLIP}, {{{{ org.badan_publik }}}} akan menetapkan Daftar Informasi "
        "Publik Tahun {{ tahun }}.",
    )
    body(
        doc,
        "Sehubungan dengan hal tersebut, dimohon kepada Saudara selaku {{ org.ppid_label }} "
        "untuk memutakhirkan Daftar Informasi Publik pada Perangkat Daerah Saudara dengan "
        "mengisi Form Daftar Informasi Publik terlampir, yang telah berisi daftar yang "
        "berlaku: ringkasan isi informasi, pejabat atau unit yang menguasai informasi, "
        "penanggung jawab pembuatan atau penerbitan, waktu dan tempat pembuatan, bentuk "
        "informasi yang tersedia, jangka waktu penyimpanan atau retensi arsip, serta jenis "
        "informasi (berkala, serta merta, atau tersedia setiap saat). Informasi yang "
        "dikecualikan tidak dimasukkan ke dalam Daftar Informasi Publik.",
    )
    body(
        doc,
        "Daftar disampaikan kepada PPID Utama paling lambat {{ batas_waktu }}"
        "{% if cara_penyampaian %} melalui {{ cara_penyampaian }}{% endif %}. Apabila tidak "
        "terdapat perubahan, mohon disampaikan pernyataan tidak ada perubahan dalam batas "
        "waktu yang sama; daftar yang berlaku tetap digunakan.",
    )
    catatan(doc)
    block = keep_block(doc)
    body(
        block,
        "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.",
    )
    signature(block)
    tembusan(doc)
    lampiran_head(doc, LETTER_LAMPIRAN, left=7.0)
    para(
        doc,
        "DAFTAR {{ org.ppid_label|upper }} DI LINGKUNGAN {{ org.badan_publik|upper }}",
        bold=True,
        align=CENTER,
    )
    para(doc, "PENERIMA SURAT ({{ jumlah_opd }} PERANGKAT DAERAH)", bold=True, align=CENTER)
    para(doc, "", after=6)
    table = grid(doc, ["No", "Perangkat Daerah", "Keterangan"], [1.3, 10.2, 4.5])
    loop_rows(
        table,
        "for o in opds",
        ["{{ o.no }}", "{{ o.nama }}", ""],
        aligns=[CENTER, None, None],
        can_split=False,
    )
    lampiran_signature(doc)
    return doc


def build_keputusan_dip() -> DocumentObject:
    doc = new_document("Keputusan PPID Utama tentang Daftar Informasi Publik")
    doc.core_properties.subject = "Daftar Informasi Publik"
    kop(doc)
    para(doc, "KEPUTUSAN {{ pejabat|upper }}", bold=True, align=CENTER, left=1.0)
    para(doc, "NOMOR {{ nomor }}", bold=True, align=CENTER, after=6)
    para(doc, "TENTANG", bold=True, align=CENTER, after=6)
    para(doc, "{{ judul|upper }}", bold=True, align=CENTER, left=1.5, after=12)
    para(doc, "{{ pejabat|upper }},", bold=True, align=CENTER, left=1.0, after=12)
    widths = [3.0, 0.5, 0.9, 11.6]
    for var, label in (("menimbang", "Menimbang"), ("mengingat", "Mengingat")):
        table = grid(doc, [], widths, borders=False, align=WD_TABLE_ALIGNMENT.LEFT)
        tag_row(table, f"{{%tr for m in {var} %}}")
        row = data_row(
            table,
            [
                f"{{{{ '{label}' if loop.first else '' }}}}",
                "{{ ':' if loop.first else '' }}",
                "{{ m.label }}",
                "{{ m.text }}",
            ],
            size=BODY_PT,
        )
        row.cells[3].paragraphs[0].paragraph_format.alignment = JUSTIFY
        row.cells[3].paragraphs[0].paragraph_format.space_after = Pt(6)
        tag_row(table, "{%tr endfor %}")
        para(doc, "", after=6)
    para(doc, "MEMUTUSKAN:", bold=True, align=CENTER, after=12, keep_next=True)
    kv(
        doc,
        "Menetapkan",
        "KEPUTUSAN {{ pejabat|upper }} TENTANG {{ judul|upper }}.",
        label_w=3.0,
        after=12,
        keep_next=True,
    ).paragraph_format.alignment = JUSTIFY
    tag(doc, "{%p for d in diktum[:-1] %}")
    kv(
        doc, "{{ d.label }}", "{{ d.text }}", label_w=3.0, after=6
    ).paragraph_format.alignment = JUSTIFY
    tag(doc, "{%p endfor %}")
    block = keep_block(doc)
    kv(
        block, "{{ diktum[-1].label }}", "{{ diktum[-1].text }}", label_w=3.0, after=6
    ).paragraph_format.alignment = JUSTIFY
    kv(block, "Ditetapkan di", "{{ org.city }}", left=8.0, label_w=3.3, before=12)
    kv(block, "pada tanggal", "{{ tanggal }}", left=8.0, label_w=3.3)
    signature(block, "penetap")
    tembusan(doc, "tembusan", "Salinan Keputusan ini disampaikan kepada Yth.:")
    para(doc, "")

    lampiran = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(lampiran, landscape=True)
    lampiran.different_first_page_header_footer = False
    para(doc, "LAMPIRAN", size=11, left=13.0)
    para(doc, "KEPUTUSAN {{ pejabat|upper }}", size=11, left=13.0)
    kv(doc, "NOMOR", "{{ nomor }}", left=13.0, label_w=2.4, size=11)
    kv(doc, "TANGGAL", "{{ tanggal }}", left=13.0, label_w=2.4, size=11)
    kv(doc, "TENTANG", "{{ judul|upper }}", left=13.0, label_w=2.4, size=11, after=12)
    para(doc, "{{ judul|upper }}", bold=True, align=CENTER, after=12)
    table = grid(
        doc,
        [
            "No",
            "Ringkasan Isi Informasi",
            "Pejabat/Unit yang Menguasai Informasi",
            "Penanggung Jawab Pembuatan/ Penerbitan",
            "Waktu dan Tempat Pembuatan",
            "Bentuk Informasi",
            "Retensi Arsip",
            "Jenis Informasi",
        ],
        [1.0, 6.2, 3.6, 3.4, 3.2, 2.3, 2.2, 2.8],
    )
    _group_rows(
        table,
        [
            "{{ it.no }}",
            "{{ it.ringkasan }}",
            "{{ it.pejabat }}",
            "{{ it.penanggung_jawab }}",
            "{{ it.waktu_tempat }}",
            "{{ it.bentuk }}",
            "{{ it.retensi }}",
            "{{ it.jenis }}",
        ],
        [CENTER, None, None, None, None, None, None, None],
        can_split=False,
    )
    tag(doc, "{%p if not groups %}")
    para(doc, "Tidak terdapat informasi dalam daftar.", italic=True, before=3)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6, keep_next=True)
    # The count and the signature stay together: the signature never stands alone on a page.
    block = keep_block(doc, LANDSCAPE_W)
    para(block, "Jumlah: {{ jumlah }} informasi, terdiri atas:", after=3)
    counts = grid(block, [], [8.0, 3.0], borders=True, align=WD_TABLE_ALIGNMENT.LEFT)
    tag_row(counts, "{%tr for j in jumlah_jenis %}")
    row = data_row(counts, ["{{ j.jenis }}", "{{ j.jumlah }}"], aligns=[None, CENTER])
    _cant_split(row)
    tag_row(counts, "{%tr endfor %}")
    signature(block, "penetap", left=14.0)
    para(block, "")
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "nota_dinas_dip": build_nota_dinas_dip,
    "surat_permintaan_dip": build_surat_permintaan_dip,
    "keputusan_dip": build_keputusan_dip,
}


def build_all(output_dir: Path = HERE_DIP) -> list[Path]:
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        path = output_dir / f"{name}.docx"
        save_reproducibly(builder(), path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE_DIP
    for written_path in build_all(target):
        print(written_path)
