"""Text of a file for the search index: plain text, PDF and DOCX. An unreadable file has no text, not an error."""

from __future__ import annotations

import io
import logging
from pathlib import Path

log = logging.getLogger("backoffice.docs.extract")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def extract_text(path: Path, content_type: str, limit: int) -> str:
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
            import docx

            document = docx.Document(io.BytesIO(path.read_bytes()))
            texts = [p.text for p in document.paragraphs]
            for table in document.tables:
                texts += [cell.text for row in table.rows for cell in row.cells]
            return "\n".join(texts)[:limit]
    except Exception as exc:  # a damaged file is still filed, only not searchable by its content
        log.warning("no text from %s (%s): %s", path.name, content_type, exc)
    return ""
