"""Attachments: the catalogue of documents docs-svc filed (``known_documents``), who attached which document to a
ticket (``ticket_attachments``), and the count of publications of who may read a ticket's attachments
(``tickets.attachments_revision``). Attachments made before this version were never checked: they are not
recorded here, so nobody is given access to them.

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
        "known_documents",
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=True),
        sa.Column("employee_id", sa.String(length=64), nullable=True),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("filed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "ticket_attachments",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("attached_by", sa.String(length=64), nullable=False),
        sa.Column("attached_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"]),
        sa.PrimaryKeyConstraint("ticket_id", "document_id"),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments_revision", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("attachments_revision")
    op.drop_table("ticket_attachments")
    op.drop_table("known_documents")
