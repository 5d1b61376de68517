"""Report runs: every notebook through papermill into ``reports/<scenario>-<timestamp>/``.

A run folder holds the executed notebooks, HTML renderings without code cells,
``workbook.xlsx`` with the key tables each notebook exported, and ``manifest.json``
(package and library versions, git commit, SHA-256 of parameters and portfolio, seed,
start and end time, each notebook's status).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib import metadata
from pathlib import Path

import pandas as pd

from .errors import ReportError, TiermodelError
from .io import write_sheets
from .resources import data_dir

ROOT = Path(__file__).resolve().parent.parent  # the repository, in a source checkout
NOTEBOOKS_DIR = data_dir("notebooks")
REPORTS_DIR = Path("reports")  # run folders go under the working directory
TABLES_SUBDIR = "tables"
LIBRARIES = ["numpy", "pandas", "scipy", "matplotlib", "pydantic", "papermill", "nbconvert",
             "openpyxl", "pyarrow", "chinesecalendar"]


# ----------------------------------------------------------------------------- used by notebooks
def export_tables(output_dir: str | Path | None, tables: dict[str, pd.DataFrame], prefix: str = "") -> None:
    """Save a notebook's key tables for the run's Excel workbook.

    Parameters
    ----------
    output_dir : path or None
        The run folder; None or "" (a notebook opened by hand) does nothing.
    tables : dict of str to DataFrame
        Usually a result's ``.tables()``; each becomes a sheet named ``f"{prefix} {key}"``
        (at most 31 characters, e.g. ``"01 gold list"``).
    prefix : str
        The notebook's number, e.g. ``"01"``.
    """
    if not output_dir:
        return
    folder = Path(output_dir) / TABLES_SUBDIR
    for key, table in tables.items():
        name = f"{prefix} {key}" if prefix else key
        if len(name) > 31:
            raise ValueError(f"sheet name '{name}' is longer than Excel's 31 characters")
        target = folder / f"{name}.pkl"
        tmp = folder / f".{name}.partial.pkl"
        try:  # whole or not at all: a full disk leaves no truncated table behind
            folder.mkdir(parents=True, exist_ok=True)
            table.to_pickle(tmp)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ReportError(f"{target}: the table could not be saved ({exc.strerror or exc}); "
                              f"is the disk full?") from None


# ----------------------------------------------------------------------------- manifest
def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_frame(df: pd.DataFrame) -> str:
    """SHA-256 of a table's CSV text (for the generated sample, which has no file)."""
    return hashlib.sha256(df.to_csv(index=False).encode("utf-8")).hexdigest()


def git_commit(repo: Path = ROOT) -> str | None:
    """The source checkout's commit (with ``-dirty`` for local changes); None for an installed wheel."""
    if not (repo / ".git").exists():
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("-dirty" if dirty else "")


def versions() -> dict[str, str]:
    """Versions of Python, tiermodel and the libraries a report rests on."""
    out = {"tiermodel": _version("tiermodel"), "python": platform.python_version()}
    out.update({lib: _version(lib) for lib in LIBRARIES})
    return out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


# ----------------------------------------------------------------------------- running
def notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report's notebooks, ``NN_name.ipynb`` in order."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def new_run_dir(label: str, reports_dir: Path = REPORTS_DIR) -> Path:
    """Create ``<label>-<timestamp>[-N]`` atomically: two runs started in the same second
    (even from two processes) get two folders, never one shared."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        Path(reports_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"{reports_dir}: cannot create the reports folder ({exc.strerror or exc})") from None
    n = 1
    while True:
        run_dir = Path(reports_dir) / (f"{label}-{stamp}" if n == 1 else f"{label}-{stamp}-{n}")
        try:
            run_dir.mkdir()  # fails if another run took the name first
            return run_dir
        except FileExistsError:
            n += 1
        except OSError as exc:
            raise ReportError(f"{run_dir}: cannot create the run folder ({exc.strerror or exc})") from None


# ----------------------------------------------------------------------------- worker processes
def _worker_init(parent_pid: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle; SIGTERM stops the kernel and the
    worker; a watchdog ends both if the parent disappears (``kill -9``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _children(pid: int) -> list[int]:
    """Child process ids of ``pid`` (Linux /proc; elsewhere none are known)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _kill_kernels() -> None:
    """Kill this worker's kernels: each leads its own session (jupyter_client), so its
    process group goes with it."""
    for child in _children(os.getpid()):
        for kill in (lambda: os.killpg(child, signal.SIGKILL), lambda: os.kill(child, signal.SIGKILL)):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError, OSError):
                continue


def _worker_stop(signum, frame) -> None:  # pragma: no cover - runs in a worker process
    _kill_kernels()
    os._exit(128 + signum)


def _watch_parent(parent_pid: int, every: float = 1.0) -> None:  # pragma: no cover - worker thread
    while True:
        time.sleep(every)
        if os.getppid() != parent_pid:
            _kill_kernels()
            os._exit(1)


