"""Writing an object to S3 as it streams in: buffered up to one part, sent as one PutObject when it is small and
as a multipart upload when it is not; nothing half-written remains after a failure or an abort."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Literal

from backoffice.docs.storage import new_key
from backoffice.docs.storage.s3_wire import S3Error

if TYPE_CHECKING:
    from backoffice.docs.storage.s3 import S3Storage

log = logging.getLogger("backoffice.docs.storage")

MAX_PARTS = 10_000

_background: set[asyncio.Task[None]] = set()  # clean-ups that must finish even when their caller is cancelled


def _take(chunks: list[bytes], size: int) -> tuple[list[bytes], list[bytes]]:
    """The first ``size`` bytes of ``chunks`` (as chunks) and the rest; only the chunk on the boundary is cut."""
    taken: list[bytes] = []
    total = 0
    for index, chunk in enumerate(chunks):
        if total + len(chunk) <= size:
            taken.append(chunk)
            total += len(chunk)
            if total == size:
                return taken, chunks[index + 1 :]
        else:
            need = size - total
            return [*taken, chunk[:need]], [chunk[need:], *chunks[index + 1 :]]
    return taken, []


class S3Writer:
    """Streams one new object to the bucket: one PutObject for a small file, a multipart upload for a larger one
    (parts sent as they fill). ``abort`` leaves nothing behind."""

    def __init__(self, storage: S3Storage):
        self._storage = storage
        self.key = new_key()
        self._name = storage.object_name(self.key)
        self._chunks: list[bytes] = []
        self._buffered = 0
        self._upload_id: str | None = None
        self._parts: list[tuple[int, str]] = []
        self._object_maybe_written = False
        self._state: Literal["open", "committed", "aborted"] = "open"
        self._cleanup: asyncio.Task[None] | None = None

    async def write(self, chunk: bytes) -> None:
        if self._state != "open":
            raise RuntimeError(f"this storage writer is {self._state}")
        if not chunk:
            return
        self._chunks.append(bytes(chunk))
        self._buffered += len(chunk)
        part_size = self._storage.part_size
        try:
            while self._buffered >= part_size:
                part, self._chunks = _take(self._chunks, part_size)
                self._buffered -= part_size
                await self._upload_part(part)
        except BaseException:
            await self.abort()
            raise

    async def commit(self) -> str:
        if self._state != "open":
            raise RuntimeError(f"this storage writer is {self._state}")
        try:
            if self._upload_id is None:
                self._object_maybe_written = True
                await self._storage.put_object(self._name, self._chunks)
            else:
                if self._chunks:
                    await self._upload_part(self._chunks)
                self._object_maybe_written = True
                await self._complete()
        except BaseException:
            await self.abort()
            raise
        self._state, self._chunks = "committed", []
        return self.key

    async def abort(self) -> None:
        """Forget the bytes; abort the multipart upload and remove an object a failed commit may have written.
        Runs to its end even when the caller is cancelled; a failure is logged, not raised."""
        if self._state == "committed":
            return
        self._state, self._chunks = "aborted", []
        if self._cleanup is None and (self._upload_id is not None or self._object_maybe_written):
            self._cleanup = asyncio.ensure_future(self._clean_up())
            _background.add(self._cleanup)
            self._cleanup.add_done_callback(_background.discard)
        if self._cleanup is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._cleanup)

    async def _clean_up(self) -> None:
        storage = self._storage
        try:
            if self._upload_id is not None:
                await storage.abort_multipart_upload(self._name, self._upload_id)
            if self._object_maybe_written:
                await storage.delete_object(self._name)
        except Exception as exc:
            log.warning("could not clean up the aborted upload of %s: %s", self._name, exc)

    async def _upload_part(self, chunks: list[bytes]) -> None:
        storage = self._storage
        if self._upload_id is None:
            self._upload_id = await storage.create_multipart_upload(self._name)
        number = len(self._parts) + 1
        if number > MAX_PARTS:
            raise S3Error("UploadPart", storage.describe(self._name), None, "TooManyParts", "raise the part size")
        etag = await storage.upload_part(self._name, self._upload_id, number, chunks)
        self._parts.append((number, etag))

    async def _complete(self) -> None:
        assert self._upload_id is not None
        try:
            await self._storage.complete_multipart_upload(self._name, self._upload_id, self._parts)
        except S3Error as exc:
            # A retried Complete whose first attempt did succeed (its answer was lost) finds the upload gone.
            if exc.code != "NoSuchUpload" or not await self._storage.exists(self._name):
                raise
