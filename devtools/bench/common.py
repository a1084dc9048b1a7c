"""What every group of figures shares: a figure, timing helpers, the machine, the table.

A figure is measured and printed, never asserted: ``met`` only says whether it is within the
issue's target, for the reader.
"""

from __future__ import annotations

import asyncio
import math
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/dik_bench"
"""The PostgreSQL database of the bench (its schema is dropped and made again each run)."""


@dataclass
class Figure:
    """One measured figure, with what it is compared against and the target it should meet.

    ``on="ratio"`` checks the target against ``value / baseline``; ``on="value"`` against the
    value itself. ``limit`` with ``at_most`` True reads "≤ limit", else "≥ limit".
    """

    group: str
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    limit: float | None = None
    on: Literal["value", "ratio"] = "value"
    at_most: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.limit is None:
            return None
        checked = self.ratio if self.on == "ratio" else self.value
        if checked is None:
            return None
        return checked <= self.limit if self.at_most else checked >= self.limit

    def target_text(self) -> str:
        if self.limit is None:
            return ""
        sign = "≤" if self.at_most else "≥"
        if self.on == "ratio":
            return f"{sign} {self.limit:g}×"
        return f"{sign} {_number(self.limit)} {self.unit}"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, met=self.met, target=self.target_text())
        return data


Figures = list[Figure]


# ---------------------------------------------------------------------------------------------
# Timing


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 50 samples is the largest but none)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


Clock = Callable[[], float]
WALL: Clock = time.perf_counter
CPU: Clock = time.process_time
"""CPU time of this process (all its threads): for CPU-bound work it equals the wall time on
an idle machine, and it does not count the time other processes held the CPUs."""


def time_calls(
    fn: Callable[[], object], *, repeat: int, warmup: int = 1, clock: Clock = WALL
) -> list[float]:
    """Seconds taken by each of ``repeat`` calls of ``fn``, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = clock()
        fn()
        samples.append(clock() - start)
    return samples


async def time_awaits(
    fn: Callable[[], Awaitable[object]], *, repeat: int, warmup: int = 1, clock: Clock = WALL
) -> list[float]:
    """Like :func:`time_calls`, for a coroutine function."""
    for _ in range(warmup):
        await fn()
    samples = []
    for _ in range(repeat):
        start = clock()
        await fn()
        samples.append(clock() - start)
    return samples


async def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.005) -> bool:  # noqa: ASYNC109
    """Poll ``predicate`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(step)
    return True


# ---------------------------------------------------------------------------------------------
# The machine


def machine() -> dict[str, Any]:
    import sqlite3

    import telegram

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": cpus,
        "cpu": model or platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "python_telegram_bot": telegram.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


# ---------------------------------------------------------------------------------------------
# Printing


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e9:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cell(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{_number(value)} {unit}".strip()


def table(figures: Sequence[Figure]) -> str:
    """The figures as a plain-text table, grouped, with notes under it."""
    head = ("figure", "value", "baseline", "ratio", "target", "")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    group = None
    for fig in figures:
        if fig.group != group:
            group = fig.group
            rows.append((f"[{group}]", "", "", "", "", ""))
        mark = {True: "ok", False: "MISS", None: ""}[fig.met]
        name = fig.name
        if fig.note:
            notes.append(fig.note)
            name += f" ({len(notes)})"
        ratio = fig.ratio
        rows.append(
            (
                "  " + name,
                _cell(fig.value, fig.unit),
                _cell(fig.baseline, fig.unit),
                "" if ratio is None else f"{ratio:.2f}×",
                fig.target_text(),
                mark,
            )
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for i, r in enumerate([head, *rows]):
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("-" * len(lines[0]))
    for n, note in enumerate(notes, 1):
        lines.append(f"({n}) {note}")
    return "\n".join(lines)
