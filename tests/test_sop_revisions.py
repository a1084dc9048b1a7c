"""The engine runs a revised SOP file without a code change, and a cycle finishes on the
version it started with.

Each play goes through the real Application against the stand-in: the DIK SOP with an 11th
step appended (a report to the Komisi Informasi after publication), and with a Kepala Bidang's
paraf inserted after step 1 (which moves the consequence test from step 7 to step 8).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import inspect, update
from sqlalchemy.ext.asyncio import create_async_engine

from bot.clock import ManualClock
from bot.config import Settings
from bot.sop.registry import digest
from devtools.standin import BotApiStandin
from storage import cycles, documents, migrate, sops
from storage.models import Cycle
from tests.harness import Harness
from tests.scenario import CycleScenario

SHIPPED = Settings.model_fields["sop_dir"].default / "usulan_dik.yaml"
Raw = dict[str, Any]

REPORT_STEP: Raw = {
    "key": "laporan_komisi",
    "title": "Penyampaian DIK kepada Komisi Informasi",
    "kind": "delivery",
    "actor": "petugas",
    "limit_days": 2,
    "kelengkapan": "SK Walikota tentang DIK",
    "output_text": "DIK tersampaikan kepada Komisi Informasi",
    "escalate_to": "kepala_dinas",
    "notify": ["kepala_dinas"],
    "attach": {"deliver": ["sk_signed"]},
}

PARAF_STEP: Raw = {
    "key": "paraf_kabid",
    "title": "Paraf Kepala Bidang atas Nota Dinas",
    "kind": "approval",
    "drafter": "petugas",
    "actor": "kepala_bidang",
    "limit_days": 1,
    "kelengkapan": "Nota Dinas",
    "output_text": "Nota Dinas yang diparaf",
    "reject_to": "paraf_kabid",
    "escalate_to": "kepala_dinas",
    "notify": ["petugas"],
    "attach": {"draft": ["nota_dinas"], "review": ["nota_dinas"]},
}


def shipped() -> Raw:
    data: Raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return data


def sop_folder(tmp_path: Path, name: str, data: Raw) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / "usulan_dik.yaml").write_text(text, encoding="utf-8")
    return folder


def with_report_step(version: int = 1) -> Raw:
    data = copy.deepcopy(shipped())
    data["version"] = version
    data["steps"].append(copy.deepcopy(REPORT_STEP))
    return data


def with_paraf_step() -> Raw:
    data = copy.deepcopy(shipped())
    data["roles"]["kepala_bidang"] = "Kepala Bidang Pengelolaan Layanan Informasi Publik"
    data["steps"].insert(1, copy.deepcopy(PARAF_STEP))
    return data


@pytest.fixture
async def revised(
    request: pytest.FixtureRequest,
    settings: Settings,
    standin: BotApiStandin,
    clock: ManualClock,
    tmp_path: Path,
) -> Any:
    folder = sop_folder(tmp_path, "sop", request.param())
    async with Harness.running(
        settings.model_copy(update={"sop_dir": folder}), standin, clock
    ) as h:
        yield h


async def open_runs(h: Harness) -> list[Any]:
    async with h.workflow.db.read() as s:
        return await cycles.open_runs(s)


async def the_cycle(h: Harness) -> Any:
    async with h.workflow.db.read() as s:
        (cycle,) = await cycles.all_cycles(s)
        return cycle


@pytest.mark.parametrize("revised", [with_report_step], indirect=True)
async def test_an_eleventh_step_appended_runs_after_the_publication(revised: Harness) -> None:
    h = revised
    play = CycleScenario(h)
    await play.play()
    # The publication no longer ends the cycle: the 11th step is open, held by the petugas.
    cycle = await the_cycle(h)
    assert cycle.status == "open"
    assert cycle.published_url == "https://ppid.kupangkota.go.id/dik-2026"
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.phase, run.holder_role) == (
        "laporan_komisi",
        11,
        "deliver",
        "petugas",
    )
    task = next(m for m in reversed(play.p["petugas"].inbox) if m.buttons)
    assert "Langkah 11: Penyampaian DIK kepada Komisi Informasi" in play.p["petugas"].last.text
    assert "Penyampaian DIK kepada Komisi Informasi" in task.text
    assert task.document is not None and task.document.filename.endswith(".pdf")
    assert "Sampaikan SK Walikota tentang DIK" in task.text
    assert "Asda 1" not in task.text  # not the words of step 5's letter
    got = await play.p["petugas"].tap("📨 Sudah disampaikan")
    assert any("Tercatat sudah disampaikan" in m.text for m in got)
    cycle = await the_cycle(h)
    assert cycle.status == "finished" and cycle.current_step_key == "laporan_komisi"
    assert await open_runs(h) == []
    # The Kepala Dinas is told the step is done, by its title, not by a number from code.
    assert any(
        "langkah 11 (Penyampaian DIK kepada Komisi Informasi) selesai" in m.text
        for m in play.p["kadis"].inbox
    )


@pytest.mark.parametrize("revised", [with_paraf_step], indirect=True)
async def test_a_paraf_inserted_after_step_one_moves_every_later_step(revised: Harness) -> None:
    h = revised
    play = CycleScenario(h)
    await play.setup()
    play.p["kabid"] = await h.official(
        "kabid", 1004, "Yohanes Tefa", "kepala_bidang", jabatan="Kepala Bidang PLIP"
    )
    await play.step_1()
    # Step 2 is now the Kepala Bidang's paraf: drafted by the petugas, approved by the kabid.
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.holder_role) == ("paraf_kabid", 2, "petugas")
    await play.tap("petugas", "📤 Ajukan")
    review = play.p["kabid"].last
    assert "Langkah 2: Paraf Kepala Bidang atas Nota Dinas" in review.text
    await play.tap("kabid", "❌ Tolak")
    await play.say("kabid", "Perbaiki dasar hukum pada Nota Dinas.")
    (run,) = await open_runs(h)
    assert (run.step_key, run.attempt, run.holder_role) == ("paraf_kabid", 2, "petugas")
    await play.tap("petugas", "📤 Ajukan")
    await play.tap("kabid", "✅ Setujui")
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no) == ("surat_permintaan", 3)
    for step in (
        play.step_2,
        play.step_3,
        play.step_4,
        play.steps_5_6,
    ):
        await step()
    (run,) = await open_runs(h)
    assert (run.step_key, run.step_no, run.phase) == ("uji_konsekuensi", 8, "decide")
    # "Hadir" still answers at the test, now step 8 (it looked for step 7 before).
    got = await play.p["anggota"].tap("🙋 Hadir")
    assert "tidak berlaku" not in got[0].text
    for step in (play.step_7, play.step_8, play.step_9, play.step_10):
        await step()
    cycle = await the_cycle(h)
    assert cycle.status == "finished" and cycle.current_step == 11
    assert any("SK Walikota" in m.text for m in play.p["dprd"].inbox)


async def test_a_cycle_finishes_on_the_version_it_started_with(
    settings: Settings, standin: BotApiStandin, clock: ManualClock, tmp_path: Path
) -> None:
    """Version 2 of the SOP (an 11th step) is installed while a cycle of version 1 is at
    step 2: that cycle ends after its 10th step, and a new cycle runs all 11."""
    v1 = sop_folder(tmp_path, "v1", {**shipped(), "version": 1})
    v2 = sop_folder(tmp_path, "v2", with_report_step(version=2))
    async with Harness.running(settings.model_copy(update={"sop_dir": v1}), standin, clock) as h:
        play = CycleScenario(h)
        await play.setup()
        await play.step_1()
        keys = {k: (p.user_id, p.name) for k, p in play.p.items()}
    async with Harness.running(settings.model_copy(update={"sop_dir": v2}), standin, clock) as h:
        play = CycleScenario(h)
        play.p = {k: h.chat.person(uid, name) for k, (uid, name) in keys.items()}
        for step in (
            play.step_2,
            play.step_3,
            play.step_4,
            play.steps_5_6,
            play.step_7,
            play.step_8,
            play.step_9,
            play.step_10,
        ):
            await step()
        async with h.workflow.db.read() as s:
            (old,) = await cycles.all_cycles(s)
            assert (old.sop_version, old.status, old.current_step) == (1, "finished", 10)
        got = await play.p["petugas"].say("/mulai 2027")
        assert any("dimulai" in m.text for m in got)
        async with h.workflow.db.read() as s:
            new = (await cycles.all_cycles(s))[-1]
            assert new.sop_version == 2
            assert (await h.workflow.core.sop_of(s, new)).last_step == 11
            assert (await h.workflow.core.sop_of(s, old)).last_step == 10


async def test_a_changed_file_with_the_same_version_starts_no_cycle(
    settings: Settings, standin: BotApiStandin, clock: ManualClock, tmp_path: Path
) -> None:
    """Editing the SOP file without raising its version would change the meaning of the
    cycles started on it: the petugas is told, and nothing is started."""
    v1 = sop_folder(tmp_path, "v1", {**shipped(), "version": 1})
    edited = sop_folder(tmp_path, "edited", with_report_step(version=1))
    async with Harness.running(settings.model_copy(update={"sop_dir": v1}), standin, clock) as h:
        p = await h.seed_city()
        await p["petugas"].say("/mulai 2026")
        ids = {k: (q.user_id, q.name) for k, q in p.items()}
    async with Harness.running(
        settings.model_copy(update={"sop_dir": edited}), standin, clock
    ) as h:
        petugas = h.chat.person(*ids["petugas"])
        got = await petugas.say("/mulai 2027")
        assert any("versinya masih 1" in m.text for m in got), [m.text for m in got]
        async with h.workflow.db.read() as s:
            assert len(await cycles.all_cycles(s)) == 1


async def test_cycles_in_progress_are_given_step_keys_by_the_upgrade(
    settings: Settings, standin: BotApiStandin, clock: ManualClock
) -> None:
    """A database of the release before step keys (revision 0003), with a cycle standing at
    step 3, is upgraded; the cycle then plays on to its end."""
    async with Harness.running(settings, standin, clock) as h:
        play = CycleScenario(h)
        await play.setup()
        await play.step_1()
        await play.step_2()
        ids = {k: (p.user_id, p.name) for k, p in play.p.items()}
    await migrate.downgrade(settings.database_url, "0003")
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("step_runs")}
            )
            assert "step_key" not in columns and "step_no" in columns
    finally:
        await engine.dispose()
    await migrate.upgrade(settings.database_url)
    async with Harness.running(settings, standin, clock) as h:
        async with h.workflow.db.read() as s:
            (cycle,) = await cycles.all_cycles(s)
            runs = await cycles.runs_of(s, cycle.id)
        assert (cycle.current_step, cycle.current_step_key, cycle.sop_version) == (
            3,
            "usulan_opd",
            1,
        )
        assert {(r.step_no, r.step_key) for r in runs} == {
            (1, "nota_dinas"),
            (2, "surat_permintaan"),
            (3, "usulan_opd"),
        }
        play = CycleScenario(h)
        play.p = {k: h.chat.person(uid, name) for k, (uid, name) in ids.items()}
        for step in (
            play.step_3,
            play.step_4,
            play.steps_5_6,
            play.step_7,
            play.step_8,
            play.step_9,
            play.step_10,
        ):
            await step()
        cycle = await the_cycle(h)
        assert (cycle.status, cycle.current_step_key) == ("finished", "publikasi")


async def test_a_cycle_stored_on_the_text_before_documents_were_declared_plays_on(
    settings: Settings, standin: BotApiStandin, clock: ManualClock, tmp_path: Path
) -> None:
    """A database of the release before `documents:` stored version 1's text when its cycle
    started. The bot now ships version 2 (with the declarations) and no archived copy: the
    cycle reads its stored text, takes the document declarations of the file in force, and
    plays on to its end with the same letters."""
    archived = (SHIPPED.parent / "versions" / "usulan_dik.v1.yaml").read_text(encoding="utf-8")
    assert "documents:" not in archived
    only_v2 = sop_folder(tmp_path, "v2", shipped())
    assert not (only_v2 / "versions").exists()
    here = settings.model_copy(update={"sop_dir": only_v2})
    async with Harness.running(here, standin, clock) as h:
        play = CycleScenario(h)
        await play.setup()
        await play.step_1()
        ids = {k: (p.user_id, p.name) for k, p in play.p.items()}
        async with h.workflow.db.transaction() as s:
            (cycle,) = await cycles.all_cycles(s)
            assert cycle.sop_version == 2
            # What the earlier release did at /mulai: the cycle on version 1, its text stored.
            await s.execute(update(Cycle).where(Cycle.id == cycle.id).values(sop_version=1))
            await sops.add_snapshot(
                s,
                sop_key="usulan_dik",
                version=1,
                content=archived,
                sha256=digest(archived),
                now=clock.now(),
            )
    async with Harness.running(here, standin, clock) as h:
        play = CycleScenario(h)
        play.p = {k: h.chat.person(uid, name) for k, (uid, name) in ids.items()}
        for step in (
            play.step_2,
            play.step_3,
            play.step_4,
            play.steps_5_6,
            play.step_7,
            play.step_8,
            play.step_9,
            play.step_10,
        ):
            await step()
        cycle = await the_cycle(h)
        assert (cycle.status, cycle.sop_version, cycle.current_step_key) == (
            "finished",
            1,
            "publikasi",
        )
        async with h.workflow.db.read() as s:
            numbered = [d for d in await documents.all_documents(s, cycle.id) if d.letter_number]
        assert {d.kind for d in numbered} >= {"nota_dinas", "surat_permintaan", "surat_undangan"}
