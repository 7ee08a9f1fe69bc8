"""The gateway's tables (its own database: users, refresh tokens, signing keys)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
