"""report: interrupted runs say so and leave no kernel behind; run folders never collide;
a full disk gives a message, not an UnpicklingError."""
from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tiermodel import report
from tiermodel.errors import ReportError

from test_report import _notebook  # one notebook builder for the report tests


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _wait(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


# ----------------------------------------------------------------------------- run folders
def test_two_runs_in_the_same_second_get_two_folders(tmp_path):
    made, errors = [], []

    def make():
        try:
            made.append(report.new_run_dir("policy-2003", tmp_path))
        except Exception as exc:  # pragma: no cover - shows up in the assertion
            errors.append(exc)

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(made)) == 8 and all(p.is_dir() for p in made)
    # the first keeps the plain name, the others are numbered -2 … -8 (same second) or plain
    assert len({p.name for p in made}) == 8


# ----------------------------------------------------------------------------- full disk
def test_a_full_disk_while_saving_a_table_is_a_message(tmp_path, monkeypatch):
    def full(self, path, *a, **k):
        Path(path).write_bytes(b"\x80\x04partial")  # what a full disk leaves
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_pickle", full)
    with pytest.raises(ReportError, match="No space left on device.*disk full"):
        report.export_tables(tmp_path, {"tiers": pd.DataFrame({"a": [1]})}, "01")
    assert list((tmp_path / report.TABLES_SUBDIR).iterdir()) == []  # no truncated table left


def test_a_truncated_table_is_named_not_an_unpickling_error(tmp_path):
    folder = tmp_path / report.TABLES_SUBDIR
    folder.mkdir()
    (folder / "01 tiers.pkl").write_bytes(b"\x80\x04\x95 truncated")
    with pytest.raises(ReportError, match="01 tiers.pkl: the saved table cannot be read back"):
        report.write_workbook(tmp_path)


def test_a_full_disk_while_writing_the_manifest_is_a_message(tmp_path, monkeypatch):
    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(ReportError, match="manifest.json: cannot be written \\(No space left on device\\)"):
        report._write_manifest(tmp_path, {"a": 1})


# ----------------------------------------------------------------------------- interrupts
SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tiermodel.report import run_report
    run_report(reports_dir=Path(sys.argv[1]), notebooks_dir=Path(sys.argv[2]), workers=2, progress=False)
""")


@pytest.fixture()
def slow_books(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    pid_file = tmp_path / "kernel.pid"
    _notebook(folder / "01_slow.ipynb",
              f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))",
              "time.sleep(600)", "print('never')")
    _notebook(folder / "02_quick.ipynb", "print('done')")
    _notebook(folder / "03_queued.ipynb", "print('queued')")
    return folder, pid_file


def _start(tmp_path, books):
    reports = tmp_path / "reports"
    # Ctrl-C as in a terminal: a pytest-xdist worker may run with SIGINT ignored, and a child
    # inherits that (Python then never installs its KeyboardInterrupt handler)
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(reports), str(books)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return proc, reports


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_stops_the_kernels_and_marks_the_manifest(tmp_path, slow_books, sig):
    books, pid_file = slow_books
    proc, reports = _start(tmp_path, books)
    try:
        assert _wait(lambda: pid_file.exists() and pid_file.read_text().strip(), 120), proc.stderr
        kernel = int(pid_file.read_text())
        time.sleep(1.0)  # the slow notebook is now in time.sleep
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    err = proc.stderr.read()
    assert "Traceback" not in err.replace("KeyboardInterrupt", "") or "report interrupted" in err
    assert _wait(lambda: not _alive(kernel), 15), "the slow notebook's kernel is still running"
    (run_dir,) = list(reports.iterdir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted" and manifest["finished"]
    status = {s["notebook"]: s["status"] for s in manifest["notebooks"]}
    assert status["01_slow.ipynb"] == "interrupted"
    # the message names the pages that are complete, as the manifest has them (never "no output")
    done = [name for name, st in status.items() if st == "ok"]
    assert (f"{len(done)} of 3 pages complete ({', '.join(done)})" if done else "no page complete") in err
    assert set(status) == {"01_slow.ipynb", "02_quick.ipynb", "03_queued.ipynb"}
    # the cut-short copy says so in its first cell and has no HTML rendering
    slow = nbformat.read(run_dir / "01_slow.ipynb", as_version=4)
    assert "INTERRUPTED" in slow.cells[0].source
    assert not (run_dir / "01_slow.html").exists()
    # every copy in the run folder is whole JSON, and every one without the banner finished
    for nb in run_dir.glob("*.ipynb"):
        cells = nbformat.read(nb, as_version=4).cells
        if status[nb.name] != "ok":
            assert "INTERRUPTED" in cells[0].source


def test_a_copy_cut_off_mid_write_is_not_kept_and_the_manifest_says_so(tmp_path):
    # papermill rewrites its copy after every cell; a worker stopped inside that write leaves
    # an empty or truncated file in .running/ -- it must not reach the run folder
    running = report.running_copy(tmp_path / "03_queued.ipynb")
    running.parent.mkdir()
    running.write_text('{"cells": [', encoding="utf-8")
    assert report._mark_unfinished(running, tmp_path / "03_queued.ipynb") is False
    assert not running.exists() and not (tmp_path / "03_queued.ipynb").exists()
    report._remove_empty(running.parent)
    assert list(tmp_path.iterdir()) == []


def test_a_readable_copy_cut_short_moves_with_a_banner(tmp_path):
    out = tmp_path / "01_slow.ipynb"
    running = report.running_copy(out)
    running.parent.mkdir()
    _notebook(running, "print(1)")
    out.with_suffix(".html").write_text("old page", encoding="utf-8")
    assert report._mark_unfinished(running, out) is True
    cells = nbformat.read(out, as_version=4).cells
    assert "INTERRUPTED" in cells[0].source and cells[-1].source == "print(1)"
    assert not running.exists() and not out.with_suffix(".html").exists()


def test_killing_the_parent_does_not_leave_kernels_running(tmp_path, slow_books):
    books, pid_file = slow_books
    proc, reports = _start(tmp_path, books)
    try:
        assert _wait(lambda: pid_file.exists() and pid_file.read_text().strip(), 120)
        kernel = int(pid_file.read_text())
        proc.kill()  # kill -9: no handler runs in the parent
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # the workers' watchdog notices within a second or two and takes its kernel with it
    assert _wait(lambda: not _alive(kernel), 30), "kernel left running after kill -9 of the parent"


def test_a_copy_finished_but_not_reported_gets_the_banner_too(tmp_path):
    # a worker moved its copy into the run folder, then the run stopped before the parent
    # heard of it: the copy is whole but its page is not counted as finished
    out = tmp_path / "02_quick.ipynb"
    _notebook(out, "print(2)")
    out.with_suffix(".html").write_text("page", encoding="utf-8")
    assert report._mark_unfinished(out, out) is True
    assert "INTERRUPTED" in nbformat.read(out, as_version=4).cells[0].source
    assert not out.with_suffix(".html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["02_quick.ipynb"]