def _execute(notebook: str, out_path: str, parameters: dict, cwd: str) -> dict:
    """Run one notebook (in a worker process); return its status for the manifest.

    The kernel's and papermill's own messages go to ``logs/<notebook>.log`` in the run
    folder, not to the terminal.
    """
    log_path = Path(out_path).parent / "logs" / f"{Path(notebook).stem}.log"
    try:
        log_path.parent.mkdir(exist_ok=True)
        saved = os.dup(2)
        with open(log_path, "w", encoding="utf-8") as log:
            os.dup2(log.fileno(), 2)  # the kernel subprocess inherits this stderr
            try:
                return _execute_logged(notebook, out_path, parameters, cwd)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
    except OSError as exc:  # a full disk or a vanished folder: a status, not a crash
        return {"notebook": Path(notebook).name, "status": "failed", "cell": None,
                "error": f"OSError: {exc.strerror or exc} (is the disk full?)", "finished": _now()}


def _execute_logged(notebook: str, out_path: str, parameters: dict, cwd: str) -> dict:
    import papermill as pm
    from nbconvert import HTMLExporter

    start = _now()
    status = {"notebook": Path(notebook).name, "started": start}
    try:
        pm.execute_notebook(notebook, out_path, parameters=parameters, kernel_name="python3",
                            progress_bar=False, cwd=cwd, log_output=False)
    except pm.PapermillExecutionError as exc:
        status.update(status="failed", cell=_cell_number(out_path, exc.cell_index),
                      error=f"{exc.ename}: {exc.evalue}", finished=_now())
        return status
    except Exception as exc:  # kernel died, notebook unreadable, ...
        status.update(status="failed", cell=None, error=f"{type(exc).__name__}: {exc}", finished=_now())
        return status
    html, _ = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                           exclude_output_prompt=True).from_filename(out_path)
    target = Path(out_path).with_suffix(".html")
    tmp = target.with_name(f".{target.name}.partial")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    status.update(status="ok", finished=_now())
    return status


def _cell_number(executed: str, cell_index: int) -> int:
    """1-based position of the failing cell in the notebook as written.

    papermill adds cells to the executed copy (``injected-parameters``, and error banners
    tagged ``papermill-error-cell-tag``), which shifts its cell index and execution count;
    the reader looks at the notebook as written, so those cells are not counted.
    """
    import nbformat

    added = {"injected-parameters", "papermill-error-cell-tag"}
    try:
        cells = nbformat.read(executed, as_version=4).cells
    except Exception:  # the copy could not be read: report papermill's position
        return cell_index + 1
    position = 0
    for cell in cells:
        if added & set(cell.get("metadata", {}).get("tags", [])):
            continue
        position += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return position
    return cell_index + 1


def write_workbook(run_dir: Path) -> Path | None:
    """Collect the exported tables into ``workbook.xlsx`` (one sheet each, in name order)."""
    tables = sorted(p for p in (run_dir / TABLES_SUBDIR).glob("*.pkl") if not p.name.startswith("."))
    if not tables:
        return None
    sheets = {}
    for p in tables:
        try:
            sheets[p.stem] = pd.read_pickle(p)
        except Exception as exc:  # a truncated pickle raises anything (UnpicklingError, EOFError, MemoryError)
            raise ReportError(f"{p}: the saved table cannot be read back ({type(exc).__name__}); the disk may "
                              f"have been full when it was written") from None
    return write_sheets(sheets, run_dir / "workbook.xlsx")


