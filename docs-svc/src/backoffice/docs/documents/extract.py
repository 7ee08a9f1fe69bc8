"""Text of a file for the search index: plain text, PDF and DOCX. An unreadable file has no text, not an error."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from xml.etree import ElementTree

log = logging.getLogger("backoffice.docs.extract")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def extract_text(path: Path, content_type: str, limit: int) -> str:
    """The text of a plain-text, PDF or DOCX file, at most ``limit`` characters; empty for other types or a file that
    cannot be read."""
    try:
        if content_type.startswith("text/"):
            with open(path, "rb") as file:
                return file.read(limit * 4).decode("utf-8", "replace")[:limit]
        if content_type == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(str(path))
            parts: list[str] = []
            total = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                parts.append(text)
                total += len(text)
                if total >= limit:
                    break
            return "\n".join(parts)[:limit]
        if content_type == DOCX:
            return _docx_text(path, limit)
    except Exception as exc:  # a damaged file is still filed, only not searchable by its content
        log.warning("no text from %s (%s): %s", path.name, content_type, exc)
    return ""


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(path: Path, limit: int) -> str:
    """The text of a DOCX's body, paragraph by paragraph (tables included, in reading order), read as a stream
    from the zip: neither the images beside it nor a body that unpacks to gigabytes are held in memory."""
    lines: list[str] = []
    total = 0
    run: list[str] = []
    with zipfile.ZipFile(path) as package, package.open("word/document.xml") as body:
        for _, element in ElementTree.iterparse(body, events=("end",)):
            if element.tag == f"{W}t":
                run.append(element.text or "")
            elif element.tag == f"{W}tab":
                run.append("\t")
            elif element.tag in (f"{W}p", f"{W}br"):
                if element.tag == f"{W}p":
                    lines.append("".join(run))
                    total += len(lines[-1]) + 1
                    run = []
                    element.clear()
                else:
                    run.append("\n")
                if total >= limit:
                    break
    return "\n".join(lines)[:limit]
