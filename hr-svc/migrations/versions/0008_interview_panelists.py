"""Interview panelists: one row per interviewer, so ``GET /interviews`` finds a person's interviews by index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    panelists = op.create_table(
        "interview_panelists",
        sa.Column("interview_id", sa.String(length=64), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
        ),
        sa.PrimaryKeyConstraint("interview_id", "employee_id"),
    )
    with op.batch_alter_table("interview_panelists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_panelists_employee_id"), ["employee_id"], unique=False)
    # the interviews scheduled before: their panels were only kept as JSON
    rows = op.get_bind().execute(sa.text("SELECT id, interviewers FROM interviews")).all()
    members = [{"interview_id": i, "employee_id": e} for i, panel in rows for e in sorted(set(json.loads(panel)))]
    if members:
        op.bulk_insert(panelists, members)


def downgrade() -> None:
    with op.batch_alter_table("interview_panelists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_panelists_employee_id"))

    op.drop_table("interview_panelists")
