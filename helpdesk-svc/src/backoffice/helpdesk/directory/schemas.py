from __future__ import annotations

from datetime import date

from backoffice.helpdesk.directory.models import Availability
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field


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
    start_date: date = Field(description="the first day of employment (as HR's employee record names it)")
    end_date: date | None = Field(description="the last day of employment, once a termination is known")
    starts_on: date = Field(
        description="the former name of start_date, dropped in the next release", json_schema_extra={"deprecated": True}
    )
    leaves_on: date | None = Field(
        description="the former name of end_date, dropped in the next release", json_schema_extra={"deprecated": True}
    )
    active: bool


class StaffPage(Page[StaffRead]):
    pass


class StaffBrief(BaseModel):
    """A person as the switchboard searches and shows them: what a receptionist needs, nothing more."""

    employee_id: str
    name: str
    email: str
    department: str | None
    position: str | None
    extension: str | None
    availability: Availability
    availability_note: str | None


class StaffBriefPage(Page[StaffBrief]):
    """Everyone still here, by family name."""


class ExtensionUpdate(BaseModel):
    extension: str | None = Field(pattern=r"^[0-9]{2,8}$", description="digits; empty to remove")


class AvailabilityUpdate(BaseModel):
    availability: Availability
    note: str | None = Field(default=None, max_length=200)
