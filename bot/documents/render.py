"""Render the DOCX templates in ``templates/docx`` with docxtpl, and read documents back.

The templates are ordinary Word files that an office may edit; the Jinja2 tags inside them
(``{{ head.nomor }}``, ``{%tr for it in items %}``, ``{%p if head.tembusan %}`` ...) are
filled from a plain dict. Every string in that dict is cleaned of characters XML cannot hold,
and Jinja2 autoescaping is on, so text typed by people (``<``, ``&``, quotes) never breaks the
document.

Rendering is thread-safe: template files are read once and kept as immutable bytes (re-read
when the file changes on disk), and each render works on its own ``DocxTemplate``.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image as DocxImage
from docx.shared import Mm
from docx.table import Table
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, Template, TemplateError
from markupsafe import Markup

__all__ = [
    "DEFAULT_TEMPLATE_DIR",
    "PLACEHOLDER_LAMBANG",
    "Picture",
    "TemplateRenderError",
    "clean_text",
    "document_text",
    "render",
]

DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "docx"
"""The repository's ``templates/docx`` folder."""

PLACEHOLDER_LAMBANG = DEFAULT_TEMPLATE_DIR / "lambang_placeholder.png"
"""The emblem printed in the kop until the office configures its lambang daerah (ORG_LAMBANG)."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Picture:
    """An image for the document (the kop's lambang): a file, printed ``height_mm`` tall.

    A file that is missing or not an image docx can embed is replaced by ``fallback``, so a
    wrong setting never stops a letter; the replacement is logged.
    """

    path: str | Path | None
    height_mm: float = 22.0
    fallback: Path = PLACEHOLDER_LAMBANG

    def usable_path(self) -> Path:
        if self.path:
            candidate = Path(self.path)
            try:
                DocxImage.from_file(str(candidate))
                return candidate
            except (OSError, UnrecognizedImageError) as exc:
                logger.warning(
                    "lambang %s cannot be used (%s): placeholder printed", candidate, exc
                )
        return self.fallback


# Characters that XML 1.0 cannot carry (C0 controls except tab and newline, lone surrogates,
# U+FFFE/U+FFFF). Carriage returns are normalised to newlines first. Form feed and bell are
# among them: docxtpl would otherwise turn them into page and paragraph breaks.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_\-]+(\.docx)?$")

_cache_lock = threading.Lock()
_template_cache: dict[Path, tuple[int, int, bytes]] = {}
_COMPILED_MAX = 64


class _CompilingEnvironment(Environment):
    """A Jinja2 environment that compiles each distinct source once.

    docxtpl turns every template part (body, headers, footers, document properties) into a
    Jinja2 source string and compiles it on every render; compiling is about half the render
    time. A compiled ``Template`` is immutable and safe to render from several threads, so
    it is kept, keyed by its source (an edited .docx gives a new source and a new entry).
    """

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Template] = {}
        self._compiled_lock = threading.Lock()

    def from_string(
        self,
        source: str | Any,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        if globals or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            hit = self._compiled.get(source)
        if hit is not None:
            return hit
        compiled = super().from_string(source)
        with self._compiled_lock:
            if len(self._compiled) >= _COMPILED_MAX:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[source] = compiled
        return compiled


_ENV = _CompilingEnvironment()


class TemplateRenderError(RuntimeError):
    """A template could not be rendered (a bad tag or an unknown variable in the .docx)."""

    def __init__(self, template: str, message: str) -> None:
        super().__init__(f"{template}: {message}")
        self.template = template


def clean_text(value: str) -> str:
    """Return ``value`` fit for a DOCX text node.

    Windows and old-Mac line ends become ``\\n`` (docxtpl renders it as a line break); control
    characters that XML 1.0 forbids are removed; surrounding whitespace is stripped.
    """
    if isinstance(value, Markup):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", text).strip()


def _clean(value: Any, template: DocxTemplate) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Picture):
        return InlineImage(template, str(value.usable_path()), height=Mm(value.height_mm))
    if isinstance(value, Mapping):
        return {key: _clean(item, template) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item, template) for item in value]
    return value


def _template_bytes(path: Path) -> bytes:
    stat = path.stat()
    with _cache_lock:
        hit = _template_cache.get(path)
    if hit is not None and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
        return hit[2]
    data = path.read_bytes()
    with _cache_lock:
        _template_cache[path] = (stat.st_mtime_ns, stat.st_size, data)
    return data


def template_path(template_name: str, template_dir: str | Path | None = None) -> Path:
    """Return the path of ``template_name`` ("nota_dinas" or "nota_dinas.docx")."""
    if not _TEMPLATE_NAME.match(template_name):
        raise ValueError(f"not a template name: {template_name!r}")
    name = template_name if template_name.endswith(".docx") else f"{template_name}.docx"
    directory = Path(template_dir) if template_dir is not None else DEFAULT_TEMPLATE_DIR
    return directory / name


def render(
    template_name: str,
    context: Mapping[str, Any],
    *,
    template_dir: str | Path | None = None,
) -> bytes:
    """Render a DOCX template with ``context`` and return the document's bytes.

    ``template_dir`` defaults to the repository's ``templates/docx``. All strings in
    ``context`` (also inside nested dicts and lists) are cleaned with :func:`clean_text`, and
    autoescaping is on; a :class:`Picture` becomes an image in the document. A variable the
    template uses but the context lacks is an error
    (:class:`TemplateRenderError`), so a typo in an edited template never silently drops text.
    """
    path = template_path(template_name, template_dir)
    template = DocxTemplate(io.BytesIO(_template_bytes(path)))
    try:
        template.render(_clean(context, template), jinja_env=_ENV, autoescape=True)
    except TemplateError as exc:
        raise TemplateRenderError(path.name, str(exc)) from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _table_lines(table: Table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        nested_lines: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            # A merged cell appears once per grid column it spans: keep it once.
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            cells.append(cell.text.strip())
            nested_lines.extend(line for nested in cell.tables for line in _table_lines(nested))
        lines.append(" | ".join(cells))
        lines.extend(nested_lines)  # a table inside a cell follows the cell's own text
    return lines


def document_text(data: bytes) -> str:
    """Return the text of a DOCX: every paragraph and table row, in document order.

    Table rows are written as their cells joined with ``" | "`` (a merged cell once).
    Headers and footers follow the body. Meant for tests and previews.
    """
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            lines.extend(p.text for p in part.paragraphs)
    return "\n".join(lines)
