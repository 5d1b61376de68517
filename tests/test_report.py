"""run_report: a failing notebook is named with its cell, and nothing else is lost."""
from __future__ import annotations

import json

import nbformat
import pytest

from conftest import file_sha256, raw_customers
from tiermodel.policy import PARAMS_DIR
from tiermodel.portfolio import write_table
from tiermodel.report import ReportError, run_report

PARAMETERS = ('scenario = ""\nportfolio = ""\nbranches = ""\namount_unit = "yuan"\nseed = 2003\n'
              'output_dir = ""')


def _notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    first = nbformat.v4.new_code_cell(PARAMETERS)
    first.metadata["tags"] = ["parameters"]
    nb.cells = [first] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)


@pytest.fixture()
def books(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_fine.ipynb",
              "from tiermodel.run_inputs import load_inputs\n"
              "from tiermodel.report import export_tables\n"
              "inputs = load_inputs(scenario, portfolio, branches, amount_unit, seed)\n"
              "counts = inputs.tiering().summary()\n"
              "export_tables(output_dir, {'01 tiers by class': counts})\n"
              "print(len(inputs.portfolio), seed)")
    _notebook(folder / "02_broken.ipynb",
              "raise RuntimeError('deliberate failure in the second cell')",
              "print('never reached')")
    return folder


def test_failing_notebook_is_named_and_the_rest_is_kept(tmp_path, books):
    book = write_table(raw_customers({"long_term_std_premium": 60_000_000}, {"health_premium": 10_000}),
                       tmp_path / "book.csv")
    book_hash = file_sha256(book)
    reports = tmp_path / "reports"
    with pytest.raises(ReportError) as err:
        run_report(portfolio=book, seed=7, reports_dir=reports, notebooks_dir=books, workers=1,
                   progress=False)
    message = str(err.value)
    assert "02_broken.ipynb" in message and "01_fine.ipynb" not in message
    assert "cell 2" in message
    assert "RuntimeError: deliberate failure in the second cell" in message

    (run_dir,) = list(reports.iterdir())
    assert str(run_dir) in message
    # the partly executed copy of the broken notebook is kept, with the error in it
    broken = nbformat.read(run_dir / "02_broken.ipynb", as_version=4)
    errors = [o for c in broken.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "RuntimeError"
    # the good notebook's outputs stay: executed copy, HTML, exported table, workbook
    fine = nbformat.read(run_dir / "01_fine.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in fine.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert printed.strip().endswith("2 7")  # 2 customers, seed 7 passed as a parameter
    assert (run_dir / "01_fine.html").exists()
    assert (run_dir / "workbook.xlsx").exists()

    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 7
    assert manifest["portfolio"]["sha256"] == book_hash and manifest["portfolio"]["customers"] == 2
    base = PARAMS_DIR / "policy-2003.yaml"
    assert manifest["parameters"] == {str(base): file_sha256(base)}
    assert manifest["versions"]["tiermodel"] and manifest["versions"]["pandas"]
    assert manifest["finished"] is not None
    status = {s["notebook"]: s for s in manifest["notebooks"]}
    assert status["01_fine.ipynb"]["status"] == "ok"
    assert status["02_broken.ipynb"]["status"] == "failed"
    assert "deliberate failure" in status["02_broken.ipynb"]["error"]
    assert file_sha256(book) == book_hash  # the input is only read


def test_bad_input_stops_before_any_folder_is_made(tmp_path, books):
    book = write_table(raw_customers({"health_loss_ratio": -1}), tmp_path / "book.csv")
    reports = tmp_path / "reports"
    from tiermodel.errors import InputTableError

    with pytest.raises(InputTableError, match="row 2, customer C001, column 'health_loss_ratio'"):
        run_report(portfolio=book, reports_dir=reports, notebooks_dir=books, workers=1, progress=False)
    assert not reports.exists()
