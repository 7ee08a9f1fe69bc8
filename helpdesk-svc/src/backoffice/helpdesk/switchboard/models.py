"""The switchboard: calls answered by the office, each transfer hop, and messages taken."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

CallStatus = Literal["connected", "waiting", "message_taken", "ended", "missed"]
HopOutcome = Literal["connected", "unavailable"]


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    caller_name: Mapped[str] = mapped_column(String(200))
    caller_number: Mapped[str | None] = mapped_column(String(40))
    caller_employee_id: Mapped[str | None] = mapped_column(String(64), doc="when a staff member calls")
    asked_for_employee_id: Mapped[str] = mapped_column(ForeignKey("staff.employee_id"))
    holder_employee_id: Mapped[str | None] = mapped_column(String(64), doc="who has the call now")
    status: Mapped[CallStatus] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_by: Mapped[str] = mapped_column(String(64), doc="the office member's user id")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_calls_asked_for", "asked_for_employee_id", "received_at"),
        Index("ix_calls_received", "received_at"),
    )


class CallHop(Base):
    """One leg of a call's path: from the switchboard (or a staff member) to a staff member."""

    __tablename__ = "call_hops"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"))
    position: Mapped[int] = mapped_column(Integer)
    from_employee_id: Mapped[str | None] = mapped_column(String(64), doc="empty: the switchboard")
    to_employee_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[HopOutcome] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_call_hops_call", "call_id", "position", unique=True),)


class CallMessage(Base):
    __tablename__ = "call_messages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id"), unique=True)
    for_employee_id: Mapped[str] = mapped_column(ForeignKey("staff.employee_id"))
    caller_name: Mapped[str] = mapped_column(String(200))
    caller_number: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    callback_requested: Mapped[bool] = mapped_column(Boolean)
    taken_by: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_call_messages_for", "for_employee_id", "read_at"),)
