"""The S3 storage backend against a real S3-protocol server: moto in a subprocess with IAM authentication on, so
every request must carry a valid SigV4 signature of a known access key (a wrong secret is refused). Small files
(one PutObject) and a 20 MiB file (multipart, 5 MiB parts) round trip; ranges; abort leaves no object and no
pending upload; delete is idempotent; ``as_file``; clear errors; transient failures retried; the signer agrees
with botocore's; and the service's upload, search and download work with the S3 backend."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import LocalStorage, storage_for
from backoffice.docs.storage.s3 import S3Error, S3KeyNotFoundError, S3Storage
from backoffice.docs.storage.sigv4 import (
    EMPTY_SHA256,
    Credentials,
    canonical_query,
    canonical_request,
    encode_path,
    signed_headers,
)
from backoffice.shared.settings import describe_settings_error
from backoffice.testing import GatewayClient, ServiceStarter
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.utils import percent_encode
from docskit import ok, pdf_with, stored_files, upload
from pydantic import SecretStr, ValidationError

MIB = 1024 * 1024
PART = 5 * MIB
REGION = "us-east-1"
BUCKET = "docs-test"


@dataclass
class Moto:
    url: str
    access_key_id: str
    secret_access_key: str
    log: Path

    def client(self, service: str = "s3", secret: str | None = None) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=secret or self.secret_access_key,
        )

    def storage(self, **overrides: Any) -> S3Storage:
        options: dict[str, Any] = {
            "bucket": BUCKET,
            "access_key_id": self.access_key_id,
            "secret_access_key": self.secret_access_key,
            "endpoint_url": self.url,
            "region": REGION,
            "prefix": f"t-{uuid.uuid4().hex[:8]}/",
            "part_size": PART,
            "max_attempts": 3,
            "backoff_base_s": 0.01,
        }
        options.update(overrides)
        return S3Storage(**options)


def _port_of_bind_zero() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    """``moto.server`` on a free port. Its first requests (making an IAM user with an S3 policy, an access key
    and the bucket) are free; then ``/moto-api/reset-auth 0`` makes every request need a valid signature."""
    port = _port_of_bind_zero()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    env = {**os.environ, "AWS_DEFAULT_REGION": REGION, "INITIAL_NO_AUTH_ACTION_COUNT": "inf"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/moto-api/data.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        setup = {"endpoint_url": url, "region_name": REGION, "aws_access_key_id": "x", "aws_secret_access_key": "x"}
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="docs-svc")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        iam.put_user_policy(UserName="docs-svc", PolicyName="s3", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName="docs-svc")["AccessKey"]
        boto3.client("s3", **setup).create_bucket(Bucket=BUCKET)
        assert httpx.post(f"{url}/moto-api/reset-auth", content=b"0").status_code == 200
        yield Moto(url, key["AccessKeyId"], key["SecretAccessKey"], log)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
async def s3(moto: Moto) -> AsyncIterator[S3Storage]:
    storage = moto.storage()
    yield storage
    await storage.aclose()


async def store(storage: S3Storage, data: bytes, chunk: int = 700_001) -> str:
    writer = storage.writer()
    for i in range(0, len(data), chunk):
        await writer.write(data[i : i + chunk])
    return await writer.commit()


async def read_all(storage: S3Storage, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([c async for c in storage.read(key, start, end)])


def objects_under(moto: Moto, prefix: str) -> list[str]:
    listed = moto.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [o["Key"] for o in listed.get("Contents", [])]


def pending_uploads(moto: Moto, prefix: str) -> list[str]:
    listed = moto.client().list_multipart_uploads(Bucket=BUCKET, Prefix=prefix)
    return [u["Key"] for u in listed.get("Uploads", [])]


# -- the server checks signatures ------------------------------------------------------------------------
async def test_the_server_checks_signatures_and_refuses_a_wrong_secret(moto: Moto, s3: S3Storage) -> None:
    key = await store(s3, b"signed")
    assert await read_all(s3, key) == b"signed"

    wrong = moto.storage(secret_access_key="not-the-secret", prefix=s3.prefix)
    with pytest.raises(S3Error) as refused:
        await read_all(wrong, key)
    assert refused.value.status == 403
    assert refused.value.code == "SignatureDoesNotMatch"
    assert "GetObject" in str(refused.value)
    assert "SignatureDoesNotMatch" in str(refused.value)
    with pytest.raises(S3Error, match=r"PutObject.*403 SignatureDoesNotMatch"):
        await store(wrong, b"x")
    await wrong.aclose()

    unknown = moto.storage(access_key_id="AKIAUNKNOWNKEY000000", prefix=s3.prefix)
    with pytest.raises(S3Error) as no_key:
        await read_all(unknown, key)
    assert no_key.value.status == 403
    assert no_key.value.code == "InvalidAccessKeyId"
    await unknown.aclose()


# -- round trips -------------------------------------------------------------------------------------------
async def test_a_small_file_is_one_put_object(moto: Moto, s3: S3Storage) -> None:
    data = b"A small file, written in three chunks.\n"
    writer = s3.writer()
    for piece in (data[:5], data[5:20], data[20:]):
        await writer.write(piece)
    key = await writer.commit()
    assert key.count("/") == 1
    assert len(key.split("/")[1]) == 32
    assert key[:2] == key.split("/")[1][:2]
    head = moto.client().head_object(Bucket=BUCKET, Key=s3.prefix + key)
    assert head["ContentLength"] == len(data)
    assert "-" not in head["ETag"]  # not a multipart upload
    assert await read_all(s3, key) == data
    assert objects_under(moto, s3.prefix) == [s3.prefix + key]
    assert pending_uploads(moto, s3.prefix) == []

    empty = await store(s3, b"")
    assert await read_all(s3, empty) == b""


async def test_a_20_mib_file_goes_in_parts_and_comes_back_identical(moto: Moto, s3: S3Storage) -> None:
    data = os.urandom(20 * MIB + 12_345)
    writer = s3.writer()
    for i in range(0, len(data), 1_000_003):
        await writer.write(data[i : i + 1_000_003])
        assert writer._buffered < PART  # memory: at most about one part
    key = await writer.commit()

    head = moto.client().head_object(Bucket=BUCKET, Key=s3.prefix + key)
    assert head["ContentLength"] == len(data)
    assert head["ETag"].strip('"').endswith("-5")  # 4 parts of 5 MiB and the rest
    assert pending_uploads(moto, s3.prefix) == []
    digest = hashlib.sha256()
    chunks = 0
    async for chunk in s3.read(key):
        digest.update(chunk)
        chunks += 1
        assert len(chunk) <= 256 * 1024  # streamed, never the whole object
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert chunks > 20 * 4

    # Ranges: the start, a middle across a part boundary, up to the end, the last byte, past the end.
    assert await read_all(s3, key, 0, 0) == data[:1]
    assert await read_all(s3, key, 10, 19) == data[10:20]
    assert await read_all(s3, key, PART - 10, PART + 9) == data[PART - 10 : PART + 10]
    assert await read_all(s3, key, 3 * MIB, 4 * MIB - 1) == data[3 * MIB : 4 * MIB]
    assert await read_all(s3, key, len(data) - 100) == data[-100:]
    assert await read_all(s3, key, len(data) - 1, len(data) - 1) == data[-1:]
    assert await read_all(s3, key, len(data)) == b""


# -- abort, delete, as_file --------------------------------------------------------------------------------
async def test_abort_leaves_no_object_and_no_pending_upload(moto: Moto, s3: S3Storage) -> None:
    writer = s3.writer()
    await writer.write(os.urandom(PART + 1000))  # one part sent: a multipart upload is in progress
    assert pending_uploads(moto, s3.prefix) != []
    await writer.abort()
    await writer.abort()  # twice is fine
    assert pending_uploads(moto, s3.prefix) == []
    assert objects_under(moto, s3.prefix) == []
    with pytest.raises(RuntimeError):
        await writer.write(b"more")

    small = s3.writer()
    await small.write(b"never committed")
    await small.abort()
    assert objects_under(moto, s3.prefix) == []

    # Cancelled half-way (a client gone): the clean-up still runs to its end.
    cancelled = s3.writer()
    await cancelled.write(os.urandom(PART))
    task = asyncio.create_task(cancelled.write(os.urandom(PART)))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):
        if not pending_uploads(moto, s3.prefix):
            break
        await asyncio.sleep(0.05)
    assert pending_uploads(moto, s3.prefix) == []
    assert objects_under(moto, s3.prefix) == []


async def test_delete_is_idempotent_and_a_missing_key_is_not_found(moto: Moto, s3: S3Storage) -> None:
    key = await store(s3, b"short-lived")
    await s3.delete(key)
    await s3.delete(key)
    await s3.delete("ab/" + "0" * 32)
    assert objects_under(moto, s3.prefix) == []
    with pytest.raises(S3KeyNotFoundError) as missing:
        await read_all(s3, key)
    assert isinstance(missing.value, FileNotFoundError)
    assert missing.value.code == "NoSuchKey"
    with pytest.raises(ValueError, match="invalid storage key"):
        await s3.delete("../escape")


async def test_as_file_gives_a_temporary_copy(moto: Moto, s3: S3Storage, tmp_path: Path) -> None:
    data = os.urandom(3 * MIB)
    key = await store(s3, data)
    temp = tmp_path / "tmp"
    temp.mkdir()
    storage = moto.storage(prefix=s3.prefix, temp_dir=temp)
    async with storage.as_file(key) as path:
        assert path.parent == temp
        assert path.read_bytes() == data
    assert not path.exists()
    assert list(temp.iterdir()) == []
    with pytest.raises(S3KeyNotFoundError):
        async with storage.as_file("ab/" + "1" * 32):
            pass
    assert list(temp.iterdir()) == []
    await storage.aclose()

    local = LocalStorage(tmp_path / "files")
    writer = local.writer()
    await writer.write(b"local bytes")
    local_key = await writer.commit()
    async with local.as_file(local_key) as path:
        assert path.read_bytes() == b"local bytes"
        assert path.is_relative_to(tmp_path / "files")


# -- errors and retries ------------------------------------------------------------------------------------
async def test_a_bad_bucket_is_a_clear_error(moto: Moto) -> None:
    storage = moto.storage(bucket="no-such-bucket")
    with pytest.raises(S3Error) as put:
        await store(storage, b"x")
    assert put.value.operation == "PutObject"
    assert put.value.status == 404
    assert put.value.code == "NoSuchBucket"
    assert "no-such-bucket" in str(put.value)
    assert "PutObject" in str(put.value)
    with pytest.raises(S3Error, match=r"CreateMultipartUpload .* 404 NoSuchBucket"):
        await store(storage, os.urandom(PART + 1))
    with pytest.raises(S3Error, match=r"GetObject .* 404 NoSuchBucket"):
        await read_all(storage, "ab/" + "2" * 32)
    await storage.aclose()

    unreachable = moto.storage(endpoint_url=f"http://127.0.0.1:{_port_of_bind_zero()}", max_attempts=2)
    with pytest.raises(S3Error) as down:
        await store(unreachable, b"x")
    assert down.value.status is None
    assert down.value.code == "ConnectError"
    assert "no answer" in str(down.value)
    await unreachable.aclose()


class _Flaky(httpx.AsyncBaseTransport):
    """Between the storage and moto: answers the first UploadPart and PutObject with 503 SlowDown, and breaks
    the first GET's body off after its first chunk."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.failed: set[str] = set()
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        query = request.url.query.decode()
        kind = "part" if "partNumber" in query else f"{request.method}{'?' + query if query else ''}"
        self.requests.append(kind)
        if kind in ("part", "PUT") and kind not in self.failed:
            self.failed.add(kind)
            body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
            return httpx.Response(503, content=body)
        response = await self.inner.handle_async_request(request)
        if request.method == "GET" and "GET" not in self.failed:
            self.failed.add("GET")
            return httpx.Response(response.status_code, headers=response.headers, stream=_BreakAfterOne(response))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _BreakAfterOne(httpx.AsyncByteStream):
    def __init__(self, response: httpx.Response):
        self.response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.response.aiter_raw(64 * 1024):
            yield chunk
            raise httpx.ReadError("connection reset")

    async def aclose(self) -> None:
        await self.response.aclose()


