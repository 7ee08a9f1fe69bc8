"""Onboarding and offboarding checklists: a hire gets the onboarding list of their department (or the
company's), a termination the offboarding list; tasks owned by other departments are ticked off by their
events (the IT ticket resolved, the contract filed); HR sees what is late."""

from __future__ import annotations

import json
from datetime import date, timedelta

from backoffice.hr.employees.models import Department, Employee
from backoffice.hr.onboarding.models import ChecklistTask, ChecklistTemplate, Kind
from backoffice.hr.onboarding.schemas import TaskPage, TaskRead, TemplateCreate, TemplatePage, TemplateRead
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.bus import Envelope
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound
from backoffice.shared.events.docs import DocumentFiled
from backoffice.shared.events.helpdesk import TicketResolved
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

# Which documents tick the "contract signed" task off: a contract a person filed (the signed copy HR
# uploads), or a signed contract however it was filed. A contract docs generated on the hire is the
# letter to be signed, not the signature.
CONTRACT_TYPES = ("contract", "employment_contract")
SIGNED_CONTRACT_TYPES = ("signed_contract",)
CONTRACT_FILERS = frozenset({"hr", "admin"})  # whose filing of a contract counts as the signed copy
STAFF_ROLES = ("hr", "it_agent", "office", "payroll")  # roles a task can belong to as a department


