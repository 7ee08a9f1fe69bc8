"""The catalogues in the docs are generated from the code: the events from their contracts and the services'
handlers (docs/EVENTS.md), the problem types from every place the services raise one (docs/API.md).

A test fails when a catalogue and the code disagree. ``make catalogues`` (``BACKOFFICE_WRITE_CATALOGUES=1``)
writes them again.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.contract import Contract, Part
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "gateway": "gateway",
    "hr": "hr-svc",
    "payroll": "payroll-svc",
    "helpdesk": "helpdesk-svc",
    "docs": "docs-svc",
}
PRODUCERS = ["hr", "payroll", "helpdesk", "docs", "gateway"]
WRITE = os.environ.get("BACKOFFICE_WRITE_CATALOGUES") == "1"


def _replace_between(text: str, name: str, body: str) -> str:
    begin, end = f"<!-- catalogue:{name}:begin -->", f"<!-- catalogue:{name}:end -->"
    if begin not in text or end not in text:
        raise AssertionError(f"the markers {begin} and {end} are missing")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def _check_or_write(path: Path, name: str, body: str) -> None:
    current = path.read_text()
    wanted = _replace_between(current, name, body)
    if WRITE:
        path.write_text(wanted)
        return
    assert current == wanted, (
        f"the {name} catalogue in {path.relative_to(ROOT)} is not what the code says: run `make catalogues`"
    )


# --- events ------------------------------------------------------------------------------------------------------


def _handlers() -> dict[str, list[EventHandler]]:
    """Every service's event handlers, as its app builds them."""
    found: dict[str, list[EventHandler]] = {}
    for service in SERVICES:
        spec = importlib.import_module(f"backoffice.{service}.app").SPEC
        found[service] = spec.event_handlers(spec.settings_cls())
    return found


def _describe_fields(model: type[BaseModel], depth: int = 0) -> str:
    parts = []
    for name, info in model.model_fields.items():
        nested = _nested_part(info.annotation)
        if nested is not None and depth < 2:
            parts.append(f"{name} ({_describe_fields(nested, depth + 1)})")
        else:
            parts.append(name)
    return ", ".join(parts)


def _nested_part(annotation: object) -> type[Part] | None:
    if isinstance(annotation, type) and issubclass(annotation, Part):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            if (found := _nested_part(arg)) is not None:
                return found
    return None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _suite_contracts() -> list[type[Contract]]:
    """The suite's contracts (not those other tests define)."""
    return [c for c in Contract.all() if c.__module__.startswith("backoffice.shared.events.")]


def events_catalogue() -> str:
    for producer in PRODUCERS:
        importlib.import_module(f"backoffice.shared.events.{producer}")
    consumers: dict[str, list[str]] = {}
    for service, handlers in _handlers().items():
        for handler in handlers:
            effect = f": {handler.does}" if handler.does else ""
            consumers.setdefault(handler.event_type, []).append(f"{service} (`{handler.durable(service)}`){effect}")
    rows = [
        "| type | producer | subject | consumers (durable name): what they do | data |",
        "|---|---|---|---|---|",
    ]
    for contract in _suite_contracts():
        rows.append(
            f"| `{contract.TYPE}` v{contract.VERSION} | {_one_line(contract.PRODUCED_BY)} | "
            f"{_one_line(contract.SUBJECT)} | {'; '.join(consumers.pop(contract.TYPE, [])) or '—'} | "
            f"`{contract.__name__}`: {_one_line(contract.__doc__)} Fields: {_describe_fields(contract)} |"
        )
    assert not consumers, f"handlers consume types no contract declares: {sorted(consumers)}"
    return "\n".join(rows) + "\n"


def test_every_contract_declares_its_identity() -> None:
    for producer in PRODUCERS:
        module = importlib.import_module(f"backoffice.shared.events.{producer}")
        for contract in _suite_contracts():
            if contract.__module__ != module.__name__:
                continue
            assert contract.TYPE.startswith(f"{producer}."), f"{contract.__name__} is in {producer}'s module"
            assert contract.SUBJECT, f"{contract.__name__} does not say what its subject holds"
            assert contract.PRODUCED_BY, f"{contract.__name__} does not say who produces it"
            assert contract.__doc__, f"{contract.__name__} has no docstring"


