"""Who is who, for letters and deliveries: HR's hires and updates keep each employee's name and e-mail."""

from __future__ import annotations

from backoffice.docs.people.models import Person
from backoffice.shared.db import utcnow
from backoffice.shared.events.hr import EmployeeHired, EmployeeUpdated
from sqlalchemy.ext.asyncio import AsyncSession


async def remember(session: AsyncSession, data: EmployeeHired | EmployeeUpdated) -> Person:
    """Records (or updates) an employee's name, e-mail, department and position from HR's event."""
    person = await session.get(Person, data.employee_id)
    if person is None:
        person = Person(employee_id=data.employee_id)
        session.add(person)
    person.name = f"{data.given_name} {data.family_name}"
    person.email, person.department, person.position = str(data.email), data.department, data.position
    person.updated_at = utcnow()
    await session.flush()
    return person


async def person(session: AsyncSession, employee_id: str | None) -> Person | None:
    """What is known of an employee (None when nothing, or no id)."""
    return await session.get(Person, employee_id) if employee_id else None
