from __future__ import annotations

from datetime import datetime

from backoffice.hr.database import Base
from backoffice.shared.db import UTCDateTime
from backoffice.shared.events.hr import DeclaredSex
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class SexDeclaration(Base):
    """One declaration of an employee's sex; a change is a new row and the latest wins. Never joined into the
    employee record, its lists or its events."""

    __tablename__ = "sex_declarations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    sex: Mapped[DeclaredSex] = mapped_column(String(16))
    declared_by: Mapped[str] = mapped_column(String(64), doc="the login that recorded it")
    self_declared: Mapped[bool] = mapped_column(doc="recorded by the employee themself")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_sex_declarations_employee", "employee_id", "declared_at"),)
