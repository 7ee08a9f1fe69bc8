"""Folders nest by path, within what the path column holds; a name that exists or that the database cannot
store is refused with problem+json, never a 500."""

from __future__ import annotations

from pathlib import Path

from backoffice.testing import GatewayClient, ServiceStarter
from docskit import as_user, ok, problem, start_docs


def test_folders_nest_by_path_and_refuse_what_cannot_be_stored(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    g = gateway_client
    url = start_docs(start_service, tmp_path / "files").url
    clerk = as_user(g, url, g.make_user("doc-hr", ["hr"]))

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
