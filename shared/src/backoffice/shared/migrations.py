"""Alembic helpers: one ``env.py`` body for every service, programmatic upgrades, the bus tables."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from backoffice.shared.db import Database, UTCDateTime
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

# Any constant works; it only has to be the same for every replica of every service.
_MIGRATION_LOCK_KEY = 7_301_424_911


def alembic_config(migrations_dir: Path, url: str) -> Config:
    """Alembic's configuration for the migrations in ``migrations_dir`` on the database ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("version_path_separator", "os")
    return cfg


async def upgrade(db: Database, migrations_dir: Path, revision: str = "head") -> None:
    """Bring the database to ``revision``. On PostgreSQL replicas starting together take turns."""
    cfg = alembic_config(migrations_dir, db.url.render_as_string(hide_password=False))

    def _run(connection: Connection) -> None:
        if not db.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(_run)


def head_revision(migrations_dir: Path) -> str | None:
    """The latest revision of the migrations in ``migrations_dir``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://")).get_current_head()


async def current_revision(db: Database) -> str | None:
    """The database's migration revision (``None`` before the first migration)."""
    async with db.connect() as conn:
        try:
            return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        except Exception:
            return None


def run_env(target_metadata: Sequence[MetaData], unmanaged: Sequence[str] = ()) -> None:
    """The body of every service's ``migrations/env.py``. Tables whose names start with one of ``unmanaged``
    are made by hand in the migrations (a full-text index, say) and left out of autogenerate's comparison."""
    config = context.config
    metadata = list(target_metadata)

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return not (type_ == "table" and name is not None and name.startswith(tuple(unmanaged)))

    def configure_and_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    connection = config.attributes.get("connection")
    if connection is not None:
        configure_and_run(connection)
        return

    async def run_async() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
        )
        async with engine.connect() as conn:
            await conn.run_sync(configure_and_run)
        await engine.dispose()

    asyncio.run(run_async())


def create_bus_tables() -> None:
    """First migration of every service: outbox, inbox, dead letters and idempotency keys (version 1)."""
    big_int: Any = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "outbox",
        sa.Column("seq", big_int, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_outbox_state_seq", "outbox", ["state", "seq"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("processed_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("consumer", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("replayed_at", UTCDateTime, nullable=True),
    )
    op.create_index("ix_dead_letters_status_created", "dead_letters", ["status", "created_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("headers", sa.Text, nullable=True),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_idempotency_keys_expires", "idempotency_keys", ["expires_at"])


def drop_bus_tables() -> None:
    """Undo ``create_bus_tables`` (a service's first migration, downgraded)."""
    op.drop_index("ix_idempotency_keys_expires", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_table("dead_letters")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_state_seq", table_name="outbox")
    op.drop_table("outbox")


def create_inbox_age_index() -> None:
    """The index the inbox's pruning reads (rows by ``processed_at``): added to every service's inbox."""
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def drop_inbox_age_index() -> None:
    """Undo ``create_inbox_age_index``."""
    op.drop_index("ix_inbox_processed_at", table_name="inbox")


def create_actors_table() -> None:
    """Who acted (``backoffice.shared.actors``): login id -> employee id and display name, from verified tokens."""
    op.create_table(
        "actors",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )


def drop_actors_table() -> None:
    """Undo ``create_actors_table``."""
    op.drop_table("actors")
