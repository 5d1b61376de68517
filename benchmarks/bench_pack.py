"""The committee pack (issue 23): what `committee-pack.pdf` adds to a report run on the sample.

Target (issue 23): the pack adds ≤ 5 s to `make report` on the sample.
The pack is laid out as HTML (present.pack) and printed by the system's headless Chromium
(tiermodel.committee). The floor is Chromium starting and printing a one-line page; there is
no naive baseline (the earlier report had no pack). Also shown: the same tables written to the
formatted workbook, for scale.

Run: .venv/bin/python benchmarks/bench_pack.py [--repeat N]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _timing import best_of

import tiermodel as tm
from tiermodel.committee import print_pdf, write_run_pack
from tiermodel.present import report_workbook
from tiermodel.screenshots import find_chromium


def sample_tables() -> dict:
    """The sample's tables that the pack shows: Gold and VIP lists, 附件七 (2026 prices)."""
    policy = tm.load_policy()
    tiering = tm.assign_tiers(tm.score(tm.load_sample(), policy), policy)
    budget = tm.forecast_budget(tiering.table, policy, 2026, n_sims=200, seed=1)
    t, b = tiering.tables(), budget.tables()
    return {"01 gold list": t["gold list"], "01 vip list": t["vip list"], "04 附件七 annex 7": b["附件七 annex 7"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium: apt-get install chromium (make setup does)")
    tables = sample_tables()
    vips = len(tables["01 vip list"])
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        floor, _ = best_of(lambda: print_pdf("<p>floor</p>", work / "floor.pdf", chromium), args.repeat)
        t0 = time.process_time()
        pack, path = best_of(lambda: write_run_pack(work, tables, "zh", "wan", 2026, ["sample"]), args.repeat)
        cpu = (time.process_time() - t0) / args.repeat
        book, _ = best_of(lambda: report_workbook(tables, work / "w.xlsx", "zh", "wan"), args.repeat)
        size = path.stat().st_size / 1e6
    print(f"committee pack, sample ({vips:,} VIPs, Gold list, 附件七, lists by branch): {pack:.2f} s wall "
          f"({cpu:.2f} s CPU in this process; Chromium's own not counted), {size:.1f} MB")
    print(f"floor — Chromium prints a one-line page: {floor:.2f} s   pack − floor: {pack - floor:.2f} s")
    print(f"for scale — the same tables to the formatted workbook: {book:.2f} s")
    print(f"target: ≤ 5 s added to make report   {'met' if pack <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
