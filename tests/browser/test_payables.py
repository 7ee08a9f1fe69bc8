"""Accounts payable in a real browser: Paul (payroll) adds a supplier with its bank details checked as typed, enters
two invoices of two suppliers (one with its scan), is warned when he enters one again, holds and releases one, and
cannot approve his own; a second accountant approves them. A payment run is proposed, one line left out, approved
by the other accountant and executed: the pain.001 bank file and the CSV carry the two transfers, and the
remittance advice of each is shown. Every screen passes the accessibility check, in English and in Spanish."""

from __future__ import annotations

import csv
import io
import re
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from backoffice.testing import ok
from consolekit import DemoCompany, Person, check_accessibility, screenshot, settle, sign_in, untranslated_keys
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

PAIN = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
TODAY = date.today()


def _check(page: Page, name: str) -> None:
    """The accessibility check once the screen has loaded, and a screenshot of it."""
    page.wait_for_timeout(700)  # a fetch the screen starts on showing puts the app bar's spinner up a moment later
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)
    screenshot(page, f"payables-{name.replace(' ', '-')}")


def _choose(page: Page, box: Locator, typed: str, option: str, *, chosen: Locator | None = None) -> None:
    """Pick ``option`` in an autocomplete that searches the API as one types. The search's answer re-renders the
    options (a click on the one shown before may land on nothing), so: wait for the screen to settle, click, check
    the choice was taken, and type again if it was not."""
    taken = chosen if chosen is not None else box
    for _ in range(4):
        box.click()
        box.fill("")
        box.press_sequentially(typed, delay=20)
        target = page.get_by_role("option", name=option, exact=True)
        try:
            expect(target).to_be_visible(timeout=15_000)
            settle(page)
            target.click(timeout=5_000)
            if chosen is None:
                expect(box).to_have_value(option, timeout=5_000)
            else:
                expect(taken).to_be_visible(timeout=5_000)
            return
        except (AssertionError, PlaywrightError):
            page.keyboard.press("Escape")
    raise AssertionError(f"the option {option!r} could not be chosen after typing {typed!r}")


def _second_accountant(demo: DemoCompany) -> Person:
    """Another login with the payroll role, made by the administrator (four eyes need two accountants)."""
    person = Person("ines.ap", "a long enough password for Ines", "payroll: Inés Prado")
    admin = demo.api(demo.admin)
    ok(
        admin.post(
            "/auth/users",
            json={
                "login": person.login,
                "email": "ines.ap@example.com",
                "roles": ["payroll"],
                "password": person.password,
                "name": "Inés Prado",
            },
        ),
        201,
    )
    return person


def _switch(page: Page, person: Person, *, locale: str | None = None) -> None:
    """Sign out (the refresh cookie goes; the access token lived in the page) and sign in as someone else."""
    page.context.clear_cookies()
    sign_in(page, person, locale=locale)


