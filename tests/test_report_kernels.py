"""report: a worker keeps one kernel for its notebooks, and each notebook still sees what a
fresh kernel shows it -- no name, option or setting of the notebook before it."""
from __future__ import annotations

import json

import nbformat
import pytest

from tiermodel.report import run_report

from test_report import _notebook  # one notebook builder for the report tests

#: The first notebook changes what a notebook can change in its kernel.
CHANGES = ["secret = 42",
           "import pandas as pd\npd.set_option('display.max_rows', 7)",
           "import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9",
           "import numpy as np\nnp.set_printoptions(precision=2)",
           "import sys\nsys.path.append('/nowhere')",
           "import warnings\nwarnings.simplefilter('error')",
           "import matplotlib.pyplot as plt\nfig = plt.figure()",
           "print(pd.get_option('display.max_rows'), matplotlib.rcParams['lines.linewidth'])"]
#: The second notebook prints what it sees: in a fresh kernel, no `secret`, pandas' default
#: of 60 rows, matplotlib's default line width of 1.5, numpy's 8 digits of precision, no
#: '/nowhere' on the path, warnings not turned into errors, no open figure, and the
#: execution count of a new session: after the parameters cell, the parameters papermill
#: injects and the pid cell, this is cell 4, while which IPython's counter already reads 5.
CHECKS = ["import os\nprint(os.getpid())",
          "import sys, warnings\nimport matplotlib, numpy as np, pandas as pd\nimport matplotlib.pyplot as plt\n"
          "print('secret' in globals(), pd.get_option('display.max_rows'), matplotlib.rcParams['lines.linewidth'],\n"
          "      np.get_printoptions()['precision'], '/nowhere' in sys.path, plt.get_fignums())\n"
          "warnings.warn('shown, not raised')\n"
          "print(get_ipython().execution_count)"]


@pytest.fixture()
def two_books(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_changes.ipynb", "import os\nprint(os.getpid())", *CHANGES)
    _notebook(folder / "02_checks.ipynb", *CHECKS)
    return folder


def _outputs(path, pid: str):
    """Each code cell's execution count and outputs, the kernel's process id written PID (a
    warning names the kernel's temporary folder)."""
    nb = nbformat.read(path, as_version=4)
    return [(c.get("execution_count"),
             [json.dumps({k: v for k, v in o.items() if k != "metadata"}, sort_keys=True).replace(pid, "PID")
              for o in c.get("outputs", [])])
            for c in nb.cells if c.cell_type == "code"]


def _printed(path, cell):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    return "".join(o.get("text", "") for o in code[cell].get("outputs", []) if o.get("name") == "stdout")


def test_the_next_notebook_in_a_kept_kernel_sees_what_a_fresh_kernel_shows(tmp_path, two_books):
    runs = {fresh: run_report(reports_dir=tmp_path / f"fresh-{fresh}", notebooks_dir=two_books, workers=1,
                              progress=False, fresh_kernels=fresh)
            for fresh in (True, False)}
    kept = runs[False]
    # one worker: both notebooks ran in the same kernel process (code cell 2 of each prints its
    # pid, after the parameters cell and the parameters papermill injects)
    assert _printed(kept / "01_changes.ipynb", 2) == _printed(kept / "02_checks.ipynb", 2) != ""
    assert _printed(runs[True] / "01_changes.ipynb", 2) != _printed(runs[True] / "02_checks.ipynb", 2)
    # the first notebook's changes took effect in its own kernel ...
    assert _printed(kept / "01_changes.ipynb", -1) == "7 9.0\n"
    # ... and the second sees none of them
    assert _printed(kept / "02_checks.ipynb", 3) == "False 60 1.5 8 False []\n5\n"
    # every output and execution count is the fresh kernel's (apart from the process id)
    for name in ("01_changes.ipynb", "02_checks.ipynb"):
        fresh = _outputs(runs[True] / name, _printed(runs[True] / name, 2).strip())
        reused = _outputs(kept / name, _printed(kept / name, 2).strip())
        assert [count for count, _ in reused] == [1, 2, 3] + list(range(4, len(reused) + 1))
        assert reused == fresh, name
    warned = [o for o in nbformat.read(kept / "02_checks.ipynb", as_version=4).cells[3].outputs
              if o.get("name") == "stderr"]
    assert warned and "shown, not raised" in warned[0]["text"]


def test_a_notebook_that_kills_its_kernel_fails_alone(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_dies.ipynb", "import os\nos._exit(3)")
    _notebook(folder / "02_after.ipynb", "print('still here')")
    from tiermodel.report import ReportError

    with pytest.raises(ReportError, match="1 notebook\\(s\\) failed") as err:
        run_report(reports_dir=tmp_path / "reports", notebooks_dir=folder, workers=1, progress=False)
    assert "01_dies.ipynb" in str(err.value) and "02_after.ipynb" not in str(err.value)
    (run_dir,) = list((tmp_path / "reports").iterdir())
    assert _printed(run_dir / "02_after.ipynb", 2) == "still here\n"  # a new kernel ran it


def test_the_summary_page_starts_once_the_pages_it_reads_are_done(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    export = ("import pandas as pd\nfrom tiermodel.report import export_tables\n"
              "export_tables(output_dir, {'{p} t': pd.DataFrame({{'a': [1]}})}})")
    for page in ("03", "04", "05", "06"):
        slow = "import time\ntime.sleep(4)\n" if page == "04" else ""  # 06 ends first: a free worker
        _notebook(folder / f"{page}_page.ipynb",
                  slow + export.replace("{p}", page).replace("{{", "{").replace("}}", "}"))
    _notebook(folder / "00_summary.ipynb",
              "import os\nprint(sorted(os.listdir(os.path.join(output_dir, 'tables'))))")
    run_dir = run_report(reports_dir=tmp_path / "reports", notebooks_dir=folder, workers=2, progress=False)
    seen = _printed(run_dir / "00_summary.ipynb", 2)
    # pages 03, 04 and 05 had exported their tables when the summary page ran (06 may or may not)
    assert all(f"'{page} t.pkl'" in seen for page in ("03", "04", "05")), seen
    # the workbook, written while the summary page runs, holds every page's table
    from openpyxl import load_workbook

    sheets = load_workbook(run_dir / "workbook.xlsx", read_only=True).sheetnames
    assert sum(name[:2] in ("03", "04", "05", "06") for name in sheets) == 4, sheets
