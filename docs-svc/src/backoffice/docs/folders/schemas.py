from __future__ import annotations

from datetime import datetime

from backoffice.docs.names import NAME_PATTERN, check_name
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator


class FolderCreate(BaseModel):
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
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    parent_id: str | None
    path: str
    created_at: datetime


class FolderPage(Page[FolderRead]):
    """Folders, by path."""
