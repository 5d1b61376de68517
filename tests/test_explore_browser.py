"""The what-if explorer in a real browser: `tiermodel explore`'s Voilà server on a free localhost
port, the page opened in the system's headless Chromium (Playwright), one control moved, the
page's answer checked against compare_tierings on the same settings, a scenario saved and read
back, the server stopped. Skipped only where no Chromium is installed (`make chromium`)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

import tiermodel as tm
from tiermodel.explore import serve_process

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (make chromium installs "
                                                         "Debian's package; .ci/run does)")


def _wait_for(url: str, proc: subprocess.Popen, log, seconds: float = 180) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"Voilà stopped (status {proc.returncode}): {log.read()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"Voilà did not answer at {url} within {seconds:.0f} s")


@pytest.fixture()
def server(tmp_path):
    """The explorer served on a free port with saves going to tmp_path; stopped afterwards."""
    log = open(tmp_path / "voila.log", "w+", encoding="utf-8")
    proc, url = serve_process({"lang": "zh", "scenarios_dir": str(tmp_path / "scenarios")},
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for(url, proc, log)
        yield url, tmp_path / "scenarios"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert proc.poll() is not None  # the server is stopped


def _crowded_branch(inputs) -> tuple[str, int]:
    """The sample branch with the most Silver-eligible customers left out of its places (so 30
    more places bring customers in), and its places; taken from the sample, never named here."""
    t = inputs.tiering()
    table = t.table
    left_out = table[table["silver_eligible"] & (table["tier"] == "regular")].groupby("branch", observed=True).size()
    branch = str(left_out.idxmax())
    return branch, int(t.capacity[branch])


def _expected(inputs, branch: str, places: int):
    policy = inputs.policy
    base = inputs.tiering()
    caps = base.capacity.copy()
    caps[branch] = places
    scen = tm.assign_tiers(tm.score(inputs.portfolio, policy), policy, caps)
    return tm.compare_tierings(base, scen, policy, policy)


def test_explorer_in_chromium(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[browser]')")
    url, saved = server
    inputs = tm.load_inputs()
    branch, places = _crowded_branch(inputs)
    cmp = _expected(inputs, branch, places + 30)
    want_silver = int((cmp.table["after"] == "silver").sum())
    want_in = sorted(cmp.changes().query("change == 'up'")["customer_id"].astype(str))
    assert want_in  # the move brings customers in (else the check below would say nothing)

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            page.goto(url, timeout=180_000)
            page.wait_for_selector(".tm-silver-total-scenario", timeout=180_000)
            assert page.locator("text=import tiermodel").count() == 0  # no code cells on the page
            base_silver = int(page.inner_text(".tm-silver-total-scenario"))
            assert base_silver == int((cmp.table["before"] == "silver").sum())

            # one control: the branch's Silver places +30
            page.select_option(".tm-branch select", label=branch)
            box = page.locator(".tm-branch-places input")
            # the box follows the chosen branch once the kernel has answered: wait for it
            sync_api.expect(box).to_have_value(str(places), timeout=30_000)
            box.fill(str(places + 30))
            box.press("Tab")
            page.wait_for_selector(".tm-entrants-table-count", timeout=60_000)
            assert int(page.inner_text(".tm-silver-total-scenario")) == want_silver
            rows = page.locator("table.tm-entrants-table tbody tr td:first-child").all_inner_texts()
            assert sorted(rows) == want_in
            assert int(page.get_attribute(".tm-entrants-table-count", "data-n")) == len(want_in)

            # a bad entry: the profit weight alone to 0.5 (sum 1.1) is said and changes nothing
            weight = page.locator(".tm-lever-value-index-weights-profit input")
            weight.fill("0.5")
            weight.press("Tab")
            page.wait_for_selector(".tm-message .tm-error", timeout=60_000)
            assert "1.1" in page.inner_text(".tm-message")
            assert int(page.inner_text(".tm-silver-total-scenario")) == want_silver
            weight.fill("0.4")
            weight.press("Tab")
            page.wait_for_selector(".tm-message .tm-ok", timeout=60_000)

            # K2 for year 4+ to 1.2, then save with a reason; a shipped name is refused first
            k2 = page.locator(".tm-lever-value-index-k2-year-4-plus input")
            k2.fill("1.2")
            k2.press("Tab")
            page.wait_for_function("document.querySelector('.tm-message .tm-ok') !== null")
            page.locator(".tm-save-name input").fill("weights-equal")
            page.locator(".tm-save-reason textarea").fill("委员会会上提问：该机构银牌名额多30个")
            page.locator("button.tm-save").click()
            page.wait_for_selector(".tm-save-status .tm-error", timeout=60_000)
            assert not saved.exists() or not any(saved.iterdir())
            page.locator(".tm-save-name input").fill("meeting-q1")
            page.locator("button.tm-save").click()
            page.wait_for_selector(".tm-save-status .tm-saved", timeout=60_000)
        finally:
            browser.close()

    # read back: the scenario (K2 4+ = 1.2, assumed, with the reason) and the branch table (+30)
    back = tm.load_policy(scenario=str(saved / "meeting-q1.yaml"))
    assert back.value_index.k2.year_4_plus == 1.2 and back.provenance["value_index.k2.year_4_plus"].scenario == "meeting-q1"
    changed = {p for p, v in back.as_leaves().items() if inputs.policy.as_leaves()[p] != v}
    assert changed == {"value_index.k2.year_4_plus"}
    text = (saved / "meeting-q1.yaml").read_text(encoding="utf-8")
    assert "assumed: true" in text and "委员会会上提问" in text
    table = pd.read_csv(saved / "meeting-q1-branches.csv", encoding="utf-8-sig")
    caps = dict(zip(table["branch"], table["silver_capacity"]))
    assert caps[branch] == places + 30
    assert sum(caps.values()) == int(inputs.capacity().sum()) + 30
    done = subprocess.run([sys.executable, "-m", "tiermodel", "params", "show", "--scenario",
                           str(saved / "meeting-q1.yaml")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