def test_events_catalogue_matches_the_contracts() -> None:
    _check_or_write(ROOT / "docs" / "EVENTS.md", "events", events_catalogue())


# --- problem types -------------------------------------------------------------------------------------------------

_STATUS_OF_CLASS = {"Forbidden": 403, "Conflict": 409, "Unprocessable": 422, "NotFound": 404}
_DEFAULT_SLUGS = {
    400: "bad-request",
    401: "authentication-required",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "unprocessable-content",
    429: "too-many-requests",
    500: "internal-server-error",
    503: "service-unavailable",
}


@dataclass
class ProblemType:
    slug: str
    statuses: set[int] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    example: str = ""
    uses: int = 0


def _text_of(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "…"
            for part in node.values
        )
    return ""


def _problem_calls(tree: ast.AST) -> Iterator[tuple[str, int | None, ast.expr | None]]:
    """(slug, status, detail) of each place that raises or answers a problem with a literal slug or status."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        slug_kw = next((k.value for k in node.keywords if k.arg == "slug"), None)
        slug = slug_kw.value if isinstance(slug_kw, ast.Constant) and isinstance(slug_kw.value, str) else None
        status: int | None = None
        detail: ast.expr | None = None
        if name == "Problem" and node.args:
            first = node.args[0]
            status = first.value if isinstance(first, ast.Constant) and isinstance(first.value, int) else None
            detail = node.args[1] if len(node.args) > 1 else None
        elif name == "problem_response" and len(node.args) > 1:
            second = node.args[1]
            status = second.value if isinstance(second, ast.Constant) and isinstance(second.value, int) else None
            detail = node.args[2] if len(node.args) > 2 else None
        elif name in _STATUS_OF_CLASS:
            status = _STATUS_OF_CLASS[name]
            detail = node.args[0] if node.args and name != "NotFound" else None
        elif slug is None:
            continue
        if slug is None and status is None:
            continue
        if slug is None:
            slug = _DEFAULT_SLUGS.get(status or 0)
        if slug is not None:
            yield slug, status, detail


def problem_types() -> list[ProblemType]:
    found: dict[str, ProblemType] = {}
    for service, folder in {"shared": "shared", **SERVICES}.items():
        for path in sorted((ROOT / folder / "src").rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for slug, status, detail in _problem_calls(ast.parse(path.read_text())):
                entry = found.setdefault(slug, ProblemType(slug))
                entry.uses += 1
                entry.services.add(service)
                if status is not None:
                    entry.statuses.add(status)
                if not entry.example and (text := _text_of(detail)):
                    entry.example = text
    return sorted(found.values(), key=lambda p: p.slug)


def problems_catalogue() -> str:
    rows = ["| type (`urn:backoffice:problem:…`) | status | raised by | for example |", "|---|---|---|---|"]
    for problem in problem_types():
        statuses = ", ".join(str(s) for s in sorted(problem.statuses)) or "—"
        example = _one_line(problem.example)[:160]
        rows.append(f"| `{problem.slug}` | {statuses} | {', '.join(sorted(problem.services))} | {example or '—'} |")
    return "\n".join(rows) + "\n"


def test_problem_catalogue_matches_the_code() -> None:
    _check_or_write(ROOT / "docs" / "API.md", "problems", problems_catalogue())


def test_a_slug_names_one_kind_of_status() -> None:
    """A problem type is one kind of error: the same slug is not a 403 in one place and a 409 in another."""
    mixed = {p.slug: sorted(p.statuses) for p in problem_types() if len(p.statuses) > 1}
    allowed = {  # each with its reason
        "login-disabled": "401 to the disabled login's own tokens, 403 when it signs in, 409 to an admin acting on it",
        "wrong-credentials": "401 at sign-in; 403 to a signed-in person whose current password is wrong",
    }
    assert {slug: statuses for slug, statuses in mixed.items() if slug not in allowed} == {}


@pytest.mark.parametrize("slug", ["not-found", "forbidden", "conflict"])
def test_generic_slugs_are_found(slug: str) -> None:
    assert slug in {p.slug for p in problem_types()}


def _slug_pattern() -> re.Pattern[str]:
    return re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_slugs_are_kebab_case() -> None:
    pattern = _slug_pattern()
    assert [p.slug for p in problem_types() if not pattern.match(p.slug)] == []