async def test_transient_failures_are_retried_and_a_broken_read_resumes(moto: Moto, s3: S3Storage) -> None:
    flaky = _Flaky()
    storage = moto.storage(prefix=s3.prefix, transport=flaky)
    data = os.urandom(PART + 300_000)
    key = await store(storage, data)
    assert flaky.requests.count("part") == 3  # one 503, then parts 1 and 2
    assert await read_all(storage, key) == data  # resumed from the byte after the break
    assert [r for r in flaky.requests if r.startswith("GET")] == ["GET", "GET"]
    small = await store(storage, b"put again")
    assert flaky.requests.count("PUT") == 2
    assert await read_all(s3, small) == b"put again"
    await storage.aclose()


# -- the signer against botocore -----------------------------------------------------------------------
WHEN = datetime(2026, 3, 14, 15, 9, 26, tzinfo=UTC)
SIGNER_CASES = [
    ("GET", "/docs-test/ab/abcdef", [], {"range": "bytes=0-99"}, EMPTY_SHA256),
    ("PUT", "/docs-test/dossiers/été 2026/relevé n°1 (copie).pdf", [], {}, hashlib.sha256(b"body").hexdigest()),
    ("PUT", "/docs-test/k/a+b=c&d~e!*'()", [("partNumber", "7"), ("uploadId", "a/b+c=d e~f")], {}, EMPTY_SHA256),
    ("POST", "/docs-test/k/名前 ファイル", [("uploads", "")], {"content-type": "application/xml"}, EMPTY_SHA256),
    ("DELETE", "/docs-test/k/x", [("uploadId", "2~ñ"), ("a", "z"), ("a", "b")], {}, EMPTY_SHA256),
]


