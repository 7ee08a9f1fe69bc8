"""Dead letters: list them, and replay one (as it was, or with a corrected payload)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from backoffice.shared.bus.consumer import EventHandler, InvalidEventError, deliver
from backoffice.shared.bus.envelope import Envelope
from backoffice.shared.bus.tables import DEAD, REPLAYED, dead_letters
from backoffice.shared.db import Database, utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.paging import Offset, Page
from backoffice.shared.security import require_admin_token
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, select, update


class DeadLetterRead(BaseModel):
    id: str
    consumer: str
    subject: str
    event_id: str | None
    payload: str
    reason: str
    attempts: int
    status: str
    created_at: datetime
    replayed_at: datetime | None


class DeadLetterPage(Page[DeadLetterRead]):
    """One page of dead letters, newest first."""


class ReplayRequest(BaseModel):
    payload: dict[str, Any] | None = Field(
        default=None, description="A corrected event envelope; without it the stored payload is replayed as it is"
    )


class CheckResult(BaseModel):
    id: str
    valid: bool = Field(description="true: the payload matches the event's contract (otherwise the answer is a 422)")
    event_type: str
    version: int


class ReplayResult(BaseModel):
    id: str
    status: str
    outcome: str


async def list_dead_letters(
    db: Database, *, status: str | None = DEAD, consumer: str | None = None, limit: int = 50, offset: int = 0
) -> DeadLetterPage:
    """Dead letters, newest first, filtered by status and consumer."""
    conditions = []
    if status:
        conditions.append(dead_letters.c.status == status)
    if consumer:
        conditions.append(dead_letters.c.consumer == consumer)
    async with db.session(write=False) as session:
        total = await session.scalar(select(func.count()).select_from(dead_letters).where(*conditions))
        rows = (
            (
                await session.execute(
                    select(dead_letters)
                    .where(*conditions)
                    .order_by(dead_letters.c.created_at.desc(), dead_letters.c.id.desc())
                    .limit(limit)
                    .offset(offset)
                )
            )
            .mappings()
            .all()
        )
    return DeadLetterPage(
        items=[DeadLetterRead.model_validate(dict(r)) for r in rows], total=int(total or 0), limit=limit, offset=offset
    )


def _loc(prefix: str, loc: tuple[int | str, ...]) -> str:
    return ".".join([prefix, *(str(p) for p in loc)])


def contract_errors(handler: EventHandler, payload: dict[str, Any]) -> list[dict[str, str]]:
    """What in a corrected envelope breaks the event's contract, each error naming its field
    (``body.payload.data.given_name``); empty when the consumer would accept it."""
    try:
        envelope = Envelope.model_validate(payload)
    except ValidationError as exc:
        return [{"field": _loc("body.payload", e["loc"]), "message": e["msg"]} for e in exc.errors()]
    errors = []
    if envelope.type != handler.event_type:
        message = f"this consumer reads {handler.event_type}, not {envelope.type}"
        errors.append({"field": "body.payload.type", "message": message})
    if envelope.version not in handler.versions:
        known = ", ".join(str(v) for v in sorted(handler.versions))
        errors.append({"field": "body.payload.version", "message": f"version {envelope.version} is not read ({known})"})
    if errors or handler.data_model is None:
        return errors
    try:
        handler.data_model.model_validate(envelope.data)
    except ValidationError as exc:
        return [{"field": _loc("body.payload.data", e["loc"]), "message": e["msg"]} for e in exc.errors()]
    return []


async def _dead_letter(db: Database, handlers: dict[str, EventHandler], letter_id: str) -> tuple[Any, EventHandler]:
    async with db.session(write=False) as session:
        row = (await session.execute(select(dead_letters).where(dead_letters.c.id == letter_id))).mappings().first()
    if row is None:
        raise NotFound("dead letter", letter_id)
    if row["status"] != DEAD:
        raise Problem(409, f"dead letter {letter_id} was already {row['status']}", slug="already-replayed")
    handler = handlers.get(row["consumer"])
    if handler is None:
        raise Problem(409, f"consumer {row['consumer']} no longer exists in this service", slug="unknown-consumer")
    return row, handler


def _refuse_invalid(handler: EventHandler, corrected: dict[str, Any]) -> None:
    errors = contract_errors(handler, corrected)
    if errors:
        raise Problem(
            422,
            f"the corrected event does not match the contract of {handler.event_type}: "
            + "; ".join(f"{e['field'].removeprefix('body.payload.')}: {e['message']}" for e in errors[:5]),
            slug="invalid-event",
            errors=errors,
        )


async def check_dead_letter(
    db: Database, handlers: dict[str, EventHandler], letter_id: str, corrected: dict[str, Any] | None
) -> CheckResult:
    """Check a corrected payload (or the stored one) against the event's contract, without delivering it:
    a 422 names each field that breaks it."""
    row, handler = await _dead_letter(db, handlers, letter_id)
    if corrected is None:
        try:
            envelope, _ = handler.decode(row["payload"])
        except InvalidEventError as exc:
            raise Problem(422, f"the event does not match its contract: {exc}", slug="invalid-event") from None
    else:
        _refuse_invalid(handler, corrected)
        envelope = Envelope.model_validate(corrected)
    return CheckResult(id=letter_id, valid=True, event_type=envelope.type, version=envelope.version)


async def replay_dead_letter(
    db: Database, handlers: dict[str, EventHandler], letter_id: str, corrected: dict[str, Any] | None
) -> ReplayResult:
    """Deliver a dead letter again through its consumer's handler, exactly once (inbox)."""
    import json

    row, handler = await _dead_letter(db, handlers, letter_id)
    if corrected is not None:
        _refuse_invalid(handler, corrected)
    raw = json.dumps(corrected) if corrected is not None else row["payload"]
    try:
        envelope, data = handler.decode(raw)
    except InvalidEventError as exc:
        raise Problem(422, f"the event still does not match its contract: {exc}", slug="invalid-event") from None
    try:
        outcome = await deliver(db, handler, row["consumer"], envelope, data)
    except Exception as exc:
        raise Problem(422, f"the handler failed again: {type(exc).__name__}: {exc}", slug="replay-failed") from None
    async with db.session(write=True) as session:
        await session.execute(
            update(dead_letters).where(dead_letters.c.id == letter_id).values(status=REPLAYED, replayed_at=utcnow())
        )
    return ReplayResult(id=letter_id, status=REPLAYED, outcome=outcome)


