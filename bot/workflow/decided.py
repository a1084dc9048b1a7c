"""Each item as the Tim Uji Konsekuensi decided it: the one reading of an item that every output
from the Ketetapan on uses (the Lembar, the Ketetapan, the SK lampiran, the public DIK, `/dik`,
the expiry reminders, and the next cycle's "DIK in force").

Where the Tim recorded its own reading (the guided test, the analysis sheet), its grounds, other
law, konsekuensi and jangka waktu stand; where it decided on the proposal as it stands ("sesuai
usulan"), the proposal's text is what it decided. Before a decision, the item reads as proposed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pasal17 import Basis, format_basis
from bot.workflow.bases import decode_bases
from storage import proposals
from storage.dto import DecisionDTO, RowDTO

EXEMPTED = ("dikecualikan", "sebagian")


@dataclass(frozen=True, slots=True)
class DecidedItem:
    """One proposed row with what the Tim decided on it (or the proposal, while undecided)."""

    row: RowDTO
    office_id: int
    office: str
    decision: DecisionDTO | None
    bases: tuple[Basis, ...]
    other_law: str | None
    konsekuensi_dibuka: str
    konsekuensi_ditutup: str
    jangka_waktu: str

    @property
    def keputusan(self) -> str | None:
        """ "dikecualikan", "sebagian", "terbuka", or None while undecided."""
        return self.decision.decision if self.decision else None

    @property
    def exempted(self) -> bool:
        return self.keputusan in EXEMPTED

    @property
    def blacked_out(self) -> str:
        """What is blacked out, for a partial exemption only."""
        if self.decision is None or self.decision.decision != "sebagian":
            return ""
        return self.decision.blacked_out or ""

    @property
    def open_reason(self) -> str:
        """Why the Tim declared the item open, for a "terbuka" decision only."""
        if self.decision is None or self.decision.decision != "terbuka":
            return ""
        return self.decision.open_reason or ""

    @property
    def dasar_hukum(self) -> str:
        """The grounds written as a legal text does, or the proposal's words when it named no
        Pasal 17 letter the bot could read."""
        if self.bases:
            return format_basis(self.bases, self.other_law)
        return self.row.dasar_hukum


def decide(row: RowDTO, office_id: int, office: str, d: DecisionDTO | None) -> DecidedItem:
    own = d is not None and d.bases is not None  # the Tim recorded its own reading
    return DecidedItem(
        row=row,
        office_id=office_id,
        office=office,
        decision=d,
        bases=decode_bases(d.bases if own and d and d.bases is not None else row.bases),
        other_law=d.other_law if own and d else row.other_law,
        konsekuensi_dibuka=(d.konsekuensi_dibuka if d else None) or row.konsekuensi_dibuka,
        konsekuensi_ditutup=(d.konsekuensi_ditutup if d else None) or row.konsekuensi_ditutup,
        jangka_waktu=(d.jangka_waktu if d else None) or row.jangka_waktu,
    )


async def decided_items(s: AsyncSession, cycle_id: int) -> list[DecidedItem]:
    """Every submitted row of the cycle, in the order of the documents (by OPD name)."""
    decisions = await proposals.current_decisions(s, cycle_id)
    return [
        decide(row, p.office_id, p.office_name, decisions.get(row.id))
        for p in await proposals.submitted(s, cycle_id)
        for row in p.rows
    ]
