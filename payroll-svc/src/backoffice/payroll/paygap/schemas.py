"""Fair pay API: the pay gap report, the pay register, justifications, joint pay assessments and information
requests. Figures are decimal strings; a group under the threshold shows ``suppressed`` and no figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.events.payroll import RegisterRow
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]
FollowUpStatus = Literal["planned", "in_progress", "done"]


class Gap(BaseModel):
    """Women's and men's mean and median hourly pay and the gap, (men - women) / men x 100, from the figures shown."""

    women_mean: Decimal | None
    men_mean: Decimal | None
    mean_gap_percent: Decimal | None
    women_median: Decimal | None
    men_median: Decimal | None
    median_gap_percent: Decimal | None
    suppressed: bool


class ComplementaryShare(BaseModel):
    women_receiving_percent: Decimal | None
    men_receiving_percent: Decimal | None
    suppressed: bool


class Quartile(BaseModel):
    quartile: int = Field(ge=1, le=4, description="1: the lowest paid quarter")
    lower: Decimal | None
    upper: Decimal | None
    women: int | None
    men: int | None
    women_percent: Decimal | None
    men_percent: Decimal | None
    suppressed: bool


class Scores(BaseModel):
    skills: int
    effort: int
    responsibility: int
    working_conditions: int


class JustificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    category_id: str
    period_start: date
    period_end: date
    text: str
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class CategoryGap(BaseModel):
    category_id: str
    code: str
    name: str
    scores: Scores
    workers: int
    women: int
    men: int
    basic: Gap
    complementary: Gap
    flagged: bool = Field(description="a mean or median gap of basic or complementary pay at or over flag_percent")
    suppressed: bool = Field(description="women or men of the category are fewer than the threshold")
    justification: JustificationRead | None = Field(description="the latest for the category over the period")
    assessment_id: str | None = Field(description="the latest joint pay assessment of the category over the period")


class PayGapReport(BaseModel):
    period_start: date
    period_end: date
    currency: str
    threshold: int = Field(description="groups of fewer workers show no figures")
    flag_percent: Decimal
    workers: int
    women: int
    men: int
    others: int = Field(description="another sex or not declared: counted, not in the gaps")
    overall: Gap
    basic: Gap
    complementary: Gap
    complementary_share: ComplementaryShare
    quartiles: list[Quartile]
    categories: list[CategoryGap]
    uncategorised: int = Field(description="workers whose position has no job category")
    generated_at: datetime


class PayRegister(BaseModel):
    period_start: date
    period_end: date
    currency: str
    threshold: int
    rows: list[RegisterRow]
    generated_at: datetime


class RegisterFiling(BaseModel):
    period_start: IsoDate = Field(alias="from")
    period_end: IsoDate = Field(alias="to")
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> RegisterFiling:
        if self.period_end < self.period_start:
            raise ValueError("'to' is before 'from'")
        return self


class RegisterFiled(BaseModel):
    register_id: str
    period_start: date
    period_end: date
    rows: int


class _Period(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category_id: str = Field(min_length=1, max_length=64)
    period_start: IsoDate
    period_end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> _Period:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class JustificationCreate(_Period):
    text: Text = Field(description="why the gap is due to factors other than sex")


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Text
    owner: str = Field(min_length=1, max_length=200)
    due: IsoDate


class AssessmentCreate(_Period):
    findings: Text
    measures: list[Measure] = Field(min_length=1, max_length=100)


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text
    measure_index: int | None = Field(default=None, ge=0, le=99, description="which measure (0 the first); empty: all")
    status: FollowUpStatus


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    note: str
    measure_index: int | None
    status: FollowUpStatus
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class AssessmentRead(BaseModel):
    id: str
    category_id: str
    category_name: str | None
    period_start: date
    period_end: date
    findings: str
    measures: list[Measure]
    follow_ups: list[FollowUpRead]
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class AssessmentPage(Page[AssessmentRead]):
    """Joint pay assessments, latest first."""


class SexFigures(BaseModel):
    workers: int
    average_hourly: Decimal | None
    average_annual: Decimal | None = Field(description="average total pay of a worker over the period")
    suppressed: bool


class InformationAnswer(BaseModel):
    category_id: str
    category_name: str
    period_start: date
    period_end: date
    currency: str
    threshold: int
    women: SexFigures
    men: SexFigures


class InformationRequestRead(BaseModel):
    id: str
    employee_id: str
    answer: InformationAnswer
    requested_by: str
    requested_by_actor: Actor | None = actor_field("requested_by")
    answered_at: datetime


class InformationRequestPage(Page[InformationRequestRead]):
    """Information requests, latest first."""
