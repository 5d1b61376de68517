"""The what-if explorer's page without a browser: notebook 09 is no report page and stays thin;
the page's controls answer through compare.whatif, say a refused entry and change nothing; saving
writes the scenario (and the branch table) and refuses what it must; `tiermodel explore` refuses
bad inputs before a server starts."""
from __future__ import annotations

import ast

import pandas as pd
import pytest
import yaml

import tiermodel as tm
from tiermodel import report
from tiermodel.cli import main
from tiermodel.compare import REASON_CODES
from tiermodel.present import messages

from test_thin_notebooks import FORBIDDEN_NODES, _allowed, _code, _tiermodel_imports

pytest.importorskip("ipywidgets", reason="the explorer needs ipywidgets (pip install -e '.[explore]')")


def test_notebook_09_is_not_a_report_page():
    names = [p.name for p in report.notebooks()]
    assert "09_what_if.ipynb" not in names and "08_table_uncertainty.ipynb" in names
    assert (report.NOTEBOOKS_DIR / "09_what_if.ipynb").is_file()  # shipped, served by `tiermodel explore`


def test_notebook_09_is_thin():
    tree = _code("09_what_if")
    assert ("tiermodel", "tm") in [(a.name, a.asname) for n in ast.walk(tree) if isinstance(n, ast.Import)
                                   for a in n.names]
    assert [m for m in _tiermodel_imports(tree) if not _allowed(m)] == []
    assert [n for n in ast.walk(tree) if isinstance(n, FORBIDDEN_NODES)] == []


def test_every_reason_code_has_a_sentence():
    for code in REASON_CODES:
        n = tm.note(f"whatif.reason.{code}", before="regular", after="silver", branch="B1", rank=3, places=3)
        assert messages.render(n, "zh") and messages.render(n, "en")


@pytest.fixture(scope="module")
def page():
    return tm.explorer(lang="en", display_unit="yuan")


def test_the_page_starts_at_the_base(page):
    r = page.result
    assert r.movers.empty and r.budget_change == 0
    # premiums shown in the display unit (元 here), loss ratios in %: the 2003 Gold health bar
    assert page.controls["eligibility.gold.health_premium_min"].value == \
        page.whatif.policy.eligibility.gold.health_premium_min
    assert page.controls["eligibility.gold.health_loss_ratio_max"].value == \
        pytest.approx(page.whatif.policy.eligibility.gold.health_loss_ratio_max * 100)


def test_weights_keep_summing_to_one_and_a_manual_break_is_refused(page):
    page._reset()
    c = page.controls
    c["value_index.weights.premium"].value = 0.34  # profit takes the rest: 1 − 0.34 − 0.30 = 0.36
    assert c["value_index.weights.profit"].value == pytest.approx(0.36)
    good = page.result
    assert good.settings["value_index.weights.premium"] == 0.34
    c["value_index.weights.profit"].value = 0.5  # 0.34 + 0.30 + 0.5 = 1.14
    assert "1.14" in page.message.value and "tm-error" in page.message.value
    assert page.result is good  # nothing changed
    assert page.save() == [] and "correct it before saving" in page.saved.value
    page._reset()
    assert page.result.movers.empty and page.pending is None


def test_a_negative_threshold_is_refused_naming_the_lever(page):
    page._reset()
    good = page.result
    page.controls["eligibility.silver.B.health_premium_min"].value = -1.0
    assert "may not be below zero" in page.message.value
    assert tm.policy.parameter_label("eligibility.silver.B.health_premium_min", "en") in page.message.value
    assert page.result is good
    page._reset()


def test_start_from_a_shipped_scenario(page):
    page.start.value = "weights-equal"
    c = page.controls
    assert [c[f"value_index.weights.{k}"].value for k in ("premium", "loyalty", "profit")] == [0.34, 0.33, 0.33]
    direct = page.whatif.apply({"value_index.weights.premium": 0.34, "value_index.weights.loyalty": 0.33,
                                "value_index.weights.profit": 0.33})
    assert page.result.movers["customer_id"].tolist() == direct.movers["customer_id"].tolist()
    page._reset()
    assert page.start.value == "" and page.result.movers.empty


