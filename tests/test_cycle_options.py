"""The report's annual-cycle options (issue 22 item 5): history written by `tier --year` reads back
without --history-year, relative paths from the starting folder for options and -p alike."""
from __future__ import annotations

import argparse

import pytest

from small_books import write
from tiermodel.cli import _cycle_parameters, main
from tiermodel.cycle_inputs import load_cycle
from tiermodel.errors import OptionError
from tiermodel.run_inputs import load_inputs


def test_a_list_written_with_tier_year_reads_back_as_history(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    book = write("two_branches", tmp_path)
    assert main(["tier", "--portfolio", str(book), "--year", "2025", "--out", "last.csv"]) == 0
    assert "service year 2025" in capsys.readouterr().out
    inputs = load_inputs(None, str(book), None, "yuan", 2003)
    cycle = load_cycle(inputs, 2026, "last.csv")  # relative: from the folder the test started in
    assert cycle.last_year == 2025 and "from the file's year column" in cycle.history_source
    # without --year the list has no year column: the year before the service year, said so
    assert main(["tier", "--portfolio", str(book), "--out", "plain.csv"]) == 0
    cycle = load_cycle(inputs, 2026, "plain.csv")
    assert cycle.last_year == 2025 and "the year before the service year 2026" in cycle.history_source
    # --history-year wins where given: 2024, and the service year 2026 is after it
    cycle = load_cycle(inputs, 2026, "plain.csv", 2024)
    assert cycle.last_year == 2024 and "--history-year" in cycle.history_source


def test_report_paths_resolve_from_the_starting_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.xlsx").write_bytes(b"")
    (tmp_path / "ov.csv").write_text("customer_id\n")
    args = argparse.Namespace(history=None, history_year=None, nominations=None, overrides="ov.csv")
    params = _cycle_parameters(args, {"history": "x.xlsx", "sims": 200})
    assert params["history"] == str(tmp_path / "x.xlsx") and params["overrides"] == str(tmp_path / "ov.csv")
    assert params["sims"] == 200
    with pytest.raises(OptionError) as err:  # refused before any run, naming the file
        _cycle_parameters(args, {"history": "missing.xlsx"})
    assert "missing.xlsx" in str(err.value) and "no such file" in str(err.value)


def test_compare_with_a_bad_history_after_the_lists_writes_nothing(tmp_path, capsys):
    # the lists and the approval are computed first, the history read next: its error (the same
    # customer twice in 2025) must leave neither the published lists nor the workbook behind
    import pandas as pd

    history = tmp_path / "last.csv"
    pd.DataFrame({"customer_id": ["C000001", "C000001"], "year": [2025, 2025],
                  "tier": ["gold", "silver"]}).to_csv(history, index=False)
    out, lists = tmp_path / "approval.xlsx", tmp_path / "公布名单2026.xlsx"
    assert main(["compare", "--history", str(history), "--year", "2026", "--lists", str(lists),
                 "--out", str(out)]) == 2
    err = capsys.readouterr()
    assert "last.csv" in err.err and "wrote" not in err.out
    assert not out.exists() and not lists.exists()


def test_compare_with_a_bad_overrides_file_leaves_no_file(tmp_path, capsys):
    import pandas as pd

    ov = tmp_path / "ov.csv"  # C000001 has no 第11条 Gold criterion on the sample? whichever: a Silver
    # override is refused by default (第8条: Silver is the branch's decision)
    pd.DataFrame({"客户号": ["C000001"], "操作": ["纳入"], "层级": ["银牌"], "理由": ["战略客户"],
                  "批准人": ["总经理室"], "批准日期": ["2026-01-10"]}).to_csv(ov, index=False)
    out, lists = tmp_path / "approval.xlsx", tmp_path / "lists.xlsx"
    assert main(["compare", "--overrides", str(ov), "--year", "2026", "--lists", str(lists), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 2, customer C000001" in err and "第8条" in err
    assert not out.exists() and not lists.exists()
    # the rerun is not refused for a file left behind
    assert main(["compare", "--year", "2026", "--lists", str(lists), "--out", str(out)]) == 0
    assert out.exists() and lists.exists()
