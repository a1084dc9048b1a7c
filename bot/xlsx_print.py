"""Print settings every generated workbook gets: A4, landscape where the sheet is wide (or
its builder asked for it), one
page wide (as many pages down as needed), the header rows repeated on every page, and rows
of wrapped text tall enough to show it.

Call :func:`print_ready` on a finished workbook, just before saving it.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["WIDE_CHARACTERS", "print_ready", "wrapped_height"]

WIDE_CHARACTERS = 110
"""A sheet whose columns add up to more than this many characters prints landscape."""

_DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
_LINE_POINTS = 15.0  # one line of 11 pt text


def _width(ws: Worksheet, column: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(column))
    return float(dim.width) if dim is not None and dim.width else _DEFAULT_WIDTH


def _spans(ws: Worksheet) -> dict[tuple[int, int], float]:
    """The width of every merged range, keyed by its top-left cell."""
    out = {}
    for rng in ws.merged_cells.ranges:
        width = sum(_width(ws, c) for c in range(rng.min_col, rng.max_col + 1))
        out[(rng.min_row, rng.min_col)] = width
    return out


def wrapped_height(text: str, width_chars: float, font_size: float = 11.0) -> float:
    """Points needed to show ``text`` wrapped in a column ``width_chars`` wide."""
    per_line = max(1.0, width_chars * 1.1 * 11.0 / max(font_size, 1.0))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return lines * _LINE_POINTS * font_size / 11.0 + 2.0


def _fit_rows(ws: Worksheet) -> None:
    spans = _spans(ws)
    merged_inner = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
        if (r, c) != (rng.min_row, rng.min_col)
    }
    for row in ws.iter_rows():
        need = 0.0
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            key = (cell.row, cell.column)
            if key in merged_inner:
                continue
            width = spans.get(key, _width(ws, cell.column))
            size = float(cell.font.sz) if cell.font and cell.font.sz else 11.0
            need = max(need, wrapped_height(str(cell.value), width, size))
        if need:
            dim = ws.row_dimensions[row[0].row]
            if dim.height is None or dim.height < need:
                dim.height = min(need, 409.0)  # Excel's largest row


def _title_rows(ws: Worksheet) -> None:
    """Repeat the header: the rows above the frozen pane, when the builder set none."""
    if ws.print_title_rows or not ws.freeze_panes:
        return
    first_data = ws[ws.freeze_panes].row
    if first_data > 1:
        header = first_data - 1
        ws.print_title_rows = f"{header}:{header}"


def print_ready(wb: Workbook) -> Workbook:
    """Give every sheet of ``wb`` its print settings (see the module's docstring)."""
    for ws in wb.worksheets:
        sized = [column_index_from_string(k) for k, d in ws.column_dimensions.items() if d.width]
        last = max([ws.max_column or 1, *sized])
        total = sum(_width(ws, c) for c in range(1, last + 1))
        setup = ws.page_setup
        setup.paperSize = ws.PAPERSIZE_A4
        if setup.orientation is None:  # a builder's own choice stands
            setup.orientation = "landscape" if total > WIDE_CHARACTERS else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "Halaman &P dari &N"
        _title_rows(ws)
        _fit_rows(ws)
    return wb