@pytest.mark.parametrize(("method", "raw_path", "params", "headers", "payload"), SIGNER_CASES)
def test_the_signer_agrees_with_botocore(
    method: str, raw_path: str, params: list[tuple[str, str]], headers: dict[str, str], payload: str
) -> None:
    host = "127.0.0.1:9000"
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    path, query = encode_path(raw_path), canonical_query(params)
    ours = signed_headers(
        creds,
        method=method,
        host=host,
        path=path,
        query=query,
        headers=headers,
        payload_hash=payload,
        region="eu-west-3",
        when=WHEN,
    )
    # botocore encodes the key itself (as its S3 serializer does) and the query from the parameters.
    request = AWSRequest(
        method=method,
        url=f"http://{host}{percent_encode(raw_path, safe='/~')}",
        headers={k: v for k, v in ours.items() if k != "authorization"},
        params=params,
    )
    request.context["timestamp"] = ours["x-amz-date"]
    auth = S3SigV4Auth(BotoCredentials(creds.access_key_id, creds.secret_access_key), "s3", "eu-west-3")
    theirs_canonical = auth.canonical_request(request)
    assert canonical_request(method, path, query, {k: v for k, v in ours.items() if k != "authorization"}, payload) == (
        theirs_canonical
    )
    theirs = auth.signature(auth.string_to_sign(request, theirs_canonical), request)
    assert ours["authorization"].endswith(f"Signature={theirs}")
    names = auth.signed_headers(auth.headers_to_sign(request))
    assert f"Credential=AKIDEXAMPLE/20260314/eu-west-3/s3/aws4_request, SignedHeaders={names}," in ours["authorization"]


