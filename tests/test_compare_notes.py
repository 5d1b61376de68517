"""The annual cycle's notes as data: one code and its fields, rendered in both languages from
present/messages/compare.toml; the tables that hold notes show them in the reader's language.

Expected sentences are written by hand from the templates' meaning, not copied from output.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tiermodel.compare import approval_table, deadline_check, review_year
from tiermodel.compare.changes import REASON_CODES, Amount, joined
from tiermodel.notes import note
from tiermodel.present import messages
from tiermodel.present.messages import render
from tiermodel.present.tables import reader_table
from tiermodel.vocabulary import HEALTH, LONG_TERM


def test_one_reason_note_renders_in_both_languages_from_one_code_and_its_fields():
    # health premium 4,800,000 CNY against Gold's 5,000,000: 480.0 万元 < 500.0 万元 = CNY 4.80 m < CNY 5.00 m
    figure = note("compare.figure.below", criterion=HEALTH, value=Amount(4_800_000), minimum=Amount(5_000_000))
    reason = note("compare.move", before=note("compare.state.gold"), after=note("compare.state.silver"),
                  reason=joined([note("compare.lost_criterion", tier="gold", figures=figure),
                                 note("compare.value_total", before=0.67, after=0.59, change=-0.08)]))
    assert render(reason, "zh") == ("金牌→银牌：不再满足第11条金牌入围标准：健康险保费 480.0 万元 < 500.0 万元；"
                                    "价值指标 0.6700→0.5900（-0.0800；上年无分项）")
    assert render(reason, "en") == ("Gold → Silver: no longer meets a 第11条 Gold criterion: health premium CNY 4.80 m "
                                    "< CNY 5.00 m; value index 0.6700→0.5900 (-0.0800; no components last time)")


def test_an_amount_in_wan_and_in_millions():
    # 52,345,678 CNY = 5,234.5678 万元 → 5,234.6; = 52.345678 million → 52.35; a fall of 1,230,000 = −123.0 万元
    assert f"{Amount(52_345_678):wan}" == "5,234.6"
    assert f"{Amount(52_345_678):m}" == "52.35"
    assert f"{Amount(-1_230_000):+wan}" == "-123.0" and f"{Amount(1_230_000):+m}" == "+1.23"
    assert f"{Amount(0.5):.1%}" == "50.0%"  # any other spec: as a float


def test_clauses_join_with_each_languages_separator():
    a, b, c = note("compare.overtaken"), note("compare.place_freed"), note("compare.branch_room")
    assert joined([]) is None and joined([None, a]) is a
    assert render(joined([a, None, b, c]), "zh") == "仍符合金牌入围标准，但被其他客户超越；名额空出或入选线下降；机构银牌名额空出或增加"
    assert render(joined([a, b]), "en") == "still Gold-eligible but ranked below others; a place came free or the cut line fell"


def test_every_reason_code_has_its_word_and_every_compare_code_both_languages():
    from tiermodel.vocabulary import VALUE_TERMS

    codes = [c for c in messages.catalogue() if c.startswith("compare.")]
    assert len(codes) > 40
    for code in codes:
        templates = messages.catalogue()[code]
        assert messages.field_names(templates["zh"]) == messages.field_names(templates["en"]), code
    # the reason code column is shown in words on a zh and an en page
    words = VALUE_TERMS["reason_code"]
    assert all(code in words for code in REASON_CODES if code != "unchanged")


def test_a_column_of_notes_is_shown_in_the_readers_language():
    table = pd.DataFrame({"customer_id": ["A", "B", "C"],
                          "status": [note("compare.deadline.on_time"), note("compare.deadline.late", days=3), None]})
    zh = reader_table(table, "deadlines", "zh").frame
    en = reader_table(table, "deadlines", "en").frame
    assert zh.iloc[:, 1].tolist() == ["按时", "逾期 3 天", ""]
    assert en.iloc[:, 1].tolist() == ["on time", "late by 3 day(s)", ""]


def test_the_15_january_items_and_status_in_both_languages(policy):
    # gold list on 12 January (3 days early: on time), revisit plan on 16 January (1 day late)
    check = deadline_check(2026, policy, dt.date(2026, 1, 12), dt.date(2026, 1, 16))
    assert [render(x, "zh") for x in check["item"]] == ["金牌VIP客户名单", "回访年度分解计划"]
    assert [render(x, "en") for x in check["status"]] == ["on time", "late by 1 day(s)"]
    assert [render(x, "zh") for x in check["status"]] == ["按时", "逾期 1 天"]


def test_annex1_cells_in_one_language(policy):
    from conftest import customers
    from tiermodel.scoring import score
    from tiermodel.tiers import assign_tiers

    # two Gold-eligible customers (health 6,000,000 at 50 % ≥ 5,000,000 at ≤ 60 %), 30 existing places:
    # both rank within; no override, both approved
    rows = [{"customer_id": f"E{i}", "effective_years": 10, "health_premium": 6_000_000 + i,
             "health_loss_ratio": 0.5, "profit_margin": 0.07} for i in (1, 2)]
    tiering = assign_tiers(score(customers(*rows), policy), policy)
    annex = approval_table(review_year(tiering, policy, 2026), policy)
    first = annex.iloc[0]
    assert first["customer_id"] == "E2"  # the larger premium ranks first on an equal value index
    assert (render(first["branch_recommendation"], "zh"), render(first["branch_recommendation"], "en")) == \
        ("推荐", "recommended")
    assert render(first["head_office_rating"], "zh") == "第 1 名，名额内（30 个）"
    assert render(first["head_office_rating"], "en") == "rank 1, within the 30 places"
    assert (render(first["approval"], "zh"), render(first["approval"], "en")) == ("批准", "approved")
    # 6,000,002 CNY = 600.0 万元 ≥ 500.0 万元 at 50.0 % ≤ 60.0 %
    assert render(first["criteria_figures"], "zh") == "健康险保费 600.0 万元 ≥ 500.0 万元，赔付率 50.0% ≤ 60.0%"
    assert render(first["criteria_figures"], "en") == "health premium CNY 6.00 m ≥ CNY 5.00 m, loss ratio 50.0% ≤ 60.0%"


def test_the_projection_and_override_notes_in_both_languages():
    p = note("compare.projection", first=2026, last=2028, growth=0.05, growth_sd=0.1, new_share=0.18, lapse_share=0.1)
    assert render(p, "en").startswith("Projection 2026–2028: premiums +5.0% a year (spread σ 10%), 18% new customers")
    assert render(p, "zh").startswith("预测2026–2028年：保费年增5.0%（离散度σ 10%），每年新客户18%、流失10%")
    o = note("compare.overrides", applied=2, gold=39, places=40)
    assert render(o, "zh") == "总公司调整：2项；金牌39户，名额上限40户（第13条 30–40）。"
    assert render(o, "en") == "Overrides: 2 applied; Gold 39 of at most 40 places (第13条 30–40)."
    assert render(note("compare.figure.meets", criterion=LONG_TERM, value=Amount(5e7), minimum=Amount(5e7)), "zh") \
        == "长险标准保费 5,000.0 万元 ≥ 5,000.0 万元"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_compare_template_mixes_the_languages(lang):
    import re

    for code, templates in messages.catalogue().items():
        if not code.startswith("compare."):
            continue
        text = re.sub(r"\{[^}]*\}|第\d+条|附件[一七]|附表|K1|K2|VIP|×|σ|annual_cycle\.\*", "", templates[lang])
        if lang == "zh":
            assert not re.search(r"[A-Za-z]{2,}", text), (code, text)
        else:
            assert not re.search(r"[\u4e00-\u9fff]", text), (code, text)


@pytest.mark.parametrize("lang, sentence", [
    ("zh", "银牌→金牌：仍符合金牌入围标准，但被其他客户超越"),
    ("en", "Silver → Gold: still Gold-eligible but ranked below others")])
def test_the_committee_pack_shows_each_reason_in_the_runs_language(lang, sentence):
    from tiermodel.committee import pack_sections

    moves = pd.DataFrame({"customer_id": ["C1"], "branch": ["B1"], "before": ["silver"], "after": ["gold"],
                          "reason_code": ["overtaken"],
                          "reason": [note("compare.move", before=note("compare.state.silver"),
                                          after=note("compare.state.gold"), reason=note("compare.overtaken"))]})
    (section,) = pack_sections({"06 yoy vip moves": moves}, lang, "wan")
    assert section.tables[0].frame.iloc[0, -1] == sentence
