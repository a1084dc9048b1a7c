"""The read model of the hot views: who is registered with which roles, and the open runs.

Kept in memory per process and keyed by the stamps of `storage.versions`, which every
writing transaction of every process (the bot, the CLI) sets anew in that transaction.

- A view (`/tugas`, `/status`) calls `fresh()`: one tiny query for the stamps on a bare
  connection; an area whose stamp moved is read again (Core statements, no ORM session).
- An act never trusts the memory: `person_in(s, ...)` reads the stamps inside the act's own
  transaction and reads the person afresh when the people stamp moved since the load.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage import fastread, people, versions
from storage.db import Database
from storage.dto import CycleDTO, PersonDTO, StepRunDTO


class ReadModel:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._stamps: dict[str, int | None] = {versions.PEOPLE: None, versions.RUNS: None}
        self._people: dict[int, fastread.Registered] = {}
        self._runs: list[tuple[StepRunDTO, CycleDTO]] = []
        #: How many times each area was read again (for the tests and the bench).
        self.loads: dict[str, int] = {versions.PEOPLE: 0, versions.RUNS: 0}

    async def fresh(self) -> None:
        """Bring the memory to the stored state: the stamps, then any area that moved. The
        statements stand alone (no snapshot across them): an area is read after its stamp, so
        its data is at least as new as the stamp it is kept under, and any newer change has
        moved the stamp, so the next `fresh()` reads the area again; never an older one."""
        async with self.db.connect_read() as conn:
            stored = await versions.read_stamps(conn)
            if stored.get(versions.PEOPLE) != self._stamps[versions.PEOPLE]:
                loaded = await fastread.registered_people(conn)
                self._people = loaded
                self._stamps[versions.PEOPLE] = stored.get(versions.PEOPLE)
                self.loads[versions.PEOPLE] += 1
            if stored.get(versions.RUNS) != self._stamps[versions.RUNS]:
                runs = await fastread.open_runs_with_cycles(conn)
                self._runs = runs
                self._stamps[versions.RUNS] = stored.get(versions.RUNS)
                self.loads[versions.RUNS] += 1

    def person(self, tg_user_id: int, today: date) -> PersonDTO | None:
        """The active official on this account as of the last `fresh()`, with the roles in
        force `today`; None if not registered (or deactivated) then."""
        found = self._people.get(tg_user_id)
        if found is None:
            return None
        roles = tuple(r for r in found.roles if people.role_in_force(r, today))
        return replace(found.person, roles=roles)

    def open_runs(self) -> list[tuple[StepRunDTO, CycleDTO]]:
        """Every open run with its cycle as of the last `fresh()`."""
        return list(self._runs)

    async def person_in(self, s: AsyncSession, tg_user_id: int, today: date) -> PersonDTO | None:
        """The person, read inside the transaction `s`: from memory only when the people
        stamp stored now is the one the memory was loaded at."""
        stored = await versions.read_stamps(s)
        if (
            self._stamps[versions.PEOPLE] is not None
            and stored.get(versions.PEOPLE) == self._stamps[versions.PEOPLE]
        ):
            return self.person(tg_user_id, today)
        return await people.person_by_telegram(s, tg_user_id, today)
