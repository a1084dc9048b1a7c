"""Every SOP the bot runs: the files of a folder, and the stored versions cycles started on.

The folder holds one YAML file per SOP (its key, title, version, roles, documents and steps).
Each file is validated when the bot starts, with errors naming the file, the step and the
field. A cycle records the key and version of the SOP it started with and runs to its end on
that version: when a cycle starts, the text of its version is stored in the database (see
`storage.sops`), and a later revision of the file, with a higher version, is used only by new
cycles. A file changed without raising its version is refused, since the cycles already started
on that version would silently change meaning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from bot.sop.kinds import StepKind
from bot.sop.model import Sop, SopError, load_sop, parse_sop


@dataclass(frozen=True, slots=True)
class SopFile:
    path: Path
    sop: Sop
    text: str

    @property
    def sha256(self) -> str:
        return digest(self.text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SopRegistry:
    """The SOP files in force, by key, and every older version read back from storage."""

    def __init__(
        self, files: list[SopFile], default: str | None = None, folder: Path | None = None
    ) -> None:
        self.folder = folder
        if not files:
            raise SopError("no SOP file found")
        self._files = {f.sop.key: f for f in files}
        self._versions: dict[tuple[str, int], Sop] = {
            (f.sop.key, f.sop.version): f.sop for f in files
        }
        self.default_key = default or files[0].sop.key
        if self.default_key not in self._files:
            raise SopError(f"the default SOP {self.default_key!r} is not among the SOP files")

    @property
    def keys(self) -> list[str]:
        return list(self._files)

    def file(self, key: str) -> SopFile:
        return self._files[key]

    def current(self, key: str | None = None) -> Sop:
        """The version new cycles of `key` (or of the default SOP) start on."""
        return self._files[key or self.default_key].sop

    def cached(self, key: str, version: int) -> Sop | None:
        return self._versions.get((key, version))

    def archived(self, key: str, version: int) -> str | None:
        """An earlier version kept beside the files (`versions/<key>.v<version>.yaml`): the
        text of a version that cycles ran on before versions were stored in the database."""
        if self.folder is None:
            return None
        path = self.folder / "versions" / f"{key}.v{version}.yaml"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def remember(self, key: str, version: int, text: str) -> Sop:
        """A stored version read back from the database (validated like a file).

        A version stored before SOP files declared their documents (no `documents:`) takes the
        declarations of the file in force for the same key: until then those declarations were
        the engine's own tables, so the cycle's letters stay what they were."""
        current = self._files.get(key)
        if current is not None:
            text = carry_forward(text, current.text)
        sop = parse_sop(text, f"{key} versi {version} (tersimpan)")
        if (sop.key, sop.version) != (key, version):
            raise SopError(f"stored SOP {key} v{version} says it is {sop.key} v{sop.version}")
        self._versions[(key, version)] = sop
        return sop


def carry_forward(stored: str, current: str) -> str:
    """The stored text, completed from the file in force when it predates `documents:`.

    What is added is how the bot makes each document (the `documents:` section), the cycle
    title pattern, and the public page of a publish step (by step key): the fields the engine
    read from its own code before they were data. Steps, roles and limits stay as stored."""
    old = yaml.safe_load(stored)
    if not isinstance(old, dict) or "documents" in old:
        return stored
    new = yaml.safe_load(current)
    if not isinstance(new, dict):
        return stored
    old["documents"] = new.get("documents", {})
    if "cycle_title" in new and "cycle_title" not in old:
        old["cycle_title"] = new["cycle_title"]
    pages = {
        st.get("key"): st["page"]
        for st in new.get("steps", [])
        if isinstance(st, dict) and "page" in st
    }
    for st in old.get("steps", []):
        if isinstance(st, dict) and st.get("key") in pages and "page" not in st:
            st["page"] = pages[st["key"]]
    return yaml.safe_dump(old, allow_unicode=True, sort_keys=False)


def load_folder(folder: Path, default: str | None = None) -> SopRegistry:
    """Every `*.yaml` file of `folder`, validated; two files with one key are an error."""
    if not folder.is_dir():
        raise SopError(f"SOP folder {folder} does not exist")
    files: list[SopFile] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        sop = load_sop(path)
        if sop.key in seen:
            raise SopError(f"SOP file {path}: key {sop.key!r} is already used by {seen[sop.key]}")
        seen[sop.key] = path
        files.append(SopFile(path, sop, path.read_text(encoding="utf-8")))
    if not files:
        raise SopError(f"SOP folder {folder} holds no *.yaml file")
    # The default SOP first: the one /mulai starts when the petugas does not choose.
    ordered = sorted(files, key=lambda f: f.sop.key != default)
    return SopRegistry(ordered, default if default in seen else None, folder)


class Makers(Protocol):
    """What the bot can make: the makers registered by name and the DOCX templates."""

    def maker(self, name: str) -> bool: ...

    def office_maker(self, name: str) -> bool: ...

    def template(self, name: str) -> bool: ...

    def page(self, name: str) -> bool: ...


def check_documents(registry: SopRegistry, makers: Makers) -> None:
    """Every document kind a SOP file's steps name is declared in its `documents:`, and every
    declaration names a maker (and a template) the bot has."""
    for key in registry.keys:
        f = registry.file(key)
        for doc in f.sop.documents.values():
            where = f"SOP file {f.path}: document {doc.kind}"
            if not makers.maker(doc.maker):
                raise SopError(f"{where}, field maker: no maker {doc.maker!r} is registered")
            if doc.per_office and not makers.office_maker(doc.maker):
                raise SopError(
                    f"{where}, field per_office: maker {doc.maker!r} makes no per-office form"
                )
            if doc.template is not None and not makers.template(doc.template):
                raise SopError(f"{where}, field template: no template {doc.template!r}")
        for step in f.sop.steps:
            if step.page is not None and not makers.page(step.page):
                raise SopError(
                    f"SOP file {f.path}: step {step.key}, field page: no page {step.page!r}"
                )
            named = [(f"attach.{p}", k) for p, kinds in step.attach.items() for k in kinds]
            named += [("outputs", k) for k in step.outputs] + [
                ("revisable", k) for k in step.revisable
            ]
            named += [("form", step.form)] if step.form else []
            for field, kind in named:
                if kind not in f.sop.documents:
                    raise SopError(
                        f"SOP file {f.path}: step {step.key}, field {field}: "
                        f"unknown document kind {kind!r} (not in documents:)"
                    )
            if step.kind is StepKind.COLLECT and step.form:
                if not f.sop.documents[step.form].per_office:
                    raise SopError(
                        f"SOP file {f.path}: step {step.key}, field form: document "
                        f"{step.form!r} is not declared per_office"
                    )


def load_checked(folder: Path, default: str | None, makers: Makers) -> SopRegistry:
    registry = load_folder(folder, default)
    check_documents(registry, makers)
    return registry
