"""Bodies and answers of job categories, their versions and the placements of positions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import UNTIL_2200, IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, model_validator

Score = Annotated[int, Field(ge=0, le=100)]


class Scores(BaseModel):
    """How the work scores on each objective, gender-neutral criterion, 0 to 100."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    skills: Score
    effort: Score
    responsibility: Score
    working_conditions: Score


class JobCategoryVersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    scores: Scores


class JobCategoryCreate(JobCategoryVersionCreate):
    code: str = Field(min_length=1, max_length=40, pattern=r"^\S(.*\S)?$", description="short and unique, e.g. C2")


class JobCategoryVersionRead(BaseModel):
    version: int
    name: str
    description: str | None
    scores: Scores
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class JobCategoryRead(BaseModel):
    id: str
    code: str
    version: int = Field(description="the current version")
    name: str
    description: str | None
    scores: Scores
    created_at: datetime
    updated_at: datetime = Field(description="when the current version was made")
    versions: list[JobCategoryVersionRead] | None = Field(default=None, description="every version, newest first")


class JobCategoryPage(Page[JobCategoryRead]):
    """Job categories, by code."""


class PlacementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: str = Field(min_length=1, max_length=200, description="an employee position, as written on records")
    effective_from: Annotated[IsoDate, UNTIL_2200]
    effective_to: Annotated[IsoDate, UNTIL_2200] | None = Field(default=None, description="last day; open if empty")

    @model_validator(mode="after")
    def _ordered(self) -> PlacementCreate:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class PlacementEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_to: Annotated[IsoDate, UNTIL_2200] = Field(description="the last day in the category")


class PlacementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    position: str
    category_id: str
    effective_from: date
    effective_to: date | None
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")
    ended_at: datetime | None


class PlacementPage(Page[PlacementRead]):
    """A category's placements, by position then date."""


class PositionRead(BaseModel):
    position: str
    employees: int = Field(description="employees holding it on the date (not terminated)")
    placement: PlacementRead | None = Field(description="its placement on the date, if any")
    category_code: str | None
    category_name: str | None


class PositionPage(Page[PositionRead]):
    """Positions in use (on employees or placements), by name, with their category on the date."""


class MyJobCategory(BaseModel):
    position: str | None = Field(description="your position on your record")
    category: JobCategoryRead | None = Field(description="its category today; empty when it is not placed")
