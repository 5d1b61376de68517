"""One vocabulary: tier, class, criterion, service, level and role names, in Chinese and English.

Every table header, sheet name, plot label and reason text takes its words from here, so a
name is spelt once. ``label(key)`` gives the Chinese reader's label ("金牌"), ``label(key,
"en")`` the English one ("Gold"); :data:`LABELS` holds both with the unit where there is one.
"""
from __future__ import annotations

from typing import NamedTuple

#: The three tiers of 第7条, best first; their integer codes in the array kernels.
TIERS = ("gold", "silver", "regular")
GOLD, SILVER, REGULAR = 0, 1, 2
VIP_TIERS = ("gold", "silver")
#: Branch classes of 第11条 (A–D).
BRANCH_CLASSES = ("A", "B", "C", "D")
#: 第11条 criteria as bits of an eligibility mask.
LONG_TERM, HEALTH, NON_HEALTH = 1, 2, 4


class Label(NamedTuple):
    zh: str
    en: str
    unit: str = ""


#: Tier names (第7条).
TIER_TERMS = {"gold": Label("金牌", "Gold"), "silver": Label("银牌", "Silver"),
              "regular": Label("普通", "Regular")}
#: "金牌 Gold" etc., for plots and bilingual tables.
TIER_LABELS = {k: f"{v.zh} {v.en}" for k, v in TIER_TERMS.items()}
#: The 第11条 criteria, by bit.
CRITERION_TERMS = {LONG_TERM: Label("长险标准保费", "long-term premium"),
                   HEALTH: Label("健康险保费", "health premium"),
                   NON_HEALTH: Label("非健康险保费", "non-health premium")}
#: Service types of 第17–18条 (keys of ``policy.service_times``).
SERVICE_TYPE_TERMS = {
    "policy_issuance": Label("出单", "policy issuance"),
    "policy_change": Label("保全", "policy change"),
    "simple_information_change": Label("简单信息变更", "simple information change"),
    "claim_ordinary": Label("普通理赔", "claim, ordinary"),
    "claim_investigated": Label("调查理赔", "claim, investigated"),
    "hotline_enquiry": Label("专线咨询", "hotline enquiry"),
    "hotline_complaint": Label("专线投诉", "hotline complaint"),
}
#: The four satisfaction levels of 第35条, best first.
ANSWER_LEVEL_TERMS = {"very_satisfied": Label("非常满意", "very satisfied"),
                      "satisfied": Label("满意", "satisfied"), "average": Label("一般", "average"),
                      "dissatisfied": Label("不满意", "dissatisfied")}
SERVICE_TYPES = {k: v.zh for k, v in SERVICE_TYPE_TERMS.items()}
ANSWER_LEVELS = {k: v.zh for k, v in ANSWER_LEVEL_TERMS.items()}
SURVEYORS = {"head_office": "总公司", "branch": "分公司"}
COMPLAINT_ROLES = {"back_office": "后线", "salesperson": "业务员"}
EXECUTIVE_ROLES = {"gm_office": "总经理室", "department_head": "部门负责人",
                   "branch_head": "分公司团险负责人"}
#: The six head-office departments named in 第24条 (the text adds "等": the count is a parameter).
HEAD_OFFICE_DEPARTMENTS = ["客户资源部", "业务管理部", "市场营销部", "中介拓展部", "综合开拓部",
                           "健康险部"]
#: Who pays a service cost (第26条).
PAYER_TERMS = {"head_office": Label("总公司", "head office"), "branch": Label("分公司", "branch")}
PAYER_LABELS = {k: f"{v.zh} {v.en}" for k, v in PAYER_TERMS.items()}

#: Delivered VIP services of the delivery table (附件二/附件四): keys are the service catalogue's
#: names (``service_catalogue`` of the policy, 第18–19条); ``revisit`` is read as the catalogue's
#: revisit entry of the customer's tier.
DELIVERY_SERVICE_TERMS = {
    "revisit": Label("回访", "revisit"),
    "revisit_gold": Label("定期回访（金牌）", "revisit, Gold"),
    "revisit_silver": Label("定期回访（银牌）", "revisit, Silver"),
    "birthday_first_object": Label("生日祝贺（第一服务对象）", "birthday, first key person"),
    "birthday_second_object": Label("生日祝贺（第二服务对象）", "birthday, second key person"),
    "festival_gifts": Label("节日问候", "festival greeting"),
    "monthly_mailing": Label("寄送公司资料", "monthly mailing"),
    "policy_report": Label("保单报告书", "half-yearly policy report"),
    "satisfaction_survey": Label("满意度调查", "satisfaction survey"),
    "health_check": Label("高级体检", "health check"),
    "club_event": Label("俱乐部交流活动", "club event"),
    "study_tour": Label("学习考察", "study tour"),
    "celebration_gift": Label("庆典贺礼", "celebration"),
    "hospital_visit": Label("病期探访", "hospital visit"),
}
DELIVERY_SERVICES = {k: v.zh for k, v in DELIVERY_SERVICE_TERMS.items()}
#: Calls of the VIP hotline (第18条 2①, 附件五).
HOTLINE_KIND_TERMS = {"enquiry": Label("咨询", "enquiry"), "complaint": Label("投诉", "complaint")}
HOTLINE_KINDS = {k: v.zh for k, v in HOTLINE_KIND_TERMS.items()}
#: Banner of every page and sheet built on a seeded sample instead of a user's table.
SAMPLE_BANNER = "SAMPLE DATA / 样本数据"

