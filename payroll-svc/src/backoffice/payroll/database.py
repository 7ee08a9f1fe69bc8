"""The payroll service's tables (its own database)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

# Money columns: three decimals hold every supported currency's minor unit (KWD has three).
MONEY = Numeric(18, 3)
RATE = Numeric(14, 4)
HOURS = Numeric(7, 2)


class Base(DeclarativeBase):
    type_annotation_map = {Decimal: MONEY}
