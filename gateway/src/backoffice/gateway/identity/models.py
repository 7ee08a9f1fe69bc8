from __future__ import annotations

from datetime import datetime

from backoffice.gateway.database import Base
from backoffice.shared.db import Updated, UTCDateTime
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class User(Updated, Base):
    """A login. Linked to an employee when provisioned from HR."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    # The person's display name (from HR for a hired employee); the login stands in while it is unknown.
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    roles: Mapped[str] = mapped_column(String(255), doc="space-separated role names")
    employee_id: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    disable_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    activation_token_hash: Mapped[str | None] = mapped_column(String(128), nullable=True, unique=True)
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def display_name(self) -> str:
        return self.name or self.login

    @property
    def role_list(self) -> list[str]:
        return self.roles.split()


class RefreshToken(Base):
    """One refresh token of a family (a login session); rotation chains them, reuse kills the family."""

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    family_id: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(128))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_refresh_tokens_family", "family_id"), Index("ix_refresh_tokens_user", "user_id"))
