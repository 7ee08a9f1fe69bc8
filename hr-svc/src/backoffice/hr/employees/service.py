"""The employee record: hire, change, pay terms, terminate, read and search, with the access rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from backoffice.hr.employees import lifecycle
from backoffice.hr.employees.models import Department, Employee, PayTerms, Termination
from backoffice.hr.employees.schemas import (
    DepartmentPage,
    DepartmentRead,
    EmployeeCreate,
    EmployeePage,
    EmployeeRead,
    EmployeeUpdate,
    PayTermsChange,
    PayTermsCreate,
    PayTermsRead,
    Status,
    TerminationCreate,
    TerminationRead,
)
from backoffice.hr.events import emit
from backoffice.shared.auth import Principal, ensure_access, ensure_may_grant
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.events import hr as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

PAY_READERS = ("hr", "payroll")


def today(zone: ZoneInfo) -> date:
    """Today's date in ``zone``."""
    return datetime.now(zone).date()


def effective_status(employee: Employee, on: date) -> Status:
    """The employee's status on ``on``: terminated from their end date, else as recorded."""
    if employee.end_date is not None and employee.end_date <= on:
        return "terminated"
    return employee.status


# -- departments -------------------------------------------------------------------------------
async def create_department(session: AsyncSession, name: str, actor: Principal) -> DepartmentRead:
    """A new department; 409 when one of that name (case aside) exists."""
    # lower() in SQLite folds ASCII only: the exact name is compared too, so that "Ärzte" twice is a 409, not a 500.
    same = or_(func.lower(Department.name) == name.strip().lower(), Department.name == name.strip())
    if await session.scalar(select(Department.id).where(same)):
        raise Conflict(f"a department named {name!r} exists already", slug="department-exists")
    department = Department(id=new_id(), name=name.strip(), created_at=utcnow(), created_by=actor.user_id)
    session.add(department)
    await session.flush()
    return DepartmentRead.model_validate(department)


async def list_departments(session: AsyncSession, limit: int, offset: int) -> DepartmentPage:
    """Departments, by name."""
    rows, total = await fetch_page(session, select(Department).order_by(Department.name, Department.id), limit, offset)
    return DepartmentPage(
        items=[DepartmentRead.model_validate(d) for d in rows], total=total, limit=limit, offset=offset
    )


# -- reading -----------------------------------------------------------------------------------
async def get_employee(session: AsyncSession, employee_id: str) -> Employee:
    """The employee ``employee_id``; 404 when there is none."""
    return await get_or_404(session, Employee, employee_id)


async def pay_terms_on(session: AsyncSession, employee_id: str, on: date) -> PayTerms | None:
    """The pay terms in force on ``on`` (the latest that started on or before it)."""
    return await session.scalar(
        select(PayTerms)
        .where(PayTerms.employee_id == employee_id, PayTerms.effective_from <= on)
        .order_by(PayTerms.effective_from.desc())
        .limit(1)
    )


async def to_read(session: AsyncSession, employee: Employee, user: Principal, zone: ZoneInfo) -> EmployeeRead:
    """The record as ``user`` may see it: pay terms only for HR, payroll and admin."""
    department = await session.get(Department, employee.department_id) if employee.department_id else None
    on = today(zone)
    read = EmployeeRead(
        id=employee.id,
        given_name=employee.given_name,
        family_name=employee.family_name,
        email=employee.email,
        phone=employee.phone,
        department_id=employee.department_id,
        department=department.name if department else None,
        position=employee.position,
        manager_id=employee.manager_id,
        employment_type=employee.employment_type,
        start_date=employee.start_date,
        end_date=employee.end_date,
        status=effective_status(employee, on),
        created_at=employee.created_at,
        updated_at=employee.updated_at,
    )
    if user.is_admin or user.has_any(*PAY_READERS):
        history = (
            await session.scalars(
                select(PayTerms).where(PayTerms.employee_id == employee.id).order_by(PayTerms.effective_from)
            )
        ).all()
        read.pay_history = [PayTermsRead.model_validate(t) for t in history]
        current = [t for t in history if t.effective_from <= on]
        shown = current[-1] if current else (history[0] if history else None)
        read.pay_terms = PayTermsRead.model_validate(shown) if shown is not None else None
    termination = await session.scalar(select(Termination).where(Termination.employee_id == employee.id))
    if termination is not None:
        read.termination = TerminationRead.model_validate(termination)
    return read


