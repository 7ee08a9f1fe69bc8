"""Declared sex: recorded by HR or by the employee themself, read by HR, payroll, pay auditors and the employee.

It lives in its own table so that nothing reading the employee record (lists, exports, ``hr.employee_*`` events)
can carry it; ``hr.sex_declared`` goes to payroll's pay gap report alone. A change is a new row.
"""

from __future__ import annotations

from backoffice.hr.declared_sex.models import SexDeclaration
from backoffice.hr.declared_sex.schemas import SexDeclarationCreate, SexDeclarationRead
from backoffice.hr.employees.service import get_employee
from backoffice.hr.events import emit
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Forbidden
from backoffice.shared.events import hr as events
from backoffice.shared.ids import new_id
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

READERS = ("hr", "payroll", "pay_auditor")
WRITERS = ("hr",)


def _allowed(user: Principal, employee_id: str, roles: tuple[str, ...], what: str) -> None:
    if user.is_admin or user.has_any(*roles) or user.is_employee(employee_id):
        return
    raise Forbidden(f"only the employee and the roles {', '.join(roles)} may {what}", slug="forbidden")


async def latest(session: AsyncSession, employee_id: str) -> SexDeclaration | None:
    """The employee's latest declaration, if any."""
    return await session.scalar(
        select(SexDeclaration)
        .where(SexDeclaration.employee_id == employee_id)
        .order_by(SexDeclaration.declared_at.desc(), SexDeclaration.id.desc())
        .limit(1)
    )


def _read(employee_id: str, row: SexDeclaration | None) -> SexDeclarationRead:
    if row is None:
        return SexDeclarationRead(employee_id=employee_id, sex=None)
    return SexDeclarationRead(
        employee_id=employee_id, sex=row.sex, self_declared=row.self_declared, declared_at=row.declared_at
    )


async def read(session: AsyncSession, user: Principal, employee_id: str) -> SexDeclarationRead:
    """The employee's declared sex: for HR, payroll, pay auditors, admins and the employee themself."""
    _allowed(user, employee_id, READERS, "read a declared sex")
    await get_employee(session, employee_id)
    return _read(employee_id, await latest(session, employee_id))


async def declare(
    session: AsyncSession, user: Principal, employee_id: str, body: SexDeclarationCreate
) -> SexDeclarationRead:
    """HR (or the employee, for themself) records a declaration: a new row and ``hr.sex_declared``; the same
    value declared again changes nothing."""
    _allowed(user, employee_id, WRITERS, "declare a sex")
    await get_employee(session, employee_id)
    current = await latest(session, employee_id)
    if current is not None and current.sex == body.sex:
        return _read(employee_id, current)
    row = SexDeclaration(
        id=new_id(),
        employee_id=employee_id,
        sex=body.sex,
        declared_by=user.user_id,
        self_declared=user.is_employee(employee_id),
        declared_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    await emit(session, events.SexDeclared(employee_id=employee_id, sex=body.sex), subject=employee_id)
    return _read(employee_id, row)
