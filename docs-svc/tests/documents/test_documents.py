"""A document's life through the service with real tokens: upload, versions, copy, download with ranges,
access for owner, roles and the linked employee, trash and legal hold, and an audit log the database refuses to
edit."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, ServiceStarter
from docskit import as_user, ok, pdf_with, problem, start_docs, upload
from sqlalchemy import text


def test_a_document_is_filed_read_versioned_copied_held_and_audited(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    g = gateway_client
    docs = start_docs(start_service, tmp_path / "files")
    url = docs.url
    clerk = as_user(g, url, g.make_user("doc-hr", ["hr"]))
    amy = as_user(g, url, g.make_user("doc-amy", ["employee"], employee_id="doc-amy"))
    ben = as_user(g, url, g.make_user("doc-ben", ["employee"], employee_id="doc-ben"))
    payroll = as_user(g, url, g.make_user("doc-payroll", ["payroll"]))
    admin = as_user(g, url, g.admin_token)

    folder = ok(clerk.post("/folders", json={"name": "Contracts"}), 201)
    sub = ok(clerk.post("/folders", json={"name": "2026", "parent_id": folder["id"]}), 201)

    body = b"Employment contract of Amy Tester. Salary and duties follow.\n" * 20
    doc = ok(
        upload(
            clerk,
            body,
            "contract.txt",
            type="contract",
            employee_id="doc-amy",
            tags="signed, 2026, Café, 100%",
            folder_id=sub["id"],
            title="Amy's contract",
        ),
        201,
    )
    assert doc["roles"] == ["hr"]
    assert doc["tags"] == ["100%", "2026", "café", "signed"]
    assert doc["current_version"] == 1
    # Tags match whole, accents kept, wildcard characters taken literally.
    for tag, found in (("café", True), ("CAFÉ", True), ("caf", False), ("100%", True), ("1_0%", False), ("%", False)):
        assert (doc["id"] in [d["id"] for d in ok(clerk.get("/documents", params={"tag": tag}))["items"]]) is found, tag
    assert doc["version"]["sha256"] == hashlib.sha256(body).hexdigest()
    assert doc["version"]["size"] == len(body)

    # Download: whole, a range, a suffix, and a range past the end.
    whole = amy.get(f"/documents/{doc['id']}/content")
    assert whole.status_code == 200
    assert whole.content == body
    assert whole.headers["accept-ranges"] == "bytes"
    part = amy.get(f"/documents/{doc['id']}/content", headers={"Range": "bytes=11-18"})
    assert part.status_code == 206
    assert part.content == body[11:19]
    assert part.headers["content-range"] == f"bytes 11-18/{len(body)}"
    tail = amy.get(f"/documents/{doc['id']}/content", headers={"Range": "bytes=-7"})
    assert tail.status_code == 206
    assert tail.content == body[-7:]
    assert "has" in problem(amy.get(f"/documents/{doc['id']}/content", headers={"Range": f"bytes={len(body)}-"}), 416)

    # Access: the linked employee reads, cannot change; others do not see it; the type's role does.
    assert ok(amy.get(f"/documents/{doc['id']}"))["title"] == "Amy's contract"
    assert "not change" in problem(amy.patch(f"/documents/{doc['id']}", json={"title": "mine"}), 403)
    assert "does not exist" in problem(ben.get(f"/documents/{doc['id']}"), 404)
    assert problem(payroll.get(f"/documents/{doc['id']}/content"), 404)
    assert problem(upload(ben, b"evil", "x.txt", path=f"/documents/{doc['id']}/versions"), 404)
    assert "not change" in problem(upload(amy, b"mine", "x.txt", path=f"/documents/{doc['id']}/versions"), 403)
    assert [d["id"] for d in ok(amy.get("/documents"))["items"]] == [doc["id"]]
    assert ok(ben.get("/documents"))["total"] == 0

    # A new version (a PDF now); the first stays readable.
    signed = pdf_with("Signed contract of Amy Tester")
    v2 = ok(upload(clerk, signed, "signed.pdf", "application/pdf", path=f"/documents/{doc['id']}/versions"))
    assert v2["current_version"] == 2
    assert v2["version"]["content_type"] == "application/pdf"
    versions = ok(amy.get(f"/documents/{doc['id']}/versions"))
    assert [v["number"] for v in versions["items"]] == [2, 1]  # newest first
    assert versions["total"] == 2
    assert amy.get(f"/documents/{doc['id']}/content").content == signed
    assert amy.get(f"/documents/{doc['id']}/content", params={"version": 1}).content == body

    # A slow upload of a version holds no lock while its body arrives: the document can be changed meanwhile,
    # on SQLite (one writer at a time) as on PostgreSQL (row locks).
    def slow_body() -> Iterator[bytes]:
        yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="v3.txt"\r\n'
        yield b"Content-Type: text/plain\r\n\r\n"
        for n in range(14):  # about 7 s, beyond SQLite's 5 s wait for a write lock
            time.sleep(0.5)
            yield f"part {n} of the third version\n".encode()
        yield b"\r\n--B--\r\n"

    slow: dict[str, httpx.Response] = {}
    sender = threading.Thread(
        target=lambda: slow.setdefault(
            "r",
            clerk.post(
                f"/documents/{doc['id']}/versions",
                content=slow_body(),
                headers={"content-type": "multipart/form-data; boundary=B"},
            ),
        )
    )
    sender.start()
    time.sleep(1.0)
    renamed = ok(clerk.patch(f"/documents/{doc['id']}", json={"title": "Amy's contract (signed)"}))
    assert sender.is_alive(), "the rename waited for the upload"
    sender.join(30)
    v3 = ok(slow["r"])
    assert v3["current_version"] == 3
    assert v3["title"] == renamed["title"] == "Amy's contract (signed)"

    # A copy of version 1 into another record: a new document that says where it came from.
    copy = ok(
        clerk.post(
            f"/documents/{doc['id']}/copy",
            json={"version": 1, "folder_id": folder["id"], "employee_id": "doc-ben", "title": "Template"},
        ),
        201,
    )
    assert (copy["copied_from_document_id"], copy["copied_from_version"]) == (doc["id"], 1)
    assert copy["version"]["sha256"] == doc["version"]["sha256"]
    assert copy["employee_id"] == "doc-ben"
    assert ben.get(f"/documents/{copy['id']}/content").content == body

    # Trash, legal hold.
    assert "legal holds" in problem(
        amy.put(f"/documents/{copy['id']}/legal-hold", json={"hold": True, "reason": "x"}), 403
    )
    ok(clerk.put(f"/documents/{copy['id']}/legal-hold", json={"hold": True, "reason": "litigation 42"}))
    assert "legal hold" in problem(clerk.post(f"/documents/{copy['id']}/trash"), 409)
    ok(clerk.put(f"/documents/{copy['id']}/legal-hold", json={"hold": False, "reason": "settled"}))
    assert ok(clerk.post(f"/documents/{copy['id']}/trash"))["status"] == "trashed"
    assert problem(ben.get(f"/documents/{copy['id']}"), 404)  # the linked employee no longer sees it
    assert ok(clerk.post(f"/documents/{copy['id']}/restore"))["status"] == "active"

    # The audit trail: every read and change, for those who may change the document; nobody edits it.
    trail = ok(clerk.get(f"/documents/{doc['id']}/audit"))["items"]
    actions = [a["action"] for a in trail]  # newest first
    assert actions[-1] == "file"
    assert "new_version" in actions
    assert actions.count("download") >= 5
    assert {a["user_id"] for a in trail if a["action"] == "read"}  # amy's reads are there
    assert problem(amy.get(f"/documents/{doc['id']}/audit"), 404)
    assert "admins" in problem(clerk.get("/audit"), 403)
    assert any(a["action"] == "copy" for a in ok(admin.get("/audit", params={"limit": 500}))["items"])

    async def tamper() -> None:
        db = Database(docs.env["BACKOFFICE_DOCS_DATABASE_URL"])
        try:
            for statement in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
                with pytest.raises(Exception, match="append-only"):
                    async with db.session() as session:
                        await session.execute(text(statement))
        finally:
            await db.dispose()

    asyncio.run(tamper())
    assert [a["action"] for a in ok(clerk.get(f"/documents/{doc['id']}/audit"))["items"]][-len(actions) :] == actions
