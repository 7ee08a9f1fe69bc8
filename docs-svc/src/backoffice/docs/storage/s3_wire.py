"""What S3 requests and answers are made of: its errors, its XML, and request bodies held as chunks."""

from __future__ import annotations

import asyncio
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Sequence

from backoffice.docs.storage import StorageError


class S3Error(StorageError):
    """An S3 request failed for good: ``operation`` (PutObject, UploadPart, ...), the HTTP ``status`` (``None``
    when the server could not be reached) and S3's error ``code`` and ``message``."""

    def __init__(
        self,
        operation: str,
        target: str,
        status: int | None,
        code: str,
        message: str,
        request_id: str | None = None,
    ):
        self.operation, self.target, self.status, self.code, self.s3_message = operation, target, status, code, message
        self.request_id = request_id
        answer = f"HTTP {status} {code}" if status is not None else f"no answer ({code})"
        text = f"S3 {operation} of {target} failed: {answer}: {message}"
        super().__init__(text + (f" (request id {request_id})" if request_id else ""))


class S3KeyNotFoundError(S3Error, FileNotFoundError):
    """The object does not exist (like ``FileNotFoundError`` from the local storage)."""


def local_name(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def xml_text(root: ET.Element, name: str) -> str | None:
    """The stripped text of the first element named ``name`` (any namespace) under ``root``; None when absent."""
    for element in root.iter():
        if local_name(element.tag) == name:
            return (element.text or "").strip()
    return None


def parse_xml(body: bytes) -> ET.Element | None:
    """The XML document in ``body``; None when it is not XML."""
    try:
        return ET.fromstring(body)
    except ET.ParseError:
        return None


class Payload:
    """A request body held in memory as the chunks it was written in (never joined: no second copy)."""

    def __init__(self, chunks: Sequence[bytes], sha256: str):
        self.chunks = list(chunks)
        self.size = sum(len(c) for c in chunks)
        self.sha256 = sha256

    @classmethod
    async def of(cls, chunks: Sequence[bytes]) -> Payload:
        def digest() -> str:
            hasher = hashlib.sha256()
            for chunk in chunks:
                hasher.update(chunk)  # releases the GIL for large buffers
            return hasher.hexdigest()

        size = sum(len(c) for c in chunks)
        return cls(chunks, digest() if size < 256 * 1024 else await asyncio.to_thread(digest))

    def content(self) -> bytes | AsyncIterator[bytes]:
        if len(self.chunks) <= 1:
            return self.chunks[0] if self.chunks else b""

        async def stream() -> AsyncIterator[bytes]:
            for chunk in self.chunks:
                yield chunk

        return stream()  # a new iterator per attempt, so a retry sends the whole body again
