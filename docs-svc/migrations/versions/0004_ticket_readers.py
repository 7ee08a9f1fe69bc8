"""Documents attached to helpdesk tickets are read by the ticket's people: ``ticket_readers`` (from
``helpdesk.attachment_readers_changed``) and ``ticket_shares`` (the latest revision applied per ticket).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_readers",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("reader_kind", sa.String(length=10), nullable=False),
        sa.Column("reader", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", "document_id", "reader_kind", "reader"),
    )
    with op.batch_alter_table("ticket_readers", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_readers_document", ["document_id", "reader_kind", "reader"], unique=False)
    op.create_table(
        "ticket_shares",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id"),
    )


def downgrade() -> None:
    op.drop_table("ticket_shares")
    with op.batch_alter_table("ticket_readers", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_readers_document")
    op.drop_table("ticket_readers")
