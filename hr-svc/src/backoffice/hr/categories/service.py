"""Job categories of work of equal value and the placement of positions in them.

HR defines a category (code, name, description) with its scores on four objective, gender-neutral criteria; a
change is a new version, kept with its scores so that a report can show why two positions share a category
(``hr.job_category_saved``). A position is placed in one category from a date, optionally to a date; placements of
one position never overlap, and ending one sends ``hr.position_placed`` again with the same placement id. HR,
payroll, pay auditors and admins read all of it; HR and admins write it; an employee reads their own category.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from backoffice.hr.categories.models import JobCategory, JobCategoryVersion, PositionPlacement
from backoffice.hr.categories.schemas import (
    JobCategoryCreate,
    JobCategoryPage,
    JobCategoryRead,
    JobCategoryVersionCreate,
    JobCategoryVersionRead,
    MyJobCategory,
    PlacementCreate,
    PlacementPage,
    PlacementRead,
    PositionPage,
    PositionRead,
    Scores,
)
from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.service import effective_status
from backoffice.hr.events import emit
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.events import hr as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page, slice_page
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

READERS = ("hr", "payroll", "pay_auditor")
WRITERS = ("hr",)


def ensure_reader(user: Principal) -> None:
    """HR, payroll, pay auditors and admins read categories and placements."""
    if not (user.is_admin or user.has_any(*READERS)):
        raise Forbidden(f"this needs one of the roles: {', '.join(READERS)}", slug="forbidden")


def ensure_writer(user: Principal) -> None:
    """HR and admins define categories and place positions."""
    if not (user.is_admin or user.has_any(*WRITERS)):
        raise Forbidden("this needs one of the roles: hr", slug="forbidden")


# -- categories --------------------------------------------------------------------------------
async def _versions(session: AsyncSession, category_id: str) -> list[JobCategoryVersion]:
    return list(
        (
            await session.scalars(
                select(JobCategoryVersion)
                .where(JobCategoryVersion.category_id == category_id)
                .order_by(JobCategoryVersion.version.desc())
            )
        ).all()
    )


def _version_read(row: JobCategoryVersion) -> JobCategoryVersionRead:
    return JobCategoryVersionRead(
        version=row.version,
        name=row.name,
        description=row.description,
        scores=Scores.model_validate(row),
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def to_read(session: AsyncSession, category: JobCategory, *, history: bool = False) -> JobCategoryRead:
    """The category as it stands (its latest version), with every version when ``history``."""
    versions = await _versions(session, category.id)
    current = versions[0]
    return JobCategoryRead(
        id=category.id,
        code=category.code,
        version=current.version,
        name=current.name,
        description=current.description,
        scores=Scores.model_validate(current),
        created_at=category.created_at,
        updated_at=current.created_at,
        versions=[_version_read(v) for v in versions] if history else None,
    )


async def _add_version(
    session: AsyncSession, user: Principal, category: JobCategory, body: JobCategoryVersionCreate
) -> None:
    row = JobCategoryVersion(
        id=new_id(),
        category_id=category.id,
        version=category.version,
        name=body.name.strip(),
        description=body.description,
        created_at=utcnow(),
        created_by=user.user_id,
        **body.scores.model_dump(),
    )
    session.add(row)
    await session.flush()
    await emit(
        session,
        events.JobCategorySaved(
            category_id=category.id,
            code=category.code,
            name=row.name,
            description=row.description,
            scores=events.CriterionScores(**body.scores.model_dump()),
            version=row.version,
        ),
        subject=category.id,
    )


async def create_category(session: AsyncSession, user: Principal, body: JobCategoryCreate) -> JobCategory:
    """HR defines a category, version 1; 409 when its code is taken."""
    ensure_writer(user)
    code = body.code.strip()
    if await session.scalar(select(JobCategory.id).where(func.lower(JobCategory.code) == code.lower())):
        raise Conflict(
            f"a job category with the code {code!r} exists already",
            slug="job-category-exists",
            errors=[{"field": "body.code", "message": "this code is taken", "type": "job_category_exists"}],
        )
    category = JobCategory(id=new_id(), code=code, version=1, created_at=utcnow(), created_by=user.user_id)
    session.add(category)
    await session.flush()
    await _add_version(session, user, category, body)
    return category


async def new_version(
    session: AsyncSession, user: Principal, category_id: str, body: JobCategoryVersionCreate
) -> JobCategory:
    """HR changes a category: a new version (the earlier ones are kept as they were)."""
    ensure_writer(user)
    category = await get_or_404(session, JobCategory, category_id, what="job category", lock=True)
    category.version += 1
    await _add_version(session, user, category, body)
    return category


async def read_category(session: AsyncSession, user: Principal, category_id: str) -> JobCategoryRead:
    """One category with every version."""
    ensure_reader(user)
    category = await get_or_404(session, JobCategory, category_id, what="job category")
    return await to_read(session, category, history=True)


async def list_categories(session: AsyncSession, user: Principal, limit: int, offset: int) -> JobCategoryPage:
    """Every category as it stands, by code."""
    ensure_reader(user)
    rows, total = await fetch_page(
        session, select(JobCategory).order_by(JobCategory.code, JobCategory.id), limit, offset
    )
    return JobCategoryPage(items=[await to_read(session, c) for c in rows], total=total, limit=limit, offset=offset)


# -- placements --------------------------------------------------------------------------------
def _overlapping(position: str, start: date, end: date | None) -> ColumnElement[bool]:
    ends_after_start = or_(PositionPlacement.effective_to.is_(None), PositionPlacement.effective_to >= start)
    condition = and_(PositionPlacement.position == position, ends_after_start)
    return condition if end is None else and_(condition, PositionPlacement.effective_from <= end)


# First key of the PostgreSQL advisory locks on a position's placements (the second is a hash of the position).
PLACEMENT_LOCK_SPACE = 0x504C43  # "PLC"


async def _lock_position(session: AsyncSession, position: str) -> None:
    """Serialise placing one position, so that two placements at once cannot both pass the overlap check. Held until
    the transaction ends. SQLite has one writer at a time already (write sessions begin immediate)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(PLACEMENT_LOCK_SPACE, func.hashtext(position))))


