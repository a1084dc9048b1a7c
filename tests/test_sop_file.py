"""The SOP file: the shipped one loads; a broken copy is refused with the step and the field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import load_checked_sops
from bot.config import Settings, load_settings
from bot.sop import SopError, StepKind, load_sop
from bot.workflow.paperwork import Paperwork

SHIPPED = Settings.model_fields["sop_dir"].default / "usulan_dik.yaml"
Raw = dict[str, Any]


@pytest.fixture(scope="module")
def raw() -> Raw:
    return yaml.safe_load(Path(SHIPPED).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Raw) -> Path:
    path = tmp_path / "sop.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def step(data: Raw, number: int) -> dict[str, Any]:
    """The step at position `number` of the file (steps are numbered by their order)."""
    found: dict[str, Any] = data["steps"][number - 1]
    return found


def test_the_shipped_sop_loads() -> None:
    sop = load_sop(Path(SHIPPED))
    assert sop.key == "usulan_dik"
    assert sop.sop_number == "31.f/Kominfo/066/II/2022"
    assert [s.id for s in sop.steps] == list(range(1, 11))
    assert sop.last_step == 10
    # The SOP's Mutu Baku "Waktu" column, in working days.
    assert [s.limit_days for s in sop.steps] == [1, 1, 5, 3, 3, 1, 3, 1, 1, 1]
    assert [s.kind for s in sop.steps] == [
        StepKind.APPROVAL,
        StepKind.APPROVAL,
        StepKind.COLLECT,
        StepKind.APPROVAL,
        StepKind.DELIVERY,
        StepKind.DISPOSITION,
        StepKind.TEST,
        StepKind.DISPOSITION,
        StepKind.SIGN,
        StepKind.PUBLISH,
    ]
    assert [s.actor for s in sop.steps] == [
        "kepala_dinas",
        "kepala_dinas",
        "ppid_pembantu",
        "kepala_dinas",
        "petugas",
        "atasan_ppid",
        "tim_uk",
        "atasan_ppid",
        "walikota",
        "petugas",
    ]
    keys = [s.key for s in sop.steps]
    for s in sop.steps:
        if s.reject_to is not None:
            assert s.reject_to in keys[: s.id]
    assert sop.step(3).closer == "petugas"
    assert sop.step(9).uploader == "petugas"
    assert set(sop.step(10).distribute_to) == {"ppid_pembantu", "dprd"}


def test_the_shipped_sop_names_only_known_documents() -> None:
    settings = load_settings(_env_file=None)
    sops = load_checked_sops(settings, Paperwork(settings))
    assert sops.keys == ["usulan_dik", "dip"]  # issue 16 ships the second SOP
    assert sops.current().last_step == 10


def _unknown_actor(d: Raw) -> None:
    step(d, 4)["actor"] = "bupati"


def _reject_forward(d: Raw) -> None:
    step(d, 6)["reject_to"] = "rancangan_sk"


def _no_drafter(d: Raw) -> None:
    del step(d, 2)["drafter"]


def _zero_days(d: Raw) -> None:
    step(d, 5)["limit_days"] = 0


def _duplicate_key(d: Raw) -> None:
    step(d, 4)["key"] = "usulan_opd"


def _numbered_by_hand(d: Raw) -> None:
    step(d, 2)["id"] = 2


def _foreign_phase(d: Raw) -> None:
    step(d, 7)["attach"] = {"decide": ["draft_dik"], "upload": ["ketetapan"]}


def _unknown_notify(d: Raw) -> None:
    step(d, 8)["notify"] = ["petugas", "gubernur"]


def _collect_by_petugas(d: Raw) -> None:
    step(d, 3)["actor"] = "petugas"


def _no_uploader(d: Raw) -> None:
    del step(d, 9)["uploader"]


def _unknown_field(d: Raw) -> None:
    step(d, 1)["waktu"] = 1


BROKEN: list[tuple[str, Callable[[Raw], None], str, str, str]] = [
    # (id, break it, step it must name, field it must name, word of the reason)
    ("unknown role in step 4 actor", _unknown_actor, "step surat_pengantar", "actor", "bupati"),
    (
        "reject_to pointing forward",
        _reject_forward,
        "step disposisi_uji",
        "reject_to",
        "rancangan",
    ),
    ("approval step without drafter", _no_drafter, "step surat_permintaan", "drafter", "required"),
    ("limit_days 0", _zero_days, "step penyampaian_usulan", "limit_days", "1"),
    ("two steps with one key", _duplicate_key, "step keys", "unique", "usulan_opd"),
    ("a step numbered by hand", _numbered_by_hand, "step surat_permintaan", "id", "order"),
    (
        "attach names a phase the kind lacks",
        _foreign_phase,
        "step uji_konsekuensi",
        "attach",
        "upload",
    ),
    ("unknown role in notify", _unknown_notify, "step rancangan_sk", "notify", "gubernur"),
    (
        "collect step by a role without offices",
        _collect_by_petugas,
        "step usulan_opd",
        "actor",
        "per_office",
    ),
    (
        "sign step without uploader",
        _no_uploader,
        "step penandatanganan_sk",
        "uploader",
        "required",
    ),
    ("unknown field", _unknown_field, "step nota_dinas", "waktu", "not permitted"),
]


@pytest.mark.parametrize(
    ("breaker", "where", "field", "why"),
    [pytest.param(*case[1:], id=case[0]) for case in BROKEN],
)
def test_a_broken_sop_names_the_step_and_the_field(
    raw: Raw,
    tmp_path: Path,
    breaker: Callable[[Raw], None],
    where: str,
    field: str,
    why: str,
) -> None:
    data = copy.deepcopy(raw)
    breaker(data)
    path = write(tmp_path, data)
    with pytest.raises(SopError) as caught:
        load_sop(path)
    message = str(caught.value)
    assert str(path) in message
    assert where in message, message
    assert field in message, message
    assert why in message, message
    assert "\n" not in message


def test_steps_are_numbered_by_their_order(raw: Raw, tmp_path: Path) -> None:
    """Moving a step in the file renumbers the steps; the keys (what the engine uses) stay."""
    data = copy.deepcopy(raw)
    data["steps"][0], data["steps"][1] = data["steps"][1], data["steps"][0]
    step(data, 1)["reject_to"] = step(data, 1)["key"]
    step(data, 2)["reject_to"] = step(data, 2)["key"]
    sop = load_sop(write(tmp_path, data))
    assert [s.key for s in sop.steps[:2]] == ["surat_permintaan", "nota_dinas"]
    assert sop.by_key("nota_dinas").id == 2
    assert sop.after(sop.by_key("nota_dinas")) == sop.by_key("usulan_opd")


def test_an_unreadable_sop_file_is_a_sop_error(tmp_path: Path) -> None:
    with pytest.raises(SopError, match="cannot be read"):
        load_sop(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps: [\n", encoding="utf-8")
    with pytest.raises(SopError, match="cannot be read"):
        load_sop(bad)


def test_load_checked_sops_refuses_an_unknown_document_kind(raw: Raw, tmp_path: Path) -> None:
    data = copy.deepcopy(raw)
    step(data, 4)["attach"]["review"] = ["usulan_compiled", "surat_sakti"]
    path = write(tmp_path, data)
    load_sop(path)  # the schema alone does not know the document kinds
    settings = load_settings(_env_file=None, sop_dir=tmp_path)
    with pytest.raises(SopError) as caught:
        load_checked_sops(settings, Paperwork(settings))
    message = str(caught.value)
    assert str(path) in message
    assert "step surat_pengantar" in message and "attach.review" in message
    assert "surat_sakti" in message


def test_a_step_that_is_not_a_mapping_is_a_sop_error(raw: Raw, tmp_path: Path) -> None:
    """A stray scalar in the step list (say, a lost indentation) is reported, not a crash."""
    data = copy.deepcopy(raw)
    data["steps"][4] = "Penyampaian usulan kepada Asda 1"
    with pytest.raises(SopError) as caught:
        load_sop(write(tmp_path, data))
    assert "step 5" in str(caught.value)  # a step without a key is named by its number
