"""Waiting from synchronous test code: for a coroutine to finish, for an outcome to appear."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any


def run_async(coro: Any) -> Any:
    """Run a coroutine to completion from synchronous code, even inside a running loop."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def wait_for(check: Callable[[], Any], what: str, timeout_s: float = 30.0, interval_s: float = 0.1) -> Any:
    """Polls ``check`` until it returns something truthy (what an event caused elsewhere), and returns that."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout_s:.0f} s waiting for {what}"
        time.sleep(interval_s)
