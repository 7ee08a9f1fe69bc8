"""What the gateway says about the whole suite: ``/health`` and the merged ``/openapi.json``."""

from __future__ import annotations

import asyncio
import copy
import time
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from backoffice.gateway.settings import GatewaySettingsDep
from backoffice.shared.openapi import NO_NUL
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

router = APIRouter(tags=["operations"])

_SCHEMA_TTL_S = 60.0


class ServiceHealth(BaseModel):
    status: Literal["ok", "unavailable", "unreachable"] = Field(
        description="ok: ready; unavailable: it answers but a check fails; unreachable: no answer"
    )
    checks: dict[str, str] = Field(default_factory=dict, description="the service's own checks (database, nats)")
    error: str | None = Field(default=None, description="why it could not be reached")
    latency_ms: float | None = Field(default=None, description="how long its readiness answer took")


class SuiteHealth(BaseModel):
    status: Literal["ok", "degraded"]
    gateway: dict[str, str] = Field(description="the gateway's own checks: database, nats ('ok' or 'down: …')")
    services: dict[str, ServiceHealth]
    checked_at: datetime


async def _ready(client: httpx.AsyncClient, url: str) -> ServiceHealth:
    started = time.monotonic()
    try:
        response = await client.get(f"{url}/health/ready", timeout=2.0)
        body = response.json()
        checks = {str(k): str(v) for k, v in (body.get("checks") or {}).items()}
        return ServiceHealth(
            status="ok" if response.status_code == 200 else "unavailable",
            checks=checks,
            latency_ms=round((time.monotonic() - started) * 1000, 1),
        )
    except Exception as exc:
        return ServiceHealth(status="unreachable", error=type(exc).__name__)


@router.get(
    "/health",
    response_model=SuiteHealth,
    summary="Readiness of the gateway, NATS and every service",
    responses={503: {"model": SuiteHealth, "description": "something is down (the body says what)"}},
)
async def health(request: Request, response: Response, settings: GatewaySettingsDep) -> SuiteHealth:
    state = request.app.state
    async with httpx.AsyncClient() as client:
        results = await asyncio.gather(*(_ready(client, url) for url in settings.upstreams().values()))
    services = dict(zip(settings.upstreams(), results, strict=True))
    own: dict[str, str] = {}
    for name, check in (("database", state.db.ping), ("nats", state.bus.ping)):
        try:
            await asyncio.wait_for(check(), timeout=2.0)
            own[name] = "ok"
        except Exception as exc:
            own[name] = f"down: {type(exc).__name__}"
    ok = all(v == "ok" for v in own.values()) and all(s.status == "ok" for s in services.values())
    if not ok:
        response.status_code = 503
    return SuiteHealth(status="ok" if ok else "degraded", gateway=own, services=services, checked_at=datetime.now(UTC))


_SCHEMAS = "#/components/schemas/"


def _renamed(ref: Any, prefix: str) -> Any:
    if isinstance(ref, str) and ref.startswith(_SCHEMAS):
        return _SCHEMAS + prefix + ref.removeprefix(_SCHEMAS)
    return ref


