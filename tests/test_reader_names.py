"""A reader never sees a dotted parameter key: every parameter has a name and every assumption a
reason in both languages (params/policy-2003.yaml), and the register, the parameter tables, the
tornado chart, tier's notes sheet and the rank cells read in the page language."""
from __future__ import annotations

import csv
import re
import shutil

import matplotlib
import pandas as pd
import pytest
from openpyxl import load_workbook

matplotlib.use("Agg")

from tiermodel import present  # noqa: E402
from tiermodel.compare import parameter_changes  # noqa: E402
from tiermodel.errors import ParameterError  # noqa: E402
from tiermodel.policy import PARAMS_DIR, describe, load_policy  # noqa: E402

#: Latin text a Chinese page may hold (issue 23): symbols, proper nouns, the policy's own "VIP",
#: the branch classes A–D, and the example customer id of the tie rule.
ALLOWED_LATIN = {"K1", "K2", "P50", "P95", "SHA-256", "VIP", "SOS", "PA18", "A", "B", "C", "D", "C000123"}
DOTTED = re.compile(r"\b[a-z_]+(?:\.[a-z0-9_]+|\.[A-D])+\b")


def _latin_words(cells) -> set[str]:
    return {w for v in cells for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", str(v))}


def _edit(params_dir, old: str, new: str):
    path = params_dir / "policy-2003.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def params_copy(tmp_path):
    shutil.copytree(PARAMS_DIR, tmp_path / "params")
    return tmp_path / "params"


# ----------------------------------------------------------------------------- the policy file
def test_every_parameter_has_both_names_and_every_assumption_both_reasons():
    policy = load_policy()
    prov = policy.provenance
    assert len(prov) == 195  # the leaves of params/policy-2003.yaml
    for path, p in prov.items():
        assert p.label_zh and p.label_en, path
        assert re.search(r"[\u4e00-\u9fff]", p.label_zh), path  # a Chinese name, not a copy of the English
        if p.assumed:
            assert p.reason and p.reason_zh and re.search(r"[\u4e00-\u9fff]", p.reason_zh), path
    # one name, one parameter: no two parameters read alike in either language
    assert len({p.label_zh for p in prov.values()}) == len({p.label_en for p in prov.values()}) == len(prov)
    # the names are the file's, word for word (spot checks from the YAML)
    assert prov["value_index.k2.year_4_plus"].label_zh == "K2系数·有效投保第4年及以后"
    assert prov["eligibility.silver.A.health_premium_min"].label_en == \
        "Silver entry, class A branch: minimum health premium"
    assert prov["value_index.k1.year_4_plus"].reason_zh.startswith("第10条只给出有效投保不满3年的K1")


@pytest.mark.parametrize("old, new, path, needs", [
    # a sourced value without its Chinese name
    ('      source: 第10条\n      label_zh: "价值指数权重·保费规模"\n', "      source: 第10条\n",
     "value_index.weights.premium.label_zh", "'label_zh'"),
    # an assumed value without its English name
    ('      label_en: "K2 factor, insured year 3"\n', "", "value_index.k2.year_3.label_en", "'label_en'"),
    # an assumption without its reason in Chinese
    ('      reason_zh: "第10条只给出有效投保不满3年的K1；自第4年起不再加成，取1.0"\n', "",
     "value_index.k1.year_4_plus.reason_zh", "'reason_zh'"),
    # a blank name is no name
    ('      label_zh: "K1系数·有效投保第1年"\n', '      label_zh: "  "\n', "value_index.k1.year_1.label_zh",
     "'label_zh'"),
])
def test_a_missing_name_or_reason_is_refused_naming_file_path_and_key(params_copy, old, new, path, needs):
    file = _edit(params_copy, old, new)
    with pytest.raises(ParameterError) as err:
        load_policy(params_dir=params_copy)
    assert (err.value.file, err.value.path) == (str(file), path)
    assert needs in err.value.rule
    assert "Chinese" in err.value.rule


def test_a_scenario_changes_values_only_and_keeps_the_base_names(tmp_path):
    scenario = tmp_path / "renamed.yaml"
    scenario.write_text("gold_selection:\n  new_places:\n    value: 8\n    label_zh: 新名额\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_policy(str(scenario))
    assert err.value.path == "gold_selection.new_places.label_zh"
    assert "names and Chinese reasons come from the base policy" in err.value.rule
    scenario.write_text("gold_selection:\n  new_places: 8\n", encoding="utf-8")
    prov = load_policy(str(scenario)).provenance["gold_selection.new_places"]
    assert (prov.label_zh, prov.label_en, prov.scenario) == \
        ("金牌名额·当年新客户", "Gold places for this year's new customers", "renamed")


# ----------------------------------------------------------------------------- the register
def test_the_chinese_register_has_no_dotted_key_and_no_latin_word():
    policy = load_policy()
    rows = describe(policy)
    table = present.assumptions_table(rows, "zh")
    shown = table.frame.drop(columns=["参数路径"])
    assert list(shown.columns) == ["参数", "取值", "性质", "条款", "理由"]
    cells = shown.astype(str).to_numpy().ravel()
    assert not [c for c in cells if DOTTED.search(c)]
    assert _latin_words(cells) <= ALLOWED_LATIN, _latin_words(cells) - ALLOWED_LATIN
    # the page: no path anywhere in its text (the path column is the workbook's only)
    html = str(present.assumptions_html(rows, "zh"))
    body = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    assert not DOTTED.search(text) and "参数路径" not in text
    assert _latin_words([text]) <= ALLOWED_LATIN
    # and it wraps within the page: the table is laid out to the page's width, reasons wrap
    assert "width: 100%" in html and "overflow-wrap: anywhere" in html
    # 114 assumptions in the file, one row each; the path stays beside its name for an actuary
    assert len(table) == 114
    row = table.frame.set_index("参数路径").loc["value_index.k1.year_4_plus"]
    assert (row["参数"], row["取值"], row["性质"], row["条款"]) == ("K1系数·有效投保第4年及以后", "1", "假设", "第10条")
    assert row["理由"] == "第10条只给出有效投保不满3年的K1；自第4年起不再加成，取1.0"


def test_the_english_register_reads_in_english():
    table = present.assumptions_table(describe(load_policy()), "en")
    row = table.frame.set_index("parameter path").loc["silver_selection.tie_rule"]
    assert row["parameter"] == "Tie rule for equal value indices"
    assert row["value"] == "value index, then standard premium, then customer id"
    assert row["reason"].startswith("第13条 ranks by value index")
    assert not re.search(r"[\u4e00-\u9fff]", row["parameter"] + row["value"])


def test_table_values_read_in_words_with_the_names_of_the_values_they_refer_to():
    table = present.assumptions_table(describe(load_policy(), ["service_catalogue.revisit_gold"]), "zh")
    value = table.frame["取值"].iloc[0]
    # per_year refers to revisits.gold_min_per_year: shown by that value's name
    assert "每年次数：金牌客户每年最少回访次数" in value and "revisits." not in value
    assert "单价（元）：500" in value and "承担方：分公司" in value
    assert table.frame["条款"].iloc[0] == "第18条 2③"


# ----------------------------------------------------------------------------- parameter tables
def test_scenario_parameter_changes_show_names_and_keep_the_path_for_the_workbook():
    base, scen = load_policy(), load_policy("weights-equal")
    changes = parameter_changes(base, scen)
    assert changes["path"].tolist() == ["value_index.weights.premium", "value_index.weights.loyalty",
                                        "value_index.weights.profit"]
    table = present.reader_table(changes, "parameter changes", "zh")
    assert table.frame["参数"].tolist() == ["价值指数权重·保费规模", "价值指数权重·客户忠诚度", "价值指数权重·利润贡献"]
    assert table.frame["参数路径"].tolist() == changes["path"].tolist()
    # 第10条 gives 30/30/40; the scenario 34/33/33
    assert table.frame["基准值"].tolist() == [0.3, 0.3, 0.4]
    assert table.frame["情景值"].tolist() == [0.34, 0.33, 0.33]
    html = str(present.html_table(table))
    assert "value_index." not in html and "参数路径" not in html
    assert "value_index." not in table.text_summary()


@pytest.mark.filterwarnings("ignore:Glyph")
def test_the_tornado_chart_names_its_parameters():
    import matplotlib.pyplot as plt

    from tiermodel.plots.sensitivity import tornado_chart

    tornado = pd.DataFrame({"low": [0.5, 0.1], "high": [1.5, 0.6], "gold_swaps_low": [9, 4],
                            "gold_swaps_high": [3, 6]},
                           index=pd.Index(["value_index.k2.year_4_plus", "value_index.weights.profit"],
                                          name="parameter"))
    for lang, names in (("zh", ["K2系数·有效投保第4年及以后", "价值指数权重·利润贡献"]),
                        ("en", ["K2 factor, insured year 4 on", "Value index weight: profit contribution"])):
        ax = tornado_chart(tornado, lang=lang)
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        # bars from the top: the first row of the table is drawn highest (y = n-1 … 0)
        assert sorted(ticks) == sorted([f"{names[0]}  [0.5 … 1.5]", f"{names[1]}  [0.1 … 0.6]"])
        assert not any("." in t.split("  ")[0] for t in ticks)
        plt.close(ax.figure)


def test_cut_lines_as_a_labelled_table():
    # the value index of the last customer in each list (page 01), not a raw dict
    cuts = {"gold_existing": 0.6712, "gold_new": 0.61, "silver": float("nan")}
    zh = present.cut_lines_table(cuts, "zh")
    assert zh.frame["层级"].tolist() == ["金牌", "金牌", "银牌"]
    assert zh.frame["名额类别"].tolist()[:2] == ["已承保客户", "本年新客户"]
    lines = zh.text_summary().splitlines()
    assert lines[1].split() == ["金牌", "已承保客户", "0.6712"] and lines[3].split() == ["银牌"]
    assert "gold_existing" not in zh.text_summary() + present.cut_lines_table(cuts, "en").text_summary()


# ----------------------------------------------------------------------------- tier
@pytest.fixture(scope="module")
def tier_outputs(tmp_path_factory):
    from tiermodel.cli import main

    folder = tmp_path_factory.mktemp("tier")
    assert main(["tier", "--out", str(folder / "list.xlsx"), "--lang", "zh"]) == 0
    assert main(["tier", "--out", str(folder / "list.csv")]) == 0
    return folder


def test_tier_notes_sheet_follows_lang(tier_outputs):
    notes = pd.read_excel(tier_outputs / "list.xlsx", sheet_name="选拔说明")  # that sheet alone
    assert list(notes.columns) == ["说明"] and len(notes) >= 1
    for note in notes["说明"]:
        assert re.search(r"[\u4e00-\u9fff]", note), note
        assert _latin_words([note]) <= ALLOWED_LATIN, note
    # the Gold note of the sample: 30 existing + 10 new places (第13条)
    assert notes["说明"].iloc[0].startswith("金牌：已承保客户30户 + 本年新客户10户 = 40户")


def test_an_unranked_customer_has_a_blank_rank_in_the_sheet_and_the_csv(tier_outputs):
    wb = load_workbook(tier_outputs / "list.xlsx", read_only=True)
    ws = wb["客户层级名单"]
    rows = ws.iter_rows(values_only=True)
    head = next(rows)
    while "客户号" not in head:  # a title above the header
        head = next(rows)
    col = {h: i for i, h in enumerate(head)}
    seen = {"regular": 0, "ranked": 0}
    for row in rows:
        if row[col["层级"]] in ("普通", "常规"):
            assert row[col["排名"]] is None
            assert row[col["金牌排名"]] is None or row[col["金牌排名"]] >= 1  # never 0
            seen["regular"] += 1
        elif row[col["层级"]] in ("金牌", "银牌"):
            assert isinstance(row[col["排名"]], int) and row[col["排名"]] >= 1
            seen["ranked"] += 1
    wb.close()
    # the sample: 40 Gold + 520 Silver ranked, 19,440 regular unranked (tests/test_tiers.py)
    assert seen == {"regular": 19_440, "ranked": 560}
    with open(tier_outputs / "list.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        regular = [r for r in reader if r["tier"] == "regular"]
    assert len(regular) == 19_440
    assert all(r["tier_rank"] == "" for r in regular)
    assert all(r["gold_rank"] == "" or int(r["gold_rank"]) >= 1 for r in regular)


def test_the_register_sheet_names_parameters_wraps_reasons_and_keeps_the_path_last(tmp_path):
    rows = describe(load_policy())
    table = present.reader_table(present.assumptions_frame(rows, "zh"), "01 assumptions", "zh")
    assert [c.header for c in table.columns] == ["参数", "取值", "性质", "条款", "理由", "参数路径"]
    path = present.write_workbook([table], tmp_path / "register.xlsx", "zh")
    wb = load_workbook(path if path is not None else tmp_path / "register.xlsx")
    ws = next(s for s in wb.worksheets if s.title != "目录")
    header_row = next(r for r in ws.iter_rows() if any(c.value == "理由" for c in r))
    col = {c.value: c.column_letter for c in header_row}
    first = header_row[0].row + 1
    assert ws[f"{col['参数路径']}{first}"].value == "value_index.k1.year_4_plus"
    assert ws[f"{col['参数']}{first}"].value == "K1系数·有效投保第4年及以后"
    reason = ws[f"{col['理由']}{first}"]
    assert reason.alignment.wrap_text and ws.column_dimensions[col["理由"]].width <= 61
