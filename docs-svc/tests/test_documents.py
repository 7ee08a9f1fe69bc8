"""Filing documents through the service with real tokens: upload, versions, copy, download with ranges,
access for owner, roles and the linked employee, an audit log the database refuses to edit, and bad uploads
answered with problem+json and nothing left behind in storage."""

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
from docskit import ok, pdf_with, problem, stored_files, upload
from sqlalchemy import text

LIMIT = 300_000


def test_upload_versions_copy_range_access_and_audit(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    docs = start_service(
        "docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(files), "BACKOFFICE_DOCS_MAX_UPLOAD_BYTES": str(LIMIT)}
    )
    g = gateway_client

    def client(token: str) -> httpx.Client:
        return httpx.Client(base_url=docs.url, headers=g.auth(token), timeout=60)

    clerk = client(g.make_user("doc-hr", ["hr"]))
    amy = client(g.make_user("doc-amy", ["employee"], employee_id="doc-amy"))
    ben = client(g.make_user("doc-ben", ["employee"], employee_id="doc-ben"))
    payroll = client(g.make_user("doc-payroll", ["payroll"]))
    admin = client(g.admin_token)

    folder = ok(clerk.post("/folders", json={"name": "Contracts"}), 201)
    sub = ok(clerk.post("/folders", json={"name": "2026", "parent_id": folder["id"]}), 201)
    assert sub["path"] == "/Contracts/2026"
    assert "exists" in problem(clerk.post("/folders", json={"name": "2026", "parent_id": folder["id"]}), 409)
    deep = folder["id"]
    for _ in range(9):  # paths are kept whole: nine levels of 200 characters fit, the tenth would not
        deep = ok(clerk.post("/folders", json={"name": "d" * 199, "parent_id": deep}), 201)["id"]
    assert "nest less deeply" in problem(clerk.post("/folders", json={"name": "d" * 199, "parent_id": deep}), 422)
    # Input the database cannot store is a 422 on both databases, never a 500.
    assert "NUL" in problem(clerk.post("/folders", json={"name": "bad\u0000name"}), 422)
    assert "offset" in problem(clerk.get("/documents", params={"offset": 10**20}), 422)

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
    assert doc["roles"] == ["hr"] and doc["tags"] == ["100%", "2026", "café", "signed"] and doc["current_version"] == 1
    # Tags match whole, accents kept, wildcard characters taken literally.
    for tag, found in (("café", True), ("CAFÉ", True), ("caf", False), ("100%", True), ("1_0%", False), ("%", False)):
        assert (doc["id"] in [d["id"] for d in ok(clerk.get("/documents", params={"tag": tag}))["items"]]) is found, tag
    assert doc["version"]["sha256"] == hashlib.sha256(body).hexdigest() and doc["version"]["size"] == len(body)

    # Download: whole, a range, a suffix, and a range past the end.
    whole = amy.get(f"/documents/{doc['id']}/content")
    assert whole.status_code == 200 and whole.content == body and whole.headers["accept-ranges"] == "bytes"
    part = amy.get(f"/documents/{doc['id']}/content", headers={"Range": "bytes=11-18"})
    assert part.status_code == 206 and part.content == body[11:19]
    assert part.headers["content-range"] == f"bytes 11-18/{len(body)}"
    tail = amy.get(f"/documents/{doc['id']}/content", headers={"Range": "bytes=-7"})
    assert tail.status_code == 206 and tail.content == body[-7:]
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
    assert v2["current_version"] == 2 and v2["version"]["content_type"] == "application/pdf"
    versions = ok(amy.get(f"/documents/{doc['id']}/versions"))
    assert [v["number"] for v in versions["items"]] == [2, 1] and versions["total"] == 2  # newest first
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
    assert v3["current_version"] == 3 and v3["title"] == renamed["title"] == "Amy's contract (signed)"

    # A copy of version 1 into another record: a new document that says where it came from.
    copy = ok(
        clerk.post(
            f"/documents/{doc['id']}/copy",
            json={"version": 1, "folder_id": folder["id"], "employee_id": "doc-ben", "title": "Template"},
        ),
        201,
    )
    assert (copy["copied_from_document_id"], copy["copied_from_version"]) == (doc["id"], 1)
    assert copy["version"]["sha256"] == doc["version"]["sha256"] and copy["employee_id"] == "doc-ben"
    assert ben.get(f"/documents/{copy['id']}/content").content == body

    # Bad uploads: empty, too large, a type that is not its content; nothing is left in storage.
    before = len(stored_files(files))
    assert "empty" in problem(upload(clerk, b"", "empty.txt"), 422)
    assert "limit" in problem(upload(clerk, b"x" * (LIMIT + 1), "big.txt"), 413)
    assert "declared application/pdf" in problem(upload(clerk, b"just text " * 50, "fake.pdf", "application/pdf"), 415)
    assert "declared text/plain" in problem(upload(clerk, signed, "fake.txt", "text/plain"), 415)
    assert "roles" in problem(upload(clerk, b"hello", "a.txt", roles="wizard"), 422)
    assert "does not exist" in problem(upload(clerk, b"hello", "a.txt", folder_id="nope"), 404)
    assert "multipart" in problem(clerk.post("/documents", content=b"raw", headers={"content-type": "text/plain"}), 415)
    # The file part first, the fields after it: the file keeps its own name and declared type.
    boundary = "b0undary"
    raw = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="fake.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\nonly text\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nA title\r\n--{boundary}--\r\n'
    ).encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    assert "fake.pdf is declared application/pdf" in problem(
        clerk.post("/documents", content=raw, headers=headers), 415
    )
    good = raw.replace(b"fake.pdf", b"notes.txt").replace(b"application/pdf", b"text/plain")
    first = ok(clerk.post("/documents", content=good, headers=headers), 201)
    assert (first["title"], first["version"]["filename"]) == ("A title", "notes.txt")
    truncated = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhalf a fi"
    ).encode()
    assert "ended before" in problem(clerk.post("/documents", content=truncated, headers=headers), 400)
    assert "malformed" in problem(clerk.post("/documents", content=b"--x\r\nbad\r\n\r\n", headers=headers), 400)
    assert len(stored_files(files)) == before + 1
    # Sharing is limited to roles one holds, on change as on upload.
    assert "roles you hold" in problem(clerk.patch(f"/documents/{first['id']}", json={"roles": ["hr", "payroll"]}), 403)
    assert ok(admin.patch(f"/documents/{first['id']}", json={"roles": ["hr", "payroll"]}))["roles"] == ["hr", "payroll"]

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
    assert actions[-1] == "file" and "new_version" in actions and actions.count("download") >= 5
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
