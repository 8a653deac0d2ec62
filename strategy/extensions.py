"""Flask extensions, created unbound and attached to the app in create_app()."""

import logging
import sqlite3
import time

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from strategy.models.base import Base

# Models derive from our own typed Base; Flask-SQLAlchemy manages sessions and that metadata.
db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, and serves readers better in WAL mode."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def retry_connections(engine: sa.engine.Engine, seconds: float) -> None:
    """Make a new connection wait up to ``seconds`` for a database that is restarting.

    pool_pre_ping replaces a pooled connection that died with the server; without this, the
    replacement is refused while the server is still starting, and every request that arrives
    in those seconds fails. With it, such requests wait and then succeed: a restart costs only
    the requests whose query was running when the server went down.
    """
    if seconds <= 0 or engine.dialect.name == "sqlite":
        return
    log = logging.getLogger("maalpil.database")

    @sa.event.listens_for(engine, "do_connect")
    def _connect(dialect, _record, cargs, cparams):
        deadline = time.monotonic() + seconds
        delay = 0.1
        while True:
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError as error:
                if time.monotonic() + delay > deadline:
                    raise
                log.warning("database not reachable, retrying in %.1f s: %s", delay, str(error).strip())
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
