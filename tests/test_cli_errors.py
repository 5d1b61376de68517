"""The command line's error boundary: exit 2 with one message for bad input, exit 1 with one
line and a crash log for a defect, never a traceback."""
from __future__ import annotations

import re

from tiermodel import cli
from tiermodel.errors import OptionError


def _with_command(monkeypatch, exc):
    def boom(args):
        raise exc

    add, _ = cli.COMMANDS["params"]
    monkeypatch.setitem(cli.COMMANDS, "params", (add, boom))


def test_tiermodel_error_is_exit_2_and_one_message(monkeypatch, capsys):
    _with_command(monkeypatch, OptionError("--sims", "must be at least 1, not -5"))
    assert cli.main(["params", "show"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --sims: must be at least 1, not -5\n"


def test_defect_is_exit_1_with_a_crash_log_and_no_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _with_command(monkeypatch, ZeroDivisionError("division by zero"))
    assert cli.main(["params", "show"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    log = re.search(r"details in (\S+)\.", err).group(1)
    text = open(log, encoding="utf-8").read()
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError" in text
    assert "command: tiermodel params show" in text


def test_os_error_is_exit_2_naming_the_file(monkeypatch, capsys):
    _with_command(monkeypatch, OSError(28, "No space left on device", "/reports/run/workbook.xlsx"))
    assert cli.main(["params", "show"]) == 2
    assert capsys.readouterr().err == ("error: /reports/run/workbook.xlsx: No space left on device; "
                                       "nothing was written\n")


def test_interrupt_is_exit_130(monkeypatch, capsys):
    _with_command(monkeypatch, KeyboardInterrupt())
    assert cli.main(["params", "show"]) == 130
    assert "Traceback" not in capsys.readouterr().err
