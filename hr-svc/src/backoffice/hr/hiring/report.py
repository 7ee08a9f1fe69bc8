"""The hiring report: open positions, the pipeline per stage, time in stage and to fill, hires by source."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from backoffice.hr.hiring.access import forbid, is_hr
from backoffice.hr.hiring.applications import to_tenth
from backoffice.hr.hiring.models import Application, Candidate, JobOpening, StageMove
from backoffice.hr.hiring.schemas import HiringReport, OpeningRead, StageCount
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


def _average(values: list[float]) -> Decimal:
    return to_tenth(sum(values) / len(values))


async def report(session: AsyncSession, user: Principal) -> HiringReport:
    """HR's hiring report: open positions, candidates per stage, average days in each stage and to fill, hires by
    source."""
    if not is_hr(user):
        raise forbid("read hiring reports (HR does)")
    open_positions = [
        OpeningRead.model_validate(o)
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
        average_days_in_stage={s: _average(v) for s, v in days.items()},
        average_days_to_fill=_average(filled) if filled else None,
        hires_by_source={k: int(v) for k, v in sources.items()},
    )
