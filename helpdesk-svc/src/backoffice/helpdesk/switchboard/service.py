"""The office switchboard: calls answered and logged by the office, put through or transferred from one staff
member to another (every hop kept, so a call's path can be followed), and messages taken for people who could
not answer, sent on as ``helpdesk.call_message_taken``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.service import NO_EMPLOYEE, active_member, get_member
from backoffice.helpdesk.events import emit
from backoffice.helpdesk.switchboard.models import Call, CallHop, CallMessage
from backoffice.helpdesk.switchboard.schemas import (
    CallCreate,
    CallPage,
    CallRead,
    HopRead,
    MessageCreate,
    MessagePage,
    MessageRead,
    PersonCalls,
    SwitchboardReport,
    TransferCreate,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.events.helpdesk import CallMessageTaken
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

LIVE = ("connected", "waiting")


def is_office(user: Principal) -> bool:
    """Whether the caller runs the switchboard (the office, or an admin)."""
    return user.is_admin or user.has_any("office")


def _require_office(user: Principal) -> None:
    if not is_office(user):
        raise Forbidden("the switchboard is run by the office", slug="forbidden")


async def _names(session: AsyncSession, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = await session.scalars(select(StaffMember).where(StaffMember.employee_id.in_(wanted)))
    return {m.employee_id: m.name for m in rows}


def _message_read(message: CallMessage, names: dict[str, str]) -> MessageRead:
    return MessageRead(
        id=message.id,
        call_id=message.call_id,
        for_employee_id=message.for_employee_id,
        for_name=names.get(message.for_employee_id, message.for_employee_id),
        caller_name=message.caller_name,
        caller_number=message.caller_number,
        body=message.body,
        callback_requested=message.callback_requested,
        taken_by=message.taken_by,
        taken_at=message.taken_at,
        read_at=message.read_at,
    )


async def _read(session: AsyncSession, call: Call) -> CallRead:
    hops = (await session.scalars(select(CallHop).where(CallHop.call_id == call.id).order_by(CallHop.position))).all()
    message = await session.scalar(select(CallMessage).where(CallMessage.call_id == call.id))
    names = await _names(
        session,
        {call.asked_for_employee_id, *(h.from_employee_id for h in hops), *(h.to_employee_id for h in hops)}
        | ({message.for_employee_id} if message else set()),
    )
    return CallRead(
        id=call.id,
        caller_name=call.caller_name,
        caller_number=call.caller_number,
        caller_employee_id=call.caller_employee_id,
        asked_for_employee_id=call.asked_for_employee_id,
        asked_for_name=names.get(call.asked_for_employee_id, call.asked_for_employee_id),
        holder_employee_id=call.holder_employee_id,
        status=call.status,
        received_at=call.received_at,
        answered_at=call.answered_at,
        answered_by=call.answered_by,
        ended_at=call.ended_at,
        path=[
            HopRead(
                position=h.position,
                from_employee_id=h.from_employee_id,
                from_name=names.get(h.from_employee_id) if h.from_employee_id else None,
                to_employee_id=h.to_employee_id,
                to_name=names.get(h.to_employee_id, h.to_employee_id),
                outcome=h.outcome,
                at=h.at,
            )
            for h in hops
        ],
        message=_message_read(message, names) if message else None,
    )


async def _hop(
    session: AsyncSession, call: Call, user: Principal, target: StaffMember, position: int, now: datetime
) -> None:
    reachable = target.availability == "available"
    session.add(
        CallHop(
            id=new_id(),
            call_id=call.id,
            position=position,
            from_employee_id=call.holder_employee_id,
            to_employee_id=target.employee_id,
            outcome="connected" if reachable else "unavailable",
            at=now,
            by=user.user_id,
        )
    )
    if reachable:
        call.holder_employee_id, call.status = target.employee_id, "connected"
    elif call.holder_employee_id is None:
        call.status = "waiting"  # back with the switchboard: try someone else or take a message


async def log_call(session: AsyncSession, user: Principal, body: CallCreate, today: date) -> CallRead:
    """The office answers, logs who calls for whom, and puts the call through (or finds the person away)."""
    _require_office(user)
    target = await active_member(session, body.asked_for_employee_id, today, what="person asked for")
    if body.caller_employee_id is not None:
        await get_member(session, body.caller_employee_id, what="caller")
    now = utcnow()
    if body.received_at is not None and body.received_at > now:
        raise Unprocessable("received_at is in the future", slug="future-call")
    call = Call(
        id=new_id(),
        caller_name=body.caller_name,
        caller_number=body.caller_number,
        caller_employee_id=body.caller_employee_id,
        asked_for_employee_id=target.employee_id,
        holder_employee_id=None,
        status="waiting",
        received_at=body.received_at or now,
        answered_at=now,
        answered_by=user.user_id,
    )
    session.add(call)
    await session.flush()
    await _hop(session, call, user, target, 1, now)
    await session.flush()
    return await _read(session, call)


async def _call(session: AsyncSession, call_id: str, *, lock: bool = False) -> Call:
    return await get_or_404(session, Call, call_id, lock=lock)


async def transfer(session: AsyncSession, user: Principal, call_id: str, body: TransferCreate, today: date) -> CallRead:
    """The office or whoever holds the call passes it on; the hop is kept whether or not the person answers."""
    call = await _call(session, call_id, lock=True)
    if not (is_office(user) or (call.holder_employee_id and user.is_employee(call.holder_employee_id))):
        raise Forbidden("the office or the person on the call transfers it", slug="forbidden")
    if call.status not in LIVE:
        raise Conflict(f"the call is {call.status}: it cannot be transferred", slug="call-over")
    target = await active_member(session, body.to_employee_id, today, what="transfer target")
    if target.employee_id == call.holder_employee_id:
        raise Conflict(f"{target.name} already has the call", slug="same-person")
    position = (await session.scalar(select(func.max(CallHop.position)).where(CallHop.call_id == call.id)) or 0) + 1
    await _hop(session, call, user, target, position, utcnow())
    await session.flush()
    return await _read(session, call)


async def take_message(
    session: AsyncSession, user: Principal, call_id: str, body: MessageCreate, today: date
) -> CallRead:
    """Ends the call with a message for the person it was meant for (or the one named)."""
    _require_office(user)
    call = await _call(session, call_id, lock=True)
    if call.status not in LIVE:
        raise Conflict(f"the call is {call.status}: no message can be taken now", slug="call-over")
    for_id = body.for_employee_id
    if for_id is None:
        last = await session.scalar(
            select(CallHop).where(CallHop.call_id == call.id).order_by(CallHop.position.desc()).limit(1)
        )
        for_id = last.to_employee_id if last else call.asked_for_employee_id
    recipient = await active_member(session, for_id, today, what="message recipient")
    now = utcnow()
    message = CallMessage(
        id=new_id(),
        call_id=call.id,
        for_employee_id=recipient.employee_id,
        caller_name=call.caller_name,
        caller_number=call.caller_number,
        body=body.body,
        callback_requested=body.callback_requested,
        taken_by=user.user_id,
        taken_at=now,
    )
    session.add(message)
    call.status, call.ended_at, call.holder_employee_id = "message_taken", now, None
    await emit(
        session,
        CallMessageTaken(
            message_id=message.id,
            call_id=call.id,
            for_employee_id=recipient.employee_id,
            for_name=recipient.name,
            for_email=recipient.email,
            caller_name=call.caller_name,
            caller_number=call.caller_number,
            caller_employee_id=call.caller_employee_id,
            body=body.body,
            callback_requested=body.callback_requested,
            taken_by=user.user_id,
            taken_at=now,
        ),
        subject=message.id,
    )
    await session.flush()
    return await _read(session, call)


async def end_call(session: AsyncSession, user: Principal, call_id: str) -> CallRead:
    """Ends a live call, by the office or whoever holds it: ended if it reached someone, else missed."""
    call = await _call(session, call_id, lock=True)
    if not (is_office(user) or (call.holder_employee_id and user.is_employee(call.holder_employee_id))):
        raise Forbidden("the office or the person on the call ends it", slug="forbidden")
    if call.status not in LIVE:
        raise Conflict(f"the call is {call.status} already", slug="call-over")
    reached = await session.scalar(
        select(func.count()).where(CallHop.call_id == call.id, CallHop.outcome == "connected")
    )
    call.status, call.ended_at, call.holder_employee_id = ("ended" if reached else "missed"), utcnow(), None
    return await _read(session, call)


async def read_call(session: AsyncSession, user: Principal, call_id: str) -> CallRead:
    """The call and its path, for the office and for the people it was put through or tried to."""
    call = await _call(session, call_id)
    if not is_office(user):
        me = (
            user.employee_id or NO_EMPLOYEE
        )  # a login without an employee was on no call (and not the switchboard's hop)
        involved = await session.scalar(
            select(func.count()).where(
                CallHop.call_id == call.id, or_(CallHop.to_employee_id == me, CallHop.from_employee_id == me)
            )
        )
        if not involved:
            raise NotFound("call", call_id)
    return await _read(session, call)


async def list_calls(
    session: AsyncSession,
    user: Principal,
    *,
    status: str | None,
    employee_id: str | None,
    received_from: datetime | None,
    received_to: datetime | None,
    limit: int,
    offset: int,
) -> CallPage:
    """The office sees every call; staff the calls that were put through or tried to them."""
    conditions: list[ColumnElement[bool]] = []
    person = employee_id
    if not is_office(user):
        if employee_id is not None and not user.is_employee(employee_id):
            raise Forbidden("staff see their own calls; the office sees everyone's", slug="forbidden")
        person = user.employee_id or NO_EMPLOYEE
    if person is not None:
        conditions.append(Call.id.in_(select(CallHop.call_id).where(CallHop.to_employee_id == person)))
    if status:
        conditions.append(Call.status == status)
    if received_from:
        conditions.append(Call.received_at >= received_from)
    if received_to:
        conditions.append(Call.received_at < received_to)
    total = await session.scalar(select(func.count()).select_from(Call).where(*conditions)) or 0
    rows = await session.scalars(
        select(Call).where(*conditions).order_by(Call.received_at.desc(), Call.id).limit(limit).offset(offset)
    )
    return CallPage(items=[await _read(session, c) for c in rows], total=total, limit=limit, offset=offset)


async def list_messages(
    session: AsyncSession, user: Principal, *, for_employee_id: str | None, unread: bool, limit: int, offset: int
) -> MessagePage:
    """Messages, newest first: staff read their own; the office sees all of them (to chase what stays unread)."""
    conditions: list[ColumnElement[bool]] = []
    if not is_office(user):
        if for_employee_id is not None and not user.is_employee(for_employee_id):
            raise Forbidden("messages are for the person they were taken for", slug="forbidden")
        for_employee_id = user.employee_id or NO_EMPLOYEE
    if for_employee_id is not None:
        conditions.append(CallMessage.for_employee_id == for_employee_id)
    if unread:
        conditions.append(CallMessage.read_at.is_(None))
    query = select(CallMessage).where(*conditions).order_by(CallMessage.taken_at.desc(), CallMessage.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    names = await _names(session, {m.for_employee_id for m in rows})
    return MessagePage(items=[_message_read(m, names) for m in rows], total=total, limit=limit, offset=offset)


async def mark_read(session: AsyncSession, user: Principal, message_id: str) -> MessageRead:
    """Marks a message read, by the person it is for (the office sees messages but does not read them)."""
    message = await get_or_404(session, CallMessage, message_id, what="message")
    if not (is_office(user) or user.is_employee(message.for_employee_id)):
        raise NotFound("message", message_id)
    if not user.is_employee(message.for_employee_id):
        raise Forbidden("only the person the message is for marks it read", slug="forbidden")
    if message.read_at is None:
        message.read_at = utcnow()
    names = await _names(session, {message.for_employee_id})
    return _message_read(message, names)


async def report(
    session: AsyncSession, user: Principal, date_from: date, date_to: date, zone: ZoneInfo
) -> SwitchboardReport:
    """Calls received between the two dates (inclusive, company time): per person and in all."""
    _require_office(user)
    if date_to < date_from:
        raise Unprocessable("date_to is before date_from", slug="bad-range")
    if date_to >= date.max - timedelta(days=1):
        raise Unprocessable(f"date_to must be before {date.max - timedelta(days=1)}", slug="bad-range")
    start = datetime.combine(date_from, time(0), tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time(0), tzinfo=zone)
    in_range = (Call.received_at >= start) & (Call.received_at < end)
    by_status = dict(
        (await session.execute(select(Call.status, func.count()).where(in_range).group_by(Call.status))).all()
    )
    connected = await session.scalar(
        select(func.count(func.distinct(CallHop.call_id)))
        .join(Call, Call.id == CallHop.call_id)
        .where(in_range, CallHop.outcome == "connected")
    )
    hops = await session.execute(
        select(CallHop.to_employee_id, CallHop.outcome, func.count())
        .join(Call, Call.id == CallHop.call_id)
        .where(in_range)
        .group_by(CallHop.to_employee_id, CallHop.outcome)
    )
    messages = dict(
        (
            await session.execute(
                select(CallMessage.for_employee_id, func.count())
                .join(Call, Call.id == CallMessage.call_id)
                .where(in_range)
                .group_by(CallMessage.for_employee_id)
            )
        ).all()
    )
    unread = dict(
        (
            await session.execute(
                select(CallMessage.for_employee_id, func.count())
                .where(CallMessage.read_at.is_(None))
                .group_by(CallMessage.for_employee_id)
            )
        ).all()
    )
    people: dict[str, dict[str, int]] = {}
    for employee_id, outcome, count in hops:
        people.setdefault(employee_id, {"connected": 0, "unavailable": 0})[outcome] = count
    for employee_id in set(messages) | set(unread):
        people.setdefault(employee_id, {"connected": 0, "unavailable": 0})
    names = await _names(session, set(people))
    rows = [
        PersonCalls(
            employee_id=employee_id,
            name=names.get(employee_id, employee_id),
            calls=counts["connected"] + counts["unavailable"],
            connected=counts["connected"],
            missed=counts["unavailable"],
            messages=messages.get(employee_id, 0),
            unread_messages=unread.get(employee_id, 0),
        )
        for employee_id, counts in people.items()
    ]
    rows.sort(key=lambda p: (-p.calls, p.name))
    return SwitchboardReport(
        date_from=date_from,
        date_to=date_to,
        calls=sum(by_status.values()),
        connected_calls=connected or 0,
        missed_calls=by_status.get("missed", 0),
        messages_taken=by_status.get("message_taken", 0),
        unread_messages=sum(unread.values()),
        people=rows,
    )
