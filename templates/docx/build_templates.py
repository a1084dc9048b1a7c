"""Build the DOCX letter templates of the DIK procedure.

Run from the repository root to regenerate every template in this folder:

    .venv/bin/python templates/docx/build_templates.py [OUTPUT_DIR]

The bot never runs this script: it loads the committed .docx files, which an office may also
edit by hand in Word (keep the ``{{ ... }}`` and ``{%... %}`` tags intact when doing so).
``README.md`` beside this file lists the variables each template can use.

Layout follows the tata naskah dinas: A4, margins 2 cm (top, bottom, right) and 3 cm (left),
Bookman Old Style 12 pt, page numbers from page 2 centred at the top ("- 2 -"), a kop with the
lambang daerah, the office's name and full address over a double rule, place and date, Nomor
/ Sifat / Lampiran / Hal, the "Yth." block, body, signature block (jabatan, name, pangkat,
NIP; a Kepala Daerah signs with the name only) kept on the page of the closing paragraph,
tembusan, and lampiran pages that carry their own heading and signature block.

The script also draws ``lambang_placeholder.png``, the neutral emblem printed until the office
configures its lambang daerah (``ORG_LAMBANG``).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "fonts"
FONT = "Bookman Old Style"
BODY_PT = 12
TABLE_PT = 10
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2.0, 2.0, 3.0, 2.0
PORTRAIT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 16.0 cm of text
LANDSCAPE_W = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT  # 24.7 cm of text
FIXED_TIME = datetime(2026, 1, 1)

LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# Schema order of the elements that may follow <w:pBdr> in <w:pPr> and <w:shd> in <w:tcPr>:
# new elements go in before these, so Word never meets them out of order.
_PBDR_SUCCESSORS = tuple(
    "w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct w:topLinePunct "
    "w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind "
    "w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
    "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr "
    "w:pPrChange".split()
)
_SHD_SUCCESSORS = tuple(
    "w:noWrap w:tcMar w:textDirection w:tcFitText w:vAlign w:hideMark w:headers w:cellIns "
    "w:cellDel w:cellMerge w:tcPrChange".split()
)


class Container(Protocol):
    def add_paragraph(self, text: str = "", style: None = None) -> Paragraph: ...


# ---------------------------------------------------------------------------------------------
# Low-level helpers
# ---------------------------------------------------------------------------------------------


def _set_run_font(rpr_parent: object, size: float | None = None) -> None:
    """Give a style or run the letter font for every script (Word looks at all four)."""
    element = rpr_parent.element if hasattr(rpr_parent, "element") else rpr_parent  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        rpr_parent.font.size = Pt(size)  # type: ignore[attr-defined]


def new_document(title: str, *, landscape: bool = False) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    _page_setup(section, landscape=landscape)
    page_numbers(section)
    normal = doc.styles["Normal"]
    _set_run_font(normal, BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    lang.set(qn("w:eastAsia"), "id-ID")
    rpr.append(lang)
    fmt = normal.paragraph_format  # type: ignore[attr-defined]
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    props = doc.core_properties
    props.title = title
    props.author = "PPID Pemerintah Kota Kupang"
    props.last_modified_by = "PPID Pemerintah Kota Kupang"
    props.comments = "Templat surat PPID; isian bertanda kurung kurawal diisi oleh bot."
    props.subject = "Daftar Informasi yang Dikecualikan"
    props.language = "id-ID"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    # The default body paragraph python-docx starts with is not there; nothing to remove.
    return doc


def _page_setup(section: object, *, landscape: bool) -> None:
    s = section
    if landscape:
        s.orientation = WD_ORIENT.LANDSCAPE  # type: ignore[attr-defined]
        s.page_width, s.page_height = Cm(PAGE_H), Cm(PAGE_W)  # type: ignore[attr-defined]
    else:
        s.orientation = WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
        s.page_width, s.page_height = Cm(PAGE_W), Cm(PAGE_H)  # type: ignore[attr-defined]
    s.top_margin, s.bottom_margin = Cm(MARGIN_TOP), Cm(MARGIN_BOTTOM)  # type: ignore[attr-defined]
    s.left_margin, s.right_margin = Cm(MARGIN_LEFT), Cm(MARGIN_RIGHT)  # type: ignore[attr-defined]
    s.header_distance, s.footer_distance = Cm(1.0), Cm(1.0)  # type: ignore[attr-defined]


def page_numbers(section: object) -> None:
    """A centred "- N -" PAGE field at the top of every page but the section's first."""
    sec = section
    sec.different_first_page_header_footer = True  # type: ignore[attr-defined]
    header = sec.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    p.add_run("- ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None)):
        run = p.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    p.add_run("2")
    end = p.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    p.add_run(" -")


def para(
    target: Container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    left: float | None = None,
    first: float | None = None,
    before: float = 0,
    after: float = 0,
    spacing: float | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    tabs: Sequence[float] = (),
    border_bottom: str | None = None,
) -> Paragraph:
    """Add a paragraph with one run of ``text`` and the given formatting (lengths in cm)."""
    p = _new_paragraph(target)
    if border_bottom:
        _bottom_border(p, border_bottom)
    fmt = p.paragraph_format
    if align is not None:
        fmt.alignment = align
    if left is not None:
        fmt.left_indent = Cm(left)
    if first is not None:
        fmt.first_line_indent = Cm(first)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if spacing is not None:
        fmt.line_spacing = spacing
    if keep_next:
        fmt.keep_with_next = True
    if page_break:
        fmt.page_break_before = True
    for stop in tabs:
        fmt.tab_stops.add_tab_stop(Cm(stop))
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
        if size is not None:
            run.font.size = Pt(size)
    return p


def _new_paragraph(target: Container) -> Paragraph:
    # A fresh table cell already holds one empty paragraph: use that one first.
    if isinstance(target, _Cell) and not getattr(target, "_used", False):
        target._used = True  # type: ignore[attr-defined]
        return target.paragraphs[0]
    return target.add_paragraph()


def _bottom_border(p: Paragraph, kind: str) -> None:
    ppr = p._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), kind)
    bottom.set(qn("w:sz"), "18" if kind != "single" else "8")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "auto")
    pbdr.append(bottom)
    ppr.insert_element_before(pbdr, *_PBDR_SUCCESSORS)


