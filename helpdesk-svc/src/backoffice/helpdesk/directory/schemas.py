from __future__ import annotations

from datetime import date
from typing import Literal

from backoffice.shared.paging import Page
from pydantic import BaseModel, Field

Availability = Literal["available", "busy", "away", "off"]


class StaffRead(BaseModel):
    employee_id: str
    name: str
    email: str
    department: str | None
    position: str | None
    manager_id: str | None
    extension: str | None
    availability: Availability
    availability_note: str | None
    starts_on: date
    leaves_on: date | None
    active: bool


class StaffPage(Page[StaffRead]):
    pass


class ExtensionIn(BaseModel):
    extension: str | None = Field(pattern=r"^[0-9]{2,8}$", description="digits; empty to remove")


class AvailabilityIn(BaseModel):
    availability: Availability
    note: str | None = Field(default=None, max_length=200)
