"""``python -m backoffice.gateway openapi [--output FILE]``: the merged API description, built without a running suite.

The console's TypeScript types are generated from it (``make console-types``), and a test compares them, so the
description must not depend on what happens to be running: each service's application is built in this process
(nothing is started, no database is opened) and merged as the gateway's ``/openapi.json`` merges them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from backoffice.gateway.proxy.aggregate import merge_openapi

SERVICE_APPS = ("hr", "payroll", "helpdesk", "docs")


def merged_description() -> dict[str, Any]:
    """The suite's merged OpenAPI description, built from each service's app without running any."""

    def spec(name: str) -> dict[str, Any]:
        description: dict[str, Any] = importlib.import_module(f"backoffice.{name}.app").build_app().openapi()
        return description

    return merge_openapi(spec("gateway"), {name: spec(name) for name in SERVICE_APPS})


def run(argv: list[str]) -> int:
    """The ``openapi`` command: write the merged description to a file or standard output."""
    parser = argparse.ArgumentParser(
        prog="python -m backoffice.gateway openapi",
        description="Write the suite's merged OpenAPI description (what GET /openapi.json answers) without running it.",
    )
    parser.add_argument("--output", "-o", type=Path, help="write it to this file (default: standard output)")
    args = parser.parse_args(argv)
    text = json.dumps(merged_description(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0
