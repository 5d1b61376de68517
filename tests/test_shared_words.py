"""The words every page and sheet shares, one language at a time (issue 23): labels and units,
cell words, sheet names, the SAMPLE DATA mark, the page header, the assumptions register and
the published lists. Expected strings are written out by hand from the vocabulary's intent
(a zh reader reads Chinese only, an en reader English only)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest

from tiermodel.plots.style import axis_label, tier_label
from tiermodel.policy import describe
from tiermodel.present import assumptions_html, assumptions_table, header, page_header, reader_table
from tiermodel.present.labels import parameter_value_text
from tiermodel.present.page import mark_samples, sample_notice
from tiermodel.published import write_published_lists
from tiermodel.tables.samples import BRANCH_NAMES, sample_branches
from tiermodel.vocabulary import label

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.hidden = [], 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("style", "script")

        def handle_data(self, data):
            if not self.hidden and data.strip():
                self.parts.append(data.strip())

    parser = Text()
    parser.feed(html)
    return " ".join(parser.parts)


# ----------------------------------------------------------------------------- labels and units
def test_a_label_and_its_unit_in_one_language():
    # the glossary's unit "元/年 CNY/yr" is split: a zh reader sees 元/年, an en reader CNY/yr
    assert label("long_term_std_premium", "zh") == "长险标准保费 [元/年]"
    assert label("long_term_std_premium", "en") == "long-term standard premium [CNY/yr]"
    assert label("first_service_objects", "zh") == "第一服务对象人数 [人]"
    assert label("first_service_objects", "en") == "first key persons [persons]"
    assert header("long_term_std_premium", "zh", "wan") == "长险标准保费（万元/年）"
    assert header("long_term_std_premium", "en", "yuan") == "long-term standard premium (CNY/yr)"


def test_tier_words_of_the_figures_in_one_language():
    assert [tier_label(t) for t in ("gold", "silver", "regular")] == ["金牌", "银牌", "普通"]
    assert [tier_label(t, "en") for t in ("gold", "silver", "regular")] == ["Gold", "Silver", "Regular"]
    assert axis_label("ax_customers", "zh") == "客户数 [户]"
    assert axis_label("ax_customers", "en") == "customers [customers]"
    assert axis_label("ax_customers_log", "zh") == "客户数 [户，对数坐标]"


def test_cells_written_in_both_languages_read_in_one():
    # the 附件一 table and the 15 January check as compare writes them today
    approval = pd.DataFrame({"customer_id": ["C1", "C2"],
                             "branch_recommendation": ["推荐 recommended", "未推荐 not recommended"],
                             "approval": ["批准 approved", "未批准 not approved"]})
    zh = reader_table(approval, "附件一 approval", "zh")
    assert zh.title == "附件一审批"
    assert zh.frame.columns.tolist() == ["客户号", "分公司推荐", "审批"]
    assert zh.frame.iloc[:, 1:].values.tolist() == [["推荐", "批准"], ["未推荐", "未批准"]]
    en = reader_table(approval, "附件一 approval", "en")
    assert en.frame.iloc[:, 1:].values.tolist() == [["recommended", "approved"], ["not recommended", "not approved"]]
    check = pd.DataFrame({"item": ["金牌VIP客户名单 Gold list"], "status": ["未提交 not submitted"]})
    assert reader_table(check, "15 January check", "zh").title == "1月15日截止事项"
    assert reader_table(check, "15 January check", "en").title == "Due by 15 January"
    assert reader_table(check, "15 January check", "zh").frame.values.tolist() == [["金牌VIP客户名单", "未提交"]]
    assert reader_table(check, "15 January check", "en").frame.values.tolist() == [["Gold list", "not submitted"]]
    # the calibration's Gold list change
    change = pd.DataFrame({"customer_id": ["C1", "C2"], "change": ["enters Gold", "leaves Gold"]})
    assert reader_table(change, "gold list change", "zh").frame["变化"].tolist() == ["进入金牌", "退出金牌"]
    assert reader_table(change, "gold list change", "en").frame["change"].tolist() == ["enters Gold", "leaves Gold"]


def test_two_columns_under_one_word_are_numbered_not_keyed():
    # "reason" and "note" are both 说明 in Chinese: the second is 说明（2）, not 说明 [note]
    t = reader_table(pd.DataFrame({"reason": ["x"], "note": ["y"]}), "", "zh")
    assert t.frame.columns.tolist() == ["说明", "说明（2）"]


def test_the_sample_mark_in_one_language(tmp_path):
    tables = {"plan": pd.DataFrame({"a": [1]})}
    zh = mark_samples(tables, {"plan": ("delivery", "executives")}, ["delivery", "executives"])
    assert zh["plan"].attrs["banner"] == "样本数据：基于随机样本（服务落实记录、高管表），并非实际数据"
    en = mark_samples(tables, {"plan": ("delivery", "executives")}, ["delivery", "executives"], lang="en")
    assert en["plan"].attrs["banner"] == ("SAMPLE DATA: built on the seeded sample (delivery log, executive "
                                          "table), not on your data")
    assert sample_notice({}, ["hotline"], "zh") == "样本数据：未提供VIP专线来电记录，改用随机样本"
    assert sample_notice({}, ["hotline"], "en") == "SAMPLE DATA: hotline log not given, a seeded sample is used instead"


# ----------------------------------------------------------------------------- page header
def test_page_header_in_one_language():
    sha = "0123456789ab" + "c" * 52
    zh = _text(page_header("01 · 客户分层", "", "", "sample(seed=2003)", sha, True, "2026-12-07", "zh", "wan"))
    assert zh == ("样本数据 — 合成客户，不是真实业务 01 · 客户分层 情景 2003年办法原文 "
                  "数据来源 样本数据（种子 2003） · SHA-256 0123456789ab… 运行日期 2026-12-07 金额单位 万元")
    en = _text(page_header("01 · Tiers", "", "", "sample(seed=2003)", sha, True, "2026-12-07", "en", "yuan"))
    assert en == ("SAMPLE DATA — synthetic customers, not a real book 01 · Tiers scenario the 2003 policy as "
                  "written data source sample data (seed 2003) · SHA-256 0123456789ab… run date 2026-12-07 "
                  "amounts in CNY")


# ----------------------------------------------------------------------------- the register
def test_register_in_chinese_names_values_and_reasons(policy):
    t = assumptions_table(describe(policy), "zh")
    assert [c.header for c in t.columns] == ["参数", "取值", "性质", "条款", "理由", "参数路径"]
    # params/policy-2003.yaml, value_index.k2.year_1: label_zh and reason_zh, 第10条, assumed
    row = t.frame[t.frame["参数路径"] == "value_index.k2.year_1"].iloc[0]
    assert row.tolist() == ["K2系数·有效投保第1年", "1", "假设", "第10条",
                            "第10条中K2为空白；取中性值1.0，并按K1的形式分年列出，便于调整", "value_index.k2.year_1"]
    shown = t.frame.drop(columns="参数路径")
    for column in ("参数", "性质", "理由"):  # every name, kind and reason reads in Chinese
        assert shown[column].map(lambda v: bool(CJK.search(v))).all(), column
    # no dotted key and no field name of the file in what a reader sees
    cells = " ".join(shown.astype(str).to_numpy().ravel())
    assert not re.search(r"[a-z_]+\.[a-z_]+", cells)
    assert not re.search(r"unit_cost_cny|per_year|prorate|take_up|\{'", cells)


def test_register_in_english_names_values_and_reasons(policy):
    t = assumptions_table(describe(policy), "en")
    assert [c.header for c in t.columns] == ["parameter", "value", "kind", "article", "reason", "parameter path"]
    shown = t.frame.drop(columns="parameter path")
    cells = " ".join(shown.astype(str).to_numpy().ravel())
    # Chinese only as the text's own names (第10条, 附件七, 附表1) or the text quoted 「…」 / “…”
    cited = re.sub(r"第[\d–~\-、, ]+条|附件[一二三四五六七八九十]+|附表|「[^」]*」|“[^”]*”", " ", cells)
    assert not CJK.search(cited), CJK.findall(cited)[:10]
    assert not re.search(r"[a-z_]+\.[a-z_]+", cells)  # a path in a reason is named by its parameter
    # delivery_minimums.birthday_first_object's reason names the catalogue entry it differs from
    row = t.frame[t.frame["parameter path"] == "delivery_minimums.birthday_first_object"].iloc[0]
    assert "(Service catalogue: Birthday greeting (cake and flowers, first service object), prorate true)" in row["reason"]


def test_a_catalogue_value_in_words_in_each_language():
    entry = {"label": "VIP专用服务手册", "article": "第18条 1⑥", "tiers": ["gold", "silver"], "basis": "customer",
             "per_year": 1, "unit_cost_cny": 50, "take_up": 1.0, "prorate": False, "payer": "head_office"}
    assert parameter_value_text(entry, "zh") == ("适用层级：金牌、银牌；计费单位：每家客户；每年次数：1；单价（元）：50；"
                                                 "使用比例：1；按服务月数折算：否；承担方：总公司")
    assert parameter_value_text(entry, "en") == ("tiers: Gold, Silver; basis: customer; times a year: 1; "
                                                 "unit cost (CNY): 50; take-up: 1; prorated by service months: no; "
                                                 "payer: head office")


def test_register_page_wraps_within_the_page_and_hides_the_paths(policy):
    html = str(assumptions_html(describe(policy), "zh"))
    text = _text(html)
    assert "value_index.k2.year_1" not in text and "参数路径" not in text
    assert "K2系数·有效投保第1年" in text and "本次运行共有" in text
    # laid out to the page's width, long text wrapping (never cut): the wrap rule of each long
    # column (参数 0, 取值 1, 理由 4) is "#table td.colN", which outweighs the "#table td" rule
    # that keeps short cells on one line (a per-cell "#table_rowR_colN" rule does not: that
    # was the register running off the right edge of the page)
    assert "width: 100%" in html
    for col in (0, 1, 4):
        assert re.search(rf"#T_\w+ td\.col{col} {{\s*white-space: normal;\s*overflow-wrap: anywhere;", html), col
    # no Latin word but the text's own symbols and names (K1, K2, VIP, SOS of 第18条 1⑦, the
    # PA18 website of 第19条 5)
    assert [w for w in LATIN_WORD.findall(text) if w not in ("K1", "K2", "VIP", "SOS", "PA")] == []


# ----------------------------------------------------------------------------- the sample's branches
def test_sample_branches_are_named_as_a_chinese_core_system_exports_them():
    branches = sample_branches()
    assert len(branches) == 40 and branches["branch"].is_unique
    assert branches["branch"].str.endswith("分公司").all()
    assert BRANCH_NAMES["A"][:3] == ["北京分公司", "上海分公司", "广东分公司"]
    # classes as before: 6 A, 10 B, 12 C, 12 D
    assert branches["branch_class"].value_counts().to_dict() == {"C": 12, "D": 12, "B": 10, "A": 6}


# ----------------------------------------------------------------------------- the published lists
def _lists():
    gold = pd.DataFrame({"customer_id": ["C000001"], "name": ["客户000001"], "branch": ["北京分公司"],
                         "branch_class": ["A"], "tier": ["gold"], "gold_pool": ["existing"], "tier_rank": [1],
                         "value_index": [0.67], "approval_date": [pd.Timestamp("2026-01-10")],
                         "service_start": [pd.Timestamp("2026-02-01")]})
    silver = gold.assign(customer_id="C000002", name="客户000002", tier="silver", gold_pool="existing")
    return {"gold": gold, "北京分公司": pd.concat([gold, silver], ignore_index=True)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_published_lists_in_one_language(tmp_path, lang):
    path = write_published_lists(_lists(), tmp_path / f"lists-{lang}.xlsx", 2026, None, "sample(seed=2003)", lang)
    wb = openpyxl.load_workbook(path)
    ws = wb["北京分公司"]
    header_row = [c.value for c in ws[3]]
    if lang == "zh":
        assert wb.sheetnames == ["金牌客户名单 全公司", "北京分公司"]
        assert ws["A1"].value == "2026年度北京分公司 VIP客户名单（金牌、银牌，第8条） — 依据 2003年办法（示例数据）"
        assert ws["A2"].value == "共 2 户；数据来源 样本数据（种子 2003）"
        assert header_row[:7] == ["序号", "客户号", "客户名称", "机构", "机构类别", "层级", "金牌名额类别"]
        assert [ws["F4"].value, ws["G4"].value, ws["F5"].value, ws["G5"].value] == ["金牌VIP", "已承保客户", "银牌VIP", ""]
    else:
        assert wb.sheetnames == ["Gold list, company", "北京分公司"]
        assert ws["A1"].value == "2026 VIP list of 北京分公司 (Gold and Silver, 第8条) — under the 2003 policy (sample data)"
        assert ws["A2"].value == "2 customers; data source sample data (seed 2003)"
        assert header_row[:7] == ["No.", "customer id", "customer name", "branch", "branch class", "tier", "Gold pool"]
        assert [ws["F4"].value, ws["G4"].value, ws["F5"].value, ws["G5"].value] == ["Gold VIP", "existing", "Silver VIP", ""]
    assert ws["K4"].number_format == "yyyy-mm-dd"


def test_an_empty_table_says_so_under_its_heading():
    from tiermodel.present import html_table

    empty = reader_table(pd.DataFrame({"customer_id": pd.Series([], dtype=object)}), "gold list", "zh")
    assert _text(str(html_table(empty))).endswith("客户号 无记录")
    empty_en = reader_table(pd.DataFrame({"customer_id": pd.Series([], dtype=object)}), "gold list", "en")
    assert _text(str(html_table(empty_en))).endswith("customer id no rows")


def test_consequences_reminders_quarters_and_services_in_one_language():
    # 第34条 consequences as the complaint table joins them, a reminder's status, a quarter of
    # 附件二, a 附件七 service key and a named 附表 case
    t = pd.DataFrame({"action": ["warning; public criticism"], "status": ["late"], "quarter": ["Q3"],
                      "item": ["revisit_gold"], "case": ["draws p95"]})
    assert reader_table(t, "", "zh").frame.values.tolist() == [["警告；通报批评", "逾期", "第三季度", "定期回访（金牌）",
                                                                 "抽样附表P95"]]
    assert reader_table(t, "", "en").frame.values.tolist() == [["warning; public criticism", "late", "Q3",
                                                                 "revisit, Gold", "draws, P95"]]
