"""Multipart uploads streamed straight to storage: the file part is hashed, measured and written chunk by
chunk (memory stays flat whatever the size), checked against the size limit and against its declared type;
nothing is kept when anything is wrong."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import filetype
from backoffice.docs.names import base_name
from backoffice.docs.storage import Storage, StorageWriter
from backoffice.shared.errors import Problem, Unprocessable
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIELD_LIMIT = 64 * 1024
SNIFF_BYTES = 8192
GENERIC_TYPES = {"application/octet-stream", "binary/octet-stream", ""}

# What the parser said, in order: a part begins, one of its headers (name, value), its headers are done, some of
# its bytes, it ends.
_Event = tuple[Literal["begin", "header", "headers_done", "data", "end"], bytes | tuple[str, bytes]]


@dataclass
class StoredFile:
    key: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file: StoredFile | None = None


def check_type(declared: str, filename: str, head: bytes) -> str:
    """The content type to record; a 415 when the declared (or implied) type is not what the bytes are."""
    declared = declared.split(";")[0].strip().lower()
    if declared in GENERIC_TYPES:
        declared = (mimetypes.guess_type(filename)[0] or "application/octet-stream").lower()
    sniffed = filetype.guess_mime(head)
    if declared == "application/octet-stream":
        return sniffed or declared  # "some bytes": recorded as what they turn out to be
    if declared.startswith("text/"):
        if sniffed is not None or b"\x00" in head:
            raise Problem(
                415, f"{filename} is declared {declared} but its content is {sniffed or 'binary'}", slug="type-mismatch"
            )
        return declared
    if filetype.get_type(mime=declared) is not None and sniffed != declared:
        raise Problem(
            415, f"{filename} is declared {declared} but its content is {sniffed or 'not that'}", slug="type-mismatch"
        )
    return declared


class _Receiver:
    """Collects the parser's callbacks (synchronous) so the stream loop can act on them (asynchronously)."""

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.header_field = b""
        self.header_value = b""

    def callbacks(self) -> MultipartCallbacks:
        def on_part_begin() -> None:
            self.events.append(("begin", b""))

        def on_header_field(data: bytes, start: int, end: int) -> None:
            self.header_field += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            self.header_value += data[start:end]

        def on_header_end() -> None:
            self.events.append(("header", (self.header_field.decode("latin-1").lower(), self.header_value)))
            self.header_field, self.header_value = b"", b""

        def on_headers_finished() -> None:
            self.events.append(("headers_done", b""))

        def on_part_data(data: bytes, start: int, end: int) -> None:
            self.events.append(("data", bytes(data[start:end])))

        def on_part_end() -> None:
            self.events.append(("end", b""))

        return {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        }


