"""One language per report (issue 23): a zh run of the sample shows no English word, an en run
no Chinese one, on every HTML page, on every sheet of the workbook and of the published lists.

The report runs once per language on the bundled sample (fewer simulations than the default:
the words do not depend on the number of draws). Each page is read as a reader sees it: the
text of the HTML without its tags, styles, scripts and the browser tab's title; each sheet
cell by cell, but for the workbook's 参数路径 (parameter path) column, which keeps the dotted
path for an analyst on purpose. A failure names the page or sheet and the words found.

What is not a word of either language is allowed, and said here once, with the reason:
symbols of the text and the statistics (K1, K2, P50 …), the proper nouns of the data (customer
and executive ids, customer and branch names of the sample), the file names of the run, hash
prefixes and numbers, a file name or command set as code; in an en run, the text's own names of
its articles and annexes (第11条, 附件七, 附表1), which is how the policy names them.
"""
from __future__ import annotations

import collections
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tiermodel.report import NOTEBOOKS_DIR, notebooks, run_report
from tiermodel.tables.samples import sample_branches

#: Fewer draws than a committee's run: the pages' words are the same.
FAST = {"sims": 400, "path_sims": 200, "count_case_sims": 400, "draws": 64}

#: Latin tokens a zh page may show, each for a reason.
ZH_ALLOWED = {
    "K1", "K2", "K",          # 第10条's K factors (the text's own symbols)
    "VIP",                    # the text's own word (VIP客户)
    "SOS", "PA18", "SPA",     # the text's own names: SOS急难救助 (第18条 1⑦), PA18网站 (第19条 5), SPA (第19条)
    "SHA-256", "SHA",         # the data source's hash, named by its standard
    "Sobol", "Jaccard",       # Sobol指数, Jaccard指数: persons' names, the indices' names in Chinese too
    "Kendall",                # Kendall τ (rank correlation): a person's name
    "A", "B", "C", "D",       # 第11条's branch classes (A类 … D类), the text's own letters
}
#: Percentiles (P5, P50, P95 …): symbols, read the same in both languages.
PERCENTILE = re.compile(r"P\d{1,2}")
#: A hash prefix (hex, at least 8 digits) or a number such as 1e-05.
HEX = re.compile(r"[0-9a-f]{8,}")
#: A customer id in the sample's format: the register's tie rule cites one (C000123) as an example.
CUSTOMER_ID = re.compile(r"C\d{6}")
#: A Latin token: letters, digits and the joiners of an id or a file name, with one letter at least.
LATIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.'-]*")
#: A customer's name in the sample's format (客户 and its six-digit id): a proper noun of the data,
#: also for a customer who left the book and is in no table of this year's run.
SAMPLE_CUSTOMER_NAME = re.compile(r"客户\d{6}")
#: Chinese characters, as runs.
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
#: The text's own names of its parts, which an en page cites as they are: 第11条, 第18–19条,
#: 第10, 13条, 附件七, 附表1–3; and the text quoted word for word in 「…」 or “…”, as an English
#: reason quotes the phrase it reads (第11条 opens each criterion with 「原则上」 (in principle)).
CITATION = re.compile(r"第[\d–~\-、, ]+条|附件[一二三四五六七八九十]+|附表|「[^」]*」|“[^”]*”")
#: Columns of the exported tables that hold the data's own names and ids: customers, branches,
#: persons, and the departments of the complaint log (营业部, 理赔部 … are the company's names).
NAME_COLUMNS = ("name", "branch", "person", "department", "department_head")


class _Text(HTMLParser):
    """The text a reader sees on a page: no style, script or the browser tab's title, and no
    code span — a file name or a command typed as it is (`published-lists-2026.xlsx`,
    `tiermodel calibrate --out PATH`), the same in both languages."""

    HIDDEN = ("style", "script", "title", "code")

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def data_names(run: Path) -> set[str]:
    """The proper nouns of the run's data: ids (every ``*_id`` column and index), customer,
    executive and branch names, as the pages exported them, and the sample's branches."""
    names = set(sample_branches()["branch"])
    for pkl in (run / "tables").glob("*.pkl"):
        table = pd.read_pickle(pkl)
        flat = table.reset_index() if any(table.index.names) else table
        for column in flat.columns:
            if isinstance(column, str) and (column.endswith("_id") or column in NAME_COLUMNS):
                names.update(v for v in flat[column].dropna().astype(str) if v.lower() != "total")
    return names


