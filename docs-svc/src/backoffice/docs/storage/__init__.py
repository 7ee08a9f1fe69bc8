"""Where document files live. Only this package touches them: the rest of the service sees keys.

``LocalStorage`` (a directory) is the default; an S3-compatible bucket is the production backend to come
behind the same interface."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

CHUNK = 256 * 1024


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

    async def delete(self, key: str) -> None: ...

    def local_path(self, key: str) -> Path | None:
        """A file path for libraries that need one (text extraction), when the backend has one."""
        ...


def storage_for(settings: Any) -> Storage:
    """The storage the settings choose (the local directory for now)."""
    return LocalStorage(settings.files_dir())


class _LocalWriter:
    def __init__(self, root: Path):
        self.root = root
        self.key = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
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

    def local_path(self, key: str) -> Path | None:
        return self._path(key)
