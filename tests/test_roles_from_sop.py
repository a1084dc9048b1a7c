"""The chat's menus, /undang and /help follow the SOP's roles, not one SOP's role names."""

from __future__ import annotations

import itertools

from bot import texts
from bot.config import Settings
from bot.sop import Sop, load_folder
from bot.sop.model import Role
from handlers.menu import commands_for
from handlers.roles import RoleBook

#: The DIK SOP's menus as they were written by hand before they came from the SOP file.
DIK_MENUS = {
    "petugas": ("tugas", "status", "mulai", "dokumen", "register", "laporan", "arsip", "libur"),
    "kepala_dinas": ("tugas", "status", "dokumen", "register", "laporan", "arsip"),
    "admin": ("status", "undang", "opd", "register", "arsip", "admin", "health", "libur", "plh"),
    "tim_uk": ("pandangan", "tugaskan"),
}
DEFAULT = {"tugas", "dik", "batal", "help"}
DIK_NAMES = ("petugas", "kepala_dinas", "atasan_ppid", "ppid_pembantu", "tim_uk", "walikota")


def dik_book() -> RoleBook:
    return RoleBook.of_registry(
        load_folder(Settings.model_fields["sop_dir"].default, "usulan_dik")
    )


def other_book() -> RoleBook:
    """A SOP with roles of its own (only what the book reads is filled in)."""
    sop = Sop.model_construct(
        operator="staf",
        roles={
            "staf": Role(label="Staf Layanan"),
            "kepala": Role(label="Kepala Kantor", oversees=True, signs=True),
            "unit": Role(label="Unit Kerja", per_office=True),
            "panitia": Role(label="Panitia Penilai", has_lead=True, signs=True),
            "warga": Role(label="Pemohon"),
        },
    )
    return RoleBook.of([sop])


def test_the_dik_menus_are_the_ones_written_by_hand() -> None:
    book = dik_book()
    for role in book.known:
        got = {c.command for c in commands_for([role], book)}
        assert got == DEFAULT | set(DIK_MENUS.get(role, ())), role
    for a, b in itertools.combinations(book.known, 2):
        got = {c.command for c in commands_for([a, b], book)}
        assert got == DEFAULT | set(DIK_MENUS.get(a, ())) | set(DIK_MENUS.get(b, ()))
    assert {c.command for c in commands_for(())} == DEFAULT


def test_the_dik_invite_words_and_leads() -> None:
    book = dik_book()
    assert ", ".join(book.invite_words()) == (
        "petugas, kepala_dinas, atasan_ppid, ppid_pembantu, tim_uk, ketua_tim_uk, walikota, "
        "dprd, admin"
    )
    assert book.invited_role("KETUA_TIM_UK") == ("tim_uk", True)
    assert book.invited_role("ppid_pembantu") == ("ppid_pembantu", False)
    assert "ppid_pembantu" in book.per_office
    assert book.example_signer() == "kepala_dinas"


def test_another_sops_roles_get_the_same_places() -> None:
    book = other_book()
    assert book.capabilities(["staf"]) == {"operator"}
    assert book.capabilities(["kepala"]) == {"overseer"}
    assert book.capabilities(["panitia", "admin"]) == {"panel", "admin"}
    assert book.capabilities(["warga"]) == frozenset()
    assert book.invited_role("ketua_panitia") == ("panitia", True)
    assert book.invited_role("ketua_staf") == ("ketua_staf", False)  # no panel: no lead
    assert book.invite_words() == (
        "staf",
        "kepala",
        "unit",
        "panitia",
        "ketua_panitia",
        "warga",
        "admin",
    )
    menu = {c.command: c.description for c in commands_for(["staf", "panitia"], book)}
    assert {"mulai", "libur", "pandangan", "tugaskan"} <= set(menu)
    assert menu["tugaskan"] == "Ketua Panitia Penilai: tugaskan pencatat uji"
    assert "laporan" not in menu  # the operator does not oversee in this SOP


def test_help_and_usage_of_another_sop_name_none_of_the_dik_roles() -> None:
    book = other_book()
    for roles in (["staf"], ["kepala"], ["unit"], ["panitia"], ["admin"]):
        text = texts.render(
            "help",
            "help",
            name="Ana",
            can=book.capabilities(roles),
            invite_roles=", ".join(book.invite_words()),
        )
        assert not [n for n in DIK_NAMES if n in text], (roles, text)
    usage = texts.render("admin", "invite_usage", **book.examples())
    assert (
        "/undang unit DINKES" in usage and "/undang kepala Yohanes Lado | Kepala Kantor" in usage
    )
    assert "/undang ketua_panitia " in usage
    assert not [n for n in DIK_NAMES if n in usage]
    plh = texts.render("refusals", "plh_usage", role=book.example_signer())
    assert "/plh kepala " in plh
    help_staf = texts.render(
        "help", "help", name="Ana", can=book.capabilities(["staf"]), invite_roles=""
    )
    assert "/mulai" in help_staf and "/register" not in help_staf


def test_usage_without_examples_still_says_how() -> None:
    usage = texts.render("admin", "invite_usage")
    assert usage.startswith("Cara pakai: /undang PERAN") and "Contoh" not in usage
    assert "contoh" not in texts.render("refusals", "plh_usage")
