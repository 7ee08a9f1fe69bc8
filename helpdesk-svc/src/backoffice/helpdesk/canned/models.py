"""Canned responses: reply texts agents keep for what they answer again and again."""

from __future__ import annotations

from datetime import datetime

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column


class CannedResponse(Base):
    __tablename__ = "canned_responses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
