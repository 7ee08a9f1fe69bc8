"""AWS Signature Version 4 for S3 requests, as small pure functions (no I/O, no clock: the caller passes the time).

The steps are AWS's: a *canonical request* (method, URI, query, headers, payload hash), a *string to sign* (its
hash under a date/region/service scope), a *signing key* derived from the secret by HMAC chaining, and the
``Authorization`` header that carries the signature.

S3 differs from the other services in one point: the URI of the canonical request is the object's path encoded
once, exactly as sent (other services encode it twice). :func:`encode_path` makes that path, and the client
puts the same string on the wire, so what is signed is what the server receives.

The payload is signed by its SHA-256 (``x-amz-content-sha256``): the S3 backend holds each body in memory anyway
(a part at most), hashing it costs a few milliseconds, and the server then refuses a body altered or cut on the
way (``XAmzContentSHA256Mismatch``), also over plain HTTP where TLS does not protect it. :data:`UNSIGNED_PAYLOAD`
is there for bodies that cannot be hashed ahead of sending; this package does not need it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str = field(repr=False)


def uri_encode(value: str, *, keep_slash: bool = False) -> str:
    """RFC 3986 encoding as SigV4 wants it: ``A-Z a-z 0-9 - _ . ~`` kept, every other UTF-8 byte as ``%XX``
    (upper-case hex); ``/`` kept only in paths."""
    return quote(value, safe="/" if keep_slash else "")


def encode_path(path: str) -> str:
    """The canonical (and wire) form of an S3 path such as ``/bucket/some key``: each segment encoded once."""
    return uri_encode(path if path.startswith("/") else f"/{path}", keep_slash=True)


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """``k=v`` pairs encoded, sorted by name then value, joined by ``&`` (a flag like ``uploads`` is ``uploads=``)."""
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in params)
    return "&".join(f"{k}={v}" for k, v in pairs)


def canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    """The canonical header block (``name:value\\n`` lower-cased, sorted, spaces folded) and the signed names."""
    folded: dict[str, str] = {}
    for name, value in headers.items():
        key = name.strip().lower()
        text = " ".join(str(value).split())
        folded[key] = f"{folded[key]},{text}" if key in folded else text
    names = sorted(folded)
    return "".join(f"{n}:{folded[n]}\n" for n in names), ";".join(names)


def canonical_request(method: str, path: str, query: str, headers: Mapping[str, str], payload_hash: str) -> str:
    """``path`` is already encoded (:func:`encode_path`), ``query`` already canonical (:func:`canonical_query`)."""
    block, signed = canonical_headers(headers)
    return "\n".join([method.upper(), path, query, block, signed, payload_hash])


def amz_date(when: datetime) -> str:
    """The time as SigV4 writes it (``20260131T120000Z``, UTC)."""
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def credential_scope(when: datetime, region: str, service: str = "s3") -> str:
    """The SigV4 credential scope: date, region, service, ``aws4_request``."""
    return f"{amz_date(when)[:8]}/{region}/{service}/aws4_request"


def string_to_sign(when: datetime, scope: str, canonical: str) -> str:
    """The SigV4 string to sign for a canonical request."""
    return "\n".join([ALGORITHM, amz_date(when), scope, hashlib.sha256(canonical.encode()).hexdigest()])


def signing_key(secret_access_key: str, when: datetime, region: str, service: str = "s3") -> bytes:
    """The SigV4 signing key derived from the secret for a day, region and service."""
    key = f"AWS4{secret_access_key}".encode()
    for part in (amz_date(when)[:8], region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signature(secret_access_key: str, when: datetime, region: str, to_sign: str, service: str = "s3") -> str:
    """The hex SigV4 signature of ``to_sign``."""
    key = signing_key(secret_access_key, when, region, service)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    credentials: Credentials,
    *,
    method: str,
    host: str,
    path: str,
    query: str = "",
    headers: Mapping[str, str] | None = None,
    payload_hash: str = EMPTY_SHA256,
    region: str,
    when: datetime,
    service: str = "s3",
) -> dict[str, str]:
    """The headers to send: ``headers`` plus ``host``, ``x-amz-date``, ``x-amz-content-sha256`` and
    ``Authorization``. Every header given is signed, so nothing the server reads can be changed on the way."""
    to_send = {k.lower(): v for k, v in (headers or {}).items()}
    to_send.update({"host": host, "x-amz-date": amz_date(when), "x-amz-content-sha256": payload_hash})
    canonical = canonical_request(method, path, query, to_send, payload_hash)
    scope = credential_scope(when, region, service)
    sig = signature(credentials.secret_access_key, when, region, string_to_sign(when, scope, canonical), service)
    _, names = canonical_headers(to_send)
    to_send["authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key_id}/{scope}, SignedHeaders={names}, Signature={sig}"
    )
    return to_send
