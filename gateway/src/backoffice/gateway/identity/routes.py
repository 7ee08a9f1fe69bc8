"""``/auth/*``: sign in, refresh, sign out, who am I, passwords, activation, users."""

from __future__ import annotations

from typing import Annotated

from backoffice.gateway.identity import service
from backoffice.gateway.identity.schemas import (
    Activation,
    ActivationToken,
    LoginRequest,
    PasswordChange,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserPage,
    UserRead,
)
from backoffice.gateway.limits import client_address
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.errors import Problem, problem_response
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/auth", tags=["auth"])

AdminOrHr = Annotated[Principal, Depends(require_roles("hr"))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]


@router.post(
    "/login",
    response_model=TokenPair,
    summary="Sign in with a login and a password",
    responses={401: {}, 403: {}, 429: {}},
)
async def login(body: LoginRequest, request: Request, session: SessionDep) -> TokenPair:
    guard = request.app.state.login_guard
    address = client_address(request.scope)
    await guard.check(body.login, address)
    try:
        user = await service.authenticate(session, body.login, body.password)
    except Problem as exc:
        if exc.status == 401:
            await guard.failed(body.login, address)
        raise
    await guard.succeeded(body.login)
    return await service.issue_tokens(session, request.app.state.keyring, request.app.state.settings, user)


@router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Exchange a refresh token for new tokens",
    responses={401: {}, 403: {}},
)
async def refresh(body: RefreshRequest, request: Request, session: SessionDep) -> TokenPair | JSONResponse:
    try:
        return await service.rotate_refresh(
            session, request.app.state.keyring, request.app.state.settings, body.refresh_token
        )
    except service.RefreshReuse as exc:
        await session.commit()  # keep the revocation of the family
        return problem_response(request, exc.status, exc.detail, slug=exc.slug)


@router.post("/logout", status_code=204, summary="Sign out: the refresh token's session ends")
async def logout(body: RefreshRequest, session: SessionDep) -> Response:
    await service.logout(session, body.refresh_token)
    return Response(status_code=204)


@router.get("/me", response_model=UserRead, summary="The signed-in user")
async def me(user: CurrentUser, session: SessionDep) -> UserRead:
    return service.to_read(await service.get_user(session, user.user_id))


@router.post("/password", status_code=204, summary="Change one's password (other sessions are signed out)")
async def change_password(body: PasswordChange, user: CurrentUser, request: Request, session: SessionDep) -> Response:
    await service.change_password(
        session, request.app.state.settings, user.user_id, body.current_password, body.new_password
    )
    return Response(status_code=204)


@router.post("/activate", response_model=UserRead, summary="Set the first password with an activation token")
async def activate(body: Activation, request: Request, session: SessionDep) -> UserRead:
    user = await service.activate(session, request.app.state.settings, body.token, body.password)
    return service.to_read(user)


@router.get("/users", response_model=UserPage, summary="Logins (HR, admin)")
async def list_users(
    _user: AdminOrHr,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=120, description="part of the login or e-mail")] = None,
    role: Annotated[str | None, Query(max_length=20)] = None,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> UserPage:
    return await service.list_users(session, query=q, role=role, active=active, limit=limit, offset=offset)


@router.post("/users", response_model=UserRead, status_code=201, summary="Create a login (admin)")
async def create_user(body: UserCreate, admin: Admin, request: Request, session: SessionDep) -> UserRead:
    user = await service.create_user(
        session,
        request.app.state.settings,
        login=body.login,
        email=str(body.email),
        roles=list(body.roles),
        employee_id=body.employee_id,
        password=body.password,
        actor=admin.user_id,
    )
    return service.to_read(user)


@router.post(
    "/users/{user_id}/activation-token",
    response_model=ActivationToken,
    summary="A new one-time activation token for a login (HR, admin)",
)
async def activation_token(user_id: str, _user: AdminOrHr, request: Request, session: SessionDep) -> ActivationToken:
    user = await service.get_user(session, user_id)
    token, expires_at = await service.issue_activation(session, request.app.state.settings, user)
    return ActivationToken(user_id=user.id, token=token, expires_at=expires_at)
