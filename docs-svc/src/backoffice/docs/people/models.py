"""The people documents are about and sent to, kept from HR's events (name and e-mail only)."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class Person(Base):
    __tablename__ = "people"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(401))
    email: Mapped[str] = mapped_column(String(320))
    department: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
