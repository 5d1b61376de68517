"""`make report` on the sample beside its floors and the naive baseline, in one run.

Target (issue 14): the whole report on the 20,000-customer sample in ≤ 15 s on a 2-core
machine; a 1,000,000-customer report (``--customers 1000000``) in ≤ 2 minutes and ≤ 2 GB.

Printed, each as wall time and CPU time (user + system of the whole process tree: parent,
workers and kernels), best of ``--repeat`` runs:

- kernel start-up floor: one empty notebook through papermill in a fresh kernel (start,
  one cell, shutdown) — what every page paid before kernels were kept;
- report floor: ``run_report`` on as many empty notebooks as the report has — the run's own
  machinery (workers, kept kernels with their imports, manifest, HTML), no page work;
- naive baseline: the report with a fresh kernel for every notebook (``fresh_kernels=True``);
- the report itself, with each notebook's wall and CPU time from its manifest, and the peak
  memory of the whole process tree (sum of the proportional set sizes, sampled every 0.1 s).

CPU time does not depend on other work on the machine; wall time does: the load average is
printed before and after, and CPU / 2 is what the wall time would be on two idle cores with
the work spread evenly.

Run: .venv/bin/python benchmarks/bench_report.py [--customers N] [--workers 2] [--repeat 3]
[--no-baseline]   (``--customers`` other than 20,000 writes a sample book of that size first
and leaves out the floors and the baseline unless ``--baseline`` is given)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

SAMPLE = 20_000


def _cpu() -> float:
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


class PeakMemory:
    """Largest sum of the proportional set size [MB] of this process and all its descendants;
    ``cpu`` is the sampling's own CPU time [s], left out of the run's."""

    def __init__(self, every: float = 0.1):
        import psutil

        self.psutil, self.every, self.peak, self.largest, self.cpu = psutil, every, 0.0, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = self.psutil.Process()
        while not self._stop.is_set():
            t0 = time.thread_time()
            total = 0.0
            for proc in [me] + me.children(recursive=True):
                try:
                    info = proc.memory_full_info()
                except (self.psutil.Error, OSError):
                    continue
                total += getattr(info, "pss", info.rss) / 2**20
                self.largest = max(self.largest, info.rss / 2**20)
            self.peak = max(self.peak, total)
            self.cpu += time.thread_time() - t0
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _timed(fn, repeat: int):
    """Best wall time, the CPU time of that run [s], and its result."""
    best = None
    for _ in range(repeat):
        c0, t0 = _cpu(), time.perf_counter()
        out = fn()
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        if best is None or wall < best[0]:
            best = (wall, cpu, out)
    return best


def _empty_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nbformat.write(nb, path)


def kernel_floor(folder: Path) -> None:
    """One empty notebook through papermill in a fresh kernel."""
    import papermill as pm

    _empty_notebook(folder / "empty.ipynb")
    saved = os.dup(2)  # the kernel's own start and stop messages are not the benchmark's output
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
        try:
            pm.execute_notebook(str(folder / "empty.ipynb"), str(folder / "empty-out.ipynb"), parameters={"x": 2},
                                kernel_name="python3", progress_bar=False, log_output=False)
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _line(what: str, wall: float, cpu: float, note: str = "") -> str:
    return f"  {what:<46} {wall:6.1f} s wall  {cpu:6.1f} s CPU (CPU/2 {cpu / 2:5.1f} s){note}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=SAMPLE)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs of each")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=None,
                        help="also run the floors and the fresh-kernel baseline (default: on the sample only)")
    args = parser.parse_args()
    baseline = args.baseline if args.baseline is not None else args.customers == SAMPLE
    from tiermodel.report import notebooks, run_report

    n = len(notebooks())
    load_before = os.getloadavg()
    print(f"report on {args.customers:,} customers, {n} notebooks, {args.workers} workers, {os.cpu_count()} cores; "
          f"load average {load_before[0]:.1f} / {load_before[1]:.1f} (1 / 5 min) at the start")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        book = None
        if args.customers != SAMPLE:
            from tiermodel.portfolio import sample_portfolio, write_table

            book = write_table(sample_portfolio(2003, args.customers), tmp / "book.parquet")
        reports = tmp / "reports"
        lines = []
        if baseline:
            wall, cpu, _ = _timed(lambda: kernel_floor(tmp), args.repeat)
            lines.append(_line("kernel start-up floor (1 empty notebook)", wall, cpu,
                               f"; × {n} / {args.workers} workers = {wall * n / args.workers:.1f} s"))
            empty = tmp / "empty-books"
            empty.mkdir()
            for i in range(n):
                _empty_notebook(empty / f"{i:02d}_empty.ipynb")
            wall, cpu, _ = _timed(lambda: run_report(portfolio=book, reports_dir=reports, notebooks_dir=empty,
                                                     workers=args.workers, progress=False), args.repeat)
            lines.append(_line(f"report floor ({n} empty notebooks, kept kernels)", wall, cpu))
            wall, cpu, _ = _timed(lambda: run_report(portfolio=book, reports_dir=reports, workers=args.workers,
                                                     progress=False, fresh_kernels=True), args.repeat)
            lines.append(_line("naive baseline (a fresh kernel per notebook)", wall, cpu))
        with PeakMemory() as memory:
            wall, cpu, run = _timed(lambda: run_report(portfolio=book, reports_dir=reports, workers=args.workers,
                                                       progress=False), args.repeat)
        cpu -= memory.cpu / args.repeat  # the sampling's own CPU time, spread over the runs
        target = " (target ≤ 15 s)" if args.customers == SAMPLE else " (target ≤ 120 s, ≤ 2,048 MB)"
        lines.append(_line("report", wall, cpu, target))
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    for line in lines:
        print(line)
    print(f"  peak memory of the process tree: {memory.peak:,.0f} MB (sum of PSS); largest process "
          f"{memory.largest:,.0f} MB RSS")
    load_after = os.getloadavg()
    print(f"  load average {load_after[0]:.1f} / {load_after[1]:.1f} at the end (other work on the machine "
          f"slows the wall times, not the CPU times)")
    print("  notebooks of the report run (wall, CPU of worker and kernel, kernel's peak memory):")
    for s in manifest["notebooks"]:
        if s.get("started") and s.get("finished"):
            took = (dt.datetime.fromisoformat(s["finished"]) - dt.datetime.fromisoformat(s["started"])).total_seconds()
            peak = f"{s['kernel_peak_mb']:6,d} MB" if s.get("kernel_peak_mb") else ""
            print(f"    {s['notebook']:<34} {took:5.0f} s  {s.get('cpu_s', float('nan')):5.1f} s CPU  {peak}  {s['status']}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
