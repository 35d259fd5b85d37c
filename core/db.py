"""Database engine, session factory and migrations (SQLAlchemy 2.0 + Alembic)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from core import config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: ``DATABASE_URL`` or the SQLite file)."""
    url = url or config.database_url()
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
    """Foreign keys on, WAL so the training worker and the UI can share the file."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def alembic_config(url: str):  # noqa: ANN201 - alembic type
    """An Alembic config pointing at this project's migrations and ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextmanager
def _schema_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for Alembic, committed at the end.

    On SQLite, foreign keys are off while it runs: batch migrations rebuild a table by dropping
    it, and a drop with foreign keys on deletes (cascades) every row that refers to it. The
    driver's own transaction handling is off too, so that the rebuilds (DDL) and the data moves
    commit or roll back together; foreign keys are checked before the commit.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        raw = conn.connection.dbapi_connection
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # ignored inside a transaction: set before it begins
        conn.commit()
        saved = raw.isolation_level
        raw.isolation_level = None
        try:
            with conn.begin():
                conn.exec_driver_sql("BEGIN")
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    tables = sorted({row[0] for row in broken})
                    raise RuntimeError(f"migration left rows pointing at missing rows in {tables}")
        finally:
            raw.isolation_level = saved
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (run at start-up; safe to repeat)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with _schema_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (rolling a release back)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with _schema_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when empty)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class Store:
    """What repositories need: an engine, a session factory and the artefact folder."""

    engine: Engine
    sessions: sessionmaker[Session]
    artefacts: Path


def open_store(url: str | None = None, artefacts: Path | None = None, run_migrations: bool = True) -> Store:
    """Open (and migrate) the database and return a :class:`Store`."""
    engine = make_engine(url)
    if run_migrations:
        migrate(engine)
    root = artefacts or config.artefact_root()
    root.mkdir(parents=True, exist_ok=True)
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), artefacts=root)
