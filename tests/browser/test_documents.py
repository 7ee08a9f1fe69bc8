"""The office's documents in a real browser: the office clerk (Omar) files a PDF into a folder by dropping it on
the page, finds it by a word inside it (the word marked in the results), previews it, copies it to another folder,
tags it, files a signed version and downloads the first, and e-mails it through a real SMTP server (aiosmtpd,
started for the browser tests' stack in conftest.py), then sees the delivery "delivered" without reloading; the
server received the PDF. The folders screen is checked in Spanish too. Every screen passes axe (no serious or
critical violation)."""

from __future__ import annotations

import base64
import re
import time
import uuid

from backoffice.testing.mail import MailServer
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from fpdf import FPDF
from playwright.sync_api import Browser, Page, expect


def pdf_with(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def test_the_clerk_files_finds_copies_and_emails_a_pdf(
    page: Page, browser: Browser, demo: DemoCompany, mail_server: MailServer
) -> None:
    omar = demo.people["Omar"]
    run = uuid.uuid4().hex[:6]
    word = f"quillwort{run}"  # a word only this run's PDF holds
    inbound, archive = f"Inbound {run}", f"Archive {run}"
    recipient = f"lawyer-{run}@example.org"
    content = pdf_with(f"Lease of the north warehouse. The {word} clause applies from March.")

    api = demo.api(omar)  # the second folder exists already; the first is made on screen
    made = api.post("/api/docs/folders", json={"name": archive})
    assert made.status_code == 201, made.text
    api.close()

    sign_in(page, omar)
    page.get_by_role("menuitem", name="Documents").click()
    expect(page.get_by_role("heading", name="Folders")).to_be_visible()

    # A new folder, from the tree.
    page.get_by_role("button", name="New folder").click()
    page.get_by_role("dialog").get_by_label("Folder name").fill(inbound)
    page.get_by_role("dialog").get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"/{inbound}")).to_be_visible()
    folders = page.get_by_role("navigation", name="Folders")
    expect(folders.get_by_role("button", name=inbound)).to_have_attribute("aria-current", "true")
    check_accessibility(page, "documents folder")

    # Dropped on the page: a real drop event carrying the file, uploaded with its progress shown.
    transfer = page.evaluate_handle(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
            return transfer;
        }""",
        ["north-lease.pdf", base64.b64encode(content).decode()],
    )
    page.get_by_test_id("drop-zone").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.get_by_text("north-lease.pdf filed")).to_be_visible()
    expect(page.get_by_role("link", name="north-lease.pdf")).to_be_visible()
    screenshot(page, "documents-folder")

    # Found by a word inside the PDF, the word marked.
    page.get_by_role("searchbox", name="Search in documents").fill(word)
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("list", name="Search results")
    expect(results.get_by_role("link", name="north-lease.pdf")).to_be_visible()
    expect(results.locator("mark")).to_have_text([word])
    expect(page.get_by_role("heading", name=re.compile("One match for"))).to_be_visible()
    check_accessibility(page, "documents search")
    screenshot(page, "documents-search")

    # Its page: the PDF shown in the page.
    results.get_by_role("link", name="north-lease.pdf").click()
    expect(page.get_by_role("heading", name="north-lease.pdf", level=1)).to_be_visible()
    page.get_by_role("button", name="Show the PDF").click()
    expect(page.locator("iframe[title='north-lease.pdf']")).to_be_visible()
    access = page.get_by_role("region", name="Who has access")
    expect(access).to_contain_text("Omar")
    expect(access).to_contain_text("You may read and change this document.")

    # Copied to the other folder.
    copy = page.get_by_role("region", name="Copy to another folder")
    copy.get_by_role("combobox", name="Folder").click()
    page.get_by_role("option", name=f"/{archive}").click()
    copy.get_by_role("button", name="Copy", exact=True).click()
    expect(copy.get_by_text(f"Copied to /{archive}.")).to_be_visible()

    # Tagged, and a signed version filed through the file input (the keyboard's way): both versions downloadable.
    tags = page.get_by_role("region", name="Tags")
    new_tag, add_tag = tags.get_by_label("New tag"), tags.get_by_role("button", name="Add tag")
    new_tag.fill("Lease")
    add_tag.click()
    added = tags.get_by_role("button", name="lease")
    try:
        expect(added).to_be_visible(timeout=10_000)
    except AssertionError:
        # The copy's refetch re-renders the page: a click on the button it replaces is lost (once in CI, under
        # load), and the tag is then still typed in its field. Once more.
        if new_tag.input_value() == "Lease":
            add_tag.click()
        expect(added).to_be_visible()
    signed = pdf_with(f"Lease of the north warehouse, signed. The {word} clause applies from March.")
    versions = page.get_by_role("region", name="Versions")
    versions.locator("input[type=file]").set_input_files(
        {"name": "north-lease.pdf", "mimeType": "application/pdf", "buffer": signed}
    )
    expect(versions.get_by_role("button", name="Download version 2")).to_be_visible()
    expect(versions.get_by_role("button", name="Download version 1")).to_be_visible()
    with page.expect_download() as downloading:
        versions.get_by_role("button", name="Download version 1").click()
    first = downloading.value.path()
    assert first is not None
    assert first.read_bytes() == content

    # E-mailed: queued, then delivered as the page polls, without a reload.
    send = page.get_by_role("region", name="Send by e-mail or fax")
    send.get_by_label("E-mail address").fill(recipient)
    send.get_by_label("Recipient's name").fill("Ana Lawyer")
    send.get_by_label("Message").fill("The signed lease, as promised.")
    send.get_by_role("button", name="Send", exact=True).click()
    delivery = send.get_by_test_id("delivery").filter(has_text=recipient)
    expect(delivery).to_be_visible()
    expect(delivery.get_by_text("delivered")).to_be_visible(timeout=60_000)
    expect(delivery).to_contain_text("1")  # one attempt
    audit = page.get_by_role("region", name="Audit trail")
    expect(audit).to_contain_text("sending asked for")
    check_accessibility(page, "document")
    screenshot(page, "document")
    assert untranslated_keys(page) == []

    deadline = time.monotonic() + 10
    while not mail_server.to(recipient) and time.monotonic() < deadline:
        time.sleep(0.2)
    [message] = mail_server.to(recipient)
    assert message["To"] == f"Ana Lawyer <{recipient}>"
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [a.get_filename() for a in attachments] == ["north-lease.pdf"]
    assert attachments[0].get_payload(decode=True) == signed  # the current version

    # The copy is in the other folder.
    page.get_by_role("link", name=re.compile("^Back to")).click()
    page.get_by_role("navigation", name="Folders").get_by_role("button", name=archive).click()
    expect(page.get_by_role("heading", name=f"/{archive}")).to_be_visible()
    expect(page.get_by_role("link", name="north-lease.pdf")).to_be_visible()

    # The same screens in Spanish.
    context = browser.new_context(base_url=demo.gateway_url, locale="es-ES", viewport={"width": 1280, "height": 800})
    spanish = context.new_page()
    try:
        sign_in(spanish, omar, locale="es")
        spanish.get_by_role("menuitem", name="Documentos").click()
        spanish.get_by_role("navigation", name="Carpetas").get_by_role("button", name=archive).click()
        expect(spanish.get_by_role("heading", name=f"/{archive}")).to_be_visible()
        expect(spanish.get_by_text("Suelte aquí los archivos")).to_be_visible()
        spanish.get_by_role("searchbox", name="Buscar en los documentos").fill(word)
        spanish.get_by_role("button", name="Buscar", exact=True).click()
        expect(spanish.get_by_role("heading", name=re.compile("resultados? para"))).to_be_visible()
        check_accessibility(spanish, "documents search (es)")
        assert untranslated_keys(spanish) == []
        screenshot(spanish, "documents-search-es")
    finally:
        context.close()
