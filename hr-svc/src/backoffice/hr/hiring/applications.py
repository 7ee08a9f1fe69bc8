"""Applications: a candidate applying to an opening and moving through the company's stages, every move
recorded (time-in-stage reports read them), until rejected, withdrawn or hired."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from backoffice.hr.hiring.access import forbid, in_play, is_hr, manages
from backoffice.hr.hiring.models import (
    Application,
    ApplicationOutcome,
    Candidate,
    Interview,
    InterviewFeedback,
    JobOpening,
    StageMove,
)
from backoffice.hr.hiring.openings import get_opening
from backoffice.hr.hiring.schemas import ApplicationCreate, ApplicationPage, ApplicationRead, CandidateRead, MoveRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

HIRED = "hired"
TENTH = Decimal("0.1")


def to_tenth(value: object) -> Decimal:
    """``value`` (a number, or its text) rounded half up to one decimal place, as ratings and days are shown."""
    return Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)


async def get_application(session: AsyncSession, application_id: str, *, lock: bool = False) -> Application:
    """The application ``application_id`` (404 when there is none); ``lock`` takes it ``FOR UPDATE``."""
    return await get_or_404(session, Application, application_id, lock=lock)


async def record_move(
    session: AsyncSession, application: Application, to: str, user: Principal, reason: str | None
) -> None:
    """Record the application's move to ``to`` (a stage or an outcome), by ``user``, with an optional reason."""
    now = utcnow()
    session.add(
        StageMove(
            application_id=application.id,
            from_stage=application.stage,
            to_stage=to,
            moved_by=user.user_id,
            moved_at=now,
            reason=reason,
        )
    )
    application.updated_at = now


async def apply(
    session: AsyncSession, user: Principal, body: ApplicationCreate, stages: list[str], today: date
) -> Application:
    """HR applies a candidate to an open opening that has not closed: the application enters the first stage."""
    opening = await get_opening(session, body.opening_id)
    if not is_hr(user):
        raise forbid("record applications (HR does)")
    if opening.status != "open":
        raise Conflict(f"the opening is {opening.status}: it takes no applications", slug="opening-closed")
    if opening.closing_date is not None and opening.closing_date < today:
        raise Conflict(f"the opening closed on {opening.closing_date}: it takes no applications", slug="opening-closed")
    await get_or_404(session, Candidate, body.candidate_id)
    now = utcnow()
    application = Application(
        id=new_id(),
        opening_id=opening.id,
        candidate_id=body.candidate_id,
        stage=stages[0],
        status="active",
        stage_entered_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict("this candidate has applied to this opening already", slug="application-exists") from None
    session.add(
        StageMove(
            application_id=application.id,
            from_stage=None,
            to_stage=stages[0],
            moved_by=user.user_id,
            moved_at=now,
            reason=None,
        )
    )
    return application


async def opening_of(session: AsyncSession, user: Principal, application: Application, what: str) -> JobOpening:
    """The application's opening, if ``user`` manages it; 403 naming ``what`` otherwise."""
    opening = await get_opening(session, application.opening_id)
    if not manages(user, opening):
        raise forbid(what)
    return opening


async def move(
    session: AsyncSession, user: Principal, application_id: str, stage: str, stages: list[str]
) -> Application:
    """Move an active application of an open opening to another stage of ``stages`` (not 'hired': an accepted offer
    hires)."""
    application = await get_application(session, application_id, lock=True)
    opening = await opening_of(session, user, application, "move this application")
    if stage not in stages or stage == HIRED:
        raise Unprocessable(
            f"stage {stage!r} does not exist here: choose one of {', '.join(s for s in stages if s != HIRED)} "
            "(an accepted offer hires)",
            slug="unknown-stage",
        )
    in_play(opening, "its applications do not move")
    if application.status != "active":
        raise Conflict(f"the application is {application.status}", slug="application-closed")
    if stage == application.stage:
        raise Conflict(f"the application is at stage {stage!r} already: choose another stage", slug="application-stage")
    await record_move(session, application, stage, user, None)
    application.stage, application.stage_entered_at = stage, utcnow()
    return application


async def close_application(
    session: AsyncSession, user: Principal, application_id: str, outcome: ApplicationOutcome, reason: str
) -> Application:
    """Reject or withdraw an active application, with the reason."""
    application = await get_application(session, application_id, lock=True)
    await opening_of(session, user, application, "close this application")
    if application.status != "active":
        raise Conflict(f"the application is {application.status} already", slug="application-closed")
    await record_move(session, application, outcome, user, reason)
    application.status, application.reason = outcome, reason
    return application


async def _ratings(session: AsyncSession, application_ids: list[str]) -> dict[str, Decimal]:
    rows = await session.execute(
        select(Interview.application_id, func.avg(InterviewFeedback.rating))
        .join(InterviewFeedback, InterviewFeedback.interview_id == Interview.id)
        .where(Interview.application_id.in_(application_ids))
        .group_by(Interview.application_id)
    )
    return {a: to_tenth(avg) for a, avg in rows if avg is not None}


async def application_reads(session: AsyncSession, applications: list[Application]) -> list[ApplicationRead]:
    """The answers for ``applications``: candidate, moves, ratings and interviews, read in a few queries."""
    ids = [a.id for a in applications]
    moves: dict[str, list[MoveRead]] = defaultdict(list)
    for m in await session.scalars(select(StageMove).where(StageMove.application_id.in_(ids)).order_by(StageMove.id)):
        moves[m.application_id].append(MoveRead.model_validate(m))
    candidates = {
        c.id: c
        for c in await session.scalars(
            select(Candidate).where(Candidate.id.in_({a.candidate_id for a in applications}))
        )
    }
    expected = dict(
        (
            await session.execute(
                select(JobOpening.id, JobOpening.expected_rating).where(
                    JobOpening.id.in_({a.opening_id for a in applications})
                )
            )
        ).all()
    )
    ratings = await _ratings(session, ids)
    interviews: dict[str, list[str]] = defaultdict(list)
    for application_id, interview_id in await session.execute(
        select(Interview.application_id, Interview.id)
        .where(Interview.application_id.in_(ids))
        .order_by(Interview.scheduled_at, Interview.id)
    ):
        interviews[application_id].append(interview_id)
    return [
        ApplicationRead(
            id=a.id,
            opening_id=a.opening_id,
            candidate=CandidateRead.model_validate(candidates[a.candidate_id]),
            stage=a.stage,
            status=a.status,
            reason=a.reason,
            employee_id=a.employee_id,
            moves=moves[a.id],
            average_rating=ratings.get(a.id),
            expected_rating=expected[a.opening_id],
            interview_ids=interviews[a.id],
        )
        for a in applications
    ]


async def read_application(session: AsyncSession, user: Principal, application_id: str) -> ApplicationRead:
    """One application, for HR and the opening's hiring manager."""
    application = await get_application(session, application_id)
    await opening_of(session, user, application, "see this application")
    return (await application_reads(session, [application]))[0]


async def list_applications(
    session: AsyncSession, user: Principal, opening_id: str, stage: str | None, limit: int, offset: int
) -> ApplicationPage:
    """An opening's applications, newest first."""
    opening = await get_opening(session, opening_id)
    if not manages(user, opening):
        raise forbid("see this opening's applications")
    query = (
        select(Application)
        .where(Application.opening_id == opening_id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    if stage is not None:
        query = query.where(Application.stage == stage)
    rows, total = await fetch_page(session, query, limit, offset)
    items = await application_reads(session, list(rows))
    return ApplicationPage(items=items, total=total, limit=limit, offset=offset)
