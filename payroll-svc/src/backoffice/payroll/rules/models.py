"""Pay groups and their versioned rule sets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.payroll.database import HOURS, Base
from backoffice.shared.db import Created
from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class PayGroup(Created, Base):
    """Employees paid together: everyone whose terms in force have this frequency and currency."""

    __tablename__ = "pay_groups"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))

    __table_args__ = (UniqueConstraint("frequency", "currency", name="uq_pay_groups_frequency_currency"),)


class RuleSet(Created, Base):
    """One version of a group's rules; never edited, a change is a new version."""

    __tablename__ = "rule_sets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pay_group_code: Mapped[str] = mapped_column(ForeignKey("pay_groups.code"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    standard_hours_per_year: Mapped[Decimal] = mapped_column(HOURS)
    rules: Mapped[str] = mapped_column(Text, doc="JSON list of rules")

    __table_args__ = (
        UniqueConstraint("pay_group_code", "version", name="uq_rule_sets_group_version"),
        UniqueConstraint("pay_group_code", "effective_from", name="uq_rule_sets_group_from"),
    )
