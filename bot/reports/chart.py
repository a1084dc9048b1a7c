"""Working days taken against the SOP's limit, per step, as a PNG bar chart (Pillow).

One function serves both the Laporan Bulanan (one series per cycle active in the month) and the
timeline that /status sends (one series: the cycle). Each step of the SOP is a row, top to
bottom; each series draws a horizontal bar of the working days the step took (or has taken so
far, when it is still running); a black tick marks the SOP's limit; a late bar is hatched with
a red edge and says "terlambat"; a running bar is lighter and says "berjalan".

Drawn with Pillow's ImageDraw in the DejaVu Sans fonts kept in templates/fonts (so every
machine draws the same picture), under a lock so that two renders in worker threads never share
a font at once. Same input, same bytes. (matplotlib drew it until it was found to add 40 MB to
the bot's memory with numpy, for a chart of a few bars.)
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

PALETTE: Final = ("#4C72B0", "#55A868", "#8172B2", "#CCB974", "#64B5CD", "#937860")
LATE_EDGE: Final = "#C0392B"
LIMIT_COLOR: Final = "#222222"
WIDTH: Final = 1100  # pixels; the height grows with the number of steps
MIN_HEIGHT: Final = 480
MAX_LABEL: Final = 44
FONTS: Final = Path(__file__).resolve().parents[2] / "templates" / "fonts"
GRID: Final = "#DDDDDD"
TEXT: Final = "#333333"

_LOCK = threading.Lock()
#: Charts kept by `render_step_chart` (each a PNG of some tens of kB).
CACHED_CHARTS: Final = 32


@dataclass(frozen=True, slots=True)
class ChartStep:
    """A row of the chart: a step of the SOP and its limit in working days."""

    no: int
    title: str
    limit: int


@dataclass(frozen=True, slots=True)
class ChartBar:
    step_no: int
    days: int
    late: bool
    running: bool = False


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One cycle's bars (a step it has not reached has no bar)."""

    name: str
    bars: Sequence[ChartBar]


def _label(step: ChartStep) -> str:
    text = f"{step.no}. {step.title}"
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _note(bar: ChartBar) -> str:
    words = [f"{bar.days} hk"]
    if bar.late:
        words.append("terlambat")
    if bar.running:
        words.append("berjalan")
    return " · ".join(words)


def render_step_chart(
    title: str,
    steps: Sequence[ChartStep],
    series: Sequence[ChartSeries],
    *,
    subtitle: str = "",
) -> bytes:
    """The chart as PNG bytes. `steps` gives the rows (in SOP order) and their limits.

    The last few charts are kept: /status asked again while nothing moved is not drawn again
    (drawing takes a few hundred milliseconds of CPU)."""
    frozen = tuple(ChartSeries(s.name, tuple(s.bars)) for s in series)
    return _cached(title, tuple(steps), frozen, subtitle)


@functools.lru_cache(maxsize=CACHED_CHARTS)
def _cached(
    title: str, steps: tuple[ChartStep, ...], series: tuple[ChartSeries, ...], subtitle: str
) -> bytes:
    with _LOCK:
        return _render(title, steps, series, subtitle)


@functools.lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _lighter(color: str, alpha: float = 0.55) -> tuple[int, int, int]:
    """`color` at `alpha` opacity on white."""
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in _rgb(color))  # type: ignore[return-value]


def _tick_step(limit: float, most: int = 10) -> int:
    """The integer step between x-axis ticks: 1, 2, 5, 10, 20, 50 … so at most `most` ticks."""
    step, scale = 1, 1
    while limit / step > most:
        for m in (2, 5, 10):
            step = m * scale
            if limit / step <= most:
                break
        scale *= 10
    return step


def _hatch(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], color: str) -> None:
    """Diagonal lines ("///") inside `box`."""
    x0, y0, x1, y1 = box
    k = x0 + y0
    while k < x1 + y1:
        k += 9
        lo, hi = max(x0, k - y1), min(x1, k - y0)
        if lo < hi:
            draw.line([(lo, k - lo), (hi, k - hi)], fill=color, width=1)


