"""Time-ordered identifiers (UUID version 7, RFC 9562), and the form of a reference to a document."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from typing import Annotated

from pydantic import AfterValidator, Field

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """Return a new UUIDv7: 48 bits of Unix milliseconds, then a 12-bit counter and random bits.

    Identifiers made in one process are strictly increasing, even within one millisecond,
    so rows keyed by them sort in creation order.
    """
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms > _last_ms:
            _last_ms = now_ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= counter << 64
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new UUIDv7 as its canonical string, the form used in the API and in events."""
    return str(uuid7())


# -- references to documents of docs-svc ---------------------------------------------------------------
# Every service refers to documents by their docs-svc id (a UUID, or another key docs hands out): one rule for
# all of them, so an attachment accepted by one service is accepted by every other.
_DOCUMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _document_id(value: str) -> str:
    if not _DOCUMENT_ID.fullmatch(value):
        raise ValueError(
            f"not a document id: {value[:80]!r}; give the id of a docs-svc document (1 to 64 letters, digits or "
            ". _ : -, starting with a letter or digit)"
        )
    return value


def _each_once(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


DocumentId = Annotated[
    str,
    AfterValidator(_document_id),
    Field(
        description="a document of docs-svc, by its id",
        json_schema_extra={"minLength": 1, "maxLength": 64, "pattern": f"^{_DOCUMENT_ID.pattern}$"},
    ),
]
# A list of them: each checked, repeats kept once in the order given (its length is bounded where it is used).
DocumentIds = Annotated[list[DocumentId], AfterValidator(_each_once)]
