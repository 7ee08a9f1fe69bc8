"""Two replicas sending the same queue, each with its own connections to one database and a real SMTP server:
every recipient gets the document once; a delivery left "sent" by a crashed replica is sent again later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from backoffice.docs.context import Context
from backoffice.docs.database import Base
from backoffice.docs.deliveries import service
from backoffice.docs.deliveries.models import Delivery
from backoffice.docs.deliveries.schemas import RecipientCreate
from backoffice.docs.documents.models import Document, DocumentVersion
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import LocalStorage
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database, utcnow
from backoffice.testing import free_port
from backoffice.testing.mail import PASSWORD, USER, MailServer, make_certificate
from pydantic import SecretStr
from sqlalchemy import func, select

RECIPIENTS = 40


@pytest.fixture
async def dbs(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    first, second = Database(database_url), Database(database_url)
    async with first.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
        await conn.run_sync(Base.metadata.create_all)
    yield first, second
    await first.dispose()
    await second.dispose()


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[MailServer]:
    cert, key = make_certificate(tmp_path)
    server = MailServer(free_port(), cert, key)
    server.start()
    yield server
    server.stop()


async def _queued_document(db: Database, ctx: Context, recipients: int) -> str:
    writer = ctx.storage.writer()
    await writer.write(b"%PDF-1.4 the letter\n")
    key = await writer.commit()
    now = utcnow()
    async with db.session() as session:
        doc = Document(
            id="replica-doc",
            title="Letter to everyone",
            type="letter",
            tags="[]",
            owner_user_id="office",
            current_version=1,
            status="active",
            legal_hold=False,
            created_at=now,
            updated_at=now,
        )
        session.add(doc)
        session.add(
            DocumentVersion(
                id="replica-doc-v1",
                document_id=doc.id,
                number=1,
                storage_key=key,
                filename="letter.pdf",
                content_type="application/pdf",
                size=20,
                sha256="0" * 64,
                text="",
                created_at=now,
                created_by="office",
            )
        )
        await session.flush()
        people = [RecipientCreate(channel="email", address=f"r{n}@example.com") for n in range(recipients)]
        service.queue(session, doc, 1, people, subject=None, message="", by="office")
    return doc.id


def _settings(tmp_path: Path, mail: MailServer) -> DocsSettings:
    return DocsSettings(
        storage_dir=tmp_path / "files",
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        smtp_username=USER,
        smtp_password=SecretStr(PASSWORD),
        smtp_ca_file=mail.cert,
    )


async def test_two_replicas_send_each_delivery_once(
    dbs: tuple[Database, Database], mail: MailServer, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, mail)
    ctx = Context(settings=settings, storage=LocalStorage(settings.files_dir()))
    await _queued_document(dbs[0], ctx, RECIPIENTS)

    tried = await asyncio.gather(*(service.deliver_due(db, ctx) for db in dbs))

    assert sum(tried) == RECIPIENTS, tried  # no row was tried by both
    got = sorted(r for received in mail.inbox for r in received.recipients)
    assert got == sorted(f"r{n}@example.com" for n in range(RECIPIENTS))
    async with dbs[0].session(write=False) as session:
        rows = (await session.scalars(select(Delivery))).all()
    assert {(d.status, d.attempts) for d in rows} == {("delivered", 1)}


async def test_a_delivery_left_sent_by_a_crash_goes_out_later_and_only_once(
    dbs: tuple[Database, Database], mail: MailServer, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, mail)
    ctx = Context(settings=settings, storage=LocalStorage(settings.files_dir()))
    await _queued_document(dbs[0], ctx, 1)
    now = utcnow()
    # A replica claims the row and dies before sending.
    claimed = await service._claim_next(dbs[0], now)
    assert claimed is not None

    assert await service.deliver_due(dbs[1], ctx, now) == 0  # claimed and recent: left alone
    assert mail.inbox == []
    later = now + service.stuck_after(settings) + timedelta(seconds=1)
    assert await service.deliver_due(dbs[1], ctx, later) == 1
    assert [r.recipients for r in mail.inbox] == [["r0@example.com"]]
    async with dbs[0].session(write=False) as session:
        delivery = await session.scalar(select(Delivery))
        assert delivery is not None
        assert (delivery.status, delivery.attempts) == ("delivered", 1)
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 1


def test_a_mail_password_without_starttls_is_refused_at_start() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="in clear"):
        DocsSettings(smtp_host="mail.example.com", smtp_password=SecretStr("secret"), smtp_starttls=False)
    assert DocsSettings(smtp_host="mail.example.com", smtp_starttls=False).smtp_password is None  # no login: fine
