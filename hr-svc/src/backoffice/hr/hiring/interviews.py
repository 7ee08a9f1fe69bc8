"""Interviews: scheduled for an application with a panel of employees, each panelist's structured feedback
once it has taken place, and what each caller may see of them."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from backoffice.hr.employees import service as employees
from backoffice.hr.hiring.access import forbid, in_play, is_hr, manages
from backoffice.hr.hiring.applications import get_application, opening_of, to_tenth
from backoffice.hr.hiring.models import (
    Application,
    Candidate,
    Interview,
    InterviewFeedback,
    InterviewPanelist,
    JobOpening,
)
from backoffice.hr.hiring.openings import get_opening
from backoffice.hr.hiring.schemas import FeedbackCreate, FeedbackRead, InterviewCreate, InterviewPage, InterviewRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


async def schedule(session: AsyncSession, user: Principal, application_id: str, body: InterviewCreate) -> Interview:
    """Schedule an interview of an active application of an open opening, with a panel of employees."""
    application = await get_application(session, application_id)
    opening = await opening_of(session, user, application, "schedule interviews for this application")
    in_play(opening, "no interviews are scheduled for it")
    if application.status != "active":
        raise Conflict(f"the application is {application.status}", slug="application-closed")
    for interviewer in body.interviewers:
        await employees.get_employee(session, interviewer)
    interview = Interview(
        id=new_id(),
        application_id=application.id,
        scheduled_at=body.scheduled_at,
        interviewers=json.dumps(sorted(set(body.interviewers))),
        created_by=user.user_id,
        created_at=utcnow(),
    )
    session.add(interview)
    await session.flush()
    session.add_all(InterviewPanelist(interview_id=interview.id, employee_id=e) for e in sorted(set(body.interviewers)))
    await session.flush()
    return interview


async def give_feedback(session: AsyncSession, user: Principal, interview_id: str, body: FeedbackCreate) -> None:
    """A panelist's feedback on an interview that has taken place, once."""
    interview = await get_or_404(session, Interview, interview_id)
    if user.employee_id not in json.loads(interview.interviewers):
        raise forbid("give feedback on an interview you did not sit on")
    application = await get_application(session, interview.application_id)
    in_play(await get_opening(session, application.opening_id), "its interviews take no feedback")
    if interview.scheduled_at > utcnow():
        raise Conflict(
            f"the interview is at {interview.scheduled_at.isoformat()}: give feedback once it has taken place",
            slug="interview-not-held",
        )
    session.add(
        InterviewFeedback(
            interview_id=interview.id,
            interviewer_id=user.employee_id,
            rating=body.rating,
            recommendation=body.recommendation,
            notes=body.notes,
            submitted_at=utcnow(),
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("you gave your feedback on this interview already", slug="feedback-exists") from None


async def interview_reads(session: AsyncSession, user: Principal, interviews: list[Interview]) -> list[InterviewRead]:
    """What each caller may see of these interviews: the hiring manager (and HR) every rating, an interviewer
    their own feedback and the candidate's name."""
    applications = {
        a.id: a
        for a in await session.scalars(
            select(Application).where(Application.id.in_({i.application_id for i in interviews}))
        )
    }
    openings = {
        o.id: o
        for o in await session.scalars(
            select(JobOpening).where(JobOpening.id.in_({a.opening_id for a in applications.values()}))
        )
    }
    candidates = {
        c.id: c
        for c in await session.scalars(
            select(Candidate).where(Candidate.id.in_({a.candidate_id for a in applications.values()}))
        )
    }
    feedback: dict[str, list[InterviewFeedback]] = defaultdict(list)
    for f in await session.scalars(
        select(InterviewFeedback)
        .where(InterviewFeedback.interview_id.in_([i.id for i in interviews]))
        .order_by(InterviewFeedback.id)
    ):
        feedback[f.interview_id].append(f)
    out = []
    for interview in interviews:
        application = applications[interview.application_id]
        opening = openings[application.opening_id]
        candidate = candidates[application.candidate_id]
        panel = json.loads(interview.interviewers)
        manager = manages(user, opening)
        if not manager and user.employee_id not in panel:
            raise forbid("see this interview")
        seen = (
            feedback[interview.id]
            if manager
            else [f for f in feedback[interview.id] if f.interviewer_id == user.employee_id]
        )
        average = to_tenth(Decimal(sum(f.rating for f in seen)) / len(seen)) if seen else None
        out.append(
            InterviewRead(
                id=interview.id,
                application_id=application.id,
                candidate_name=f"{candidate.given_name} {candidate.family_name}",
                position=opening.position,
                scheduled_at=interview.scheduled_at,
                interviewers=panel,
                feedback=[FeedbackRead.model_validate(f) for f in seen],
                average_rating=average,
            )
        )
    return out


async def read_interview(session: AsyncSession, user: Principal, interview_id: str) -> InterviewRead:
    """One interview, as the caller may see it (see ``interview_reads``)."""
    return (await interview_reads(session, user, [await get_or_404(session, Interview, interview_id)]))[0]


async def list_interviews(
    session: AsyncSession,
    user: Principal,
    *,
    application_id: str | None,
    opening_id: str | None,
    mine: bool,
    scheduled_from: date | None,
    scheduled_to: date | None,
    zone: ZoneInfo,
    limit: int,
    offset: int,
) -> InterviewPage:
    """Interviews the caller may see, by scheduled time: HR every one, a hiring manager those of their openings,
    an interviewer those they sit on (``mine``: only those, whoever asks). ``scheduled_from`` and
    ``scheduled_to`` are days in the company's timezone, both included."""
    on_panel = Interview.id.in_(
        select(InterviewPanelist.interview_id).where(InterviewPanelist.employee_id == (user.employee_id or ""))
    )
    conditions: list[ColumnElement[bool]] = []
    if mine:
        conditions.append(on_panel)
    elif not is_hr(user):
        conditions.append(or_(on_panel, JobOpening.hiring_manager_id == (user.employee_id or "")))
    if application_id is not None:
        conditions.append(Interview.application_id == application_id)
    if opening_id is not None:
        conditions.append(Application.opening_id == opening_id)
    if scheduled_from is not None:
        conditions.append(Interview.scheduled_at >= datetime.combine(scheduled_from, time.min, zone).astimezone(UTC))
    if scheduled_to is not None:
        end = datetime.combine(scheduled_to + timedelta(days=1), time.min, zone).astimezone(UTC)
        conditions.append(Interview.scheduled_at < end)
    query = (
        select(Interview)
        .join(Application, Application.id == Interview.application_id)
        .join(JobOpening, JobOpening.id == Application.opening_id)
        .where(*conditions)
    )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(await session.scalars(query.order_by(Interview.scheduled_at, Interview.id).limit(limit).offset(offset)))
    return InterviewPage(
        items=await interview_reads(session, user, rows), total=int(total or 0), limit=limit, offset=offset
    )
