from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.docs.documents.names import NAME_PATTERN, check_name
from backoffice.docs.numbers import INT32_MAX
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.auth import ROLES
from backoffice.shared.dates import IsoDateTime
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field, field_validator

Role = Literal[ROLES]  # type: ignore[valid-type]
MAX_TAG = 60  # characters of a tag


class VersionRead(BaseModel):
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
    status: Literal["active", "trashed", "deleted"]
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


class CopyIn(BaseModel):
    folder_id: str | None = None
    employee_id: str | None = Field(default=None, max_length=64)
    supplier_id: str | None = Field(default=None, max_length=64)
    ticket_id: str | None = Field(default=None, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    version: int | None = Field(
        default=None, ge=1, le=INT32_MAX, description="copy this version; the current one if empty"
    )


class FolderIn(BaseModel):
    name: str = Field(
        min_length=1,
        max_length=200,
        json_schema_extra={"pattern": NAME_PATTERN},  # check_name says which rule a name breaks
        description="not blank, '.' or '..'; no '/', '\\', control or text-direction characters",
    )
    parent_id: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_name(value, "folder name")


class FolderRead(BaseModel):
    id: str
    name: str
    parent_id: str | None
    path: str
    created_at: datetime


class SearchHit(BaseModel):
    document: DocumentRead
    score: float
    snippet: str | None


class SearchPage(Page[SearchHit]):
    total: int = Field(description="matches the caller may see, counted up to 1,000")
    total_is_exact: bool = Field(description="false when there are more than 1,000")


class AuditRead(BaseModel):
    at: datetime
    user_id: str
    user_id_actor: Actor | None = actor_field("user_id")
    action: str
    document_id: str | None
    version: int | None
    detail: dict[str, object]


class VersionPage(Page[VersionRead]):
    """A document's versions, newest first."""


class FolderPage(Page[FolderRead]):
    """Folders, by path."""


class AuditPage(Page[AuditRead]):
    """Audit entries, newest first."""
