"""Downloads: which version, which bytes of it (``Range``), or none when the caller's copy is current
(``If-None-Match``). Every download is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backoffice.docs.documents.access import readable
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import DocumentVersion
from backoffice.docs.documents.reading import version_of
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Problem
from sqlalchemy.ext.asyncio import AsyncSession

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range of a ``Range`` header, inclusive; None for the whole file. A range that starts past the
    end is a 416; a header we do not understand, an invalid range (``bytes=5-2``: the last byte before the first)
    or several ranges are ignored, as RFC 9110 (14.2) asks."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise Problem(
                416,
                "an empty suffix range selects nothing",
                slug="range-not-satisfiable",
                headers={"Content-Range": f"bytes */{size}"},
            )
        return max(size - length, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a range at all: the whole file
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise Problem(
            416,
            f"the file has {size} bytes",
            slug="range-not-satisfiable",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, end


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or is ``*``), compared weakly as RFC 9110 (13.1.2)
    says for this header."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


@dataclass
class Download:
    """What a download answers: the version, the range (None: all of it), or that the caller's copy is current."""

    version: DocumentVersion
    span: tuple[int, int] | None
    not_modified: bool

    @property
    def etag(self) -> str:
        return f'"{self.version.sha256}"'


async def open_download(
    session: AsyncSession,
    user: Principal,
    document_id: str,
    number: int | None,
    range_header: str | None,
    if_none_match: str | None = None,
) -> Download:
    """What to send for a download of a version (the current one when ``number`` is None) the caller may read;
    a 410 when retention deleted its file, a 416 for a range past its end."""
    doc, _ = await readable(session, user, document_id)
    version = await version_of(session, doc, number)
    if version.storage_key is None:
        raise Problem(410, f"the file of document {doc.id} was deleted under its retention policy", slug="deleted")
    if etag_matches(if_none_match, f'"{version.sha256}"'):  # checked before the range, as RFC 9110 (13.2.2) orders
        audit(session, user.user_id, "download", doc.id, version.number, not_modified=True)
        return Download(version, None, True)
    span = parse_range(range_header, version.size)
    audit(session, user.user_id, "download", doc.id, version.number, range=list(span) if span else None)
    return Download(version, span, False)
