"""ruff over the package, the tests and the benchmarks, with the rules of pyproject.toml."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    run = subprocess.run([str(ruff), "check", "--no-cache", "tiermodel", "tests", "benchmarks"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_ruff_would_find_an_unused_import(tmp_path):
    """The configuration is read and its rules are on: a file with an unused name fails."""
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n", encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    run = subprocess.run([str(ruff), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(probe)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "F401" in run.stdout
