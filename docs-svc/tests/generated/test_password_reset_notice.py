"""A password reset of an activated login is told to its owner (issue 16): docs e-mails a notice at once, whatever
``AUTO_SEND_TYPES`` says, naming the login and when the reset expires but never the token, and files it for the
owner and admins only. Read back from a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import gateway, hr
from backoffice.suite.processes import free_port
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish_event, wait_for
from backoffice.testing.mail import PASSWORD, USER, MailServer, make_certificate
from docskit import ok
from pypdf import PdfReader


def parsed(raw: object) -> EmailMessage:
    message = message_from_bytes(raw.as_bytes(), policy=policy.default)  # type: ignore[attr-defined]
    assert isinstance(message, EmailMessage)
    return message


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def test_a_password_reset_is_mailed_to_the_owner_without_the_token_and_filed_for_them_only(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    cert, key = make_certificate(tmp_path)
    mail = MailServer(free_port(), cert, key)
    mail.start()
    docs = start_service(  # AUTO_SEND_TYPES left empty: a security notice is sent anyway
        "docs",
        env={
            "BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files"),
            "BACKOFFICE_DOCS_SMTP_HOST": "127.0.0.1",
            "BACKOFFICE_DOCS_SMTP_PORT": str(mail.port),
            "BACKOFFICE_DOCS_SMTP_USERNAME": USER,
            "BACKOFFICE_DOCS_SMTP_PASSWORD": PASSWORD,
            "BACKOFFICE_DOCS_SMTP_CA_FILE": str(cert),
            "BACKOFFICE_DOCS_DELIVERY_INTERVAL_S": "0.2",
        },
    )
    g = gateway_client
    tag = uuid.uuid4().hex[:8]
    me, login = f"emp-rst-{tag}", f"rst-{tag}"
    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    try:
        hired = hr.EmployeeHired(
            employee_id=me,
            given_name="Rita",
            family_name="Reset",
            email=f"{login}@example.com",
            login=login,
            start_date=date.today() - timedelta(days=100),
        )
        asyncio.run(publish_event(nats_server.url, "HR", Envelope.new(hr.EmployeeHired.TYPE, source="hr", data=hired)))
        wait_for(lambda: admin.get(f"/people/{me}").status_code == 200, "rita to be known")
        owner = httpx.Client(base_url=docs.url, headers=g.auth(g.activate_employee(me)))  # the login the hire made
        office = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user(f"rst-office-{tag}", ["office", "hr"])))

        # An HR officer issues a reset at the real gateway, which publishes gateway.password_reset_issued; the
        # notice names that person, as the gateway knows them.
        officer = g.make_user(f"rst-hr-{tag}", ["hr"], name="Hanna Officer")
        users = g.client.get("/auth/users", params={"q": login}, headers=g.auth(g.admin_token)).json()["items"]
        user_id = next(u["id"] for u in users if u["login"] == login)
        issued = g.client.post(f"/auth/users/{user_id}/password-reset", headers=g.auth(officer))
        assert issued.status_code == 200, issued.text
        token = issued.json()["token"]

        raw = wait_for(lambda: mail.to(f"{login}@example.com"), "the reset notice's e-mail")[0]
        notice = parsed(raw)
        assert login in notice["Subject"]
        assert [a.display_name for a in notice["To"].addresses] == ["Rita Reset"]
        text = text_of(notice)
        assert f"A password reset was issued for your login {login} by Hanna Officer at" in text
        assert "valid until" in text
        assert "did not ask for it, tell HR or IT at once" in text
        assert user_id not in text  # the issuer is named, not given as a raw id
        assert token not in raw.as_string()
        pdf = next(p for p in notice.iter_attachments()).get_content()
        pdf_text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
        assert login in pdf_text
        assert "Rita Reset" in pdf_text
        assert token not in pdf_text

        # Filed for the owner and admins only: HR and the office do not see it.
        mine = ok(owner.get("/documents", params={"type": "password_reset_notice"}))["items"]
        assert len(mine) == 1
        assert mine[0]["employee_id"] == me
        assert mine[0]["roles"] == []
        assert ok(admin.get(f"/documents/{mine[0]['id']}"))["id"] == mine[0]["id"]
        assert ok(office.get("/documents", params={"type": "password_reset_notice"}))["items"] == []
        assert office.get(f"/documents/{mine[0]['id']}").status_code in (403, 404)

        # A login docs knows no employee of (an admin's own), the event delivered twice: one notice, one e-mail. An
        # event from a gateway that did not carry the issuer's name yet names their office.
        data = gateway.PasswordResetIssued(
            user_id=f"user-{tag}",
            employee_id=None,
            login=f"root-{tag}",
            email=f"root-{tag}@example.com",
            issued_by=f"admin-{tag}",
            expires_at=datetime.now(UTC) + timedelta(hours=24),
        )
        again = Envelope.new(gateway.PasswordResetIssued.TYPE, source="gateway", subject=data.user_id, data=data)
        for _ in range(2):
            asyncio.run(publish_event(nats_server.url, "GATEWAY", again))
        root = parsed(wait_for(lambda: mail.to(f"root-{tag}@example.com"), "the admin's reset notice")[0])
        assert f"your login root-{tag} by an administrator or HR officer" in text_of(root)
        assert f"admin-{tag}" not in root.as_string()
        notices = ok(admin.get("/documents", params={"type": "password_reset_notice"}))["items"]
        assert len([d for d in notices if d["employee_id"] is None and f"root-{tag}" in d["title"]]) == 1
        assert len(mail.to(f"root-{tag}@example.com")) == 1
    finally:
        mail.stop()
