"""Helpers of the browser tests: the demo company's people, signing in through the console's own page, the
accessibility check (axe-core, injected from the console's packages) and screenshots."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from backoffice.suite import demo as demo_data
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
CONSOLE_DIST = ROOT / "console" / "dist"
AXE = ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"


@dataclass
class Person:
    login: str
    password: str
    who: str
    employee_id: str | None = None


@dataclass
class DemoCompany:
    gateway_url: str
    admin: Person
    people: dict[str, Person] = field(default_factory=dict)  # by given name: "Hana" (HR), "Eve" (employee) ...

    def api(self, person: Person) -> httpx.Client:
        """An API client signed in as this person (for the steps a test does not do through the console)."""
        client = httpx.Client(base_url=self.gateway_url, timeout=30)
        pair = client.post("/auth/login", json={"login": person.login, "password": person.password})
        assert pair.status_code == 200, pair.text
        client.headers["Authorization"] = f"Bearer {pair.json()['access_token']}"
        return client


def load_demo(gateway_url: str, admin_login: str, admin_password: str) -> DemoCompany:
    company = DemoCompany(gateway_url, Person(admin_login, admin_password, "administrator"))
    for login, password, who in demo_data.load(gateway_url, admin_login, admin_password, timeout_s=90):
        given = who.rsplit(": ", 1)[-1].split()[0]
        company.people[given] = Person(login, password, who)
    with httpx.Client(base_url=gateway_url, timeout=30) as client:
        for person in company.people.values():
            pair = client.post("/auth/login", json={"login": person.login, "password": person.password})
            if pair.status_code == 200:
                me = client.get("/auth/me", headers={"Authorization": f"Bearer {pair.json()['access_token']}"})
                person.employee_id = me.json().get("employee_id")
    return company


def sign_in(page: Page, person: Person, *, locale: str | None = None) -> None:
    """Sign in through the console's sign-in page, as a person would (optionally switching the language first)."""
    page.goto("/login")
    if locale:
        page.get_by_role("button", name=re.compile("Language|Idioma")).click()
        page.get_by_role("menuitem", name={"en": "English", "es": "Español"}[locale]).click()
    page.locator("input[name=login]").fill(person.login)
    page.locator("input[name=password]").fill(person.password)
    page.locator("form button[type=submit]").click()
    # The sign-in page has a <main> too: wait until the console has left it.
    expect(page).not_to_have_url(re.compile(r"/login(\?|$)"), timeout=30_000)
    expect(page.locator("#main-content, main").first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("status")).to_have_count(0, timeout=30_000)


def settle(page: Page, quiet_ms: int = 600, timeout_ms: int = 30_000) -> None:
    """The screen as a person sees it once it stops moving: nothing loading for a moment (the app bar's indicator,
    a list's bar), and no transition running (a dialog, a notification or a page still fading in would show axe
    half-transparent colours)."""
    indicator = page.locator("header .MuiCircularProgress-root, main .MuiLinearProgress-root")
    quiet = 0
    for _ in range(timeout_ms // 100):
        quiet = quiet + 100 if indicator.count() == 0 else 0
        if quiet >= quiet_ms:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the screen is still loading")
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect?.getComputedTiming().iterations === Infinity)",
        timeout=timeout_ms,
    )


def check_accessibility(page: Page, name: str) -> None:
    """axe-core on the page as shown, once settled: no serious or critical violation (WCAG 2.1 A and AA rules)."""
    settle(page)
    page.evaluate(AXE.read_text())  # evaluated, not a <script>: the console's CSP rightly refuses inline scripts
    result: dict[str, Any] = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in bad
    ]
    assert not bad, f"accessibility violations on {name}:\n{json.dumps(summary, indent=2)}"


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def untranslated_keys(page: Page) -> list[str]:
    """Translation keys shown as text (`app.menu.hr`, `resources.employees.name`, `hiring.board.title`): a missing
    translation. Any text of three or more dotted lower-case words not inside an e-mail address or a file name."""
    text = page.locator("body").inner_text()
    return re.findall(r"(?<![@\w.-])[a-z_]+(?:\.[a-z_]+){2,}(?![\w@-])", text)