async def save_template(session: AsyncSession, user: Principal, body: TemplateCreate) -> TemplateRead:
    """One template per kind and department; saving again replaces it (existing checklists stay as made)."""
    if not (user.is_admin or user.has_any("hr")):
        raise Forbidden("HR keeps the checklist templates", slug="forbidden")
    if body.department_id is not None:
        await get_or_404(session, Department, body.department_id)
    await session.execute(
        delete(ChecklistTemplate).where(
            ChecklistTemplate.kind == body.kind,
            ChecklistTemplate.department_id.is_(None)
            if body.department_id is None
            else ChecklistTemplate.department_id == body.department_id,
        )
    )
    row = ChecklistTemplate(
        id=new_id(),
        kind=body.kind,
        department_id=body.department_id,
        tasks=json.dumps([t.model_dump() for t in body.tasks]),
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    await session.flush()
    return TemplateRead.model_validate(row)


async def list_templates(session: AsyncSession, limit: int, offset: int) -> TemplatePage:
    """Checklist templates, by kind."""
    query = select(ChecklistTemplate).order_by(ChecklistTemplate.kind, ChecklistTemplate.id)
    rows, total = await fetch_page(session, query, limit, offset)
    return TemplatePage(items=[TemplateRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


async def create_checklist(session: AsyncSession, employee: Employee, kind: Kind, anchor: date) -> int:
    """Called in the hire's (or termination's) own transaction: the checklist exists exactly when it does."""
    templates = {
        t.department_id: t
        for t in await session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.kind == kind))
    }
    template = templates.get(employee.department_id) or templates.get(None)
    if template is None:
        return 0
    now = utcnow()
    tasks = json.loads(template.tasks)
    session.add_all(
        ChecklistTask(
            id=new_id(),
            employee_id=employee.id,
            kind=kind,
            position=n,
            title=t["title"],
            owner_role=t["owner_role"],
            due_date=anchor + timedelta(days=t["due_offset_days"]),
            done_on_event=t.get("done_on_event"),
            status="open",
            created_at=now,
        )
        for n, t in enumerate(tasks)
    )
    return len(tasks)


def _read(task: ChecklistTask, today: date) -> TaskRead:
    return TaskRead(
        id=task.id,
        employee_id=task.employee_id,
        kind=task.kind,
        title=task.title,
        owner_role=task.owner_role,
        due_date=task.due_date,
        done_on_event=task.done_on_event,
        status=task.status,
        late=task.status == "open" and task.due_date < today,
        done_at=task.done_at,
        done_by=task.done_by,
    )


async def employee_checklist(
    session: AsyncSession, user: Principal, employee: Employee, today: date, limit: int, offset: int
) -> TaskPage:
    """Someone's checklist tasks in the checklist's order (offboarding first)."""
    ensure_access(
        user,
        owner_employee_id=employee.id,
        roles=("hr", "it_agent", "office"),
        manager_of=[employee.manager_id],
        what=f"the checklists of {employee.id}",
    )
    query = (
        select(ChecklistTask)
        .where(ChecklistTask.employee_id == employee.id)
        .order_by(ChecklistTask.kind.desc(), ChecklistTask.position, ChecklistTask.id)
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return TaskPage(items=[_read(t, today) for t in rows], total=total, limit=limit, offset=offset)


async def complete_task(
    session: AsyncSession, user: Principal, task_id: str, employee: Employee | None, today: date
) -> TaskRead:
    """Tick a task off: HR, or whoever the task is for (its department's role, the employee, their manager)."""
    task = await session.scalar(
        select(ChecklistTask)
        .where(ChecklistTask.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if task is None:
        raise NotFound("checklist task", task_id)
    owner = (
        user.is_admin
        or user.has_any("hr")
        or (task.owner_role in STAFF_ROLES and user.has_any(task.owner_role))
        or (task.owner_role == "employee" and user.is_employee(task.employee_id))
        or (task.owner_role == "manager" and employee is not None and user.is_employee(employee.manager_id))
    )
    if not owner:
        raise Forbidden(f"this task is for {task.owner_role}, or HR", slug="forbidden")
    if task.status == "done":
        raise Conflict("the task is done already", slug="task-done")
    task.status, task.done_at, task.done_by = "done", utcnow(), user.user_id
    return _read(task, today)


async def close_on_termination(session: AsyncSession, employee_id: str) -> None:
    """Onboarding tasks of someone who leaves will never be done: they are closed, not left late forever."""
    await session.execute(
        update(ChecklistTask)
        .where(
            ChecklistTask.employee_id == employee_id, ChecklistTask.kind == "onboarding", ChecklistTask.status == "open"
        )
        .values(status="cancelled", done_at=utcnow(), done_by="termination")
    )


async def on_hired(session: AsyncSession, employee: Employee) -> None:
    """A hire gets the onboarding checklist, due from their start date."""
    await create_checklist(session, employee, "onboarding", employee.start_date)


async def on_terminated(session: AsyncSession, employee: Employee, effective_date: date) -> None:
    """Someone who leaves: their open onboarding tasks are closed, and the offboarding checklist is made, due
    from their last day."""
    await close_on_termination(session, employee.id)
    await create_checklist(session, employee, "offboarding", effective_date)


async def late_tasks(session: AsyncSession, user: Principal, as_of: date, limit: int, offset: int) -> TaskPage:
    """Open tasks past their due date, the longest overdue first."""
    if not (user.is_admin or user.has_any("hr")):
        raise Forbidden("HR follows the checklists", slug="forbidden")
    query = (
        select(ChecklistTask)
        .where(ChecklistTask.status == "open", ChecklistTask.due_date < as_of)
        .order_by(ChecklistTask.due_date, ChecklistTask.employee_id, ChecklistTask.id)
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return TaskPage(items=[_read(t, as_of) for t in rows], total=total, limit=limit, offset=offset)


async def _tick(session: AsyncSession, employee_id: str, kind: str | None, event: str, source: str) -> None:
    query = select(ChecklistTask).where(
        ChecklistTask.employee_id == employee_id, ChecklistTask.status == "open", ChecklistTask.done_on_event == event
    )
    if kind is not None:
        query = query.where(ChecklistTask.kind == kind)
    for task in await session.scalars(query.with_for_update()):
        task.status, task.done_at, task.done_by = "done", utcnow(), source


async def on_ticket_resolved(session: AsyncSession, envelope: Envelope, data: TicketResolved) -> None:
    """A resolved onboarding or offboarding ticket ticks off the tasks waiting for it."""
    if data.kind in ("onboarding", "offboarding") and data.about_employee_id:
        await _tick(session, data.about_employee_id, data.kind, "helpdesk.ticket_resolved", f"ticket {data.ticket_id}")


def signs_contract(data: DocumentFiled) -> bool:
    """Whether a filed document is the employee's signed contract: filed by HR (or an admin), as the event's
    filer roles say (a contract anyone else filed, or an event without filer roles, ticks nothing), and not a
    letter docs generated."""
    if not CONTRACT_FILERS.intersection(data.filed_by_roles or ()):
        return False
    return data.type in SIGNED_CONTRACT_TYPES or (data.type in CONTRACT_TYPES and data.source_event_id is None)


async def on_document_filed(session: AsyncSession, envelope: Envelope, data: DocumentFiled) -> None:
    """The employee's signed contract, filed, ticks off the onboarding task waiting for it."""
    if data.employee_id and signs_contract(data):
        await _tick(session, data.employee_id, "onboarding", "docs.document_filed", f"document {data.document_id}")
