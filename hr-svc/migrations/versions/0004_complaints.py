"""Complaints and their investigation notes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
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
        "complaints",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("filed_by", sa.String(64), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("against_kind", sa.String(16), nullable=False),
        sa.Column("against_employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=True),
        sa.Column("against_description", sa.String(500), nullable=False),
        sa.Column("withhold_name", sa.Boolean, nullable=False),
        sa.Column("summary", sa.String(200), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("investigator_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("filed_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_complaints_filed_by", "complaints", ["filed_by"])
    op.create_index("ix_complaints_status", "complaints", ["status"])
    op.create_table(
        "complaint_notes",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("complaint_id", sa.String(64), sa.ForeignKey("complaints.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("evidence_document_id", sa.String(64), nullable=True),
        sa.Column("written_by", sa.String(64), nullable=False),
        sa.Column("written_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_complaint_notes_complaint", "complaint_notes", ["complaint_id"])


def downgrade() -> None:
    op.drop_index("ix_complaint_notes_complaint", table_name="complaint_notes")
    op.drop_table("complaint_notes")
    op.drop_index("ix_complaints_status", table_name="complaints")
    op.drop_index("ix_complaints_filed_by", table_name="complaints")
    op.drop_table("complaints")
