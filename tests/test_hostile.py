"""Hostile files and hostile moments: each run as a separate ``tiermodel`` process under a
memory bound (address space) and a time bound, asserting its exit status, its message, the
files left behind and the checksums of its inputs after the run.

Covers issue 25: workbooks that expand beyond reason, YAML aliases, named pipes, a quoted
carriage return at a read block's edge, writes that cannot collide or be redirected, SIGTERM
during ``tier``, a crash log that cannot be redirected, a full disk during a report, sheet names
from any branch name, published lists without the analyst's folders, report pages that load
nothing from the internet.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from test_bad_inputs import HEADER, ROWS, _xlsx_bytes, csv_text

#: Address space a hostile run may take [bytes]: a run of ``tier`` on a small book reserves
#: about 2 GB of it (the libraries' thread pools and allocators), the 2026 xlsx bomb took 7.7 GB.
MEMORY = 3 << 30
#: Seconds a hostile run may take (about 3 s when the machine is quiet).
SECONDS = 120


def _snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with its SHA-256 (a folder, a pipe: its kind)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_fifo():
            out[str(p.relative_to(folder))] = "fifo"
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[str(p.relative_to(folder))] = "dir"
    return out


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _run(*args, cwd: Path) -> subprocess.CompletedProcess:
    """``tiermodel ARGS`` as a process of its own, under the memory and time bounds."""
    return subprocess.run([sys.executable, "-m", "tiermodel", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=SECONDS, preexec_fn=_limits)


def _refused(tmp_path: Path, args, *expected: str) -> None:
    """The run ends with exit 2 and one message naming what it must; nothing written; inputs unchanged."""
    before = _snapshot(tmp_path)
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr, done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr
    assert _snapshot(tmp_path) == before


# ----------------------------------------------------------------------------- bounded resources
def _rezipped(edit) -> bytes:
    """The good three-customer workbook with each part passed through ``edit(name, bytes)``."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx_bytes([HEADER] + ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            z.writestr(info, edit(info.filename, good.read(info.filename)))
    return out.getvalue()


def test_an_xlsx_declaring_a_huge_range_is_refused_before_loading(tmp_path):
    # A1:XFD1048576 = 16,384 columns × 1,048,576 rows = 17,179,869,184 cells; openpyxl would
    # fill each empty one (8 bytes a pointer: 137 GB)
    def huge(name, data):
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data) \
            if name.endswith("sheet1.xml") else data

    (tmp_path / "book.xlsx").write_bytes(_rezipped(huge))
    _refused(tmp_path, ["tier", "--portfolio", "book.xlsx", "--out", "t.csv"],
             "book.xlsx", "declares 1,048,576 rows × 16,384 columns (17,179,869,184 cells)")


def test_an_xlsx_that_expands_a_thousandfold_is_refused_before_loading(tmp_path):
    # 100 MB of blanks in the sheet compress to about 0.1 MB: about 1,000 times
    def bomb(name, data):
        return data.replace(b"<sheetData>", b"<sheetData>" + b" " * (100 << 20)) \
            if name.endswith("sheet1.xml") else data

    (tmp_path / "book.xlsx").write_bytes(_rezipped(bomb))
    assert (tmp_path / "book.xlsx").stat().st_size < 1 << 20
    _refused(tmp_path, ["tier", "--portfolio", "book.xlsx", "--out", "t.csv"],
             "part 'xl/worksheets/sheet1.xml' expands", "times when unzipped")


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    # nine levels of nine aliases: 9**9 = 387,420,489 strings if expanded
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    _refused(tmp_path, ["tier", "--scenario", "bomb.yaml", "--out", "t.csv"], "bomb.yaml", "uses a YAML alias")
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("option, name, expected", [
    ("--portfolio", "book.csv", "is a named pipe (FIFO), not a table file"),
    ("--branches", "branches.csv", "is a named pipe (FIFO), not a table file"),
    ("--scenario", "s.yaml", "is not a regular file (a named pipe or a device)"),
])
def test_a_named_pipe_as_an_input_is_refused_not_waited_on(tmp_path, option, name, expected):
    os.mkfifo(tmp_path / name)  # nothing ever writes to it: a read would wait for ever
    _refused(tmp_path, ["tier", option, name, "--out", "t.csv"], name, expected)


def test_a_device_as_an_input_is_refused(tmp_path):
    _refused(tmp_path, ["tier", "--portfolio", "/dev/zero", "--out", "t.csv"],
             "/dev/zero", "is a device or socket, not a table file")


