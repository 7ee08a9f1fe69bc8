from __future__ import annotations

from datetime import datetime

from backoffice.gateway.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column


class SigningKey(Base):
    """An Ed25519 key pair; the private half is encrypted with the gateway's key secret."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key_encrypted: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
