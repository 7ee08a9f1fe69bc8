"""Where document files live. Only this package touches them: the rest of the service sees keys.

Two backends behind one interface, chosen by the settings (``STORAGE_BACKEND``): ``LocalStorage``, a directory
(the default), and ``S3Storage`` (:mod:`backoffice.docs.storage.s3`), an S3-compatible bucket for production and
for replicas on several machines. Libraries that need a file path (text extraction) get one with
``async with storage.as_file(key) as path``: the file itself, or the object downloaded to a temporary file."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol

from backoffice.shared.deps import app_state
from fastapi import Depends

if TYPE_CHECKING:
    from backoffice.docs.settings import DocsSettings

CHUNK = 256 * 1024


class StorageError(OSError):
    """The storage could not do what was asked (the S3 backend's failures are :class:`~.s3.S3Error`)."""


def new_key() -> str:
    """A fresh random key, ``ab/<32 hex>``: spread over 256 directories (or key prefixes), never reused."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


class StorageWriter(Protocol):
    async def write(self, chunk: bytes) -> None: ...

    async def commit(self) -> str:
        """Make the written bytes permanent; returns their key."""
        ...

    async def abort(self) -> None: ...


class Storage(Protocol):
    def writer(self) -> StorageWriter: ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of ``key`` from ``start`` up to and including ``end``."""
        ...

    async def delete(self, key: str) -> None:
        """Removes ``key``; a key already gone is not an error."""
        ...

    def as_file(self, key: str) -> AbstractAsyncContextManager[Path]:
        """``async with storage.as_file(key) as path``: a local file with the bytes of ``key``, for libraries that
        need a path (text extraction), valid inside the block only."""
        ...

    async def aclose(self) -> None:
        """Releases connections (at shutdown); the storage opens new ones if it is used again."""
        ...


_shared: dict[int, Storage] = {}


def storage_for(settings: DocsSettings) -> Storage:
    """The storage the settings choose: the S3-compatible bucket when ``storage_backend`` is ``s3``, else the local
    directory. One per settings object: the app and its event handlers share it (and its connections), and closing
    it once at shutdown releases them."""
    found = _shared.get(id(settings))
    if found is None:
        if settings.storage_backend == "s3":
            from backoffice.docs.storage.s3 import S3Storage

            found = S3Storage.from_settings(settings)
        else:
            found = LocalStorage(settings.files_dir())
        _shared[id(settings)] = found
        weakref.finalize(settings, _shared.pop, id(settings), None)
    return found


class _LocalWriter:
    def __init__(self, root: Path):
        self.root = root
        self.key = new_key()
        self.partial = root / ".partial" / f"{uuid.uuid4().hex}.part"
        self.partial.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.partial, "wb")  # noqa: SIM115 - closed in commit/abort

    async def write(self, chunk: bytes) -> None:
        await asyncio.to_thread(self.file.write, chunk)

    async def commit(self) -> str:
        def finish() -> None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            target = self.root / self.key
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.partial, target)

        await asyncio.to_thread(finish)
        return self.key

    async def abort(self) -> None:
        self.file.close()
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()


class LocalStorage:
    """Files under one directory; a file appears under its key only once it is completely written."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def writer(self) -> StorageWriter:
        return _LocalWriter(self.root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"invalid storage key {key!r}")
        return path

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        file = await asyncio.to_thread(open, self._path(key), "rb")
        with file:
            file.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                size = CHUNK if remaining is None else min(CHUNK, remaining)
                chunk = await asyncio.to_thread(file.read, size)
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    async def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(self._path(key).unlink)

    @contextlib.asynccontextmanager
    async def as_file(self, key: str) -> AsyncIterator[Path]:
        yield self._path(key)

    async def aclose(self) -> None:
        return None


StorageDep = Annotated[Storage, Depends(app_state("storage"))]
