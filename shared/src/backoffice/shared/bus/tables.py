"""Tables every service keeps: outbox, inbox and dead letters (the bus), and idempotency keys.

They live in their own ``MetaData`` so a service's Alembic environment can target
``[service_metadata, bus_metadata]`` and its first migration creates them with
:func:`backoffice.shared.migrations.create_bus_tables`.
"""

from __future__ import annotations

from backoffice.shared.db import UTCDateTime
from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

bus_metadata = MetaData()

# Integer on SQLite so the column is an alias of rowid and autoincrements.
_BigIntPK = BigInteger().with_variant(Integer(), "sqlite")

OUTBOX_PENDING = "pending"
OUTBOX_PUBLISHED = "published"

outbox = Table(
    "outbox",
    bus_metadata,
    Column("seq", _BigIntPK, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("type", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False, default=OUTBOX_PENDING),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=True),
    Index("ix_outbox_state_seq", "state", "seq"),
)

inbox = Table(
    "inbox",
    bus_metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("event_type", String(200), nullable=False),
    Column("processed_at", UTCDateTime, nullable=False),
    Index("ix_inbox_processed_at", "processed_at"),  # pruning (backoffice.shared.bus.inbox_pruning)
)

DEAD = "dead"
REPLAYED = "replayed"

dead_letters = Table(
    "dead_letters",
    bus_metadata,
    Column("id", String(64), primary_key=True),
    Column("consumer", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("event_id", String(64), nullable=True),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", String(16), nullable=False, default=DEAD),
    Column("created_at", UTCDateTime, nullable=False),
    Column("replayed_at", UTCDateTime, nullable=True),
    Index("ix_dead_letters_status_created", "status", "created_at"),
)


# Responses of POST requests sent with an Idempotency-Key (see backoffice.shared.idempotency).
idempotency_keys = Table(
    "idempotency_keys",
    bus_metadata,
    Column("key", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),
    Column("headers", Text, nullable=True),
    Column("body", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_idempotency_keys_expires", "expires_at"),
)
