"""``/auth/*``: sign in, refresh, sign out, who am I, passwords, activation, password resets, users.

Every answer here is ``Cache-Control: no-store``: many carry tokens (RFC 6749 §5.1), the rest personal data.
"""

from __future__ import annotations

from typing import Annotated

from backoffice.gateway.identity import service
from backoffice.gateway.identity.models import User
from backoffice.gateway.identity.schemas import (
    Activation,
    ActivationToken,
    LoginRequest,
    PasswordChange,
    PasswordReset,
    PasswordResetToken,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)
from backoffice.gateway.keys.service import KeyRingDep
from backoffice.gateway.limits import LoginGuard, LoginGuardDep, client_address, limit_auth_requests
from backoffice.gateway.settings import GatewaySettingsDep
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.errors import Problem, problem_response
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse


async def no_store(response: Response) -> None:
    """Tokens and personal data are never kept by a browser or a proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(limit_auth_requests), Depends(no_store)])

AdminOrHr = Annotated[Principal, Depends(require_roles("hr"))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]


@router.post(
    "/login",
    response_model=TokenPair,
    summary="Sign in with a login and a password",
    responses={401: {}, 403: {}, 429: {}},
)
async def login(
    body: LoginRequest,
    request: Request,
    session: SessionDep,
    guard: LoginGuardDep,
    keyring: KeyRingDep,
    settings: GatewaySettingsDep,
) -> TokenPair:
    user = await sign_in(body, request, session, guard)
    return await service.issue_tokens(session, keyring, settings, user)


async def sign_in(body: LoginRequest, request: Request, session: SessionDep, guard: LoginGuard) -> User:
    """The user these credentials name, with failed attempts counted against the login and the address."""
    address = client_address(request.scope)
    await guard.check(body.login, address)
    try:
        user = await service.authenticate(session, body.login, body.password)
    except Problem as exc:
        if exc.status == 401:
            await guard.failed(body.login, address)
        raise
    await guard.succeeded(body.login, address)
    return user


@router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Exchange a refresh token for new tokens",
    responses={401: {}, 403: {}},
)
async def refresh(
    body: RefreshRequest, request: Request, session: SessionDep, keyring: KeyRingDep, settings: GatewaySettingsDep
) -> TokenPair | JSONResponse:
    try:
        return await service.rotate_refresh(session, keyring, settings, body.refresh_token)
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


@router.post(
    "/password",
    status_code=204,
    summary="Change one's password (every session is signed out)",
    responses={403: {}, 429: {}},
)
async def change_password(
    body: PasswordChange,
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    guard: LoginGuardDep,
    settings: GatewaySettingsDep,
) -> Response:
    # A wrong current password counts as a failed sign-in: a stolen session must not guess the password.
    address = client_address(request.scope)
    login = (await service.get_user(session, user.user_id)).login
    await guard.check(login, address)
    try:
        await service.change_password(session, settings, user.user_id, body.current_password, body.new_password)
    except Problem as exc:
        if exc.slug == "wrong-credentials":
            await guard.failed(login, address)
        raise
    return Response(status_code=204, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@router.post(
    "/activate",
    response_model=UserRead,
    summary="Set the first password with an activation token (every session is signed out)",
    responses={400: {}, 403: {}},
)
async def activate(body: Activation, session: SessionDep, settings: GatewaySettingsDep) -> UserRead:
    user = await service.activate(session, settings, body.token, body.password)
    return service.to_read(user)


@router.post(
    "/password-reset",
    response_model=UserRead,
    summary="Set a new password with a password reset token (every session is signed out)",
    responses={400: {}, 403: {}},
    description="Also checked, beyond what the schema says: the token must be one HR issued and still valid.",
)
async def reset_password(body: PasswordReset, session: SessionDep, settings: GatewaySettingsDep) -> UserRead:
    user = await service.reset_password(session, settings, body.token, body.password)
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


@router.post(
    "/users",
    response_model=UserRead,
    status_code=201,
    summary="Create a login (admin)",
    description="Also checked, beyond what the schema says: a password has at least "
    "BACKOFFICE_GATEWAY_PASSWORD_MIN_LENGTH characters (10 unless set).",
)
async def create_user(body: UserCreate, admin: Admin, session: SessionDep, settings: GatewaySettingsDep) -> UserRead:
    user = await service.create_user(
        session,
        settings,
        login=body.login,
        email=str(body.email),
        roles=list(body.roles),
        employee_id=body.employee_id,
        password=body.password,
        actor=admin.user_id,
        name=body.name,
    )
    return service.to_read(user)


@router.get("/users/{user_id}", response_model=UserRead, summary="A login (HR, admin)", responses={404: {}})
async def read_user(user_id: str, _user: AdminOrHr, session: SessionDep) -> UserRead:
    return service.to_read(await service.get_user(session, user_id))


@router.patch(
    "/users/{user_id}",
    response_model=UserRead,
    summary="Change a login's roles, disable or enable it (admin)",
    description="Changed roles or a disabled login end every session of the login, and a disabled login's "
    "access tokens are refused at once. Refused (409, naming the field): removing one's own admin role, "
    "disabling oneself, leaving no active admin, enabling a login whose employment ended.",
    responses={404: {}, 409: {}},
)
async def update_user(user_id: str, body: UserUpdate, admin: Admin, request: Request, session: SessionDep) -> UserRead:
    user = await service.get_user(session, user_id)
    await service.update_user(session, admin, user, roles=body.roles, active=body.active)
    read = service.to_read(user)
    await session.commit()
    await request.app.state.disabled_logins.refresh()  # this replica refuses a disabled login's tokens at once
    return read


@router.post(
    "/users/{user_id}/activation-token",
    response_model=ActivationToken,
    summary="A new one-time activation token for a login never activated (HR for employee/manager logins, admin)",
    responses={403: {}, 404: {}, 409: {}},
)
async def activation_token(
    user_id: str, actor: AdminOrHr, session: SessionDep, settings: GatewaySettingsDep
) -> ActivationToken:
    user = await service.get_user(session, user_id)
    token, expires_at = await service.issue_activation(session, settings, user, actor=actor)
    return ActivationToken(user_id=user.id, token=token, expires_at=expires_at)


@router.post(
    "/users/{user_id}/password-reset",
    response_model=PasswordResetToken,
    summary="A one-time password reset token for an activated login (HR for employee/manager logins, admin)",
    description="The owner is told (event `gateway.password_reset_issued`); the reset signs out every session.",
    responses={403: {}, 404: {}, 409: {}},
)
async def password_reset_token(
    user_id: str, actor: AdminOrHr, session: SessionDep, settings: GatewaySettingsDep
) -> PasswordResetToken:
    user = await service.get_user(session, user_id)
    token, expires_at = await service.issue_password_reset(session, settings, user, actor=actor)
    return PasswordResetToken(user_id=user.id, token=token, expires_at=expires_at)
