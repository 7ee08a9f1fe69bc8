"""Actors: the people behind the login ids that records keep, recorded from their access tokens.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14
"""

from collections.abc import Sequence

from backoffice.shared.migrations import create_actors_table, drop_actors_table

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_actors_table()


def downgrade() -> None:
    drop_actors_table()
