"""Budget and service-delivery findings as notes (one code and its fields, both languages from
budget.toml / delivery.toml), and hotline calls refused in a service log.

Expected sentences are written by hand from the templates' intent, not copied from a run.
"""
from __future__ import annotations

import pandas as pd
import pytest

from tiermodel import budget, events
from tiermodel.assess import delivery
from tiermodel.cli import main
from tiermodel.errors import InputTableError
from tiermodel.notes import note
from tiermodel.present import messages, reader_table
from tiermodel.tables.samples import sample_service_log


# ----------------------------------------------------------------------------- budget notes
def test_the_gold_cap_note_in_both_languages():
    # Gold averages 38.9 of 30 + 10 = 40 places; the mean total is 2.3 % below 附件七
    cap = note("budget.gold_cap", case=budget.count_case_word("base"), gold=38.9, places=40, diff=-0.023)
    assert messages.render(cap, "zh") == ("VIP人数情形“基准”：金牌VIP客户平均38.9户，名额40个（第13条上限：增多之年削减、"
                                          "减少之年不补足）；模拟均值较附件七测算-2.3%。")
    assert messages.render(cap, "en") == ("Count case 'base': Gold averages 38.9 of the 40 places (第13条 cap); "
                                          "the mean total is -2.3% against the 附件七 estimate.")


def test_a_count_case_of_the_users_own_is_named_as_written():
    # a scenario's own case has no reader's word: its name is shown, in either language
    named = note("budget.simulated", sims=2000, seed=7, case=budget.count_case_word("recession"), year=2026)
    assert messages.render(named, "zh") == "模拟2,000年，随机种子7，VIP人数情形“recession”，2026年价格。"
    assert messages.render(named, "en") == "2,000 simulated years, seed 7, VIP-count case 'recession', 2026 prices."


def test_the_forecast_returns_notes_not_sentences(policy_and_two_vips):
    policy, table = policy_and_two_vips
    result = budget.forecast_budget(table, policy, 2005, n_sims=50, seed=1)
    assert [n.code for n in result.notes] == ["budget.prices", "budget.simulated", "budget.gold_cap"]
    # 2005 prices on 2003 unit costs: (1 + 2.5 %)² = 1.050625 → 1.0506 (price_index.annual_rate 0.025)
    prices = result.note_of("budget.prices")
    assert messages.render(prices, "zh") == "按2005年价格：2003年单价 × 1.0506。"
    assert messages.render(prices, "en") == "2005 prices: factor 1.0506 on 2003 unit costs."
    # the notes sheet renders each note in the page's language
    sheet = reader_table(result.tables()["notes"], "notes", "zh", "yuan")
    assert sheet.frame.iloc[0, 0] == "按2005年价格：2003年单价 × 1.0506。"


def test_every_catalogue_service_has_its_source_by_its_readers_name(policy_and_two_vips):
    policy, _ = policy_and_two_vips
    sources = budget.catalogue_sources(policy)
    assert len(sources) == len(policy.service_catalogue)
    festival = sources.set_index("parameter").loc["service_catalogue.festival_gifts"]
    # 第18条 2⑤ gives the festival greetings' frequency and gift value; payer and basis are ours
    assert (festival["article"], festival["status"], festival["numbers"]) == \
        ("第18条 2⑤", "sourced numbers, assumed terms", "第18条 2⑤")
    shown = reader_table(sources, "catalogue sources", "zh", "yuan").frame
    assert not shown.iloc[:, 0].str.contains("service_catalogue").any()  # no dotted key on the page
    assert "假设" in set(shown.iloc[:, 2])


@pytest.fixture(scope="module")
def policy_and_two_vips():
    from tiermodel.policy import load_policy

    policy = load_policy()
    table = pd.DataFrame({"customer_id": ["G", "S"], "branch": ["b1", "b1"], "branch_class": ["A", "A"],
                          "is_new": [False, False], "tier": ["gold", "silver"], "first_service_objects": [1, 1],
                          "second_service_objects": [1, 1]})
    return policy, table


