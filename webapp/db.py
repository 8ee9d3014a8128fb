"""Database plumbing: SQLite pragmas, write transactions, retry on lock, pool liveness."""
import select as _select
import time
import weakref
from contextvars import ContextVar

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

_immediate: ContextVar[bool] = ContextVar("wishgrid_immediate", default=False)


_autocommit: "weakref.WeakKeyDictionary[Engine, Engine]" = weakref.WeakKeyDictionary()


def server_hung_up(dbapi_conn) -> bool:
    """True when an idle PostgreSQL connection has something to read: the server closed it
    (restart, failover, idle timeout) or sent a termination notice. An idle connection owes us
    nothing, so readable means dead. A poll of the socket, no round trip."""
    if getattr(dbapi_conn, "closed", False) or getattr(dbapi_conn, "broken", False):
        return True
    pgconn = getattr(dbapi_conn, "pgconn", None)
    if pgconn is None:
        return False
    try:
        fd = pgconn.socket
    except Exception:  # noqa: BLE001 (psycopg raises OperationalError on a closed pgconn)
        return True
    readable, _w, _x = _select.select([fd], [], [], 0)
    return bool(readable)


def _check_alive(dbapi_conn, _record, _proxy):
    # Instead of pool_pre_ping, which costs a round trip on every checkout (every request):
    # a connection the server hung up on is readable; SQLAlchemy retries with a fresh one.
    if server_hung_up(dbapi_conn):
        raise exc.DisconnectionError("the database server closed this connection")


def single_read(session, statement, params: dict):
    """The rows (as mappings) of one read-only statement.

    On PostgreSQL it runs on an autocommit connection of the same pool: one round trip instead
    of BEGIN, SELECT and ROLLBACK when the request reads nothing else (a signed-in request's
    identity; under READ COMMITTED every statement has its own snapshot anyway). Elsewhere
    (SQLite, in process) it runs in the session's transaction.
    """
    engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        return session.connection().execute(statement, params).mappings().all()
    auto = _autocommit.get(engine)
    if auto is None:
        auto = _autocommit[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    with auto.connect() as conn:
        return conn.execute(statement, params).mappings().all()


def configure_engine(engine: Engine, busy_timeout_ms: int, cache_mib: int = 0,
                     mmap_mib: int = 0) -> None:
    """On SQLite: WAL, busy timeout, foreign keys, the page cache and memory map (0: SQLite's
    own), and BEGIN IMMEDIATE for write transactions.
    On PostgreSQL: a dead pooled connection is replaced on checkout without a ping."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _check_alive)
        return
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy (not pysqlite) emit BEGIN, so we can choose IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        if cache_mib:
            cur.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
        if mmap_mib:
            cur.execute(f"PRAGMA mmap_size={int(mmap_mib) * 1024 * 1024}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes can fail with SQLITE_BUSY at once
        # in WAL mode; writers take the lock up front instead and wait for it (below).
        if _immediate.get():
            begin_immediate(conn, busy_timeout_ms)
        else:
            conn.exec_driver_sql("BEGIN")


POLL_S = 0.001  # how often a waiting writer tries SQLite's lock again


def begin_immediate(conn, timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, tried again every millisecond until `timeout_ms` has passed. SQLite's
    own busy handler sleeps up to 100 ms between tries, so a job's back-to-back batches (each
    under 100 ms) kept a web request's write waiting 930 ms; a job leaves a short gap between
    its batches (services/platform/batches.py), and a writer polling this often takes it."""
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0")  # unseen by statement listeners: no round trip on SQLite
    deadline = time.monotonic() + timeout_ms / 1000
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except exc.OperationalError as e:
                if "locked" not in str(e.orig) or time.monotonic() >= deadline:
                    raise
            time.sleep(POLL_S)
    finally:
        raw.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")


def begin_write(session) -> None:
    """Start the session's transaction as a write transaction (BEGIN IMMEDIATE on SQLite).

    Services call this first in every function that changes data. Any read-only transaction
    still open (for instance the one that loaded the current user) is ended first.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            return  # already writing through the ORM: keep the caller's transaction
        conn = session.connection()
        if conn.info.get("immediate"):
            return
        session.rollback()
    token = _immediate.set(True)
    try:
        session.connection().info["immediate"] = True
    finally:
        _immediate.reset(token)


def locked_row(session, model, key: str, values: dict):
    """The row of `model` whose `key` column holds values[key], locked for this transaction
    and created from `values` on first use: two writers never both insert it (PostgreSQL:
    INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE; SQLite: begin_write already
    holds the one write lock, so a missing row is simply added)."""
    from sqlalchemy import select
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
        session.execute(insert(model).values(**values).on_conflict_do_nothing(
            index_elements=[key]))
    row = session.scalar(select(model).where(getattr(model, key) == values[key])
                         .with_for_update().execution_options(populate_existing=True))
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
    return row


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _clear_flag(conn):
    conn.info.pop("immediate", None)


class GuardedSession(FlaskSession):
    """`db.session`'s class: a request marked read-only (HEAD, OPTIONS) cannot commit.

    Set `session.info["read_only"]` and every commit becomes a rollback, so a view or service
    that writes (a disclosure log, a mis-branched form handler) keeps nothing. A rollback rather
    than an error: HEAD must answer what GET would (monitors and link checkers use it), and a
    reply with no body has shown nothing worth recording.
    """

    def commit(self) -> None:
        if self.info.get("read_only"):
            self.rollback()
            return
        super().commit()


def listen_on_sessions(**handlers) -> None:
    """Listen on every ORM session (web requests, jobs, CLI) with `handlers` by event name
    (before_flush=…, do_orm_execute=…): once, however often it is called."""
    first = next(iter(handlers.items()))
    if event.contains(Session, *first):
        return
    for name, fn in handlers.items():
        event.listen(Session, name, fn)
