"""A regular (non-editable) install works from any folder: the wheel carries params/ and notebooks/."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as a wheel and unpacked into a folder of its own (no editable link)."""
    base = tmp_path_factory.mktemp("wheel")
    wheels, site = base / "dist", base / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(ROOT)], check=True, capture_output=True, cwd=base)
    wheel = next(wheels.glob("tiermodel-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, cwd=base)
    return wheel, site


def _tiermodel(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run([sys.executable, "-m", "tiermodel", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_wheel_ships_the_parameters_and_notebooks(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for path in ["tiermodel/_data/params/policy-2003.yaml",
                 *[f"tiermodel/_data/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("[0-9]*.ipynb")],
                 *[f"tiermodel/_data/params/scenarios/{p.name}" for p in (ROOT / "params/scenarios").glob("*.yaml")]]:
        assert path in names


def test_installed_package_runs_from_any_folder(installed, tmp_path):
    _, site = installed
    where = _tiermodel(site, tmp_path, "params", "show")
    assert where.returncode == 0, where.stderr
    assert "value_index.weights.premium" in where.stdout
    probe = subprocess.run([sys.executable, "-c", "import tiermodel, tiermodel.policy as p; "
                            "print(tiermodel.__file__); print(p.PARAMS_DIR)"],
                           env=dict(os.environ, PYTHONPATH=str(site)), capture_output=True, text=True, cwd=tmp_path)
    module_file, params_dir = probe.stdout.split()
    assert module_file.startswith(str(site)) and params_dir.startswith(str(site))

    sample = _tiermodel(site, tmp_path, "sample", "--customers", "2000", "--out", "book.csv")
    assert sample.returncode == 0, sample.stderr
    tier = _tiermodel(site, tmp_path, "tier", "--portfolio", "book.csv", "--out", "tiers.csv")
    assert tier.returncode == 0, tier.stderr
    assert (tmp_path / "tiers.csv").is_file()


def test_installed_package_writes_a_report(installed, tmp_path):
    _, site = installed
    run = _tiermodel(site, tmp_path, "report", "--reports-dir", "out")
    assert run.returncode == 0, run.stderr[-2000:]
    [run_dir] = (tmp_path / "out").iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    from tiermodel.report import NOT_PAGES  # the what-if explorer (09) is served, not a report page

    shipped = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb") if p.name not in NOT_PAGES)
    assert [nb["notebook"] for nb in manifest["notebooks"]] == shipped
    assert all(nb["status"] == "ok" for nb in manifest["notebooks"])
    assert (run_dir / "workbook.xlsx").is_file()
