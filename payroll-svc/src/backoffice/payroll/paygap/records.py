"""Justifications and joint pay assessments of a category's gap, and employees' information requests. Never
edited: a later justification or assessment supersedes an earlier one in the report; follow-ups are appended."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from backoffice.payroll.paygap.aggregates import Group, figures, shown
from backoffice.payroll.paygap.models import Assessment, FollowUp, InformationRequest, JobCategoryVersion, Justification
from backoffice.payroll.paygap.people import categories, placements
from backoffice.payroll.paygap.schemas import (
    AssessmentCreate,
    AssessmentPage,
    AssessmentRead,
    FollowUpCreate,
    FollowUpRead,
    InformationAnswer,
    InformationRequestPage,
    InformationRequestRead,
    JustificationCreate,
    JustificationRead,
    Measure,
    SexFigures,
)
from backoffice.payroll.profiles.service import placement_on
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

SEE_ALL_REQUESTS = ("hr", "pay_auditor")


async def _category_name(session: AsyncSession, category_id: str) -> str:
    """The latest name of a known category; 422 naming it when payroll has never heard of it."""
    name = await session.scalar(
        select(JobCategoryVersion.name)
        .where(JobCategoryVersion.category_id == category_id)
        .order_by(JobCategoryVersion.version.desc())
        .limit(1)
    )
    if name is None:
        raise Unprocessable(
            f"category_id {category_id!r} is no job category payroll knows: give the id of one HR saved",
            slug="unknown-category",
        )
    return name


async def justify(session: AsyncSession, user: Principal, body: JustificationCreate) -> JustificationRead:
    """Record a justification of a category's gap (422 for an unknown category)."""
    await _category_name(session, body.category_id)
    row = Justification(
        id=new_id(),
        category_id=body.category_id,
        period_start=body.period_start,
        period_end=body.period_end,
        text=body.text,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    await session.flush()
    return JustificationRead.model_validate(row)


def _assessment_read(row: Assessment, name: str | None, follow_ups: list[FollowUp]) -> AssessmentRead:
    return AssessmentRead(
        id=row.id,
        category_id=row.category_id,
        category_name=name,
        period_start=row.period_start,
        period_end=row.period_end,
        findings=row.findings,
        measures=[Measure.model_validate(m) for m in json.loads(row.measures)],
        follow_ups=[FollowUpRead.model_validate(f) for f in follow_ups],
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def assess(session: AsyncSession, user: Principal, body: AssessmentCreate) -> AssessmentRead:
    """Record a joint pay assessment of a category (422 for an unknown category)."""
    name = await _category_name(session, body.category_id)
    row = Assessment(
        id=new_id(),
        category_id=body.category_id,
        period_start=body.period_start,
        period_end=body.period_end,
        findings=body.findings,
        measures=json.dumps([m.model_dump(mode="json") for m in body.measures]),
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    await session.flush()
    return _assessment_read(row, name, [])


async def _follow_ups(session: AsyncSession, ids: list[str]) -> dict[str, list[FollowUp]]:
    found: dict[str, list[FollowUp]] = defaultdict(list)
    for row in await session.scalars(
        select(FollowUp).where(FollowUp.assessment_id.in_(ids)).order_by(FollowUp.created_at, FollowUp.id)
    ):
        found[row.assessment_id].append(row)
    return found


async def read_assessment(session: AsyncSession, assessment_id: str) -> AssessmentRead:
    """One assessment with its follow-ups, oldest first."""
    row = await get_or_404(session, Assessment, assessment_id, what="pay assessment")
    names = await categories(session)
    name = names[row.category_id].name if row.category_id in names else None
    return _assessment_read(row, name, (await _follow_ups(session, [row.id]))[row.id])


async def search_assessments(
    session: AsyncSession, *, category_id: str | None, limit: int, offset: int
) -> AssessmentPage:
    """Assessments, latest first; one category's if given."""
    query = select(Assessment).order_by(Assessment.created_at.desc(), Assessment.id.desc())
    if category_id is not None:
        query = query.where(Assessment.category_id == category_id)
    rows, total = await fetch_page(session, query, limit, offset)
    names = await categories(session)
    follow_ups = await _follow_ups(session, [r.id for r in rows])
    items = [
        _assessment_read(r, names[r.category_id].name if r.category_id in names else None, follow_ups[r.id])
        for r in rows
    ]
    return AssessmentPage(items=items, total=total, limit=limit, offset=offset)


async def follow_up(session: AsyncSession, user: Principal, assessment_id: str, body: FollowUpCreate) -> AssessmentRead:
    """Append a follow-up; measure_index must name one of the measures."""
    row = await get_or_404(session, Assessment, assessment_id, what="pay assessment")
    count = len(json.loads(row.measures))
    if body.measure_index is not None and body.measure_index >= count:
        raise Unprocessable(
            f"measure_index {body.measure_index}: the assessment has {count} measures (0 to {count - 1})",
            slug="unknown-measure",
        )
    session.add(
        FollowUp(
            id=new_id(),
            assessment_id=row.id,
            note=body.note,
            measure_index=body.measure_index,
            status=body.status,
            created_at=utcnow(),
            created_by=user.user_id,
        )
    )
    await session.flush()
    return await read_assessment(session, row.id)


# -- right to information ---------------------------------------------------------------------------------------


def _figures(group: Group | None, threshold: int) -> SexFigures:
    workers = group.workers if group else 0
    if group is None or workers < threshold:
        return SexFigures(workers=workers, average_hourly=None, average_annual=None, suppressed=True)
    return SexFigures(
        workers=workers,
        average_hourly=group.mean("hourly"),
        average_annual=shown(group.total_pay / workers),
        suppressed=False,
    )


async def request_information(
    session: AsyncSession, user: Principal, today: date, *, currency: str, threshold: int
) -> InformationRequestRead:
    """The average pay of women and of men in the caller's category (their position today) over the last full
    calendar year, answered at once and kept with the request."""
    if user.employee_id is None:
        raise Unprocessable(
            "your login is not linked to an employee: only employees ask for their category's pay", slug="no-employee"
        )
    placement = await placement_on(session, user.employee_id, today)
    position = placement.position if placement else None
    category_id = (await placements(session)).category_on(position, today)
    if category_id is None:
        reason = (
            "you have no position on file" if position is None else f"your position {position!r} is in no job category"
        )
        raise Conflict(f"{reason} today: ask HR to place it in a job category first", slug="no-job-category")
    name = await _category_name(session, category_id)
    start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    found = await figures(session, start, end, currency, category_id)
    answer = InformationAnswer(
        category_id=category_id,
        category_name=name,
        period_start=start,
        period_end=end,
        currency=currency,
        threshold=threshold,
        women=_figures(found.by_sex.get("female"), threshold),
        men=_figures(found.by_sex.get("male"), threshold),
    )
    row = InformationRequest(
        id=new_id(),
        employee_id=user.employee_id,
        category_id=category_id,
        answer=answer.model_dump_json(),
        requested_by=user.user_id,
        answered_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    return _request_read(row)


def _request_read(row: InformationRequest) -> InformationRequestRead:
    return InformationRequestRead(
        id=row.id,
        employee_id=row.employee_id,
        answer=InformationAnswer.model_validate_json(row.answer),
        requested_by=row.requested_by,
        answered_at=row.answered_at,
    )


def _sees_all(user: Principal) -> bool:
    return user.is_admin or user.has_any(*SEE_ALL_REQUESTS)


async def search_requests(session: AsyncSession, user: Principal, *, limit: int, offset: int) -> InformationRequestPage:
    """Everyone's for HR, pay auditors and admins; one's own for everyone else."""
    query = select(InformationRequest).order_by(InformationRequest.answered_at.desc(), InformationRequest.id.desc())
    if not _sees_all(user):
        query = query.where(InformationRequest.employee_id == (user.employee_id or ""))
    rows, total = await fetch_page(session, query, limit, offset)
    return InformationRequestPage(items=[_request_read(r) for r in rows], total=total, limit=limit, offset=offset)


async def read_request(session: AsyncSession, user: Principal, request_id: str) -> InformationRequestRead:
    """One request: its employee's, or anyone's for HR, pay auditors and admins."""
    row = await get_or_404(session, InformationRequest, request_id, what="information request")
    if not (_sees_all(user) or user.is_employee(row.employee_id)):
        raise Forbidden("you may read only your own information requests", slug="forbidden")
    return _request_read(row)
