"""What a client may send is bounded in each service's API description, so that no value reaches the database
that it cannot hold (a 500) rather than being refused by validation (a 422 naming the parameter or field)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi import FastAPI

DB_INTEGER_MAX = 2**63 - 1  # PostgreSQL's bigint and SQLite's INTEGER
SERVICES = [
    "gateway",
    "hr",
    "payroll",
    "helpdesk",
    "docs",
]


def _app(service: str) -> FastAPI:
    app = importlib.import_module(f"backoffice.{service}.app").build_app()
    assert isinstance(app, FastAPI)
    return app


def _integers(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer"]


def _unbounded(schema: dict[str, Any]) -> bool:
    for integer in _integers(schema):
        low = integer.get("minimum", integer.get("exclusiveMinimum"))
        high = integer.get("maximum", integer.get("exclusiveMaximum"))
        if low is None or high is None or not -DB_INTEGER_MAX - 1 <= low <= high <= DB_INTEGER_MAX:
            return True
    return False


def _request_schemas(spec: dict[str, Any]) -> set[str]:
    """The component schemas a request body can carry, followed through their references."""
    components = spec.get("components", {}).get("schemas", {})
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found.add(name)
                    walk(components[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for operations in spec["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                walk(operation.get("requestBody", {}))
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_every_integer_a_client_sends_is_bounded(service: str) -> None:
    spec = _app(service).openapi()
    unbounded = [
        f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
        if _unbounded(parameter.get("schema", {}))
    ]
    components = spec.get("components", {}).get("schemas", {})
    unbounded += [
        f"body {name}.{field}"
        for name in sorted(_request_schemas(spec))
        for field, schema in components[name].get("properties", {}).items()
        if _unbounded(schema) or _unbounded(schema.get("items", {}))
    ]
    assert unbounded == [], f"integers without a minimum and maximum within {DB_INTEGER_MAX}: {unbounded}"
