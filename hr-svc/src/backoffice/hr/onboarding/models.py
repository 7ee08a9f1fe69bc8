"""Checklist templates per department, and each employee's onboarding or offboarding checklist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

Kind = Literal["onboarding", "offboarding"]
OwnerRole = Literal["hr", "it_agent", "manager", "employee", "office", "payroll"]
TaskStatus = Literal["open", "done", "cancelled"]


class ChecklistTemplate(Created, Base):
    __tablename__ = "checklist_templates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[Kind] = mapped_column(String(16))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), doc="empty: the company default")
    tasks: Mapped[str] = mapped_column(Text, doc="JSON: title, owner_role, due_offset_days, done_on_event")

    __table_args__ = (UniqueConstraint("kind", "department_id", name="uq_checklist_templates_kind_department"),)


class ChecklistTask(Base):
    __tablename__ = "checklist_tasks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    kind: Mapped[Kind] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    owner_role: Mapped[OwnerRole] = mapped_column(String(16))
    due_date: Mapped[date] = mapped_column(Date)
    done_on_event: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[TaskStatus] = mapped_column(String(16))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(100), doc="a user id, or the event that completed it")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_checklist_tasks_employee", "employee_id", "kind"),
        Index("ix_checklist_tasks_open_due", "status", "due_date"),
    )
