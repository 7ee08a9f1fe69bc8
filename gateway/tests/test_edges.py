"""The gateway's edges (issue 16 items 7, 8, 10, 18; issue 17 item 10): paths, Authorization headers, bodies,
kept-alive upstream connections and the headers of proxied answers."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from gatewaykit import METRICS_TOKEN, Gateway, GatewayStarter

MB = 1024 * 1024


def raw_request(url: str, request: bytes, *, body: int = 0, timeout_s: float = 20) -> bytes:
    """Sends ``request`` as written (no client normalises its path or merges its headers), then up to ``body`` bytes
    of spaces while the server has not answered, and returns what the server answered."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout_s) as sock:
        sock.sendall(request)
        block, sent = b" " * 65536, 0
        while sent < body and not select.select([sock], [], [], 0)[0]:
            try:
                sent += sock.send(block[: body - sent])
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
            head, _, rest = answer.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(rest) < length:
                data = sock.recv(65536)
                if not data:
                    break
                rest += data
            return head + b"\r\n\r\n" + rest
        except ConnectionResetError:
            return answer


def get(gateway: Gateway, path: str, headers: str = "") -> tuple[int, bytes]:
    """The status and body of ``GET path`` sent as written; a problem+json unless it is a 200."""
    answer = raw_request(gateway.url, f"GET {path} HTTP/1.1\r\nHost: gw\r\n{headers}Connection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert status == 200 or b"content-type: application/problem+json" in head.lower(), answer[:500]
    return status, body


@pytest.fixture
def edge_gateway(start_gateway: GatewayStarter) -> Gateway:
    return start_gateway(
        {
            "BACKOFFICE_GATEWAY_MAX_JSON_BODY_BYTES": str(MB),
            "BACKOFFICE_GATEWAY_MAX_UPLOAD_BODY_BYTES": str(8 * MB),
            "BACKOFFICE_GATEWAY_UPLOAD_ROUTES": '["^/api/docs/upload$"]',
        }
    )


def test_dot_segments_are_removed_before_routing_and_what_remains_is_refused(edge_gateway: Gateway) -> None:
    auth = f"Authorization: Bearer {edge_gateway.admin_token}\r\n"
    for path in ("/api/docs/./metrics", "/api/docs/x/../metrics", "/api/docs/x/./../metrics", "/api/docs//metrics"):
        status, body = get(edge_gateway, path, auth)
        assert status == 404, (path, status, body)
        assert b"internal network" in body, (path, status, body)
    # Normalised, a path routes as its clean form does.
    status, body = get(edge_gateway, "/api/docs/x/../echo/./a", auth)
    assert status == 200, body
    assert b'"path": "/echo/a"' in body, body
    # The gateway's own metrics are not reached by climbing out of /api either.
    status, body = get(edge_gateway, "/api/docs/../../metrics")
    assert status == 401, body
    for path in (
        "/api/docs/%2e%2e/metrics",
        "/api/docs/%2E/metrics",
        "/api/docs/a%2Fb",
        "/api/docs/a%5cb",
        "/api/docs/a\\b",
    ):
        status, body = get(edge_gateway, path, auth)
        assert status == 400, (path, status, body)
        assert b"path" in body, (path, status, body)


def test_the_gateway_metrics_need_the_scrape_token(edge_gateway: Gateway, start_gateway: GatewayStarter) -> None:
    anonymous = httpx.get(f"{edge_gateway.url}/metrics")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert "BACKOFFICE_GATEWAY_METRICS_TOKEN" in anonymous.json()["detail"]
    as_admin = httpx.get(f"{edge_gateway.url}/metrics", headers=edge_gateway.auth(edge_gateway.admin_token))
    assert as_admin.status_code == 401  # a user's token is not the scrape token
    scraped = httpx.get(f"{edge_gateway.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert scraped.status_code == 200
    assert "backoffice_http_request_duration_seconds" in scraped.text


def test_two_authorization_headers_are_refused(edge_gateway: Gateway) -> None:
    token = edge_gateway.admin_token
    for path in ("/api/docs/echo", "/auth/me"):
        answer = raw_request(
            edge_gateway.url,
            f"GET {path} HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer {token}\r\nAuthorization: Basic eA==\r\n"
            "Connection: close\r\n\r\n".encode(),
        )
        assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
        assert b"application/problem+json" in answer
        assert b"one Authorization header" in answer
    one = httpx.get(f"{edge_gateway.url}/api/docs/echo", headers=edge_gateway.auth(token))
    assert one.status_code == 200
    assert one.json()["headers"]["authorization"] == [f"Bearer {token}"]


def test_anonymous_bodies_are_refused_before_they_are_read(edge_gateway: Gateway) -> None:
    for path in ("/auth/users", "/api/docs/echo"):
        request = (
            f"POST {path} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: {32 * MB}\r\n\r\n"
        )
        start = time.perf_counter()
        answer = raw_request(edge_gateway.url, request.encode(), body=32 * MB)
        took = time.perf_counter() - start
        print(f"anonymous 32 MiB to {path}: {answer[:12].decode()} in {took * 1000:.1f} ms")
        assert answer.startswith(b"HTTP/1.1 401"), answer[:300]
        assert b"application/problem+json" in answer
        assert took < 0.5
    forged = httpx.post(
        f"{edge_gateway.url}/auth/users", content=b"{}", headers={"Authorization": "Bearer not.a.token"}
    )
    assert forged.status_code == 401
    # Public routes keep working without a caller; a caller's body goes through.
    assert edge_gateway.login("root", "wrong password").status_code == 401
    echoed = httpx.post(
        f"{edge_gateway.url}/api/docs/echo", content=b'{"a": 1}', headers=edge_gateway.auth(edge_gateway.admin_token)
    )
    assert echoed.status_code == 200
    assert echoed.json()["body_bytes"] == len(b'{"a": 1}')


def test_bodies_are_capped_per_route_while_streaming(edge_gateway: Gateway) -> None:
    auth = edge_gateway.auth(edge_gateway.admin_token)
    echo, upload = f"{edge_gateway.url}/api/docs/echo", f"{edge_gateway.url}/api/docs/upload"
    declared = httpx.post(echo, content=b"x" * (MB + 1), headers=auth)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert "1048576" in declared.json()["detail"]

    def chunks(total: int) -> Iterator[bytes]:
        block = b"y" * 65536
        for _ in range(total // len(block)):
            yield block

    streamed = httpx.post(echo, content=chunks(2 * MB), headers=auth)  # chunked: no Content-Length to judge by
    assert streamed.status_code == 413, streamed.text
    assert httpx.post(echo, content=b"x" * MB, headers=auth).json()["body_bytes"] == MB
    assert httpx.post(upload, content=chunks(4 * MB), headers=auth).json()["bytes"] == 4 * MB
    too_big = httpx.post(upload, content=chunks(9 * MB), headers=auth)
    assert too_big.status_code == 413
    assert str(8 * MB) in too_big.json()["detail"]
    own = httpx.post(f"{edge_gateway.url}/auth/login", content=b"x" * (MB + 1))
    assert own.status_code == 413
    assert httpx.get(echo, headers=auth).status_code == 200  # the upstream is not counted as failing


def test_an_upstream_500_does_not_break_the_next_requests(edge_gateway: Gateway) -> None:
    auth = edge_gateway.auth(edge_gateway.admin_token)
    with httpx.Client(base_url=edge_gateway.url, headers=auth, timeout=10) as client:
        statuses = []
        for i in range(10):
            assert client.get("/api/docs/crash").status_code == 500
            posted = client.post("/api/docs/echo", json={"n": i})
            statuses.append(posted.status_code)
            if posted.status_code == 200:
                assert posted.json()["method"] == "POST"
        assert statuses == [200] * 10, statuses


def test_proxied_answers_carry_one_date_and_one_server(edge_gateway: Gateway) -> None:
    answer = raw_request(
        edge_gateway.url,
        f"GET /api/docs/echo HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer {edge_gateway.admin_token}\r\n"
        "Connection: close\r\n\r\n".encode(),
    )
    head = answer.partition(b"\r\n\r\n")[0].lower().split(b"\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert sum(line.startswith(b"date:") for line in head) == 1, head
    assert sum(line.startswith(b"server:") for line in head) == 1, head


def test_another_method_on_metrics_is_a_405_not_a_401(edge_gateway: Gateway) -> None:
    for method in ("TRACE", "POST", "DELETE"):
        answer = raw_request(
            edge_gateway.url, f"{method} /metrics HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n".encode()
        )
        head = answer.partition(b"\r\n\r\n")[0].lower()
        assert head.split(b" ", 2)[1] == b"405", answer[:300]
        assert b"allow: get" in head, answer[:300]
    assert get(edge_gateway, "/metrics")[0] == 401  # a scrape without the token
