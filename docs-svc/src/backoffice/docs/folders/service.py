"""Folders: made by the filing roles (and, for documents filed by events, by this service), listed for those who
may see what is in them. Which folders hold a document someone may read is the documents domain's to say: it is
passed in as a ``FolderScope``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from backoffice.docs.folders.models import Folder
from backoffice.docs.folders.schemas import FolderCreate, FolderPage, FolderRead
from backoffice.docs.names import tidy_name
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Forbidden, Problem
from backoffice.shared.ids import new_id
from backoffice.shared.paging import slice_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

FILING_ROLES = ("hr", "payroll", "office")  # they organise the folders; others see only where their documents are
PATH_LIMIT = 2000  # the length of folders.path

# The ids of the folders holding an active document the caller may read.
FolderScope = Callable[[AsyncSession, Principal], Awaitable[set[str]]]


def organises(user: Principal) -> bool:
    """Whether the caller sees and organises every folder (admins and the filing roles)."""
    return user.is_admin or user.has_any(*FILING_ROLES)


async def check_folder(session: AsyncSession, folder_id: str | None) -> None:
    """A 404 unless ``folder_id`` is empty or names a folder."""
    if folder_id is not None:
        await get_or_404(session, Folder, folder_id)


async def create_folder(session: AsyncSession, user: Principal, body: FolderCreate) -> FolderRead:
    """Adds a folder under its parent (or at the root); a 409 when the path exists."""
    if not organises(user):
        raise Forbidden(f"folders are organised by {', '.join(FILING_ROLES)} and admins", slug="forbidden")
    parent_path = ""
    if body.parent_id is not None:
        parent_path = (await get_or_404(session, Folder, body.parent_id)).path
    path = f"{parent_path}/{body.name.strip()}"
    if len(path) > PATH_LIMIT:
        raise Problem(
            422,
            f"the folder's path would be {len(path)} characters, over {PATH_LIMIT}: nest less deeply",
            slug="path-too-long",
        )
    folder = Folder(
        id=new_id(),
        name=body.name.strip(),
        parent_id=body.parent_id,
        path=path,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(folder)
    await flush_or_conflict(session, f"folder {folder.path} exists", slug="folder-exists")
    return FolderRead.model_validate(folder, from_attributes=True)


async def ensure_folder(session: AsyncSession, names: list[str], *, by: str) -> Folder:
    """The folder at ``/names[0]/names[1]/…``, made with its parents where missing (for documents filed by
    events, such as each employee's folder). Names are tidied (a '/' inside one becomes '-')."""
    folder: Folder | None = None
    path = ""
    for raw in names:
        name = tidy_name(raw)
        path = f"{path}/{name}"
        found = await session.scalar(select(Folder).where(Folder.path == path))
        if found is None:
            found = Folder(
                id=new_id(),
                name=name,
                parent_id=folder.id if folder else None,
                path=path,
                created_at=utcnow(),
                created_by=by,
            )
            session.add(found)
            await session.flush()
        folder = found
    assert folder is not None, "at least one folder name"
    return folder


async def list_folders(
    session: AsyncSession, user: Principal, scope: FolderScope, limit: int, offset: int
) -> FolderPage:
    """Every folder for admins and the filing roles; for anyone else (folder names such as an employee's own
    say who works here) the folders holding a document they may read, with the folders above them."""
    rows = (await session.scalars(select(Folder).order_by(Folder.path))).all()
    if not organises(user):
        holding = await scope(session, user)
        paths = {f.path for f in rows if f.id in holding}
        rows = [f for f in rows if any(p == f.path or p.startswith(f.path + "/") for p in paths)]
    items, total = slice_page(rows, limit, offset)
    return FolderPage(
        items=[FolderRead.model_validate(f, from_attributes=True) for f in items],
        total=total,
        limit=limit,
        offset=offset,
    )
