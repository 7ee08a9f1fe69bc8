"""What a person inside the company must not be able to do through the document service: send the company's mail
and faxes anywhere, file HR's or payroll's papers about a colleague, make a download run as a page of the suite,
store names that hide their real form, stall a worker with a template, blank a template for good, or cause a 500
with a version number the database cannot hold."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.docs.generated.render import RENDER_SECONDS, LetterTemplateError, render_html
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, events_about, publish_event, wait_for
from docskit import ok, problem, upload

TOO_BIG = 2**63  # beyond a version number's column on both databases


def _hire(nats_url: str, employee_id: str, email: str) -> None:
    hired = hr.EmployeeHired(
        employee_id=employee_id,
        given_name="Amy",
        family_name="Sender",
        email=email,
        department="Sales",
        start_date=date.today() - timedelta(days=30),
    )
    envelope = Envelope.new(hr.EmployeeHired.TYPE, source="hr", subject=employee_id, data=hired)
    asyncio.run(publish_event(nats_url, "HR", envelope))


def test_who_may_send_to_whom_within_a_daily_limit_every_delivery_audited(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    amy_id = f"send-amy-{uuid.uuid4().hex[:8]}"
    amy_mail = f"{amy_id}@home.example"  # her own address, as HR knows it, outside the company's domain
    docs = start_service(
        "docs",
        env={
            "BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files"),
            "BACKOFFICE_DOCS_INTERNAL_EMAIL_DOMAINS": json.dumps(["corp.example"]),
            "BACKOFFICE_DOCS_DELIVERY_ALLOWED_RECIPIENTS": json.dumps(["books@accountant.example", "+33 1 99 99 99"]),
            "BACKOFFICE_DOCS_DELIVERY_DAILY_LIMIT": "5",
        },
    )
    g = gateway_client

    def client(token: str) -> httpx.Client:
        return httpx.Client(base_url=docs.url, headers=g.auth(token), timeout=60)

    admin = client(g.admin_token)
    amy = client(g.make_user(amy_id, ["employee"], employee_id=amy_id))
    office = client(g.make_user("send-office", ["office"]))
    payroll = client(g.make_user("send-payroll", ["payroll"]))
    _hire(nats_server.url, amy_id, amy_mail)
    wait_for(lambda: admin.get(f"/people/{amy_id}").status_code == 200, "amy to be known")

    note = ok(upload(amy, b"my own note", "note.txt", type="note", employee_id=amy_id), 201)

    def send(who: httpx.Client, document: dict[str, Any], *recipients: tuple[str, str]) -> httpx.Response:
        body = {"recipients": [{"channel": c, "address": a} for c, a in recipients]}
        return who.post(f"/documents/{document['id']}/deliveries", json=body)

    # Outside addresses and fax numbers are not hers to send to, however many or few.
    refused = send(amy, note, ("email", amy_mail), ("email", "anyone@evil.example"))
    assert "anyone@evil.example" in problem(refused, 403)
    assert "office" in refused.json()["detail"]
    assert refused.json()["type"].endswith("recipient-not-allowed")
    assert refused.json()["field"] == "recipients.1.address"
    assert "fax" in problem(send(amy, note, ("fax", "+44 909 123 4567")), 403)
    # Herself, a colleague at the company's domain, and the allow-list's address and fax number.
    sent = ok(
        send(
            amy,
            note,
            ("email", amy_mail.upper()),
            ("email", "colleague@corp.example"),
            ("email", "books@accountant.example"),
            ("fax", "+33 (0)1 99 99 99"),
        ),
        201,
    )
    amy_user = sent[0]["requested_by"]  # her login's user id
    assert {d["requested_by"] for d in sent} == {amy_user} != {"system"}
    assert len(sent) == 4
    # Five a day: a request for more is a 422; one past what is left today a 429 saying when to come back.
    assert "at most 5" in problem(send(amy, note, *[("email", f"c{n}@corp.example") for n in range(6)]), 422)
    ok(send(amy, note, ("email", "colleague@corp.example")), 201)
    limited = send(amy, note, ("email", "colleague@corp.example"))
    assert "limit is 5" in problem(limited, 429)
    assert 0 < int(limited.headers["retry-after"]) <= 86400
    # The office sends anywhere, by fax too; payroll its own types (a remittance advice to a supplier), not others.
    letter = ok(upload(office, b"a letter to a client", "letter.txt", type="memo"), 201)
    ok(send(office, letter, ("email", "client@elsewhere.example"), ("fax", "+44 20 7946 0000")), 201)
    advice = ok(upload(payroll, b"remittance", "advice.txt", type="remittance_advice"), 201)
    ok(send(payroll, advice, ("email", "ap@supplier.example")), 201)
    memo = ok(upload(payroll, b"a memo", "memo.txt", type="memo"), 201)
    assert problem(send(payroll, memo, ("email", "ap@supplier.example")), 403)
    # Every delivery asked for is in the document's trail: who, to whom, when.
    trail = [
        a
        for a in reversed(ok(amy.get(f"/documents/{note['id']}/audit"))["items"])
        if a["action"] == "delivery_requested"
    ]
    assert [a["user_id"] for a in trail] == [amy_user, amy_user]
    recipients = [r.lower() for r in trail[0]["detail"]["recipients"]]
    assert recipients[:2] == [f"email:{amy_mail}", "email:colleague@corp.example"]
    assert all(a["at"] for a in trail)


def test_document_types_and_links_say_who_files_them(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client
    run = uuid.uuid4().hex[:8]
    amy_id, ben_id = f"file-amy-{run}", f"file-ben-{run}"

    def client(token: str) -> httpx.Client:
        return httpx.Client(base_url=docs.url, headers=g.auth(token), timeout=60)

    amy = client(g.make_user(amy_id, ["employee"], employee_id=amy_id))
    ben = client(g.make_user(ben_id, ["employee"], employee_id=ben_id))
    officer = client(g.make_user(f"file-hr-{run}", ["hr"]))
    clerk = client(g.make_user(f"file-payroll-{run}", ["payroll"]))

    # HR's and payroll's types are theirs, whoever they would be about.
    for doc_type, about in (
        ("warning_letter", ben_id),
        ("signed_contract", ben_id),
        ("signed_contract", amy_id),
        ("supplier_invoice", None),
        ("payslip", amy_id),
    ):
        fields = {"type": doc_type, **({"employee_id": about} if about else {})}
        refused = upload(amy, b"forged", "forged.txt", **fields)
        assert f"type {doc_type} are filed by" in problem(refused, 403), doc_type
        assert refused.json()["field"] == "type"
    # Her own papers, linked to herself: yes; linked to a colleague: no.
    assert "only to yourself" in problem(upload(amy, b"about ben", "n.txt", type="note", employee_id=ben_id), 403)
    note = ok(upload(amy, b"my note", "n.txt", type="note", employee_id=amy_id), 201)
    # Not by changing or copying it afterwards either.
    assert "filed by hr" in problem(amy.patch(f"/documents/{note['id']}", json={"type": "warning_letter"}), 403)
    assert "only to yourself" in problem(amy.patch(f"/documents/{note['id']}", json={"employee_id": ben_id}), 403)
    copied = amy.post(f"/documents/{note['id']}/copy", json={"employee_id": ben_id})
    assert "only to yourself" in problem(copied, 403)
    assert ok(ben.get("/documents"))["total"] == 0
    assert ok(officer.get("/documents", params={"employee_id": ben_id}))["total"] == 0
    # HR files the signed contract; payroll an invoice, not HR's letters.
    signed = ok(upload(officer, b"signed", "signed.txt", type="signed_contract", employee_id=ben_id), 201)
    ok(upload(clerk, b"invoice", "inv.txt", type="supplier_invoice", supplier_id="s-1"), 201)
    assert problem(upload(clerk, b"warning", "w.txt", type="warning_letter", employee_id=ben_id), 403)
    assert problem(upload(officer, b"slip", "p.txt", type="payslip", employee_id=ben_id), 403)
    # The event says who filed it and with which roles: HR ticks the contract task only for HR's filing.
    filed = events_about(nats_server.url, "docs.document_filed", "DOCS", lambda e: e.subject == signed["id"])
    assert filed[0].data["filed_by"] == signed["owner_user_id"]
    assert filed[0].data["filed_by_roles"] == ["hr"]
    mine = events_about(nats_server.url, "docs.document_filed", "DOCS", lambda e: e.subject == note["id"])
    assert mine[0].data["filed_by_roles"] == ["employee"]


def test_downloads_names_templates_and_numbers(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client
    run = uuid.uuid4().hex[:8]
    amy = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user(f"dl-amy-{run}", ["employee"])), timeout=60)
    office = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user(f"dl-office-{run}", ["office"])), timeout=60)

    # Active content is sent as bytes to save, never as a page of this origin; passive types keep theirs.
    page = b"<html><script>fetch('/api/hr/employees')</script></html>"
    for name, kind, content in (
        ("page.html", "text/html", page),
        ("logo.svg", "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("data.xml", "text/xml", b"<?xml version='1.0'?><a/>"),
        ("run.js", "text/javascript", b"alert(1)"),
        ("notes.txt", "text/plain", b"plain words"),
    ):
        doc = ok(upload(amy, content, name, kind), 201)
        got = amy.get(f"/documents/{doc['id']}/content")
        assert got.content == content
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-security-policy"] == "sandbox"
        assert got.headers["content-disposition"].startswith("attachment;")
        served = got.headers["content-type"].split(";")[0]
        assert served == ("text/plain" if kind == "text/plain" else "application/octet-stream"), name
    # A path given as the file name keeps only its last part; nothing usable left is a 422.
    for sent, kept in (("../../../etc/cron.d/evil.txt", "evil.txt"), ("C:\\Users\\amy\\report.txt", "report.txt")):
        doc = ok(upload(amy, b"text", sent), 201)
        assert doc["version"]["filename"] == kept
        assert amy.get(f"/documents/{doc['id']}/content").headers["content-disposition"].endswith(kept)
    for sent in ("../", "dir\\", "a/..", "  ", "evil\u202etxt.exe"):
        assert problem(upload(amy, b"text", sent), 422), sent

    # Folder names are checked like file names.
    for name in (".", "..", "a\r\nb", "x\nInjected: 1", "evil\u202etxt", "   ", "back\\slash", "bell\u0007"):
        refused = office.post("/folders", json={"name": name})
        assert problem(refused, 422), name
        assert "name" in refused.text, name
    assert ok(office.post("/folders", json={"name": f" Contracts {run} "}), 201)["path"] == f"/Contracts {run}"

    # Version numbers beyond what the database holds are a 422 naming the field, not a 500.
    doc = ok(upload(amy, b"v1", "v.txt"), 201)
    for response in (
        amy.get(f"/documents/{doc['id']}/content", params={"version": TOO_BIG}),
        amy.post(f"/documents/{doc['id']}/copy", json={"version": TOO_BIG}),
        amy.post(
            f"/documents/{doc['id']}/deliveries",
            json={"recipients": [{"channel": "email", "address": "a@b.example"}], "version": TOO_BIG},
        ),
        office.post(f"/templates/call_message/versions/{TOO_BIG}/restore"),
    ):
        assert "version" in problem(response, 422) or "number" in response.text

    # Templates: refused at save when empty, unbounded or silent; the one replaced is kept and can be restored.
    started = time.monotonic()
    huge = office.put("/templates/call_message", json={"body": "{{ 'a' * 100000000 }}"})
    assert "100000000" in problem(huge, 422)
    assert time.monotonic() - started < 5
    looping = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    assert "longer than" in problem(office.put("/templates/call_message", json={"body": looping}), 422)
    assert "body" in problem(office.put("/templates/call_message", json={"body": ""}), 422)
    assert "empty" in problem(office.put("/templates/call_message", json={"body": "  \n "}), 422)
    assert "empty" in problem(office.put("/templates/call_message", json={"body": "{# nothing #}<p> </p>"}), 422)
    first = "<p>First: {{ body }}</p>"
    second = "<p>Second: {{ body }}</p>"
    ok(office.put("/templates/call_message", json={"body": first}))
    ok(office.put("/templates/call_message", json={"body": second}))
    versions = ok(office.get("/templates/call_message/versions"))["items"]
    assert [(v["number"], v["body"], v["current"]) for v in versions] == [(2, second, True), (1, first, False)]
    assert ok(office.post("/templates/call_message/versions/1/restore"))["body"] == first
    assert ok(office.get("/templates/call_message"))["body"] == first
    assert [v["number"] for v in ok(office.get("/templates/call_message/versions"))["items"]] == [3, 2, 1]
    assert ok(office.delete("/templates/call_message"))["customised"] is False  # back to the default, history kept
    assert ok(office.post("/templates/call_message/versions/2/restore"))["body"] == second
    assert problem(office.post("/templates/call_message/versions/99/restore"), 404)
    assert problem(amy.get("/templates/call_message/versions"), 403)


@pytest.mark.parametrize(
    "source",
    [
        "{% set n = 100000 %}{{ 'a' * n * n }}",
        "{% set a = 'aaaaaaaaaaaaaaaa' %}" + "{% set a = a ~ a %}" * 30 + "{{ a }}",
        "{% set a = 'aaaaaaaaaaaaaaaa' %}" + "{% set a %}{{ a }}{{ a }}{% endset %}" * 30 + "{{ a }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}{% endmacro %}{{ d('a', 40) }}",
        "{% set ns = namespace(x=10) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
        "{% set l = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] %}" + "{% for a in l %}" * 12 + "{% endfor %}" * 12,
        "{% for i in range(99999) %}{{ 'x' * 100 }}{% endfor %}",
        "{{ ('a\n' * 500000)|indent(1000000) }}",
        "{{ ('a' * 1000000)|replace('a', 'bbbbbbbb') }}",
        "{{ (['x' * 1000000] * 100)|join }}",
        "{{ '%0100000000d' % 1 }}",
        "{{ '%*d' % (100000000, 1) }}",
        "{{ '{:>100000000}'.format(1) }}",
    ],
)
def test_rendering_is_bounded_in_size_and_time(source: str) -> None:
    """Whatever a template saved earlier (or written straight into the database) does, a render stops."""
    started = time.monotonic()
    with pytest.raises(LetterTemplateError):
        render_html(source, {})
    assert time.monotonic() - started < RENDER_SECONDS + 1.5
