"""Report runs: every notebook through papermill into ``reports/<scenario>-<timestamp>/``.

A run folder holds the executed notebooks, HTML renderings without code cells,
``workbook.xlsx`` with the key tables each notebook exported, and ``manifest.json``
(package and library versions, git commit, SHA-256 of parameters and portfolio, seed,
start and end time, each notebook's status).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputPathError, ReportError, TiermodelError
from .resources import data_dir

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parent.parent  # the repository, in a source checkout
NOTEBOOKS_DIR = data_dir("notebooks")
REPORTS_DIR = Path("reports")  # run folders go under the working directory
TABLES_SUBDIR = "tables"  # = tiermodel.present.page.TABLES_SUBDIR, where each page exports its tables
LIBRARIES = ["numpy", "pandas", "scipy", "matplotlib", "pydantic", "papermill", "nbconvert",
             "openpyxl", "pyarrow", "chinesecalendar"]


# ----------------------------------------------------------------------------- used by notebooks
#: What a page does besides its analysis moved to the present layer's page helper
#: (``tiermodel.present.page``). These old names stay importable from here, loaded on first
#: use, only for the pages not yet converted to it (00, 04, 05, 06, 07); remove them then.
_MOVED_TO_PAGE = ("export_tables", "mark_samples", "sample_notice", "page_banner")


def __getattr__(name: str):
    if name in _MOVED_TO_PAGE:
        from .present import page

        return getattr(page, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Input tables each sheet of the assessment (notebook 05, ``tiermodel assess``) rests on; a
#: sheet not listed (the revisit plan) rests on every input.
ASSESSMENT_BASED_ON = {"compliance by type": ("service",), "compliance by branch": ("service",),
                       "service breaches": ("service",), "satisfaction by tier": ("survey",),
                       "satisfaction by branch": ("survey",), "satisfaction weighted": ("survey",),
                       "complaints": ("complaints",), "complaints by person": ("complaints",),
                       "pay deductions": ("complaints",), "revisit plan": ("executives",),
                       "executive quotas": ("executives",), "revisit customers": ("executives",),
                       "revisit notes": ("executives",)}


# ----------------------------------------------------------------------------- manifest
def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex) — :func:`tiermodel.io.sha256_file`."""
    from .io import sha256_file

    return sha256_file(path)


def sha256_frame(df: pd.DataFrame) -> str:
    """SHA-256 of a table's CSV text (hex) — :func:`tiermodel.io.sha256_frame`."""
    from .io import sha256_frame

    return sha256_frame(df)


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
#: Numbered notebooks that are not report pages: the what-if explorer (served by `tiermodel explore`).
NOT_PAGES = ("09_what_if.ipynb",)


def notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The report's notebooks, ``NN_name.ipynb`` in order (not those of :data:`NOT_PAGES`)."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.name not in NOT_PAGES)


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
def _worker_init(parent_pid: int, cwd: str | None = None, log_dir: str | None = None, reuse: bool = True) -> None:
    """In each worker: Ctrl-C is the parent's to handle; SIGTERM stops the kernel and the
    worker; a watchdog ends both if the parent disappears (``kill -9``).

    With ``reuse`` the worker starts its kernel now and imports the libraries every page
    imports (:data:`WARM_IMPORTS`), while the parent is still preparing the run; the kernel
    then serves every notebook this worker runs (:func:`_worker_kernel`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    _WORKER.update(reuse=reuse, log_dir=log_dir)
    if reuse:
        from multiprocessing import util

        util.Finalize(None, _stop_worker_kernel, exitpriority=10)  # a worker's normal exit stops it
        try:
            _worker_kernel(cwd)
        except Exception:  # pragma: no cover - the first notebook tries again and reports the error
            _stop_worker_kernel()


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
            if _WORKER.get("log_dir"):  # the parent's temporary folder of kernel logs
                shutil.rmtree(_WORKER["log_dir"], ignore_errors=True)
            os._exit(1)


def _execute(notebook: str, out_path: str, parameters: dict, cwd: str) -> dict:
    """Run one notebook (in a worker process); return its status for the manifest.

    The kernel's and papermill's own messages go to ``logs/<notebook>.log`` in the run
    folder, not to the terminal.
    """
    log_path = Path(out_path).parent / "logs" / f"{Path(notebook).stem}.log"
    cpu = _cpu_seconds()
    try:
        log_path.parent.mkdir(exist_ok=True)
        saved = os.dup(2)
        with open(log_path, "w", encoding="utf-8") as log:
            os.dup2(log.fileno(), 2)  # the kernel subprocess inherits this stderr
            try:
                status = _execute_logged(notebook, out_path, parameters, cwd)
                status["cpu_s"] = round(_cpu_seconds() - cpu, 2)  # worker and kernel, HTML included
                peak = _kernel_peak_mb()
                if peak:
                    status["kernel_peak_mb"] = peak
                return status
            finally:
                os.dup2(saved, 2)
                os.close(saved)
    except OSError as exc:  # a full disk or a vanished folder: a status, not a crash
        return {"notebook": Path(notebook).name, "status": "failed", "cell": None,
                "error": f"OSError: {exc.strerror or exc} (is the disk full?)", "finished": _now()}


# ----------------------------------------------------------------------------- one kernel per worker
#: Per process: a worker's kernel manager and HTML exporter (``_WORKER``), and inside a kernel
#: the settings a fresh kernel has, restored before each notebook (``_KERNEL``).
_WORKER: dict = {}
_KERNEL: dict = {}

#: What a report kernel imports once, before its first notebook: the libraries every page
#: imports (about 1–2 s of CPU that a fresh kernel per notebook pays for every page).
WARM_IMPORTS = ("numpy", "pandas", "scipy.stats", "matplotlib.pyplot", "IPython.display", "tiermodel.run_inputs",
                "tiermodel.present", "tiermodel.plots", "tiermodel.report")

#: papermill engine of a report (:func:`_report_engine`).
_REPORT_ENGINE = "tiermodel-report"
#: IPython's history in memory, as nbclient starts its kernels (no history database written).
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]


def _kernel_warm() -> None:
    """In a report kernel, before its first notebook: import :data:`WARM_IMPORTS` and keep the
    settings a notebook may change (matplotlib rcParams, numpy options, warning filters,
    ``sys.path``, working folder), as a fresh kernel has them once pyplot is loaded. pandas'
    options are its defaults in a fresh kernel: :func:`_kernel_reset` sets them back with
    ``pandas.reset_option("all")``."""
    import importlib
    import warnings

    for name in WARM_IMPORTS:
        importlib.import_module(name)
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    # load the backend now, as a page's first figure does in a fresh kernel: the inline
    # backend then turns on IPython's figure display and interactive mode (rcParams)
    plt.close(plt.figure())

    rc = dict(matplotlib.rcParams.copy())
    rc.pop("backend", None)
    _KERNEL.update(rc=rc, np_err=np.geterr(), np_print=np.get_printoptions(),
                   warnings=list(warnings.filters), sys_path=list(sys.path), cwd=os.getcwd())


def _kernel_reset(cwd: str | None = None) -> None:
    """In a report kernel, before each notebook: the namespace, history and execution count of
    a new session, every figure closed, and the settings :func:`_kernel_warm` kept put back,
    so that the notebook computes and shows what it would in a fresh kernel."""
    import gc
    import warnings

    from IPython import get_ipython

    if not _KERNEL:
        _kernel_warm()
    get_ipython().reset(new_session=True)  # user namespace, In/Out, execution count 1
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    plt.close("all")
    with warnings.catch_warnings():  # deprecated names are set back as they were, unremarked
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_KERNEL["rc"])
        pd.reset_option("all")
    np.seterr(**_KERNEL["np_err"])
    np.set_printoptions(**_KERNEL["np_print"])
    _restore_warning_filters(_KERNEL["warnings"])
    sys.path[:] = _KERNEL["sys_path"]
    os.chdir(cwd or _KERNEL["cwd"])
    gc.collect()
    _release_free_memory()


def _restore_warning_filters(filters: list) -> None:
    """Put back the warning filters a fresh kernel has. ``warnings.resetwarnings`` first: the
    warnings module then forgets which warnings were shown, so a page shows its own."""
    import warnings

    warnings.resetwarnings()
    warnings.filters[:] = filters
    warnings.onceregistry.clear()


def _release_free_memory() -> None:
    """Give memory Arrow's pool keeps back to the system, so that a kept kernel holds little
    more than a fresh one would, and the report's own process no more than it needs once the
    inputs are checked."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _in_kernel(call: str) -> str:
    """Code that calls a function of this module in a kernel without leaving a name behind."""
    return f"__import__('tiermodel.report', fromlist=['_']).{call}"


