"""Letters and statements generated from other departments' events: the template (the company's, or the one
shipped) is rendered to PDF, filed with its links and roles, once per event, and sent at once to its
recipients when its type is in ``AUTO_SEND_TYPES`` (security notices always)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from backoffice.docs.context import Context
from backoffice.docs.deliveries.models import Channel
from backoffice.docs.deliveries.schemas import RecipientCreate
from backoffice.docs.deliveries.service import queue, undeliverable
from backoffice.docs.documents.filing import file_document
from backoffice.docs.documents.models import Document
from backoffice.docs.documents.schemas import DocumentUpdate
from backoffice.docs.documents.upload import StoredFile
from backoffice.docs.generated.models import LetterTemplate, LetterTemplateVersion
from backoffice.docs.generated.render import (
    KINDS,
    MAX_SOURCE,
    LetterTemplateError,
    check_source,
    default_template,
    html_to_pdf,
    render_html,
)
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.auth import Principal
from backoffice.shared.bus import Envelope, PermanentEventError
from backoffice.shared.db import flush_or_conflict, utcnow
from backoffice.shared.errors import Forbidden, NotFound, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import Page, fetch_page
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

SYSTEM = "system"
log = logging.getLogger("backoffice.docs.generated")


@dataclass
class Letter:
    """What to generate from one event."""

    kind: str
    title: str
    doc_type: str
    context: dict[str, Any]
    employee_id: str | None = None
    supplier_id: str | None = None
    folder_id: str | None = None
    roles: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # what the document is of (`payslip:<id>`): found by `?tag=`
    recipients: list[tuple[Channel, str, str | None]] = field(default_factory=list)  # channel, address, name
    message: str = ""  # the e-mail's text beside the attached letter ("Please find … attached" when empty)
    always_send: bool = False  # sent whatever AUTO_SEND_TYPES says (security notices)


class TemplateUpdate(BaseModel):
    body: str = Field(
        min_length=1, max_length=MAX_SOURCE, description="Jinja2 (HTML subset); must render a sample letter"
    )


class TemplateVersionRead(BaseModel):
    number: int
    body: str
    saved_at: datetime
    saved_by: str
    saved_by_actor: Actor | None = actor_field("saved_by")
    current: bool = Field(description="the body in use now")


class TemplateVersionPage(Page[TemplateVersionRead]):
    """A template's versions, newest first."""


class TemplateRead(BaseModel):
    kind: str
    body: str
    customised: bool
    updated_at: datetime | None


class TemplatePage(Page[TemplateRead]):
    """Templates, by kind."""


async def template_source(session: AsyncSession, kind: str) -> tuple[str, LetterTemplate | None]:
    """The template in use for a kind (the office's own, else the default) and its row, if any."""
    row = await session.get(LetterTemplate, kind)
    return (row.body if row else default_template(kind)), row


def _require_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NotFound("template kind", f"{kind} (known: {', '.join(KINDS)})")


async def read_template(session: AsyncSession, user: Principal, kind: str) -> TemplateRead:
    """The template in use for a kind, for the office."""
    _require_kind(kind)
    _require_office(user)
    body, row = await template_source(session, kind)
    return TemplateRead(kind=kind, body=body, customised=row is not None, updated_at=row.updated_at if row else None)


def _visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]*>|&nbsp;", " ", html).split())


async def check_template(kind: str, body: str) -> None:
    """A 422 naming what is wrong unless the body is within bounds and renders a sample letter with text in it."""
    try:
        check_source(body)
        html = await asyncio.to_thread(render_html, body, SAMPLES[kind])
        await asyncio.to_thread(html_to_pdf, html, kind)
        if not _visible_text(html):
            raise LetterTemplateError("the sample letter it renders is empty: write the letter's text")
    except LetterTemplateError as exc:
        raise Unprocessable(f"{kind} template: {exc}", slug="template-invalid", field="body") from None


async def _store(session: AsyncSession, user: Principal, kind: str, body: str) -> TemplateRead:
    """Makes ``body`` the template in use, and keeps it as the next version."""
    row = await session.scalar(select(LetterTemplate).where(LetterTemplate.kind == kind).with_for_update())
    if row is None:
        row = LetterTemplate(kind=kind)
        session.add(row)
    row.body, row.updated_at, row.updated_by = body, utcnow(), user.user_id
    last = await session.scalar(
        select(func.max(LetterTemplateVersion.number)).where(LetterTemplateVersion.kind == kind)
    )
    session.add(
        LetterTemplateVersion(
            id=new_id(), kind=kind, number=(last or 0) + 1, body=body, saved_at=row.updated_at, saved_by=user.user_id
        )
    )
    await flush_or_conflict(session, f"the {kind} template was saved by someone else meanwhile; try again")
    return TemplateRead(kind=kind, body=body, customised=True, updated_at=row.updated_at)


