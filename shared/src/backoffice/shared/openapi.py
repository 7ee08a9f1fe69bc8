"""What a service's OpenAPI says about its errors: every one is ``application/problem+json`` (see errors.py).

FastAPI describes only the validation error, and as ``application/json`` with its own ``{"detail": [...]}``
shape, which is not what the services answer. ``describe_problems`` makes the description true: the 422
is a problem with ``errors``, and every operation has a ``default`` response, a problem, for the other
errors any route can give (401, 403, 404, 409, 429, 503, ...).
"""

from __future__ import annotations

import json
from typing import Any

from backoffice.shared.errors import PROBLEM_JSON
from fastapi import FastAPI

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "urn:backoffice:problem:<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "validation errors: one per field at fault",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def problem_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (changed in place) with the problem responses every operation can give."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            validation = responses.get("422")
            if validation is not None and "HTTPValidationError" in str(validation.get("content", "")):
                responses["422"] = {"description": "Invalid request (each field at fault in errors)"}
                responses["422"]["content"] = _PROBLEM_CONTENT
            responses.setdefault(
                "default", {"description": "An error, as problem details", "content": _PROBLEM_CONTENT}
            )
    schemas = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's shapes, which no answer has
        if unused in schemas and f'"#/components/schemas/{unused}"' not in json.dumps(schema):
            del schemas[unused]
    return schema


def describe_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe the problem+json errors the app answers with."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_openapi(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
