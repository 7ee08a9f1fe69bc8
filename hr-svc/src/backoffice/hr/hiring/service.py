"""Hiring: an opening approved by HR, candidates applying, moving through the company's stages,
interviews with structured feedback, an offer, and the hire (once, however often it is accepted).

Who sees what: HR sees everything; a hiring manager sees their openings, their applications and the
candidates' contact details; an interviewer sees only the interviews they sit on, with the
candidate's name and nobody else's feedback.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from backoffice.hr.employees import service as employees
from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.schemas import EmployeeCreate, PayTermsIn
from backoffice.hr.hiring.models import (
    Application,
    Candidate,
    Interview,
    InterviewFeedback,
    InterviewPanelist,
    JobOpening,
    Offer,
    StageMove,
)
from backoffice.hr.hiring.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationRead,
    CandidateCreate,
    CandidatePage,
    CandidateRead,
    FeedbackIn,
    FeedbackRead,
    HiringReport,
    InterviewCreate,
    InterviewPage,
    InterviewRead,
    MoveRead,
    OfferCreate,
    OfferPage,
    OfferRead,
    OpeningCreate,
    OpeningPage,
    OpeningRead,
    StageCount,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

HIRED = "hired"
TENTH = Decimal("0.1")


def _is_hr(user: Principal) -> bool:
    return user.is_admin or user.has_any("hr")


def _manages(user: Principal, opening: JobOpening) -> bool:
    return _is_hr(user) or (user.employee_id is not None and user.employee_id == opening.hiring_manager_id)


def _forbid(what: str) -> Problem:
    return Problem(403, f"you may not {what}", slug="forbidden")


def _in_play(opening: JobOpening, what: str) -> None:
    """Only an open opening's pipeline moves: on hold, cancelled or filled, it is paused or over."""
    if opening.status != "open":
        state = opening.status.replace("_", " ")
        hint = " (reopen it first)" if opening.status == "on_hold" else ""
        raise Problem(409, f"the opening is {state}: {what}{hint}", slug="opening-closed")


# -- openings -----------------------------------------------------------------------------------
def opening_read(o: JobOpening) -> OpeningRead:
    return OpeningRead(
        id=o.id,
        department_id=o.department_id,
        position=o.position,
        headcount=o.headcount,
        hires=o.hires,
        salary_min=o.salary_min,
        salary_max=o.salary_max,
        currency=o.currency,
        hiring_manager_id=o.hiring_manager_id,
        expected_rating=o.expected_rating,
        status=o.status,  # type: ignore[arg-type]
        closing_date=o.closing_date,
        approved_by=o.approved_by,
        created_at=o.created_at,
    )


async def get_opening(session: AsyncSession, opening_id: str, *, lock: bool = False) -> JobOpening:
    query = select(JobOpening).where(JobOpening.id == opening_id)
    opening = await session.scalar(query.with_for_update() if lock else query)
    if opening is None:
        raise NotFound("opening", opening_id)
    return opening


