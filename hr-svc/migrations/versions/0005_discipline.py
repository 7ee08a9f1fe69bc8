"""Progressive discipline: warnings, cases, case history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warnings",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("issued_at", UTCDateTime, nullable=False),
        sa.Column("acknowledge_by", UTCDateTime, nullable=False),
        sa.Column("acknowledged_at", UTCDateTime, nullable=True),
        sa.Column("response", sa.Text, nullable=True),
        sa.Column("ignored_at", UTCDateTime, nullable=True),
        sa.Column("expires_on", sa.Date, nullable=False),
    )
    op.create_index("ix_warnings_employee", "warnings", ["employee_id"])
    op.create_index("ix_warnings_deadline", "warnings", ["acknowledge_by"])
    op.create_table(
        "disciplinary_cases",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False, unique=True),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "case_steps",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(64), sa.ForeignKey("disciplinary_cases.id"), nullable=False),
        sa.Column("step", sa.String(50), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("warning_id", sa.String(64), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("by", sa.String(64), nullable=True),
    )
    op.create_index("ix_case_steps_case", "case_steps", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_steps_case", table_name="case_steps")
    op.drop_table("case_steps")
    op.drop_table("disciplinary_cases")
    op.drop_index("ix_warnings_deadline", table_name="warnings")
    op.drop_index("ix_warnings_employee", table_name="warnings")
    op.drop_table("warnings")