def _date_text(day: date | None) -> str:
    return day.isoformat() if day is not None else "open-ended"


def _placement_event(placement: PositionPlacement) -> events.PositionPlaced:
    return events.PositionPlaced(
        placement_id=placement.id,
        position=placement.position,
        category_id=placement.category_id,
        effective_from=placement.effective_from,
        effective_to=placement.effective_to,
    )


async def place(session: AsyncSession, user: Principal, category_id: str, body: PlacementCreate) -> PositionPlacement:
    """HR places a position in the category from a date; 409 naming the placement it would overlap."""
    ensure_writer(user)
    await get_or_404(session, JobCategory, category_id, what="job category")
    position = body.position.strip()
    await _lock_position(session, position)
    other = await session.scalar(
        select(PositionPlacement)
        .where(_overlapping(position, body.effective_from, body.effective_to))
        .order_by(PositionPlacement.effective_from)
        .limit(1)
    )
    if other is not None:
        code = await session.scalar(select(JobCategory.code).where(JobCategory.id == other.category_id))
        placed = (
            f"{position!r} is already placed in {code} from {other.effective_from.isoformat()} "
            f"to {_date_text(other.effective_to)}"
        )
        raise Conflict(
            f"{placed} (placement {other.id}): end that placement first or choose other dates",
            slug="placement-overlaps",
            placement_id=other.id,
            errors=[{"field": "body.effective_from", "message": placed, "type": "placement_overlaps"}],
        )
    placement = PositionPlacement(
        id=new_id(),
        position=position,
        category_id=category_id,
        effective_from=body.effective_from,
        effective_to=body.effective_to,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(placement)
    await session.flush()
    await emit(session, _placement_event(placement), subject=placement.id)
    return placement


async def end_placement(
    session: AsyncSession, user: Principal, placement_id: str, effective_to: date
) -> PositionPlacement:
    """HR ends an open placement on a date (its last day), sent again with the same placement id."""
    ensure_writer(user)
    placement = await get_or_404(session, PositionPlacement, placement_id, what="position placement", lock=True)
    if placement.effective_to is not None:
        raise Conflict(
            f"placement {placement_id} already ends on {placement.effective_to.isoformat()}", slug="placement-ended"
        )
    if effective_to < placement.effective_from:
        message = f"the placement starts on {placement.effective_from.isoformat()}: it cannot end before"
        raise Unprocessable(
            f"effective_to: {message}",
            slug="placement-dates",
            errors=[{"field": "body.effective_to", "message": message, "type": "placement_dates"}],
        )
    placement.effective_to, placement.ended_at, placement.ended_by = effective_to, utcnow(), user.user_id
    await session.flush()
    await emit(session, _placement_event(placement), subject=placement.id)
    return placement


async def list_placements(
    session: AsyncSession, user: Principal, category_id: str, limit: int, offset: int
) -> PlacementPage:
    """The positions placed in a category, past and present."""
    ensure_reader(user)
    await get_or_404(session, JobCategory, category_id, what="job category")
    query = (
        select(PositionPlacement)
        .where(PositionPlacement.category_id == category_id)
        .order_by(PositionPlacement.position, PositionPlacement.effective_from, PositionPlacement.id)
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return PlacementPage(items=[PlacementRead.model_validate(p) for p in rows], total=total, limit=limit, offset=offset)


async def placement_on(session: AsyncSession, position: str, on: date) -> PositionPlacement | None:
    """The placement of ``position`` in force on ``on``."""
    return await session.scalar(
        select(PositionPlacement).where(
            PositionPlacement.position == position,
            PositionPlacement.effective_from <= on,
            or_(PositionPlacement.effective_to.is_(None), PositionPlacement.effective_to >= on),
        )
    )


# -- positions ---------------------------------------------------------------------------------
async def positions(
    session: AsyncSession, user: Principal, on: date, q: str | None, limit: int, offset: int
) -> PositionPage:
    """Positions in use (held by employees on ``on``, or placed at some time), with their category on ``on``."""
    ensure_reader(user)
    holding = and_(
        Employee.position.is_not(None),
        Employee.start_date <= on,
        or_(Employee.end_date.is_(None), Employee.end_date > on),
    )
    counted = await session.execute(select(Employee.position, func.count()).where(holding).group_by(Employee.position))
    held: Counter[str] = Counter({position: count for position, count in counted.all() if position})
    names = {p for p in (await session.scalars(select(Employee.position).distinct())).all() if p}
    names |= set((await session.scalars(select(PositionPlacement.position).distinct())).all())
    if q:
        names = {n for n in names if q.lower() in n.lower()}
    page, total = slice_page(sorted(names, key=str.lower), limit, offset)
    placements = (
        await session.scalars(
            select(PositionPlacement).where(
                PositionPlacement.position.in_(page),
                PositionPlacement.effective_from <= on,
                or_(PositionPlacement.effective_to.is_(None), PositionPlacement.effective_to >= on),
            )
        )
    ).all()
    by_position = {p.position: p for p in placements}
    categories = {
        c.id: await to_read(session, c)
        for c in (
            await session.scalars(select(JobCategory).where(JobCategory.id.in_({p.category_id for p in placements})))
        ).all()
    }
    items = []
    for name in page:
        placement = by_position.get(name)
        category = categories.get(placement.category_id) if placement is not None else None
        items.append(
            PositionRead(
                position=name,
                employees=held[name],
                placement=PlacementRead.model_validate(placement) if placement is not None else None,
                category_code=category.code if category else None,
                category_name=category.name if category else None,
            )
        )
    return PositionPage(items=items, total=total, limit=limit, offset=offset)


async def my_category(session: AsyncSession, user: Principal, on: date) -> MyJobCategory:
    """The caller's own position and its category today (for the right to information)."""
    if user.employee_id is None:
        raise Unprocessable("your login is not linked to an employee, so it has no job category", slug="no-employee")
    employee = await session.get(Employee, user.employee_id)
    if employee is None:
        raise NotFound("employee", user.employee_id)
    if employee.position is None or effective_status(employee, on) == "terminated":
        return MyJobCategory(position=employee.position, category=None)
    placement = await placement_on(session, employee.position, on)
    if placement is None:
        return MyJobCategory(position=employee.position, category=None)
    category = await session.get(JobCategory, placement.category_id)
    assert category is not None
    return MyJobCategory(position=employee.position, category=await to_read(session, category))
