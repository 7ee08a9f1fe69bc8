"""Department and position effective-dated (``pay_placements``), so a payslip shows the department in force
on the days it pays; and a submitted week's total may be unknown: entries that are not numbers, or too large to
add up, are recorded and rejected with their findings instead of failing the consumer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=True)
    op.create_table(
        "pay_placements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("source_event_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["pay_profiles.employee_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "effective_from", name="uq_pay_placements_employee_day"),
    )
    _backfill_placements()


def _backfill_placements() -> None:
    """Profiles known before kept only their latest department (whatever its effective date). The best history
    left: from the start date, the department of their last approved payslip (right when it was paid), then
    the current one from the day after that period, or from the day it was recorded if later."""
    bind = op.get_bind()
    paid = {
        employee_id: (department, period_end)
        for employee_id, department, period_end in bind.execute(
            sa.text(
                "SELECT s.employee_id, s.department, s.period_end FROM payslips s"
                " JOIN pay_runs r ON r.id = s.run_id WHERE r.status IN ('approved', 'paid')"
                " ORDER BY s.employee_id, s.period_end"
            )
        )
    }  # the last row of each employee wins: their latest paid period
    placements = sa.table(
        "pay_placements",
        sa.column("employee_id", sa.String),
        sa.column("effective_from", sa.Date),
        sa.column("department", sa.String),
        sa.column("position", sa.String),
        sa.column("recorded_at", UTCDateTime),
        sa.column("source_event_id", sa.String),
    )
    rows: list[dict[str, object]] = []
    profiles = bind.execute(
        sa.text("SELECT employee_id, department, position, start_date, updated_at FROM pay_profiles")
    ).all()
    for employee_id, department, position, start, updated in profiles:
        start, updated = _as_date(start), _as_datetime(updated)
        row = {"employee_id": employee_id, "position": position, "recorded_at": updated}
        row["source_event_id"] = "migration-0004"
        before = paid.get(employee_id)
        if before is None or before[0] == department:
            rows.append({**row, "effective_from": start, "department": department})
            continue
        moved_on = max(_as_date(before[1]) + timedelta(days=1), updated.date(), start + timedelta(days=1))
        rows.append({**row, "effective_from": start, "department": before[0]})
        rows.append({**row, "effective_from": moved_on, "department": department})
    if rows:
        op.bulk_insert(placements, rows)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def downgrade() -> None:
    op.drop_table("pay_placements")
    op.execute("UPDATE timesheets SET total_hours = 0 WHERE total_hours IS NULL")
    with op.batch_alter_table("timesheets", schema=None) as batch_op:
        batch_op.alter_column("total_hours", existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