def _run_silently(kc, code: str, timeout: float = 300) -> None:
    """Run ``code`` in the kernel of the client ``kc`` and wait for its reply on the shell
    channel: no output, no history, no execution count."""
    from jupyter_core.utils import run_sync

    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
    deadline = time.monotonic() + timeout
    while True:  # replies to earlier requests of this client are passed over
        reply = run_sync(kc.get_shell_msg)(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def _worker_kernel(cwd: str | None = None):
    """This worker's kernel (started and warmed on first use, started again if it died or
    cannot be reset), reset for the next notebook."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    km = _WORKER.get("km")
    if km is not None and not run_sync(km.is_alive)():
        _stop_worker_kernel()
        km = None
    if km is None:
        km = AsyncKernelManager(kernel_name="python3")
        log = None
        if _WORKER.get("log_dir"):  # the kernel's own messages; each notebook's log gets its part
            Path(_WORKER["log_dir"]).mkdir(exist_ok=True)
            log = open(Path(_WORKER["log_dir"]) / f"kernel-worker{os.getpid()}.log", "ab")
        try:
            run_sync(km.start_kernel)(cwd=cwd, extra_arguments=list(_KERNEL_ARGS),
                                      **({"stderr": log} if log else {}))
        finally:
            if log is not None:
                log.close()  # the kernel keeps its own descriptor
        _WORKER.update(km=km, used=False, kernel_log=log.name if log else None)
        # one client for the kernel's life: a client of its own for each notebook would wait
        # for the kernel to answer and for its messages to settle (0.2–0.5 s a notebook)
        kc = km.client()
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
        kc.allow_stdin = False
        _WORKER["kc"] = kc
        _run_silently(kc, _in_kernel("_kernel_warm()"))
    if _WORKER.get("used"):
        try:
            _run_silently(_WORKER["kc"], _in_kernel(f"_kernel_reset({cwd!r})"))
        except Exception:  # cannot be reset: a fresh kernel instead
            _stop_worker_kernel()
            return _worker_kernel(cwd)
    _WORKER["used"] = True
    _kernel_peak_mb()  # start this notebook's peak memory from what the kernel holds now
    return km


def _kernel_pid() -> int | None:
    process = getattr(getattr(_WORKER.get("km"), "provisioner", None), "process", None)
    return getattr(process, "pid", None)


def _kernel_peak_mb(reset: bool = True) -> int | None:
    """Peak resident memory [MB] of the kept kernel since the last call (Linux), or None."""
    pid = _kernel_pid()
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        if reset:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # the next page's peak starts from here
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    return round(peak / 1024)


def _cpu_seconds() -> float:
    """CPU time [s] of this worker, its finished kernels and its running kept kernel."""
    import resource

    total = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
    pid = _kernel_pid()
    if pid is not None:
        try:  # utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


def _copy_kernel_log() -> None:
    """What the worker's kernel wrote to its stderr during the last notebook, into that
    notebook's log (the worker's stderr while it runs the notebook)."""
    path = _WORKER.get("kernel_log")
    if not path:
        return
    try:
        with open(path, "rb") as fh:
            fh.seek(_WORKER.get("kernel_log_seen", 0))
            new = fh.read()
        _WORKER["kernel_log_seen"] = _WORKER.get("kernel_log_seen", 0) + len(new)
        if new:
            os.write(2, new)
    except OSError:
        pass


def _stop_worker_kernel() -> None:
    kc = _WORKER.pop("kc", None)
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:  # pragma: no cover - closing what is already closed
            pass
    km = _WORKER.pop("km", None)
    if km is None:
        return
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone
        _kill_kernels()


def _register_engine() -> None:
    from papermill.engines import papermill_engines

    if _WORKER.get("engine") is None:
        _WORKER["engine"] = _report_engine()
        papermill_engines.register(_REPORT_ENGINE, _WORKER["engine"])


def _report_engine():
    """papermill's nbclient engine, also on a kernel the worker keeps (``km=``, with the
    worker's client ``kc=``): that kernel stays up after the notebook. Consecutive printed
    text of a cell is one output (:func:`_merge_streams`)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, catch_nb_assignment, logger
    from papermill.iorw import papermill_io
    from papermill.utils import merge_kwargs, remove_args

    class ExecutionManager(NotebookExecutionManager):
        @catch_nb_assignment
        def save(self, **kwargs):
            """The copy in ``.running/`` after each cell as compact JSON: papermill's own save
            validates and indents the whole notebook twice a cell. papermill writes the
            finished notebook itself, with nbformat."""
            if self.output_path:
                try:
                    text = json.dumps(self.nb, ensure_ascii=False)
                except (TypeError, ValueError):  # something only nbformat can write
                    return super().save(**kwargs)
                papermill_io.write(text, self.output_path)  # where papermill writes (its working folder)
            self.last_save_time = self.now()

    class ReportEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            nb_man = ExecutionManager(nb, output_path=output_path, progress_bar=progress_bar,
                                      log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
            kc = kwargs.pop("kc", None)  # the worker's client of its kept kernel
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
                                        startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                                        log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            client.kc = kc  # None: nbclient starts a client (and, without km=, a kernel) of its own
            try:
                return client.execute()
            finally:
                _merge_streams(nb_man.nb)
                if kc is None and client.kc is not None and not client.owns_km:  # a kernel it owns it closes
                    client.kc.stop_channels()

    return ReportEngine


def _merge_streams(nb) -> None:
    """Join each cell's consecutive outputs to the same stream, as Jupyter shows them: how a
    kernel cuts printed text into messages depends on timing, the page must not."""
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        merged = []
        for out in outputs:
            if (merged and out.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] = merged[-1]["text"] + out["text"]
            else:
                merged.append(out)
        cell.outputs = merged


#: Subfolder of the run folder where papermill writes a notebook copy while it runs; the copy
#: moves to the run folder only once papermill has written it whole, so a copy there is never
#: half-written JSON.
RUNNING_SUBDIR = ".running"


def running_copy(out_path: str | Path) -> Path:
    """Where papermill writes the copy of ``out_path`` while the notebook runs (``.running/``)."""
    out_path = Path(out_path)
    return out_path.parent / RUNNING_SUBDIR / out_path.name


def _execute_logged(notebook: str, out_path: str, parameters: dict, cwd: str) -> dict:
    import papermill as pm

    start = _now()
    status = {"notebook": Path(notebook).name, "started": start}
    running = running_copy(out_path)
    running.parent.mkdir(exist_ok=True)
    try:
        declared = pm.inspect_notebook(notebook)  # pass only the names its parameters cell declares
        parameters = {k: v for k, v in parameters.items() if k in declared}
        _register_engine()
        engine = {"engine_name": _REPORT_ENGINE}
        if _WORKER.get("reuse"):  # this worker's kernel, its namespace and settings reset
            engine["km"] = _worker_kernel(cwd)
            engine["kc"] = _WORKER["kc"]
        pm.execute_notebook(notebook, str(running), parameters=parameters, kernel_name="python3",
                            progress_bar=False, cwd=cwd, log_output=False, **engine)
    except pm.PapermillExecutionError as exc:  # papermill saved the copy with the error in it
        running.replace(out_path)
        status.update(status="failed", cell=_cell_number(out_path, exc.cell_index),
                      error=f"{exc.ename}: {exc.evalue}", finished=_now())
        return status
    except Exception as exc:  # kernel died, notebook unreadable, ...
        if running.exists():
            _mark_unfinished(running, Path(out_path), "failed before this notebook finished")
        status.update(status="failed", cell=None, error=f"{type(exc).__name__}: {exc}", finished=_now())
        return status
    finally:
        _copy_kernel_log()
    running.replace(out_path)
    from .io import atomic_path

    html = export_html(out_path, parameters.get("lang", "zh"))
    target = Path(out_path).with_suffix(".html")
    with atomic_path(target) as tmp:  # a full disk leaves no partial page behind
        tmp.write_text(html, encoding="utf-8")
    status.update(status="ok", finished=_now())
    return status


#: Cells left out of a report's HTML page: the compact text summaries nbval checks (tagged
#: ``summary``) repeat the formatted table above them.
HIDDEN_CELL_TAGS = ("summary",)
#: A page's prose is written in both languages, each cell tagged with its language; the HTML
#: page of a report keeps the cells of the report's language and leaves out the others.
LANG_CELL_TAGS = {"zh": "lang-zh", "en": "lang-en"}


def export_html(notebook: str | Path, lang: str = "zh") -> str:
    """An executed notebook as an HTML page in ``lang``, without code, prompts, the checked
    text summaries or the prose cells of the other language (:data:`LANG_CELL_TAGS`).

    The exporter (and its template) is built once per process and language and serves every page.
    """
    exporter = _WORKER.get(("exporter", lang))
    if exporter is None:
        exporter = _WORKER[("exporter", lang)] = _html_exporter(lang)
    html, _ = exporter.from_filename(str(notebook))
    return html


def _html_exporter(lang: str = "zh"):
    """nbconvert's HTML exporter, the code cells, prompts, :data:`HIDDEN_CELL_TAGS` cells and
    the prose cells of the languages other than ``lang`` left out."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = (
        set(HIDDEN_CELL_TAGS) | {tag for key, tag in LANG_CELL_TAGS.items() if key != lang})
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, **offline_page_options())
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter


#: The page template: nbconvert's lab page without the scripts it would fetch from the internet
#: (require.js, MathJax, Mermaid, the widget manager): a report page opens offline, on a
#: committee member's laptop or an intranet without access to cdnjs.
OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def offline_page_options() -> dict:
    """Options of nbconvert's HTMLExporter for a page that loads nothing from the internet."""
    from jinja2 import DictLoader

    return {"extra_loaders": [DictLoader({"tiermodel-offline.html.j2": OFFLINE_TEMPLATE})],
            "template_file": "tiermodel-offline.html.j2"}


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


#: Sheets left out of the run's workbook: the same facts are in another sheet of the workbook
#: (notebook 01's register holds every assumption a page lists again).
REDUNDANT_SHEETS = ("03 assumptions", "04 assumptions", "05 assumptions", "06 assumptions", "07 assumptions",
                    "08 table assumptions")


def saved_tables(run_dir: Path) -> dict:
    """The tables the run's pages exported ("NN key" → table), page by page, each page's in
    the order it exported them; :data:`REDUNDANT_SHEETS` left out."""
    import pandas as pd

    tables = sorted((p for p in (run_dir / TABLES_SUBDIR).glob("*.pkl") if not p.name.startswith(".")),
                    key=lambda p: (p.name[:2], p.stat().st_mtime_ns, p.name))
    saved = {}
    for p in tables:
        if p.stem in REDUNDANT_SHEETS:
            continue
        try:
            saved[p.stem] = pd.read_pickle(p)
        except Exception as exc:  # a truncated pickle raises anything (UnpicklingError, EOFError, MemoryError)
            raise ReportError(f"{p}: the saved table cannot be read back ({type(exc).__name__}); the disk may "
                              f"have been full when it was written") from None
    return saved


def write_workbook(run_dir: Path, lang: str = "zh", display_unit: str | None = None) -> Path | None:
    """Collect the exported tables into the run's formatted ``workbook.xlsx``.

    Written by :func:`tiermodel.present.report_workbook`: a contents sheet first, the sheets
    grouped and ordered as the pages ("01 …" before "02 …"), sheet names and headers in
    ``lang``, amounts in ``display_unit`` (``"wan"`` 万元 or ``"yuan"`` 元; None: 万元 in a zh
    workbook, 元 in en) with their unit in the header, frozen formatted headers and number
    formats; no index column. The tables the pages saved hold 元 whatever either unit.
    """
    from .present import display_unit as resolve_display_unit
    from .present import report_workbook

    sheets = saved_tables(run_dir)
    if not sheets:
        return None
    return report_workbook(sheets, run_dir / "workbook.xlsx", lang, resolve_display_unit(display_unit, lang))


def write_pack(run_dir: Path, lang: str, display_unit: str, manifest: dict) -> Path | None:
    """The run's committee pack (:mod:`tiermodel.committee`): ``committee-pack.pdf``, A4, from
    the tables the pages exported, in ``lang`` and ``display_unit`` (``"wan"`` or ``"yuan"``);
    its first page names the scenario, the data source, the run date and the unit."""
    from .committee import write_run_pack
    from .present.labels import pick, text
    from .vocabulary import AMOUNT_UNITS, PACK_TERMS

    sheets = saved_tables(run_dir)
    params = manifest.get("notebook_parameters", {})
    year = int(params.get("year") or int(params.get("log_year", 2025)) + 1)
    source = manifest["portfolio"]["source"]
    facts = [pick(PACK_TERMS["facts"], lang).format(
        scenario=manifest.get("scenario") or text("policy_as_written", lang),
        source=Path(source).name if source and not source.startswith("sample") else source,
        run=str(manifest.get("started", ""))[:10], unit=AMOUNT_UNITS[display_unit][1 if lang == "zh" else 2])]
    return write_run_pack(run_dir, sheets, lang, display_unit, year, facts)


#: Simulation sizes of a report run where the notebooks' own defaults (for a page opened by
#: hand) cost more than they add to a committee report: 20,000 simulated budget years put
#: the P95 within about 0.3 % of its 100,000-year value (page 04 took 8 s of its 15 s for the
#: other 80,000). Any of them can be set with ``-p NAME=VALUE``.
REPORT_DEFAULTS = {"path_sims": 2_000, "count_case_sims": 5_000, "sims": 5_000}


def check_notebook_parameters(parameters: dict, books: list[Path]) -> dict:
    """Refuse a notebook parameter no report notebook declares, before any kernel starts.

    Parameters
    ----------
    parameters : dict
        Name → value given for the run (e.g. ``{"sims": 2000}``).
    books : list of Path
        The report's notebooks.

    Returns
    -------
    dict
        ``parameters`` unchanged; each notebook later receives only the names it declares.

    Raises
    ------
    OptionError
        Naming the parameter, the nearest declared name and where each name is declared.
    """
    import difflib

    from .errors import OptionError
    from .notebook_params import declared_parameters

    declared: dict[str, list[str]] = {}
    for nb in books:
        for name in declared_parameters(nb):
            declared.setdefault(name, []).append(nb.name[:2])
    for name in parameters:
        if name not in declared:
            near = difflib.get_close_matches(name, list(declared), n=1, cutoff=0.5)
            hint = f"; did you mean '{near[0]}' (notebook {', '.join(declared[near[0]])})?" if near else ""
            raise OptionError(name, f"no report notebook declares the parameter '{name}'{hint} "
                                    f"(declared: {', '.join(sorted(declared))})")
    return parameters


#: The event tables a report takes as files (notebook parameters of the same names); any not
#: given is drawn as a seeded sample and every page and sheet built on it says so.
LOG_PARAMETERS = ("service_log", "delivery", "survey", "complaints", "hotline", "policies", "executives")


#: Notebook parameters a run sets from its own options and checks (files hashed into the
#: manifest, the run folder made for it): never given with ``-p``; the option to use instead.
RUN_PARAMETERS = {"scenario": "--scenario", "portfolio": "--portfolio", "branches": "--branches",
                  "amount_unit": "--amount-unit", "display_unit": "--display-unit", "lang": "--lang", "seed": "--seed",
                  "output_dir": "--reports-dir", "log_year": "--log-year",
                  **{k: f"--{k.replace('_', '-')}" for k in LOG_PARAMETERS}}


def refuse_run_parameters(parameters: dict) -> None:
    """Refuse a notebook parameter that is the run's own (:data:`RUN_PARAMETERS`), naming the
    option that sets it."""
    from .errors import OptionError

    for name in parameters:
        if name in RUN_PARAMETERS:
            raise OptionError(f"-p {name}", f"is the run's own (checked before the run and recorded in its "
                                            f"manifest); use {RUN_PARAMETERS[name]} instead")


def check_log_files(inputs, logs: dict, seed: int, log_year: int) -> None:
    """Read and validate every event table given as a file, as the pages will, before any run
    folder is made: a bad table stops the run with nothing written."""
    if not any(logs.get(k) for k in LOG_PARAMETERS):
        return
    from .budget.services import delivery_prices
    from .events import load_assessment_logs, load_delivery_logs

    tiers = inputs.tiering().table
    policy = inputs.policy
    found = load_assessment_logs(tiers, logs.get("service_log"), logs.get("survey"), logs.get("complaints"),
                                 logs.get("executives"), seed, log_year, policy.executive_quotas.gm_office_members)
    if any(logs.get(k) for k in ("delivery", "hotline", "policies")):
        costs, take_up = delivery_prices(policy, log_year)
        load_delivery_logs(tiers, found.executives, costs, logs.get("delivery"), logs.get("hotline"),
                           logs.get("policies"), seed, log_year, found.complaints, take_up=take_up)


def interrupted_message(run_dir: Path, statuses: list[dict]) -> str:
    """What an interrupted run leaves: the pages that are complete and those that are not."""
    done = [s["notebook"] for s in statuses if s["status"] == "ok"]
    rest = [s["notebook"] for s in statuses if s["status"] != "ok"]
    complete = f"{len(done)} of {len(statuses)} pages complete ({', '.join(done)})" if done else "no page complete"
    return (f"report interrupted: {run_dir}: {complete}; not complete: {', '.join(rest) or 'none'} "
            f"(manifest status 'interrupted'; each notebook's status is in manifest.json)")


def mark_failed(run_dir: Path, manifest: dict, exc: BaseException) -> None:
    """After an error that stopped the run (a full disk, a workbook that cannot be written):
    no temporary file left in the run folder, and the manifest says 'failed' where it can be
    written."""
    for tmp in run_dir.rglob(".*.partial*"):
        tmp.unlink(missing_ok=True)
    manifest.update(status="failed", finished=_now(), error=f"{type(exc).__name__}: {exc}")
    try:
        _write_manifest(run_dir, manifest)
    except ReportError:  # the disk is still full: the error itself is reported
        pass


def run_report(scenario: str | None = None, portfolio: str | Path | None = None,
               branches: str | Path | None = None, amount_unit: str | None = None, seed: int = 2003,
               reports_dir: Path = REPORTS_DIR, notebooks_dir: Path = NOTEBOOKS_DIR,
               workers: int = 2, progress: bool = True, logs: dict | None = None,
               log_year: int = 2025, lang: str = "zh", parameters: dict | None = None,
               fresh_kernels: bool = False, display_unit: str | None = None) -> Path:
    """Run every notebook with the run's parameters into a new run folder.

    The inputs are loaded and validated first, so a bad input stops the run before any
    folder is made. A failing notebook keeps its partly executed copy (with the error); the
    other notebooks' outputs stay; :class:`ReportError` then names notebook, cell and error.

    ``logs`` maps the names of :data:`LOG_PARAMETERS` to files; each notebook receives only
    the parameters its parameters cell declares. ``parameters`` are further notebook
    parameters (e.g. ``{"sims": 2000, "draws": 256}``); a name no notebook declares is refused
    with :class:`~tiermodel.errors.OptionError` before the run starts.

    ``amount_unit`` is the unit of the amounts in the customer file (None: as each header
    states it, ``长险标准保费（万元）``, else 元, but a file whose amounts look 10,000× too small
    is refused, naming ``--amount-unit wan``; ``"yuan"`` given explicitly goes on; a header
    whose unit contradicts it is refused). ``display_unit`` (``"wan"`` or ``"yuan"``; None:
    万元 in a zh report, 元 in en) is the unit of every amount shown: pages (the parameter
    ``display_unit``), the workbook and the committee pack; the manifest records both units.
    ``lang`` (zh or en) is the language of every page and of the workbook.

    Each worker keeps one kernel for the notebooks it runs, its namespace and settings reset
    before each notebook as a fresh kernel has them; ``fresh_kernels`` starts a new kernel for
    every notebook instead (slower; the outputs are the same).

    The run succeeds (returns) when every notebook ran, even where a page says what it cannot
    show on a small book; a notebook that fails raises :class:`ReportError` naming it and the cell.

    Returns
    -------
    Path of the run folder.
    """
    extra = dict(parameters or {})
    books = notebooks(notebooks_dir)
    refuse_run_parameters(extra)
    check_notebook_parameters(extra, books)
    logs = logs or {}
    unknown = sorted(set(logs) - set(LOG_PARAMETERS))
    if unknown:
        raise ValueError(f"unknown log table(s) {unknown}; known: {', '.join(LOG_PARAMETERS)}")
    # the workers start first, before this process loads pandas and the model: their kernels
    # start and import what the pages need while the inputs are read and checked here; a bad
    # input stops them before any folder is made
    kernel_logs = Path(tempfile.mkdtemp(prefix="tiermodel-kernels-"))
    n_workers = max(1, min(workers, len(books) or 1))
    pool = ProcessPoolExecutor(max_workers=n_workers, initializer=_worker_init,
                               initargs=(os.getpid(), str(notebooks_dir), str(kernel_logs), not fresh_kernels))
    try:
        pool.submit(int)  # the workers are forked at the first task
        unit = _check_options(amount_unit, lang, log_year, display_unit)
        run = _prepare_run(scenario, portfolio, branches, amount_unit, unit, seed, reports_dir, books, logs,
                           log_year, lang, extra)
        run.notebooks_dir, run.workers = notebooks_dir, n_workers
        _run_pages(pool, run, progress)
        return _finish_run(run)
    except BaseException:
        _stop_pool(pool)  # a bad input, or anything before the pages ran: no worker or kernel left
        raise
    finally:
        shutil.rmtree(kernel_logs, ignore_errors=True)


class _Run:
    """What one report run knows while it runs: its folder, notebooks, parameters, manifest
    and each notebook's status."""

    def __init__(self, run_dir: Path, books: list[Path], params: dict, manifest: dict, lang: str, unit: str):
        self.run_dir, self.books, self.params, self.manifest = run_dir, books, params, manifest
        self.lang, self.unit = lang, unit
        self.statuses = {nb.name: {"notebook": nb.name, "status": "not run"} for nb in books}
        self.workbook_tables = None  # the tables the workbook was written from, once written
        self.notebooks_dir, self.workers = NOTEBOOKS_DIR, 1

    def record(self, status: str | None = None) -> None:
        """Write the manifest with every notebook's status (and the run's, when given)."""
        self.manifest["notebooks"] = [self.statuses[nb.name] for nb in self.books]
        if status is not None:
            self.manifest["status"] = status
            if status != "running":
                self.manifest["finished"] = _now()
        _write_manifest(self.run_dir, self.manifest)


def _check_options(amount_unit: str | None, lang: str, log_year: int, display_unit: str | None = None) -> str:
    """The display unit of the run ("wan" or "yuan"), once language, both units and log year
    are checked."""
    from .assess.calendar import check_log_year
    from .present import check_amount_unit, check_lang
    from .present import display_unit as resolve_display_unit

    check_lang(lang)
    if amount_unit:
        check_amount_unit(amount_unit)
    unit = resolve_display_unit(display_unit, lang)
    check_log_year(int(log_year))
    return unit


def _prepare_run(scenario, portfolio, branches, amount_unit, unit, seed, reports_dir, books, logs, log_year,
                 lang, extra) -> _Run:
    """Load and check the inputs (a bad input stops here, before any folder is made), make the
    run folder and write its first manifest."""
    from .portfolio import check_amount_scale
    from .run_inputs import load_inputs

    inputs = load_inputs(scenario, portfolio, branches, amount_unit, seed)  # fail early
    check_amount_scale(inputs.portfolio, portfolio, amount_unit)
    check_log_files(inputs, logs, seed, int(log_year))
    run_dir = new_run_dir(inputs.policy.scenario or "policy-2003", reports_dir)
    started = _now()
    params = _page_parameters(scenario, portfolio, branches, (inputs.amount_unit, unit), lang, seed, run_dir, logs,
                              log_year, books, extra)
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
        "amount_unit": inputs.amount_unit,  # what the customer file holds ("": as each header states)
        "display_unit": unit,  # what pages, the workbook and the pack show
        "logs": {k: ({"source": params[k], "sha256": sha256_file(params[k])} if params[k] else "seeded sample")
                 for k in LOG_PARAMETERS},
        "notebook_parameters": params,
        "notebooks": [],
    }
    run = _Run(run_dir, books, params, manifest, lang, unit)
    run.record("running")
    del inputs  # each page loads its own; what reading the book took goes back to the system
    import gc

    gc.collect()
    _release_free_memory()
    return run