def _render(
    title: str, steps: Sequence[ChartStep], series: Sequence[ChartSeries], subtitle: str
) -> bytes:
    rows = len(steps)
    height = max(MIN_HEIGHT, 50 * rows + 260)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, note_font, note_bold = _font(12), _font(11), _font(11, bold=True)

    # the plot area, as matplotlib laid it out: labels on the left, legend at the bottom
    left, right = round(0.33 * WIDTH), round(0.97 * WIDTH)
    legend_lines = (len(series) + 3 + 4) // 5  # keys: each series, then three more
    top, bottom = 70, height - 105 - 18 * (legend_lines - 1)
    longest = max([s.limit for s in steps] + [b.days for s in series for b in s.bars] + [1])
    x_max = longest * 1.3 + 1.5
    row_h = (bottom - top) / max(rows, 1)

    def x_at(days: float) -> float:
        return left + (right - left) * days / x_max

    def y_at(index: float) -> float:  # the centre of row `index`
        return top + row_h * (index + 0.5)

    step = _tick_step(x_max)
    for tick in range(0, int(x_max) + 1, step):
        x = x_at(tick)
        draw.line([(x, top), (x, bottom)], fill=GRID, width=1)
        draw.line([(x, bottom), (x, bottom + 4)], fill="black", width=1)
        draw.text((x, bottom + 7), str(tick), font=label_font, fill="black", anchor="mt")
    draw.text(
        ((left + right) / 2, bottom + 28), "Hari kerja", font=_font(14), fill="black", anchor="mt"
    )

    position = {s.no: i for i, s in enumerate(steps)}
    band = 0.8 * row_h
    thickness = band / max(1, len(series))
    for k, one in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        for bar in one.bars:
            if bar.step_no not in position:
                continue
            y = y_at(position[bar.step_no]) - band / 2 + thickness * (k + 0.5)
            half = thickness * 0.45
            end = x_at(max(bar.days, 0.04 * longest))  # a sliver: a 0-day step still shows
            box = (left, y - half, end, y + half)
            draw.rectangle(box, fill=_lighter(color) if bar.running else color)
            if bar.late:
                _hatch(draw, box, LATE_EDGE)
                draw.rectangle(box, outline=LATE_EDGE, width=2 if half >= 5 else 1)
            draw.text(
                (end + 6, y),
                _note(bar),
                font=note_bold if bar.late else note_font,
                fill=LATE_EDGE if bar.late else TEXT,
                anchor="lm",
            )
    for s in steps:  # the SOP's limit, over the bars
        x, y = x_at(s.limit), y_at(position[s.no])
        draw.line([(x, y - band / 2 - 2), (x, y + band / 2 + 2)], fill=LIMIT_COLOR, width=3)
    if not any(s.bars for s in series):
        centre, empty = (
            ((left + right) / 2, (top + bottom) / 2),
            "Tidak ada langkah pada periode ini",
        )
        x0, y0, x1, y1 = draw.textbbox(centre, empty, font=_font(15), anchor="mm")
        draw.rectangle((x0 - 8, y0 - 6, x1 + 8, y1 + 6), fill="white")
        draw.text(centre, empty, font=_font(15), fill="#666666", anchor="mm")

    draw.rectangle((left, top, right, bottom), outline="black", width=1)
    for i, s in enumerate(steps):
        y = y_at(i)
        draw.line([(left - 4, y), (left, y)], fill="black", width=1)
        draw.text((left - 8, y), _label(s), font=label_font, fill="black", anchor="rm")

    heading = [title, subtitle] if subtitle else [title]
    for i, line in enumerate(reversed(heading)):
        draw.text(
            (left, top - 8 - 20 * i), line, font=_font(15, bold=True), fill="black", anchor="ls"
        )

    _legend(draw, series, height - 32)
    buf = BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _legend(draw: ImageDraw.ImageDraw, series: Sequence[ChartSeries], y: int) -> None:
    """One key per series, then the SOP's limit, late and running; centred, five a line."""
    font = _font(11)
    keys: list[tuple[str, str]] = [
        (PALETTE[k % len(PALETTE)], s.name) for k, s in enumerate(series)
    ]
    keys += [("limit", "Batas SOP"), ("late", "Terlambat"), ("running", "Masih berjalan")]
    lines = [keys[i : i + 5] for i in range(0, len(keys), 5)]
    y -= 18 * (len(lines) - 1)
    for line in lines:
        widths = [28 + 8 + draw.textlength(label, font=font) for _, label in line]
        x = (WIDTH - sum(widths) - 24 * (len(line) - 1)) / 2
        for (kind, label), width in zip(line, widths, strict=True):
            box = (x, y - 5, x + 28, y + 5)
            if kind == "limit":
                draw.line([(x, y), (x + 28, y)], fill=LIMIT_COLOR, width=3)
            elif kind == "late":
                draw.rectangle(box, fill="white")
                _hatch(draw, box, LATE_EDGE)
                draw.rectangle(box, outline=LATE_EDGE, width=1)
            elif kind == "running":
                draw.rectangle(box, fill=_lighter("#999999"))
            else:
                draw.rectangle(box, fill=kind)
            draw.text((x + 36, y), label, font=font, fill="black", anchor="lm")
            x += width + 24
        y += 18
