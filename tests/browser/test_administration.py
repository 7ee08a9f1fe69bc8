"""Administration in a real browser, through the console only: the admin (root) gives a login a role, disables
and enables it and creates its activation link, and cannot take their own admin role away; a rename HR sent
without the family name is dead-lettered for real (published on the suite's NATS), and the admin corrects it
(an invalid correction shows its errors on the payload editor, a valid one is replayed and the login takes the
name); the health page, in Spanish. Every screen is checked with axe."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date
from typing import Any

import nats
from backoffice.shared.bus import Envelope
from backoffice.testing import Stack
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect

SLOW = 30_000  # an event on the bus, then the dead-letter list's next poll


def publish(nats_url: str, envelope: Envelope) -> None:
    """Publish as HR would, on the suite's own NATS (outside Playwright's event loop, in a thread)."""

    async def send() -> None:
        connection = await nats.connect(nats_url)
        try:
            headers = {"Nats-Msg-Id": envelope.id}
            await connection.jetstream().publish(envelope.type, envelope.to_json(), headers=headers)
        finally:
            await connection.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, send()).result(timeout=30)


def accessible(page: Page, name: str) -> None:
    check_accessibility(page, name)
    screenshot(page, name)
    assert untranslated_keys(page) == [], name


def test_admin_manages_a_login_and_replays_a_corrected_dead_letter(page: Page, demo: DemoCompany, stack: Stack) -> None:
    suffix = secrets.token_hex(3)
    login, employee_id = f"temp-clerk-{suffix}", f"emp-admin-{suffix}"
    with closing(demo.api(demo.admin)) as api:
        made = api.post(
            "/auth/users",
            json={
                "login": login,
                "email": f"{login}@example.com",
                "roles": ["employee"],
                "employee_id": employee_id,
                "name": "Tam Temp",
            },
        )
        assert made.status_code == 201, made.text
    user_id = made.json()["id"]
    # HR's rename arrives without the family name: the gateway cannot apply it and dead-letters it.
    data: dict[str, Any] = {
        "employee_id": employee_id,
        "effective_date": date.today().isoformat(),
        "changes": ["given_name", "family_name"],
        "given_name": "Tamsin",
        "email": f"{login}@example.com",
        "status": "active",
    }
    broken = Envelope.new("hr.employee_updated", source="hr", subject=employee_id, data=data)
    publish(stack.services["gateway"].env["BACKOFFICE_NATS_URL"], broken)

    sign_in(page, demo.admin)
    page.get_by_role("menuitem", name="Logins").click()
    expect(page).to_have_url(re.compile("/administration/logins"))
    page.get_by_placeholder("Login or e-mail").fill(login)
    row = page.get_by_role("row").filter(has_text=login)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tam Temp")
    accessible(page, "admin-logins")

    # A role, then disabled and enabled again.
    row.get_by_role("link", name=login).click()
    expect(page.get_by_role("heading", name=f"Tam Temp ({login})")).to_be_visible()
    page.get_by_role("checkbox", name="office clerk").check()
    page.get_by_role("button", name="Save the roles").click()
    expect(page.get_by_text(f"The roles of {login} were saved")).to_be_visible()
    page.get_by_role("button", name="Disable the login").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("every session it has ends at once")
    accessible(page, "admin-login-disable")
    dialog.get_by_role("button", name="Disable the login").click()
    expect(page.get_by_text(re.compile("This login is disabled: disabled by"))).to_be_visible()
    with closing(demo.api(demo.admin)) as api:
        stored = api.get(f"/auth/users/{user_id}").json()
        assert stored["roles"] == ["employee", "office"]
        assert stored["active"] is False
    page.get_by_role("button", name="Enable the login").click()
    expect(page.get_by_text("This login may sign in.")).to_be_visible()

    # Never activated: an activation link to hand over.
    page.get_by_role("button", name="Create an activation link").click()
    link = page.get_by_role("textbox", name="Activation link")
    expect(link).to_have_value(re.compile(r"/activate\?token=.{20,}"))
    accessible(page, "admin-login")

    # Root cannot take their own admin role away: the refusal is shown on the roles.
    page.get_by_role("menuitem", name="Logins").click()
    page.get_by_placeholder("Login or e-mail").fill(demo.admin.login)
    page.get_by_role("row").filter(has_text=f"{demo.admin.login}@").first.click()
    page.get_by_role("checkbox", name="employee", exact=True).check()
    page.get_by_role("checkbox", name="administrator").uncheck()
    page.get_by_role("button", name="Save the roles").click()
    roles = page.get_by_role("group", name="Roles")
    expect(roles).to_contain_text("you may not remove your own admin role")

    # The dead letter: an invalid correction shows its errors on the editor; a valid one is replayed.
    page.get_by_role("menuitem", name="Dead letters").click()
    letter = page.get_by_role("row").filter(has_text="gateway-employee_updated").filter(has_text="family_name")
    expect(letter.first).to_be_visible(timeout=SLOW)
    accessible(page, "admin-dead-letters")
    letter.first.get_by_role("button", name=re.compile("Open the dead letter")).click()
    dialog = page.get_by_role("dialog")
    editor = dialog.get_by_role("textbox", name="Payload (the event's envelope, JSON)")
    expect(editor).to_have_value(re.compile(employee_id))
    envelope = json.loads(editor.input_value())
    assert envelope["data"]["given_name"] == "Tamsin"
    wrong = {**envelope, "data": {**envelope["data"], "effective_date": "someday"}}
    editor.fill(json.dumps(wrong, indent=2))
    expect(dialog.get_by_role("button", name="Replay corrected")).to_be_disabled()
    dialog.get_by_role("button", name="Check the correction").click()
    errors = dialog.get_by_role("list", name="Errors in the payload")
    expect(errors).to_contain_text("data.family_name: Field required")
    expect(errors).to_contain_text("data.effective_date")
    expect(dialog.get_by_text("2 errors: correct them and check again")).to_be_visible()
    expect(editor).to_have_attribute("aria-invalid", "true")
    accessible(page, "admin-dead-letter-invalid")

    fixed = {**envelope, "data": {**envelope["data"], "family_name": "Kidd"}}
    editor.fill(json.dumps(fixed, indent=2))
    dialog.get_by_role("button", name="Check the correction").click()
    expect(dialog.get_by_text("The corrected payload matches the event's contract")).to_be_visible()
    dialog.get_by_role("button", name="Replay corrected").click()
    expect(page.get_by_text("The event was replayed.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Replayed").click()
    expect(page.get_by_role("row").filter(has_text="gateway-employee_updated").first).to_be_visible()

    # Its effect: the login carries the corrected name.
    page.get_by_role("menuitem", name="Logins").click()
    page.get_by_placeholder("Login or e-mail").fill(login)
    expect(page.get_by_role("row").filter(has_text=login)).to_contain_text("Tamsin Kidd")


def test_the_health_of_the_suite_in_spanish(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.admin, locale="es")
    page.get_by_role("menuitem", name="Estado", exact=True).click()
    expect(page.get_by_text("Todas las partes del sistema están listas.")).to_be_visible()
    table = page.get_by_role("table", name="Estado del sistema")
    for part in ("Pasarela", "RR. HH.", "Nóminas", "Soporte informático", "Documentos"):
        expect(table.get_by_role("row").filter(has_text=part)).to_contain_text("lista")
    expect(table.get_by_role("row")).to_have_count(6)
    accessible(page, "admin-health-es")
