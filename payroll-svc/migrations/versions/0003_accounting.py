"""Accounting: suppliers and invoices, payment runs and payments, the general ledger (accounts,
journal entries and lines, closed periods) with the default chart of accounts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from backoffice.shared.db import UTCDateTime

# The chart every new ledger starts with; companies add their own accounts (POST /accounts).
DEFAULT_CHART = [
    ("1000", "Bank", "asset"),
    ("2000", "Accounts payable", "liability"),
    ("2100", "Net wages payable", "liability"),
    ("2200", "Payroll deductions payable", "liability"),
    ("2300", "Employer contributions payable", "liability"),
    ("3000", "Equity", "equity"),
    ("4000", "Sales revenue", "income"),
    ("4900", "Other income", "income"),
    ("5000", "Wages and salaries", "expense"),
    ("5100", "Employer payroll contributions", "expense"),
    ("6000", "General expenses", "expense"),
    ("6100", "Rent", "expense"),
    ("6200", "IT and software", "expense"),
    ("6300", "Office supplies", "expense"),
]


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "closed_periods",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("period"),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("reverses_entry_id", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["reverses_entry_id"],
            ["journal_entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reverses_entry_id"),
    )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_entries_entry_date"), ["entry_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_entries_source_id"), ["source_id"], unique=False)

    op.create_table(
        "payment_runs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("execution_date", sa.Date(), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("invoice_count", sa.Integer(), nullable=False),
        sa.Column("pain001", sa.Text(), nullable=True),
        sa.Column("transfers_csv", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("executed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "suppliers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_id", sa.String(length=40), nullable=True),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("fax", sa.String(length=40), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "journal_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("account_code", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("debit", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("credit", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_code"],
            ["accounts.code"],
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.create_index("ix_journal_lines_account_date", ["account_code", "entry_date"], unique=False)
        batch_op.create_index("ix_journal_lines_date", ["entry_date"], unique=False)
        batch_op.create_index("ix_journal_lines_entry", ["entry_id"], unique=False)

    op.create_table(
        "supplier_invoices",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("document_ids", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("hold_reason", sa.String(length=500), nullable=True),
        sa.Column("hold_until", sa.Date(), nullable=True),
        sa.Column("payment_run_id", sa.String(length=64), nullable=True),
        sa.Column("payment_id", sa.String(length=64), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier_id", "number", name="uq_supplier_invoices_number"),
    )
    with op.batch_alter_table("supplier_invoices", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_invoices_status_due", ["status", "due_date"], unique=False)

    op.create_table(
        "supplier_payments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("execution_date", sa.Date(), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("invoice_ids", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["payment_runs.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplier_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_payments_run_id"), ["run_id"], unique=False)

    op.create_table(
        "payment_run_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("invoice_id", sa.String(length=64), nullable=False),
        sa.Column("supplier_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("dropped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["supplier_invoices.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["payment_runs.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("payment_run_lines", schema=None) as batch_op:
        batch_op.create_index("ix_payment_run_lines_run", ["run_id"], unique=False)

    op.create_table(
        "supplier_invoice_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("expense_account", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["supplier_invoices.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplier_invoice_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supplier_invoice_lines_invoice_id"), ["invoice_id"], unique=False)

    accounts = sa.table(
        "accounts",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("type", sa.String),
        sa.column("created_at", UTCDateTime()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(accounts, [{"code": c, "name": n, "type": t, "created_at": now} for c, n, t in DEFAULT_CHART])


def downgrade() -> None:
    with op.batch_alter_table("supplier_invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_invoice_lines_invoice_id"))

    op.drop_table("supplier_invoice_lines")
    with op.batch_alter_table("payment_run_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_run_lines_run")

    op.drop_table("payment_run_lines")
    with op.batch_alter_table("supplier_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_payments_run_id"))

    op.drop_table("supplier_payments")
    with op.batch_alter_table("supplier_invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_invoices_status_due")

    op.drop_table("supplier_invoices")
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_lines_entry")
        batch_op.drop_index("ix_journal_lines_date")
        batch_op.drop_index("ix_journal_lines_account_date")

    op.drop_table("journal_lines")
    op.drop_table("suppliers")
    op.drop_table("payment_runs")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entries_source_id"))
        batch_op.drop_index(batch_op.f("ix_journal_entries_entry_date"))

    op.drop_table("journal_entries")
    op.drop_table("closed_periods")
    op.drop_table("accounts")
