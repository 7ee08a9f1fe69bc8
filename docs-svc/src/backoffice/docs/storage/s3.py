"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...), spoken to with httpx and our own SigV4 signer.

* Writing streams: bytes are buffered up to one part (``part_size``). A file smaller than a part is one PutObject
  on commit; a larger one is a multipart upload whose parts go out as they fill, all of the same size but the
  last, so memory stays at about one part whatever the file's size. A failure, or ``abort()``, aborts the
  multipart upload (and removes an object a failed commit may have left): nothing half-written remains.
* Reading is a GET with a ``Range`` header, streamed in chunks; a connection that breaks half-way is resumed
  from the next byte (``If-Match`` the first answer's ETag).
* Transient failures (network errors, 5xx, 429, ``SlowDown``, ``RequestTimeout``) are retried a few times with
  a short, jittered backoff; other answers raise :class:`S3Error` naming the operation, the HTTP status and
  S3's error code and message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import ssl
import tempfile
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from xml.sax.saxutils import escape

import httpx
from backoffice.docs.storage import CHUNK
from backoffice.docs.storage.s3_wire import Payload, S3Error, S3KeyNotFoundError, local_name, parse_xml, xml_text
from backoffice.docs.storage.s3_writer import S3Writer
from backoffice.docs.storage.sigv4 import (
    EMPTY_SHA256,
    Credentials,
    canonical_query,
    encode_path,
    signed_headers,
)

if TYPE_CHECKING:
    from backoffice.docs.settings import DocsSettings

log = logging.getLogger("backoffice.docs.storage")

MIN_PART_SIZE = 5 * 1024 * 1024  # S3's minimum for every part but the last
MAX_PART_SIZE = 5 * 1024 * 1024 * 1024
DEFAULT_PART_SIZE = 8 * 1024 * 1024
MAX_KEY_BYTES = 1024
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_CODES = frozenset({"InternalError", "RequestTimeout", "SlowDown", "ServiceUnavailable", "Throttling"})
ERROR_BODY_LIMIT = 64 * 1024

__all__ = ["S3Error", "S3KeyNotFoundError", "S3Storage"]


class S3Storage:
    """Objects ``<prefix><key>`` in one bucket. Path-style addressing (``endpoint/bucket/key``) by default, which
    MinIO, Ceph and moto expect; ``addressing_style="virtual"`` uses ``bucket.endpoint/key`` instead.

    The HTTP client is opened at first use; :meth:`aclose` releases its connections (a later use opens new ones).
    """

    def __init__(
        self,
        *,
        bucket: str,
        access_key_id: str,
        secret_access_key: str,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        prefix: str = "",
        addressing_style: Literal["path", "virtual"] = "path",
        part_size: int = DEFAULT_PART_SIZE,
        verify_tls: bool = True,
        ca_file: Path | None = None,
        timeout_s: float = 60.0,
        max_attempts: int = 4,
        backoff_base_s: float = 0.2,
        temp_dir: Path | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        if not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
            raise ValueError(f"part_size must be between {MIN_PART_SIZE} and {MAX_PART_SIZE} bytes")
        if not bucket:
            raise ValueError("an S3 bucket is required")
        self.bucket = bucket
        self.region = region
        self.credentials = Credentials(access_key_id, secret_access_key)
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.part_size = part_size
        self.max_attempts = max(1, max_attempts)
        self.backoff_base_s = backoff_base_s
        self.temp_dir = temp_dir
        self.timeout_s = timeout_s
        self._verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(ca_file)) if ca_file is not None and verify_tls else verify_tls
        )
        endpoint = httpx.URL(endpoint_url or f"https://s3.{region}.amazonaws.com")
        if endpoint.scheme not in ("http", "https") or not endpoint.host:
            raise ValueError(f"the S3 endpoint must be an http(s) URL, not {endpoint_url!r}")
        host = endpoint.host
        if addressing_style == "virtual":
            host = f"{bucket}.{host}"
        elif ":" in host:
            host = f"[{host}]"  # IPv6 literal
        self._scheme = endpoint.scheme
        self._host = host + (f":{endpoint.port}" if endpoint.port else "")
        base = endpoint.path.rstrip("/")
        self._base_path = base if addressing_style == "virtual" else f"{base}/{bucket}"
        self._transport = transport  # tests put one in between to make failures
        self._client: httpx.AsyncClient | None = None

    @classmethod
    def from_settings(cls, settings: DocsSettings) -> S3Storage:
        assert settings.s3_bucket
        assert settings.s3_access_key_id
        assert settings.s3_secret_access_key
        return cls(
            bucket=settings.s3_bucket,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key.get_secret_value(),
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            prefix=settings.s3_prefix,
            addressing_style=settings.s3_addressing_style,
            part_size=settings.s3_part_size_bytes,
            verify_tls=settings.s3_verify_tls,
            ca_file=settings.s3_ca_file,
            timeout_s=settings.s3_timeout_s,
            max_attempts=settings.s3_max_attempts,
            temp_dir=settings.s3_temp_dir,
        )

    # -- the Storage protocol -------------------------------------------------------------------------
    def writer(self) -> S3Writer:
        return S3Writer(self)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        name = self.object_name(key)
        position, etag, failures = start, None, 0
        while end is None or position <= end:
            headers = {}
            if position > 0 or end is not None:
                headers["range"] = f"bytes={position}-{'' if end is None else end}"
            if etag:
                headers["if-match"] = etag
            response = await self._send("GetObject", "GET", name, headers=headers, accept=(200, 206, 416), stream=True)
            try:
                if response.status_code == 416:  # starts past the end: nothing to read, as from a file
                    return
                etag = etag or response.headers.get("etag")
                skip = position if response.status_code == 200 else 0  # a server that ignored the range
                async for data in response.aiter_raw(CHUNK):
                    chunk = data
                    if skip:
                        chunk, skip = chunk[skip:], max(0, skip - len(chunk))
                    if end is not None:
                        chunk = chunk[: end - position + 1]
                    if chunk:
                        position += len(chunk)
                        yield chunk
                    if end is not None and position > end:
                        return
                return
            except httpx.TransportError as exc:
                failures += 1
                if failures >= self.max_attempts:
                    raise self._unreachable("GetObject", name, exc) from exc
                log.info("GetObject of %s broke at byte %d (%s); resuming", self.describe(name), position, exc)
                await asyncio.sleep(self._backoff(failures))
            finally:
                await response.aclose()

    async def delete(self, key: str) -> None:
        await self.delete_object(self.object_name(key))

    @contextlib.asynccontextmanager
    async def as_file(self, key: str) -> AsyncIterator[Path]:
        """The object downloaded (streamed) to a temporary file, removed on leaving the block."""
        fd, raw_path = await asyncio.to_thread(
            tempfile.mkstemp, prefix="s3-", suffix=".tmp", dir=str(self.temp_dir) if self.temp_dir else None
        )
        path = Path(raw_path)
        try:
            with os.fdopen(fd, "wb") as file:
                async for chunk in self.read(key):
                    await asyncio.to_thread(file.write, chunk)
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                await asyncio.to_thread(path.unlink)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    # -- S3 operations --------------------------------------------------------------------------------
    async def put_object(self, name: str, chunks: Sequence[bytes]) -> None:
        await self._send("PutObject", "PUT", name, body=await Payload.of(chunks))

    async def create_multipart_upload(self, name: str) -> str:
        response = await self._send("CreateMultipartUpload", "POST", name, params=[("uploads", "")])
        root = parse_xml(response.content)
        upload_id = xml_text(root, "UploadId") if root is not None else None
        if not upload_id:
            raise S3Error("CreateMultipartUpload", self.describe(name), 200, "MalformedAnswer", "no UploadId")
        return upload_id

    async def upload_part(self, name: str, upload_id: str, number: int, chunks: Sequence[bytes]) -> str:
        params = [("partNumber", str(number)), ("uploadId", upload_id)]
        response = await self._send("UploadPart", "PUT", name, params=params, body=await Payload.of(chunks))
        etag: str | None = response.headers.get("etag")
        if not etag:
            raise S3Error("UploadPart", self.describe(name), response.status_code, "MalformedAnswer", "no ETag")
        return etag

    async def complete_multipart_upload(self, name: str, upload_id: str, parts: Iterable[tuple[int, str]]) -> None:
        xml = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{escape(etag)}</ETag></Part>" for n, etag in parts)
        body = f"<CompleteMultipartUpload>{xml}</CompleteMultipartUpload>".encode()
        await self._send(
            "CompleteMultipartUpload",
            "POST",
            name,
            params=[("uploadId", upload_id)],
            headers={"content-type": "application/xml"},
            body=await Payload.of([body]),
            error_in_200=True,
        )

    async def abort_multipart_upload(self, name: str, upload_id: str) -> None:
        await self._send(
            "AbortMultipartUpload", "DELETE", name, params=[("uploadId", upload_id)], accept=(200, 204, 404)
        )

    async def delete_object(self, name: str) -> None:
        await self._send("DeleteObject", "DELETE", name, accept=(200, 204, 404))  # gone already: fine

    async def exists(self, name: str) -> bool:
        response = await self._send("HeadObject", "HEAD", name, accept=(200, 404))
        return response.status_code == 200

    # -- plumbing -------------------------------------------------------------------------------------
    def object_name(self, key: str) -> str:
        """``<prefix><key>``; refuses keys that would leave the prefix or that S3 would not take."""
        parts = key.split("/")
        if not key or any(p in ("", ".", "..") for p in parts) or "\\" in key:
            raise ValueError(f"invalid storage key {key!r}")
        name = self.prefix + key
        if len(name.encode()) > MAX_KEY_BYTES:
            raise ValueError(f"storage key {key!r} is too long")
        return name

    def describe(self, name: str) -> str:
        return f"s3://{self.bucket}/{name}"

    def _client_now(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                verify=self._verify,
                timeout=httpx.Timeout(self.timeout_s),
                follow_redirects=False,
                transport=self._transport,
            )
        return self._client

    def _backoff(self, attempt: int) -> float:
        delay: float = min(self.backoff_base_s * 2.0 ** (attempt - 1), 5.0)
        return delay * random.uniform(0.5, 1.0)

    def _unreachable(self, operation: str, name: str, exc: Exception) -> S3Error:
        return S3Error(operation, self.describe(name), None, type(exc).__name__, str(exc) or repr(exc))

    async def _send(
        self,
        operation: str,
        method: str,
        name: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
        body: Payload | None = None,
        accept: tuple[int, ...] = (200,),
        stream: bool = False,
        error_in_200: bool = False,
    ) -> httpx.Response:
        """Signs and sends one request, again on a transient failure. With ``stream`` the caller reads (and
        closes) the answer; otherwise it is read here. An answer outside ``accept`` raises :class:`S3Error`."""
        path = encode_path(f"{self._base_path}/{name}")
        query = canonical_query(params)
        url = f"{self._scheme}://{self._host}{path}" + (f"?{query}" if query else "")
        extra = {"accept-encoding": "identity", **(headers or {})}
        if body is not None:
            extra["content-length"] = str(body.size)
        elif method in ("PUT", "POST"):
            extra["content-length"] = "0"
        client = self._client_now()
        attempt = 0
        while True:
            attempt += 1
            signed = signed_headers(
                self.credentials,
                method=method,
                host=self._host,
                path=path,
                query=query,
                headers=extra,
                payload_hash=body.sha256 if body is not None else EMPTY_SHA256,
                region=self.region,
                when=datetime.now(UTC),
            )
            request = client.build_request(method, url, headers=signed, content=body.content() if body else None)
            try:
                response = await client.send(request, stream=True)
            except httpx.TransportError as exc:
                if attempt < self.max_attempts:
                    log.info("%s of %s: %s; trying again", operation, self.describe(name), exc)
                    await asyncio.sleep(self._backoff(attempt))
                    continue
                raise self._unreachable(operation, name, exc) from exc
            handed_over = False
            try:
                if response.status_code in accept:
                    if stream:
                        handed_over = True
                        return response
                    await response.aread()
                    root = parse_xml(response.content) if error_in_200 and response.content else None
                    if root is None or local_name(root.tag) != "Error":
                        return response
                error = await self._error(operation, name, response)
            except httpx.TransportError as exc:  # the answer's body broke off
                error = self._unreachable(operation, name, exc)
            finally:
                if not handed_over:
                    await response.aclose()
            retryable = error.status is None or error.status in RETRY_STATUSES or error.code in RETRY_CODES
            if retryable and attempt < self.max_attempts:
                log.info("%s; trying again", error)
                await asyncio.sleep(self._backoff(attempt))
                continue
            raise error

    async def _error(self, operation: str, name: str, response: httpx.Response) -> S3Error:
        body = b""
        if response.is_stream_consumed:
            body = response.content
        else:
            async for data in response.aiter_raw():
                body += data
                if len(body) >= ERROR_BODY_LIMIT:
                    break
        root = parse_xml(body) if body else None
        code = (xml_text(root, "Code") if root is not None else None) or (response.reason_phrase or "Error").replace(
            " ", ""
        )
        message = (xml_text(root, "Message") if root is not None else None) or (
            body[:200].decode("utf-8", "replace").strip() or response.reason_phrase
        )
        if code == "NoSuchBucket":
            message = f"{message} (bucket {self.bucket!r} at {self._scheme}://{self._host})"
        request_id = (xml_text(root, "RequestId") if root is not None else None) or response.headers.get(
            "x-amz-request-id"
        )
        kind = S3KeyNotFoundError if response.status_code == 404 and code in ("NoSuchKey", "NotFound") else S3Error
        return kind(operation, self.describe(name), response.status_code, code, message, request_id)