# ----------------------------------------------------------------------------- CSV
def test_a_quoted_carriage_return_at_a_read_block_edge_is_read(tmp_path):
    # pyarrow reads in 1 MiB blocks split at the last line break; a quoted CR as that last
    # break split a cell in two and the file was refused. Rows until 30 bytes before 1 MiB,
    # then a name holding a CR and 60 more characters, then 1,000 rows.
    head = ",".join(HEADER) + "\n"
    rows, size, i = [], len(head.encode()), 0
    while True:
        r = list(ROWS[i % 3])
        r[0] = f"C{i:07d}"
        line = ",".join(r) + "\n"
        if size + len(line.encode()) > (1 << 20) - 30:
            break
        rows.append(line)
        size += len(line.encode())
        i += 1
    r = list(ROWS[0])
    r[0], r[1] = "CX", '"甲\r' + "x" * 60 + '"'
    rows.append(",".join(r) + "\n")
    rows += [",".join([f"D{j:05d}", *ROWS[1][1:]]) + "\n" for j in range(1000)]
    (tmp_path / "book.csv").write_bytes((head + "".join(rows)).encode("utf-8"))
    before = _snapshot(tmp_path)
    done = _run("tier", "--portfolio", "book.csv", "--out", "t.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"wrote {i + 1 + 1000:,} customers to t.csv" in done.stdout
    after = _snapshot(tmp_path)
    assert after.pop("t.csv") and after == before
    import pandas as pd

    names = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype=str).set_index("customer_id")["name"]
    assert names["CX"] == "甲\r" + "x" * 60


# ----------------------------------------------------------------------------- writes
def test_two_writes_to_one_target_use_two_temporary_files(tmp_path):
    from tiermodel.io import atomic_path

    target = tmp_path / "t.csv"
    with atomic_path(target) as first, atomic_path(target) as second:
        assert first != second and first.parent == second.parent == tmp_path
        first.write_text("first\n")
        second.write_text("second\n")
    assert target.read_text() == "first\n"  # the first to finish is replaced by the other, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_a_link_planted_at_the_old_temporary_name_is_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    # the name the writer used before: .<name>.partial<suffix>
    (tmp_path / ".t.csv.partial.csv").symlink_to(victim)
    (tmp_path / "book.csv").write_text(csv_text(), encoding="utf-8")
    before = _snapshot(tmp_path)
    done = _run("tier", "--portfolio", "book.csv", "--out", "t.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "keep me\n"
    after = _snapshot(tmp_path)
    assert after.pop("t.csv") and after == before
    assert "customer_id" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


SLOW_WRITE = textwrap.dedent("""
    import contextlib, sys, time
    from pathlib import Path
    import tiermodel.io as io

    plain, marker = io.atomic_path, sys.argv[1]

    @contextlib.contextmanager
    def slow(path):  # the table is written; the rename waits: the moment SIGTERM comes
        with plain(path) as tmp:
            yield tmp
            Path(marker).write_text(str(tmp))
            time.sleep(60)

    io.atomic_path = slow
    from tiermodel.cli import main
    sys.argv = ["tiermodel", *sys.argv[2:]]
    sys.exit(main())
""")


def test_sigterm_during_tier_leaves_no_partial_file(tmp_path):
    (tmp_path / "book.csv").write_text(csv_text(), encoding="utf-8")
    marker = tmp_path.parent / f"{tmp_path.name}-writing"
    before = _snapshot(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, str(marker), "tier", "--portfolio", "book.csv",
                             "--out", "t.csv"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_limits)
    try:
        end = time.monotonic() + SECONDS
        while not marker.exists() and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.05)
        assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "no write began"
        partial = Path(marker.read_text())
        assert partial.exists() and partial.parent == tmp_path  # written, not yet renamed
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = proc.stderr.read()
    assert proc.returncode == 130, err
    assert err == "interrupted; no output was completed\n"
    assert _snapshot(tmp_path) == before  # no t.csv, no temporary file; the book unchanged
    marker.unlink()


def test_the_crash_log_is_a_new_file_that_no_link_redirects(tmp_path, monkeypatch, capsys):
    import datetime as dt
    import tempfile

    from tiermodel import cli

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    # links at every name the old log could take in the next seconds (stamp and process id)
    now = dt.datetime.now()
    for s in range(5):
        stamp = (now + dt.timedelta(seconds=s)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"tiermodel-crash-{stamp}-{os.getpid()}.log").symlink_to(victim)

    def broken(args):
        raise RuntimeError("deliberate defect")

    monkeypatch.setitem(cli.COMMANDS, "params", (cli.COMMANDS["params"][0], broken))
    assert cli.main(["params", "show"]) == 1
    err = capsys.readouterr().err
    log = Path(re.search(r"details in (\S+)\. Please", err).group(1))
    assert victim.read_text() == "keep me\n"
    assert log.parent == tmp_path and not log.is_symlink()
    assert log.stat().st_mode & 0o777 == 0o600  # the traceback may hold names from the data
    assert "RuntimeError: deliberate defect" in log.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- a full disk during a report
