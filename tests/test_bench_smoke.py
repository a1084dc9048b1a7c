"""`make bench` works: every group runs at tiny sizes and produces its figures.

Only that figures were produced is checked, never their values: performance is measured and
printed by `make bench`, not asserted in tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.config import Settings
from devtools.bench import __main__ as bench_main
from devtools.bench.__main__ import GROUPS, Bench, Sizes
from devtools.bench.common import Figure, table
from tests.conftest import PG_ENV, reset_postgres

TINY = Sizes(
    letter_rows=5,
    form_rows=10,
    repeat=1,
    open_runs=40,
    owing_runs=4,
    broadcast_offices=3,
    fanout_offices=2,
    offices=3,
    officials=12,
    updates=6,
    status_updates=2,
    taps=2,
    latency_taps=2,
    uploads=1,
    echo_taps=2,
    read_calls=10,
    tap_offices=(2,),
)


@pytest.fixture
async def pg_url() -> str | None:
    """The test PostgreSQL database when the suite runs on it (never the bench's own)."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    url = Settings._async_driver(url)  # type: ignore[operator]
    await reset_postgres(url)
    return url


@pytest.mark.parametrize("group", GROUPS)
async def test_each_group_produces_its_figures(
    group: str, tmp_path: Path, pg_url: str | None
) -> None:
    bench = Bench(TINY, pg_url, tmp_path)
    await bench.run([group])
    assert bench.notes == []
    assert bench.figures, f"{group} produced no figures"
    assert {f.group for f in bench.figures} == {group}
    assert all(f.value is not None for f in bench.figures)
    text = table(bench.figures)
    assert all(f.name in text for f in bench.figures)
    json.dumps([f.as_json() for f in bench.figures])


def test_table_shows_targets_and_ratios() -> None:
    figures = [
        Figure("g", "render", 30.0, "ms", baseline=10.0, limit=3, on="ratio"),
        Figure("g", "sweep", 2.0, "s", limit=1.0, note="why"),
        Figure("g", "rate", 20.0, "upd/s", baseline=50.0, limit=0.5, on="ratio", at_most=False),
    ]
    text = table(figures)
    assert "3.00×" in text and "≤ 3×" in text and "≥ 0.5×" in text and "(1) why" in text
    assert [f.met for f in figures] == [True, False, False]


async def test_main_writes_the_json_and_notes_a_missing_postgres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIK_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/none")
    monkeypatch.setattr(bench_main, "QUICK", TINY)
    out = tmp_path / "bench-results.json"
    assert await bench_main.main(["--quick", "--only", "documents", "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["figures"] and data["machine"]["nproc"]
    assert data["postgresql"] is None
    assert any("PostgreSQL skipped" in note for note in data["notes"])
    printed = capsys.readouterr().out
    assert "render nota_dinas" in printed and "PostgreSQL skipped" in printed
