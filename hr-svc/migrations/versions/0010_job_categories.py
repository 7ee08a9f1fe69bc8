"""Fair pay (HR's side): declared sex apart from the employee record, job categories of work of equal value with
their versions and scores, the placement of positions in them, and the reason for an offer outside its range.

Revision ID: 0010_categories
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0010_categories"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sex_declarations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("employee_id", sa.String(64), sa.ForeignKey("employees.id"), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("declared_by", sa.String(64), nullable=False),
        sa.Column("self_declared", sa.Boolean, nullable=False),
        sa.Column("declared_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_sex_declarations_employee", "sex_declarations", ["employee_id", "declared_at"])
    op.create_table(
        "job_categories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "job_category_versions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("category_id", sa.String(64), sa.ForeignKey("job_categories.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("skills", sa.Integer, nullable=False),
        sa.Column("effort", sa.Integer, nullable=False),
        sa.Column("responsibility", sa.Integer, nullable=False),
        sa.Column("working_conditions", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.UniqueConstraint("category_id", "version", name="uq_job_category_versions_version"),
    )
    op.create_table(
        "position_placements",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("position", sa.String(200), nullable=False),
        sa.Column("category_id", sa.String(64), sa.ForeignKey("job_categories.id"), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("effective_to", sa.Date, nullable=True),
        sa.Column("ended_at", UTCDateTime, nullable=True),
        sa.Column("ended_by", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_position_placements_position", "position_placements", ["position", "effective_from"])
    op.create_index("ix_position_placements_category", "position_placements", ["category_id"])
    op.add_column("offers", sa.Column("outside_range_reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.drop_column("outside_range_reason")
    op.drop_index("ix_position_placements_category", table_name="position_placements")
    op.drop_index("ix_position_placements_position", table_name="position_placements")
    op.drop_table("position_placements")
    op.drop_table("job_category_versions")
    op.drop_table("job_categories")
    op.drop_index("ix_sex_declarations_employee", table_name="sex_declarations")
    op.drop_table("sex_declarations")
