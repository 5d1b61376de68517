"""What the committee prints: the workbook's print setup, the published lists', and the
committee pack (A4 PDF, header row on every page, no column pushed off the page)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import tiermodel as tm
from tiermodel.committee import PACK_FILE, write_run_pack
from tiermodel.present import report_workbook
from tiermodel.present.workbook import LANDSCAPE_WIDTH
from tiermodel.published import write_published_lists
from tiermodel.screenshots import find_chromium


@pytest.fixture(scope="module")
def sample_tables():
    """The sample's Gold and VIP lists and its 附件七 table, as a report's pages export them."""
    policy = tm.load_policy()
    tiering = tm.assign_tiers(tm.score(tm.load_sample(), policy), policy)
    budget = tm.forecast_budget(tiering.table, policy, 2026, n_sims=200, seed=1)
    t, b = tiering.tables(), budget.tables()
    decision = pd.DataFrame({"decision_part": ["一、请审批事项", "一、请审批事项", "三、需关注"],
                             "decision_item": ["金牌VIP客户 40 户", "银牌VIP客户 520 户", "1月15日前提交金牌名单：是"]})
    return {"00 decision sheet": decision, "01 gold list": t["gold list"], "01 vip list": t["vip list"],
            "01 tier counts by branch": t["tier counts by branch"], "04 附件七 annex 7": b["附件七 annex 7"]}


def test_every_workbook_sheet_prints_fit_to_width_with_its_header_repeated(sample_tables, tmp_path):
    path = report_workbook(sample_tables, tmp_path / "workbook.xlsx", "zh", "wan")
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) >= 4
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # OOXML default of fitToWidth is 1, which XlsxWriter leaves unwritten
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_title_rows, ws.title  # header row(s) on every page
        assert ws.oddFooter.center.text == "&P / &N", ws.title


def test_the_wide_gold_list_prints_landscape_with_its_id_column_repeated(sample_tables, tmp_path):
    path = report_workbook(sample_tables, tmp_path / "workbook.xlsx", "zh", "wan")
    book = openpyxl.load_workbook(path)
    gold = next(ws for ws in book.worksheets if "金牌客户名单" in ws.title)
    widths = [gold.column_dimensions[c].width for c in gold.column_dimensions]
    # 16 columns of at least 6 characters each: wider than the 100 characters of a portrait page
    assert sum(widths) > LANDSCAPE_WIDTH
    assert gold.page_setup.orientation == "landscape"
    # the header row, and the columns up to 客户号 (金牌名额类别, 排名, 客户号: A–C)
    assert gold.print_title_rows == "$1:$1" and gold.print_title_cols == "$A:$C"
    # A 40-row list on one or two pages. Fit to one page wide scales the sheet by
    # s = printable width / sheet width; A4 landscape is 297 mm wide less 0.4 in margins each
    # side = 297 - 20.3 = 276.7 mm = 784 pt, and a column of w characters is (7w + 5) px
    # = 0.75 (7w + 5) pt. Rows are 15 pt (the header at most 63 pt); the printable height is
    # 210 mm less 0.5 + 0.6 in = 182 mm = 516 pt.
    sheet_pt = sum(0.75 * (7 * w + 5) for w in widths)
    scale = min(1.0, 784 / sheet_pt)
    tall_pt = (63 + 40 * 15) * scale
    assert gold.max_row == 41
    assert tall_pt / 516 <= 2


def test_published_lists_print_their_titles_and_header_on_every_page(sample_tables, tmp_path):
    vips = sample_tables["01 vip list"]
    lists = {"gold": vips[vips["tier"] == "gold"]}
    for branch, rows in vips.groupby("branch"):
        lists[branch] = rows
    path = write_published_lists(lists, tmp_path / "lists.xlsx", 2026, None, "sample")
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1, ws.title
        # title, count and header rows (rows 1–3), and 序号 and 客户号 (columns A:B)
        assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$B", ws.title


#: Characters a CJK font's glyph-to-text map gives as another code point of the same glyph
#: (a radical or a traditional form): 页 comes back as ⻚ (U+2EDA), 户 as 戶.
GLYPH_TWINS = str.maketrans({"⻚": "页", "戶": "户"})


def _pages_text(path: Path) -> list[list[tuple[str, float]]]:
    """Each page's text runs with their x position [pt]; NFKC-normalised with the glyph twins
    mapped back (Kangxi radicals such as ⽂ for 文, full-width punctuation to ASCII) and the
    font's word separators as spaces."""
    import pypdf

    pages = []
    for page in pypdf.PdfReader(path).pages:
        runs = []

        def visit(text, cm, tm_, font, size, runs=runs):
            clean = unicodedata.normalize("NFKC", text.replace("\x01", " ")).translate(GLYPH_TWINS).strip()
            if clean:
                runs.append((clean, cm[4] + tm_[4] * cm[0]))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


