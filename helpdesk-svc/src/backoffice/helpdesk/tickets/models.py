"""Tickets with their SLA clocks, replies and internal notes, and history."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.database import Base
from backoffice.helpdesk.sla.models import Priority
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

RequestKind = Literal["incident", "service_request", "access_request", "change_request"]
Kind = Literal["incident", "service_request", "access_request", "change_request", "onboarding", "offboarding"]
TicketStatus = Literal["new", "open", "pending", "on_hold", "resolved", "closed"]
OPEN_STATUSES: tuple[TicketStatus, ...] = ("new", "open", "pending", "on_hold")
PAUSED_STATUSES: tuple[TicketStatus, ...] = ("pending", "on_hold")


class TicketCounter(Base):
    """Ticket numbers people can say on the phone: one row per series, locked while a number is taken."""

    __tablename__ = "ticket_counters"

    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[Kind] = mapped_column(String(20))
    status: Mapped[TicketStatus] = mapped_column(String(12))
    priority: Mapped[Priority] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    attachments: Mapped[str] = mapped_column(Text, doc="JSON list of document ids")
    requester_employee_id: Mapped[str | None] = mapped_column(String(64))
    about_employee_id: Mapped[str | None] = mapped_column(String(64), doc="onboarding/offboarding: who")
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    assignee_employee_id: Mapped[str | None] = mapped_column(String(64))
    source_event_id: Mapped[str | None] = mapped_column(String(64), unique=True, doc="the event that opened it")
    created_by: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # The SLA as it applies to this ticket (copied from the policy, so later policy edits do not move it).
    calendar_id: Mapped[str | None] = mapped_column(ForeignKey("sla_calendars.id"))
    first_response_target_s: Mapped[int | None] = mapped_column(Integer)
    resolution_target_s: Mapped[int | None] = mapped_column(Integer)
    fixed_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="a calendar deadline (start date)")
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_business_s: Mapped[int] = mapped_column(Integer, doc="working time spent pending or on hold")
    paused_wall_s: Mapped[int] = mapped_column(Integer, doc="clock time spent pending or on hold")
    first_response_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="empty while paused or met")
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="empty while paused or met")
    first_response_elapsed_s: Mapped[int | None] = mapped_column(Integer, doc="working time it took, once met")
    resolution_elapsed_s: Mapped[int | None] = mapped_column(Integer, doc="working time it took, once resolved")
    first_response_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the clocks count from (``service.ClockBase``): from the opening while ``clock_base_at`` is empty, else
    # from the last edit of the ticket's calendar, with the working time used and the paused working time then.
    clock_base_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="the last edit of its calendar, if any")
    clock_base_elapsed_s: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="working time used up to clock_base_at"
    )
    clock_base_paused_s: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="paused working time at clock_base_at"
    )
    attachments_revision: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", doc="publications of who may read its attachments, so far"
    )

    __table_args__ = (
        Index("ix_tickets_requester", "requester_employee_id", "opened_at"),
        Index("ix_tickets_team_status", "team_id", "status"),
        Index("ix_tickets_assignee_status", "assignee_employee_id", "status"),
        Index("ix_tickets_first_response_due", "first_response_due_at"),
        Index("ix_tickets_resolution_due", "resolution_due_at"),
    )


class TicketPause(Base):
    """A stretch of time the SLA clocks stood still (pending, on hold, resolved), kept so that the paused
    working time can be measured again against another calendar."""

    __tablename__ = "ticket_pauses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_ticket_pauses_ticket", "ticket_id", "started_at"),)


class TicketComment(Base):
    __tablename__ = "ticket_comments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    author_user_id: Mapped[str] = mapped_column(String(64))
    author_employee_id: Mapped[str | None] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(200))
    internal: Mapped[bool] = mapped_column(Boolean, doc="an internal note: never shown to the requester")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_ticket_comments_ticket", "ticket_id", "created_at"),)


class TicketHistory(Base):
    """Everything that happened to a ticket, in order; rows are only ever added."""

    __tablename__ = "ticket_history"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(100), doc="a user id, 'sla' or the event that caused it")
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, doc="JSON")
    public: Mapped[bool] = mapped_column(Boolean, doc="shown to the requester")

    __table_args__ = (Index("ix_ticket_history_ticket", "ticket_id", "at"),)
