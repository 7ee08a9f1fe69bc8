"""``/folders``: the tree documents are filed in."""

from __future__ import annotations

from backoffice.docs.folders import service
from backoffice.docs.folders.schemas import FolderCreate, FolderPage, FolderRead
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter


def folders_router(scope: service.FolderScope) -> APIRouter:
    """The folder routes; ``scope`` says which folders hold documents a caller may read."""
    router = APIRouter(tags=["documents"])

    @router.post("/folders", status_code=201, response_model=FolderRead, summary="Add a folder")
    async def create_folder(body: FolderCreate, user: CurrentUser, session: SessionDep) -> FolderRead:
        return await service.create_folder(session, user, body)

    @router.get("/folders", response_model=FolderPage, summary="Folders, by path")
    async def folders(user: CurrentUser, session: SessionDep, limit: Limit = 200, offset: Offset = 0) -> FolderPage:
        return await service.list_folders(session, user, scope, limit, offset)

    return router
