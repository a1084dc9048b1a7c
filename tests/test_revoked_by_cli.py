"""Access is read afresh in every act: an official deactivated by the CLI (another process) is
refused at their next tap and their next /tugas, even right after the bot answered them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage import models as m
from tests.cli import run_cli
from tests.harness import Harness


async def test_a_role_taken_by_the_cli_is_refused_at_the_next_tap(
    harness: Harness, db_url: str, tmp_path: Path
) -> None:
    h = harness
    p = await h.seed_city()
    await p["petugas"].say("/mulai 2026")
    await p["petugas"].tap("📤 Ajukan")
    seen = await p["kadis"].say("/tugas")  # the bot has just read their roles
    assert "Nota Dinas" in seen[-1].text
    async with h.workflow.db.read() as s:
        kadis = await s.scalar(select(m.Official.id).where(m.Official.telegram_user_id == 1002))
    code, _out, err = await run_cli(tmp_path, db_url, "official", "deactivate", str(kadis))
    assert code == 0, err
    got = await p["kadis"].tap("✅ Setujui")
    assert "dinonaktifkan" in got[-1].text
    answers = list(h.standin.callback_answers.values())
    assert "dinonaktifkan" in str(answers[-1].get("text"))  # the tap's own answer says so too
    async with h.workflow.db.read() as s:
        steps = list(await s.scalars(select(m.Cycle.current_step)))
        assert steps == [1]  # nothing was approved: the cycle still stands at its first step
    assert "dinonaktifkan" in (await p["kadis"].say("/tugas"))[-1].text