def latin_words(text: str, allowed: set[str]) -> list[str]:
    """The Latin tokens of ``text`` that are neither allowed nor a percentile, hash or number."""
    out = []
    for token in LATIN_TOKEN.findall(text):
        token = token.strip(".'-_")
        if not token or not re.search(r"[A-Za-z]", token) or token in allowed or token in ZH_ALLOWED:
            continue
        if PERCENTILE.fullmatch(token) or HEX.fullmatch(token) or CUSTOMER_ID.fullmatch(token) or _number(token):
            continue
        out.append(token)
    return out


def chinese_words(text: str, allowed: set[str]) -> list[str]:
    """The runs of Chinese characters of ``text`` outside the data's names and the citations."""
    for name in sorted(allowed, key=len, reverse=True):  # longest first: 北京分公司 before 北京
        if CJK_RUN.search(name):
            text = text.replace(name, " ")
    return CJK_RUN.findall(CITATION.sub(" ", SAMPLE_CUSTOMER_NAME.sub(" ", text)))


def _number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def sheet_cells(path: Path) -> dict[str, list[str]]:
    """Every sheet's name and text cells, but the cells under a 参数路径 / parameter path header."""
    out = {}
    book = openpyxl.load_workbook(path, read_only=True)
    for ws in book.worksheets:
        cells, skip = [ws.title], set()
        for row in ws.iter_rows(values_only=True):
            for j, value in enumerate(row):
                if value in ("参数路径", "parameter path"):
                    skip.add(j)
                elif isinstance(value, str) and j not in skip:
                    cells.append(value)
        out[ws.title] = cells
    book.close()
    return out


def _report(lang: str, tmp_path_factory) -> tuple[Path, set[str]]:
    run = run_report(reports_dir=tmp_path_factory.mktemp(f"one-language-{lang}"), workers=2, progress=False,
                     lang=lang, parameters=FAST)
    allowed = data_names(run) | {p.name for p in run.iterdir()} | {p.stem for p in run.iterdir()}
    return run, allowed


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    return _report("zh", tmp_path_factory)


@pytest.fixture(scope="module")
def en_run(tmp_path_factory):
    return _report("en", tmp_path_factory)


#: The report's pages (not the what-if explorer, which Voilà serves on its own).
PAGES = [p.stem for p in notebooks(Path(NOTEBOOKS_DIR))]


def _found(words: list[str]) -> str:
    return ", ".join(f"{w} ×{n}" for w, n in collections.Counter(words).most_common(40))


@pytest.mark.parametrize("page", PAGES)
def test_zh_page_has_no_english(zh_run, page):
    run, allowed = zh_run
    words = latin_words(page_text(run / f"{page}.html"), allowed)
    assert not words, f"{page}.html (zh) shows Latin words: {_found(words)}"


@pytest.mark.parametrize("page", PAGES)
def test_en_page_has_no_chinese(en_run, page):
    run, allowed = en_run
    words = chinese_words(page_text(run / f"{page}.html"), allowed)
    assert not words, f"{page}.html (en) shows Chinese words: {_found(words)}"


@pytest.mark.parametrize("book", ["workbook.xlsx", "published-lists-*.xlsx"])
def test_zh_workbooks_have_no_english(zh_run, book):
    run, allowed = zh_run
    (path,) = run.glob(book)
    bad = {sheet: latin_words(" ".join(cells), allowed) for sheet, cells in sheet_cells(path).items()}
    bad = {sheet: words for sheet, words in bad.items() if words}
    assert not bad, f"{path.name} (zh): " + "; ".join(f"sheet '{s}': {_found(w)}" for s, w in bad.items())


@pytest.mark.parametrize("book", ["workbook.xlsx", "published-lists-*.xlsx"])
def test_en_workbooks_have_no_chinese(en_run, book):
    run, allowed = en_run
    (path,) = run.glob(book)
    bad = {sheet: chinese_words(" ".join(cells), allowed) for sheet, cells in sheet_cells(path).items()}
    bad = {sheet: words for sheet, words in bad.items() if words}
    assert not bad, f"{path.name} (en): " + "; ".join(f"sheet '{s}': {_found(w)}" for s, w in bad.items())


# ----------------------------------------------------------------------------- the scan itself
def test_the_scan_finds_what_it_should():
    # a zh cell with an English word, a symbol, an id and a percentile: only the word is found
    assert latin_words("金牌 Gold · K1 2.0 · C000123 · P95 · 079d018266ac", {"C000123"}) == ["Gold"]
    # a Latin branch name of the data is its proper noun; a bilingual cell is not
    assert latin_words("Hefei 推荐 recommended", {"Hefei"}) == ["recommended"]
    # an en cell: the citations and the data's names pass, a Chinese word does not
    assert chinese_words("Gold (第11条, 附件七, 附表1–3) 北京分公司 客户000001", {"北京分公司", "客户000001"}) == []
    assert chinese_words("推荐 recommended", set()) == ["推荐"]
