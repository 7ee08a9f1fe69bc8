"""Sending documents by e-mail and fax (an e-mail-to-fax gateway: the number at the fax domain, the document as
the attachment). Each recipient is a delivery: queued → sent → delivered or failed. A mail server that is down
or answers 4xx is tried again later with a doubling delay; a 5xx refusal, or too many attempts, fails it.
Nothing waits in memory: deliveries are rows, so a restart or an outage loses none."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any

import aiosmtplib
from backoffice.docs.context import Context
from backoffice.docs.deliveries.models import Delivery
from backoffice.docs.deliveries.schemas import DeliveryCreate, DeliveryPage, DeliveryRead, RecipientCreate, fax_digits
from backoffice.docs.documents.access import changeable, readable, visible
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import Document, DocumentVersion
from backoffice.docs.events import emit
from backoffice.docs.folders.service import FILING_ROLES
from backoffice.docs.people.service import person
from backoffice.docs.settings import DocsSettings
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Problem
from backoffice.shared.events.docs import DeliveryFailed, DocumentDelivered
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.docs.deliveries")
MAX_ATTACHMENT = 25 * 1024 * 1024
STUCK_AFTER = timedelta(minutes=10)  # a delivery left "sent" by a crash is tried again after this


def queue(
    session: AsyncSession,
    document: Document,
    version: int,
    recipients: list[RecipientCreate],
    *,
    subject: str | None,
    message: str,
    by: str,
) -> list[Delivery]:
    """Adds one queued delivery of the document's version per recipient, audited; the caller flushes."""
    now = utcnow()
    rows = [
        Delivery(
            id=new_id(),
            document_id=document.id,
            version=version,
            channel=r.channel,
            recipient=r.address,
            recipient_name=r.name,
            subject=(subject or document.title)[:300],
            message=message,
            status="queued",
            attempts=0,
            next_attempt_at=now,
            requested_by=by,
            created_at=now,
        )
        for r in recipients
    ]
    session.add_all(rows)
    audit(
        session,
        by,
        "delivery_requested",
        document.id,
        version,
        recipients=[f"{r.channel}:{r.address}" for r in recipients],
    )
    return rows


async def undeliverable(
    session: AsyncSession, document: Document, channel: str, address: str, name: str | None, reason: str, *, by: str
) -> Delivery:
    """A delivery that cannot even be queued (a malformed or missing address from an event): kept as failed, with
    its reason and ``docs.delivery_failed``, so the office sees who did not get their letter."""
    now = utcnow()
    row = Delivery(
        id=new_id(),
        document_id=document.id,
        version=document.current_version,
        channel="fax" if channel == "fax" else "email",
        recipient=address[:320],
        recipient_name=(name or None) and name[:401],
        subject=document.title[:300],
        message="",
        status="failed",
        attempts=0,
        next_attempt_at=now,
        requested_by=by,
        created_at=now,
    )
    session.add(row)
    await _fail(session, row, reason)
    return row


def sends_anywhere(user: Principal, settings: DocsSettings, doc: Document) -> bool:
    """Whether the caller may send this document to any address and by fax: admins, the roles set for that (the
    office), and the roles of the document's type (HR its letters, payroll its payslips and advices)."""
    type_roles = [r for r in settings.type_roles.get(doc.type, []) if r not in ("employee", "manager")]
    return user.is_admin or user.has_any(*settings.delivery_outside_roles) or user.has_any(*type_roles)


def _allowed_list(settings: DocsSettings) -> tuple[set[str], set[str], set[str]]:
    """The allow-list setting as e-mail addresses, domains and fax numbers (digits)."""
    emails, domains, faxes = set(), set(), set()
    for entry in (e.strip().lower() for e in settings.delivery_allowed_recipients if e.strip()):
        if entry.startswith("@"):
            domains.add(entry[1:])
        elif "@" in entry:
            emails.add(entry)
        else:
            try:
                faxes.add(fax_digits(entry))
            except ValueError:
                domains.add(entry)
    return emails, domains, faxes


