"""Business-hours calendars and SLA policies (targets per priority and category)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal, get_args

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

Priority = Literal["low", "normal", "high", "urgent"]
# In ascending order: an escalation moves a ticket one step up.
PRIORITIES: tuple[Priority, ...] = get_args(Priority)


class SlaCalendar(Base):
    __tablename__ = "sla_calendars"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    working_days: Mapped[str] = mapped_column(String(32), doc="JSON list of weekdays, 0 = Monday")
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    holidays: Mapped[str] = mapped_column(Text, doc="JSON list of ISO dates")
    holiday_country: Mapped[str | None] = mapped_column(String(8), doc="public holidays of this country too")
    holiday_subdivision: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlaPolicy(Base):
    __tablename__ = "sla_policies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    priority: Mapped[Priority] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(100), doc="'*' for every category without its own policy")
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    calendar_id: Mapped[str] = mapped_column(ForeignKey("sla_calendars.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("priority", "category", name="uq_sla_policies_priority_category"),)
