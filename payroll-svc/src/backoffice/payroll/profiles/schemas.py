from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class PayTermsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    effective_from: date
    pay_type: str
    rate: Decimal
    currency: str
    frequency: str
    weekly_hours: Decimal | None = None
    agreement_group: str | None = None


class PlacementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    effective_from: date
    department: str | None
    position: str | None


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
    placements: list[PlacementRead] = Field(description="department and position by effective date")


class PayProfilePage(Page[PayProfileRead]):
    pass
