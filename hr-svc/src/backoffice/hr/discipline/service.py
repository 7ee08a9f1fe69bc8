"""Progressive discipline: warnings, acknowledgements, the case ladder, and the dismissal review.

Every warning (``hr.warning_issued``, from this service or another) moves the employee's case: the
case level is the number of warnings still in force plus those that were ignored (each ignored
warning counts twice), capped at the ladder's top, the dismissal review; gross misconduct goes
straight there. A warning not acknowledged by its deadline is marked ignored by a periodic check
(rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas do not repeat it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from backoffice.hr.discipline.models import CaseStep, DisciplinaryCase, Warning
from backoffice.hr.discipline.schemas import (
    CasePage,
    CaseRead,
    CaseSummary,
    Decision,
    StepRead,
    WarningCreate,
    WarningPage,
    WarningRead,
    WarningState,
)
from backoffice.hr.employees import service as employees
from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.schemas import TerminationCreate
from backoffice.hr.events import emit
from backoffice.hr.settings import HrSettings
from backoffice.shared.auth import Principal
from backoffice.shared.bus import Envelope, PermanentEventError
from backoffice.shared.db import Database, get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.events import hr as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as when
from sqlalchemy.ext.asyncio import AsyncSession

EscalationReason = Literal["warning", "ignored", "gross_misconduct"]  # why a case moved up by itself


def is_hr(user: Principal) -> bool:
    """Whether ``user`` acts for HR (an HR officer or an admin)."""
    return user.is_admin or user.has_any("hr")


async def issue(session: AsyncSession, user: Principal, data: WarningCreate, zone: ZoneInfo) -> str:
    """A manager warns one of their reports, or HR anyone: ``hr.warning_issued`` (the workflow consumes it)."""
    employee = await employees.get_employee(session, data.employee_id)
    if not is_hr(user) and not (
        user.has_any("manager") and user.employee_id is not None and employee.manager_id == user.employee_id
    ):
        raise Forbidden(f"employee {data.employee_id} is not one of your reports", slug="not-your-report")
    if employees.effective_status(employee, employees.today(zone)) == "terminated":
        raise Conflict(f"employee {data.employee_id} has left the company", slug="terminated")
    if data.occurred_on > employees.today(zone):
        raise Unprocessable(f"occurred_on {data.occurred_on} is in the future", slug="future-date")
    if data.occurred_on < employee.start_date:
        raise Unprocessable(
            f"occurred_on {data.occurred_on} is before the employee started ({employee.start_date})",
            slug="before-employment",
        )
    warning_id = new_id()
    await emit(
        session,
        events.WarningIssued(
            warning_id=warning_id,
            employee_id=employee.id,
            category=data.category,
            severity=data.severity,
            facts=data.facts,
            occurred_on=data.occurred_on,
            issued_by=user.user_id,
        ),
        subject=employee.id,
    )
    return warning_id


async def _case(session: AsyncSession, employee_id: str) -> DisciplinaryCase:
    case = await session.scalar(select(DisciplinaryCase).where(DisciplinaryCase.employee_id == employee_id))
    if case is None:
        case = DisciplinaryCase(id=new_id(), employee_id=employee_id, level=0, status="open", updated_at=utcnow())
        session.add(case)
        await session.flush()
    return case


async def _escalate(
    session: AsyncSession,
    settings: HrSettings,
    case: DisciplinaryCase,
    reason: EscalationReason,
    warning_id: str | None,
    caused_by: Envelope | None,
) -> None:
    """Recompute the case level from the warnings in force and record the step."""
    ladder = settings.discipline_ladder
    today = employees.today(settings.timezone)
    warnings = (
        await session.scalars(
            select(Warning).where(Warning.employee_id == case.employee_id, Warning.expires_on > today)
        )
    ).all()
    if any(w.severity == "gross_misconduct" for w in warnings):
        level = len(ladder)
    else:
        level = min(len(ladder), sum(2 if w.ignored_at else 1 for w in warnings))
    level = max(level, 1)
    case.level = level
    case.updated_at = utcnow()
    if case.status != "dismissed":
        case.status = "dismissal_review" if level >= len(ladder) else ("kept" if case.status == "kept" else "open")
    step = ladder[level - 1]
    session.add(
        CaseStep(
            id=new_id(),
            case_id=case.id,
            step=step,
            reason=reason,
            warning_id=warning_id,
            note=None,
            at=utcnow(),
            by=None,
        )
    )
    await emit(
        session,
        events.DisciplinaryEscalated(
            case_id=case.id,
            employee_id=case.employee_id,
            step=step,
            reason=reason,
            warning_id=warning_id,
        ),
        subject=case.employee_id,
        caused_by=caused_by,
    )


async def on_warning_issued(
    session: AsyncSession, settings: HrSettings, envelope: Envelope, data: events.WarningIssued
) -> None:
    """The workflow: keep the warning with its deadline and move the employee's case."""
    if await session.get(Warning, data.warning_id) is not None:
        return
    employee = await session.get(Employee, data.employee_id)
    if employee is None:
        raise PermanentEventError(f"employee {data.employee_id} does not exist")
    now = utcnow()
    warning = Warning(
        id=data.warning_id,
        employee_id=data.employee_id,
        issued_by=data.issued_by,
        category=data.category,
        severity=data.severity,
        facts=data.facts,
        occurred_on=data.occurred_on,
        issued_at=now,
        acknowledge_by=now + timedelta(days=settings.warning_acknowledgement_days),
        expires_on=data.occurred_on + relativedelta(months=settings.warning_validity_months),
    )
    session.add(warning)
    await session.flush()
    case = await _case(session, data.employee_id)
    reason: EscalationReason = "gross_misconduct" if data.severity == "gross_misconduct" else "warning"
    await _escalate(session, settings, case, reason, warning.id, envelope)


