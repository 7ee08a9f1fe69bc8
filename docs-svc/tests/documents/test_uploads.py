"""Bad uploads are answered with problem+json naming what to fix, and leave nothing behind in storage; sharing
is limited to the roles one holds."""

from __future__ import annotations

from pathlib import Path

from backoffice.testing import GatewayClient, ServiceStarter
from docskit import as_user, ok, pdf_with, problem, start_docs, stored_files, upload

LIMIT = 300_000


def test_bad_uploads_are_refused_and_leave_nothing_in_storage(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    g = gateway_client
    files = tmp_path / "files"
    url = start_docs(start_service, files, BACKOFFICE_DOCS_MAX_UPLOAD_BYTES=str(LIMIT)).url
    clerk = as_user(g, url, g.make_user("doc-hr", ["hr"]))
    admin = as_user(g, url, g.admin_token)
    signed = pdf_with("Signed contract of Amy Tester")

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
