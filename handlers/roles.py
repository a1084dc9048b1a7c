"""What the chat commands need from the SOPs' roles, read from the SOP files, never named.

A role's place in the menus and in /undang follows from what the SOP declares of it: the
operator runs the cycles (/mulai), a role that `oversees` follows every cycle (/status, the
registers and the archive, the monthly report), a role with a lead (`has_lead`, a panel) has
its members' commands and a lead invited as `ketua_<role>`, a `per_office` role is invited for
an OPD, and a role that `signs` is invited with its jabatan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.sop import Sop, SopRegistry
from bot.sop.model import BUILTIN_ROLES

#: The word that, before a panel's key, invites its lead (`ketua_<role>`).
LEAD_PREFIX = "ketua_"
ADMIN = BUILTIN_ROLES[0]


@dataclass(frozen=True, slots=True)
class RoleBook:
    """The roles of every SOP in force, grouped by what they may do in chat."""

    known: tuple[str, ...]  # in file order, the built-in admin among them
    operators: frozenset[str]
    overseers: frozenset[str]
    panels: tuple[str, ...]
    per_office: frozenset[str]
    signers: tuple[str, ...]  # in file order
    labels: dict[str, str]

    @classmethod
    def of(cls, sops: Iterable[Sop]) -> RoleBook:
        known: dict[str, None] = {}
        labels: dict[str, str] = {}
        operators: set[str] = set()
        overseers: set[str] = set()
        panels: dict[str, None] = {}
        per_office: set[str] = set()
        signers: dict[str, None] = {}
        for sop in sops:
            operators.add(sop.operator)
            for key, role in sop.roles.items():
                known[key] = None
                labels.setdefault(key, role.label)
                if role.oversees:
                    overseers.add(key)
                if role.has_lead:
                    panels[key] = None
                if role.per_office:
                    per_office.add(key)
                if role.signs:
                    signers[key] = None
        for builtin in BUILTIN_ROLES:
            known.setdefault(builtin, None)
        return cls(
            known=tuple(known),
            operators=frozenset(operators),
            overseers=frozenset(overseers),
            panels=tuple(panels),
            per_office=frozenset(per_office),
            signers=tuple(signers),
            labels=labels,
        )

    @classmethod
    def of_registry(cls, registry: SopRegistry) -> RoleBook:
        return cls.of(registry.current(key) for key in registry.keys)

    def capabilities(self, roles: Iterable[str]) -> frozenset[str]:
        """What a person holding `roles` may do: operator, overseer, panel, per_office, admin."""
        held = set(roles)
        found = set()
        if held & self.operators:
            found.add("operator")
        if held & self.overseers:
            found.add("overseer")
        if held & set(self.panels):
            found.add("panel")
        if held & self.per_office:
            found.add("per_office")
        if ADMIN in held:
            found.add("admin")
        return frozenset(found)

    def invite_words(self) -> tuple[str, ...]:
        """The words /undang takes for PERAN: every role, each panel's lead after it."""
        words: list[str] = []
        for role in self.known:
            words.append(role)
            if role in self.panels:
                words.append(LEAD_PREFIX + role)
        return tuple(words)

    def invited_role(self, word: str) -> tuple[str, bool]:
        """/undang's PERAN as (role, is_lead): `ketua_<panel>` is the panel's lead."""
        word = word.lower()
        base = word.removeprefix(LEAD_PREFIX)
        if word != base and base in self.panels:
            return base, True
        return word, False

    def example_signer(self) -> str | None:
        """A role for the texts' examples: the first that signs and does not run the cycles."""
        return next((r for r in self.signers if r not in self.operators), None)

    def examples(self) -> dict[str, str | None]:
        """The role keys the usage texts show in their examples (None: the SOPs have none)."""
        office = next((r for r in self.known if r in self.per_office), None)
        signer = self.example_signer()
        panel = self.panels[0] if self.panels else None
        return {
            "office_role": office,
            "signer": signer,
            "signer_label": self.labels.get(signer or "", ""),
            "lead": LEAD_PREFIX + panel if panel else None,
        }