def test_a_full_disk_while_writing_the_workbook_marks_the_run_failed(tmp_path, monkeypatch):
    from test_report import _notebook
    from tiermodel import report

    books = tmp_path / "notebooks"
    books.mkdir()
    _notebook(books / "01_tables.ipynb",
              "import pandas as pd\nfrom tiermodel.report import export_tables\n"
              "export_tables(output_dir, {'01 counts': pd.DataFrame({'a': [1, 2]})})")

    def full(run_dir, *args, **kwargs):  # what a full disk leaves: a partial file, then the error
        (run_dir / ".workbook.abc123.partial.xlsx").write_bytes(b"PK\x03\x04 cut")
        raise OSError(errno.ENOSPC, "No space left on device", str(run_dir / "workbook.xlsx"))

    monkeypatch.setattr(report, "write_workbook", full)
    reports = tmp_path / "reports"
    with pytest.raises(OSError, match="No space left on device"):
        report.run_report(reports_dir=reports, notebooks_dir=books, workers=1, progress=False)
    (run_dir,) = list(reports.iterdir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and manifest["finished"]
    assert "No space left on device" in manifest["error"]
    assert [s["status"] for s in manifest["notebooks"]] == ["ok"]
    assert not [p for p in run_dir.rglob("*") if ".partial" in p.name]


def test_an_interrupted_report_says_which_pages_are_complete(tmp_path):
    from tiermodel.report import interrupted_message

    text = interrupted_message(tmp_path, [{"notebook": "01_a.ipynb", "status": "ok"},
                                          {"notebook": "02_b.ipynb", "status": "interrupted"},
                                          {"notebook": "03_c.ipynb", "status": "ok"}])
    assert "2 of 3 pages complete (01_a.ipynb, 03_c.ipynb); not complete: 02_b.ipynb" in text
    text = interrupted_message(tmp_path, [{"notebook": "01_a.ipynb", "status": "not run"}])
    assert "no page complete; not complete: 01_a.ipynb" in text


def test_an_interrupted_report_does_not_say_nothing_was_completed(monkeypatch, capsys):
    from tiermodel import cli

    def interrupted(args):
        print("report interrupted: …: 7 of 8 pages complete", file=sys.stderr)
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "report", (cli.COMMANDS["report"][0], interrupted))
    assert cli.main(["report"]) == 130
    err = capsys.readouterr().err
    assert err.endswith("7 of 8 pages complete\ninterrupted\n") and "no output was completed" not in err


# ----------------------------------------------------------------------------- names from the data
HOSTILE_BRANCHES = ["History", "history", "Jinan", "JINAN", "'quoted'", "a/b:c*d?e[f]g\\h", "x" * 40,
                    "济南分公司" * 8, "😀" * 20, "   ", "tab\there", "line\nbreak", "=1+1", "-", "金牌客户名单 全公司"]


def test_any_branch_name_gives_a_valid_unique_sheet_with_its_full_name_in_the_title(tmp_path):
    import openpyxl
    import pandas as pd

    from tiermodel.published import write_published_lists

    row = {"customer_id": "C1", "name": "甲", "branch_class": "B", "tier": "silver", "gold_pool": "existing",
           "tier_rank": 1, "value_index": 0.5, "approval_date": pd.Timestamp("2026-01-15"),
           "service_start": pd.Timestamp("2026-02-01")}
    lists = {"gold": pd.DataFrame([{**row, "branch": "Jinan", "tier": "gold"}])}
    lists.update({b: pd.DataFrame([{**row, "branch": b}]) for b in HOSTILE_BRANCHES})
    path = write_published_lists(lists, tmp_path / "lists.xlsx", 2026, None, "/home/analyst/秘密/book.csv")
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert len(names) == 1 + len(HOSTILE_BRANCHES)
    assert len({n.casefold() for n in names}) == len(names)
    for n in names:
        assert 0 < len(n.encode("utf-16-le")) // 2 <= 31 and not re.search(r"[\[\]:*?/\\\x00-\x1f]", n), n
        assert not n.startswith("'") and not n.endswith("'") and n.casefold() != "history", n
    for branch, name in zip(HOSTILE_BRANCHES, names[1:]):
        ws = book[name]
        assert f"2026年度{branch} VIP客户名单" in ws["A1"].value  # the full name, whatever the sheet's
        assert ws["A2"].value == "共 1 户；数据来源 book.csv"  # the file's name, not the analyst's folders


# ----------------------------------------------------------------------------- pages offline
def test_a_report_page_loads_nothing_from_the_internet(tmp_path):
    import nbformat

    from tiermodel.report import export_html

    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.cells = [nbformat.v4.new_markdown_cell("# 金牌 $x^2$"),
                nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/vnd.mermaid": "graph TD; A-->B"})])]
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    html = export_html(path)
    import html as markup

    assert "金牌" in markup.unescape(html)  # the page is there
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert not re.findall(r"""import\(["']https?://""", html)
    assert "cdnjs" not in html and "unpkg" not in html