def dead_letter_router() -> APIRouter:
    """The ``/admin/dead-letters`` routes: list the dead letters, replay one (as it was or corrected)."""
    router = APIRouter(prefix="/admin/dead-letters", tags=["operations"], dependencies=[Depends(require_admin_token)])

    @router.get("", response_model=DeadLetterPage, summary="List dead letters")
    async def list_route(
        request: Request,
        status: Annotated[str | None, Query(pattern="^(dead|replayed)$")] = DEAD,
        consumer: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Offset = 0,
    ) -> DeadLetterPage:
        return await list_dead_letters(
            request.app.state.db, status=status, consumer=consumer, limit=limit, offset=offset
        )

    @router.post(
        "/{letter_id}/check",
        response_model=CheckResult,
        summary="Check a corrected payload against the event's contract, without replaying it",
        responses={404: {}, 409: {}, 422: {}},
    )
    async def check_route(request: Request, letter_id: str, body: ReplayRequest | None = None) -> CheckResult:
        handlers = {h.durable(request.app.state.settings.service_name): h for h in request.app.state.handlers}
        return await check_dead_letter(request.app.state.db, handlers, letter_id, body.payload if body else None)

    @router.post("/{letter_id}/replay", response_model=ReplayResult, summary="Replay a dead letter")
    async def replay_route(request: Request, letter_id: str, body: ReplayRequest | None = None) -> ReplayResult:
        handlers = {h.durable(request.app.state.settings.service_name): h for h in request.app.state.handlers}
        return await replay_dead_letter(request.app.state.db, handlers, letter_id, body.payload if body else None)

    return router
