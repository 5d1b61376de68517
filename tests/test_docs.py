"""Documentation inside the project: every article cited can be looked up, the glossary is current."""
from __future__ import annotations

import re
from pathlib import Path

from tiermodel.vocabulary import glossary_markdown

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "policy" / "source-2003.txt"
# 第19、21、30条 are garbled in the source ("第 条") and inferred from their neighbours (RULES.md).
INFERRED = {19, 21, 30}
CITATION = re.compile(r"第(\d+)(?:[–~-](\d+))?条")


def _articles_in_source() -> set[int]:
    return {int(n) for n in re.findall(r"第(\d+)条", SOURCE.read_text(encoding="utf-8"))} | INFERRED


def test_every_cited_article_is_in_the_policy_text():
    known = _articles_in_source()
    assert set(range(1, 36)) <= known  # the text runs to 第35条, where it breaks off
    unknown = []
    for folder in ("tiermodel", "tests", "params", "notebooks", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".yaml", ".ipynb", ".md") or "_data" in path.parts:
                continue
            for first, last in CITATION.findall(path.read_text(encoding="utf-8")):
                for n in range(int(first), int(last or first) + 1):
                    if n not in known:
                        unknown.append(f"{path.relative_to(ROOT)}: 第{n}条")
    assert unknown == []


def test_glossary_is_current():
    assert (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8") == glossary_markdown()


# ----------------------------------------------------------------------------- issue 24: words
def test_reconstructed_forms_say_so_in_both_languages():
    # only the titles of 附件二 and 附件七 survive: the tables made under them say so
    from tiermodel.present.labels import table_term

    for key in ("附件二 quarterly record", "附件七 annex 7"):
        term = table_term(key)
        assert "重建（原表缺失）" in term.about_zh, key
        assert "Reconstructed — original lost" in term.about_en, key
        assert "格式" not in term.about_zh  # not "附件二格式": the layout is ours
    for page, heading in (("04_vip_budget_forecast", "附件七"), ("07_service_delivery", "附件二")):
        text = (ROOT / "notebooks" / f"{page}.ipynb").read_text(encoding="utf-8")
        lines = [ln for ln in text.splitlines() if "## " in ln and heading in ln]  # the zh and the en heading
        assert any("重建（原表缺失）" in ln for ln in lines), page
        assert any("reconstructed — original lost" in ln for ln in lines), page


def test_no_quota_label_turns_a_minimum_into_a_cap():
    # 第23–24条 至少 10~15 / 2~3 / 3~5: the upper number is the expected end, never 最多 / at most
    from tiermodel.vocabulary import COLUMN_TERMS

    quota_columns = [k for k in COLUMN_TERMS if k.endswith("_max") and k.split("_")[0] in
                     ("gm", "department", "executive", "gold", "silver")]
    assert {"gm_office_max", "department_heads_max", "executive_max", "gold_max", "silver_max",
            "executive_share_max"} <= set(quota_columns)
    for key in quota_columns:
        t = COLUMN_TERMS[key]
        assert "最多" not in t.zh and "at most" not in t.en and not t.en.endswith(", max"), key
        assert "预期上限" in t.zh and "expected upper end" in t.en, key


def test_the_texts_own_words():
    # TERMS.md: 一般理赔案件 / 调查案件, the 折算系数 names, one name for the existing-customer pool,
    # 取消对相应客户的维护资格, and 未在册 for a customer absent from a list
    from tiermodel.vocabulary import COLUMN_TERMS, POOL_TERMS, SERVICE_TYPE_TERMS

    assert SERVICE_TYPE_TERMS["claim_ordinary"].zh == "一般理赔案件"
    assert SERVICE_TYPE_TERMS["claim_investigated"].zh == "调查案件"
    assert [COLUMN_TERMS[k].zh for k in ("premium_coef", "loyalty_coef", "profit_coef")] == [
        "标准保费规模折算系数", "客户忠诚度折算系数", "利润贡献度折算系数"]
    assert POOL_TERMS["existing"].zh == "已承保客户"
    from tiermodel.present.messages import say

    assert say("assess.complaint.step_customer", "zh", action="loses the right to serve the customer",
               customer="C001") == "取消对相应客户的维护资格（C001）"
    assert (COLUMN_TERMS["none → gold"].zh, COLUMN_TERMS["none → gold"].en) == ("未在册→金牌", "not in book → Gold")
    words = glossary_markdown() + "".join(str(t) for t in POOL_TERMS.values())
    for foreign in ("普通理赔", "调查理赔", "保费规模系数 ", "老客户", "取消客户服务资格"):
        assert foreign not in words, foreign
