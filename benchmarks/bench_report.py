"""`make report` on the sample beside the kernel start-up floor, in one run.

Target (issue 14): the whole report on the 20,000-customer sample in ≤ 15 s on a 2-core
machine. The floor is what no notebook can go below: one empty notebook (a parameters cell
and nothing else) through papermill, i.e. kernel start and shutdown. With 2 workers and N
notebooks the report cannot be faster than about N / 2 floors.

Also printed: the CPU time of the whole run (parent, workers and kernels; half of it is the
wall time on two idle cores, whatever else the machine is doing), each notebook's own wall time (from the run's manifest), and the import time
of the package in a fresh interpreter (paid once per kernel).

Run: .venv/bin/python benchmarks/bench_report.py [--customers N] [--workers 2]
(``--customers`` other than 20,000 writes a sample book of that size first; the peak memory
of the run's processes is printed from ``ru_maxrss`` of the children.)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat


def floor(folder: Path) -> float:
    """Wall time of one empty notebook through papermill [s]."""
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    t0 = time.perf_counter()
    pm.execute_notebook(str(path), str(folder / "empty-out.ipynb"), parameters={"x": 2}, kernel_name="python3",
                        progress_bar=False, log_output=False)
    return time.perf_counter() - t0


def import_time() -> float:
    """Seconds to import what a report page imports, in a fresh interpreter."""
    code = ("import time; t=time.perf_counter(); import tiermodel.run_inputs, tiermodel.present, tiermodel.plots, "
            "matplotlib.pyplot; print(time.perf_counter()-t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from tiermodel.report import run_report

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = None
        if args.customers != 20_000:
            from tiermodel.portfolio import sample_portfolio, write_table

            book = write_table(sample_portfolio(2003, args.customers), tmp / "book.parquet")
        empty = floor(tmp)
        imports = import_time()
        before = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        run = run_report(portfolio=book, reports_dir=tmp / "reports", workers=args.workers, progress=False)
        total = time.perf_counter() - t0
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        after = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
        cpu = sum((a.ru_utime + a.ru_stime) - (b.ru_utime + b.ru_stime) for a, b in zip(after, before))
        peak_mb = after[0].ru_maxrss / 1024
    n = len(manifest["notebooks"])
    print(f"report on {args.customers:,} customers, {n} notebooks, {args.workers} workers: {total:.1f} s "
          f"(target ≤ 15 s on the sample)")
    print(f"CPU time of the run (parent, workers, kernels): {cpu:.1f} s → {cpu / 2:.1f} s on 2 idle cores; "
          f"load average now {os.getloadavg()[0]:.1f} (other work on the machine slows the wall time)")
    print(f"kernel start-up floor (one empty notebook through papermill): {empty:.1f} s; "
          f"{n} notebooks / {args.workers} workers → at least {empty * n / args.workers:.1f} s")
    print(f"imports of a page in a fresh interpreter: {imports:.1f} s")
    print(f"largest child process (kernel or worker): {peak_mb:,.0f} MB")
    for s in manifest["notebooks"]:
        if s.get("started") and s.get("finished"):
            took = (dt.datetime.fromisoformat(s["finished"]) - dt.datetime.fromisoformat(s["started"])).total_seconds()
            print(f"  {s['notebook']:<34} {took:5.0f} s  {s['status']}")


if __name__ == "__main__":
    main()
