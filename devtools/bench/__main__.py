"""`make bench`: measure and print the project's performance figures (never asserted).

    python -m devtools.bench                 # every group, full sizes (a few minutes on 2 cores)
    python -m devtools.bench --quick         # tiny sizes, to see that it runs
    python -m devtools.bench --only documents --only memory

The table is printed at the end and written, with the machine and the sizes, to
``bench-results.json`` (``--json`` to change). PostgreSQL figures use ``DIK_BENCH_PG_URL``
(default ``postgresql+asyncpg://postgres@127.0.0.1:5432/dik_bench``, whose schema is dropped and
made again); if it cannot be reached, those figures are skipped with a note.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from devtools.bench import deadlines, documents, memory, reads, taps, throughput
from devtools.bench.city import reachable, sqlite_url
from devtools.bench.common import PG_URL, Figures, machine, table

GROUPS = ("documents", "deadlines", "throughput", "reads", "taps", "memory")


@dataclass(frozen=True)
class Sizes:
    letter_rows: int = 200
    form_rows: int = 1000
    repeat: int = 7
    open_runs: int = 10_000
    owing_runs: int = 100
    broadcast_offices: int = 100
    fanout_offices: int = 20
    offices: int = 100
    officials: int = 200
    updates: int = 200
    status_updates: int = 30
    taps: int = 20
    latency_taps: int = 30
    uploads: int = 5
    echo_taps: int = 50
    #: calls of each read path timed by the `reads` group
    read_calls: int = 300
    #: the step-2 fan-outs of the tap figures (1,000 is added by DIK_BENCH_BIG=1)
    tap_offices: tuple[int, ...] = (20, 300)


QUICK = Sizes(
    letter_rows=20,
    form_rows=50,
    repeat=3,
    open_runs=200,
    owing_runs=5,
    broadcast_offices=10,
    fanout_offices=3,
    offices=10,
    officials=20,
    updates=20,
    status_updates=5,
    taps=3,
    latency_taps=5,
    uploads=1,
    echo_taps=5,
    read_calls=20,
    tap_offices=(5,),
)


Measure = tuple[str, Callable[[], Awaitable[Figures]]]


class Bench:
    """Runs the groups' measures in turn, collecting figures, and a note for each failure."""

    def __init__(self, sizes: Sizes, pg_url: str | None, workdir: Path) -> None:
        self.sizes = sizes
        self.pg_url = pg_url
        self.workdir = workdir
        self.figures: Figures = []
        self.notes: list[str] = []

    def databases(self, name: str) -> list[tuple[str, str]]:
        out = [("SQLite", sqlite_url(self.workdir, name))]
        if self.pg_url:
            out.append(("PostgreSQL", self.pg_url))
        return out

    def documents(self) -> list[Measure]:
        z = self.sizes
        return [
            ("letters", lambda: documents.letter_figures(z.letter_rows, z.repeat)),
            ("Form DIK", lambda: documents.form_figures(z.form_rows, max(3, z.repeat - 2))),
        ]

    def deadlines(self) -> list[Measure]:
        z = self.sizes
        url = sqlite_url(self.workdir, "broadcast")
        sweeps: list[Measure] = [
            (
                f"sweep ({label})",
                partial(deadlines.sweep_figures, db, label, z.open_runs, z.owing_runs),
            )
            for label, db in self.databases("sweep")
        ]
        return [
            *sweeps,
            ("letter broadcast", partial(deadlines.letter_broadcast, url, z.broadcast_offices)),
            ("step-2 fan-out", partial(deadlines.approval_fanout, url, z.fanout_offices)),
        ]

    def throughput(self) -> list[Measure]:
        return [("throughput", self._throughput)]

    async def _throughput(self) -> Figures:
        z = self.sizes
        rates, floors = {}, {}
        for label, url in self.databases("throughput"):
            floors[label] = await throughput.read_floor(url, 200 if z.updates < 100 else 2000)
            rates[label] = await throughput.measure_app(
                url,
                offices=z.offices,
                officials=z.officials,
                updates=z.updates,
                status_updates=z.status_updates,
                taps=z.taps,
                latency_taps=z.latency_taps,
            )
        sizes = (z.officials, z.updates, z.status_updates, z.taps)
        echo = await throughput.measure_echo(*sizes, rate_limiter=False)
        limited = await throughput.measure_echo(*sizes, rate_limiter=True)
        return throughput.figures(rates, echo, limited, z.officials, floors)

    def reads(self) -> list[Measure]:
        z = self.sizes
        return [
            (
                "read paths",
                partial(
                    reads.read_figures,
                    self.databases("reads"),
                    offices=z.offices,
                    officials=z.officials,
                    updates=z.updates,
                    status_updates=z.status_updates,
                    n=z.read_calls,
                ),
            )
        ]

    def taps(self) -> list[Measure]:
        z = self.sizes
        fanouts = taps.sizes(z.tap_offices)
        return [
            (f"tap figures ({label})", partial(taps.tap_figures, url, label, z.echo_taps, fanouts))
            for label, url in self.databases("taps")
        ]

    def memory(self) -> list[Measure]:
        z = self.sizes
        return [
            (
                "peak RSS",
                partial(
                    memory.peak_rss,
                    offices=z.offices,
                    officials=z.officials,
                    form_rows=z.form_rows,
                    uploads=z.uploads,
                ),
            )
        ]

    async def run(self, groups: list[str]) -> None:
        for group in groups:
            measures: list[Measure] = getattr(self, group)()
            for name, measure in measures:
                print(f"… {group}: {name}", file=sys.stderr, flush=True)
                start = time.perf_counter()
                try:
                    self.figures += await measure()
                except Exception as exc:  # reported; the other measures still run
                    logging.getLogger(__name__).exception("%s: %s failed", group, name)
                    first = str(exc).splitlines()[0] if str(exc) else ""
                    self.notes.append(f"{group}: {name} failed ({type(exc).__name__}: {first})")
                    continue
                seconds = time.perf_counter() - start
                print(f"  {seconds:.0f} s", file=sys.stderr, flush=True)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    parser.add_argument("--only", action="append", choices=GROUPS, help="run only this group")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    info = machine()
    print(
        f"machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"PTB {info['python_telegram_bot']}, SQLite {info['sqlite']}; load average {_load()}"
    )
    pg_url = os.environ.get("DIK_BENCH_PG_URL", PG_URL)
    notes = []
    why = await reachable(pg_url)
    if why is not None:
        notes.append(
            f"PostgreSQL skipped: {pg_url} unreachable ({why}); create it with "
            "`createdb -h 127.0.0.1 -U postgres dik_bench`"
        )
        print(notes[-1])
        pg_url_used = None
    else:
        pg_url_used = pg_url
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="dik-bench-") as tmp:
        bench = Bench(sizes, pg_url_used, Path(tmp))
        await bench.run(args.only or list(GROUPS))
    seconds = (datetime.now(UTC) - started).total_seconds()
    notes += bench.notes
    load_after = os.getloadavg()
    if max(load_before[0], load_after[0]) > (info["nproc"] or 1):
        notes.append(
            f"the machine was busy (load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after, on {info['nproc']} CPUs): absolute times are inflated; "
            "ratios against baselines measured in the same run are more telling"
        )
    print()
    print(table(bench.figures))
    for note in notes:
        print(f"note: {note}")
    print(f"\n{len(bench.figures)} figures in {seconds:.0f} s; written to {args.json}")
    args.json.write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "seconds": round(seconds, 1),
                "machine": info,
                "load_average": {"before": load_before, "after": load_after},
                "sizes": asdict(sizes),
                "postgresql": pg_url_used,
                "figures": [f.as_json() for f in bench.figures],
                "notes": notes,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    warnings.simplefilter("ignore")
    sys.exit(asyncio.run(main()))
