"""Engine and session factory; the service layer owns each transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from storage import versions


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    # SQLAlchemy's documented recipe: let us emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


#: Set in a session's ``info`` by whatever queues an outbox message (storage.outbox).
OUTBOX_QUEUED = "dik_outbox_queued"

#: Set in a session's ``info`` by whatever queues a render job (storage.render_jobs).
RENDER_QUEUED = "dik_render_queued"

#: Execution option of the connection of a `Database.read` session.
READ_ONLY = "dik_read_only"


#: Execution option of a `Database.connect_read` connection on SQLite: no BEGIN at all, each
#: statement reads on its own (the read model needs no snapshot across its statements).
NO_BEGIN = "dik_no_begin"


def _sqlite_begin(connection: object) -> None:
    # Take SQLite's write lock at the start, so two writers queue instead of failing midway.
    # A read (WAL mode) takes no lock: it reads its snapshot while a writer works.
    options = connection.get_execution_options()  # type: ignore[attr-defined]
    if options.get(NO_BEGIN):
        return
    begin = "BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE"
    connection.exec_driver_sql(begin)  # type: ignore[attr-defined]


def outbox_queued(session: AsyncSession) -> None:
    """Note that this transaction queues outbox messages: `Database` counts it at commit, and
    the sender reads the outbox only after such a commit (every insert into it calls this)."""
    session.info[OUTBOX_QUEUED] = True


def render_queued(session: AsyncSession) -> None:
    """Note that this transaction queues render jobs: at its commit `Database` calls its
    `render_listeners` (the worker wakes up)."""
    session.info[RENDER_QUEUED] = True


def dialect_name(session: AsyncSession) -> str:
    """'sqlite' or 'postgresql': for the few statements that differ (upserts)."""
    return session.get_bind().dialect.name


class _VersionedSession(Session):
    """Every session of a `Database`: its commit stamps the areas it wrote (storage.versions)."""


class Database:
    """Owns the async engine; `transaction()` yields a session that commits on success."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # No folder is created here: a SQLite path whose folder is missing is a wrong setting
        # (bot.ops.paths says so), not a place for a new empty database.
        # A server's connection can go stale (a restart, an idle timeout); a file's cannot, and
        # the ping would cost SQLite a round trip to aiosqlite's thread on every checkout.
        self.engine: AsyncEngine = create_async_engine(
            url, echo=echo, pool_pre_ping=not self.is_sqlite
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        versions.install(self.engine.sync_engine, _VersionedSession)
        self._sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=_VersionedSession
        )
        # A read session takes its connection only when it first reads: a view answered from
        # the read model (bot/workflow/readmodel.py) never takes one.
        self._read_engine = self.engine.execution_options(**{READ_ONLY: True})
        self._read_sessions = async_sessionmaker(
            self._read_engine, expire_on_commit=False, sync_session_class=_VersionedSession
        )
        # A bare connection whose statements each stand alone: no BEGIN / ROLLBACK round trips.
        self._statement_engine = (
            self.engine.execution_options(**{READ_ONLY: True, NO_BEGIN: True})
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        #: Transactions committed by this process that queued outbox messages: the sender
        #: can tell, without a query, that nothing new is owed since it last looked.
        self.outbox_commits = 0
        #: Called after each commit that queued render jobs (the render worker's wake-up).
        self.render_listeners: list[Callable[[], None]] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session, session.begin():
            yield session
        if session.info.get(OUTBOX_QUEUED):
            self.outbox_commits += 1
        if session.info.get(RENDER_QUEUED):
            for listener in self.render_listeners:
                listener()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only: it is never committed, and on SQLite it does not wait
        for (nor hold up) a writer."""
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def connect_read(self) -> AsyncIterator[AsyncConnection]:
        """A bare connection for reading only (Core statements, no session, no identity map),
        without a transaction: each statement reads the newest committed state on its own,
        and on SQLite none waits for a writer."""
        async with self._statement_engine.connect() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.engine.dispose()
