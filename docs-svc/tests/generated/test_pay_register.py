"""The pay register of fair pay (issue 22): payroll.pay_register_filed, published on a real bus, becomes one PDF in
the folder "Pay register", typed and tagged so the console finds it, readable by hr, payroll, pay auditors and
admins only, with figures only and the suppressed groups saying so."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import payroll
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish_event, wait_for
from docskit import ok, start_docs
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)


def register(register_id: str) -> payroll.PayRegisterFiled:
    """Clerks: six women shown, two men suppressed; one concept and the total."""
    women = payroll.RegisterCell(
        sex="female", workers=6, average=Decimal("31250.40"), median=Decimal("30900.00"), suppressed=False
    )
    men = payroll.RegisterCell(sex="male", workers=2, suppressed=True)
    return payroll.PayRegisterFiled(
        register_id=register_id,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        currency="EUR",
        threshold=5,
        rows=[
            payroll.RegisterRow(
                category_id="cat-clerks",
                category_name="Clerks",
                concept="salary",
                description="Monthly salary",
                component="basic",
                cells=[women, men],
            ),
            payroll.RegisterRow(
                category_id="cat-clerks",
                category_name="Clerks",
                concept="total",
                description="Total pay",
                component="total",
                cells=[women.model_copy(update={"average": Decimal("33010.75")}), men],
            ),
        ],
        filed_by="user-auditor",
    )


def test_the_pay_register_is_filed_once_for_the_fair_pay_roles_with_suppressed_groups_said(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    docs = start_docs(start_service, tmp_path / "files")
    g = gateway_client
    tag = uuid.uuid4().hex[:8]
    register_id = f"reg-{tag}"

    def client(roles: list[str]) -> httpx.Client:
        token = g.make_user(f"preg-{'-'.join(roles)}-{tag}", roles)
        return httpx.Client(base_url=docs.url, headers=g.auth(token), timeout=60)

    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    readers = {role: client([role]) for role in ("hr", "payroll", "pay_auditor")}
    others = {role: client([role]) for role in ("employee", "manager", "office", "it_agent")}

    # Delivered twice: filed once.
    data = register(register_id)
    envelope = Envelope.new(payroll.PayRegisterFiled.TYPE, source="payroll", subject=register_id, data=data)

    async def publish() -> None:
        for _ in range(2):
            await publish_event(nats_server.url, "PAYROLL", envelope)

    asyncio.run(publish())
    query = {"type": "pay_register", "tag": f"register:{register_id}"}
    found = wait_for(lambda: ok(admin.get("/documents", params=query))["items"], "the pay register's PDF")
    assert len(found) == 1
    doc = found[0]
    assert doc["title"] == "Pay register 2025-01-01 to 2025-12-31"
    assert doc["type"] == "pay_register"
    assert sorted(doc["tags"]) == sorted(["pay-register", f"register:{register_id}"])
    assert sorted(doc["roles"]) == ["hr", "pay_auditor", "payroll"]
    assert doc["employee_id"] is None
    folders = {f["id"]: f["path"] for f in ok(admin.get("/folders"))["items"]}
    assert folders[doc["folder_id"]] == "/Pay register"

    # Each fair-pay role finds it by its tag and reads it; nobody else sees it at all.
    for role, reader in readers.items():
        assert [d["id"] for d in ok(reader.get("/documents", params=query))["items"]] == [doc["id"]], role
        assert reader.get(f"/documents/{doc['id']}/content").status_code == 200, role
    for role, other in others.items():
        assert ok(other.get("/documents", params=query))["items"] == [], role
        assert other.get(f"/documents/{doc['id']}").status_code == 404, role
        assert other.get(f"/documents/{doc['id']}/content").status_code == 404, role

    # Figures only: the shown group's average and median, the suppressed group said so, never a figure for it.
    text = pdf_text(readers["pay_auditor"].get(f"/documents/{doc['id']}/content").content)
    assert "Pay register" in text
    assert "Period 2025-01-01 to 2025-12-31" in text
    assert "Clerks" in text
    assert "Monthly salary (salary, basic)" in text
    assert "female 6 31250.40 30900.00" in text
    assert "female 6 33010.75 30900.00" in text
    assert text.count("male suppressed (fewer than 5)") == 2
    assert "user-auditor" not in text

    # A period without approved payslips: filed all the same, saying so.
    empty_id = f"reg-empty-{tag}"
    empty = register(empty_id).model_copy(update={"rows": []})
    envelope = Envelope.new(payroll.PayRegisterFiled.TYPE, source="payroll", subject=empty_id, data=empty)
    asyncio.run(publish())
    empty_query = {"type": "pay_register", "tag": f"register:{empty_id}"}
    filed = wait_for(lambda: ok(admin.get("/documents", params=empty_query))["items"], "the empty register's PDF")
    assert "No approved payslips in this period." in pdf_text(admin.get(f"/documents/{filed[0]['id']}/content").content)
    assert len(ok(admin.get("/documents", params=query))["items"]) == 1
