"""A row's Pasal 17 grounds as stored: "b,h4" (huruf, and angka where the ground has one)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.pasal17 import Basis


def encode_bases(bases: Sequence[Basis]) -> str:
    return ",".join(f"{b.huruf}{b.angka or ''}" for b in bases)


def decode_bases(text: str) -> tuple[Basis, ...]:
    out = []
    for part in filter(None, text.split(",")):
        out.append(Basis(part[0], int(part[1:]) if part[1:] else None))
    return tuple(out)
