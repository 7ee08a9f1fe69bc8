from __future__ import annotations

from datetime import datetime

from backoffice.shared.fields import Omittable
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field, StrictBool, field_validator


class TeamCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    categories: list[str] = Field(default_factory=list, max_length=200, description="ticket categories it takes")
    is_default: StrictBool = Field(default=False, description="takes tickets whose category no team names")

    @field_validator("categories")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        cleaned = sorted({c.strip().lower() for c in value if c.strip()})
        if any(len(c) > 100 for c in cleaned):
            raise ValueError("a category has at most 100 characters")
        return cleaned


class MemberRead(BaseModel):
    employee_id: str
    name: str
    is_lead: bool
    available: bool
    max_open_tickets: int
    open_tickets: int
    last_assigned_at: datetime | None


class TeamUpdate(TeamCreate):
    """The whole team as it is to be (a PUT replaces every field)."""


class TeamRead(TeamCreate):
    id: str
    members: list[MemberRead]
    created_at: datetime


class TeamPage(Page[TeamRead]):
    """Teams, by name."""


class MemberCreate(BaseModel):
    employee_id: str = Field(min_length=1, max_length=64)
    is_lead: bool = False


class AgentUpdate(BaseModel):
    """What to change (a field left out stays as it is)."""

    available: Omittable[bool] = None
    max_open_tickets: Omittable[int] = Field(default=None, ge=1, le=1000)


class AgentRead(BaseModel):
    employee_id: str
    name: str
    available: bool
    max_open_tickets: int
    open_tickets: int
    teams: list[str]


class AgentPage(Page[AgentRead]):
    """Agents, by family name and given name."""
