"""``/templates``: the letters generated from events."""

from __future__ import annotations

from typing import Annotated

from backoffice.docs.generated import service
from backoffice.docs.generated.render import KINDS
from backoffice.docs.generated.service import TemplatePage, TemplateRead, TemplateUpdate, TemplateVersionPage
from backoffice.docs.numbers import INT32_MAX
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset, slice_page
from fastapi import APIRouter, Path

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", response_model=TemplatePage, summary="Every template, the company's or the default")
async def list_templates(user: CurrentUser, session: SessionDep, limit: Limit = 50, offset: Offset = 0) -> TemplatePage:
    kinds, total = slice_page(KINDS, limit, offset)
    items = [await service.read_template(session, user, kind) for kind in kinds]
    return TemplatePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{kind}", response_model=TemplateRead, summary="One template")
async def read(kind: str, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.read_template(session, user, kind)


@router.put("/{kind}", response_model=TemplateRead, summary="Replace a template (checked against a sample)")
async def save(kind: str, body: TemplateUpdate, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.save_template(session, user, kind, body.body)


@router.get(
    "/{kind}/versions", response_model=TemplateVersionPage, summary="Every body it was saved with, newest first"
)
async def versions(
    kind: str, user: CurrentUser, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> TemplateVersionPage:
    return await name_actors(session, await service.template_versions(session, user, kind, limit, offset))


@router.post("/{kind}/versions/{number}/restore", response_model=TemplateRead, summary="Use an earlier version again")
async def restore(
    kind: str, number: Annotated[int, Path(ge=1, le=INT32_MAX)], user: CurrentUser, session: SessionDep
) -> TemplateRead:
    return await service.restore_template(session, user, kind, number)


@router.delete("/{kind}", response_model=TemplateRead, summary="Back to the default template")
async def reset(kind: str, user: CurrentUser, session: SessionDep) -> TemplateRead:
    return await service.reset_template(session, user, kind)
