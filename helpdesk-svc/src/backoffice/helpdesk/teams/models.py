"""Support teams, their members (agents, some of them leads) and each agent's availability and cap."""

from __future__ import annotations

from datetime import datetime

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    categories: Mapped[str] = mapped_column(Text, doc="JSON list: ticket categories routed to this team")
    is_default: Mapped[bool] = mapped_column(Boolean, doc="takes the tickets no other team's categories match")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Agent(Base):
    __tablename__ = "agents"

    employee_id: Mapped[str] = mapped_column(ForeignKey("staff.employee_id"), primary_key=True)
    available: Mapped[bool] = mapped_column(Boolean)
    max_open_tickets: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("agents.employee_id"), primary_key=True)
    is_lead: Mapped[bool] = mapped_column(Boolean)
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="round-robin: longest waiting first")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
