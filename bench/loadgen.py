"""A small HTTP/1.1 keep-alive load generator (asyncio sockets), run as its own process.

Usage: python bench/loadgen.py URL SECONDS CONNECTIONS [HEADER: value ...]
Prints JSON: requests, errors, requests_per_s, p50_ms, p99_ms.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


async def worker(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            writer.write(request)
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionResetError):
                # The server closed the kept-alive connection: open another one and go on.
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            length = 0
            status = int(head[9:12])
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if status >= 400:
                errors.append(status)
    finally:
        writer.close()


async def main(url: str, seconds: float, connections: int, headers: list[str]) -> None:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    extra = "".join(f"{h}\r\n" for h in headers)
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n".encode()
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(
            worker(parts.hostname or "127.0.0.1", parts.port or 80, request, deadline, latencies, errors)
            for _ in range(connections)
        )
    )
    took = time.perf_counter() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": len(errors),
                "requests_per_s": len(latencies) / took,
                "p50_ms": latencies[len(latencies) // 2] * 1000,
                "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]))