def run_report(scenario: str | None = None, portfolio: str | Path | None = None,
               branches: str | Path | None = None, amount_unit: str = "yuan", seed: int = 2003,
               reports_dir: Path = REPORTS_DIR, notebooks_dir: Path = NOTEBOOKS_DIR,
               workers: int = 2, progress: bool = True) -> Path:
    """Run every notebook with the run's parameters into a new run folder.

    The inputs are loaded and validated first, so a bad input stops the run before any
    folder is made. A failing notebook keeps its partly executed copy (with the error); the
    other notebooks' outputs stay; :class:`ReportError` then names notebook, cell and error.

    Returns
    -------
    Path of the run folder.
    """
    from tqdm.auto import tqdm

    from .run_inputs import load_inputs

    inputs = load_inputs(scenario, portfolio, branches, amount_unit, seed)  # fail early
    label = inputs.policy.scenario or "policy-2003"
    run_dir = new_run_dir(label, reports_dir)
    started = _now()
    params = {"scenario": scenario or "", "portfolio": str(Path(portfolio).resolve()) if portfolio else "",
              "branches": str(Path(branches).resolve()) if branches else "",
              "amount_unit": amount_unit, "seed": int(seed), "output_dir": str(run_dir.resolve())}
    manifest = {
        "tiermodel_run": run_dir.name,
        "started": started,
        "finished": None,
        "versions": versions(),
        "git_commit": git_commit(),
        "seed": int(seed),
        "scenario": scenario or None,
        "parameters": {str(p): sha256_file(p) for p in inputs.policy.files},
        "portfolio": {"source": inputs.portfolio_source,
                      "sha256": sha256_file(portfolio) if portfolio else sha256_frame(inputs.portfolio),
                      "customers": int(len(inputs.portfolio))},
        "branches": {"source": str(branches), "sha256": sha256_file(branches)} if branches else None,
        "notebook_parameters": params,
        "notebooks": [],
    }
    manifest["status"] = "running"
    manifest["notebooks"] = [{"notebook": nb.name, "status": "not run"} for nb in notebooks(notebooks_dir)]
    _write_manifest(run_dir, manifest)
    books = notebooks(notebooks_dir)
    statuses = {nb.name: {"notebook": nb.name, "status": "not run"} for nb in books}
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(books) or 1)),
                               initializer=_worker_init, initargs=(os.getpid(),))
    previous = _on_sigterm_interrupt()
    bar = tqdm(total=len(books), desc="notebooks", unit="nb", disable=not progress)
    try:
        futures = {pool.submit(_execute, str(nb), str(run_dir / nb.name), params, str(notebooks_dir)): nb
                   for nb in books}
        for fut in as_completed(futures):
            status = fut.result()
            statuses[status["notebook"]] = status
            bar.set_postfix_str(f"{status['notebook']} {status['status']}")
            bar.update(1)
        pool.shutdown()
    except BaseException as exc:  # Ctrl-C, SIGTERM, a dead worker: stop every kernel, say what ran
        _stop_pool(pool)
        bar.close()
        for nb in books:
            if statuses[nb.name]["status"] == "not run":
                started = (run_dir / nb.name).exists()
                statuses[nb.name] = {"notebook": nb.name, "status": "interrupted" if started else "not run"}
                if started:
                    _mark_unfinished(run_dir / nb.name)
        manifest["notebooks"] = [statuses[nb.name] for nb in books]
        manifest["status"] = "interrupted"
        manifest["finished"] = _now()
        _write_manifest(run_dir, manifest)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            print(f"report interrupted: {run_dir} (manifest status 'interrupted'; each notebook's status "
                  f"is in manifest.json)", file=sys.stderr)
            raise
        raise ReportError(f"report stopped in {run_dir}: {type(exc).__name__}: {exc} (a worker process died; "
                          f"each notebook's status is in manifest.json)") from None
    finally:
        bar.close()
        _restore_sigterm(previous)
    manifest["notebooks"] = [statuses[nb.name] for nb in books]
    statuses = manifest["notebooks"]
    write_workbook(run_dir)
    manifest["finished"] = _now()
    manifest["status"] = "failed" if any(s["status"] != "ok" for s in statuses) else "ok"
    _write_manifest(run_dir, manifest)
    failed = [s for s in statuses if s["status"] != "ok"]
    if failed:
        lines = [f"{s['notebook']}, cell {s['cell']}: {s['error']}" for s in failed]
        raise ReportError(f"{len(failed)} notebook(s) failed in {run_dir} (partly executed copies "
                          f"kept there):\n  " + "\n  ".join(lines))
    return run_dir


def _write_manifest(run_dir: Path, manifest: dict) -> None:
    tmp = run_dir / ".manifest.partial.json"
    try:
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(run_dir / "manifest.json")
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"{run_dir / 'manifest.json'}: cannot be written ({exc.strerror or exc}); "
                          f"is the disk full?") from None


def _on_sigterm_interrupt():
    """SIGTERM to the parent is handled like Ctrl-C (only possible in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    return signal.signal(signal.SIGTERM, handler)


def _restore_sigterm(previous) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers (each kills its kernels on SIGTERM) and drop pending notebooks."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        try:
            proc.terminate()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.join(timeout=5)
        except (OSError, AssertionError, AttributeError):
            pass


def _mark_unfinished(path: Path) -> None:
    """A notebook copy cut short must not look finished: a banner cell first, or, if the copy
    cannot be read, a name that says so."""
    import nbformat

    banner = ("**INTERRUPTED** — this report run was stopped before this notebook finished; "
              "its outputs are incomplete or missing. See manifest.json.")
    try:
        nb = nbformat.read(path, as_version=4)
        cell = nbformat.v4.new_markdown_cell(banner)
        cell.metadata["tags"] = ["tiermodel-interrupted"]
        nb.cells.insert(0, cell)
        nbformat.write(nb, path)
    except Exception:  # half-written JSON: keep it, renamed
        try:
            path.replace(path.with_name(path.stem + ".interrupted.ipynb"))
        except OSError:
            pass
    path.with_suffix(".html").unlink(missing_ok=True)


if __name__ == "__main__":  # pragma: no cover
    print(run_report(), file=sys.stderr)
