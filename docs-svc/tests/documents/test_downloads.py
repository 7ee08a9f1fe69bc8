"""Downloads as a browser uses them (RFC 9110): an invalid Range is ignored, If-None-Match with the current ETag
answers 304, HEAD gives a download's headers without its body; the security headers hold on every answer."""

from __future__ import annotations

from pathlib import Path

import httpx
from backoffice.testing import GatewayClient, ServiceStarter
from docskit import ok, problem, upload

SECURITY = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
    "content-disposition": "attachment; filename*=UTF-8''page.html",
}


def test_invalid_range_if_none_match_and_head(
    gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client
    amy = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("dl-amy", ["employee"], employee_id="dl-amy")))
    ben = httpx.Client(base_url=docs.url, headers=g.auth(g.make_user("dl-ben", ["employee"], employee_id="dl-ben")))
    body = b"<html><body>" + b"0123456789" * 10 + b"</body></html>"
    doc = ok(upload(amy, body, "page.html", "text/html"), 201)
    url = f"/documents/{doc['id']}/content"
    etag = f'"{doc["version"]["sha256"]}"'

    def security_headers(response: httpx.Response) -> None:
        for name, value in SECURITY.items():
            assert response.headers[name] == value, (name, response.status_code)

    # An invalid range (the last byte before the first) is ignored: the whole file, 200.
    for invalid in ("bytes=5-2", "bytes=100-3"):
        whole = amy.get(url, headers={"Range": invalid})
        assert whole.status_code == 200, invalid
        assert whole.content == body, invalid
        assert "content-range" not in whole.headers
        security_headers(whole)
    part = amy.get(url, headers={"Range": "bytes=2-5"})  # valid ranges still work, and one past the end is a 416
    assert part.status_code == 206
    assert part.content == body[2:6]
    assert "has" in problem(amy.get(url, headers={"Range": f"bytes={len(body)}-{len(body) + 5}"}), 416)

    # If-None-Match with the current ETag: 304, no body, the ETag again; a weak or listed match counts too.
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        same = amy.get(url, headers={"If-None-Match": header, "Range": "bytes=0-3"})
        assert same.status_code == 304, header
        assert same.content == b"", header
        assert same.headers["etag"] == etag
        security_headers(same)
    changed = amy.get(url, headers={"If-None-Match": '"not-this-one"'})
    assert changed.status_code == 200
    assert changed.content == body
    assert problem(ben.get(url, headers={"If-None-Match": etag}), 404)  # a 304 tells no one else it exists

    # HEAD: the download's headers (length, type, ETag, security) without the body; ranges and 304 alike.
    head = amy.head(url)
    full = amy.get(url)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-length", "content-type", "etag", "accept-ranges", *SECURITY):
        assert head.headers[name] == full.headers[name], name
    assert head.headers["content-type"] == "application/octet-stream"  # HTML is served inert
    assert head.headers["content-length"] == str(len(body))
    ranged = amy.head(url, headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206
    assert ranged.content == b""
    assert ranged.headers["content-range"] == f"bytes 10-19/{len(body)}"
    assert ranged.headers["content-length"] == "10"
    assert amy.head(url, headers={"If-None-Match": etag}).status_code == 304
    assert amy.head(url, params={"version": 1}).status_code == 200
    assert ben.head(url).status_code == 404
    assert amy.head(f"/documents/{doc['id']}x/content").status_code == 404
