"""Fair pay tables: HR's declared sex, job categories and placements as payroll keeps them (replicas), and the
records of fair pay work: justifications, joint pay assessments with their follow-ups, information requests.
Records are never edited: a new justification or a follow-up is a new row."""

from __future__ import annotations

from datetime import date, datetime

from backoffice.payroll.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class DeclaredSexRow(Base):
    """The latest sex an employee declared to HR. Read by the pay gap report alone; never logged nor shown."""

    __tablename__ = "pay_declared_sex"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sex: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_event_id: Mapped[str] = mapped_column(String(64))


class JobCategoryVersion(Base):
    """One version of a job category (work of equal value) with its scores on the four criteria."""

    __tablename__ = "pay_job_categories"

    category_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    skills: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    responsibility: Mapped[int] = mapped_column(Integer)
    working_conditions: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_event_id: Mapped[str] = mapped_column(String(64))


class PositionPlacement(Base):
    """A position in a job category from ``effective_from`` to ``effective_to`` (open when empty)."""

    __tablename__ = "pay_position_placements"

    placement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_event_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_pay_position_placements_position", "position", "effective_from"),)


class Justification(Base):
    """Why a flagged category's gap is justified by factors other than sex, for a period."""

    __tablename__ = "pay_gap_justifications"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category_id: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_pay_gap_justifications_category", "category_id", "created_at"),)


class Assessment(Base):
    """A joint pay assessment of a category: findings and the measures agreed (JSON list)."""

    __tablename__ = "pay_assessments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category_id: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, doc="JSON: [{description, owner, due}]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_pay_assessments_category", "category_id", "created_at"),)


class FollowUp(Base):
    """A note on how an assessment's measures go, appended; never edited."""

    __tablename__ = "pay_assessment_follow_ups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("pay_assessments.id"))
    note: Mapped[str] = mapped_column(Text)
    measure_index: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_pay_assessment_follow_ups_assessment", "assessment_id", "created_at"),)


class InformationRequest(Base):
    """An employee's request for the pay of their category by sex, answered at once; the answer kept as given."""

    __tablename__ = "pay_information_requests"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text, doc="JSON: the answer as given")
    requested_by: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_pay_information_requests_employee", "employee_id", "answered_at"),)
