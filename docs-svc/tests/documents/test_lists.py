"""Listings are pages (items, total, limit, offset), newest first where time matters; the audit log narrows to an
actor, a document, an action and a period of days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from backoffice.testing import GatewayClient, ServiceStarter
from docskit import ok, problem, upload


def test_audit_log_is_paged_newest_first_and_filtered(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client

    def client(token: str) -> httpx.Client:
        return httpx.Client(base_url=docs.url, headers=g.auth(token), timeout=60)

    hana = client(g.make_user("audit-hana", ["hr"]))
    hugo = client(g.make_user("audit-hugo", ["hr"]))
    admin = client(g.admin_token)
    first = ok(upload(hana, b"first", "first.txt", type="contract"), 201)
    second = ok(upload(hugo, b"second", "second.txt", type="contract"), 201)
    ok(hana.get(f"/documents/{second['id']}"))
    assert hana.get(f"/documents/{first['id']}/content").content == b"first"

    log = ok(admin.get("/audit"))
    assert (log["limit"], log["offset"]) == (200, 0)
    assert log["total"] == len(log["items"]) >= 4
    assert [a["at"] for a in log["items"]] == sorted((a["at"] for a in log["items"]), reverse=True)  # newest first
    assert (log["items"][0]["action"], log["items"][0]["document_id"]) == ("download", first["id"])
    hana_id = next(a["user_id"] for a in log["items"] if a["action"] == "file" and a["document_id"] == first["id"])

    # The actor: everything Hana did, and nothing else.
    hers = ok(admin.get("/audit", params={"user_id": hana_id}))
    assert {a["user_id"] for a in hers["items"]} == {hana_id}
    assert [(a["action"], a["document_id"]) for a in hers["items"]] == [
        ("download", first["id"]),
        ("read", second["id"]),
        ("file", first["id"]),
    ]
    # One document, and one action.
    about = ok(admin.get("/audit", params={"document_id": second["id"]}))
    assert {a["document_id"] for a in about["items"]} == {second["id"]}
    assert about["total"] == 2
    assert [a["action"] for a in about["items"]] == ["read", "file"]
    reads = ok(admin.get("/audit", params={"document_id": second["id"], "action": "read", "user_id": hana_id}))
    assert [a["action"] for a in reads["items"]] == ["read"]
    assert reads["total"] == 1
    # A page further on: the same order, the same total.
    page = ok(admin.get("/audit", params={"user_id": hana_id, "limit": 1, "offset": 1}))
    assert page["items"] == hers["items"][1:2]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)

    # The period: days, both included; a period without entries is an empty page.
    today = datetime.now(UTC).date()
    around = {"from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=1)).isoformat()}
    assert ok(admin.get("/audit", params={"user_id": hana_id, **around}))["total"] == 3
    later = ok(admin.get("/audit", params={"from": (today + timedelta(days=2)).isoformat()}))
    assert later["items"] == []
    assert later["total"] == 0
    assert ok(admin.get("/audit", params={"to": (today - timedelta(days=2)).isoformat()}))["total"] == 0
    # Dates are ISO days only, and a period ends after it starts.
    for bad in ("0", "1700000000", f"{today}T00:00:00", "09/11/2026"):
        assert "YYYY-MM-DD" in problem(admin.get("/audit", params={"from": bad}), 422)
    assert "before" in problem(admin.get("/audit", params=around | {"from": around["to"], "to": around["from"]}), 422)
    assert "limit" in problem(admin.get("/audit", params={"limit": 501}), 422)

    # A document's own trail takes the same filters, for those who may change it.
    trail = ok(hana.get(f"/documents/{second['id']}/audit", params={"user_id": hana_id}))
    assert [a["action"] for a in trail["items"]] == ["read"]
    assert trail["total"] == 1
    assert "admins" in problem(hana.get("/audit"), 403)