async def check_recipients(
    session: AsyncSession, user: Principal, settings: DocsSettings, doc: Document, recipients: list[RecipientCreate]
) -> None:
    """Everyone else sends only to themselves (their e-mail as HR gave it), to the company's domains and to the
    allow-list: the company's name is not a free mail relay. A 403 names the first recipient refused."""
    if sends_anywhere(user, settings, doc):
        return
    me = await person(session, user.employee_id)
    own = me.email.lower() if me else None
    emails, domains, faxes = _allowed_list(settings)
    internal = set(settings.internal_email_domains) | domains
    for n, recipient in enumerate(recipients):
        address = recipient.address.lower()
        if recipient.channel == "fax":
            if address in faxes:
                continue
        elif address == own or address in emails or address.rpartition("@")[2] in internal:
            continue
        where = ", ".join(sorted(settings.internal_email_domains)) or "none set"
        raise Forbidden(
            f"you may not send documents to {recipient.channel} {recipient.address}: you may send them to your "
            f"own address ({own or 'unknown to the document service'}), to the company's domains ({where}) or to "
            f"the allowed recipients; ask the office ({', '.join(settings.delivery_outside_roles)}) to send "
            "elsewhere or by fax",
            slug="recipient-not-allowed",
            field=f"recipients.{n}.address",
        )


async def check_daily_limit(session: AsyncSession, user: Principal, settings: DocsSettings, count: int) -> None:
    """At most ``delivery_daily_limit`` recipients per person in any 24 hours: 422 for a request larger than
    that, 429 (with Retry-After) when the day's allowance is used."""
    limit = settings.delivery_daily_limit
    if count > limit:
        raise Problem(
            422, f"you may send to at most {limit} recipients a day; this asks for {count}", field="recipients"
        )
    now = utcnow()
    since = now - timedelta(days=1)
    recent = (
        await session.scalars(
            select(Delivery.created_at)
            .where(Delivery.requested_by == user.user_id, Delivery.created_at >= since)
            .order_by(Delivery.created_at.desc())
            .limit(limit)
        )
    ).all()
    if len(recent) + count <= limit:
        return
    # the moment enough of the day's deliveries are more than 24 hours old
    frees_at = recent[limit - count] + timedelta(days=1)
    wait = max(int((frees_at - now).total_seconds()) + 1, 1)
    raise Problem(
        429,
        f"you sent documents to {len(recent)} recipients in the last 24 hours; the limit is {limit} "
        f"(BACKOFFICE_DOCS_DELIVERY_DAILY_LIMIT): try again in {wait} s or ask the office",
        slug="delivery-limit",
        headers={"Retry-After": str(wait)},
    )


async def request_delivery(
    session: AsyncSession, user: Principal, settings: DocsSettings, document_id: str, body: DeliveryCreate
) -> list[DeliveryRead]:
    """Queues one delivery per recipient, within who may send to whom and the daily limit; audited (who, to
    whom, when) with the document's trail."""
    doc, _ = await changeable(session, user, document_id)
    if doc.status != "active":
        raise Conflict(f"document {doc.id} is {doc.status}", slug="not-active")
    version = body.version or doc.current_version
    if version > doc.current_version:
        raise NotFound(f"version of document {doc.id}", version)
    await check_recipients(session, user, settings, doc, body.recipients)
    await check_daily_limit(session, user, settings, len(body.recipients))
    rows = queue(session, doc, version, body.recipients, subject=body.subject, message=body.message, by=user.user_id)
    await session.flush()
    return [DeliveryRead.model_validate(r) for r in rows]


