"""The inbox's rows by age, so rows older than BACKOFFICE_INBOX_RETENTION_S are found and deleted without a scan.

Revision ID: 0004_inbox_age_index
Revises: 0003
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from backoffice.shared.migrations import create_inbox_age_index, drop_inbox_age_index

revision: str = "0004_inbox_age_index"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_inbox_age_index()


def downgrade() -> None:
    drop_inbox_age_index()
