"""Bodies and answers of training: courses, sessions, enrolments, the report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from backoffice.hr.training.models import EnrolmentStatus
from backoffice.shared.dates import UNTIL_2200, IsoDate, IsoDateTime
from backoffice.shared.decimals import Hundredths
from backoffice.shared.ids import DocumentId
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    mandatory_departments: list[str] = Field(default_factory=list, description="department ids, or '*' for all")
    mandatory_positions: list[str] = Field(default_factory=list)
    duration_hours: Decimal = Field(gt=0, le=1000, decimal_places=2)
    validity_months: int = Field(gt=0, le=240, description="the certificate expires this long after completion")


class CourseRead(CourseCreate):
    id: str


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: IsoDateTime
    location: str | None = Field(default=None, max_length=200)
    capacity: int = Field(default=20, ge=1, le=10_000)


class SessionRead(SessionCreate):
    id: str
    course_id: str
    enrolled: int = Field(description="places taken (enrolled, attended or completed)")


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64)
    session_id: str | None = Field(default=None, max_length=64)


class Completion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completed_on: Annotated[IsoDate, UNTIL_2200]
    score: Decimal | None = Field(default=None, ge=0, le=100, decimal_places=2)
    certificate_document_id: DocumentId | None = None


TrainingState = Literal["overdue", "expiring"]


class EnrolmentRead(BaseModel):
    id: str
    course_id: str
    course_title: str
    employee_id: str
    session_id: str | None
    status: EnrolmentStatus
    reason: str
    score: Hundredths | None
    certificate_document_id: str | None
    completed_on: date | None
    expires_on: date | None


class TrainingStatusRow(BaseModel):
    employee_id: str
    employee_name: str
    department_id: str | None
    course_id: str
    course_title: str
    state: TrainingState
    expires_on: date | None = Field(description="empty: never completed")


class TrainingReport(BaseModel):
    as_of: date
    within_days: int
    rows: list[TrainingStatusRow]


class CoursePage(Page[CourseRead]):
    """Courses, by title."""


class SessionPage(Page[SessionRead]):
    """A course's sessions, by start time."""


class EnrolmentPage(Page[EnrolmentRead]):
    """Enrolments, newest first."""
