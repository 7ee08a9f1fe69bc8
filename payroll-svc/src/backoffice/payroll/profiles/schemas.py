from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class PayTermsRead(BaseModel):
    effective_from: date
    pay_type: str
    rate: Decimal
    currency: str
    frequency: str


class PayProfileRead(BaseModel):
    employee_id: str
    given_name: str
    family_name: str
    email: str
    department: str | None
    position: str | None
    start_date: date
    end_date: date | None
    termination_kind: str | None
    pay_terms: list[PayTermsRead]


class PayProfilePage(BaseModel):
    items: list[PayProfileRead]
    total: int
