"""Bodies and answers of the employee record: departments, employees, pay terms, terminations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.hr.employees.models import EmploymentType, PayFrequency, TerminationKind
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.auth import PERSON_ROLES
from backoffice.shared.dates import IsoDate
from backoffice.shared.fields import Omittable
from backoffice.shared.paging import Page
from pydantic import AliasChoices, BaseModel, ConfigDict, EmailStr, Field, field_validator

Role = Literal[PERSON_ROLES]  # type: ignore[valid-type]
Status = Literal["active", "on_leave", "terminated"]


class DepartmentCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class DepartmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str


class DepartmentPage(Page[DepartmentRead]):
    """Departments, by name."""


class PayTermsCreate(BaseModel):
    pay_type: EmploymentType
    rate: Decimal = Field(
        gt=0, max_digits=14, decimal_places=4, description="per hour (hourly) or per pay period (salaried)"
    )
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    frequency: PayFrequency
    weekly_hours: Decimal | None = Field(
        default=None,
        gt=0,
        le=168,
        max_digits=6,
        decimal_places=2,
        description="contracted hours a week (a part-timer's); empty: the pay group's standard hours",
    )
    agreement_group: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="collective agreement group, when the minimum pay depends on it",
    )

    @field_validator("rate")
    @classmethod
    def _four_places(cls, value: Decimal) -> Decimal:
        # Stored with four places: the record, its events and every read show the same figure.
        return value.quantize(Decimal("0.0001"))


class PayTermsChange(PayTermsCreate):
    effective_from: IsoDate


class PayTermsRead(PayTermsCreate):
    model_config = ConfigDict(from_attributes=True)

    effective_from: date


class EmployeeCreate(BaseModel):
    """A hire."""

    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=50)
    department_id: str | None = Field(default=None, max_length=64)
    position: str | None = Field(default=None, max_length=200)
    manager_id: str | None = Field(default=None, max_length=64)
    employment_type: EmploymentType
    start_date: IsoDate
    pay_terms: PayTermsCreate
    roles: list[Role] = Field(
        default_factory=lambda: ["employee"],
        min_length=1,
        description="roles of the hire's login: HR grants employee and manager; the other roles come from an admin",
    )


class EmployeeUpdate(BaseModel):
    """Fields to change from ``effective_from`` (omitted fields stay as they are; ``null`` clears a field a record
    may be without)."""

    # Named as pay terms, placements and rule sets name the first day a version holds; ``effective_date`` (its
    # name before) is still read, for one release.
    effective_from: IsoDate = Field(
        validation_alias=AliasChoices("effective_from", "effective_date"),
        description="the first day the change holds (`effective_date`, its former name, is accepted until the next "
        "release)",
    )
    email: Omittable[EmailStr] = None
    phone: str | None = Field(default=None, max_length=50)
    department_id: str | None = Field(default=None, max_length=64)
    position: str | None = Field(default=None, max_length=200)
    manager_id: str | None = Field(default=None, max_length=64)
    status: Omittable[Literal["active", "on_leave"]] = None


class TerminationCreate(BaseModel):
    effective_date: IsoDate
    kind: TerminationKind
    reason: str = Field(min_length=1, max_length=2000)


class TerminationRead(TerminationCreate):
    model_config = ConfigDict(from_attributes=True)

    decided_by: str | None
    decided_by_actor: Actor | None = actor_field("decided_by")
    created_at: datetime


class EmployeeRead(BaseModel):
    id: str
    given_name: str
    family_name: str
    email: str
    phone: str | None
    department_id: str | None
    department: str | None
    position: str | None
    manager_id: str | None
    employment_type: str
    start_date: date
    end_date: date | None
    status: Status
    created_at: datetime
    updated_at: datetime
    pay_terms: PayTermsRead | None = Field(default=None, description="only for HR, payroll and admin")
    pay_history: list[PayTermsRead] | None = Field(default=None, description="only for HR, payroll and admin")
    termination: TerminationRead | None = None


class EmployeePage(Page[EmployeeRead]):
    """Employees, by name."""
