"""``/departments`` and ``/employees``: the employee record over HTTP."""

from __future__ import annotations

from typing import Annotated, Literal

from backoffice.hr.employees import service
from backoffice.hr.employees.schemas import (
    DepartmentCreate,
    DepartmentPage,
    DepartmentRead,
    EmployeeCreate,
    EmployeePage,
    EmployeeRead,
    EmployeeUpdate,
    PayTermsChange,
    TerminationCreate,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyZone
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["employees"])
HR = Annotated[Principal, Depends(require_roles("hr"))]


@router.post("/departments", response_model=DepartmentRead, status_code=201, summary="Create a department (HR)")
async def create_department(body: DepartmentCreate, user: HR, session: SessionDep) -> DepartmentRead:
    return await service.create_department(session, body.name, user)


@router.get("/departments", response_model=DepartmentPage, summary="Departments, by name")
async def list_departments(
    _user: CurrentUser, session: SessionDep, limit: Limit = 200, offset: Offset = 0
) -> DepartmentPage:
    return await service.list_departments(session, limit, offset)


@router.post(
    "/employees",
    response_model=EmployeeRead,
    status_code=201,
    summary="Hire an employee (HR)",
    description="Also checked, beyond what the schema says: department_id and manager_id must name existing records.",
)
async def hire(body: EmployeeCreate, user: HR, zone: CompanyZone, session: SessionDep) -> EmployeeRead:
    employee = await service.hire(session, body, user, zone)
    return await name_actors(session, await service.to_read(session, employee, user, zone))


@router.get("/employees", response_model=EmployeePage, summary="Search employees (as far as you may see them)")
async def search(
    user: CurrentUser,
    zone: CompanyZone,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the name or e-mail")] = None,
    department_id: Annotated[str | None, Query(max_length=64)] = None,
    manager_id: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["active", "on_leave", "terminated"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> EmployeePage:
    return await name_actors(
        session,
        await service.search(
            session,
            user,
            zone,
            q=q,
            department_id=department_id,
            manager_id=manager_id,
            status=status,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/employees/{employee_id}", response_model=EmployeeRead, summary="One employee's record")
async def read(employee_id: str, user: CurrentUser, zone: CompanyZone, session: SessionDep) -> EmployeeRead:
    return await name_actors(session, await service.read_employee(session, user, employee_id, zone))


@router.patch(
    "/employees/{employee_id}",
    response_model=EmployeeRead,
    summary="Change a record from a date (HR)",
    description="Also checked, beyond what the schema says: department_id and manager_id must exist.",
)
async def update(
    employee_id: str, body: EmployeeUpdate, user: HR, zone: CompanyZone, session: SessionDep
) -> EmployeeRead:
    employee = await service.update(session, employee_id, body, user, zone)
    return await name_actors(session, await service.to_read(session, employee, user, zone))


@router.post(
    "/employees/{employee_id}/pay-terms",
    response_model=EmployeeRead,
    status_code=201,
    summary="New pay terms from a date (HR)",
)
async def change_pay_terms(
    employee_id: str, body: PayTermsChange, user: HR, zone: CompanyZone, session: SessionDep
) -> EmployeeRead:
    employee = await service.change_pay_terms(session, employee_id, body, user, zone)
    return await name_actors(session, await service.to_read(session, employee, user, zone))


@router.post(
    "/employees/{employee_id}/termination",
    response_model=EmployeeRead,
    status_code=201,
    summary="End an employment (HR)",
)
async def terminate(
    employee_id: str, body: TerminationCreate, user: HR, zone: CompanyZone, session: SessionDep
) -> EmployeeRead:
    employee = await service.terminate(session, employee_id, body, user, zone)
    return await name_actors(session, await service.to_read(session, employee, user, zone))