def _page_parameters(scenario, portfolio, branches, units, lang, seed, run_dir, logs, log_year, books,
                     extra) -> dict:
    """The parameters every page may receive (each receives those its parameters cell declares);
    ``units``: the unit the customer file holds and the unit amounts are shown in."""
    amount_unit, display_unit = units
    params = {"scenario": scenario or "", "portfolio": str(Path(portfolio).resolve()) if portfolio else "",
              "branches": str(Path(branches).resolve()) if branches else "",
              "amount_unit": amount_unit, "display_unit": display_unit, "lang": lang, "seed": int(seed),
              "output_dir": str(run_dir.resolve())}
    params.update({k: str(Path(logs[k]).resolve()) if logs.get(k) else "" for k in LOG_PARAMETERS})
    params["log_year"] = int(log_year)
    declared = {name for nb in books for name in _declared(nb)}
    params.update({k: v for k, v in REPORT_DEFAULTS.items() if k in declared})
    params.update(extra)
    return params


def _run_pages(pool: ProcessPoolExecutor, run: _Run, progress: bool) -> None:
    """Run the pages on the workers; Ctrl-C, SIGTERM or a dead worker stops every kernel and
    the manifest says what ran."""
    from tqdm.auto import tqdm

    previous = _on_sigterm_interrupt()
    from .present.messages import say

    bar = tqdm(total=len(run.books), desc=say("console.pages", run.lang), unit=say("console.page_unit", run.lang),
               disable=not progress)
    running: dict = {}
    try:
        _schedule(pool, run, bar, running)
        pool.shutdown()
    except BaseException as exc:
        _stop_pool(pool)
        bar.close()
        _record_interruption(run)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            print(interrupted_message(run.run_dir, run.manifest["notebooks"]), file=sys.stderr)
            raise
        raise ReportError(f"report stopped in {run.run_dir}: {type(exc).__name__}: {exc} (a worker process died; "
                          f"each notebook's status is in manifest.json)") from None
    finally:
        bar.close()
        _restore_sigterm(previous)


