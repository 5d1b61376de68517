"""The run's committee pack: ``committee-pack.pdf`` from the tables the pages exported.

App layer: picks from a run's exported tables what a committee approves from, has
:mod:`tiermodel.present.pack` lay them out (labelled in the run's language and display
unit) and prints that to an A4 PDF with the system's headless Chromium — the browser's own
print engine: it repeats each table's header row on every page, embeds the fonts and sets
page numbers from the page's CSS. In print order:

1. the decision sheet (page 00's tables);
2. the Gold list as approved (page 06, after nominations and overrides; page 01's where the
   annual review did not run);
3. the changes against last year's lists (page 06);
4. the budget table (附件七, reconstructed; page 04);
5. the published lists, one per branch (page 06's published lists; page 01's VIP list where
   the annual review did not run), in the published lists' columns.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from .errors import OutputPathError
from .io import atomic_path
from .present import reader_table
from .present.pack import PackSection, font_path, pack_html, words
from .screenshots import CHROMIUM_FLAGS, find_chromium

PACK_FILE = "committee-pack.pdf"
#: Written instead of the PDF where no Chromium is installed (``make setup`` installs it).
PACK_HTML = "committee-pack.html"
#: Longest wait for Chromium to print the pack [s].
PRINT_TIMEOUT = 300
#: Page 00's decision sheet: (part, line) rows, printed as headed lists.
DECISION_TABLE = "00 decision sheet"
#: The first of these tables a run exported is the pack's Gold list.
GOLD_TABLES = ("06 published gold list", "01 gold list")
#: The changes against last year.
CHANGE_TABLES = ("06 yoy gold list vs last year", "06 yoy vip moves")
#: The budget table.
BUDGET_TABLES = ("04 附件七 annex 7",)
#: The first of these that a run exported holds every VIP, for the lists by branch.
LIST_TABLES = ("06 published lists", "01 vip list")
#: Columns a published list shows (第8条), in order; others are left to the workbook.
LIST_COLUMNS = ("customer_id", "name", "branch_class", "tier", "gold_pool", "tier_rank", "value_index",
                "approval_date", "service_start")
#: Columns of the changes table a committee reads: who, where, from, to and why.
CHANGE_COLUMNS = ("customer_id", "name", "branch", "before", "after", "last_tier", "tier", "gold_pool",
                  "tier_rank", "last_rank", "change")
#: The reason of each change: a note (code and fields) the reader table writes in the run's language.
REASON_COLUMNS = {"zh": "reason", "en": "reason"}


def _first(tables: dict[str, pd.DataFrame], names: tuple[str, ...]) -> tuple[str, pd.DataFrame] | None:
    for name in names:
        if name in tables:
            return name, tables[name]
    return None


def _columns(df: pd.DataFrame, keep: tuple[str, ...], lang: str) -> pd.DataFrame:
    """The columns of ``keep`` the table has, in that order, and the reason in ``lang``."""
    cols = [c for c in keep if c in df.columns]
    reason = REASON_COLUMNS[lang]
    if reason in df.columns:
        cols.append(reason)
    return df[cols]


def pack_sections(tables: dict[str, pd.DataFrame], lang: str, display_unit: str) -> list[PackSection]:
    """The pack's sections from a run's exported tables ("NN key" → table)."""
    sections = []
    if DECISION_TABLE in tables:
        sheet = tables[DECISION_TABLE]
        points = [(str(part), rows["decision_item"].astype(str).tolist())
                  for part, rows in sheet.groupby("decision_part", sort=False)]
        sections.append(PackSection(words("decision", lang), points=points))
    gold = _first(tables, GOLD_TABLES)
    if gold:
        name, df = gold
        sections.append(PackSection(words("gold_list", lang), [reader_table(df, name, lang, display_unit)],
                                    words("count", lang, n=len(df))))
    change = _first(tables, CHANGE_TABLES)
    if change:
        name, df = change
        sections.append(PackSection(words("changes", lang),
                                    [reader_table(_columns(df, CHANGE_COLUMNS, lang), name, lang, display_unit)]))
    budget = _first(tables, BUDGET_TABLES)
    if budget:
        name, df = budget
        sections.append(PackSection(words("budget", lang), [reader_table(df, name, lang, display_unit)]))
    vips = _first(tables, LIST_TABLES)
    if vips:
        name, df = vips
        lists = []
        for branch, rows in _columns(df, ("branch",) + LIST_COLUMNS, lang).groupby("branch", sort=True, observed=True):
            table = reader_table(rows.drop(columns="branch").reset_index(drop=True), name, lang, display_unit)
            table.title = f"{words('branch_list', lang, branch=branch)}（{words('count', lang, n=len(rows))}）" \
                if lang == "zh" else f"{words('branch_list', lang, branch=branch)} ({words('count', lang, n=len(rows))})"
            lists.append(table)
        sections.append(PackSection(words("published", lang), lists))
    return sections


def print_pdf(document: str, path: Path, chromium: str) -> Path:
    """Print an HTML document to ``path`` (PDF) with headless Chromium; a fresh browser
    profile each time; written to a temporary name beside ``path`` and renamed."""
    with tempfile.TemporaryDirectory(prefix="tiermodel-pack-") as work:
        page = Path(work) / "pack.html"
        page.write_text(document, encoding="utf-8")
        with atomic_path(path) as tmp:
            cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work}/profile", "--no-pdf-header-footer",
                   f"--print-to-pdf={tmp}", page.as_uri()]
            try:
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=PRINT_TIMEOUT)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                raise OutputPathError(path, f"Chromium could not print the committee pack ({exc})") from None
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise OutputPathError(path, "Chromium printed no committee pack")
    return path


def write_run_pack(run_dir: Path, tables: dict[str, pd.DataFrame], lang: str, display_unit: str, year: int,
                   facts: list[str]) -> Path | None:
    """Write ``committee-pack.pdf`` into the run folder and return its path; None when the
    run exported none of the pack's tables. Without Chromium the pack is written as
    ``committee-pack.html`` (print it from a browser) and that path is returned."""
    sections = pack_sections(tables, lang, display_unit)
    if not sections:
        return None
    document = pack_html(sections, words("title", lang, year=year), lang, font_path().as_uri(), facts)
    chromium = find_chromium()
    if chromium is None:
        target = Path(run_dir) / PACK_HTML
        with atomic_path(target) as tmp:
            tmp.write_text(document, encoding="utf-8")
        return target
    return print_pdf(document, Path(run_dir) / PACK_FILE, chromium)