def tag(target: Container, text: str) -> None:
    """Add a paragraph holding only a paragraph-level tag (``{%p ... %}``).

    docxtpl removes the whole paragraph when rendering, so its formatting does not matter.
    """
    para(target, text)


def body(
    target: Container,
    text: str,
    *,
    after: float = 4,
    first: float = 1.25,
    keep_next: bool = False,
) -> Paragraph:
    """A body paragraph: justified, single-spaced, first line indented.

    ``keep_next`` keeps it on the page of what follows (the closing sentence stays with the
    signature, so a signature never stands alone on a page).
    """
    return para(target, text, align=JUSTIFY, first=first, after=after, keep_next=keep_next)


def kv(
    target: Container,
    label: str,
    value: str,
    *,
    left: float = 0.0,
    label_w: float = 2.5,
    bold_value: bool = False,
    size: float | None = None,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    page_break: bool = False,
) -> Paragraph:
    """A "Label : value" line whose value wraps under itself (hanging indent, two tabs)."""
    colon = left + label_w
    value_at = colon + 0.4
    p = para(
        target,
        left=value_at,
        first=-(value_at - left),
        tabs=(colon, value_at),
        before=before,
        after=after,
        keep_next=keep_next,
        page_break=page_break,
    )
    run = p.add_run(f"{label}\t:\t")
    if size:
        run.font.size = Pt(size)
    value_run = p.add_run(value)
    value_run.bold = bold_value or None
    if size:
        value_run.font.size = Pt(size)
    return p


LAMBANG_W = 2.6


def kop(doc: DocumentObject, width: float = PORTRAIT_W) -> None:
    """The letterhead: the lambang daerah on the left; the heading lines (the last one
    largest) and the address lines centred beside it; a double rule under both."""
    table = grid(doc, [], [LAMBANG_W, width - LAMBANG_W], borders=False)
    row = table.add_row()
    left, right = row.cells
    for cell, w in ((left, LAMBANG_W), (right, width - LAMBANG_W)):
        cell.width = Cm(w)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para(left, "{{ org.lambang }}", align=CENTER)
    tag(right, "{%p for line in org.kop_lines %}")
    tag(right, "{%p if not loop.last %}")
    para(right, "{{ line }}", bold=True, size=14, align=CENTER)
    tag(right, "{%p else %}")
    para(right, "{{ line }}", bold=True, size=16, align=CENTER)
    tag(right, "{%p endif %}")
    tag(right, "{%p endfor %}")
    tag(right, "{%p for line in org.address_lines %}")
    para(right, "{{ line }}", size=9, align=CENTER)
    tag(right, "{%p endfor %}")
    para(doc, "", size=4, border_bottom="thinThickSmallGap")
    para(doc, "", after=6)


def letter_head(doc: DocumentObject) -> None:
    """Place and date, Nomor / Sifat / Lampiran / Hal, and the "Yth." block."""
    para(doc, "{{ head.tempat_tanggal }}", align=RIGHT, after=12)
    kv(doc, "Nomor", "{{ head.nomor }}")
    kv(doc, "Sifat", "{{ head.sifat }}")
    kv(doc, "Lampiran", "{{ head.lampiran }}")
    kv(doc, "Hal", "{{ head.hal }}", bold_value=True, after=12)
    addressee(doc)


def addressee(doc: DocumentObject) -> None:
    tag(doc, "{%p for k in head.kepada_lines %}")
    para(doc, "{{ k.prefix }}\t{{ k.text }}", left=1.1, first=-1.1, tabs=(1.1,))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if head.up %}")
    para(doc, "u.p. {{ head.up }}", left=1.1)
    tag(doc, "{%p endif %}")
    para(doc, "di –", left=1.1)
    para(doc, "{{ head.di }}", left=2.1, after=12)


def catatan(doc: DocumentObject) -> None:
    """Extra paragraphs typed by the petugas (a revision note, a special instruction)."""
    tag(doc, "{%p for c in catatan %}")
    body(doc, "{{ c }}")
    tag(doc, "{%p endfor %}")


def signature(
    target: Container,
    var: str = "signer",
    *,
    left: float = 8.0,
    before: float = 12,
    upper: bool = False,
    name_underline: bool = True,
    lead: Sequence[str] = (),
) -> None:
    """The signature block: jabatan line(s), room for the signature, name, pangkat, NIP."""
    filt = "|upper" if upper else ""
    first = True
    if before and not lead:
        para(target, "", left=left, keep_next=True)
    for line in lead:
        para(target, line, align=CENTER, left=left, before=before if first else 0, keep_next=True)
        first = False
    tag(target, f"{{%p for line in {var}.title_lines %}}")
    para(
        target,
        f"{{{{ line{filt} }}}}",
        align=CENTER,
        left=left,
        keep_next=True,
        bold=upper,
    )
    tag(target, "{%p endfor %}")
    for _ in range(3):
        para(target, "", left=left, keep_next=True)
    para(
        target,
        f"{{{{ {var}.name{filt} }}}}",
        bold=True,
        underline=name_underline,
        align=CENTER,
        left=left,
        keep_next=True,
    )
    tag(target, f"{{%p if {var}.pangkat %}}")
    para(target, f"{{{{ {var}.pangkat }}}}", align=CENTER, left=left, keep_next=True)
    tag(target, "{%p endif %}")
    tag(target, f"{{%p if {var}.nip %}}")
    para(target, f"NIP. {{{{ {var}.nip }}}}", align=CENTER, left=left)
    tag(target, "{%p endif %}")


def _no_cell_margins(table: Table) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def keep_block(doc: Container, width: float = PORTRAIT_W) -> _Cell:
    """A borderless one-cell table whose row may not split: what goes in (the closing
    paragraph and the signature block) stays on one page. Word and LibreOffice both honour
    an unsplittable row; LibreOffice does not always move a keep-with-next paragraph."""
    table = grid(doc, [], [width], borders=False, align=WD_TABLE_ALIGNMENT.LEFT)
    _no_cell_margins(table)
    row = table.add_row()
    _cant_split(row)
    cell = row.cells[0]
    cell.width = Cm(width)
    return cell