def _schedule(pool: ProcessPoolExecutor, run: _Run, bar, running: dict) -> None:
    """One notebook per free worker, longest first; the summary page once the pages it reads
    are done; the workbook while the summary page runs (it exports no table)."""
    from .present.messages import say

    queue = sorted(run.books, key=_run_order)

    def fill() -> None:
        while queue and len(running) < run.workers:
            nb = next((b for b in queue if _ready(b, run.books, run.statuses)), None)
            if nb is None:
                return
            queue.remove(nb)
            running[pool.submit(_execute, str(nb), str(run.run_dir / nb.name), run.params,
                                str(run.notebooks_dir))] = nb

    fill()
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in done:
            del running[fut]
            status = fut.result()
            run.statuses[status["notebook"]] = status
            bar.set_postfix_str(say("console.page_" + status["status"].replace(" ", "_"), run.lang,
                                      page=status["notebook"]))
            bar.update(1)
        fill()
        _workbook_once_pages_are_done(run)


def _workbook_once_pages_are_done(run: _Run) -> None:
    """Write the workbook as soon as every page but the summary has run (once)."""
    if run.workbook_tables is not None:
        return
    if any(run.statuses[b.name]["status"] == "not run" for b in run.books if not b.name.startswith(SUMMARY_PREFIX)):
        return
    try:
        run.workbook_tables = _table_files(run.run_dir)
        write_workbook(run.run_dir, run.lang, run.unit)
    except (TiermodelError, OSError):  # raised again where a finished run reports it
        run.workbook_tables = ()