async def create_opening(session: AsyncSession, user: Principal, body: OpeningCreate, today: date) -> JobOpening:
    """HR, or a manager for their own team, drafts an opening; it opens once HR approves it. Its closing date,
    if any, is today or later (``today`` in the company's timezone)."""
    if not _is_hr(user) and not (user.has_any("manager") and user.employee_id == body.hiring_manager_id):
        raise _forbid("open a position for another hiring manager")
    if body.closing_date is not None and body.closing_date < today:
        message = f"{body.closing_date} is in the past: give today ({today}) or a later day, or none"
        raise Problem(
            422,
            f"closing_date: {message}",
            slug="validation-error",
            errors=[{"field": "closing_date", "message": message, "type": "closing_date_past"}],
        )
    await employees.get_employee(session, body.hiring_manager_id)
    if body.department_id is not None and await employees._department(session, body.department_id) is None:
        raise NotFound("department", body.department_id)
    now = utcnow()
    opening = JobOpening(
        id=new_id(),
        department_id=body.department_id,
        position=body.position,
        headcount=body.headcount,
        hires=0,
        salary_min=body.salary_min,
        salary_max=body.salary_max,
        currency=body.currency.upper(),
        hiring_manager_id=body.hiring_manager_id,
        expected_rating=body.expected_rating,
        status="draft",
        closing_date=body.closing_date,
        created_by=user.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(opening)
    await session.flush()
    return opening


async def approve_opening(session: AsyncSession, user: Principal, opening_id: str) -> JobOpening:
    if not _is_hr(user):
        raise _forbid("approve an opening (HR does)")
    opening = await get_opening(session, opening_id, lock=True)
    if opening.status != "draft":
        raise Problem(409, f"the opening is {opening.status}: only a draft is approved", slug="opening-state")
    now = utcnow()
    opening.status, opening.approved_by, opening.approved_at, opening.updated_at = "open", user.user_id, now, now
    return opening


async def change_opening(session: AsyncSession, user: Principal, opening_id: str, status: str) -> JobOpening:
    opening = await get_opening(session, opening_id, lock=True)
    if not _manages(user, opening):
        raise _forbid("change this opening")
    allowed = {"open": ("on_hold",), "on_hold": ("open",), "cancelled": ("draft", "open", "on_hold")}
    if opening.status not in allowed[status]:
        raise Problem(409, f"an opening that is {opening.status} cannot become {status}", slug="opening-state")
    opening.status, opening.updated_at = status, utcnow()
    return opening


async def list_openings(
    session: AsyncSession, user: Principal, status: str | None, limit: int, offset: int
) -> OpeningPage:
    """Openings, newest first: all for HR, their own for a hiring manager."""
    query = select(JobOpening).order_by(JobOpening.created_at.desc(), JobOpening.id.desc())
    if status is not None:
        query = query.where(JobOpening.status == status)
    if not _is_hr(user):
        query = query.where(JobOpening.hiring_manager_id == (user.employee_id or ""))
    rows, total = await fetch_page(session, query, limit, offset)
    return OpeningPage(items=[opening_read(o) for o in rows], total=total, limit=limit, offset=offset)


async def read_opening(session: AsyncSession, user: Principal, opening_id: str) -> OpeningRead:
    opening = await get_opening(session, opening_id)
    if not _manages(user, opening):
        raise _forbid("see this opening")
    return opening_read(opening)


# -- candidates and applications ------------------------------------------------------------------
def candidate_read(c: Candidate, personal: bool) -> CandidateRead:
    return CandidateRead(
        id=c.id,
        given_name=c.given_name,
        family_name=c.family_name,
        email=c.email if personal else None,
        phone=c.phone if personal else None,
        source=c.source,
        cv_document_id=c.cv_document_id if personal else None,
    )


async def create_candidate(session: AsyncSession, user: Principal, body: CandidateCreate) -> Candidate:
    if not _is_hr(user):
        raise _forbid("add candidates (HR does)")
    email = str(body.email).lower()
    if await session.scalar(select(Candidate.id).where(Candidate.email == email)):
        raise Problem(
            409, f"a candidate with {email} exists already: apply them to the opening", slug="candidate-exists"
        )
    candidate = Candidate(
        id=new_id(),
        given_name=body.given_name,
        family_name=body.family_name,
        email=email,
        phone=body.phone,
        source=body.source,
        cv_document_id=body.cv_document_id,
        created_by=user.user_id,
        created_at=utcnow(),
    )
    session.add(candidate)
    try:
        await session.flush()
    except IntegrityError:
        raise Problem(409, f"a candidate with {email} was added at the same moment", slug="candidate-exists") from None
    return candidate


async def list_candidates(
    session: AsyncSession, user: Principal, q: str | None, limit: int, offset: int
) -> CandidatePage:
    """Candidates by name, found by part of their name or e-mail: HR's, to apply someone already known to
    another opening."""
    if not _is_hr(user):
        raise _forbid("list candidates (HR does)")
    query = select(Candidate).order_by(Candidate.family_name, Candidate.given_name, Candidate.id)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        full = func.lower(Candidate.given_name + " " + Candidate.family_name)
        query = query.where(or_(full.like(like), func.lower(Candidate.email).like(like)))
    rows, total = await fetch_page(session, query, limit, offset)
    return CandidatePage(items=[candidate_read(c, True) for c in rows], total=total, limit=limit, offset=offset)


async def read_candidate(session: AsyncSession, user: Principal, candidate_id: str) -> CandidateRead:
    candidate = await session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound("candidate", candidate_id)
    if _is_hr(user):
        return candidate_read(candidate, True)
    managed = await session.scalar(
        select(Application.id)
        .join(JobOpening, JobOpening.id == Application.opening_id)
        .where(Application.candidate_id == candidate_id, JobOpening.hiring_manager_id == (user.employee_id or ""))
    )
    if managed is None:
        raise _forbid("see this candidate")
    return candidate_read(candidate, True)


async def _application(session: AsyncSession, application_id: str, *, lock: bool = False) -> Application:
    query = select(Application).where(Application.id == application_id)
    application = await session.scalar(query.with_for_update() if lock else query)
    if application is None:
        raise NotFound("application", application_id)
    return application


async def _move(session: AsyncSession, application: Application, to: str, user: Principal, reason: str | None) -> None:
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
    opening = await get_opening(session, body.opening_id)
    if not _is_hr(user):
        raise _forbid("record applications (HR does)")
    if opening.status != "open":
        raise Problem(409, f"the opening is {opening.status}: it takes no applications", slug="opening-closed")
    if opening.closing_date is not None and opening.closing_date < today:
        raise Problem(
            409, f"the opening closed on {opening.closing_date}: it takes no applications", slug="opening-closed"
        )
    if await session.get(Candidate, body.candidate_id) is None:
        raise NotFound("candidate", body.candidate_id)
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
        raise Problem(409, "this candidate has applied to this opening already", slug="application-exists") from None
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


async def _opening_of(session: AsyncSession, user: Principal, application: Application, what: str) -> JobOpening:
    opening = await get_opening(session, application.opening_id)
    if not _manages(user, opening):
        raise _forbid(what)
    return opening


async def move(
    session: AsyncSession, user: Principal, application_id: str, stage: str, stages: list[str]
) -> Application:
    application = await _application(session, application_id, lock=True)
    opening = await _opening_of(session, user, application, "move this application")
    if stage not in stages or stage == HIRED:
        raise Problem(
            422,
            f"stage {stage!r} does not exist here: choose one of {', '.join(s for s in stages if s != HIRED)} "
            "(an accepted offer hires)",
            slug="unknown-stage",
        )
    _in_play(opening, "its applications do not move")
    if application.status != "active":
        raise Problem(409, f"the application is {application.status}", slug="application-closed")
    if stage == application.stage:
        raise Problem(
            409, f"the application is at stage {stage!r} already: choose another stage", slug="application-stage"
        )
    await _move(session, application, stage, user, None)
    application.stage, application.stage_entered_at = stage, utcnow()
    return application


async def close_application(
    session: AsyncSession, user: Principal, application_id: str, outcome: str, reason: str
) -> Application:
    application = await _application(session, application_id, lock=True)
    await _opening_of(session, user, application, "close this application")
    if application.status != "active":
        raise Problem(409, f"the application is {application.status} already", slug="application-closed")
    await _move(session, application, outcome, user, reason)
    application.status, application.reason = outcome, reason
    return application


async def _ratings(session: AsyncSession, application_ids: list[str]) -> dict[str, Decimal]:
    rows = await session.execute(
        select(Interview.application_id, func.avg(InterviewFeedback.rating))
        .join(InterviewFeedback, InterviewFeedback.interview_id == Interview.id)
        .where(Interview.application_id.in_(application_ids))
        .group_by(Interview.application_id)
    )
    return {a: Decimal(str(avg)).quantize(TENTH, ROUND_HALF_UP) for a, avg in rows if avg is not None}


async def application_reads(session: AsyncSession, applications: list[Application]) -> list[ApplicationRead]:
    ids = [a.id for a in applications]
    moves: dict[str, list[MoveRead]] = defaultdict(list)
    for m in await session.scalars(select(StageMove).where(StageMove.application_id.in_(ids)).order_by(StageMove.id)):
        moves[m.application_id].append(
            MoveRead(
                from_stage=m.from_stage, to_stage=m.to_stage, moved_by=m.moved_by, moved_at=m.moved_at, reason=m.reason
            )
        )
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
            candidate=candidate_read(candidates[a.candidate_id], True),
            stage=a.stage,
            status=a.status,  # type: ignore[arg-type]
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
    application = await _application(session, application_id)
    await _opening_of(session, user, application, "see this application")
    return (await application_reads(session, [application]))[0]


async def list_applications(
    session: AsyncSession, user: Principal, opening_id: str, stage: str | None, limit: int, offset: int
) -> ApplicationPage:
    """An opening's applications, newest first."""
    opening = await get_opening(session, opening_id)
    if not _manages(user, opening):
        raise _forbid("see this opening's applications")
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


# -- interviews -----------------------------------------------------------------------------------
async def schedule(session: AsyncSession, user: Principal, application_id: str, body: InterviewCreate) -> Interview:
    application = await _application(session, application_id)
    opening = await _opening_of(session, user, application, "schedule interviews for this application")
    _in_play(opening, "no interviews are scheduled for it")
    if application.status != "active":
        raise Problem(409, f"the application is {application.status}", slug="application-closed")
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


async def _interview(session: AsyncSession, interview_id: str) -> Interview:
    interview = await session.get(Interview, interview_id)
    if interview is None:
        raise NotFound("interview", interview_id)
    return interview


async def give_feedback(session: AsyncSession, user: Principal, interview_id: str, body: FeedbackIn) -> None:
    interview = await _interview(session, interview_id)
    if user.employee_id not in json.loads(interview.interviewers):
        raise _forbid("give feedback on an interview you did not sit on")
    application = await _application(session, interview.application_id)
    _in_play(await get_opening(session, application.opening_id), "its interviews take no feedback")
    if interview.scheduled_at > utcnow():
        raise Problem(
            409,
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
        raise Problem(409, "you gave your feedback on this interview already", slug="feedback-exists") from None


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
        manager = _manages(user, opening)
        if not manager and user.employee_id not in panel:
            raise _forbid("see this interview")
        seen = (
            feedback[interview.id]
            if manager
            else [f for f in feedback[interview.id] if f.interviewer_id == user.employee_id]
        )
        average = (Decimal(sum(f.rating for f in seen)) / len(seen)).quantize(TENTH, ROUND_HALF_UP) if seen else None
        out.append(
            InterviewRead(
                id=interview.id,
                application_id=application.id,
                candidate_name=f"{candidate.given_name} {candidate.family_name}",
                position=opening.position,
                scheduled_at=interview.scheduled_at,
                interviewers=panel,
                feedback=[
                    FeedbackRead(
                        interviewer_id=f.interviewer_id,
                        rating=f.rating,
                        recommendation=f.recommendation,  # type: ignore[arg-type]
                        notes=f.notes,
                        submitted_at=f.submitted_at,
                    )
                    for f in seen
                ],
                average_rating=average,
            )
        )
    return out


async def read_interview(session: AsyncSession, user: Principal, interview_id: str) -> InterviewRead:
    return (await interview_reads(session, user, [await _interview(session, interview_id)]))[0]


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
    elif not _is_hr(user):
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


# -- offers and the hire ----------------------------------------------------------------------------
def offer_read(o: Offer) -> OfferRead:
    return OfferRead(
        id=o.id,
        application_id=o.application_id,
        position=o.position,
        employment_type=o.employment_type,
        pay_terms=PayTermsIn.model_validate_json(o.pay_terms),
        start_date=o.start_date,
        status=o.status,  # type: ignore[arg-type]
        employee_id=o.employee_id,
        sent_at=o.sent_at,
        decided_at=o.decided_at,
    )


async def _offer(session: AsyncSession, offer_id: str, *, lock: bool = False) -> Offer:
    query = select(Offer).where(Offer.id == offer_id)
    offer = await session.scalar(query.with_for_update() if lock else query)
    if offer is None:
        raise NotFound("offer", offer_id)
    return offer


async def make_offer(session: AsyncSession, user: Principal, application_id: str, body: OfferCreate) -> Offer:
    if not _is_hr(user):
        raise _forbid("make offers (HR does)")
    application = await _application(session, application_id, lock=True)
    _in_play(await get_opening(session, application.opening_id), "no offers are made for it")
    if application.status != "active" or application.stage != "offer":
        raise Problem(
            409,
            f"the application is {application.status} at stage {application.stage}: move it to 'offer' first",
            slug="application-stage",
        )
    pending = await session.scalar(
        select(Offer.id).where(Offer.application_id == application.id, Offer.status.in_(("draft", "sent")))
    )
    if pending is not None:
        raise Problem(409, f"offer {pending} is still open for this application", slug="offer-open")
    offer = Offer(
        id=new_id(),
        application_id=application.id,
        position=body.position,
        employment_type=body.employment_type,
        pay_terms=body.pay_terms.model_dump_json(),
        start_date=body.start_date,
        status="draft",
        created_by=user.user_id,
        created_at=utcnow(),
    )
    session.add(offer)
    await session.flush()
    return offer


async def list_offers(
    session: AsyncSession, user: Principal, application_id: str, limit: int, offset: int
) -> OfferPage:
    """An application's offers, newest first: for HR and the opening's hiring manager."""
    application = await _application(session, application_id)
    await _opening_of(session, user, application, "see this application's offers")
    query = (
        select(Offer).where(Offer.application_id == application.id).order_by(Offer.created_at.desc(), Offer.id.desc())
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return OfferPage(items=[offer_read(o) for o in rows], total=total, limit=limit, offset=offset)


async def send_offer(session: AsyncSession, user: Principal, offer_id: str) -> Offer:
    if not _is_hr(user):
        raise _forbid("send offers (HR does)")
    offer = await _offer(session, offer_id, lock=True)
    if offer.status != "draft":
        raise Problem(409, f"the offer is {offer.status}: only a draft is sent", slug="offer-state")
    application = await _application(session, offer.application_id)
    _in_play(await get_opening(session, application.opening_id), "no offers are sent for it")
    offer.status, offer.sent_at = "sent", utcnow()
    return offer


async def decide_offer(session: AsyncSession, user: Principal, offer_id: str, accepted: bool, zone: ZoneInfo) -> Offer:
    """The candidate's answer. Acceptance hires them (``hr.employee_hired``), exactly once: a repeated
    acceptance finds the offer accepted and returns it unchanged."""
    if not _is_hr(user):
        raise _forbid("record the candidate's answer (HR does)")
    offer = await _offer(session, offer_id, lock=True)
    if offer.status == "accepted" and accepted:
        return offer
    if offer.status != "sent":
        raise Problem(409, f"the offer is {offer.status}: only a sent offer is answered", slug="offer-state")
    offer.decided_at = utcnow()
    if not accepted:
        offer.status = "declined"
        return offer
    application = await _application(session, offer.application_id, lock=True)
    if application.status != "active" or application.stage != "offer":
        raise Problem(
            409,
            f"the application is {application.status} at stage {application.stage}: it cannot be hired from this offer",
            slug="application-stage",
        )
    opening = await get_opening(session, application.opening_id, lock=True)
    if opening.status in ("draft", "cancelled"):
        raise Problem(409, f"the opening is {opening.status}: its offers cannot be accepted", slug="opening-closed")
    # on hold, an offer already sent may still be accepted: the company made it
    if opening.hires >= opening.headcount or opening.status not in ("open", "on_hold"):
        raise Problem(
            409,
            f"the opening is {opening.status} with {opening.hires} of {opening.headcount} hired: no headcount is left",
            slug="no-headcount",
        )
    candidate = await session.get(Candidate, application.candidate_id)
    assert candidate is not None
    terms = PayTermsIn.model_validate_json(offer.pay_terms)
    employee: Employee = await employees.hire(
        session,
        EmployeeCreate(
            given_name=candidate.given_name,
            family_name=candidate.family_name,
            email=candidate.email,
            phone=candidate.phone,
            department_id=opening.department_id,
            position=offer.position,
            manager_id=opening.hiring_manager_id,
            employment_type=offer.employment_type,  # type: ignore[arg-type]
            start_date=offer.start_date,
            pay_terms=terms,
        ),
        user,
        zone,
    )
    offer.status, offer.employee_id = "accepted", employee.id
    await _move(session, application, HIRED, user, None)
    application.stage, application.status, application.employee_id = HIRED, "hired", employee.id
    opening.hires += 1
    if opening.hires >= opening.headcount:
        opening.status, opening.filled_at = "filled", utcnow()
    opening.updated_at = utcnow()
    return offer


# -- reports ----------------------------------------------------------------------------------------
def _days(values: list[float]) -> Decimal:
    return Decimal(str(sum(values) / len(values))).quantize(TENTH, ROUND_HALF_UP)


async def report(session: AsyncSession, user: Principal) -> HiringReport:
    if not _is_hr(user):
        raise _forbid("read hiring reports (HR does)")
    open_positions = [
        opening_read(o)
        for o in await session.scalars(
            select(JobOpening).where(JobOpening.status == "open").order_by(JobOpening.created_at)
        )
    ]
    per_stage = [
        StageCount(opening_id=opening_id, position=position, stage=stage, candidates=count)
        for opening_id, position, stage, count in await session.execute(
            select(Application.opening_id, JobOpening.position, Application.stage, func.count())
            .join(JobOpening, JobOpening.id == Application.opening_id)
            .where(Application.status == "active", JobOpening.status.in_(("open", "on_hold")))
            .group_by(Application.opening_id, JobOpening.position, Application.stage)
            .order_by(Application.opening_id, Application.stage)
        )
    ]
    days: dict[str, list[float]] = defaultdict(list)
    previous: dict[str, StageMove] = {}
    now = utcnow()
    for m in await session.scalars(select(StageMove).order_by(StageMove.application_id, StageMove.id)):
        before = previous.get(m.application_id)
        if before is not None:
            days[before.to_stage].append((m.moved_at - before.moved_at).total_seconds() / 86400)
        previous[m.application_id] = m
    live = set(
        (
            await session.scalars(
                select(Application.id)
                .join(JobOpening, JobOpening.id == Application.opening_id)
                .where(Application.status == "active", JobOpening.status.in_(("open", "on_hold")))
            )
        ).all()
    )
    for m in previous.values():  # the stage each application still in play is in now
        if m.application_id in live:
            days[m.to_stage].append((now - m.moved_at).total_seconds() / 86400)
    filled = [
        (o.filled_at - o.approved_at).total_seconds() / 86400
        for o in await session.scalars(
            select(JobOpening).where(JobOpening.filled_at.is_not(None), JobOpening.approved_at.is_not(None))
        )
        if o.filled_at and o.approved_at
    ]
    sources = dict(
        (
            await session.execute(
                select(Candidate.source, func.count())
                .join(Application, Application.candidate_id == Candidate.id)
                .where(Application.status == "hired")
                .group_by(Candidate.source)
            )
        ).all()
    )
    return HiringReport(
        open_positions=open_positions,
        candidates_per_stage=per_stage,
        average_days_in_stage={
            s: Decimal(str(sum(v) / len(v))).quantize(TENTH, ROUND_HALF_UP) for s, v in days.items()
        },
        average_days_to_fill=Decimal(str(sum(filled) / len(filled))).quantize(TENTH, ROUND_HALF_UP) if filled else None,
        hires_by_source={k: int(v) for k, v in sources.items()},
    )
