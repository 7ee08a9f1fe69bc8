"""Browser tests of the console: the real suite (processes, NATS, the database under test) with the built console
served by its gateway, driven in the machine's Chromium through Playwright, signed in as the demo company's people.

Chromium is Debian's `chromium` package (Playwright cannot download a browser on these machines): `.ci/run`
installs it when missing; elsewhere set BACKOFFICE_CHROMIUM to a Chromium binary, or the tests skip saying so.
Each test's screenshots go to var/screenshots/ (the README's pictures are taken from there)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from backoffice.testing import ADMIN_PASSWORD, Stack, create_admin, free_port, local_stack
from backoffice.testing.mail import PASSWORD, USER, MailServer, make_certificate
from consolekit import CONSOLE_DIST, DemoCompany, load_demo
from playwright.sync_api import Browser, BrowserType, Page, Playwright, expect, sync_playwright

# The machine running the suite is shared and often loaded: wait for a screen longer than Playwright's 5 s.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("BACKOFFICE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# As root in a sandbox without a network: no sandboxing of its own, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="no Chromium: install Debian's chromium package or set BACKOFFICE_CHROMIUM")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(stack: Stack) -> dict[str, Any]:
    # pytest-playwright's own asks for its session-long Playwright (for --device): not used here.
    return {"base_url": stack.gateway_url, "locale": "en-GB", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    """A real SMTP server (aiosmtpd: STARTTLS, login) the stack's docs service sends through; its ``inbox`` holds
    what it accepted (test_documents.py sends a document and reads it there)."""
    cert, key = make_certificate(tmp_path_factory.mktemp("smtp"))
    server = MailServer(free_port(), cert, key)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, mail_server: MailServer) -> Iterator[Stack]:
    """A suite of the browser tests' own (the demo company is loaded into it), beside the one other tests share.
    Its docs service sends e-mail through ``mail_server``, looking for waiting deliveries every half second."""
    assert (CONSOLE_DIST / "index.html").exists(), "the console is not built: run `make console` (make test does)"
    env = {
        "BACKOFFICE_DOCS_SMTP_HOST": "127.0.0.1",
        "BACKOFFICE_DOCS_SMTP_PORT": str(mail_server.port),
        "BACKOFFICE_DOCS_SMTP_USERNAME": USER,
        "BACKOFFICE_DOCS_SMTP_PASSWORD": PASSWORD,
        "BACKOFFICE_DOCS_SMTP_CA_FILE": str(mail_server.cert),
        "BACKOFFICE_DOCS_DELIVERY_INTERVAL_S": "0.5",
        "BACKOFFICE_GATEWAY_CONSOLE_DIR": str(CONSOLE_DIST),
        # Every person signs in from 127.0.0.1: the per-address limits are raised (the per-login ones are not).
        "BACKOFFICE_GATEWAY_RATE_LIMITS": json.dumps(
            [
                {"prefix": "/api/", "per_user": "6000/minute", "per_address": "12000/minute"},
                {"prefix": "/auth/", "per_address": "1200/minute"},
            ]
        ),
    }
    with local_stack(tmp_path_factory.mktemp("browser-stack"), env) as running:
        yield running


@pytest.fixture(scope="session")
def demo(stack: Stack) -> DemoCompany:
    if stack.mode != "local":
        pytest.skip("the browser tests start the suite as processes")
    create_admin(stack.services["gateway"], "root", ADMIN_PASSWORD)
    return load_demo(stack.gateway_url, "root", ADMIN_PASSWORD)


@pytest.fixture(autouse=True)
def _patient_page(request: pytest.FixtureRequest) -> None:
    if "page" in request.fixturenames:
        page: Page = request.getfixturevalue("page")
        page.set_default_timeout(30_000)


# Playwright's sync API runs an event loop in this thread while it is started. pytest-playwright keeps it started
# for the whole session, so every test collected after the browser tests that calls asyncio.run() would fail
# ("cannot be called from a running event loop"). Here it lives for one test module at a time instead: Chromium
# starts once per module (about a second).
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    started = sync_playwright().start()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    found: BrowserType = getattr(playwright, browser_name)
    return found


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args: dict[str, Any], browser_type: BrowserType) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    started = launch_browser()
    yield started
    started.close()
