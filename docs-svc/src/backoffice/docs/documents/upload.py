"""Multipart uploads streamed straight to storage: the file part is hashed, measured and written chunk by
chunk (memory stays flat whatever the size), checked against the size limit and against its declared type;
nothing is kept when anything is wrong."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from typing import Any

import filetype
from backoffice.docs.documents.names import base_name
from backoffice.docs.storage import Storage, StorageWriter
from backoffice.shared.errors import Problem
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

FIELD_LIMIT = 64 * 1024
SNIFF_BYTES = 8192
GENERIC_TYPES = {"application/octet-stream", "binary/octet-stream", ""}


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
        self.events: list[tuple[str, Any]] = []
        self.header_field = b""
        self.header_value = b""

    def callbacks(self) -> dict[str, Any]:
        def on_part_begin() -> None:
            self.events.append(("begin", None))

        def on_header_field(data: bytes, start: int, end: int) -> None:
            self.header_field += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            self.header_value += data[start:end]

        def on_header_end() -> None:
            self.events.append(("header", (self.header_field.decode("latin-1").lower(), self.header_value)))
            self.header_field, self.header_value = b"", b""

        def on_headers_finished() -> None:
            self.events.append(("headers_done", None))

        def on_part_data(data: bytes, start: int, end: int) -> None:
            self.events.append(("data", bytes(data[start:end])))

        def on_part_end() -> None:
            self.events.append(("end", None))

        return {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        }


async def receive(request: Request, storage: Storage, max_bytes: int) -> Upload:
    """Reads a ``multipart/form-data`` body with one ``file`` part and small text fields."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise Problem(415, "send the file as multipart/form-data with a 'file' part", slug="multipart-expected")
    declared_length = request.headers.get("content-length")
    if declared_length and declared_length.isdigit() and int(declared_length) > max_bytes + FIELD_LIMIT * 4:
        raise Problem(413, f"the upload is larger than the limit of {max_bytes} bytes", slug="too-large")
    receiver = _Receiver()
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())  # type: ignore[arg-type]
    upload = Upload()
    writer: StorageWriter | None = None
    headers: dict[str, bytes] = {}
    name = filename = file_name = file_type = ""
    value = bytearray()
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    in_file = file_complete = False
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except MultipartParseError as exc:
                raise Problem(400, f"the multipart body is malformed: {exc}", slug="malformed-multipart") from None
            for event, payload in receiver.events:
                if event == "begin":
                    headers, value = {}, bytearray()
                elif event == "header":
                    headers[payload[0]] = payload[1]
                elif event == "headers_done":
                    _, disposition = parse_options_header(headers.get("content-disposition", b""))
                    name = disposition.get(b"name", b"").decode("utf-8", "replace")
                    if "\x00" in name:
                        raise Problem(422, "a part's name holds a NUL character", slug="nul-character")
                    filename = disposition.get(b"filename", b"").decode("utf-8", "replace")
                    in_file = name == "file"
                    if in_file:
                        # kept apart: the parts after the file (title, type, …) have their own headers
                        file_name, file_type = filename, headers_type(headers)
                        if writer is not None:
                            raise Problem(422, "send one file per upload", slug="one-file")
                        if not filename:
                            raise Problem(422, "the 'file' part needs a filename", slug="filename-missing")
                        if "\x00" in filename:
                            raise Problem(422, "the filename holds a NUL character", slug="nul-character")
                        try:
                            file_name = base_name(filename)  # a path sent as the name keeps only its last part
                        except ValueError as exc:
                            raise Problem(422, f"{exc} ({filename!r})", slug="bad-filename", field="file") from None
                        writer = storage.writer()
                elif event == "data":
                    if in_file:
                        assert writer is not None
                        size += len(payload)
                        if size > max_bytes:
                            raise Problem(
                                413, f"the file is larger than the limit of {max_bytes} bytes", slug="too-large"
                            )
                        if len(head) < SNIFF_BYTES:
                            head += payload[: SNIFF_BYTES - len(head)]
                        digest.update(payload)
                        await writer.write(payload)
                    else:
                        value += payload
                        if len(value) > FIELD_LIMIT:
                            raise Problem(413, f"field {name!r} is longer than {FIELD_LIMIT} bytes", slug="too-large")
                elif event == "end" and in_file:
                    file_complete = True
                elif event == "end" and not in_file:
                    if b"\x00" in value:  # in any part, named or not
                        raise Problem(422, f"field {name!r} holds a NUL character", slug="nul-character")
                    if name:
                        upload.fields[name] = value.decode("utf-8", "replace")
            receiver.events.clear()
        parser.finalize()
        if writer is None:
            raise Problem(422, "the upload has no 'file' part", slug="file-missing")
        if not file_complete:
            raise Problem(400, "the upload ended before the file did", slug="upload-interrupted")
        if size == 0:
            raise Problem(422, f"{file_name} is empty", slug="empty-file")
        content_type = check_type(file_type, file_name, bytes(head))
        key = await writer.commit()
        upload.file = StoredFile(
            key=key, filename=file_name[:300], content_type=content_type[:120], size=size, sha256=digest.hexdigest()
        )
        return upload
    except ClientDisconnect:
        if writer is not None:
            await writer.abort()
        raise Problem(400, "the upload was interrupted", slug="upload-interrupted") from None
    except BaseException:
        if writer is not None:
            await writer.abort()
        raise


def headers_type(headers: dict[str, bytes]) -> str:
    return headers.get("content-type", b"").decode("latin-1")
