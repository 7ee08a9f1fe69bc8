"""Query parameters every paged listing shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_OFFSET = 1_000_000_000

Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="how many items to skip (paging); narrow the filters to go further")
]
