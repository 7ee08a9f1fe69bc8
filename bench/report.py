"""What every benchmark does with its figures: print the table, keep the JSON, update docs/PERFORMANCE.md."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def publish(name: str, what: str, table: str, payload: dict[str, Any], summary: str = "") -> None:
    """Print, write ``bench/results/<name>.json`` and replace the ``bench:<name>`` block of PERFORMANCE.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{what}, {stamp} ({machine()})\n")
    print(table)
    if summary:
        print("\n" + summary)
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.write_text(json.dumps({"when": stamp, "machine": machine(), **payload}, indent=2))
    doc = ROOT / "docs" / "PERFORMANCE.md"
    text = doc.read_text()
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    block = f"{begin}\n_{what}, {stamp}, {machine()}._\n\n{table}\n" + (f"\n{summary}\n" if summary else "") + end
    if begin in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        doc.write_text(head + block + tail)
    else:
        doc.write_text(text.rstrip() + "\n\n" + block + "\n")
