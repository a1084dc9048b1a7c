"""Reproducible installs: requirements.lock pins the runtime, requirements-dev.lock the same
runtime plus the test tools, each pin within pyproject.toml's ranges (kept as floors for those
who embed the package). A dependency added to pyproject without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def pins(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        m = PIN.match(line)
        if m:
            out[canonicalize_name(m.group(1))] = m.group(2)
    return out


def project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        "runtime": [Requirement(r) for r in data["dependencies"]],
        "dev": [Requirement(r) for r in data["optional-dependencies"]["dev"]],
    }


def test_every_dependency_is_pinned_within_its_range() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    wanted = project()
    for req in wanted["runtime"]:
        name = canonicalize_name(req.name)
        assert name in runtime, f"{req.name} is not in requirements.lock: run make lock"
        assert req.specifier.contains(runtime[name]), (req, runtime[name])
        assert req.specifier and all(s.operator != "==" for s in req.specifier)  # a range
    for req in wanted["dev"]:
        name = canonicalize_name(req.name)
        assert name in dev, f"{req.name} is not in requirements-dev.lock: run make lock"
        assert req.specifier.contains(dev[name]), (req, dev[name])
        assert name not in runtime  # production installs no test tools


def test_the_dev_lock_holds_the_runtime_lock_unchanged() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert runtime and {k: dev.get(k) for k in runtime} == runtime
