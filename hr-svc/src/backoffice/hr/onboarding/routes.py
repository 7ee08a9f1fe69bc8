"""``/checklist-templates``, ``/employees/{id}/checklist``, ``/checklist-tasks``: onboarding and offboarding."""

from __future__ import annotations

from backoffice.hr.employees.service import get_employee
from backoffice.hr.onboarding import service
from backoffice.hr.onboarding.models import ChecklistTask
from backoffice.hr.onboarding.schemas import TaskPage, TaskRead, TemplateCreate, TemplatePage, TemplateRead
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends

router = APIRouter(tags=["onboarding"])


@router.put("/checklist-templates", response_model=TemplateRead, summary="Set a department's checklist")
async def save_template(body: TemplateCreate, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.save_template(session, user, body)


@router.get(
    "/checklist-templates",
    response_model=TemplatePage,
    dependencies=[Depends(require_roles("hr"))],
    summary="Checklist templates, by kind",
)
async def list_templates(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> TemplatePage:
    return await service.list_templates(session, limit, offset)


@router.get("/employees/{employee_id}/checklist", response_model=TaskPage, summary="Their checklists, in order")
async def checklist(
    employee_id: str,
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    limit: Limit = 200,
    offset: Offset = 0,
) -> TaskPage:
    employee = await get_employee(session, employee_id)
    return await name_actors(session, await service.employee_checklist(session, user, employee, today, limit, offset))


@router.post("/checklist-tasks/{task_id}/done", response_model=TaskRead, summary="Tick a task off")
async def done(task_id: str, user: CurrentUser, session: SessionDep, today: CompanyToday) -> TaskRead:
    task = await session.get(ChecklistTask, task_id)
    employee = await get_employee(session, task.employee_id) if task is not None else None
    return await name_actors(session, await service.complete_task(session, user, task_id, employee, today))


@router.get(
    "/checklist-tasks/late", response_model=TaskPage, summary="Tasks past their due date, longest overdue first"
)
async def late(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    as_of: IsoDate | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> TaskPage:
    return await name_actors(session, await service.late_tasks(session, user, as_of or today, limit, offset))