async def acknowledge(session: AsyncSession, user: Principal, warning_id: str, response: str | None) -> Warning:
    """The warned employee acknowledges a warning before its deadline, with an optional written response."""
    warning = await _warning(session, user, warning_id)
    if not user.is_employee(warning.employee_id):
        raise Forbidden("only the warned employee can acknowledge a warning", slug="not-your-warning")
    if warning.acknowledged_at is not None:
        raise Conflict("this warning was acknowledged already", slug="already-acknowledged")
    if warning.ignored_at is not None or warning.acknowledge_by < utcnow():
        raise Conflict(
            f"the deadline to acknowledge was {warning.acknowledge_by:%Y-%m-%d %H:%M} UTC", slug="deadline-passed"
        )
    warning.acknowledged_at = utcnow()
    warning.response = response
    await emit(
        session,
        events.WarningAcknowledged(
            warning_id=warning.id, employee_id=warning.employee_id, with_response=bool(response)
        ),
        subject=warning.employee_id,
    )
    return warning


async def escalate_ignored(db: Database, settings: HrSettings) -> int:
    """Mark warnings past their deadline as ignored and escalate their cases (safe with replicas)."""
    async with db.session(write=True) as session:
        query = (
            select(Warning)
            .where(Warning.acknowledged_at.is_(None), Warning.ignored_at.is_(None), Warning.acknowledge_by < utcnow())
            .limit(200)
        )
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        overdue = (await session.scalars(query)).all()
        for warning in overdue:
            warning.ignored_at = utcnow()
            await session.flush()
            case = await _case(session, warning.employee_id)
            await _escalate(session, settings, case, "ignored", warning.id, None)
        return len(overdue)


async def _warning(session: AsyncSession, user: Principal, warning_id: str) -> Warning:
    warning = await get_or_404(session, Warning, warning_id)
    if not (is_hr(user) or user.is_employee(warning.employee_id) or warning.issued_by == user.user_id):
        raise Forbidden(f"you may not see warning {warning_id}", slug="forbidden")
    return warning


async def read_warning(session: AsyncSession, user: Principal, warning_id: str) -> WarningRead:
    """One warning, for HR, the warned employee and whoever issued it."""
    return WarningRead.model_validate(await _warning(session, user, warning_id))