async def read_employee(session: AsyncSession, user: Principal, employee_id: str, zone: ZoneInfo) -> EmployeeRead:
    """One record: the employee themself, their manager, HR, payroll and admin."""
    employee = await get_employee(session, employee_id)
    ensure_access(
        user,
        owner_employee_id=employee.id,
        roles=PAY_READERS,
        manager_of=[employee.manager_id],
        what=f"employee {employee_id}",
    )
    return await to_read(session, employee, user, zone)


async def search(
    session: AsyncSession,
    user: Principal,
    zone: ZoneInfo,
    *,
    q: str | None,
    department_id: str | None,
    manager_id: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> EmployeePage:
    """Employees the caller may see (HR, payroll, admin: all; a manager: their reports and themself;
    anyone else: themself), filtered by name, department, manager and status."""
    conditions: list[ColumnElement[bool]] = []
    if not (user.is_admin or user.has_any(*PAY_READERS)):
        if user.employee_id is None:
            return EmployeePage(items=[], total=0, limit=limit, offset=offset)
        mine = Employee.id == user.employee_id
        conditions.append(or_(mine, Employee.manager_id == user.employee_id) if user.has_any("manager") else mine)
    if q:
        like = f"%{q.strip().lower()}%"
        full = func.lower(Employee.given_name + " " + Employee.family_name)
        conditions.append(or_(full.like(like), func.lower(Employee.email).like(like)))
    if department_id:
        conditions.append(Employee.department_id == department_id)
    if manager_id:
        conditions.append(Employee.manager_id == manager_id)
    on = today(zone)
    if status == "terminated":
        conditions.append(and_(Employee.end_date.is_not(None), Employee.end_date <= on))
    elif status in ("active", "on_leave"):
        conditions.append(and_(Employee.status == status, or_(Employee.end_date.is_(None), Employee.end_date > on)))
    total = await session.scalar(select(func.count()).select_from(Employee).where(*conditions))
    rows = (
        await session.scalars(
            select(Employee)
            .where(*conditions)
            .order_by(Employee.family_name, Employee.given_name, Employee.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return EmployeePage(
        items=[await to_read(session, e, user, zone) for e in rows], total=int(total or 0), limit=limit, offset=offset
    )


# -- changes -----------------------------------------------------------------------------------
async def check_department(session: AsyncSession, department_id: str | None) -> Department | None:
    """The department ``department_id`` names (None for none); 422 when there is no such department."""
    if department_id is None:
        return None
    department = await session.get(Department, department_id)
    if department is None:
        raise Unprocessable(f"department {department_id} does not exist", slug="unknown-department")
    return department


async def _check_manager(session: AsyncSession, employee_id: str | None, manager_id: str | None, on: date) -> None:
    if manager_id is None:
        return
    if manager_id == employee_id:
        raise Unprocessable("an employee cannot be their own manager", slug="manager-loop")
    manager = await session.get(Employee, manager_id)
    if manager is None:
        raise Unprocessable(f"manager {manager_id} does not exist", slug="unknown-manager")
    if effective_status(manager, on) == "terminated":
        raise Unprocessable(f"manager {manager_id} has left the company", slug="manager-terminated")
    chain = [manager_id]
    current = manager
    while current.manager_id is not None and len(chain) < 1000:
        if current.manager_id == employee_id:
            names = " → ".join([employee_id or "?", *chain, employee_id or "?"])
            raise Unprocessable(f"that manager would make a loop: {names}", slug="manager-loop")
        chain.append(current.manager_id)
        nxt = await session.get(Employee, current.manager_id)
        if nxt is None:
            break
        current = nxt


def _pay_contract(terms: PayTerms | None) -> events.PayTerms | None:
    if terms is None:
        return None
    return events.PayTerms.model_validate(terms, from_attributes=True)


def _pay_terms_row(employee_id: str, terms: PayTermsCreate, effective_from: date, actor: Principal) -> PayTerms:
    return PayTerms(
        id=new_id(),
        employee_id=employee_id,
        effective_from=effective_from,
        pay_type=terms.pay_type,
        rate=terms.rate,
        currency=terms.currency,
        frequency=terms.frequency,
        weekly_hours=terms.weekly_hours,
        agreement_group=terms.agreement_group,
        created_at=utcnow(),
        created_by=actor.user_id,
    )


async def hire(session: AsyncSession, data: EmployeeCreate, actor: Principal, zone: ZoneInfo) -> Employee:
    """A new employee with their first pay terms; ``hr.employee_hired`` in the same transaction.

    403 when the hire asks for roles ``actor`` may not grant (HR: employee and manager; admin: every person role).
    """
    ensure_may_grant(actor.roles, data.roles)
    if await session.scalar(select(Employee.id).where(func.lower(Employee.email) == str(data.email).lower())):
        raise Conflict(f"an employee with the e-mail {data.email} exists already", slug="email-taken")
    department = await check_department(session, data.department_id)
    await _check_manager(session, None, data.manager_id, today(zone))
    if data.pay_terms.pay_type != data.employment_type:
        raise Unprocessable(
            f"pay_terms.pay_type is {data.pay_terms.pay_type} but employment_type is {data.employment_type}",
            slug="pay-type-mismatch",
        )
    now = utcnow()
    employee = Employee(
        id=new_id(),
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
        email=str(data.email),
        phone=data.phone,
        department_id=data.department_id,
        position=data.position,
        manager_id=data.manager_id,
        employment_type=data.employment_type,
        roles=" ".join(sorted(set(data.roles))),
        start_date=data.start_date,
        end_date=None,
        status="active",
        created_at=now,
        updated_at=now,
        updated_by=actor.user_id,
    )
    session.add(employee)
    terms = _pay_terms_row(employee.id, data.pay_terms, data.start_date, actor)
    session.add(terms)
    await session.flush()
    await emit(
        session,
        events.EmployeeHired(
            employee_id=employee.id,
            given_name=employee.given_name,
            family_name=employee.family_name,
            email=employee.email,
            department=department.name if department else None,
            position=employee.position,
            manager_id=employee.manager_id,
            start_date=employee.start_date,
            pay_terms=_pay_contract(terms),
            roles=list(data.roles),
            hired_by=actor.user_id,
            hired_by_roles=sorted(actor.roles),
        ),
        subject=employee.id,
    )
    # Onboarding's checklist and mandatory training exist exactly when the employee does (same transaction).
    await lifecycle.hired(session, employee)
    return employee


async def _updated_event(session: AsyncSession, employee: Employee, effective: date, changes: list[str]) -> None:
    department = await session.get(Department, employee.department_id) if employee.department_id else None
    await emit(
        session,
        events.EmployeeUpdated(
            employee_id=employee.id,
            effective_date=effective,
            changes=changes,
            given_name=employee.given_name,
            family_name=employee.family_name,
            email=employee.email,
            department=department.name if department else None,
            position=employee.position,
            manager_id=employee.manager_id,
            status=effective_status(employee, effective),
            pay_terms=_pay_contract(await pay_terms_on(session, employee.id, effective)),
            roles=employee.roles.split(),
        ),
        subject=employee.id,
    )


def _not_terminated(employee: Employee, zone: ZoneInfo) -> None:
    if effective_status(employee, today(zone)) == "terminated":
        raise Conflict(f"employee {employee.id} has left the company: the record is closed", slug="terminated")


async def update(
    session: AsyncSession, employee_id: str, data: EmployeeUpdate, actor: Principal, zone: ZoneInfo
) -> Employee:
    """Change contact, department, position, manager or leave status; ``hr.employee_updated``."""
    employee = await get_employee(session, employee_id)
    _not_terminated(employee, zone)
    given = data.model_dump(exclude_unset=True, exclude={"effective_from"})
    if "department_id" in given:
        await check_department(session, data.department_id)
    if "manager_id" in given:
        await _check_manager(session, employee.id, data.manager_id, today(zone))
    if "email" in given and data.email is not None and str(data.email).lower() != employee.email.lower():
        taken = await session.scalar(select(Employee.id).where(func.lower(Employee.email) == str(data.email).lower()))
        if taken:
            raise Conflict(f"an employee with the e-mail {data.email} exists already", slug="email-taken")
    changes = []
    for field, value in given.items():
        value = str(value) if field == "email" and value is not None else value
        if getattr(employee, field) != value:
            setattr(employee, field, value)
            changes.append(field)
    if not changes:
        return employee
    employee.updated_at = utcnow()
    employee.updated_by = actor.user_id
    await session.flush()
    await _updated_event(session, employee, data.effective_from, changes)
    return employee


async def change_pay_terms(
    session: AsyncSession, employee_id: str, data: PayTermsChange, actor: Principal, zone: ZoneInfo
) -> Employee:
    """New pay terms from a date (earlier terms stay as they were); ``hr.employee_updated``. Nobody sets their own:
    another HR officer does (as payroll clerks add no pay for themselves)."""
    if actor.is_employee(employee_id):
        raise Forbidden("you may not change your own pay terms: another HR officer does", slug="own-pay")
    employee = await get_employee(session, employee_id)
    _not_terminated(employee, zone)
    if data.effective_from < employee.start_date:
        raise Unprocessable(
            f"effective_from {data.effective_from} is before the start date {employee.start_date}",
            slug="before-start",
        )
    if data.pay_type != employee.employment_type:
        raise Unprocessable(f"pay_type must be {employee.employment_type} for this employee", slug="pay-type-mismatch")
    session.add(_pay_terms_row(employee.id, data, data.effective_from, actor))
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(
            f"pay terms starting on {data.effective_from} exist already; choose another date",
            slug="pay-terms-exist",
        ) from None
    employee.updated_at = utcnow()
    employee.updated_by = actor.user_id
    await _updated_event(session, employee, data.effective_from, ["pay_terms"])
    return employee


async def terminate(
    session: AsyncSession, employee_id: str, data: TerminationCreate, actor: Principal, zone: ZoneInfo
) -> Employee:
    """End the employment on a date (kept as a legal record); ``hr.employee_terminated``."""
    employee = await get_employee(session, employee_id)
    if employee.end_date is not None:
        raise Conflict(
            f"employee {employee_id} is already terminated as of {employee.end_date}", slug="already-terminated"
        )
    if data.effective_date < employee.start_date:
        raise Unprocessable(
            f"the termination date {data.effective_date} is before the start date {employee.start_date}",
            slug="before-start",
        )
    session.add(
        Termination(
            id=new_id(),
            employee_id=employee.id,
            effective_date=data.effective_date,
            kind=data.kind,
            reason=data.reason,
            decided_by=actor.user_id,
            created_at=utcnow(),
        )
    )
    employee.end_date = data.effective_date
    employee.updated_at = utcnow()
    employee.updated_by = actor.user_id
    await session.flush()
    await emit(
        session,
        events.EmployeeTerminated(
            employee_id=employee.id,
            effective_date=data.effective_date,
            kind=data.kind,
            reason=data.reason,
            decided_by=actor.user_id,
        ),
        subject=employee.id,
    )
    await lifecycle.terminated(session, employee, data.effective_date)
    return employee
