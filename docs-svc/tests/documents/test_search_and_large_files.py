"""Full-text search over titles, metadata and the text of plain, PDF and DOCX files, ranked and filtered, on
whichever database the tests run (FTS5 or PostgreSQL); and a 200 MB upload and download with flat memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from docskit import docx_with, ok, pdf_with, peak_rss_mb, problem, upload


def test_search_ranks_and_filters_what_the_caller_may_read(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client
    hr = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("s-hr", ["hr"])), timeout=60)
    amy = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("s-amy", ["employee"], employee_id="doc-amy")))
    folder = ok(hr.post("/folders", json={"name": "Policies"}), 201)

    in_title = ok(
        upload(
            hr,
            b"Rules for everyone.",
            "a.txt",
            title="Overtime policy",
            type="policy",
            tags="handbook",
            folder_id=folder["id"],
        ),
        201,
    )
    in_body = ok(
        upload(
            hr,
            b"Travel rules. Overtime is paid at 125 percent after 40 hours.",
            "b.txt",
            title="Travel policy",
            type="policy",
        ),
        201,
    )
    in_pdf = ok(
        upload(
            hr,
            pdf_with("Quarterly overtime report for the warehouse"),
            "r.pdf",
            "application/pdf",
            title="Warehouse report",
            type="report",
            employee_id="doc-amy",
        ),
        201,
    )
    in_docx = ok(
        upload(
            hr,
            docx_with("Minutes\nThe committee discussed the overtime budget."),
            "m.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            title="Committee minutes",
            type="minutes",
        ),
        201,
    )
    ok(upload(hr, b"Nothing to see here about leave.", "c.txt", title="Leave policy", type="policy"), 201)

    hits = ok(hr.get("/search", params={"q": "overtime"}))
    ids = [h["document"]["id"] for h in hits["items"]]
    assert hits["total"] == 4
    assert ids[0] == in_title["id"]  # the title weighs most
    assert set(ids) == {in_title["id"], in_body["id"], in_pdf["id"], in_docx["id"]}
    scores = [h["score"] for h in hits["items"]]
    assert scores == sorted(scores, reverse=True)
    body_hit = next(h for h in hits["items"] if h["document"]["id"] == in_body["id"])
    assert "Overtime is paid at 125 percent" in body_hit["snippet"]

    # Every word must match; the last may be the start of a word; accents and case do not matter.
    assert [h["document"]["id"] for h in ok(hr.get("/search", params={"q": "overtime warehouse"}))["items"]] == [
        in_pdf["id"]
    ]
    assert {h["document"]["id"] for h in ok(hr.get("/search", params={"q": "committee budg"}))["items"]} == {
        in_docx["id"]
    }
    assert ok(hr.get("/search", params={"q": "OVERTIME Pólicy"}))["total"] == 2
    # Filters: type, tag, folder, employee, date.
    assert ok(hr.get("/search", params={"q": "overtime", "type": "policy"}))["total"] == 2
    assert [
        h["document"]["id"] for h in ok(hr.get("/search", params={"q": "overtime", "tag": "handbook"}))["items"]
    ] == [in_title["id"]]
    assert ok(hr.get("/search", params={"q": "overtime", "folder_id": folder["id"]}))["total"] == 1
    assert ok(hr.get("/search", params={"q": "overtime", "employee_id": "doc-amy"}))["total"] == 1
    assert ok(hr.get("/search", params={"q": "overtime", "created_from": "2099-01-01T00:00:00Z"}))["total"] == 0
    assert "timezone" in problem(hr.get("/search", params={"q": "x", "created_from": "2026-01-01T00:00:00"}), 422)
    # Only what the caller may read: amy finds her report, not HR's policies.
    assert [h["document"]["id"] for h in ok(amy.get("/search", params={"q": "overtime"}))["items"]] == [in_pdf["id"]]
    # Punctuation is not syntax; nothing to search for is a 422.
    assert ok(hr.get("/search", params={"q": 'overtime" OR NOT *'}))["total"] >= 0
    assert "at least one word" in problem(hr.get("/search", params={"q": "?!"}), 422)
    # Renaming re-indexes.
    ok(hr.patch(f"/documents/{in_body['id']}", json={"title": "Expenses guide"}))
    assert ok(hr.get("/search", params={"q": "expenses"}))["items"][0]["document"]["id"] == in_body["id"]
    assert ok(hr.get("/search", params={"q": "travel"}))["total"] == 1  # still in its text


def test_a_200_mb_upload_and_download_keep_memory_flat(
    gateway_client: GatewayClient, start_service: ServiceStarter, own_nats: NatsServer, tmp_path: Path
) -> None:
    # A NATS of its own: no other test's events to turn into documents while memory is measured.
    docs = start_service("docs", nats_url=own_nats.url, env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    client = httpx.Client(base_url=docs.url, headers=gateway_client.auth(gateway_client.admin_token), timeout=300)
    size = 200 * 1024 * 1024
    big = tmp_path / "big.bin"
    digest = hashlib.sha256()
    block = os.urandom(1024 * 1024)
    with open(big, "wb") as file:
        for n in range(size // len(block)):
            chunk = block[:-4] + n.to_bytes(4, "big")
            digest.update(chunk)
            file.write(chunk)
    before = peak_rss_mb(docs.proc.pid)
    with open(big, "rb") as file:
        doc = ok(upload(client, file, "big.bin", "application/octet-stream", title="Backup"), 201)
    assert doc["version"]["size"] == size
    assert doc["version"]["sha256"] == digest.hexdigest()
    received = hashlib.sha256()
    with client.stream("GET", f"/documents/{doc['id']}/content") as response:
        assert response.status_code == 200
        for chunk in response.iter_bytes():
            received.update(chunk)
    assert received.hexdigest() == digest.hexdigest()
    grown = peak_rss_mb(docs.proc.pid) - before
    print(f"200 MB upload and download: peak RSS grew by {grown:.1f} MiB")
    assert grown < 64, f"the service's peak memory grew by {grown:.0f} MiB for a 200 MB file"
