from __future__ import annotations

import string
from datetime import datetime

from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator

CANNED_VARIABLES = ("requester_name", "ticket_number", "ticket_subject", "agent_name")


class CannedCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(
        min_length=1,
        max_length=20000,
        description="text with {requester_name}, {ticket_number}, {ticket_subject} or {agent_name}",
    )

    @field_validator("body")
    @classmethod
    def _variables(cls, value: str) -> str:
        try:
            fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(value) if name is not None]
        except ValueError as exc:
            raise ValueError(f"the text is not a valid template ({exc}); write {{{{ and }}}} for braces") from None
        if any(spec or conv for _, spec, conv in fields):
            raise ValueError("write variables plainly, as {requester_name}: no formats or conversions")
        names = {name for name, _, _ in fields}
        unknown = sorted(n for n in names if n not in CANNED_VARIABLES)
        if unknown:
            raise ValueError(f"unknown variables {unknown}; use {', '.join(CANNED_VARIABLES)}")
        return value


class CannedRead(CannedCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime


class CannedPage(Page[CannedRead]):
    """Canned responses, by title."""
