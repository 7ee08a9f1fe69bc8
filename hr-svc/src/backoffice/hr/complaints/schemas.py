"""Bodies and answers of complaints and their investigation notes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.hr.complaints.models import AgainstKind, ComplaintStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.ids import DocumentId
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, model_validator


class ComplaintCreate(BaseModel):
    against_kind: AgainstKind
    against_employee_id: str | None = Field(default=None, max_length=64, description="when against a person")
    against_description: str = Field(min_length=1, max_length=500, description="who or what, in words")
    withhold_name: bool = Field(default=False, description="keep your name from the person complained about")
    summary: str = Field(min_length=1, max_length=200)
    details: str = Field(min_length=1, max_length=20000)

    @model_validator(mode="after")
    def _person_named(self) -> ComplaintCreate:
        if self.against_kind == "person" and not self.against_employee_id:
            raise ValueError("against_employee_id is required for a complaint against a person")
        if self.against_kind != "person" and self.against_employee_id:
            raise ValueError("against_employee_id is only for a complaint against a person")
        return self


class Assignment(BaseModel):
    investigator_id: str = Field(min_length=1, max_length=64, description="the employee id of an HR investigator")


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=20000)
    evidence_document_id: DocumentId | None = None


class Closing(BaseModel):
    status: Literal["resolved", "unfounded"]
    outcome: str = Field(min_length=1, max_length=20000)


class NoteRead(NoteCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    written_by: str
    written_by_actor: Actor | None = actor_field("written_by")
    written_at: datetime


class ComplaintRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    filed_by: str
    filed_by_actor: Actor | None = actor_field("filed_by")
    against_kind: str
    against_employee_id: str | None
    against_description: str
    withhold_name: bool
    summary: str
    details: str
    status: ComplaintStatus
    investigator_id: str | None
    outcome: str | None
    filed_at: datetime
    closed_at: datetime | None
    notes: list[NoteRead] | None = Field(default=None, description="HR only")


class ComplaintPage(Page[ComplaintRead]):
    """Complaints, newest first."""