def test_saving_writes_the_setting_and_refuses_names(tmp_path):
    page = tm.explorer(scenarios_dir=str(tmp_path))
    page.controls["gold_selection.existing_places"].value = 32
    page.branch.value = page.whatif.branches_of_book()[1]
    branch = page.branch.value
    page.branch_places.value = page.branch_places.value + 5
    page.reason.value = "  "
    page.name.value = "q2"
    assert page.save() == [] and "修改理由" in page.saved.value  # no reason: refused, in Chinese
    page.reason.value = "会上提问"
    for name, words in (("", "命名"), ("silver-capacity-doubled", "随附情景"), ("a/b", "只能包含")):
        page.name.value = name
        assert page.save() == [] and words in page.saved.value
    assert list(tmp_path.iterdir()) == []  # nothing written
    page.name.value = "q2"
    paths = page.save()
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["q2.yaml", "q2-branches.csv"]
    tree = yaml.safe_load((tmp_path / "q2.yaml").read_text(encoding="utf-8"))
    assert tree["gold_selection"] == {"existing_places": {"value": 32, "assumed": True, "reason": "会上提问"}}
    table = pd.read_csv(tmp_path / "q2-branches.csv", encoding="utf-8-sig")
    assert int(table.set_index("branch").loc[branch, "silver_capacity"]) == int(page.whatif.capacity[branch]) + 5
    assert page.save() == [] and "已存在" in page.saved.value  # never overwritten
    assert tm.load_policy(scenario=str(tmp_path / "q2.yaml")).gold_selection.existing_places == 32


def test_explore_refuses_a_missing_portfolio_before_serving(tmp_path, capsys):
    assert main(["explore", "--portfolio", str(tmp_path / "no-such.csv")]) == 2
    err = capsys.readouterr().err
    assert "no-such.csv" in err and "Traceback" not in err


def test_tiermodel_explore_serves_the_page_and_stops_with_its_server(tmp_path):
    # `tiermodel explore` on a free port: the page answers without code cells; SIGTERM stops
    # the command and the Voilà server it started (the port is free again)
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from tiermodel.explore import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tiermodel", "explore", "--port", str(port),
                             "--scenarios-dir", str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        end, page = time.monotonic() + 240, None
        while page is None and time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as answer:
                    page = answer.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert page is not None and "import tiermodel" not in page and "tm.explorer(" not in page
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more


def test_a_saved_setting_can_be_started_from(tmp_path):
    # saved with a policy lever and a branch's places: offered at once as a start, and starting
    # from it restores both on a fresh page (the branch places from <name>-branches.csv)
    page = tm.explorer(scenarios_dir=str(tmp_path))
    page.controls["value_index.k2.year_4_plus"].value = 1.2
    page.branch.value = branch = page.whatif.branches_of_book()[2]
    page.branch_places.value = page.branch_places.value + 7
    saved = page.result
    page.name.value, page.reason.value = "q3", "会上提问"
    assert len(page.save()) == 2 and "q3" in [v for _, v in page.start.options]
    fresh = tm.explorer(scenarios_dir=str(tmp_path))
    fresh.start.value = "q3"
    assert fresh.controls["value_index.k2.year_4_plus"].value == 1.2
    assert fresh.branch_settings == {branch: int(fresh.whatif.capacity[branch]) + 7}
    assert fresh.result.settings == saved.settings
    assert fresh.result.movers["customer_id"].tolist() == saved.movers["customer_id"].tolist()


def test_served_options_override_the_notebook_parameters(monkeypatch, capsys):
    # `tiermodel explore` hands its options to the page's kernel: they win over the notebook's
    # parameters, and the served page prints no fixed summary line (its live panel says it)
    import json

    from tiermodel.explore import ENV

    monkeypatch.setenv(ENV, json.dumps({"lang": "en", "display_unit": "yuan"}))
    page = tm.explorer(lang="zh")
    assert page.lang == "en" and page.unit == "yuan" and page.served
    page.print_summary()
    assert capsys.readouterr().out == ""
    monkeypatch.delenv(ENV)
    quiet = tm.explorer()
    quiet.print_summary()
    assert capsys.readouterr().out.startswith("金牌客户")