def _require_office(user: Principal) -> None:
    if not (user.is_admin or user.has_any("office")):
        raise Forbidden("templates are kept by the office", slug="forbidden")


async def save_template(session: AsyncSession, user: Principal, kind: str, body: str) -> TemplateRead:
    """The company's version of a template; refused (422) when it is empty, goes beyond the rendering bounds or
    does not render a sample document. The body it replaces stays among the template's versions."""
    _require_kind(kind)
    _require_office(user)
    await check_template(kind, body)
    return await _store(session, user, kind, body)


async def template_versions(
    session: AsyncSession, user: Principal, kind: str, limit: int, offset: int
) -> TemplateVersionPage:
    """Every body the template was saved with, newest first."""
    _require_kind(kind)
    _require_office(user)
    row = await session.get(LetterTemplate, kind)
    current = None
    if row is not None:
        current = await session.scalar(
            select(func.max(LetterTemplateVersion.number)).where(
                LetterTemplateVersion.kind == kind, LetterTemplateVersion.body == row.body
            )
        )
    query = (
        select(LetterTemplateVersion)
        .where(LetterTemplateVersion.kind == kind)
        .order_by(LetterTemplateVersion.number.desc())
    )
    rows, total = await fetch_page(session, query, limit, offset)
    items = [
        TemplateVersionRead(
            number=v.number, body=v.body, saved_at=v.saved_at, saved_by=v.saved_by, current=v.number == current
        )
        for v in rows
    ]
    return TemplateVersionPage(items=items, total=total, limit=limit, offset=offset)


async def restore_template(session: AsyncSession, user: Principal, kind: str, number: int) -> TemplateRead:
    """An earlier version in use again (checked again: the bounds may have changed since), as the newest."""
    _require_kind(kind)
    _require_office(user)
    version = await session.scalar(
        select(LetterTemplateVersion).where(LetterTemplateVersion.kind == kind, LetterTemplateVersion.number == number)
    )
    if version is None:
        raise NotFound(f"version of the {kind} template", number)
    await check_template(kind, version.body)
    return await _store(session, user, kind, version.body)


async def reset_template(session: AsyncSession, user: Principal, kind: str) -> TemplateRead:
    """Goes back to the default template for a kind; the office's last body stays among its versions."""
    _require_kind(kind)
    _require_office(user)
    row = await session.get(LetterTemplate, kind)
    if row is not None:  # its body stays among the versions
        await session.delete(row)
    return TemplateRead(kind=kind, body=default_template(kind), customised=False, updated_at=None)


async def generate(session: AsyncSession, ctx: Context, envelope: Envelope, letter: Letter) -> Document | None:
    """Renders, stores and files the letter; nothing if this event already made one."""
    done = await session.scalar(select(Document.id).where(Document.source_event_id == envelope.id))
    if done is not None:
        return None
    source, _ = await template_source(session, letter.kind)
    try:
        html = await asyncio.to_thread(render_html, source, letter.context)  # bounded in time and size
    except LetterTemplateError as exc:
        raise PermanentEventError(f"{letter.kind} template: {exc}") from None
    pdf = await asyncio.to_thread(html_to_pdf, html, letter.title)
    writer = ctx.storage.writer()
    await writer.write(pdf)
    key = await writer.commit()
    filename = f"{letter.doc_type}-{envelope.subject or envelope.id}.pdf".replace("/", "-")
    stored = StoredFile(key, filename, "application/pdf", len(pdf), hashlib.sha256(pdf).hexdigest())
    meta = DocumentUpdate(
        title=letter.title[:300],
        type=letter.doc_type,
        employee_id=letter.employee_id,
        supplier_id=letter.supplier_id,
        folder_id=letter.folder_id,
        roles=letter.roles,
        tags=letter.tags,
    )
    try:
        doc = await file_document(session, ctx, owner=SYSTEM, stored=stored, meta=meta, source_event_id=envelope.id)
    except BaseException:
        await ctx.storage.delete(key)
        raise
    if letter.doc_type not in ctx.settings.auto_send_types and not letter.always_send:
        return doc
    if not letter.recipients:
        what = (
            f"employee {letter.employee_id}"
            if letter.employee_id
            else f"supplier {letter.supplier_id}"
            if letter.supplier_id
            else "its recipient"
        )
        await undeliverable(session, doc, "email", "", None, f"not sent: no address is known for {what}", by=SYSTEM)
    recipients = []
    for channel, address, name in letter.recipients:
        try:
            recipients.append(RecipientCreate(channel=channel, address=address, name=name))
        except ValidationError as exc:
            reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            await undeliverable(session, doc, channel, address, name, f"not sent: {reason}", by=SYSTEM)
    if recipients:
        queue(session, doc, 1, recipients, subject=letter.title, message=letter.message, by=SYSTEM)
    return doc


