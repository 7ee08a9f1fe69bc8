"""The console's TypeScript types (console/src/api/schema.d.ts) are the API's: regenerated from the merged
description, they must equal the committed file. A change of the API without `make console-types` fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSOLE = ROOT / "console"


def test_console_types_match_the_api(tmp_path: Path) -> None:
    generator = CONSOLE / "node_modules" / ".bin" / "openapi-typescript"
    assert generator.exists(), "the console's packages are not installed: run `make console` (make test does)"
    description = tmp_path / "openapi.json"
    subprocess.run(
        [sys.executable, "-m", "backoffice.gateway", "openapi", "--output", str(description)], check=True, cwd=ROOT
    )
    assert "/auth/session" in json.loads(description.read_text())["paths"]
    generated = tmp_path / "schema.d.ts"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(
        [str(generator), str(description), "--output", str(generated)],
        check=True,
        cwd=CONSOLE,
        env=env,
        capture_output=True,
    )
    committed = (CONSOLE / "src" / "api" / "schema.d.ts").read_text()
    assert generated.read_text() == committed, (
        "console/src/api/schema.d.ts is not the API's description any more: run `make console-types` and commit it"
    )
