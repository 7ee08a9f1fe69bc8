"""Dependencies between the domains of one service go one way.

A domain package (``backoffice.hr.employees``) may use another (``backoffice.hr.training``), but then that one
does not import it back, directly or through others: a domain that must react to another's change does it
through the service's own events or a narrow interface. Imports are read from the source with ``ast``; imports
made only for type checking (under ``if TYPE_CHECKING:``) count too, since they still tie the two together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "gateway": "gateway",
    "hr": "hr-svc",
    "payroll": "payroll-svc",
    "helpdesk": "helpdesk-svc",
    "docs": "docs-svc",
}


def _imported_modules(path: Path, package: list[str]) -> set[str]:
    """The modules ``path`` imports, absolute; ``package`` is the package the file is in."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = ".".join(package[: len(package) - (node.level - 1)])
                base = f"{anchor}.{node.module}" if node.module else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def domain_graph(service: str) -> dict[str, set[str]]:
    """Which domains of ``service`` each domain imports."""
    package = ROOT / SERVICES[service] / "src" / "backoffice" / service
    domains = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = defaultdict(set)
    for domain in domains:
        for path in (package / domain).rglob("*.py"):
            package_parts = list(path.parent.relative_to(package.parent.parent).parts)
            for name in _imported_modules(path, package_parts):
                parts = name.split(".")
                if parts[:2] == ["backoffice", service] and len(parts) >= 3 and parts[2] in domains - {domain}:
                    graph[domain].add(parts[2])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one domain (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(set(graph) | {t for targets in graph.values() for t in targets}):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_domains_depend_on_each_other_one_way(service: str) -> None:
    graph = domain_graph(service)
    found = cycles(graph)
    detail = "; ".join(
        " <-> ".join(group) + " (" + ", ".join(f"{a}->{b}" for a in group for b in sorted(graph[a]) if b in group) + ")"
        for group in found
    )
    assert found == [], f"{service}: domains that import each other: {detail}"
