"""Courses, their sessions, and enrolments with attendance, completion and the certificate's expiry."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

EnrolmentStatus = Literal["enrolled", "attended", "completed", "cancelled"]
EnrolmentReason = Literal["hire", "mandatory", "renewal", "request"]


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    mandatory_departments: Mapped[str] = mapped_column(Text, doc="JSON: department ids; ['*'] for everyone")
    mandatory_positions: Mapped[str] = mapped_column(Text, doc="JSON: positions")
    duration_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    validity_months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrainingSession(Base):
    __tablename__ = "training_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)


class Enrolment(Base):
    __tablename__ = "enrolments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("courses.id"))
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    session_id: Mapped[str | None] = mapped_column(ForeignKey("training_sessions.id"))
    status: Mapped[EnrolmentStatus] = mapped_column(String(16))
    reason: Mapped[EnrolmentReason] = mapped_column(String(16))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    certificate_document_id: Mapped[str | None] = mapped_column(String(64))
    completed_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_enrolments_employee_course", "employee_id", "course_id"),)