def _record_interruption(run: _Run) -> None:
    """After a stop: each notebook that had started is 'interrupted', its copy marked as such."""
    for nb in run.books:
        if run.statuses[nb.name]["status"] != "not run":
            continue
        # the copy papermill is writing, or one a worker finished but could not report
        partial = running_copy(run.run_dir / nb.name)
        copy = partial if partial.exists() else run.run_dir / nb.name
        started = copy.exists()
        run.statuses[nb.name] = {"notebook": nb.name, "status": "interrupted" if started else "not run"}
        if started and not _mark_unfinished(copy, run.run_dir / nb.name):
            run.statuses[nb.name]["note"] = "its copy was cut off mid-write and is not kept"
    _remove_empty(run.run_dir / RUNNING_SUBDIR)
    run.record("interrupted")


def _finish_run(run: _Run) -> Path:
    """The workbook (again, if a table came after it was written), the committee pack, the
    final manifest, and a :class:`ReportError` naming every notebook that failed. A workbook
    or pack that cannot be written (a full disk) marks the run failed and leaves no partial file."""
    _remove_empty(run.run_dir / RUNNING_SUBDIR)
    run.manifest["notebooks"] = [run.statuses[nb.name] for nb in run.books]
    try:
        if run.workbook_tables != _table_files(run.run_dir):  # not written yet, failed, or a table came after
            write_workbook(run.run_dir, run.lang, run.unit)
        pack = write_pack(run.run_dir, run.lang, run.unit, run.manifest)
    except (OSError, TiermodelError) as exc:
        mark_failed(run.run_dir, run.manifest, exc)
        raise
    run.manifest["committee_pack"] = pack.name if pack else None
    failed = [run.statuses[nb.name] for nb in run.books if run.statuses[nb.name]["status"] != "ok"]
    run.record("failed" if failed else "ok")
    if failed:
        lines = [f"{s['notebook']}, cell {s['cell']}: {s['error']}" for s in failed]
        raise ReportError(f"{len(failed)} notebook(s) failed in {run.run_dir} (partly executed copies "
                          f"kept there):\n  " + "\n  ".join(lines))
    return run.run_dir


