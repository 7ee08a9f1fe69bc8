"""What a mail client sees of a delivery, read back from a real SMTP server (aiosmtpd): the headers RFC 5322 asks
for (Date, Message-ID), the recipient's name in To (encoded when it is not ASCII), and a call message's text in
the body of its e-mail."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import helpdesk
from backoffice.suite.processes import free_port
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish_event, wait_for
from backoffice.testing.mail import PASSWORD, USER, MailServer, make_certificate
from docskit import ok, upload


def parsed(raw: object) -> EmailMessage:
    """The message as a modern mail client parses it (headers decoded)."""
    message = message_from_bytes(raw.as_bytes(), policy=policy.default)  # type: ignore[attr-defined]
    assert isinstance(message, EmailMessage)
    return message


def test_mail_has_date_message_id_named_recipient_and_the_call_message_in_its_body(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    cert, key = make_certificate(tmp_path)
    mail = MailServer(free_port(), cert, key)
    mail.start()
    docs = start_service(
        "docs",
        env={
            "BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files"),
            "BACKOFFICE_DOCS_SMTP_HOST": "127.0.0.1",
            "BACKOFFICE_DOCS_SMTP_PORT": str(mail.port),
            "BACKOFFICE_DOCS_SMTP_USERNAME": USER,
            "BACKOFFICE_DOCS_SMTP_PASSWORD": PASSWORD,
            "BACKOFFICE_DOCS_SMTP_CA_FILE": str(cert),
            "BACKOFFICE_DOCS_SMTP_FROM": "Back Office <post@office.example.org>",
            "BACKOFFICE_DOCS_AUTO_SEND_TYPES": json.dumps(["call_message"]),
            "BACKOFFICE_DOCS_DELIVERY_INTERVAL_S": "0.2",
        },
    )
    g = gateway_client
    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    tag = uuid.uuid4().hex[:8]
    try:
        doc = ok(upload(admin, b"the minutes", "minutes.txt", title="Minutes"), 201)
        zoe = f"zoe-{tag}@example.com"
        before = datetime.now(UTC).replace(microsecond=0)
        sent = ok(
            admin.post(
                f"/documents/{doc['id']}/deliveries",
                json={"recipients": [{"channel": "email", "address": zoe, "name": 'Zoë Ünlü, "Jr."'}]},
            ),
            201,
        )
        message = parsed(wait_for(lambda: mail.to(zoe), "the e-mail to Zoë")[0])
        to = message["To"].addresses
        assert [(a.display_name, a.addr_spec) for a in to] == [('Zoë Ünlü, "Jr."', zoe)]
        raw_to = mail.to(zoe)[0]["To"]
        assert "Ünlü" not in raw_to
        assert "=?utf-8?" in raw_to.lower()  # encoded on the wire (RFC 2047)
        date = parsedate_to_datetime(message["Date"])
        assert date.tzinfo is not None
        assert before - timedelta(seconds=1) <= date <= datetime.now(UTC)
        assert message["Message-ID"] == f"<{sent[0]['id']}@office.example.org>"

        # A call message: the e-mail's text is the message itself, the PDF is attached.
        taker = f"ann-{tag}@example.com"
        data = helpdesk.CallMessageTaken(
            message_id=f"msg-{tag}",
            call_id=f"call-{tag}",
            for_employee_id=f"emp-{tag}",
            for_name="Ann Lee",
            for_email=taker,
            caller_name="Bob Supplier",
            caller_number="+33 1 23 45 67 89",
            body="The pallets arrive Tuesday at 7, not Monday.",
            callback_requested=True,
            taken_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        )
        envelope = Envelope.new(helpdesk.CallMessageTaken.TYPE, source="helpdesk", subject=data.message_id, data=data)
        asyncio.run(publish_event(nats_server.url, "HELPDESK", envelope))
        call = parsed(wait_for(lambda: mail.to(taker), "the call message's e-mail")[0])
        body = call.get_body(preferencelist=("plain",))
        assert body is not None
        text = body.get_content()
        assert "The pallets arrive Tuesday at 7, not Monday." in text
        assert "Bob Supplier (+33 1 23 45 67 89)" in text
        assert "Please call back." in text
        assert [p.get_filename() for p in call.iter_attachments()] == [f"call_message-msg-{tag}.pdf"]
        assert [a.display_name for a in call["To"].addresses] == ["Ann Lee"]
        assert call["Date"]
        assert call["Message-ID"]
    finally:
        mail.stop()
