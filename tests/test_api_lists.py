"""Every listing of every service is paged the same way: an object with the items, how many match in all and the
page asked for (``limit``, ``offset``), never a bare JSON array a client cannot page through or count."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from fastapi import FastAPI

SERVICES = ["gateway", "hr", "payroll", "helpdesk", "docs"]
PAGE_FIELDS = {"items", "total", "limit", "offset"}


def _spec(service: str) -> dict[str, Any]:
    app = importlib.import_module(f"backoffice.{service}.app").build_app()
    assert isinstance(app, FastAPI)
    return app.openapi()


def _listings(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(path, operation, its 200 answer's schema) of every GET that answers JSON."""
    found = []
    for path, operations in spec["paths"].items():
        operation = operations.get("get")
        if not operation:
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if content and content.get("schema"):
            found.append((path, operation, content["schema"]))
    return found


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


@pytest.mark.parametrize("service", SERVICES)
def test_no_listing_answers_a_bare_array(service: str) -> None:
    spec = _spec(service)
    bare = [path for path, _, schema in _listings(spec) if _resolve(spec, schema).get("type") == "array"]
    assert not bare, f"{service}: listings answering a bare JSON array: {bare}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_page_says_what_it_holds_and_takes_limit_and_offset(service: str) -> None:
    spec = _spec(service)
    wrong = []
    for path, operation, schema in _listings(spec):
        resolved = _resolve(spec, schema)
        fields = set(resolved.get("properties", {}))
        if "items" not in fields:
            continue  # one record, not a listing
        parameters = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if not fields >= PAGE_FIELDS:
            wrong.append(f"{path}: answers {sorted(fields)}, not {sorted(PAGE_FIELDS)}")
        if not {"limit", "offset"} <= set(parameters):
            wrong.append(f"{path}: takes no limit or offset")
        elif parameters["limit"].get("minimum") != 1 or not 1 <= parameters["limit"].get("maximum", 10**9) <= 1000:
            wrong.append(f"{path}: limit is not bounded ({parameters['limit']})")
    assert not wrong, "\n".join(wrong)