class _Reading:
    """One upload as it is read: the part at hand, the text fields so far, and the file streamed to storage
    (hashed, measured and its first bytes kept for sniffing its type)."""

    def __init__(self, storage: Storage, max_bytes: int) -> None:
        self.storage, self.max_bytes = storage, max_bytes
        self.upload = Upload()
        self.writer: StorageWriter | None = None
        self.headers: dict[str, bytes] = {}
        self.name = self.file_name = self.file_type = ""
        self.value = bytearray()
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = bytearray()
        self.in_file = self.file_complete = False

    async def on(self, event: _Event) -> None:
        """Acts on one of the parser's events."""
        kind, payload = event
        if kind == "begin":
            self.headers, self.value = {}, bytearray()
        elif kind == "header":
            assert isinstance(payload, tuple)
            self.headers[payload[0]] = payload[1]
        elif kind == "headers_done":
            self._start_part()
        elif kind == "data":
            assert isinstance(payload, bytes)
            await self._data(payload)
        elif kind == "end":
            self._end_part()

    def _start_part(self) -> None:
        _, disposition = parse_options_header(self.headers.get("content-disposition", b""))
        self.name = disposition.get(b"name", b"").decode("utf-8", "replace")
        if "\x00" in self.name:
            raise Unprocessable("a part's name holds a NUL character", slug="nul-character")
        filename = disposition.get(b"filename", b"").decode("utf-8", "replace")
        self.in_file = self.name == "file"
        if self.in_file:
            # kept apart: the parts after the file (title, type, …) have their own headers
            self.file_name, self.file_type = _file_name(filename, self.writer is not None), headers_type(self.headers)
            self.writer = self.storage.writer()

    async def _data(self, payload: bytes) -> None:
        if not self.in_file:
            self.value += payload
            if len(self.value) > FIELD_LIMIT:
                raise Problem(413, f"field {self.name!r} is longer than {FIELD_LIMIT} bytes", slug="too-large")
            return
        assert self.writer is not None
        self.size += len(payload)
        if self.size > self.max_bytes:
            raise Problem(413, f"the file is larger than the limit of {self.max_bytes} bytes", slug="too-large")
        if len(self.head) < SNIFF_BYTES:
            self.head += payload[: SNIFF_BYTES - len(self.head)]
        self.digest.update(payload)
        await self.writer.write(payload)

    def _end_part(self) -> None:
        if self.in_file:
            self.file_complete = True
            return
        if b"\x00" in self.value:  # in any part, named or not
            raise Unprocessable(f"field {self.name!r} holds a NUL character", slug="nul-character")
        if self.name:
            self.upload.fields[self.name] = self.value.decode("utf-8", "replace")

    async def finish(self) -> Upload:
        """The upload, once the body has ended: its file committed to storage, its type checked."""
        if self.writer is None:
            raise Unprocessable("the upload has no 'file' part", slug="file-missing")
        if not self.file_complete:
            raise Problem(400, "the upload ended before the file did", slug="upload-interrupted")
        if self.size == 0:
            raise Unprocessable(f"{self.file_name} is empty", slug="empty-file")
        content_type = check_type(self.file_type, self.file_name, bytes(self.head))
        key = await self.writer.commit()
        self.upload.file = StoredFile(
            key=key,
            filename=self.file_name[:300],
            content_type=content_type[:120],
            size=self.size,
            sha256=self.digest.hexdigest(),
        )
        return self.upload

    async def abort(self) -> None:
        """Forgets the file: nothing is kept of an upload that failed."""
        if self.writer is not None:
            await self.writer.abort()


def _file_name(filename: str, second: bool) -> str:
    """The name to record for the ``file`` part's filename (a path keeps only its last part); a 422 for a
    second file or a missing or unusable name."""
    if second:
        raise Unprocessable("send one file per upload", slug="one-file")
    if not filename:
        raise Unprocessable("the 'file' part needs a filename", slug="filename-missing")
    if "\x00" in filename:
        raise Unprocessable("the filename holds a NUL character", slug="nul-character")
    try:
        return base_name(filename)
    except ValueError as exc:
        raise Unprocessable(f"{exc} ({filename!r})", slug="bad-filename", field="file") from None


def _check_request(request: Request, max_bytes: int) -> bytes:
    """The multipart boundary; a 415 when the body is not multipart, a 413 when it says it is too large."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise Problem(415, "send the file as multipart/form-data with a 'file' part", slug="multipart-expected")
    declared_length = request.headers.get("content-length")
    if declared_length and declared_length.isdigit() and int(declared_length) > max_bytes + FIELD_LIMIT * 4:
        raise Problem(413, f"the upload is larger than the limit of {max_bytes} bytes", slug="too-large")
    return params[b"boundary"]


async def receive(request: Request, storage: Storage, max_bytes: int) -> Upload:
    """Reads a ``multipart/form-data`` body with one ``file`` part and small text fields."""
    boundary = _check_request(request, max_bytes)
    receiver = _Receiver()
    parser = MultipartParser(boundary, receiver.callbacks())
    reading = _Reading(storage, max_bytes)
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except MultipartParseError as exc:
                raise Problem(400, f"the multipart body is malformed: {exc}", slug="malformed-multipart") from None
            for event in receiver.events:
                await reading.on(event)
            receiver.events.clear()
        parser.finalize()
        return await reading.finish()
    except ClientDisconnect:
        await reading.abort()
        raise Problem(400, "the upload was interrupted", slug="upload-interrupted") from None
    except BaseException:
        await reading.abort()
        raise


def headers_type(headers: dict[str, bytes]) -> str:
    """The ``Content-Type`` a part's headers declare (empty when none)."""
    return headers.get("content-type", b"").decode("latin-1")