def _scan(path: Path) -> Path:
    """A small PNG: what a scanner might give."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * 8 for _ in range(8))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def _line(page: Page, index: int, description: str, quantity: str, price: str) -> None:
    page.locator(f"input[name='lines.{index}.description']").fill(description)
    page.locator(f"input[name='lines.{index}.quantity']").fill(quantity)
    page.locator(f"input[name='lines.{index}.unit_price']").fill(price)


def _new_invoice(page: Page, supplier: str, typed: str, number: str) -> None:
    page.get_by_role("menuitem", name="Supplier invoices").click()
    page.get_by_role("link", name="Create").click()
    _choose(page, page.get_by_role("combobox", name=re.compile("Supplier")), typed, supplier)
    page.locator("input[name=number]").fill(number)
    page.locator("input[name=invoice_date]").fill(TODAY.isoformat())
    page.locator("input[name=due_date]").fill(TODAY.isoformat())


def test_invoices_of_two_suppliers_are_approved_by_another_accountant_and_paid_by_a_run(
    page: Page, demo: DemoCompany, tmp_path: Path
) -> None:
    ines = _second_accountant(demo)
    paul = demo.people["Paul"]
    paul_api = demo.api(paul)
    luna = ok(
        paul_api.post(
            "/api/payroll/suppliers",
            json={"name": "Limpiezas Luna", "iban": "ES91 2100 0418 4502 0005 1332", "email": "luna@example.com"},
        ),
        201,
    )

    # A supplier: the IBAN's check digits and the BIC are checked as they are typed.
    sign_in(page, paul)
    page.get_by_role("menuitem", name="Suppliers").click()
    page.get_by_role("link", name="Create").click()
    page.locator("input[name=name]").fill("Papelería Sol")
    page.locator("input[name=iban]").fill("DE88 3704 0044 0532 0130 00")  # one digit wrong
    expect(page.get_by_text("The check digits do not match")).to_be_visible()
    page.locator("input[name=iban]").fill("DE89370400440532013000")
    expect(page.get_by_text("The check digits do not match")).to_have_count(0)
    expect(page.get_by_text("Check digits correct: DE89 3704 0044 0532 0130 00")).to_be_visible()
    page.locator("input[name=bic]").fill("COBADE0F")  # a test BIC: no bank file takes it
    expect(page.get_by_text("A bank file refuses this BIC")).to_be_visible()
    page.locator("input[name=bic]").fill("COBADEFFXXX")
    expect(page.get_by_text("A BIC a bank file can carry")).to_be_visible()
    page.locator("input[name=email]").fill("sol@example.com")
    _check(page, "new supplier")
    page.get_by_role("button", name="Save").click()
    # The supplier's page once saved (the form's own IBAN hint also reads "DE89": waiting for it would let the next
    # click race the redirect that follows the save).
    expect(page).to_have_url(re.compile(r"/payroll_suppliers/[^/]+/show"))
    expect(page.get_by_text("DE89")).to_be_visible()

    # The first invoice: lines added and removed, the total previewed exactly, a scan attached.
    _new_invoice(page, "Papelería Sol", "Papel", "PS-2026-101")
    add = page.get_by_role("button", name="Add", exact=True)
    for _ in range(3):
        add.click()
    _line(page, 0, "Printer paper", "10", "4.50")
    _line(page, 1, "Wrong line", "1", "99")
    _line(page, 2, "Pens", "3", "0.1")
    wrong = page.locator(".RaSimpleFormIterator-line").nth(1)
    wrong.hover()  # a line's remove button shows on hover
    wrong.get_by_role("button", name="Remove").click()
    expect(page.locator("input[name='lines.2.description']")).to_have_count(0)
    expect(page.get_by_text("Total once saved (computed as the API does, before saving): €45.30")).to_be_visible()
    page.locator("input[type=file]").set_input_files(_scan(tmp_path / "scan.png"))
    expect(page.get_by_text("scan.png")).to_be_visible()
    _check(page, "new invoice")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Invoice PS-2026-101 from Papelería Sol")).to_be_visible()
    expect(page.get_by_role("table", name="Lines of the invoice")).to_contain_text("€45.30")
    download_scan = page.get_by_role("button", name="Download PS-2026-101 scan.png")
    expect(download_scan).to_be_visible()
    with page.expect_download() as scan_download:
        download_scan.click()
    assert Path(scan_download.value.path()).read_bytes() == (tmp_path / "scan.png").read_bytes()
    # Four eyes: Paul entered it, so the button is off and says why.
    expect(page.get_by_role("button", name="Approve the invoice")).to_be_disabled()
    expect(page.get_by_text("You entered this invoice; another accountant must approve it.")).to_be_visible()
    _check(page, "own invoice")

    # The second, of the other supplier; held a while and released.
    _new_invoice(page, "Limpiezas Luna", "Limp", "LL-77")
    page.get_by_role("button", name="Add", exact=True).click()
    _line(page, 0, "Office cleaning, March", "1", "120.00")
    expect(page.get_by_text("€120.00")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Invoice LL-77 from Limpiezas Luna")).to_be_visible()
    page.get_by_role("button", name="Put on hold").click()
    dialog = page.get_by_role("dialog", name="Hold this invoice?")
    dialog.get_by_label("Reason").fill("Waiting for the signed delivery note")
    dialog.get_by_label("Release date").fill((TODAY + timedelta(days=7)).isoformat())
    _check(page, "hold dialog")
    dialog.get_by_role("button", name="Put on hold").click()
    expect(page.get_by_text("On hold: Waiting for the signed delivery note")).to_be_visible()
    page.get_by_role("menuitem", name="Supplier invoices").click()
    held_row = page.get_by_role("row").filter(has_text="LL-77")
    expect(held_row).to_contain_text("On hold: Waiting for the signed delivery note")
    _check(page, "invoices with a hold")
    held_row.get_by_role("cell").first.click()
    page.get_by_role("button", name="Release the hold").click()
    expect(page.get_by_role("button", name="Put on hold")).to_be_visible()
    expect(page.get_by_text("On hold:")).to_have_count(0)

    # The first again: warned before saving, and the API's refusal is shown on the number.
    _new_invoice(page, "Papelería Sol", "Papel", "PS-2026-101")
    warning = page.get_by_role("alert").filter(has_text="has an invoice with this number already")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("PS-2026-101")
    page.get_by_role("button", name="Add", exact=True).click()
    _line(page, 0, "Printer paper", "10", "4.60")
    _check(page, "duplicate warning")
    page.get_by_role("button", name="Save").click()
    number_error = page.locator(".MuiFormHelperText-root.Mui-error", has_text="was entered already")
    expect(number_error).to_be_visible()  # under the number field
    # Another number, but the same date and total: maybe the same paper invoice typed again.
    page.locator("input[name=number]").fill("PS-2026-101-B")
    page.locator("input[name='lines.0.unit_price']").fill("4.50")
    page.get_by_role("button", name="Add", exact=True).click()
    _line(page, 1, "Pens", "3", "0.1")
    expect(page.get_by_role("alert").filter(has_text="same date and total")).to_be_visible()

    # A third invoice, of Luna, approved by the administrator: the run proposes it, and it is left out.
    third = ok(
        paul_api.post(
            "/api/payroll/invoices",
            json={
                "supplier_id": luna["id"],
                "number": "LL-78",
                "invoice_date": TODAY.isoformat(),
                "due_date": TODAY.isoformat(),
                "lines": [{"description": "Windows", "unit_price": "9.99"}],
            },
        ),
        201,
    )
    ok(demo.api(demo.admin).post(f"/api/payroll/invoices/{third['id']}/approve"))

    # Inés approves Paul's two invoices.
    _switch(page, ines)
    for number in ("PS-2026-101", "LL-77"):
        page.get_by_role("menuitem", name="Supplier invoices").click()
        page.get_by_role("row").filter(has_text=number).get_by_role("cell").first.click()
        approve = page.get_by_role("button", name="Approve the invoice")
        expect(approve).to_be_enabled()
        if number == "PS-2026-101":
            _check(page, "invoice to approve")
        approve.click()
        page.get_by_role("dialog").get_by_role("button", name="Approve the invoice").click()
        expect(page.get_by_text(re.compile(r"approved by Inés Prado"))).to_be_visible()

    # Inés proposes the run for the two suppliers; she cannot approve her own proposal.
    page.get_by_role("menuitem", name="Payment runs").click()
    expect(page.get_by_role("link", name="Create")).to_be_visible()
    _check(page, "payment runs")
    page.get_by_role("link", name="Create").click()
    page.locator("input[name=due_by]").fill(TODAY.isoformat())
    suppliers = page.get_by_role("combobox", name="Suppliers")
    for name, typed in (("Papelería Sol", "Papel"), ("Limpiezas Luna", "Limp")):
        _choose(page, suppliers, typed, name, chosen=page.locator(".MuiChip-label", has_text=name))
    _check(page, "new payment run")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Payment run of"))).to_be_visible()
    lines = page.get_by_role("table", name="Invoices of the payment run, per supplier")
    expect(lines).to_contain_text("Paid to Limpiezas Luna€129.99")
    expect(lines).to_contain_text("Paid to Papelería Sol€45.30")
    expect(lines).to_contain_text("€175.29")
    page.get_by_role("button", name="Leave out invoice LL-78 of Limpiezas Luna").click()
    expect(lines).to_contain_text("Paid to Limpiezas Luna€120.00")
    expect(lines).to_contain_text("Left out")
    expect(lines).to_contain_text("€165.30")
    expect(page.get_by_role("button", name="Approve the payment run")).to_be_disabled()
    expect(page.get_by_text("You proposed this run; another accountant must approve it.")).to_be_visible()
    _check(page, "proposed payment run")
    run_url = page.url

    # Paul approves and executes it, and downloads the bank files.
    _switch(page, paul)
    page.goto(run_url)
    page.get_by_role("button", name="Approve the payment run").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve the payment run").click()
    expect(page.get_by_text("approved by Paul", exact=False)).to_be_visible()
    page.get_by_role("button", name="Execute: pay").click()
    expect(page.get_by_role("dialog")).to_contain_text("This cannot be undone")
    page.get_by_role("dialog").get_by_role("button", name="Execute: pay").click()
    expect(page.get_by_text("Executed", exact=False).first).to_be_visible()
    with page.expect_download() as bank_file:
        page.get_by_role("button", name="Download the bank file (pain.001 XML)").click()
    root = ElementTree.parse(bank_file.value.path()).getroot()
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", PAIN)
    assert header is not None
    assert header.findtext("p:NbOfTxs", namespaces=PAIN) == "2"
    assert Decimal(header.findtext("p:CtrlSum", namespaces=PAIN) or "") == Decimal("45.30") + Decimal("120.00")
    with page.expect_download() as transfers:
        page.get_by_role("button", name="Download the transfers (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(Path(transfers.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2
    assert sorted(Decimal(r["amount"]) for r in rows) == [Decimal("45.30"), Decimal("120.00")]
    # Docs files a remittance advice per transfer once the payment event reaches it.
    remittances = page.get_by_role("table", name="Remittance advice")
    expect(remittances.get_by_text(re.compile("^Filed"))).to_have_count(2, timeout=60_000)
    with page.expect_download() as advice:
        remittances.get_by_role("button", name="Download the advice to Papelería Sol").click()
    assert Path(advice.value.path()).read_bytes().startswith(b"%PDF")
    _check(page, "executed payment run")
    for number in ("PS-2026-101", "LL-77"):
        page.get_by_role("menuitem", name="Supplier invoices").click()
        expect(page.get_by_role("row").filter(has_text=number)).to_contain_text("Paid")

    # The ledger reads the approvals and the payments.
    page.get_by_role("menuitem", name="Journal").click()
    expect(page.get_by_role("row").filter(has_text="Payment to Papelería Sol").first).to_be_visible()
    _check(page, "journal")
    page.get_by_role("menuitem", name="Trial balance").click()
    expect(page.get_by_role("heading", name="Trial balance", level=2)).to_be_visible()
    _check(page, "trial balance")
    assert untranslated_keys(page) == []


def test_payables_screens_read_in_spanish(page: Page, demo: DemoCompany) -> None:
    # A run of its own to read: Paul proposed it, so the screen tells him someone else approves it.
    paul = demo.api(demo.people["Paul"])
    mar_body = {"name": "Ferretería Mar", "iban": "GB29NWBK60161331926819"}
    mar = ok(paul.post("/api/payroll/suppliers", json=mar_body), 201)
    invoice = ok(
        paul.post(
            "/api/payroll/invoices",
            json={
                "supplier_id": mar["id"],
                "number": "FM-1",
                "invoice_date": TODAY.isoformat(),
                "due_date": TODAY.isoformat(),
                "lines": [{"description": "Tornillos", "quantity": "100", "unit_price": "0.05"}],
            },
        ),
        201,
    )
    ok(demo.api(demo.admin).post(f"/api/payroll/invoices/{invoice['id']}/approve"))
    run = ok(
        paul.post(
            "/api/payroll/payment-runs",
            json={"execution_date": TODAY.isoformat(), "supplier_ids": [mar["id"]]},
        ),
        201,
    )

    sign_in(page, demo.people["Paul"], locale="es")
    page.get_by_role("menuitem", name="Remesas de pagos").click()
    expect(page.get_by_role("link", name="Crear")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Propuesta").first).to_be_visible()
    _check(page, "payment runs (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("link", name="Crear").click()
    expect(page.get_by_text("La remesa propone todas las facturas aprobadas")).to_be_visible()
    _check(page, "new payment run (es)")
    assert untranslated_keys(page) == []
    page.goto(f"/payroll_payment_runs/{run['id']}/show")
    expect(page.get_by_role("heading", name=re.compile("^Remesa de pagos del"))).to_be_visible()
    lines = page.get_by_role("table", name="Facturas de la remesa, por proveedor")
    expect(lines).to_contain_text("Pago a Ferretería Mar")
    expect(page.get_by_text("Usted propuso esta remesa; debe aprobarla otro contable.")).to_be_visible()
    _check(page, "payment run (es)")
    assert untranslated_keys(page) == []

    page.goto(f"/payroll_invoices/{invoice['id']}/show")
    expect(page.get_by_role("heading", name="Factura FM-1 de Ferretería Mar")).to_be_visible()
    expect(page.get_by_role("heading", name="Escaneos y adjuntos")).to_be_visible()
    _check(page, "invoice (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("menuitem", name="Facturas de proveedores").click()
    page.get_by_role("link", name="Crear").click()
    expect(page.locator("input[name=number]")).to_be_visible()  # the form, not the list's "Añadir filtro"
    page.get_by_role("button", name="Añadir", exact=True).click()
    _line(page, 0, "Papel", "2", "1.005")
    expect(page.get_by_text("Total al guardar")).to_contain_text("2,01")
    expect(page.get_by_text("Factura escaneada").first).to_be_visible()
    _check(page, "new invoice (es)")
    assert untranslated_keys(page) == []