SAMPLE_DATE = date(2026, 1, 31).isoformat()
SAMPLES: dict[str, dict[str, Any]] = {
    "payslip": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "payslip_id": "p",
        "run_id": "r",
        "employee_id": "e",
        "employee_name": "Ann Example",
        "department": "Sales",
        "pay_type": "salaried",
        "currency": "EUR",
        "period_start": "2026-01-01",
        "period_end": SAMPLE_DATE,
        "pay_date": SAMPLE_DATE,
        "final": False,
        "hours": {"regular": "160"},
        "lines": [
            {
                "category": "earning",
                "code": "salary",
                "description": "Salary",
                "quantity": None,
                "rate": None,
                "amount": "3000.00",
                "corrects_run_id": None,
            },
        ],
        "gross": "3000.00",
        "deductions": "600.00",
        "net": "2400.00",
        "employer_contributions": "900.00",
        "year_to_date": {
            "gross": "3000.00",
            "deductions": "600.00",
            "net": "2400.00",
            "employer_contributions": "900.00",
        },
    },
    "payroll_register": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "run_id": "r",
        "pay_group": "Monthly EUR",
        "period_start": "2026-01-01",
        "period_end": SAMPLE_DATE,
        "pay_date": SAMPLE_DATE,
        "currency": "EUR",
        "employees": 1,
        "gross": "3000.00",
        "deductions": "600.00",
        "net": "2400.00",
        "employer_contributions": "900.00",
        "by_code": [{"code": "salary", "category": "earning", "amount": "3000.00"}],
        "by_department": [
            {"department": "Sales", "employees": 1, "gross": "3000.00", "employer_contributions": "900.00"}
        ],
    },
    "warning_letter": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "warning_id": "w",
        "employee_id": "e",
        "employee_name": "Ann Example",
        "category": "conduct",
        "severity": "minor",
        "facts": "Facts",
        "occurred_on": SAMPLE_DATE,
        "issued_by": "u",
    },
    "contract_letter": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "employee_id": "e",
        "given_name": "Ann",
        "family_name": "Example",
        "email": "ann@example.com",
        "department": "Sales",
        "position": "Clerk",
        "manager_id": "m",
        "start_date": SAMPLE_DATE,
        "pay_terms": {"pay_type": "salaried", "rate": "3000.00", "currency": "EUR", "frequency": "monthly"},
        "roles": ["employee"],
        "login": None,
    },
    "termination_letter": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "employee_id": "e",
        "employee_name": "Ann Example",
        "effective_date": SAMPLE_DATE,
        "kind": "dismissal",
        "reason": "Reason",
        "decided_by": "u",
    },
    "remittance_advice": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "payment_id": "p",
        "payment_run_id": "r",
        "supplier_id": "s",
        "supplier_name": "Supplies Ltd",
        "email": "ap@example.com",
        "fax": "+3312345678",
        "amount": "100.00",
        "currency": "EUR",
        "execution_date": SAMPLE_DATE,
        "end_to_end_id": "E2E",
        "invoices": [{"invoice_id": "i", "number": "INV-1", "invoice_date": SAMPLE_DATE, "amount": "100.00"}],
    },
    "call_message": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "message_id": "m",
        "call_id": "c",
        "for_employee_id": "e",
        "for_name": "Ann Example",
        "for_email": "ann@example.com",
        "caller_name": "Caller",
        "caller_number": "+33 1 23 45 67 89",
        "caller_employee_id": None,
        "body": "Please call back",
        "callback_requested": True,
        "taken_by": "u",
        "taken_at": "2026-01-31T10:00:00Z",
    },
    "pay_register": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "register_id": "r",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "currency": "EUR",
        "threshold": 5,
        "filed_by": "u",
        "rows": [
            {
                "category_id": "c",
                "category_name": "Clerks",
                "concept": "total",
                "description": "Total pay",
                "component": "total",
                "cells": [
                    {"sex": "female", "workers": 6, "average": "31000.00", "median": "30500.00", "suppressed": False},
                    {"sex": "male", "workers": 2, "average": None, "median": None, "suppressed": True},
                ],
            }
        ],
    },
    "password_reset_notice": {
        "company": "Company",
        "today": SAMPLE_DATE,
        "user_id": "u",
        "employee_id": "e",
        "employee_name": "Ann Example",
        "login": "ann",
        "email": "ann@example.com",
        "issued_by": "a",
        "issued_by_name": "an administrator or HR officer",
        "issued_at": "2026-01-31 10:00 UTC",
        "expires_at": "2026-02-01 10:00 UTC",
    },
}