# ----------------------------------------------------------------------------- delivery notes
def test_what_a_vip_lacks_in_both_languages():
    lacks = delivery.missing_note(["monthly_mailing", "revisit_silver"], [2, 1])
    assert messages.render(lacks, "zh") == "寄送公司资料 2次、定期回访（银牌） 1次"
    assert messages.render(lacks, "en") == "monthly mailing 2, revisit, Silver 1"


def test_a_table_of_what_vips_lack_reads_in_the_page_language():
    below = pd.DataFrame({"customer_id": ["C1"], "missing": pd.Series([delivery.missing_note(["study_tour"], [1])],
                                                                     dtype=object)})
    assert reader_table(below, "delivery below standard", "zh", "yuan").frame.iloc[0, 1] == "学习考察 1次"
    assert reader_table(below, "delivery below standard", "en", "yuan").frame.iloc[0, 1] == "study tour 1"


def test_delivery_hotline_and_renewal_notes_in_both_languages():
    # 45 of 520 Silver VIPs short by 62 deliveries in all
    short = note("delivery.below_minimum", tier="silver", below=45, vips=520, missing=62)
    assert messages.render(short, "zh") == "银牌：520户VIP客户中45户未达最低服务次数（缺62次）。"
    assert messages.render(short, "en") == "Silver: 45 of 520 VIPs below the minimum deliveries (62 deliveries missing)."
    # 384 calls: 351 in time, 33 late, 2 of them never answered
    calls = note("assess.hotline", on_time=351, calls=384, late=33, unanswered=2)
    assert messages.render(calls, "zh") == "VIP客户专线：384次来电中351次按时答复；33次逾期（2次未答复）。"
    assert messages.render(calls, "en") == "VIP hotline: 351 of 384 calls answered in time; 33 late (2 unanswered)."
    cost = note("delivery.cost", actual=3_852_993.0, budget=3_553_478.0, variance=299_515.0)
    assert messages.render(cost, "zh") == "实际服务费用3,852,993元，附件七预算3,553,478元（差异+299,515元）。"


# ----------------------------------------------------------------------------- hotline rows of a service log
def _service_log(rows):
    return pd.DataFrame(rows, columns=["customer_id", "service_type", "start_date", "end_date"])


def test_a_hotline_call_in_a_service_log_is_refused_naming_row_column_and_rule():
    raw = _service_log([("C1", "claim_ordinary", "2025-03-03", "2025-03-05"),
                        ("C1", "专线投诉", "2025-03-06", "2025-03-10")])  # the Chinese label is read too
    with pytest.raises(InputTableError) as refused:
        events.validate_log(raw, events.SERVICE_LOG_SCHEMA, "events.csv", pd.Series(["C1"]))
    [problem] = refused.value.problems
    assert (problem.row, problem.customer_id, problem.column) == (3, "C1", "service_type")
    assert "hotline log (附件五, --hotline)" in problem.rule and "events.csv" in str(refused.value)


def test_the_sample_service_log_draws_no_hotline_rows():
    tiers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(40)], "tier": ["gold"] * 4 + ["regular"] * 36})
    log = sample_service_log(tiers, seed=5, n_events=500)
    assert not log["service_type"].str.startswith("hotline").any()
    # the other draws stay as they were: ids keep their numbers, so some are skipped
    assert 0 < len(log) < 500 and log["event_id"].is_unique


def test_assess_exits_2_on_a_service_log_with_a_hotline_call(tmp_path, capsys):
    from tiermodel.portfolio import load_sample

    first = str(load_sample(seed=2003)["customer_id"].iloc[0])
    log = tmp_path / "events.csv"
    _service_log([(first, "hotline_enquiry", "2025-05-06", "2025-05-06")]).to_csv(log, index=False)
    status = main(["assess", "--service-log", str(log), "--out", str(tmp_path / "out.xlsx")])
    err = capsys.readouterr().err
    assert status == 2
    assert "events.csv" in err and "row 2" in err and "service_type" in err and "hotline log" in err
    assert "Traceback" not in err and not (tmp_path / "out.xlsx").exists()
