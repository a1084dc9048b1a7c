"""Working days taken against the SOP's limit, per step, as a PNG bar chart (matplotlib).

One function serves both the Laporan Bulanan (one series per cycle active in the month) and the
timeline that /status sends (one series: the cycle). Each step of the SOP is a row, top to
bottom; each series draws a horizontal bar of the working days the step took (or has taken so
far, when it is still running); a black tick marks the SOP's limit; a late bar is hatched with
a red edge and says "terlambat"; a running bar is lighter and says "berjalan".

Rendering uses matplotlib's object-oriented API with the Agg canvas (no pyplot, no GUI, no
global figure state), under a lock so that two renders in worker threads never interleave.
Same input, same bytes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Final

PALETTE: Final = ("#4C72B0", "#55A868", "#8172B2", "#CCB974", "#64B5CD", "#937860")
LATE_EDGE: Final = "#C0392B"
LIMIT_COLOR: Final = "#222222"
WIDTH_IN: Final = 11.0
DPI: Final = 100
MAX_LABEL: Final = 44

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


def _render(
    title: str, steps: Sequence[ChartStep], series: Sequence[ChartSeries], subtitle: str
) -> bytes:
    # Imported here: matplotlib is heavy, and only the reports need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    rows = len(steps)
    height = max(4.8, 0.5 * rows + 2.6)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.33, right=0.97, top=1 - 0.7 / height, bottom=1.05 / height)

    position = {step.no: i for i, step in enumerate(steps)}
    n = max(1, len(series))
    band = 0.8
    thickness = band / n
    longest = max([s.limit for s in steps] + [b.days for s in series for b in s.bars] + [1])
    for k, one in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        for bar in one.bars:
            if bar.step_no not in position:
                continue
            y = position[bar.step_no] - band / 2 + thickness * (k + 0.5)
            ax.barh(
                y,
                max(bar.days, 0.04 * longest),  # a sliver, so a 0-day step is still visible
                height=thickness * 0.9,
                color=color,
                alpha=0.55 if bar.running else 1.0,
                edgecolor=LATE_EDGE if bar.late else color,
                linewidth=1.6 if bar.late else 0.5,
                hatch="///" if bar.late else None,
                zorder=2,
            )
            ax.text(
                max(bar.days, 0.04 * longest) + 0.08,
                y,
                _note(bar),
                va="center",
                ha="left",
                fontsize=8,
                color=LATE_EDGE if bar.late else "#333333",
                fontweight="bold" if bar.late else "normal",
                zorder=4,
            )
    for step in steps:
        y = position[step.no]
        ax.plot(
            [step.limit, step.limit],
            [y - band / 2 - 0.04, y + band / 2 + 0.04],
            color=LIMIT_COLOR,
            linewidth=2.2,
            zorder=3,
        )

    ax.set_yticks(range(rows), [_label(s) for s in steps], fontsize=9)
    ax.set_ylim(rows - 0.5, -0.5)  # step 1 on top
    ax.set_xlim(0, longest * 1.3 + 1.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Hari kerja")
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    heading = title if not subtitle else f"{title}\n{subtitle}"
    ax.set_title(heading, loc="left", fontsize=11, fontweight="bold")
    if not any(s.bars for s in series):
        ax.text(
            0.5,
            0.5,
            "Tidak ada langkah pada periode ini",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color="#666666",
        )

    handles: list[Patch | Line2D] = [
        Patch(facecolor=PALETTE[k % len(PALETTE)], label=one.name) for k, one in enumerate(series)
    ]
    handles += [
        Line2D([0], [0], color=LIMIT_COLOR, linewidth=2.2, label="Batas SOP"),
        Patch(facecolor="white", edgecolor=LATE_EDGE, hatch="///", label="Terlambat"),
        Patch(facecolor="#999999", alpha=0.55, label="Masih berjalan"),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncols=min(len(handles), 5),
        frameon=False,
        fontsize=8,
    )

    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()
