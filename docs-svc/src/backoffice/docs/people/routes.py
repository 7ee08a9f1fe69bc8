"""``/people``: whom generated letters are addressed and sent to."""

from __future__ import annotations

from datetime import datetime

from backoffice.docs.people.service import person
from backoffice.shared.auth import require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.errors import NotFound
from fastapi import APIRouter, Depends
from pydantic import BaseModel

router = APIRouter(tags=["people"])


class PersonRead(BaseModel):
    employee_id: str
    name: str
    email: str
    department: str | None
    updated_at: datetime


@router.get(
    "/people/{employee_id}",
    response_model=PersonRead,
    dependencies=[Depends(require_roles("office", "hr", "payroll"))],
    summary="The name and e-mail letters for this employee use",
)
async def read(employee_id: str, session: SessionDep) -> PersonRead:
    found = await person(session, employee_id)
    if found is None:
        raise NotFound("person (employee)", employee_id)
    return PersonRead.model_validate(found, from_attributes=True)