def tembusan(doc: DocumentObject, var: str = "head.tembusan", title: str = "Tembusan:") -> None:
    tag(doc, f"{{%p if {var} %}}")
    para(doc, title, size=11, before=18, keep_next=True)
    tag(doc, f"{{%p for t in {var} %}}")
    para(doc, "{{ loop.index }}.\t{{ t }}", size=11, left=0.6, first=-0.6, tabs=(0.6,))
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def lampiran_head(
    doc: DocumentObject,
    lines: Sequence[tuple[str, str]],
    *,
    left: float,
    page_break: bool = True,
) -> None:
    """The "LAMPIRAN ..." block at the top right of an attachment page (starts a new page,
    unless the lampiran opens a section of its own)."""
    for index, (label, value) in enumerate(lines):
        first = page_break and index == 0
        if label:
            kv(doc, label, value, left=left, label_w=2.2, size=11, page_break=first)
        else:
            para(doc, value, left=left, size=11, page_break=first)
    para(doc, "", after=12)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(shd, *_SHD_SUCCESSORS)


def _repeat_header(row: _Row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row: _Row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def set_cell(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    size: float = TABLE_PT,
) -> None:
    p = cell.paragraphs[0]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    if align is not None:
        p.paragraph_format.alignment = align
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.font.size = Pt(size)


def grid(
    doc: Container,
    headers: Sequence[str],
    widths: Sequence[float],
    *,
    borders: bool = True,
    align: WD_TABLE_ALIGNMENT = WD_TABLE_ALIGNMENT.CENTER,
) -> Table:
    """A table with a bold, shaded header row that repeats on every page."""
    table = doc.add_table(rows=1 if headers else 0, cols=len(widths))  # type: ignore[attr-defined]
    if borders:
        table.style = "Table Grid"
    table.alignment = align
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    if headers:
        row = table.rows[0]
        for cell, header, width in zip(row.cells, headers, widths, strict=True):
            cell.width = Cm(width)
            set_cell(cell, header, bold=True, align=CENTER)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _shade(cell, "D9D9D9")
        _repeat_header(row)
    return table


def _widths(table: Table) -> list[float]:
    return [col.width.cm if col.width is not None else 1.0 for col in table.columns]


def tag_row(table: Table, text: str) -> None:
    """A row holding only a row-level tag (``{%tr ... %}``); docxtpl replaces the whole row."""
    row = table.add_row()
    set_cell(row.cells[0], text)


def data_row(
    table: Table,
    texts: Sequence[str],
    *,
    aligns: Sequence[WD_ALIGN_PARAGRAPH | None] | None = None,
    size: float = TABLE_PT,
    bold: bool = False,
    height: float | None = None,
    can_split: bool = False,
) -> _Row:
    """A row of cells; ``can_split`` lets a tall row run on to the next page (item tables:
    a row that may not split jumps whole to the next page and leaves a half-empty one)."""
    row = table.add_row()
    widths = _widths(table)
    for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
        cell.width = Cm(widths[index])
        set_cell(cell, text, align=aligns[index] if aligns else None, size=size, bold=bold)
    if not can_split:
        _cant_split(row)
    if height is not None:
        row.height = Cm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    return row


def loop_rows(
    table: Table,
    loop: str,
    cells: Sequence[str],
    *,
    aligns: Sequence[WD_ALIGN_PARAGRAPH | None] | None = None,
    can_split: bool = True,
    last: str = "loop.last",
) -> None:
    """Rows for ``{%tr <loop> %}``; the last row keeps with what follows (its paragraphs are
    keep-with-next), so the signature block under a table never stands alone on a page: the
    table's last row goes over with it."""
    tag_row(table, f"{{%tr {loop} %}}")
    tag_row(table, f"{{%tr if not ({last}) %}}")
    data_row(table, cells, aligns=aligns, can_split=can_split)
    tag_row(table, "{%tr else %}")
    # LibreOffice moves a row with what follows only when the row may not split.
    row = data_row(table, cells, aligns=aligns, can_split=False)
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
    tag_row(table, "{%tr endif %}")
    tag_row(table, "{%tr endfor %}")


def merged_row(
    table: Table,
    text: str,
    *,
    start: int = 0,
    end: int | None = None,
    bold: bool = True,
    shade: str | None = "F2F2F2",
    rest: Sequence[str] = (),
    keep_next: bool = True,
) -> _Row:
    """A row whose cells ``start..end`` are merged into one holding ``text``.

    ``keep_next`` keeps the row on the page of the row after it (a group heading never ends a
    page on its own).
    """
    row = table.add_row()
    cells = row.cells
    last = len(cells) - 1 if end is None else end
    merged = cells[start].merge(cells[last]) if last > start else cells[start]
    set_cell(merged, text, bold=bold)
    if keep_next:
        merged.paragraphs[0].paragraph_format.keep_with_next = True
    _cant_split(row)
    if shade:
        _shade(merged, shade)
    for cell, value in zip(cells[last + 1 :], rest, strict=False):
        set_cell(cell, value, bold=bold, align=CENTER)
    return row


# ---------------------------------------------------------------------------------------------
# The templates
# ---------------------------------------------------------------------------------------------

NOTE_UU = "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
NOTE_PERKI = (
    "Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian Informasi Publik"
)
NOTE_PERWALI = (
    "Peraturan Walikota Kupang Nomor 31 Tahun 2022 tentang Pedoman Pengelolaan Informasi dan "
    "Dokumentasi di Lingkungan Pemerintah Kota Kupang"
)


def lampiran_signature(doc: DocumentObject) -> None:
    """The signature block that closes a lampiran (the letter's signer signs it too)."""
    para(doc, "", after=6, keep_next=True)
    signature(doc)


LETTER_LAMPIRAN = [
    ("Lampiran", "Surat {{ signer.jabatan_surat }}"),
    ("Nomor", "{{ head.nomor }}"),
    ("Tanggal", "{{ head.tanggal }}"),
    ("Hal", "{{ head.hal }}"),
]


def build_nota_dinas() -> DocumentObject:
    doc = new_document("Nota Dinas Usulan Daftar Informasi yang Dikecualikan")
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
        f"Dalam rangka melaksanakan ketentuan Pasal 19 {NOTE_UU}, Pasal 4 {NOTE_PERKI}, dan "
        f"{NOTE_PERWALI}, Daftar Informasi yang Dikecualikan di lingkungan "
        "{{ org.badan_publik }} Tahun {{ tahun }} perlu disusun berdasarkan usulan dari setiap "
        "{{ org.ppid_label }} dan ditetapkan setelah dilakukan Uji Konsekuensi.",
    )
    body(
        doc,
        "Sehubungan dengan hal tersebut, bersama ini kami mohon persetujuan Bapak/Ibu untuk "
        "menyampaikan surat pemberitahuan kepada seluruh {{ org.ppid_label }} di lingkungan "
        "{{ org.badan_publik }} agar mengusulkan Daftar Informasi yang Dikecualikan pada "
        "Perangkat Daerah masing-masing paling lambat {{ batas_waktu }}, dengan "
        "menggunakan Form Daftar Informasi yang Dikecualikan sebagaimana terlampir.",
    )
    body(
        doc,
        "Usulan yang diterima selanjutnya akan dihimpun dan disampaikan kepada "
        "{{ org.atasan_ppid }} melalui {{ org.kabag_hukum }} untuk dilakukan Uji "
        "Konsekuensi, sebelum ditetapkan dengan Keputusan {{ org.kepala_daerah }}.",
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


def build_surat_permintaan() -> DocumentObject:
    doc = new_document("Surat Permintaan Usulan Daftar Informasi yang Dikecualikan")
    kop(doc)
    letter_head(doc)
    body(
        doc,
        f"Dalam rangka pelaksanaan {NOTE_UU}, Peraturan Pemerintah Nomor 61 Tahun 2010 tentang "
        f"Pelaksanaan {NOTE_UU}, {NOTE_PERKI}, serta {NOTE_PERWALI}, {{{{ org.badan_publik }}}} "
        "akan menetapkan Daftar Informasi yang Dikecualikan Tahun {{ tahun }}.",
    )
    body(
        doc,
        "Sehubungan dengan hal tersebut, dimohon kepada Saudara selaku {{ org.ppid_label }} "
        "untuk menyampaikan usulan informasi yang dikecualikan pada Perangkat Daerah Saudara "
        "dengan mengisi Form Daftar Informasi yang Dikecualikan sebagaimana terlampir, yang "
        "memuat informasi yang diusulkan, dasar hukum pengecualian (Pasal 17 Undang-Undang "
        "Nomor 14 Tahun 2008 dan/atau undang-undang lain), konsekuensi apabila informasi "
        "dibuka dan apabila ditutup, serta jangka waktu pengecualian.",
    )
    body(
        doc,
        "Usulan disampaikan kepada PPID Utama paling lambat {{ batas_waktu }}"
        "{% if cara_penyampaian %} melalui {{ cara_penyampaian }}{% endif %}. Apabila tidak "
        "terdapat informasi yang diusulkan untuk dikecualikan, mohon disampaikan pernyataan "
        "nihil dalam batas waktu yang sama.",
    )
    body(
        doc,
        "Seluruh usulan akan dihimpun dan diajukan untuk dilakukan Uji Konsekuensi oleh Tim "
        "Uji Konsekuensi sebelum ditetapkan dengan Keputusan {{ org.kepala_daerah }} tentang "
        "Daftar Informasi yang Dikecualikan di Lingkungan {{ org.badan_publik }}.",
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


def build_surat_pengantar() -> DocumentObject:
    doc = new_document("Surat Pengantar Usulan Daftar Informasi yang Dikecualikan")
    kop(doc)
    letter_head(doc)
    tag(doc, "{%p if rujukan %}")
    body(
        doc,
        "Menindaklanjuti surat kami Nomor {{ rujukan_nomor }} tanggal {{ rujukan_tanggal }} "
        "hal {{ rujukan_hal }}, bersama ini kami sampaikan rekapitulasi Usulan Daftar "
        "Informasi yang Dikecualikan dari {{ org.ppid_label }} di lingkungan "
        "{{ org.badan_publik }} Tahun {{ tahun }}, dengan rincian sebagai berikut:",
    )
    tag(doc, "{%p else %}")
    body(
        doc,
        "Bersama ini kami sampaikan rekapitulasi Usulan Daftar Informasi yang Dikecualikan "
        "dari {{ org.ppid_label }} di lingkungan {{ org.badan_publik }} Tahun {{ tahun }}, "
        "dengan rincian sebagai berikut:",
    )
    tag(doc, "{%p endif %}")
    table = grid(
        doc, ["No", "Perangkat Daerah", "Jumlah Usulan", "Keterangan"], [1.2, 7.6, 2.8, 4.4]
    )
    tag_row(table, "{%tr for r in rekap %}")
    data_row(
        table,
        ["{{ r.no }}", "{{ r.opd }}", "{{ r.jumlah }}", "{{ r.keterangan }}"],
        aligns=[CENTER, None, CENTER, None],
    )
    tag_row(table, "{%tr endfor %}")
    merged_row(table, "Jumlah", end=1, shade=None, rest=["{{ total_usulan }}", ""])
    para(doc, "", after=6)
    body(
        doc,
        "Dari {{ n_opd }} Perangkat Daerah, {{ n_usulan }} Perangkat Daerah menyampaikan usulan "
        "dengan jumlah {{ total_usulan_text }} informasi, {{ n_nihil }} Perangkat Daerah "
        "menyatakan nihil, dan {{ n_tidak }} Perangkat Daerah tidak menyampaikan tanggapan"
        "{% if batas_waktu %} sampai dengan batas waktu hari {{ batas_waktu }}{% endif %}. "
        "Rincian usulan sebagaimana terlampir.",
    )
    body(
        doc,
        "Usulan tersebut kami sampaikan untuk dapat diproses lebih lanjut melalui Uji "
        "Konsekuensi sebelum ditetapkan menjadi Daftar Informasi yang Dikecualikan dengan "
        "Keputusan {{ org.kepala_daerah }}.",
    )
    catatan(doc)
    block = keep_block(doc)
    body(
        block,
        "Demikian disampaikan, atas perhatian Bapak/Ibu diucapkan terima kasih.",
    )
    signature(block)
    tembusan(doc)
    return doc


def build_surat_usulan_uji() -> DocumentObject:
    doc = new_document("Surat Usulan Uji Konsekuensi")
    kop(doc)
    letter_head(doc)
    body(
        doc,
        f"Sesuai ketentuan Pasal 2 ayat (4) dan Pasal 19 {NOTE_UU} serta Pasal 4 ayat (3) "
        f"{NOTE_PERKI}, Informasi Publik hanya dapat dinyatakan sebagai informasi yang "
        "dikecualikan setelah dilakukan Uji Konsekuensi secara saksama dan penuh ketelitian "
        "oleh Pejabat Pengelola Informasi dan Dokumentasi dengan persetujuan pimpinan Badan "
        "Publik.",
    )
    body(
        doc,
        "Sehubungan dengan hal tersebut, bersama ini kami mengusulkan kepada Bapak/Ibu untuk "
        "dilaksanakannya Uji Konsekuensi atas {{ jumlah_item }} usulan informasi yang "
        "dikecualikan dari {{ jumlah_opd }} Perangkat Daerah di lingkungan "
        "{{ org.badan_publik }} Tahun {{ tahun }}, sebagaimana daftar berikut:",
    )
    table = grid(doc, ["No", "Perangkat Daerah", "Informasi", "Dasar Hukum"], [1.0, 3.8, 6.4, 4.8])
    tag_row(table, "{%tr for it in items %}")
    data_row(
        table,
        ["{{ it.no }}", "{{ it.opd }}", "{{ it.informasi }}", "{{ it.dasar_hukum }}"],
        aligns=[CENTER, None, None, None],
        can_split=True,
    )
    tag_row(table, "{%tr endfor %}")
    para(doc, "", after=6)
    body(
        doc,
        "Untuk itu, kami mohon disposisi dan persetujuan Bapak/Ibu atas pelaksanaan Uji "
        "Konsekuensi dimaksud oleh Tim Uji Konsekuensi, yang hasilnya akan dituangkan dalam "
        "Ketetapan Hasil Uji Konsekuensi sebagai dasar penyusunan Keputusan "
        "{{ org.kepala_daerah }} tentang Daftar Informasi yang Dikecualikan.",
    )
    catatan(doc)
    block = keep_block(doc)
    body(
        block,
        "Demikian disampaikan, atas perkenan Bapak/Ibu diucapkan terima kasih.",
    )
    signature(block)
    tembusan(doc)
    return doc


def build_surat_undangan() -> DocumentObject:
    doc = new_document("Surat Undangan Uji Konsekuensi")
    kop(doc)
    letter_head(doc)
    body(
        doc,
        "Dalam rangka pelaksanaan Uji Konsekuensi atas usulan Daftar Informasi yang "
        "Dikecualikan di lingkungan {{ org.badan_publik }} Tahun {{ tahun }}, bersama ini kami "
        "mengundang Bapak/Ibu{% if peserta %} sebagaimana daftar terlampir{% endif %} untuk "
        "hadir pada:",
    )
    kv(doc, "Hari, tanggal", "{{ rapat.hari_tanggal }}", left=1.25, label_w=3.3)
    kv(doc, "Waktu", "{{ rapat.waktu }}", left=1.25, label_w=3.3)
    kv(doc, "Tempat", "{{ rapat.tempat }}", left=1.25, label_w=3.3)
    kv(doc, "Acara", "{{ rapat.acara }}", left=1.25, label_w=3.3, after=6)
    body(
        doc,
        "Bahan rapat berupa Draft Daftar Informasi yang Dikecualikan sebagaimana terlampir. "
        "Hasil pengujian dituangkan dalam Lembar Pengujian Konsekuensi yang ditandatangani "
        "oleh anggota Tim Uji Konsekuensi yang hadir. Mengingat pentingnya acara dimaksud, "
        "dimohon kehadiran Bapak/Ibu tepat pada waktunya.",
    )
    catatan(doc)
    block = keep_block(doc)
    body(
        block,
        "Demikian undangan ini disampaikan, atas perhatian dan kehadiran Bapak/Ibu diucapkan "
        "terima kasih.",
    )
    signature(block)
    tembusan(doc)
    tag(doc, "{%p if peserta %}")
    lampiran_head(doc, LETTER_LAMPIRAN, left=7.0)
    para(doc, "DAFTAR UNDANGAN", bold=True, align=CENTER, after=12)
    invited = grid(doc, ["No", "Jabatan", "Nama", "Keterangan"], [1.0, 7.0, 4.5, 3.5])
    loop_rows(
        invited,
        "for p in peserta",
        ["{{ p.no }}", "{{ p.jabatan }}", "{{ p.name }}", "{{ p.keterangan }}"],
        aligns=[CENTER, None, None, None],
        can_split=False,
    )
    lampiran_signature(doc)
    tag(doc, "{%p endif %}")
    para(doc, "")  # keeps the section break in a plain paragraph
    draft = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(draft, landscape=True)
    draft.different_first_page_header_footer = False
    lampiran_head(doc, LETTER_LAMPIRAN, left=15.0, page_break=False)
    para(doc, "DRAFT DAFTAR INFORMASI YANG DIKECUALIKAN", bold=True, align=CENTER)
    para(
        doc,
        "DI LINGKUNGAN {{ org.badan_publik|upper }} TAHUN {{ tahun }}",
        bold=True,
        align=CENTER,
        after=12,
    )
    table = grid(
        doc,
        [
            "No",
            "Perangkat Daerah",
            "Informasi",
            "Dasar Hukum",
            "Konsekuensi apabila dibuka",
            "Konsekuensi apabila ditutup",
            "Jangka Waktu",
        ],
        [1.0, 3.2, 4.6, 4.0, 4.5, 4.5, 2.9],
    )
    loop_rows(
        table,
        "for it in items",
        [
            "{{ it.no }}",
            "{{ it.opd }}",
            "{{ it.informasi }}",
            "{{ it.dasar_hukum }}",
            "{{ it.dibuka }}",
            "{{ it.ditutup }}",
            "{{ it.jangka_waktu }}",
        ],
        aligns=[CENTER, None, None, None, None, None, None],
    )
    para(doc, "", after=6, keep_next=True)
    signature(doc, left=15.0)
    return doc


def _group_rows(
    table: Table,
    cells: Sequence[str],
    aligns: Sequence[WD_ALIGN_PARAGRAPH | None],
    *,
    can_split: bool = True,
) -> None:
    """Rows for items grouped by OPD: a merged OPD row, then that OPD's items.

    ``can_split=False`` where a signature block follows the table: LibreOffice carries the
    last row over with the signature only when no row of the table may split."""
    tag_row(table, "{%tr for g in groups %}")
    tag_row(table, "{%tr set last_group = loop.last %}")
    merged_row(table, "{{ g.label }}. {{ g.opd }}")
    loop_rows(
        table,
        "for it in g.rows",
        cells,
        aligns=aligns,
        last="loop.last and last_group",
        can_split=can_split,
    )
    tag_row(table, "{%tr endfor %}")


def build_lembar_uji() -> DocumentObject:
    doc = new_document("Lembar Pengujian Konsekuensi", landscape=True)
    kop(doc, LANDSCAPE_W)
    para(doc, "LEMBAR PENGUJIAN KONSEKUENSI", bold=True, size=13, align=CENTER)
    para(
        doc,
        "INFORMASI YANG DIKECUALIKAN DI LINGKUNGAN {{ org.badan_publik|upper }}",
        bold=True,
        align=CENTER,
    )
    tag(doc, "{%p if nomor %}")
    para(doc, "Nomor: {{ nomor }}", align=CENTER)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6)
    body(
        doc,
        "{{ rapat.kalimat_tanggal }}, pukul {{ rapat.jam }} {{ rapat.tz_label }}, bertempat di "
        "{{ rapat.tempat }}, Tim Uji Konsekuensi{% if dasar_tim %} yang dibentuk berdasarkan "
        "{{ dasar_tim }}{% endif %} telah melaksanakan pengujian konsekuensi terhadap "
        "{{ jumlah_item }} usulan informasi yang dikecualikan dari {{ jumlah_opd }} Perangkat "
        "Daerah, dengan menimbang dasar hukum pengecualian serta konsekuensi apabila "
        f"informasi dibuka dan apabila ditutup, sesuai ketentuan Pasal 2 ayat (4), Pasal 17 "
        f"dan Pasal 19 {NOTE_UU} serta {NOTE_PERKI}, dengan hasil sebagai berikut:",
    )
    widths = [1.0, 4.6, 3.6, 4.5, 4.5, 3.5, 3.0]
    table = grid(
        doc,
        ["No", "Informasi", "Dasar Hukum", "Konsekuensi", "", "Keputusan", "Jangka Waktu"],
        widths,
    )
    second = table.add_row()
    for cell, width, text in zip(
        second.cells,
        widths,
        ["", "", "", "Apabila dibuka", "Apabila ditutup", "", ""],
        strict=True,
    ):
        cell.width = Cm(width)
        set_cell(cell, text, bold=True, align=CENTER)
        _shade(cell, "D9D9D9")
    _repeat_header(second)
    top = table.rows[0].cells
    top[3].merge(top[4])
    set_cell(table.cell(0, 3), "Konsekuensi", bold=True, align=CENTER)
    for index in (0, 1, 2, 5, 6):
        merged = table.cell(0, index).merge(table.cell(1, index))
        header = ["No", "Informasi", "Dasar Hukum", "", "", "Keputusan", "Jangka Waktu"][index]
        set_cell(merged, header, bold=True, align=CENTER)
    _group_rows(
        table,
        [
            "{{ it.no }}",
            "{{ it.informasi }}",
            "{{ it.dasar_hukum }}",
            "{{ it.dibuka }}",
            "{{ it.ditutup }}",
            "{{ it.keputusan }}",
            "{{ it.jangka_waktu }}",
        ],
        [CENTER, None, None, None, None, None, None],
    )
    para(doc, "", after=6)
    body(
        doc,
        "Rekapitulasi: {{ n_dikecualikan }} informasi dikecualikan, {{ n_sebagian }} informasi "
        "dikecualikan sebagian, dan {{ n_terbuka }} informasi dinyatakan terbuka. Pada "
        "informasi yang dikecualikan sebagian, bagian yang disebutkan dihitamkan atau "
        "dikaburkan pada salinan yang diberikan, sedangkan bagian lainnya tetap terbuka; "
        "informasi yang dinyatakan terbuka tidak dimasukkan dalam Daftar Informasi yang "
        "Dikecualikan.",
    )
    catatan(doc)
    body(
        doc,
        "Demikian Lembar Pengujian Konsekuensi ini dibuat dengan sebenarnya dan ditandatangani "
        "oleh anggota Tim Uji Konsekuensi yang hadir, untuk dipergunakan sebagai dasar "
        "penetapan klasifikasi informasi yang dikecualikan.",
        keep_next=True,
    )
    para(doc, "{{ tempat_tanggal }}", align=RIGHT, before=6, after=6, keep_next=True)
    para(doc, "TIM UJI KONSEKUENSI", bold=True, align=CENTER, after=6, keep_next=True)
    sig = grid(
        doc,
        ["No", "Nama", "Jabatan dalam Tim", "Jabatan / Unit Kerja", "Tanda Tangan"],
        [1.0, 6.2, 3.5, 8.0, 6.0],
    )
    tag_row(sig, "{%tr for m in anggota %}")
    data_row(
        sig,
        [
            "{{ m.no }}",
            "{{ m.identitas }}",
            "{{ m.peran }}",
            "{{ m.jabatan }}",
            "{{ m.no }}. ....................",
        ],
        aligns=[CENTER, None, None, None, LEFT],
        height=1.4,
    )
    tag_row(sig, "{%tr endfor %}")
    para(
        doc,
        "PERSETUJUAN ANGGOTA TIM MELALUI APLIKASI",
        bold=True,
        before=18,
        after=6,
        keep_next=True,
    )
    tag(doc, "{%p if persetujuan %}")
    body(
        doc,
        "Persetujuan atas hasil pengujian di atas telah disampaikan oleh anggota Tim Uji "
        "Konsekuensi melalui aplikasi layanan PPID, sebagaimana tercatat berikut:",
        first=0,
    )
    approvals = grid(
        doc,
        ["No", "Nama", "Jabatan dalam Tim", "Persetujuan", "Waktu"],
        [1.0, 6.2, 3.5, 5.0, 9.0],
    )
    tag_row(approvals, "{%tr for a in persetujuan %}")
    data_row(
        approvals,
        ["{{ a.no }}", "{{ a.name }}", "{{ a.peran }}", "{{ a.keterangan }}", "{{ a.waktu }}"],
        aligns=[CENTER, None, None, None, None],
    )
    tag_row(approvals, "{%tr endfor %}")
    tag(doc, "{%p else %}")
    body(doc, "Belum ada persetujuan yang tercatat melalui aplikasi.", first=0)
    tag(doc, "{%p endif %}")
    return doc


def build_ketetapan() -> DocumentObject:
    doc = new_document("Ketetapan Hasil Uji Konsekuensi", landscape=True)
    kop(doc, LANDSCAPE_W)
    para(
        doc,
        "SURAT PENETAPAN KLASIFIKASI INFORMASI YANG DIKECUALIKAN",
        bold=True,
        size=13,
        align=CENTER,
    )
    para(doc, "(KETETAPAN HASIL UJI KONSEKUENSI)", bold=True, align=CENTER)
    para(doc, "Nomor: {{ nomor }}", align=CENTER, after=12)
    body(
        doc,
        f"Berdasarkan Pasal 2 ayat (4), Pasal 17, dan Pasal 19 {NOTE_UU}, Pasal 4 {NOTE_PERKI}, "
        "serta hasil Pengujian Konsekuensi oleh Tim Uji Konsekuensi pada hari {{ tanggal_uji }}"
        "{% if nomor_lembar %} sebagaimana tercantum dalam Lembar Pengujian Konsekuensi Nomor "
        "{{ nomor_lembar }}{% endif %}, Pejabat Pengelola Informasi dan Dokumentasi (PPID) "
        "{{ org.badan_publik }} menetapkan klasifikasi informasi yang dikecualikan sebagai "
        "berikut:",
    )
    para(
        doc,
        "I.\tIDENTITAS PENETAPAN",
        bold=True,
        left=0.8,
        first=-0.8,
        tabs=(0.8,),
        before=6,
        after=3,
    )
    label_w = 8.2
    kv(doc, "1. Badan Publik", "{{ org.badan_publik }}", left=0.8, label_w=label_w)
    kv(
        doc,
        "2. Unit Kerja Pejabat yang Menetapkan",
        "{{ org.unit_kerja }}",
        left=0.8,
        label_w=label_w,
    )
    kv(
        doc,
        "3. Pejabat PPID yang Menetapkan",
        "{{ penetap.name }}",
        left=0.8,
        label_w=label_w,
        bold_value=True,
    )
    tag(doc, "{%p if penetap.nip %}")
    kv(doc, "    NIP", "{{ penetap.nip }}", left=0.8, label_w=label_w)
    tag(doc, "{%p endif %}")
    kv(doc, "    Jabatan", "{{ penetap.jabatan_text }}", left=0.8, label_w=label_w)
    kv(doc, "4. Tempat Penetapan", "{{ tempat }}", left=0.8, label_w=label_w)
    kv(doc, "5. Tanggal Penetapan", "{{ tanggal }}", left=0.8, label_w=label_w, after=6)
    para(
        doc,
        "II.\tKLASIFIKASI, DASAR HUKUM, ALASAN, DAN JANGKA WAKTU PENGECUALIAN "
        "({{ jumlah_dikecualikan }} informasi)",
        bold=True,
        left=0.8,
        first=-0.8,
        tabs=(0.8,),
        before=6,
        after=6,
        keep_next=True,
    )
    table = grid(
        doc,
        [
            "No",
            "Informasi yang Dikecualikan",
            "Jenis Klasifikasi",
            "Dasar Hukum Pengecualian",
            "Alasan Pengecualian (Uji Konsekuensi)",
            "Jangka Waktu Pengecualian",
        ],
        [1.0, 4.6, 5.6, 3.9, 6.4, 3.2],
    )
    _group_rows(
        table,
        [
            "{{ it.no }}",
            "{{ it.informasi_text }}",
            "{{ it.jenis_klasifikasi }}",
            "{{ it.dasar_hukum }}",
            "{{ it.konsekuensi }}",
            "{{ it.jangka_waktu }}",
        ],
        [CENTER, None, None, None, None, None],
    )
    tag(doc, "{%p if not groups %}")
    para(
        doc,
        "Tidak terdapat informasi yang ditetapkan sebagai informasi yang dikecualikan.",
        italic=True,
        before=3,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if terbuka %}")
    para(
        doc,
        "III.\tINFORMASI YANG DINYATAKAN TERBUKA (TIDAK DIKECUALIKAN)",
        bold=True,
        left=0.8,
        first=-0.8,
        tabs=(0.8,),
        before=12,
        after=6,
        keep_next=True,
    )
    open_table = grid(
        doc,
        ["No", "Perangkat Daerah", "Informasi", "Alasan Dinyatakan Terbuka"],
        [1.0, 5.0, 9.2, 9.5],
    )
    loop_rows(
        open_table,
        "for it in terbuka",
        ["{{ it.no }}", "{{ it.opd }}", "{{ it.informasi }}", "{{ it.alasan_terbuka }}"],
        aligns=[CENTER, None, None, None],
    )
    tag(doc, "{%p endif %}")
    para(doc, "", after=6)
    catatan(doc)
    block = keep_block(doc, LANDSCAPE_W)
    body(
        block,
        "Ketetapan ini menjadi dasar penyusunan Keputusan {{ org.kepala_daerah }} tentang "
        "Daftar Informasi yang Dikecualikan di Lingkungan {{ org.badan_publik }}. Informasi "
        "yang dikecualikan menjadi Informasi Publik yang dapat diakses setelah jangka waktu "
        "pengecualiannya berakhir.",
    )
    kv(block, "Ditetapkan di", "{{ tempat }}", left=15.0, label_w=3.3, before=6)
    kv(block, "Pada tanggal", "{{ tanggal }}", left=15.0, label_w=3.3, after=6)
    sig = grid(block, [], [12.35, 12.35], borders=False)
    row = sig.add_row()
    _cant_split(row)
    left_cell, right_cell = row.cells
    tag(left_cell, "{%p if menyetujui %}")
    signature(left_cell, "menyetujui", left=0, before=0, lead=["Menyetujui,"])
    tag(left_cell, "{%p endif %}")
    para(left_cell, "")  # a table cell must keep at least one paragraph
    signature(right_cell, "penetap", left=0, before=0, lead=["Pejabat yang menetapkan,"])
    para(block, "")  # a cell ends with a paragraph, not a table
    return doc


def build_sk_walikota() -> DocumentObject:
    doc = new_document("Rancangan Keputusan Walikota tentang Daftar Informasi yang Dikecualikan")
    para(doc, "{{ org.lambang }}", align=CENTER, after=6)
    para(doc, "{{ org.kepala_daerah|upper }}", bold=True, size=14, align=CENTER)
    para(doc, "{{ org.provinsi|upper }}", bold=True, align=CENTER, after=18)
    para(doc, "KEPUTUSAN {{ org.kepala_daerah|upper }}", bold=True, align=CENTER)
    para(doc, "NOMOR {{ nomor }}", bold=True, align=CENTER, after=6)
    para(doc, "TENTANG", bold=True, align=CENTER, after=6)
    para(doc, "{{ judul|upper }}", bold=True, align=CENTER, left=1.5, after=18)
    para(doc, "DENGAN RAHMAT TUHAN YANG MAHA ESA", bold=True, align=CENTER, after=12)
    para(doc, "{{ org.kepala_daerah|upper }},", bold=True, align=CENTER, after=12)

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
    # Dictums are paragraphs (label, colon, hanging text), not a table: the last one keeps
    # with the signature block, so the signature never stands alone on a page.
    kv(
        doc,
        "Menetapkan",
        "KEPUTUSAN {{ org.kepala_daerah|upper }} TENTANG {{ judul|upper }}.",
        label_w=3.0,
        after=12,
        keep_next=True,
    ).paragraph_format.alignment = JUSTIFY
    tag(doc, "{%p for d in diktum[:-1] %}")
    kv(
        doc, "{{ d.label }}", "{{ d.text }}", label_w=3.0, after=6
    ).paragraph_format.alignment = JUSTIFY
    tag(doc, "{%p endfor %}")
    # The last dictum, the place and date and the signature stay on one page.
    block = keep_block(doc)
    kv(
        block, "{{ diktum[-1].label }}", "{{ diktum[-1].text }}", label_w=3.0, after=6
    ).paragraph_format.alignment = JUSTIFY
    kv(block, "Ditetapkan di", "{{ org.city }}", left=8.0, label_w=3.3, before=12)
    kv(block, "pada tanggal", "{{ tanggal }}", left=8.0, label_w=3.3)
    signature(block, "walikota", left=8.0, upper=True, name_underline=False)
    tembusan(doc, "tembusan", "Salinan Keputusan ini disampaikan kepada Yth.:")
    para(doc, "")  # keeps the section break in a plain paragraph

    lampiran = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(lampiran, landscape=True)
    lampiran.different_first_page_header_footer = False
    para(doc, "LAMPIRAN", size=11, left=14.0)
    para(doc, "KEPUTUSAN {{ org.kepala_daerah|upper }}", size=11, left=14.0)
    kv(doc, "NOMOR", "{{ nomor }}", left=14.0, label_w=2.4, size=11)
    kv(doc, "TANGGAL", "{{ tanggal }}", left=14.0, label_w=2.4, size=11)
    kv(doc, "TENTANG", "{{ judul|upper }}", left=14.0, label_w=2.4, size=11, after=12)
    para(doc, "{{ judul|upper }}", bold=True, align=CENTER, after=12)
    table = grid(
        doc,
        [
            "No",
            "Informasi yang Dikecualikan",
            "Dasar Hukum Pengecualian",
            "Konsekuensi",
            "Jangka Waktu",
        ],
        [1.0, 6.0, 5.0, 9.2, 3.5],
    )
    _group_rows(
        table,
        [
            "{{ it.no }}",
            "{{ it.informasi_text }}",
            "{{ it.dasar_hukum }}",
            "{{ it.konsekuensi }}",
            "{{ it.jangka_waktu }}",
        ],
        [CENTER, None, None, None, None],
        can_split=False,
    )
    tag(doc, "{%p if not groups %}")
    para(doc, "Tidak terdapat informasi yang dikecualikan.", italic=True, before=3)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6, keep_next=True)
    signature(doc, "walikota", left=15.0, upper=True, name_underline=False)
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "nota_dinas": build_nota_dinas,
    "surat_permintaan_dik": build_surat_permintaan,
    "surat_pengantar": build_surat_pengantar,
    "surat_usulan_uji": build_surat_usulan_uji,
    "surat_undangan": build_surat_undangan,
    "lembar_uji": build_lembar_uji,
    "ketetapan": build_ketetapan,
    "sk_walikota": build_sk_walikota,
}