async def list_warnings(
    session: AsyncSession,
    user: Principal,
    employee_id: str | None,
    limit: int,
    offset: int,
    state: WarningState | None = None,
) -> WarningPage:
    """Warnings, newest first. HR: all; an employee: their own; a manager: those they issued. ``state``: awaiting
    acknowledgement (deadline ahead), overdue (not acknowledged by the deadline, ignored ones included), or
    acknowledged."""
    conditions: list[ColumnElement[bool]] = []
    if not is_hr(user):
        mine = Warning.employee_id == (user.employee_id or "-")
        conditions.append(mine | (Warning.issued_by == user.user_id))
    if employee_id:
        conditions.append(Warning.employee_id == employee_id)
    now = utcnow()
    if state == "acknowledged":
        conditions.append(Warning.acknowledged_at.is_not(None))
    elif state == "overdue":
        conditions.append(Warning.acknowledged_at.is_(None))
        conditions.append(Warning.ignored_at.is_not(None) | (Warning.acknowledge_by < now))
    elif state == "awaiting":
        conditions.append(Warning.acknowledged_at.is_(None))
        conditions.append(Warning.ignored_at.is_(None) & (Warning.acknowledge_by >= now))
    query = select(Warning).where(*conditions).order_by(Warning.issued_at.desc(), Warning.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    return WarningPage(items=[WarningRead.model_validate(w) for w in rows], total=total, limit=limit, offset=offset)


async def list_cases(
    session: AsyncSession, user: Principal, status: str | None, settings: HrSettings, limit: int, offset: int
) -> CasePage:
    """Every case (HR): at dismissal review first, then by step, with what each employee still has to
    acknowledge and what is overdue."""
    if not is_hr(user):
        raise Forbidden("this needs one of the roles: hr", slug="forbidden")
    conditions: list[ColumnElement[bool]] = []
    if status:
        conditions.append(DisciplinaryCase.status == status)
    at_review = when((DisciplinaryCase.status == "dismissal_review", 0), else_=1)
    query = (
        select(DisciplinaryCase, Employee)
        .join(Employee, Employee.id == DisciplinaryCase.employee_id)
        .where(*conditions)
        .order_by(at_review, DisciplinaryCase.level.desc(), DisciplinaryCase.updated_at.desc(), DisciplinaryCase.id)
    )
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.limit(limit).offset(offset))).all()
    ids = [c.employee_id for c, _ in rows]
    pending = (
        (
            await session.scalars(
                select(Warning).where(Warning.employee_id.in_(ids), Warning.acknowledged_at.is_(None))
            )
        ).all()
        if ids
        else []
    )
    now = utcnow()
    ladder = settings.discipline_ladder
    items = []
    for found, employee in rows:
        mine = [w for w in pending if w.employee_id == found.employee_id]
        overdue = [w for w in mine if w.ignored_at is not None or w.acknowledge_by < now]
        awaiting = [w for w in mine if w not in overdue]
        items.append(
            CaseSummary(
                id=found.id,
                employee_id=found.employee_id,
                employee_name=f"{employee.given_name} {employee.family_name}",
                level=found.level,
                step=ladder[found.level - 1] if found.level else None,
                status=found.status,
                updated_at=found.updated_at,
                awaiting_warnings=len(awaiting),
                overdue_warnings=len(overdue),
                next_deadline=min((w.acknowledge_by for w in awaiting), default=None),
            )
        )
    return CasePage(items=items, total=int(total or 0), limit=limit, offset=offset)


async def _existing_case(session: AsyncSession, employee_id: str) -> DisciplinaryCase:
    case = await session.scalar(select(DisciplinaryCase).where(DisciplinaryCase.employee_id == employee_id))
    if case is None:
        raise NotFound("disciplinary case of employee", employee_id)
    return case


async def read_case(session: AsyncSession, user: Principal, employee_id: str, settings: HrSettings) -> CaseRead:
    """An employee's case with its history, for the employee and HR."""
    if not (is_hr(user) or user.is_employee(employee_id)):
        raise Forbidden("a case is seen by the employee and HR only", slug="forbidden")
    case = await _existing_case(session, employee_id)
    steps = (
        await session.scalars(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.at, CaseStep.id))
    ).all()
    ladder = settings.discipline_ladder
    return CaseRead(
        id=case.id,
        employee_id=case.employee_id,
        level=case.level,
        step=ladder[case.level - 1] if case.level else None,
        status=case.status,
        history=[StepRead.model_validate(s) for s in steps],
    )


async def decide(
    session: AsyncSession, user: Principal, employee_id: str, data: Decision, settings: HrSettings
) -> DisciplinaryCase:
    """At dismissal review HR dismisses (the employee is terminated) or keeps them with a final note."""
    if not is_hr(user):
        raise Forbidden("this needs one of the roles: hr", slug="forbidden")
    case = await _existing_case(session, employee_id)
    if case.status != "dismissal_review":
        raise Conflict(f"the case is {case.status}, not at dismissal review", slug="not-at-review")
    now = utcnow()
    if data.decision == "dismiss":
        steps = (await session.scalars(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.at))).all()
        history = "; ".join(f"{s.at:%Y-%m-%d} {s.step} ({s.reason})" for s in steps)
        await employees.terminate(
            session,
            employee_id,
            TerminationCreate(
                effective_date=data.effective_date or employees.today(settings.timezone),
                kind="dismissal",
                reason=f"disciplinary: {data.note} [case history: {history}]",
            ),
            user,
            settings.timezone,
        )
        case.status = "dismissed"
    else:
        case.status = "kept"
    case.updated_at = now
    await emit(
        session,
        events.DisciplinaryDecided(
            case_id=case.id, employee_id=employee_id, decision=data.decision, decided_by=user.user_id
        ),
        subject=employee_id,
    )
    session.add(
        CaseStep(
            id=new_id(),
            case_id=case.id,
            step=data.decision,
            reason="decision",
            warning_id=None,
            note=data.note,
            at=now,
            by=user.user_id,
        )
    )
    return case
