"""The Mermaid diagram beside each SOP file is the one its file generates."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.sop import load_folder
from bot.sop.diagram import main, mermaid

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sop"


def test_each_sop_has_its_current_diagram() -> None:
    registry = load_folder(Settings.model_fields["sop_dir"].default)
    for key in registry.keys:
        committed = (DOCS / f"{key}.mmd").read_text(encoding="utf-8")
        assert committed == mermaid(registry.current(key)), (
            f"docs/sop/{key}.mmd is stale: run `make diagrams`"
        )


def test_the_diagram_shows_every_step_phase_holder_and_rejection() -> None:
    sop = load_folder(Settings.model_fields["sop_dir"].default).current("usulan_dik")
    text = mermaid(sop)
    for step in sop.steps:
        assert f'subgraph {step.key}["{step.id}. ' in text
    assert "uji_konsekuensi__sign_lembar" in text and "disposisi_uji__invite" in text
    assert "disposisi_uji -. Tolak .-> penyampaian_usulan" in text
    assert "publikasi --> finish" in text


def test_the_command_writes_one_file_per_sop(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "usulan_dik.mmd").is_file()
    assert main(["no_such_sop"]) == 2