def test_the_signer_reproduces_the_aws_documentation_example() -> None:
    """'GET Object' from AWS's SigV4 examples for S3 (examplebucket, a range of test.txt, 24 May 2013)."""
    headers = signed_headers(
        Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        method="GET",
        host="examplebucket.s3.amazonaws.com",
        path=encode_path("/test.txt"),
        headers={"Range": "bytes=0-9"},
        region="us-east-1",
        when=datetime(2013, 5, 24, tzinfo=UTC),
    )
    assert headers["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


# -- settings --------------------------------------------------------------------------------------------
def test_settings_choose_the_backend_and_refuse_an_incomplete_s3(tmp_path: Path) -> None:
    local = DocsSettings(var_dir=tmp_path)
    assert isinstance(storage_for(local), LocalStorage)
    assert storage_for(local) is storage_for(local)

    with pytest.raises(ValidationError) as incomplete:
        DocsSettings(storage_backend="s3", s3_bucket="b", s3_access_key_id="")
    line = describe_settings_error(DocsSettings, incomplete.value)
    assert "BACKOFFICE_DOCS_STORAGE_BACKEND is s3" in line
    assert "BACKOFFICE_DOCS_S3_ACCESS_KEY_ID and BACKOFFICE_DOCS_S3_SECRET_ACCESS_KEY" in line
    assert "S3_BUCKET" not in line
    with pytest.raises(ValidationError, match="s3_part_size_bytes"):
        DocsSettings(s3_part_size_bytes=MIB)
    with pytest.raises(ValidationError, match="http"):
        DocsSettings(s3_endpoint_url="minio:9000")

    chosen = DocsSettings(
        storage_backend="s3",
        s3_bucket="b",
        s3_access_key_id="k",
        s3_secret_access_key=SecretStr("s"),
        s3_prefix="/docs/",
        s3_addressing_style="virtual",
        s3_endpoint_url="https://objects.example.com:8443",
    )
    storage = storage_for(chosen)
    assert isinstance(storage, S3Storage)
    assert storage.prefix == "docs/"
    assert storage._host == "b.objects.example.com:8443"
    assert storage.object_name("ab/cd") == "docs/ab/cd"
    assert storage._base_path == ""


# -- the service with the S3 backend ------------------------------------------------------------------
def test_the_service_files_searches_and_serves_from_the_bucket(
    moto: Moto, gateway_client: GatewayClient, start_service: ServiceStarter, tmp_path: Path
) -> None:
    prefix = f"svc-{uuid.uuid4().hex[:8]}/"
    files = tmp_path / "local-files"
    docs = start_service(
        "docs",
        env={
            "BACKOFFICE_DOCS_STORAGE_DIR": str(files),
            "BACKOFFICE_DOCS_STORAGE_BACKEND": "s3",
            "BACKOFFICE_DOCS_S3_ENDPOINT_URL": moto.url,
            "BACKOFFICE_DOCS_S3_BUCKET": BUCKET,
            "BACKOFFICE_DOCS_S3_REGION": REGION,
            "BACKOFFICE_DOCS_S3_ACCESS_KEY_ID": moto.access_key_id,
            "BACKOFFICE_DOCS_S3_SECRET_ACCESS_KEY": moto.secret_access_key,
            "BACKOFFICE_DOCS_S3_PREFIX": prefix,
            "BACKOFFICE_DOCS_S3_PART_SIZE_BYTES": str(PART),
            "BACKOFFICE_DOCS_S3_TEMP_DIR": str(tmp_path),
        },
    )
    with httpx.Client(base_url=docs.url, headers=gateway_client.auth(gateway_client.admin_token), timeout=60) as c:
        pdf = pdf_with("Quarterly supplier review: the zeppelin invoices are late.")
        doc = ok(upload(c, pdf, "review.pdf", "application/pdf", title="Supplier review"), 201)
        big = os.urandom(11 * MIB)
        blob = ok(upload(c, big, "blob.bin", "application/octet-stream", title="Blob"), 201)

        # The text was extracted from the bucket's copy (as_file): the PDF is found by a word of its body.
        hits = ok(c.get("/search", params={"q": "zeppelin"}))
        assert [h["document"]["id"] for h in hits["items"]] == [doc["id"]]
        got = c.get(f"/documents/{doc['id']}/content")
        assert got.status_code == 200
        assert got.content == pdf
        whole = c.get(f"/documents/{blob['id']}/content")
        assert whole.status_code == 200
        assert hashlib.sha256(whole.content).hexdigest() == hashlib.sha256(big).hexdigest()
        part = c.get(f"/documents/{blob['id']}/content", headers={"Range": f"bytes={PART - 5}-{PART + 4}"})
        assert part.status_code == 206
        assert part.content == big[PART - 5 : PART + 5]
        copied = ok(c.post(f"/documents/{doc['id']}/copy", json={}), 201)
        assert c.get(f"/documents/{copied['id']}/content").content == pdf

    assert len(objects_under(moto, prefix)) == 3
    assert pending_uploads(moto, prefix) == []
    assert stored_files(files) == []
    assert [p for p in tmp_path.glob("s3-*")] == []
