"""What the documents API reads and writes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from backoffice.docs.documents.models import DocumentStatus
from backoffice.docs.numbers import INT32_MAX
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.auth import ROLES
from backoffice.shared.dates import IsoDateTime
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator

Role = Literal[ROLES]  # type: ignore[valid-type]
MAX_TAG = 60  # characters of a tag


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    created_by: str
    created_by_actor: Actor | None = actor_field("created_by")


class DocumentRead(BaseModel):
    id: str
    title: str
    type: str
    tags: list[str]
    folder_id: str | None
    owner_user_id: str
    owner_user_id_actor: Actor | None = actor_field("owner_user_id")
    employee_id: str | None
    supplier_id: str | None
    ticket_id: str | None
    roles: list[str]
    current_version: int
    status: DocumentStatus
    legal_hold: bool
    copied_from_document_id: str | None
    copied_from_version: int | None
    created_at: datetime
    updated_at: datetime
    trashed_at: datetime | None
    version: VersionRead = Field(description="the current version")


class DocumentPage(Page[DocumentRead]):
    pass


class DocumentFilter(BaseModel):
    """What lists and searches narrow to (query parameters); every one given must hold."""

    type: str | None = Field(default=None, max_length=60, description="the document type, e.g. contract")
    tag: str | None = Field(default=None, max_length=60, description="one tag, matched whole")
    folder_id: str | None = Field(default=None, max_length=64)
    employee_id: str | None = Field(default=None, max_length=64, description="documents linked to this employee")
    supplier_id: str | None = Field(default=None, max_length=64)
    ticket_id: str | None = Field(default=None, max_length=64)
    created_from: IsoDateTime | None = Field(default=None, description="filed at or after (with a timezone)")
    created_to: IsoDateTime | None = Field(default=None, description="filed before (with a timezone)")


class DocumentUpdate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    type: str | None = Field(default=None, min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")
    tags: list[str] | None = Field(default=None, max_length=50)
    folder_id: str | None = None
    employee_id: str | None = Field(default=None, max_length=64)
    supplier_id: str | None = Field(default=None, max_length=64)
    ticket_id: str | None = Field(default=None, max_length=64)
    roles: list[Role] | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = sorted({t.strip().lower() for t in value if t.strip()})
        if any(len(t) > MAX_TAG for t in cleaned):
            raise ValueError(f"a tag has at most {MAX_TAG} characters")
        return cleaned


class CopyCreate(BaseModel):
    folder_id: str | None = None
    employee_id: str | None = Field(default=None, max_length=64)
    supplier_id: str | None = Field(default=None, max_length=64)
    ticket_id: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    version: int | None = Field(
        default=None, ge=1, le=INT32_MAX, description="copy this version; the current one if empty"
    )


class Highlight(BaseModel):
    """A matching word in a text: its characters ``start`` (included) to ``end`` (excluded)."""

    start: int
    end: int


class SearchHit(BaseModel):
    document: DocumentRead
    score: float
    snippet: str | None
    title_highlights: list[Highlight] = Field(description="the words of the query in the document's title")
    snippet_highlights: list[Highlight] = Field(description="the words of the query in the snippet")


class SearchPage(Page[SearchHit]):
    total: int = Field(description="matches the caller may see, counted up to 1,000")
    total_is_exact: bool = Field(description="false when there are more than 1,000")


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    user_id: str
    user_id_actor: Actor | None = actor_field("user_id")
    action: str
    document_id: str | None
    version: int | None
    detail: dict[str, object]

    @field_validator("detail", mode="before")
    @classmethod
    def _detail(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value  # stored as JSON text


class VersionPage(Page[VersionRead]):
    """A document's versions, newest first."""


class AuditPage(Page[AuditRead]):
    """Audit entries, newest first."""
