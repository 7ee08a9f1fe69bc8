from __future__ import annotations

from datetime import date, datetime

from backoffice.hr.database import Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class JobCategory(Created, Base):
    """A category of work of equal value; what it says is in its versions (the latest is current)."""

    __tablename__ = "job_categories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    version: Mapped[int] = mapped_column(Integer, doc="the current (latest) version")


class JobCategoryVersion(Created, Base):
    """One version of a category: its name, description and scores, never edited (a change is a new version)."""

    __tablename__ = "job_category_versions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("job_categories.id"))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    responsibility: Mapped[int] = mapped_column(Integer)
    working_conditions: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("category_id", "version", name="uq_job_category_versions_version"),)


class PositionPlacement(Created, Base):
    """A position (an employee's position text) in a category from ``effective_from`` to ``effective_to``
    (inclusive; open when empty). Placements of one position never overlap."""

    __tablename__ = "position_placements"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[str] = mapped_column(ForeignKey("job_categories.id"))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_position_placements_position", "position", "effective_from"),
        Index("ix_position_placements_category", "category_id"),
    )