#: Glossary of the columns of every table the package reads or writes: name → label.
COLUMN_TERMS = {
    # customer table (portfolio)
    "customer_id": Label("客户号", "customer id"),
    "name": Label("客户名称", "customer name"),
    "branch": Label("机构", "branch"),
    "branch_class": Label("机构类别", "branch class"),
    "effective_years": Label("有效投保年度", "effective insured years", "年 years"),
    "is_new": Label("本年新客户", "new this year"),
    "long_term_std_premium": Label("长险标准保费", "long-term standard premium", "元/年 CNY/yr"),
    "health_premium": Label("健康险实收保费", "health received premium", "元/年 CNY/yr"),
    "health_loss_ratio": Label("健康险赔付率", "health loss ratio", "%"),
    "non_health_premium": Label("非健康险实收保费", "non-health received premium", "元/年 CNY/yr"),
    "non_health_loss_ratio": Label("非健康险赔付率", "non-health loss ratio", "%"),
    "profit_margin": Label("利润率", "profit margin", "%"),
    "underwriting_profit": Label("承保利润", "underwriting profit", "元/年 CNY/yr"),
    "first_service_objects": Label("第一服务对象人数", "first key persons", "人 persons"),
    "second_service_objects": Label("第二服务对象人数", "second key persons", "人 persons"),
    "standard_premium": Label("标准保费", "standard premium (supplied)", "元/年 CNY/yr"),
    # branch table
    "silver_capacity": Label("银牌名额", "Silver places", "名 places"),
    # scored and tiered table
    "standard_premium_used": Label("标准保费规模", "standard premium used", "元/年 CNY/yr"),
    "premium_coef": Label("保费规模系数", "premium coefficient"),
    "loyalty_coef": Label("忠诚度系数", "loyalty coefficient"),
    "profit_coef": Label("利润贡献系数", "profit coefficient"),
    "k1": Label("K1", "K1"),
    "k2": Label("K2", "K2"),
    "value_index": Label("客户价值指标", "value index"),
    "tier": Label("层级", "tier"),
    "tier_rank": Label("排名", "rank"),
    "gold_pool": Label("金牌名额类别", "Gold pool"),
    "criteria": Label("入围标准", "criteria met"),
    "reason": Label("说明", "reason"),
}


def label(key: str, lang: str = "zh", table: dict[str, Label] | None = None) -> str:
    """The reader's word for ``key``: a column, tier, service type or answer level.

    Parameters
    ----------
    key : str
        English key, e.g. ``"value_index"``, ``"gold"``, ``"claim_ordinary"``.
    lang : {"zh", "en"}
        Output language.
    table : dict, optional
        One of the ``*_TERMS`` maps; by default columns, then tiers, services and levels.

    Returns
    -------
    str
        The label, with its unit in brackets where it has one; ``key`` itself if unknown.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    tables = [table] if table is not None else [COLUMN_TERMS, TIER_TERMS, SERVICE_TYPE_TERMS,
                                                ANSWER_LEVEL_TERMS, PAYER_TERMS]
    for t in tables:
        if key in t:
            term = t[key]
            text = term.zh if lang == "zh" else term.en
            return f"{text} [{term.unit}]" if term.unit else text
    return key


def glossary_markdown() -> str:
    """The column glossary (``docs/glossary.md``): name, Chinese and English label, unit."""
    lines = ["# Glossary of columns", "",
             "Every column the package reads or writes, from `tiermodel/vocabulary.py` "
             "(regenerate with `python -m tiermodel.vocabulary > docs/glossary.md`).", "",
             "| column | 中文 | English | unit |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {t.zh} | {t.en} | {t.unit} |" for name, t in COLUMN_TERMS.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(glossary_markdown(), end="")