#: The summary page: run after the others, whose exported tables it reads (the budget of
#: page 04, the service level of page 05, the tornado of page 03) instead of computing them again.
SUMMARY_PREFIX = "00_"
#: Pages whose exported tables the summary page reads: it starts once they are done.
SUMMARY_READS = ("03_", "04_", "05_", "08_")
#: The order notebooks start in, as workers come free: longest first (CPU seconds of each on
#: the sample, with a kept kernel: 03 4.5, 08 4.5, 05 3.3, 04 2.4, 06 3.4, 07 3.1, 02 2.3,
#: 01 1.4, 00 1.0) so that the two workers finish together, the pages the summary reads
#: (03, 04, 05) early, and the summary last, beside the workbook; notebooks not listed follow
#: in page order.
RUN_ORDER = ("03_", "08_", "05_", "04_", "06_", "07_", "02_", "01_", "00_")


def _ready(nb: Path, books: list[Path], statuses: dict) -> bool:
    """Whether ``nb`` can start: the summary page waits for the pages it reads."""
    if not nb.name.startswith(SUMMARY_PREFIX):
        return True
    return all(statuses[b.name]["status"] != "not run" for b in books if b.name.startswith(SUMMARY_READS))


def _table_files(run_dir: Path) -> tuple:
    folder = run_dir / TABLES_SUBDIR
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.pkl"))) if folder.exists() else ()


