"""Helpers of the docs tests: uploads, answers, files made here (PDF, DOCX), the process's memory."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
from backoffice.testing import GatewayClient, ServiceStarter

# re-exported for this service's tests
from backoffice.testing import ok as ok
from backoffice.testing import problem as problem
from backoffice.testing.services import RunningService


def upload(
    client: httpx.Client,
    content: bytes | Any,
    filename: str = "note.txt",
    content_type: str = "text/plain",
    path: str = "/documents",
    **fields: str,
) -> httpx.Response:
    return client.post(path, files={"file": (filename, content, content_type)}, data=fields)


def pdf_with(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def start_docs(start_service: ServiceStarter, files: Path, **env: str) -> RunningService:
    """Starts the docs service storing files under ``files``, with any other settings given."""
    return start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(files), **env})


def as_user(gateway: GatewayClient, url: str, token: str) -> httpx.Client:
    """A client of the service at ``url`` that sends ``token``."""
    return httpx.Client(base_url=url, headers=gateway.auth(token), timeout=60)