def save_reproducibly(doc: DocumentObject, path: Path) -> None:
    """Save with fixed zip timestamps, so an unchanged template rebuilds byte for byte."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, zin.read(info.filename))
    path.write_bytes(out.getvalue())


def build_placeholder_lambang(path: Path) -> None:
    """A neutral shield reading "LAMBANG DAERAH": printed in the kop until the office sets
    ORG_LAMBANG to its own emblem. It imitates no real coat of arms."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = 300, 360
    image = Image.new("RGBA", (w, h), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    shield = [(20, 20), (280, 20), (280, 200), (150, 340), (20, 200)]
    draw.polygon(shield, fill=(255, 255, 255, 255), outline=(90, 90, 90, 255), width=10)
    font = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 40)
    for text, y in (("LAMBANG", 110), ("DAERAH", 165)):
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((w - (box[2] - box[0])) / 2, y), text, font=font, fill=(90, 90, 90, 255))
    image.save(path, format="PNG", optimize=True)


def build_all(output_dir: Path = HERE) -> list[Path]:
    """Write every template to ``output_dir`` and return the paths written."""
    output_dir.mkdir(parents=True, exist_ok=True)
    build_placeholder_lambang(output_dir / "lambang_placeholder.png")
    written = []
    for name, builder in BUILDERS.items():
        path = output_dir / f"{name}.docx"
        save_reproducibly(builder(), path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for written_path in build_all(target):
        print(written_path)
