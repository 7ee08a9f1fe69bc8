"""Bodies and answers of hiring: openings, candidates, applications, interviews, offers, the report."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from backoffice.hr.employees.models import EmploymentType
from backoffice.hr.employees.schemas import PayTermsCreate
from backoffice.hr.hiring.models import ApplicationStatus, OfferStatus, OpeningStatus, Recommendation
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import UNTIL_2200, IsoDate, IsoDateTime
from backoffice.shared.decimals import Hundredths, InCurrency, Money
from backoffice.shared.emails import Email
from backoffice.shared.ids import DocumentId
from backoffice.shared.paging import Page
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

OpeningChange = Literal["open", "on_hold", "cancelled"]  # what a hiring manager or HR may make of it


class OpeningCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department_id: str | None = Field(default=None, max_length=64)
    position: str = Field(min_length=1, max_length=200)
    headcount: int = Field(default=1, ge=1, le=1000)
    salary_min: Decimal = Field(ge=0, le=100_000_000, decimal_places=2)
    salary_max: Decimal = Field(ge=0, le=100_000_000, decimal_places=2)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    hiring_manager_id: str = Field(min_length=1, max_length=64)
    expected_rating: Decimal = Field(default=Decimal("3.5"), ge=1, le=5, decimal_places=2)
    closing_date: IsoDate | None = None

    @model_validator(mode="after")
    def _range(self) -> OpeningCreate:
        if self.salary_max < self.salary_min:
            raise ValueError("salary_max is below salary_min")
        return self


class OpeningRead(InCurrency):
    model_config = ConfigDict(from_attributes=True)

    id: str
    department_id: str | None
    position: str
    headcount: int
    hires: int
    salary_min: Money
    salary_max: Money
    currency: str
    hiring_manager_id: str
    expected_rating: Hundredths
    status: OpeningStatus
    closing_date: date | None
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    created_at: datetime


class OpeningStatusChange(BaseModel):
    status: OpeningChange


class CandidateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    email: Email
    phone: str | None = Field(default=None, max_length=50)
    source: str = Field(min_length=1, max_length=60, description="referral, job board, agency, website, …")
    cv_document_id: DocumentId | None = None


class CandidateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    given_name: str
    family_name: str
    email: str | None = Field(description="personal data: HR and the hiring manager only")
    phone: str | None
    source: str
    cv_document_id: str | None


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opening_id: str = Field(min_length=1, max_length=64)
    candidate_id: str = Field(min_length=1, max_length=64)


class MoveRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_stage: str | None
    to_stage: str
    moved_by: str | None
    moved_by_actor: Actor | None = actor_field("moved_by")
    moved_at: datetime
    reason: str | None


class ApplicationRead(BaseModel):
    id: str
    opening_id: str
    candidate: CandidateRead
    stage: str
    status: ApplicationStatus
    reason: str | None
    employee_id: str | None
    moves: list[MoveRead]
    average_rating: Decimal | None = Field(description="of every interview's feedback")
    expected_rating: Decimal
    interview_ids: list[str] = Field(description="its interviews, by scheduled time (GET /interviews/{id})")


class StageChange(BaseModel):
    stage: str = Field(min_length=1, max_length=40)


class Closing(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class InterviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scheduled_at: IsoDateTime
    interviewers: list[str] = Field(min_length=1, max_length=10, description="employee ids")


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5)
    recommendation: Recommendation
    notes: str | None = Field(default=None, max_length=10_000)


class FeedbackRead(FeedbackCreate):
    model_config = ConfigDict(from_attributes=True)

    interviewer_id: str
    submitted_at: datetime


class InterviewRead(BaseModel):
    id: str
    application_id: str
    candidate_name: str
    position: str
    scheduled_at: AwareDatetime
    interviewers: list[str]
    feedback: list[FeedbackRead] = Field(description="an interviewer sees only their own")
    average_rating: Decimal | None


class InterviewPage(Page[InterviewRead]):
    """Interviews, by scheduled time."""


class OfferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: str = Field(min_length=1, max_length=200)
    employment_type: EmploymentType
    pay_terms: PayTermsCreate
    start_date: Annotated[IsoDate, UNTIL_2200]
    outside_range_reason: str | None = Field(
        default=None,
        max_length=4000,
        description="required when the pay, annualised, is outside the opening's salary range: why",
    )

    @field_validator("outside_range_reason")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _pay_matches(self) -> OfferCreate:
        if self.pay_terms.pay_type != self.employment_type:
            raise ValueError("pay_terms.pay_type must match employment_type")
        return self


class OfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    application_id: str
    position: str
    employment_type: str
    pay_terms: PayTermsCreate
    start_date: date
    status: OfferStatus
    employee_id: str | None
    sent_at: datetime | None
    decided_at: datetime | None
    outside_range_reason: str | None = Field(description="why the pay is outside the opening's salary range")

    @field_validator("pay_terms", mode="before")
    @classmethod
    def _stored_as_json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


class StageCount(BaseModel):
    opening_id: str
    position: str
    stage: str
    candidates: int


class HiringReport(BaseModel):
    open_positions: list[OpeningRead]
    candidates_per_stage: list[StageCount]
    average_days_in_stage: dict[str, Decimal]
    average_days_to_fill: Decimal | None
    hires_by_source: dict[str, int]


class HiringStages(BaseModel):
    stages: list[str] = Field(
        description="the company's pipeline in order: the first is where an application enters, "
        "'offer' and 'hired' are last (an accepted offer hires)"
    )


class CandidatePage(Page[CandidateRead]):
    """Candidates, by name."""


class OfferPage(Page[OfferRead]):
    """An application's offers, newest first."""


class OpeningPage(Page[OpeningRead]):
    """Openings, newest first."""


class ApplicationPage(Page[ApplicationRead]):
    """Applications, newest first."""
