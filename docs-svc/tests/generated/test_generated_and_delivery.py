"""Documents generated from other departments' real events (each delivered twice, filed once, its PDF text
checked), sent by e-mail and through the e-mail-to-fax gateway to a real SMTP server (STARTTLS and login);
a server that is down and comes back; a permanent refusal; templates checked; retention with legal hold."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import helpdesk, hr, payroll
from backoffice.suite.processes import free_port
from backoffice.testing import (
    GatewayClient,
    NatsServer,
    ServiceStarter,
    events_about,
    publish_event,
    wait_for,
)
from backoffice.testing.mail import PASSWORD, USER, MailServer, make_certificate
from docskit import ok, problem, stored_files, upload
from pypdf import PdfReader

TODAY = date.today()
ME, SUPPLIER, GROUP = f"amy-{uuid.uuid4().hex[:8]}", f"sup-{uuid.uuid4().hex[:8]}", f"Monthly {uuid.uuid4().hex[:6]}"


def publish(nats_url: str, stream: str, *envelopes: Envelope) -> None:
    async def run() -> None:
        for envelope in envelopes:
            await publish_event(nats_url, stream, envelope)

    asyncio.run(run())


def pdf_text(content: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)


def test_generated_documents_are_filed_once_and_delivered_by_mail_and_fax(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    cert, key = make_certificate(tmp_path)
    mail = MailServer(free_port(), cert, key)
    mail.start()
    files = tmp_path / "files"
    docs = start_service(
        "docs",
        env={
            "BACKOFFICE_DOCS_STORAGE_DIR": str(files),
            "BACKOFFICE_DOCS_SMTP_HOST": "127.0.0.1",
            "BACKOFFICE_DOCS_SMTP_PORT": str(mail.port),
            "BACKOFFICE_DOCS_SMTP_USERNAME": USER,
            "BACKOFFICE_DOCS_SMTP_PASSWORD": PASSWORD,
            "BACKOFFICE_DOCS_SMTP_CA_FILE": str(cert),
            "BACKOFFICE_DOCS_FAX_DOMAIN": "fax.example.net",
            "BACKOFFICE_DOCS_AUTO_SEND_TYPES": json.dumps(["payslip", "remittance_advice", "warning_letter"]),
            "BACKOFFICE_DOCS_DELIVERY_INTERVAL_S": "0.2",
            "BACKOFFICE_DOCS_DELIVERY_BACKOFF_BASE_S": "0.3",
            "BACKOFFICE_DOCS_DELIVERY_BACKOFF_MAX_S": "1",
        },
    )
    g = gateway_client
    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    amy = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("gen-amy", ["employee"], employee_id=ME)))
    office = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("gen-office", ["office"])), timeout=60)
    try:
        # Who amy is, from HR; then her payslip, delivered twice.
        hired = hr.EmployeeHired(
            employee_id=ME,
            given_name="Amy",
            family_name="Tester",
            email=f"{ME}@example.com",  # unique: other tests hire other Amys on these streams
            department="Sales",
            start_date=TODAY - timedelta(days=300),
        )
        publish(
            nats_server.url, "HR", hire := Envelope.new(hr.EmployeeHired.TYPE, source="hr", subject="amy", data=hired)
        )
        slip = payroll.PayslipIssued(
            payslip_id="slip-1",
            run_id="run-1",
            employee_id=ME,
            employee_name="Amy Tester",
            department="Sales",
            pay_type="salaried",
            currency="EUR",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            pay_date=date(2026, 10, 31),
            final=False,
            hours={"regular": Decimal("168")},
            lines=[
                payroll.PayslipLine(
                    category="earning", code="salary", description="Monthly salary", amount=Decimal("3200.00")
                ),
                payroll.PayslipLine(
                    category="deduction", code="tax", description="Income tax", amount=Decimal("640.00")
                ),
            ],
            gross=Decimal("3200.00"),
            deductions=Decimal("640.00"),
            net=Decimal("2560.00"),
            employer_contributions=Decimal("960.00"),
        )
        slip_event = Envelope.new(payroll.PayslipIssued.TYPE, source="payroll", subject="slip-1", data=slip)
        wait_for(lambda: admin.get(f"/people/{ME}").status_code == 200, "amy to be known")
        publish(nats_server.url, "PAYROLL", slip_event, slip_event)
        payslips = wait_for(lambda: ok(amy.get("/documents", params={"type": "payslip"}))["items"], "the payslip")
        assert len(payslips) == 1
        assert payslips[0]["employee_id"] == ME
        assert payslips[0]["roles"] == ["payroll"]
        # The payslip's PDF is found from the payslip: tagged with its id.
        assert payslips[0]["tags"] == ["payslip:slip-1"]
        tagged = ok(amy.get("/documents", params={"type": "payslip", "tag": "payslip:slip-1"}))["items"]
        assert [d["id"] for d in tagged] == [payslips[0]["id"]]
        assert ok(amy.get("/documents", params={"type": "payslip", "tag": "payslip:slip-2"}))["total"] == 0
        text = pdf_text(amy.get(f"/documents/{payslips[0]['id']}/content").content)
        assert "Amy Tester" in text
        assert "Monthly salary" in text
        assert "Net pay 2560.00 EUR" in text
        mails = wait_for(lambda: mail.to(f"{ME}@example.com"), "amy's payslip e-mail")
        attachment = next(p for p in mails[0].walk() if p.get_filename())
        assert attachment.get_content_type() == "application/pdf"
        assert "Net pay 2560.00 EUR" in pdf_text(attachment.get_payload(decode=True))

        # A remittance advice: e-mailed and faxed (the number at the fax gateway's domain).
        paid = payroll.SupplierPaymentMade(
            payment_id="pay-1",
            payment_run_id="prun-1",
            supplier_id=SUPPLIER,
            supplier_name="Paper & Co",
            email="ap@paper.example",
            fax="+33 1 23 45 67 89",
            amount=Decimal("150.00"),
            currency="EUR",
            execution_date=TODAY,
            end_to_end_id="E2E-1",
            invoices=[
                payroll.PaidInvoice(invoice_id="inv-1", number="F-2026-9", invoice_date=TODAY, amount=Decimal("150.00"))
            ],
        )
        publish(
            nats_server.url,
            "PAYROLL",
            remittance := Envelope.new(payroll.SupplierPaymentMade.TYPE, source="payroll", subject="pay-1", data=paid),
        )
        wait_for(lambda: mail.to("ap@paper.example") and mail.to("33123456789@fax.example.net"), "mail and fax")
        fax = mail.to("33123456789@fax.example.net")[0]
        attachment = next(p for p in fax.walk() if p.get_filename()).get_payload(decode=True)
        assert isinstance(attachment, bytes)
        assert "F-2026-9" in pdf_text(attachment)
        # A malformed fax number in the event: the advice is e-mailed, and the fax is kept as failed with why.
        odd_supplier = f"{SUPPLIER}-odd"
        odd = paid.model_copy(
            update={"payment_id": "pay-2", "supplier_id": odd_supplier, "fax": "call us", "email": "odd@paper.example"}
        )
        publish(
            nats_server.url,
            "PAYROLL",
            Envelope.new(payroll.SupplierPaymentMade.TYPE, source="payroll", subject="pay-2", data=odd),
        )
        wait_for(lambda: mail.to("odd@paper.example"), "the e-mail beside the malformed fax")
        odd_doc = ok(admin.get("/documents", params={"supplier_id": odd_supplier}))["items"][0]
        sent = {d["channel"]: d for d in ok(admin.get(f"/documents/{odd_doc['id']}/deliveries"))["items"]}
        assert sent["email"]["status"] == "delivered"
        assert sent["fax"]["status"] == "failed"
        assert "not a fax number" in sent["fax"]["last_error"]

        # The other generated documents, each filed once with its links.
        warning = hr.WarningIssued(
            warning_id="w-1",
            employee_id=ME,
            category="ethics",
            severity="serious",
            facts="Shared a customer list with a competitor.",
            occurred_on=TODAY,
        )
        termination = hr.EmployeeTerminated(employee_id=ME, effective_date=TODAY + timedelta(days=30), kind="dismissal")
        register = payroll.PayrunCompleted(
            run_id="run-1",
            pay_group=GROUP,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            pay_date=date(2026, 10, 31),
            currency="EUR",
            employees=1,
            gross=Decimal("3200.00"),
            deductions=Decimal("640.00"),
            net=Decimal("2560.00"),
            employer_contributions=Decimal("960.00"),
            by_code=[],
            by_department=[],
        )
        message = helpdesk.CallMessageTaken(
            message_id="m-1",
            call_id="c-1",
            for_employee_id=ME,
            for_name="Amy Tester",
            caller_name="Mrs Client",
            body="Call back about the order",
            taken_at=datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC),
        )
        events = [
            ("HR", Envelope.new(hr.WarningIssued.TYPE, source="hr", subject="amy", data=warning)),
            ("HR", Envelope.new(hr.EmployeeTerminated.TYPE, source="hr", subject="amy", data=termination)),
            ("PAYROLL", Envelope.new(payroll.PayrunCompleted.TYPE, source="payroll", subject="run-1", data=register)),
            ("HELPDESK", Envelope.new(helpdesk.CallMessageTaken.TYPE, source="helpdesk", subject="m-1", data=message)),
        ]
        for stream, envelope in events:
            publish(nats_server.url, stream, envelope, envelope)
        expected = {
            "contract",
            "payslip",
            "remittance_advice",
            "warning_letter",
            "termination_letter",
            "payroll_register",
            "call_message",
        }

        def mine() -> list[dict[str, Any]]:
            # the streams also hold other tests' events, which this service files too
            items = ok(admin.get("/documents", params={"limit": 500}))["items"]
            return [d for d in items if d["employee_id"] == ME or d["supplier_id"] == SUPPLIER or GROUP in d["title"]]

        filed = wait_for(lambda: {d["type"] for d in mine()} == expected and mine(), "every generated document")
        assert len(filed) == 7
        by_type = {d["type"]: d for d in filed}
        # A hire: the employee's folder, with the contract letter in it.
        contract = by_type["contract"]
        folders = {f["id"]: f["path"] for f in ok(admin.get("/folders"))["items"]}
        assert folders[contract["folder_id"]] == f"/Employees/Amy Tester ({ME})"
        # An employee sees the folders holding what she may read, not every colleague's folder.
        assert [f["path"] for f in ok(amy.get("/folders"))["items"]] == ["/Employees", f"/Employees/Amy Tester ({ME})"]
        assert problem(amy.post("/folders", json={"name": "Mine"}), 403)
        assert "Employment contract" in pdf_text(admin.get(f"/documents/{contract['id']}/content").content)
        letter = pdf_text(admin.get(f"/documents/{by_type['warning_letter']['id']}/content").content)
        assert "Shared a customer list with a competitor." in letter
        assert "Amy Tester" in letter
        assert "ends on" in pdf_text(admin.get(f"/documents/{by_type['termination_letter']['id']}/content").content)
        assert by_type["remittance_advice"]["supplier_id"] == SUPPLIER
        assert by_type["call_message"]["roles"] == ["office"]
        assert by_type["call_message"]["employee_id"] == ME
        assert {d["type"] for d in ok(amy.get("/documents"))["items"]} == {
            "contract",
            "payslip",
            "warning_letter",
            "termination_letter",
            "call_message",
        }
        sources = {hire.id, slip_event.id, remittance.id, *(envelope.id for _, envelope in events)}
        filed_events = events_about(
            nats_server.url,
            "docs.document_filed",
            "DOCS",
            lambda e: e.data["source_event_id"] in sources,
            len(expected),
        )
        assert sorted(e.data["type"] for e in filed_events if e.data["source_event_id"]) == sorted(expected)

        # Sending by hand: bad addresses refused; a server down, then back; a permanent refusal.
        doc_id = by_type["termination_letter"]["id"]
        assert "not a valid e-mail address" in problem(
            admin.post(
                f"/documents/{doc_id}/deliveries", json={"recipients": [{"channel": "email", "address": "amy@"}]}
            ),
            422,
        )
        assert "not a fax number" in problem(
            admin.post(f"/documents/{doc_id}/deliveries", json={"recipients": [{"channel": "fax", "address": "12ab"}]}),
            422,
        )
        assert problem(
            amy.post(
                f"/documents/{doc_id}/deliveries",
                json={"recipients": [{"channel": "email", "address": "x@example.com"}]},
            ),
            403,
        )
        mail.stop()
        (waiting,) = ok(
            admin.post(
                f"/documents/{doc_id}/deliveries",
                json={"recipients": [{"channel": "email", "address": "lawyer@example.com"}], "subject": "Termination"},
            ),
            201,
        )
        retried = wait_for(
            lambda: (d := ok(admin.get(f"/documents/{doc_id}/deliveries"))["items"][0])["attempts"] >= 2 and d,
            "two failed attempts",
        )
        assert retried["status"] == "queued"
        assert "Connect" in retried["last_error"]
        mail.start()
        done = wait_for(
            lambda: (d := ok(admin.get(f"/documents/{doc_id}/deliveries"))["items"][0])["status"] == "delivered" and d,
            "the delivery once the server is back",
        )
        assert done["id"] == waiting["id"]
        assert mail.to("lawyer@example.com")
        (refused,) = ok(
            admin.post(
                f"/documents/{doc_id}/deliveries",
                json={"recipients": [{"channel": "email", "address": "nobody@example.com"}]},
            ),
            201,
        )
        failed = wait_for(
            lambda: (d := ok(admin.get(f"/documents/{doc_id}/deliveries"))["items"][0])["status"] == "failed" and d,
            "the refusal",
        )
        assert failed["attempts"] == 1
        assert "550" in failed["last_error"]
        outcome = events_about(
            nats_server.url,
            "docs.>",
            "DOCS",
            lambda e: (
                (e.type, e.subject)
                in {("docs.document_delivered", waiting["id"]), ("docs.delivery_failed", refused["id"])}
            ),
            2,
        )
        assert any(e.type == "docs.document_delivered" and e.subject == waiting["id"] for e in outcome)
        assert any(e.type == "docs.delivery_failed" and e.subject == refused["id"] for e in outcome)
        assert refused["id"] in [d["id"] for d in ok(admin.get("/deliveries", params={"status": "failed"}))["items"]]
        # The queue shows the office what it may read: not an HR letter, whose subject names the person.
        assert refused["id"] not in [
            d["id"] for d in ok(office.get("/deliveries", params={"status": "failed"}))["items"]
        ]
        assert problem(amy.get("/deliveries"), 403)

        # Templates: an unknown field is refused; a company's template is used for the next documents.
        assert "unknown field" in problem(office.put("/templates/call_message", json={"body": "{{ caller_nam }}"}), 422)
        assert "not valid" in problem(office.put("/templates/call_message", json={"body": "{% if %}"}), 422)
        assert "ZeroDivisionError" in problem(office.put("/templates/call_message", json={"body": "{{ 1/0 }}"}), 422)
        assert "PDF" in problem(office.put("/templates/call_message", json={"body": "<table><td>x</td></table>"}), 422)
        # An office-edited template must not read the service's files or fetch URLs through <img>.
        for img in (
            '<img src="/etc/hostname">',
            '<table><tr><td><img src="http://127.0.0.1:9/x.png"></td></tr></table>',
        ):
            assert "images" in problem(office.put("/templates/call_message", json={"body": img}), 422)
        ok(office.put("/templates/call_message", json={"body": "<p>URGENT for {{ for_name }}: {{ body }}</p>"}))
        second = message.model_copy(update={"message_id": "m-2", "body": "Second message"})
        publish(
            nats_server.url,
            "HELPDESK",
            Envelope.new(helpdesk.CallMessageTaken.TYPE, source="helpdesk", subject="m-2", data=second),
        )
        newest = wait_for(
            lambda: (
                (items := ok(office.get("/documents", params={"type": "call_message", "employee_id": ME}))["items"])
                and len(items) == 2
                and items[0]
            ),
            "the second message",
        )
        assert "URGENT for Amy Tester: Second message" in pdf_text(
            office.get(f"/documents/{newest['id']}/content").content
        )
        assert "office" in problem(amy.put("/templates/payslip", json={"body": "x"}), 403)
    finally:
        mail.stop()


def test_retention_trashes_then_deletes_except_under_legal_hold(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(files)})
    g = gateway_client
    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    hr_user = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("ret-hr", ["hr"])), timeout=60)
    memo = ok(upload(hr_user, b"old memo", "memo.txt", type="memo", roles="hr"), 201)
    kept = ok(upload(hr_user, b"memo in a lawsuit", "kept.txt", type="memo", roles="hr"), 201)
    other = ok(upload(hr_user, b"a contract", "c.txt", type="contract"), 201)
    ok(hr_user.put(f"/documents/{kept['id']}/legal-hold", json={"hold": True, "reason": "case 7"}))
    assert "before trash_after_days" in problem(
        admin.put("/retention-policies/memo", json={"trash_after_days": 5, "delete_after_days": 1}), 422
    )
    assert "admins" in problem(
        hr_user.put("/retention-policies/memo", json={"trash_after_days": 0, "delete_after_days": 0}), 403
    )
    ok(admin.put("/retention-policies/memo", json={"trash_after_days": 0, "delete_after_days": 0}))
    before = len(stored_files(files))
    assert ok(admin.post("/retention/run")) == {"trashed": 1, "deleted": 1, "held": 1}
    gone = ok(hr_user.get(f"/documents/{memo['id']}"))
    assert gone["status"] == "deleted"
    assert "deleted" in problem(hr_user.get(f"/documents/{memo['id']}/content"), 410)
    assert len(stored_files(files)) == before - 1
    assert ok(hr_user.get(f"/documents/{kept['id']}"))["status"] == "active"
    assert ok(hr_user.get(f"/documents/{other['id']}"))["status"] == "active"
    assert (
        ok(hr_user.get("/search", params={"q": "memo", "type": "memo"}))["total"] == 1
    )  # the deleted one left the index
    assert [a["action"] for a in ok(hr_user.get(f"/documents/{memo['id']}/audit"))["items"]][1:3] == [
        "retention_delete",
        "retention_trash",
    ]
