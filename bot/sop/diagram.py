"""A Mermaid flowchart of a SOP, generated from its file: `python -m bot.sop.diagram [KEY]`.

Each step is a box with its number, title, holder and limit; inside it, its phases in order
(from the kinds table) with the role holding each; solid arrows go to the next step, dashed
ones back to where a rejection returns. The output is what `docs/sop/<key>.mmd` holds (a test
keeps the two equal), so the flow can be read without the code.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.sop.kinds import holder_of, phases_of
from bot.sop.model import Sop
from bot.sop.registry import load_folder


def _label(text: str) -> str:
    return text.replace('"', "'")


def mermaid(sop: Sop) -> str:
    """The flowchart of `sop` as Mermaid text (deterministic: same file, same text)."""
    lines = [
        "%% Generated from the SOP file by `python -m bot.sop.diagram`: do not edit by hand.",
        f"%% {sop.key} v{sop.version}: {sop.title}",
        "flowchart TD",
        '    start(["Mulai siklus<br/>' + _label(sop.role_label(sop.operator)) + '"])',
    ]
    for step in sop.steps:
        lines.append(
            f'    subgraph {step.key}["{step.id}. {_label(step.title)}'
            f'<br/>batas {step.limit_days} hari kerja"]'
        )
        lines.append("        direction LR")
        phases = phases_of(step)
        for phase in phases:
            role = _label(sop.role_label(holder_of(step, phase)))
            lines.append(f'        {step.key}__{phase.name}["{phase.name}<br/>{role}"]')
        for a, b in itertools.pairwise(phases):
            lines.append(f"        {step.key}__{a.name} --> {step.key}__{b.name}")
        lines.append("    end")
    lines.append(f"    start --> {sop.first.key}")
    for step in sop.steps:
        following = sop.after(step)
        if following is not None:
            lines.append(f"    {step.key} --> {following.key}")
        if step.reject_to is not None:
            lines.append(f"    {step.key} -. Tolak .-> {step.reject_to}")
    lines.append('    finish(["Siklus selesai"])')
    lines.append(f"    {sop.steps[-1].key} --> finish")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    from bot.config import load_settings

    p = argparse.ArgumentParser(prog="python -m bot.sop.diagram", description=__doc__)
    p.add_argument("key", nargs="?", help="the SOP's key (default: every SOP of the folder)")
    p.add_argument("--out", type=Path, help="a folder to write <key>.mmd into (else stdout)")
    args = p.parse_args(argv)
    registry = load_folder(load_settings().sop_dir)
    keys = [args.key] if args.key else registry.keys
    for key in keys:
        if key not in registry.keys:
            print(f"no SOP {key!r}; known: {', '.join(registry.keys)}", file=sys.stderr)
            return 2
        text = mermaid(registry.current(key))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{key}.mmd").write_text(text, encoding="utf-8")
            print(args.out / f"{key}.mmd")
        else:
            sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
