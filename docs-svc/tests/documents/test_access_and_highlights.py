"""What the console shows beside a document: who has access to it and when retention takes it
(``GET /documents/{id}/access``), and where the words of a search are in each hit (highlights)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx
from backoffice.testing import GatewayClient, ServiceStarter
from docskit import as_user, ok, pdf_with, problem, start_docs, upload


def test_access_names_who_reads_and_when_retention_takes_it(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_docs(start_service, tmp_path / "files")
    g = gateway_client
    clerk = as_user(g, docs.url, g.make_user("acc-clerk", ["office"]))
    admin = httpx.Client(base_url=docs.url, headers=g.auth(g.admin_token), timeout=60)
    amy = as_user(g, docs.url, g.make_user("acc-amy", ["employee"], employee_id="acc-amy"))
    stranger = as_user(g, docs.url, g.make_user("acc-eve", ["employee"], employee_id="acc-eve"))

    doc = ok(upload(clerk, b"Visitor log", "log.txt", title="Visitor log", type="memo", roles="office"), 201)
    filed = datetime.fromisoformat(doc["created_at"])

    seen = ok(clerk.get(f"/documents/{doc['id']}/access"))
    assert seen["owner_user_id"] == doc["owner_user_id"]
    assert seen["roles"] == ["office"]
    assert seen["employee_id"] is None
    assert seen["ticket_readers"] == []
    assert seen["admins"] is True
    assert seen["you_may_change"] is True
    assert seen["you_may_hold"] is False
    assert seen["retention"] == {
        "legal_hold": False,
        "trash_after_days": None,
        "delete_after_days": None,
        "trash_on": None,
        "delete_on": None,
    }

    # A policy for the type gives the days; a hold stops both.
    ok(admin.put("/retention-policies/memo", json={"trash_after_days": 30, "delete_after_days": 365}))
    retention = ok(clerk.get(f"/documents/{doc['id']}/access"))["retention"]
    assert retention["trash_after_days"] == 30
    assert retention["delete_after_days"] == 365
    assert datetime.fromisoformat(retention["trash_on"]) == filed + timedelta(days=30)
    assert datetime.fromisoformat(retention["delete_on"]) == filed + timedelta(days=365)
    assert ok(admin.get(f"/documents/{doc['id']}/access"))["you_may_hold"] is True
    ok(admin.put(f"/documents/{doc['id']}/legal-hold", json={"hold": True, "reason": "audit 2026"}))
    held = ok(clerk.get(f"/documents/{doc['id']}/access"))["retention"]
    assert held["legal_hold"] is True
    assert held["trash_on"] is None
    assert held["delete_on"] is None

    # The employee a document concerns is named; they read its access, and cannot change it.
    letter = ok(upload(clerk, b"Hello Amy", "amy.txt", title="For Amy", employee_id="acc-amy"), 201)
    theirs = ok(amy.get(f"/documents/{letter['id']}/access"))
    assert theirs["employee_id"] == "acc-amy"
    assert theirs["you_may_change"] is False

    # Someone who may not read the document learns nothing.
    problem(stranger.get(f"/documents/{doc['id']}/access"), 404)
    problem(stranger.get("/documents/no-such-document/access"), 404)


def test_search_hits_say_where_the_words_are(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_docs(start_service, tmp_path / "files")
    g = gateway_client
    clerk = as_user(g, docs.url, g.make_user("hl-clerk", ["office"]))
    ok(
        upload(
            clerk,
            pdf_with("Minutes of the meeting. The Warehouse lease is renewed; the warehouse keys are at reception."),
            "minutes.pdf",
            "application/pdf",
            title="Lease minutes",
        ),
        201,
    )
    hits = ok(clerk.get("/search", params={"q": "lease wareho"}))["items"]
    assert len(hits) == 1
    hit = hits[0]

    def marked(text: str, spans: list[dict[str, int]]) -> list[str]:
        return [text[s["start"] : s["end"]] for s in spans]

    assert marked(hit["document"]["title"], hit["title_highlights"]) == ["Lease"]
    # Every word of the query in the snippet, as written there (case kept), the last one as the start of a word.
    assert sorted(set(marked(hit["snippet"], hit["snippet_highlights"]))) == ["Warehouse", "lease", "warehouse"]

    # Accents do not matter for the highlights either.
    ok(upload(clerk, b"Reunion du comite", "c.txt", title="Comité de direction"), 201)
    hit = ok(clerk.get("/search", params={"q": "comite"}))["items"][0]
    assert marked(hit["document"]["title"], hit["title_highlights"]) == ["Comité"]
    assert marked(hit["snippet"], hit["snippet_highlights"]) == ["comite"]