async def list_for_document(
    session: AsyncSession, user: Principal, document_id: str, limit: int, offset: int
) -> DeliveryPage:
    """Where a document was sent, newest first."""
    doc, _ = await readable(session, user, document_id)
    query = (
        select(Delivery).where(Delivery.document_id == doc.id).order_by(Delivery.created_at.desc(), Delivery.id.desc())
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return DeliveryPage(items=[DeliveryRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


async def list_deliveries(
    session: AsyncSession, user: Principal, status: str | None, limit: int, offset: int
) -> DeliveryPage:
    """The queue, as far as the caller may read the documents: a termination letter's delivery (its subject names
    the person) is for HR and admins, not for the office."""
    if not (user.is_admin or user.has_any(*FILING_ROLES)):
        raise Forbidden(f"the delivery queue is for {', '.join(FILING_ROLES)} and admins", slug="forbidden")
    query = select(Delivery).order_by(Delivery.created_at.desc(), Delivery.id.desc())
    scope = visible(user)
    if scope is not None:
        query = query.join(Document, Document.id == Delivery.document_id).where(scope)
    if status:
        query = query.where(Delivery.status == status)
    rows, total = await fetch_page(session, query, limit, offset)
    return DeliveryPage(items=[DeliveryRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


class TemporaryError(Exception):
    """Try again later. ``answered``: the server refused for now (counts towards giving up); otherwise it could
    not be reached or is not configured, and the delivery waits for it however long that takes."""

    def __init__(self, reason: str, *, answered: bool = False):
        super().__init__(reason)
        self.answered = answered


class PermanentError(Exception):
    """The server refused for good."""


def _address(settings: DocsSettings, delivery: Delivery) -> str:
    if delivery.channel == "email":
        return delivery.recipient
    if not settings.fax_domain:
        raise TemporaryError("no e-mail-to-fax gateway is configured (BACKOFFICE_DOCS_FAX_DOMAIN)")
    return f"{delivery.recipient}@{settings.fax_domain}"


def _to(settings: DocsSettings, delivery: Delivery) -> Address:
    """The recipient with their name (encoded by the e-mail library where it is not plain ASCII)."""
    name = " ".join((delivery.recipient_name or "").split())  # a line break would end the header
    try:
        return Address(display_name=name, addr_spec=_address(settings, delivery))
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise PermanentError(f"the address {delivery.recipient!r} cannot be written in an e-mail: {exc}") from None


def _domain(sender: str) -> str:
    """The domain of the sender's address, for Message-ID (RFC 5322 3.6.4)."""
    domain = parseaddr(sender)[1].rpartition("@")[2].strip()
    return domain if domain and all(c.isalnum() or c in ".-" for c in domain) else "backoffice.invalid"


async def _send(ctx: Context, delivery: Delivery, version: DocumentVersion) -> None:
    settings = ctx.settings
    if not settings.smtp_host:
        raise TemporaryError("no mail server is configured (BACKOFFICE_DOCS_SMTP_HOST)")
    if version.storage_key is None:
        raise PermanentError("the document's file was deleted")
    if version.size > MAX_ATTACHMENT:
        raise PermanentError(f"the file is larger than {MAX_ATTACHMENT} bytes, too large to send")
    content = b"".join([chunk async for chunk in ctx.storage.read(version.storage_key)])
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = _to(settings, delivery)
    message["Subject"] = " ".join(delivery.subject.split())  # no line breaks: they would end the header
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # The delivery's own id: a retry after a lost answer is recognisably the same message.
    message["Message-ID"] = f"<{delivery.id}@{_domain(settings.smtp_from)}>"
    message.set_content(delivery.message or f"Please find {version.filename} attached.")
    maintype, _, subtype = version.content_type.partition("/")
    message.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream", filename=version.filename)
    tls: dict[str, Any] = {}
    if settings.smtp_ca_file is not None:
        tls["tls_context"] = ssl.create_default_context(cafile=str(settings.smtp_ca_file))
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            start_tls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            timeout=settings.smtp_timeout_s,
            **tls,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        codes = [r.code for r in exc.recipients]
        if all(c >= 500 for c in codes):
            raise PermanentError(f"recipient refused: {exc}") from None
        raise TemporaryError(f"recipient refused for now: {exc}", answered=True) from None
    except aiosmtplib.SMTPResponseException as exc:
        if exc.code >= 500 and exc.code != 530:
            raise PermanentError(f"{exc.code} {exc.message}") from None
        raise TemporaryError(f"{exc.code} {exc.message}", answered=True) from None
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise TemporaryError(f"{type(exc).__name__}: {exc}") from None


async def _claim_next(db: Database, now: datetime) -> tuple[str, datetime] | None:
    """Takes the next due delivery for this process: it becomes "sent" with the claim's time. A replica that
    looked at the same row at the same moment finds it no longer queued and takes another."""
    async with db.session(write=True) as session:
        query = (
            select(Delivery.id)
            .where(Delivery.status == "queued", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(1)
        )
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        delivery_id = await session.scalar(query)
        if delivery_id is None:
            return None
        claimed_at = utcnow()
        result = await session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.status == "queued")
            .values(status="sent", sent_at=claimed_at)
        )
        assert isinstance(result, CursorResult)  # an UPDATE's result
        return (delivery_id, claimed_at) if result.rowcount == 1 else None


async def _attempt(session: AsyncSession, ctx: Context, delivery_id: str) -> TemporaryError | str | None:
    """One try at sending: None when the server took it, a TemporaryError to try again, or why it failed for good."""
    delivery = await session.get(Delivery, delivery_id)
    assert delivery is not None
    version = await session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == delivery.document_id, DocumentVersion.number == delivery.version
        )
    )
    try:
        if version is None:
            raise PermanentError(f"version {delivery.version} of document {delivery.document_id} is gone")
        await _send(ctx, delivery, version)
    except TemporaryError as exc:
        return exc
    except PermanentError as exc:
        return str(exc)
    except Exception as exc:  # a message that cannot be built or a file that is gone: no retry helps
        return f"{type(exc).__name__}: {exc}"
    return None


def stuck_after(settings: DocsSettings) -> timedelta:
    """How long a delivery may stay "sent" before it counts as interrupted: well beyond one send's timeouts."""
    return max(STUCK_AFTER, timedelta(seconds=settings.smtp_timeout_s * 10))


async def deliver_due(db: Database, ctx: Context, now: datetime | None = None, limit: int = 50) -> int:
    """Sends what is due, one claimed row at a time; returns how many were tried. Safe with replicas: a row is
    claimed just before it is sent, and its outcome is written only while the claim still holds."""
    now = now or utcnow()
    async with db.session(write=True) as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.status == "sent", Delivery.sent_at < now - stuck_after(ctx.settings))
            .values(status="queued", last_error="interrupted while sending; tried again")
        )
    tried = 0
    while tried < limit:
        claim = await _claim_next(db, now)
        if claim is None:
            break
        tried += 1
        delivery_id, claimed_at = claim
        # The send happens outside any write transaction: on SQLite one would stop every other writer meanwhile.
        async with db.session(write=False) as session:
            outcome = await _attempt(session, ctx, delivery_id)
        async with db.session(write=True) as session:
            query = select(Delivery).where(Delivery.id == delivery_id)
            if not db.is_sqlite:
                query = query.with_for_update()
            delivery = await session.scalar(query.execution_options(populate_existing=True))
            if delivery is None or delivery.status != "sent" or delivery.sent_at != claimed_at:
                log.warning("delivery %s was taken over by another process; its outcome is left to it", delivery_id)
                continue
            delivery.attempts += 1
            if isinstance(outcome, TemporaryError):
                await _retry_or_fail(session, ctx.settings, delivery, str(outcome), outcome.answered)
            elif outcome is not None:
                await _fail(session, delivery, outcome)
            else:
                await _delivered(session, delivery)
    return tried


