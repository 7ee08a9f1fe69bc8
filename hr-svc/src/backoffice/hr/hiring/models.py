"""Hiring: job openings, candidates, applications and their moves, interviews with feedback, offers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.hr.database import Base
from backoffice.hr.employees.models import EmploymentType
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

OpeningStatus = Literal["draft", "open", "on_hold", "filled", "cancelled"]
ApplicationStatus = Literal["active", "rejected", "withdrawn", "hired"]
ApplicationOutcome = Literal["rejected", "withdrawn"]  # how an application leaves the pipeline but by a hire
Recommendation = Literal["hire", "no_hire", "unsure"]
OfferStatus = Literal["draft", "sent", "accepted", "declined"]


class JobOpening(Created, Base):
    __tablename__ = "job_openings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    position: Mapped[str] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(Integer)
    hires: Mapped[int] = mapped_column(Integer, default=0)
    salary_min: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    salary_max: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    hiring_manager_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    expected_rating: Mapped[Decimal] = mapped_column(Numeric(3, 2))
    status: Mapped[OpeningStatus] = mapped_column(String(16))
    closing_date: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Candidate(Created, Base):
    __tablename__ = "candidates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(60), doc="referral, job board, agency, website, …")
    cv_document_id: Mapped[str | None] = mapped_column(String(64))


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opening_id: Mapped[str] = mapped_column(ForeignKey("job_openings.id"))
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id"))
    stage: Mapped[str] = mapped_column(String(40))
    status: Mapped[ApplicationStatus] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    employee_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("opening_id", "candidate_id", name="uq_applications_opening_candidate"),)


class StageMove(Base):
    """Every move of an application, with who and when: time-in-stage reports are read from these."""

    __tablename__ = "application_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(40))
    to_stage: Mapped[str] = mapped_column(String(40), doc="a stage, or rejected / withdrawn")
    moved_by: Mapped[str | None] = mapped_column(String(64))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


class Interview(Created, Base):
    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    interviewers: Mapped[str] = mapped_column(Text, doc="JSON: employee ids")


class InterviewPanelist(Base):
    """One interviewer of an interview: who is on which panel, so a person's interviews are found by index."""

    __tablename__ = "interview_panelists"

    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id"), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class InterviewFeedback(Base):
    __tablename__ = "interview_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[str] = mapped_column(ForeignKey("interviews.id"))
    interviewer_id: Mapped[str] = mapped_column(String(64))
    rating: Mapped[int] = mapped_column(Integer)
    recommendation: Mapped[Recommendation] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("interview_id", "interviewer_id", name="uq_feedback_interviewer"),)


class Offer(Created, Base):
    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    position: Mapped[str] = mapped_column(String(200))
    pay_terms: Mapped[str] = mapped_column(Text, doc="JSON: pay_type, rate, currency, frequency")
    employment_type: Mapped[EmploymentType] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    status: Mapped[OfferStatus] = mapped_column(String(16))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    employee_id: Mapped[str | None] = mapped_column(String(64))
    outside_range_reason: Mapped[str | None] = mapped_column(Text, doc="why the pay is outside the opening's range")

    __table_args__ = (Index("ix_offers_status", "status"),)
