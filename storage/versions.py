"""The stamps that key every process's in-memory read model (bot/workflow/readmodel.py).

Each area of what the hot views read (`people`: offices, officials and their roles; `runs`:
cycles and their step runs) has one row in `state_version`. Every statement this engine runs
is looked at (an engine event, so no store function can forget it): an INSERT, UPDATE or
DELETE on an area's table marks the area touched on that connection, and just before the
session commits, the touched areas get a new random stamp in the same transaction. A reader
that finds the stamps it loaded at is reading the same data; another process (the CLI) that
writes bumps them the same way, since it writes through the same `Database`.

A random stamp, not a counter: a restored backup can bring an old counter back, never a stamp
that still means other data. The areas are bumped in a fixed order, so two PostgreSQL writers
queue on the rows instead of deadlocking.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

from storage.models import StateVersion

PEOPLE = "people"
RUNS = "runs"

#: The tables each area's read model is built from.
AREA_OF_TABLE: dict[str, str] = {
    "offices": PEOPLE,
    "officials": PEOPLE,
    "role_assignments": PEOPLE,
    "cycles": RUNS,
    "step_runs": RUNS,
}

_DML = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_TOUCHED = "dik_touched_areas"


def touched_area(statement: str) -> str | None:
    """The area a statement writes to, if any."""
    found = _DML.match(statement)
    return AREA_OF_TABLE.get(found.group(1).lower()) if found else None


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    area = touched_area(statement)
    if area is not None:
        conn.info.setdefault(_TOUCHED, set()).add(area)


def _forget(conn: Connection) -> None:
    conn.info.pop(_TOUCHED, None)


_CONNECTIONS = "dik_versioned_connections"


def _joined(session: Session, _transaction: Any, connection: Connection) -> None:
    session.info.setdefault(_CONNECTIONS, {})[id(connection)] = connection


def _left(session: Session, *_args: Any) -> None:
    session.info.pop(_CONNECTIONS, None)


def _bump_before_commit(session: Session) -> None:
    """Give each area this transaction wrote a new stamp, inside the transaction. A session
    that never took a connection wrote nothing (and is not made to take one here)."""
    session.flush()  # the last ORM changes are written (and so noted) before we look
    touched: set[str] = set()
    for conn in session.info.pop(_CONNECTIONS, {}).values():
        touched |= conn.info.pop(_TOUCHED, set())
    for area in sorted(touched):
        session.execute(
            update(StateVersion)
            .where(StateVersion.area == area)
            .values(stamp=secrets.randbits(62))
        )


def install(engine: Engine, session_class: type[Session]) -> None:
    """Watch every statement of `engine`; bump at the commit of every `session_class`."""
    event.listen(engine, "before_cursor_execute", _note_write)
    for moment in ("begin", "rollback", "commit"):
        event.listen(engine, moment, _forget)
    event.listen(session_class, "after_begin", _joined)
    event.listen(session_class, "before_commit", _bump_before_commit)
    event.listen(session_class, "after_soft_rollback", _left)


async def read_stamps(conn: AsyncSession | AsyncConnection) -> dict[str, int]:
    """The stored stamp of every area: one tiny query."""
    rows = (await conn.execute(select(StateVersion.area, StateVersion.stamp))).all()
    return {area: stamp for area, stamp in rows}
