"""The default database: an embedded SQLite file, or DATABASE_URL's server."""

from pathlib import Path

import dj_database_url

from .environment import env_bool, env_int


def default_database(base_dir: Path) -> dict:
    database = dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{base_dir / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        _tune_sqlite(database)
    elif database["ENGINE"] == "django.db.backends.postgresql":
        _tune_postgresql(database)
    return database


def _tune_sqlite(database: dict) -> None:
    # The embedded default serves several threads or workers at once: take the
    # write lock when a transaction starts (a deferred transaction that later
    # needs it fails at once instead of waiting) and let readers proceed
    # beside a writer (WAL).
    database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DATABASE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )


def _tune_postgresql(database: dict) -> None:
    # Fail fast when the database is unreachable instead of hanging a worker.
    database.setdefault("OPTIONS", {})
    database["OPTIONS"].setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 2))
    # JIT compilation pays off for long analytical queries, not for a web
    # app's: compiling cost the finder's statements more than it saved (see
    # docs/finder.md).
    # Off on this app's connections (libpq options), whatever the server's
    # default; DATABASE_JIT=1 leaves the server's setting alone.
    if not env_bool("DATABASE_JIT", False):
        options = database["OPTIONS"].get("options", "")
        database["OPTIONS"]["options"] = f"{options} -c jit=off".strip()