async def _retry_or_fail(
    session: AsyncSession, settings: DocsSettings, delivery: Delivery, reason: str, answered: bool
) -> None:
    if answered and delivery.attempts >= settings.delivery_max_attempts:
        await _fail(session, delivery, f"gave up after {delivery.attempts} attempts: {reason}")
        return
    delay = min(settings.delivery_backoff_base_s * 2 ** (delivery.attempts - 1), settings.delivery_backoff_max_s)
    delivery.status, delivery.last_error = "queued", reason
    delivery.next_attempt_at = utcnow() + timedelta(seconds=delay)
    log.info("delivery %s to %s waits %.0f s: %s", delivery.id, delivery.recipient, delay, reason)


async def _fail(session: AsyncSession, delivery: Delivery, reason: str) -> None:
    now = utcnow()
    delivery.status, delivery.last_error, delivery.finished_at = "failed", reason, now
    audit(
        session,
        "delivery",
        "delivery_failed",
        delivery.document_id,
        delivery.version,
        delivery=delivery.id,
        reason=reason,
    )
    await emit(
        session,
        DeliveryFailed(
            delivery_id=delivery.id,
            document_id=delivery.document_id,
            channel=delivery.channel,
            recipient=delivery.recipient,
            attempts=delivery.attempts,
            reason=reason,
            failed_at=now,
        ),
        subject=delivery.id,
    )


async def _delivered(session: AsyncSession, delivery: Delivery) -> None:
    now = utcnow()
    delivery.status, delivery.last_error, delivery.finished_at = "delivered", None, now
    audit(session, "delivery", "delivered", delivery.document_id, delivery.version, delivery=delivery.id)
    await emit(
        session,
        DocumentDelivered(
            delivery_id=delivery.id,
            document_id=delivery.document_id,
            channel=delivery.channel,
            recipient=delivery.recipient,
            attempts=delivery.attempts,
            delivered_at=now,
        ),
        subject=delivery.id,
    )


async def deliver_forever(db: Database, ctx: Context, wake: asyncio.Event) -> None:
    """Sends what is due, then waits for ``wake`` or the next poll; runs until cancelled."""
    while True:
        try:
            await deliver_due(db, ctx)
        except Exception as exc:
            log.warning("delivery round failed: %s", exc)
        wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), ctx.settings.delivery_interval_s)