def _rename_refs(node: Any, prefix: str) -> Any:
    """``node`` with every reference to a schema renamed to ``prefix`` + name: each ``$ref``, and the schemas a
    discriminator's ``mapping`` names (references too, though not under ``$ref``)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref":
                out[key] = _renamed(value, prefix)
            elif key == "discriminator" and isinstance(value, dict) and isinstance(value.get("mapping"), dict):
                mapping = {tag: _renamed(ref, prefix) for tag, ref in value["mapping"].items()}
                out[key] = {**value, "mapping": mapping}
            else:
                out[key] = _rename_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, prefix) for item in node]
    return node


# What the gateway's request guard (asgi.normalised_path) lets through as one path segment: no slash or backslash
# (encoded or not), not "." or "..", and (as everywhere) no NUL. Every path parameter of the merged description
# states it.
PATH_SEGMENT_PATTERN = r"^(?!\.\.?$)[^/\\\x00]+$"


def _state_path_segments(paths: dict[str, Any]) -> None:
    """Give every string path parameter without a pattern of its own (the services' NUL-free one aside)
    ``PATH_SEGMENT_PATTERN``: an id holding a slash, a backslash or a dot segment is refused (400 malformed-path)
    before any service sees it."""
    for item in paths.values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema") if isinstance(parameter, dict) else None
                if not (parameter.get("in") == "path" and isinstance(schema, dict)):
                    continue
                if schema.get("type") == "string" and schema.get("pattern") in (None, NO_NUL):
                    schema["pattern"] = PATH_SEGMENT_PATTERN


def _service_paths(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    """A service's paths as the gateway forwards them: under ``/api/<name>``, their schema names prefixed, their
    tags and operation ids naming the service, the bearer scheme."""
    paths: dict[str, Any] = {}
    for path, item in spec.get("paths", {}).items():
        if path == "/metrics":
            continue  # the gateway does not forward a service's metrics
        item = _rename_refs(item, f"{name}_")
        for operation in item.values():
            if isinstance(operation, dict):
                operation["tags"] = [f"{name}: {t}" for t in operation.get("tags", [])] or [name]
                if "security" in operation:
                    operation["security"] = [{"bearer": []}]
                if "operationId" in operation:
                    operation["operationId"] = f"{name}_{operation['operationId']}"
        paths[f"/api/{name}{path}"] = item
    return paths


def merge_openapi(gateway: dict[str, Any], services: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """One description: the gateway's own paths, each service's under ``/api/<name>``, one bearer scheme.

    Schema names get the service's prefix (``hr_EmployeeRead``) so equal names cannot collide.
    """
    merged = copy.deepcopy(gateway)
    merged["info"] = {
        "title": "Backoffice API",
        "version": gateway.get("info", {}).get("version", "0"),
        "description": "Every service of the suite through the gateway. Sign in with POST "
        "/auth/login and send the access token as `Authorization: Bearer <token>`.",
    }
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    tags = list(merged.get("tags", []))
    unavailable = []
    for name, spec in services.items():
        if spec is None:
            unavailable.append(name)
            continue
        prefix = f"{name}_"
        merged.setdefault("paths", {}).update(_service_paths(name, spec))
        for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[prefix + schema_name] = _rename_refs(schema, prefix)
        tags.append({"name": name, "description": spec.get("info", {}).get("description", "")})
    for operation_item in merged.get("paths", {}).values():
        for operation in operation_item.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [{"bearer": []}]
    _state_path_segments(merged.get("paths", {}))
    merged["tags"] = tags
    if unavailable:
        merged["info"]["description"] += f" Not reachable when this was built: {', '.join(unavailable)}."
    return merged


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request, settings: GatewaySettingsDep) -> dict[str, Any]:
    """The suite's OpenAPI description: the gateway's merged with each service's, cached for a while once complete."""
    state = request.app.state
    cached = getattr(state, "merged_openapi", None)
    if cached and time.monotonic() - cached[0] < _SCHEMA_TTL_S:
        return cached[1]  # type: ignore[no-any-return]

    async def fetch(client: httpx.AsyncClient, url: str) -> dict[str, Any] | None:
        try:
            # A service builds its description on the first request: seconds on a loaded machine, and one left
            # out makes the merged description incomplete (then it is not cached and asked for again).
            response = await client.get(f"{url}/openapi.json", timeout=10.0)
            response.raise_for_status()
            return response.json()  # type: ignore[no-any-return]
        except Exception:
            return None

    upstreams = settings.upstreams()
    async with httpx.AsyncClient() as client:
        specs = await asyncio.gather(*(fetch(client, url) for url in upstreams.values()))
    merged = merge_openapi(request.app.openapi(), dict(zip(upstreams, specs, strict=True)))
    if all(spec is not None for spec in specs):
        state.merged_openapi = (time.monotonic(), merged)
    return merged


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    """Swagger UI on the merged description."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Backoffice API")