@pytest.mark.skipif(find_chromium() is None, reason="no Chromium on this machine (make setup installs it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_committee_pack_is_an_a4_pdf_whose_gold_pages_each_carry_the_header(sample_tables, tmp_path, lang):
    import pypdf

    path = write_run_pack(tmp_path, sample_tables, lang, "wan", 2026, ["sample"])
    assert path == tmp_path / PACK_FILE
    reader = pypdf.PdfReader(path)
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 portrait, pt
    pages = _pages_text(path)
    joined = ["".join(t for t, _ in runs).replace(" ", "") for runs in pages]
    n = len(pages)
    # every page numbered "第 k 页，共 n 页" / "page k of n"
    for k, text in enumerate(joined, start=1):
        assert (f"第{k}页,共{n}页" if lang == "zh" else f"page{k}of{n}") in text
    heads = {"zh": ("客户号", "金牌客户名单", "附件七", "各分公司VIP客户名单(第8条)"),
             "en": ("customerid", "GoldVIPlist", "附件七", "VIPlistsbybranch")}[lang]
    everything = "".join(joined)
    for head in heads[1:]:
        assert head in everything
    # the decision sheet first: its parts as headings and its lines under them, on page 1
    for line in ("一、请审批事项", "金牌VIP客户40户", "三、需关注", "1月15日前提交金牌名单:是"):
        assert line in joined[0]
    # page 1 holds the title and contents; the Gold list runs from page 2 to the budget's page
    budget_page = next(i for i, text in enumerate(joined) if i > 0 and heads[2] in text)
    gold_ids = set(sample_tables["01 gold list"]["customer_id"])
    gold_pages = [i for i in range(1, budget_page) if any(cid in joined[i] for cid in gold_ids)]
    assert gold_pages
    first_header, last_header = {"zh": ("金牌名额类别", "金牌入围标准"), "en": ("Goldpool", "Goldcriteriamet")}[lang]
    for i in gold_pages:
        text = joined[i]
        assert heads[0] in text and first_header in text and last_header in text, \
            f"page {i + 1} lacks the Gold list's header row"
        # no column pushed off the page: the last header starts inside the page
        width = float(reader.pages[i].mediabox.width)
        last_x = [x for t, x in pages[i] if t.replace(" ", "") and t.replace(" ", "") in last_header]
        assert last_x and max(last_x) < width - 20, f"page {i + 1}: the last column is off the page"


def test_branch_lists_hold_every_vip_of_the_published_lists_once_branch_by_branch():
    from tiermodel.compare import branch_lists

    gold = pd.DataFrame({"customer_id": ["G1"], "branch": ["甲"], "tier": ["gold"], "tier_rank": [1]})
    lists = {"gold": gold,
             "乙分公司": pd.DataFrame({"customer_id": ["S2", "S3"], "branch": ["乙分公司"] * 2, "tier": ["silver"] * 2,
                                   "tier_rank": [1, 2]}),
             "甲": pd.DataFrame({"customer_id": ["G1", "S1"], "branch": ["甲"] * 2, "tier": ["gold", "silver"],
                                "tier_rank": [1, 1]})}
    # the Gold customer G1 stands on the company list and on its branch's: once here, under 甲
    out = branch_lists(lists)
    assert out["customer_id"].tolist() == ["S2", "S3", "G1", "S1"]
    assert len(branch_lists({"gold": gold})) == 0


def test_screenshots_draw_chinese_with_the_plots_font(tmp_path):
    # the browser reads the machine's fonts and the folder of the CJK font the plots use, so a
    # machine without CJK fonts draws 金牌 rather than empty boxes
    from tiermodel.present.pack import font_path
    from tiermodel.screenshots import font_config

    conf = font_config(tmp_path).read_text(encoding="utf-8")
    assert "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>" in conf
    assert f"<dir>{font_path().parent}</dir>" in conf and font_path().exists()