def _declared(nb: Path) -> list[str]:
    from .notebook_params import declared_parameters

    return list(declared_parameters(nb))


def _run_order(nb: Path) -> tuple:
    rank = [i for i, prefix in enumerate(RUN_ORDER) if nb.name.startswith(prefix)]
    return (rank[0] if rank else len(RUN_ORDER), nb.name)


def _write_manifest(run_dir: Path, manifest: dict) -> None:
    from .io import atomic_path

    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    try:
        with atomic_path(run_dir / "manifest.json") as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OutputPathError as exc:
        raise ReportError(f"{run_dir / 'manifest.json'}: {exc.rule}; is the disk full?") from None


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
    """Terminate the workers (each kills its kernels on SIGTERM) and drop pending notebooks.
    The workers are this process's multiprocessing children (the report starts no others)."""
    import multiprocessing

    processes = multiprocessing.active_children()
    for proc in processes:
        try:
            proc.terminate()
        except OSError:
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        try:
            proc.join(timeout=5)
        except (OSError, AssertionError, AttributeError):
            pass


def _mark_unfinished(running: Path, out_path: Path,
                     what: str = "was stopped before this notebook finished") -> bool:
    """Put a notebook copy cut short (in ``.running/``, or finished but not reported) in the
    run folder with a banner cell first, so that it cannot look finished, and drop its HTML
    page. A copy cut off mid-write (not readable JSON) is removed instead; returns whether a
    copy was kept."""
    import nbformat

    banner = (f"**INTERRUPTED** — this report run {what}; its outputs are incomplete or "
              f"missing. See manifest.json.")
    try:
        nb = nbformat.read(running, as_version=4)
    except Exception:  # half-written JSON
        running.unlink(missing_ok=True)
        return False
    from .io import atomic_path

    cell = nbformat.v4.new_markdown_cell(banner)
    cell.metadata["tags"] = ["tiermodel-interrupted"]
    nb.cells.insert(0, cell)
    with atomic_path(out_path) as tmp:
        nbformat.write(nb, tmp)
    if running != out_path:
        running.unlink(missing_ok=True)
    out_path.with_suffix(".html").unlink(missing_ok=True)
    return True


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # absent, or holds a copy a stopped worker was still writing
        pass


if __name__ == "__main__":  # pragma: no cover
    print(run_report(), file=sys.stderr)
