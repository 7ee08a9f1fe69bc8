"""The deep schemathesis profile, run by ``make fuzz`` and not by ``make test``: every phase (examples, coverage,
fuzzing, stateful), every check, ``BACKOFFICE_FUZZ_DEEP_EXAMPLES`` (30 unless told) examples per operation,
through the gateway, signed in as an admin of this suite's own stack (fuzzing as admin blanks templates and
terminates people: never point it at a suite that matters).

Every check runs on every operation except the (operation, check) pairs of ``known_failures.KNOWN``: rules the
server enforces that JSON Schema cannot state (one field compared with another, a record that must exist, a
checksum, a date relative to today), each stated in the operation's description and listed with its reason.
They are handed to schemathesis as its own per-operation configuration (``[[operations]]`` with the check
disabled), written to ``var/fuzz/schemathesis.toml``; no ``--checks`` option is given, since one on the command
line would switch them back on.

The run's figures (operations, requests, failures by check, explained exceptions) are printed and written with
schemathesis' own reports under ``var/fuzz/``; the test fails on any failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from backoffice.testing import Stack
from fuzzkit import EXCLUDED_PATHS, PASSWORD, Person
from known_failures import KNOWN, schemathesis_config

DEEP = os.environ.get("BACKOFFICE_FUZZ_DEEP") == "1"
EXAMPLES = int(os.environ.get("BACKOFFICE_FUZZ_DEEP_EXAMPLES", "30"))
# More options for schemathesis, e.g. --include-path-regex=/api/hr/ to fuzz one service.
EXTRA = os.environ.get("BACKOFFICE_FUZZ_DEEP_ARGS", "").split()
REPORTS = Path(os.environ.get("BACKOFFICE_FUZZ_REPORTS", "var/fuzz")).resolve()


@pytest.mark.skipif(not DEEP, reason="the deep run is `make fuzz` (BACKOFFICE_FUZZ_DEEP=1)")
@pytest.mark.timeout(6 * 3600)
def test_deep_fuzz(stack: Stack, admin: Person) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    config = REPORTS / "schemathesis.toml"
    config.write_text(schemathesis_config())
    env = dict(os.environ)
    env.update(
        {
            "SCHEMATHESIS_HOOKS": "deep_hooks",
            "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")]),
            "BACKOFFICE_FUZZ_GATEWAY": stack.gateway_url,
            "BACKOFFICE_FUZZ_LOGIN": admin.login,
            "BACKOFFICE_FUZZ_PASSWORD": PASSWORD,
        }
    )
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        f"--config-file={config}",
        "run",
        f"{stack.gateway_url}/openapi.json",
        "--phases=examples,coverage,fuzzing,stateful",
        # Every check is on by default; `--checks=all` would also switch on the exceptions of known_failures.
        f"--max-examples={EXAMPLES}",
        "--seed=16",  # the same requests on every run: a failure repeats
        "--workers=1",  # several workers crash Python 3.11's ast module inside hypothesis
        "--request-timeout=60",
        "--suppress-health-check=all",
        "--continue-on-failure",
        "--report=json,junit",
        f"--report-json-path={REPORTS / 'run.json'}",
        f"--report-dir={REPORTS}",
        "--output-truncate=false",
        *(f"--exclude-path={path}" for path in EXCLUDED_PATHS),
        *EXTRA,
    ]
    # In the reports folder: schemathesis keeps its cache of past failures in the working directory.
    run = subprocess.run(command, env=env, cwd=REPORTS, capture_output=True, text=True, check=False)
    (REPORTS / "output.txt").write_text(run.stdout + run.stderr)
    print(run.stdout[-20000:])
    figures = _figures(REPORTS)
    print(json.dumps(figures, indent=1))
    (REPORTS / "figures.json").write_text(json.dumps(figures, indent=1))
    assert run.returncode == 0, f"schemathesis found failures: {figures}\n\n{run.stdout[-20000:]}\n{run.stderr[-4000:]}"


def _figures(reports: Path) -> dict[str, object]:
    """Operations, requests and failures by check, from schemathesis' JSON report of the run."""
    path = reports / "run.json"
    if not path.exists():
        return {"error": "schemathesis wrote no report"}
    document = json.loads(path.read_text())
    by_check: dict[str, int] = {}
    for group in document.get("failures", []):
        by_check[group["title"]] = by_check.get(group["title"], 0) + group["count"]
    return {
        "operations": document["operations"],
        "requests": document["test_cases"]["generated"],
        "failures_by_check": by_check,
        "explained_exceptions": len(KNOWN),
        "errors": document.get("errors", []),
        "running_time": document.get("running_time"),
    }
