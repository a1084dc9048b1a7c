"""Plain-language glosses of the Pasal 17 grounds for the public page, read from a data file
(`pasal17_arti.yaml` beside this module), checked against the grounds of bot/pasal17.py."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.pasal17 import KEYS

GLOSS_FILE = Path(__file__).resolve().parent / "pasal17_arti.yaml"


@dataclass(frozen=True, slots=True)
class Gloss:
    huruf: str
    judul: str
    arti: str


def parse_glosses(text: str) -> dict[str, Gloss]:
    """Every huruf a–j with a non-empty judul and arti, or ValueError naming what is wrong."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("expected one entry per huruf of Pasal 17")
    keys = [str(k) for k in data]
    if sorted(keys) != sorted(KEYS):
        raise ValueError(f"expected the huruf {', '.join(KEYS)}; got {', '.join(keys)}")
    out: dict[str, Gloss] = {}
    for huruf in KEYS:
        entry = data[huruf]
        if not isinstance(entry, dict):
            raise ValueError(f"huruf {huruf}: expected judul and arti")
        judul, arti = (" ".join(str(entry.get(k) or "").split()) for k in ("judul", "arti"))
        if not judul or not arti:
            raise ValueError(f"huruf {huruf}: judul and arti must not be empty")
        out[huruf] = Gloss(huruf, judul, arti)
    return out


@cache
def glosses() -> dict[str, Gloss]:
    return parse_glosses(GLOSS_FILE.read_text(encoding="utf-8"))
