"""The staff directory, kept from HR's events, with what the switchboard adds: extension and availability."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

Availability = Literal["available", "busy", "away", "off"]


class StaffMember(Base):
    __tablename__ = "staff"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    department: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    manager_id: Mapped[str | None] = mapped_column(String(64))
    extension: Mapped[str | None] = mapped_column(String(16), unique=True)
    availability: Mapped[Availability] = mapped_column(String(16))
    availability_note: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    leaves_on: Mapped[date | None] = mapped_column(Date, doc="termination effective date: gone from that day")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_staff_name", "family_name", "given_name"),)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def is_active(self, today: date) -> bool:
        return self.leaves_on is None or today < self.leaves_on
