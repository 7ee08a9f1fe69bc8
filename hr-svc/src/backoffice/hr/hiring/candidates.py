"""Candidates: people HR knows of, applied to one opening or several."""

from __future__ import annotations

from backoffice.hr.hiring.access import forbid, is_hr
from backoffice.hr.hiring.models import Application, Candidate, JobOpening
from backoffice.hr.hiring.schemas import CandidateCreate, CandidatePage, CandidateRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


async def create_candidate(session: AsyncSession, user: Principal, body: CandidateCreate) -> Candidate:
    """HR adds a candidate; 409 when one with that e-mail exists already."""
    if not is_hr(user):
        raise forbid("add candidates (HR does)")
    email = str(body.email).lower()
    if await session.scalar(select(Candidate.id).where(Candidate.email == email)):
        raise Conflict(f"a candidate with {email} exists already: apply them to the opening", slug="candidate-exists")
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
        raise Conflict(f"a candidate with {email} was added at the same moment", slug="candidate-exists") from None
    return candidate


async def list_candidates(
    session: AsyncSession, user: Principal, q: str | None, limit: int, offset: int
) -> CandidatePage:
    """Candidates by name, found by part of their name or e-mail: HR's, to apply someone already known to
    another opening."""
    if not is_hr(user):
        raise forbid("list candidates (HR does)")
    query = select(Candidate).order_by(Candidate.family_name, Candidate.given_name, Candidate.id)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        full = func.lower(Candidate.given_name + " " + Candidate.family_name)
        query = query.where(or_(full.like(like), func.lower(Candidate.email).like(like)))
    rows, total = await fetch_page(session, query, limit, offset)
    return CandidatePage(items=[CandidateRead.model_validate(c) for c in rows], total=total, limit=limit, offset=offset)


async def read_candidate(session: AsyncSession, user: Principal, candidate_id: str) -> CandidateRead:
    """One candidate, for HR and the hiring managers of openings they applied to."""
    candidate = await get_or_404(session, Candidate, candidate_id)
    if is_hr(user):
        return CandidateRead.model_validate(candidate)
    managed = await session.scalar(
        select(Application.id)
        .join(JobOpening, JobOpening.id == Application.opening_id)
        .where(Application.candidate_id == candidate_id, JobOpening.hiring_manager_id == (user.employee_id or ""))
    )
    if managed is None:
        raise forbid("see this candidate")
    return CandidateRead.model_validate(candidate)
