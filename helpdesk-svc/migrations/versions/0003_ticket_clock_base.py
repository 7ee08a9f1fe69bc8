"""Where a ticket's SLA clocks count from is kept on the ticket (``clock_base_at``, empty for the opening,
``clock_base_elapsed_s``, ``clock_base_paused_s``) instead of being read back from its history, which stays the
audit of what changed. Tickets take the base of their latest ``sla_recomputed`` history entry.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clock_base_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("clock_base_elapsed_s", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("clock_base_paused_s", sa.Integer(), server_default="0", nullable=False))
    _backfill_clock_bases()


def _backfill_clock_bases() -> None:
    """Until now a ticket's clocks counted from the base in its latest ``sla_recomputed`` entry (by instant, then
    id); from the opening when it had none, or when that entry was written before bases were kept (no
    ``clock_base_at``). The JSON is read here, in Python, so that this runs alike on SQLite and PostgreSQL. A
    base at the opening with nothing settled (a priority change that brought another calendar) is the opening:
    it stays empty."""
    bind = op.get_bind()
    tickets = sa.table(
        "tickets",
        sa.column("id", sa.String),
        sa.column("opened_at", UTCDateTime),
        sa.column("clock_base_at", UTCDateTime),
        sa.column("clock_base_elapsed_s", sa.Integer),
        sa.column("clock_base_paused_s", sa.Integer),
    )
    history = sa.table(
        "ticket_history",
        sa.column("id", sa.String),
        sa.column("ticket_id", sa.String),
        sa.column("at", UTCDateTime),
        sa.column("action", sa.String),
        sa.column("detail", sa.Text),
    )
    rows = bind.execute(
        sa.select(history.c.ticket_id, history.c.detail, tickets.c.opened_at)
        .join(tickets, tickets.c.id == history.c.ticket_id)
        .where(history.c.action == "sla_recomputed")
        .order_by(history.c.ticket_id, history.c.at, history.c.id)
    )
    latest = {ticket_id: (detail, opened_at) for ticket_id, detail, opened_at in rows}  # the last one wins
    bases: list[dict[str, object]] = []
    for ticket_id, (detail, opened_at) in latest.items():
        data = json.loads(detail) if detail else {}
        if not isinstance(data, dict) or data.get("clock_base_at") is None:
            continue
        at = _as_utc(datetime.fromisoformat(data["clock_base_at"]))
        elapsed, paused = int(data["elapsed_business_seconds"]), int(data["paused_business_seconds"])
        if (at, elapsed, paused) == (_as_utc(opened_at), 0, 0):
            continue
        bases.append({"ticket": ticket_id, "at": at, "elapsed": elapsed, "paused": paused})
    if bases:
        bind.execute(
            tickets.update()
            .where(tickets.c.id == sa.bindparam("ticket"))
            .values(
                clock_base_at=sa.bindparam("at", type_=UTCDateTime),
                clock_base_elapsed_s=sa.bindparam("elapsed"),
                clock_base_paused_s=sa.bindparam("paused"),
            ),
            bases,
        )


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def downgrade() -> None:
    # the bases stay in the history entries, where the code of 0002 reads them
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("clock_base_paused_s")
        batch_op.drop_column("clock_base_elapsed_s")
        batch_op.drop_column("clock_base_at")
