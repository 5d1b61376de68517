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


#: Kinds of a table column: how the present layer converts and formats it (workbook and HTML alike).
#: ``amount`` CNY (shown in 万元 or 元), ``share`` a fraction shown as %, ``count`` an integer with
#: separators, ``year`` a calendar year (no separator), ``index`` a coefficient or value index to
#: fixed decimals, ``number`` any other quantity, ``date``, ``flag`` (是/否) and ``text``.
COLUMN_KINDS = ("amount", "share", "count", "year", "index", "number", "date", "flag", "text")


class Label(NamedTuple):
    """A reader's word: Chinese, English, the unit ("zh en", e.g. ``"元/年 CNY/yr"``), the
    column kind (one of :data:`COLUMN_KINDS`) and, for numbers, the decimals shown."""

    zh: str
    en: str
    unit: str = ""
    kind: str = "text"
    decimals: int | None = None


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
    "claim_ordinary": Label("一般理赔案件", "claim, ordinary case"),
    "claim_investigated": Label("调查案件", "claim, investigated case"),
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

#: Decimals a value index is shown to (its kernel rounds to 10; the coefficients are in 0.05 steps).
VALUE_INDEX_DECIMALS = 4

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
    # offers of the 第19条 invitation services: the customer decides whether to attend
    # (counted against the minimum per delivery_rules.invitation_count / health_check_count)
    "health_check_offer": Label("高级体检邀约", "health check offered"),
    "club_event_invitation": Label("俱乐部活动邀请", "club event invitation"),
    "study_tour_invitation": Label("学习考察邀请", "study tour invitation"),
    "celebration_gift": Label("庆典贺礼", "celebration"),
    "hospital_visit": Label("病期探访", "hospital visit"),
}
DELIVERY_SERVICES = {k: v.zh for k, v in DELIVERY_SERVICE_TERMS.items()}
#: Calls of the VIP hotline (第18条 2①, 附件五).
HOTLINE_KIND_TERMS = {"enquiry": Label("咨询", "enquiry"), "complaint": Label("投诉", "complaint")}
HOTLINE_KINDS = {k: v.zh for k, v in HOTLINE_KIND_TERMS.items()}
#: Banner of every page and sheet built on a seeded sample instead of a user's table: in the
#: reader's language, ``TEXT_TERMS["sample_mark"]`` (this pair is for logs read by both).
SAMPLE_BANNER = "SAMPLE DATA / 样本数据"

#: Glossary of the columns of every table the package reads or writes: name → label.
COLUMN_TERMS = {
    # customer table (portfolio)
    "customer_id": Label("客户号", "customer id"),
    "name": Label("客户名称", "customer name"),
    "branch": Label("机构", "branch"),
    "branch_class": Label("机构类别", "branch class"),
    "effective_years": Label("有效投保年度", "effective insured years", "年 years", "count"),
    "is_new": Label("本年新客户", "new this year", kind="flag"),
    "long_term_std_premium": Label("长险标准保费", "long-term standard premium", "元/年 CNY/yr", "amount"),
    "health_premium": Label("健康险实收保费", "health received premium", "元/年 CNY/yr", "amount"),
    "health_loss_ratio": Label("健康险赔付率", "health loss ratio", "%", "share", 1),
    "non_health_premium": Label("非健康险实收保费", "non-health received premium", "元/年 CNY/yr", "amount"),
    "non_health_loss_ratio": Label("非健康险赔付率", "non-health loss ratio", "%", "share", 1),
    "profit_margin": Label("利润率", "profit margin", "%", "share", 1),
    "underwriting_profit": Label("承保利润", "underwriting profit", "元/年 CNY/yr", "amount"),
    "first_service_objects": Label("第一服务对象人数", "first key persons", "人 persons", "count"),
    "second_service_objects": Label("第二服务对象人数", "second key persons", "人 persons", "count"),
    "standard_premium": Label("标准保费", "standard premium (supplied)", "元/年 CNY/yr", "amount"),
    # branch table
    "silver_capacity": Label("银牌名额", "Silver places", "名 places", "count"),
    # scored and tiered table
    "standard_premium_used": Label("标准保费规模", "standard premium used", "元/年 CNY/yr", "amount"),
    "premium_coef": Label("标准保费规模折算系数", "premium conversion coefficient", kind="index", decimals=2),
    "loyalty_coef": Label("客户忠诚度折算系数", "loyalty conversion coefficient", kind="index", decimals=2),
    "profit_coef": Label("利润贡献度折算系数", "profit conversion coefficient", kind="index", decimals=2),
    "k1": Label("K1", "K1", kind="index", decimals=2),
    "k2": Label("K2", "K2", kind="index", decimals=2),
    "value_index": Label("客户价值指标", "value index", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "tier": Label("层级", "tier"),
    "tier_rank": Label("排名", "rank", kind="count"),
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
            return f"{text} [{unit_word(term.unit, lang)}]" if term.unit else text
    return key


# ----------------------------------------------------------------------------- result tables
# The columns of the tables the analyses export (their ``.tables()``), for the present layer.
# A column ending in ``_cny`` is an amount in 元: its label is the stem's (``gold_cny`` → 金牌).
_L = Label
COLUMN_TERMS.update({
    # tier list
    "gold_eligible": _L("金牌资格", "Gold-eligible", kind="flag"),
    "silver_eligible": _L("银牌资格", "Silver-eligible", kind="flag"),
    "gold_criteria": _L("金牌入围标准", "Gold criteria met"),
    "silver_criteria": _L("银牌入围标准", "Silver criteria met"),
    "gold_rank": _L("金牌排名", "Gold rank", kind="count"),
    "branch_rank": _L("机构内排名", "rank in branch", kind="count"),
    "gold": _L("金牌", "Gold", "户 customers", "count"),
    "silver": _L("银牌", "Silver", "户 customers", "count"),
    "regular": _L("普通", "Regular", "户 customers", "count"),
    "total": _L("合计", "total", "户 customers", "count"),
    "silver_places": _L("银牌名额", "Silver places", "名 places", "count"),
    "note": _L("说明", "note"),
    # assumptions register (policy.describe)
    "path": _L("参数", "parameter"),
    "parameter_path": _L("参数路径", "parameter path"),
    "label_zh": _L("中文名称", "Chinese name"),
    "label_en": _L("英文名称", "English name"),
    "source": _L("出处", "source"),
    "scenario": _L("情景", "scenario"),
    "assumption_reason": _L("理由", "reason"),
    "value": _L("取值", "value"),
    "kind": _L("性质", "kind"),
    "provenance": _L("依据", "provenance"),
    # calibration (第11条 thresholds)
    "table": _L("附表", "table"),
    "edges": _L("分档来源", "band edges"),
    "band": _L("档次", "band", kind="count"),
    "lower_edge": _L("下限", "lower edge", kind="number", decimals=2),
    "coefficient": _L("系数", "coefficient", kind="index", decimals=2),
    "share": _L("占比", "share", kind="share", decimals=1),
    "group": _L("组别", "group"),
    "method": _L("方法", "method"),
    "target": _L("目标人数", "target", "户 customers", "count"),
    "current": _L("现行人数", "current", "户 customers", "count"),
    "achieved": _L("达到人数", "achieved", "户 customers", "count"),
    "scale": _L("缩放系数", "scale factor", kind="number", decimals=4),
    "message": _L("说明", "message"),
    "customers": _L("客户数", "customers", "户 customers", "count"),
    "silver_candidates": _L("银牌候选", "Silver candidates", "户 customers", "count"),
    "criteria met": _L("入围标准", "criteria met"),
    "pool": _L("名额类别", "pool"),
    "candidates": _L("候选人数", "candidates", "户 customers", "count"),
    "places": _L("名额", "places", "名 places", "count"),
    "excess": _L("超出名额", "candidates over places", "户 customers", "count"),
    "candidates_per_place": _L("每名额候选数", "candidates per place", kind="number", decimals=2),
    "last_gold_id": _L("末位金牌客户号", "last Gold customer id"),
    "last_gold_value_index": _L("末位金牌价值指标", "last Gold value index", kind="index",
                                decimals=VALUE_INDEX_DECIMALS),
    "first_out_id": _L("首位落选客户号", "first customer out"),
    "first_out_value_index": _L("首位落选价值指标", "first-out value index", kind="index",
                                decimals=VALUE_INDEX_DECIMALS),
    "margin": _L("差距", "margin", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "tied_at_cut": _L("切线处并列", "tied at the cut", "户 customers", "count"),
    "change": _L("变化", "change"),
    "rank_before": _L("原排名", "rank before", kind="count"),
    "rank_after": _L("新排名", "rank after", kind="count"),
    "value_index_before": _L("原价值指标", "value index before", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "value_index_after": _L("新价值指标", "value index after", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "parameter": _L("参数", "parameter"),
    "old": _L("原值", "old value", kind="number", decimals=2),
    "new": _L("新值", "new value", kind="number", decimals=2),
    "meets": _L("满足目标", "target met"),
    # sensitivity (weights and K)
    "list": _L("名单", "list"),
    "status": _L("状态", "status"),
    "baseline_tier": _L("现行层级", "tier under the policy"),
    "p_gold": _L("金牌概率", "odds of Gold", kind="share", decimals=1),
    "p_silver": _L("银牌概率", "odds of Silver", kind="share", decimals=1),
    "p_regular": _L("普通概率", "odds of Regular", kind="share", decimals=1),
    "p_in": _L("入选概率", "odds of staying in", kind="share", decimals=1),
    "step": _L("步", "step", kind="count"),
    "relative": _L("相对现行", "relative to policy", "倍 ×", "number", 2),
    "gold_count": _L("金牌人数", "Gold count", "户 customers", "count"),
    "gold_jaccard": _L("金牌名单重合度", "Gold list overlap (Jaccard)", kind="number", decimals=3),
    "gold_swaps": _L("金牌更替", "Gold swaps", "户 customers", "count"),
    "silver_count": _L("银牌人数", "Silver count", "户 customers", "count"),
    "silver_change": _L("银牌增减", "Silver change", "户 customers", "count"),
    "silver_jaccard": _L("银牌名单重合度", "Silver list overlap (Jaccard)", kind="number", decimals=3),
    "kendall_tau": _L("排序相关 τ", "Kendall τ", kind="number", decimals=3),
    "budget": _L("服务预算", "service budget", "元/年 CNY/yr", "amount"),
    "budget_change": _L("预算变化", "budget change", "元/年 CNY/yr", "amount"),
    "budget_change_low": _L("预算变化·低值", "budget change, low", "元/年 CNY/yr", "amount"),
    "budget_change_high": _L("预算变化·高值", "budget change, high", "元/年 CNY/yr", "amount"),
    "output": _L("输出", "output"),
    "input": _L("输入", "input"),
    "first_order": _L("一阶指数", "first-order index", kind="number", decimals=3),
    "first_low": _L("一阶下限", "first-order, low", kind="number", decimals=3),
    "first_high": _L("一阶上限", "first-order, high", kind="number", decimals=3),
    "total_order": _L("总效应指数", "total-order index", kind="number", decimals=3),
    "total_low": _L("总效应下限", "total-order, low", kind="number", decimals=3),
    "total_high": _L("总效应上限", "total-order, high", kind="number", decimals=3),
    "low": _L("低值", "low", kind="number", decimals=2),
    "high": _L("高值", "high", kind="number", decimals=2),
    "gold_swaps_low": _L("金牌更替·低值", "Gold swaps, low", "户 customers", "count"),
    "gold_swaps_high": _L("金牌更替·高值", "Gold swaps, high", "户 customers", "count"),
    "silver_change_low": _L("银牌增减·低值", "Silver change, low", "户 customers", "count"),
    "silver_change_high": _L("银牌增减·高值", "Silver change, high", "户 customers", "count"),
    "max_gold_swaps": _L("金牌最多更替", "most Gold swaps", "户 customers", "count"),
    "min_kendall_tau": _L("最小排序相关 τ", "lowest Kendall τ", kind="number", decimals=3),
    "w_premium": _L("保费规模权重", "premium weight", kind="share", decimals=0),
    "w_loyalty": _L("忠诚度权重", "loyalty weight", kind="share", decimals=0),
    "w_profit": _L("利润贡献权重", "profit weight", kind="share", decimals=0),
    # budget (附件七) and forecast
    "label": _L("服务项目", "service"),
    "article": _L("条款", "article"),
    "basis": _L("计费单位", "basis"),
    "unit_cost": _L("单价", "unit cost", "元 CNY", "amount", 4),
    "quantity": _L("数量", "quantity", kind="number", decimals=0),
    "payer": _L("承担方", "payer"),
    "cost": _L("费用", "cost", "元/年 CNY/yr", "amount"),
    "cost_per_customer": _L("户均费用", "cost per customer", "元/年 CNY/yr", "amount"),
    "head_office_cny": _L("总公司承担", "head office pays", "元/年 CNY/yr", "amount"),
    "branch_cny": _L("分公司承担", "branches pay", "元/年 CNY/yr", "amount"),
    "item": _L("项目代码", "item"),
    "vip_count_scenario": _L("人数情景", "count case"),
    "total / tier / payer": _L("合计 / 层级 / 承担方", "total / tier / payer"),
    "mean": _L("均值", "mean", "元/年 CNY/yr", "amount"),
    **{f"P{q}": _L(f"P{q}", f"P{q}", "元/年 CNY/yr", "amount") for q in (5, 10, 25, 50, 75, 90, 95, 99)},
    "gold_mean": _L("金牌平均人数", "Gold, mean count", "户 customers", "number", 1),
    "silver_mean": _L("银牌平均人数", "Silver, mean count", "户 customers", "number", 1),
    "year": _L("年度", "year", kind="year"),
    "revisits_needed": _L("需回访次数", "revisits needed", "次 visits", "count"),
    "branch_head_quota": _L("分公司负责人配额", "branch head's quota", "次 visits", "count"),
    "branch_head_possible": _L("分公司负责人可完成", "branch head can do", "次 visits", "count"),
    "branch_head_share": _L("分公司负责人占比", "branch head's share", kind="share", decimals=1),
    "gm_office_min": _L("总经理室最少", "GM office, min", "次 visits", "count"),
    "gm_office_max": _L("总经理室预期上限", "GM office, expected upper end", "次 visits", "count"),
    "department_heads_min": _L("部门负责人最少", "department heads, min", "次 visits", "count"),
    "department_heads_max": _L("部门负责人预期上限", "department heads, expected upper end", "次 visits", "count"),
    "branch_heads_min": _L("分公司负责人最少", "branch heads, min", "次 visits", "count"),
    "branch_silver_short": _L("银牌回访缺口", "Silver revisits short", "户 customers", "count"),
    "executive_min": _L("高管最少", "executives, min", "次 visits", "count"),
    "executive_max": _L("高管预期上限", "executives, expected upper end", "次 visits", "count"),
    "executive_share_min": _L("高管占比最低", "executives' share, min", kind="share", decimals=1),
    "executive_share_max": _L("高管占比（预期上限）", "executives' share, expected upper end", kind="share", decimals=1),
    # assessment (第17–18条, 第24–25条, 第35条, complaints)
    "person": _L("人员", "person"),
    "role": _L("角色", "role"),
    "department": _L("部门", "department"),
    "complaints": _L("投诉次数", "complaints", "次 complaints", "count"),
    "actions": _L("处理", "actions"),
    "action": _L("处理", "action"),
    "pay_deduction_total": _L("扣绩效工资合计", "performance pay deducted, total", kind="share", decimals=0),
    "pay_deduction_share": _L("扣绩效工资比例", "performance pay deducted", kind="share", decimals=0),
    "person_pay_deduction": _L("本人扣绩效工资", "own performance pay deducted", kind="share", decimals=0),
    "head_pay_deduction": _L("负责人扣绩效工资", "head's performance pay deducted", kind="share", decimals=0),
    "complaint_id": _L("投诉编号", "complaint id"),
    "complaint_date": _L("投诉日期", "complaint date", kind="date"),
    "month": _L("月份", "month"),
    "department_head": _L("部门负责人", "department head"),
    "nth": _L("当年第几次", "nth this year", kind="count"),
    "as": _L("身份", "as"),
    "events": _L("服务次数", "services", "次 services", "count"),
    "breaches": _L("超时次数", "late", "次 services", "count"),
    "compliance": _L("时效达标率", "on time", kind="share", decimals=1),
    "mean_working_days": _L("平均用时", "mean time", "工作日 working days", "number", 1),
    "service_type": _L("服务类型", "service type"),
    "limit_days": _L("时限", "time limit", "工作日 working days", "count"),
    "working_days": _L("用时", "time taken", "工作日 working days", "count"),
    "excess_days": _L("超时", "days late", "工作日 working days", "count"),
    "event_id": _L("服务编号", "service id"),
    "start_date": _L("受理日期", "start date", kind="date"),
    "end_date": _L("完成日期", "end date", kind="date"),
    "executive_id": _L("高管编号", "executive id"),
    "gold_customers": _L("回访金牌客户", "Gold customers revisited", "户 customers", "count"),
    "gold_min": _L("金牌最少", "Gold, min", "户 customers", "count"),
    "gold_max": _L("金牌预期上限", "Gold, expected upper end", "户 customers", "count"),
    "silver_customers": _L("回访银牌客户", "Silver customers revisited", "户 customers", "count"),
    "silver_min": _L("银牌最少", "Silver, min", "户 customers", "count"),
    "silver_max": _L("银牌预期上限", "Silver, expected upper end", "户 customers", "count"),
    "gold_shortfall": _L("金牌缺口", "Gold short", "户 customers", "count"),
    "silver_shortfall": _L("银牌缺口", "Silver short", "户 customers", "count"),
    "revisits": _L("回访次数", "revisits", "次 visits", "count"),
    "answers": _L("答卷数", "answers", "份 answers", "count"),
    "very_satisfied": _L("非常满意", "very satisfied", kind="share", decimals=1),
    "satisfied": _L("满意", "satisfied", kind="share", decimals=1),
    "average": _L("一般", "average", kind="share", decimals=1),
    "dissatisfied": _L("不满意", "dissatisfied", kind="share", decimals=1),
    "satisfied_or_better": _L("满意及以上", "satisfied or better", kind="share", decimals=1),
    "passes": _L("达标", "passes", kind="flag"),
    "head_office_weight": _L("总公司调查权重", "head-office survey weight", kind="share", decimals=0),
    "surveys": _L("调查来源", "surveys"),
    "very_satisfied_head_office": _L("非常满意（总公司调查）", "very satisfied, head-office survey",
                                     kind="share", decimals=1),
    "very_satisfied_branch": _L("非常满意（分公司调查）", "very satisfied, branch survey",
                                kind="share", decimals=1),
})

COLUMN_TERMS.update({
    "row": _L("项目", "item"),
    "criterion moved": _L("调整的标准", "criterion moved"),
    "baseline": _L("现行人数", "under the policy", "户 customers", "count"),
    "safely_in": _L("稳定入选", "safely in", "户 customers", "count"),
    "at_risk": _L("可能落选", "at risk", "户 customers", "count"),
    "contenders": _L("可能入选", "contenders", "户 customers", "count"),
    "always_in": _L("始终入选", "always in", "户 customers", "count"),
    "tiers": _L("适用层级", "tiers"),
    "per_year": _L("每年次数", "times a year", "次 times", "number", 1),
    "unit_cost_base": _L("2003年单价", "2003 unit cost", "元 CNY", "amount", 4),
    "take_up": _L("使用率", "take-up", kind="share", decimals=0),
    "variation": _L("波动", "variation"),
    "prorate": _L("按比例", "pro rata", kind="flag"),
    "branch_classes": _L("适用机构类别", "branch classes"),
    "count_case": _L("人数情景", "count case"),
    "required": _L("应回访", "required", "次 visits", "count"),
    "planned": _L("已安排", "planned", "次 visits", "count"),
    "executives": _L("高管人数", "executives", "人 persons", "count"),
    "shortfall": _L("缺口", "short", "次 visits", "count"),
})

#: Gold pools of 第13条.
POOL_TERMS = {"existing": _L("已承保客户", "existing"), "new": _L("本年新客户", "new"),
              "total": _L("合计", "total")}
#: Kinds of an assumptions-register row.
PROVENANCE_KIND_TERMS = {"sourced": _L("原文", "sourced"), "assumed": _L("假设", "assumed"),
                         "scenario": _L("情景设定", "set by scenario")}
#: Roles of complaint and revisit tables.
ROLE_TERMS = {"gm_office": _L("总经理室", "GM office"), "department_head": _L("部门负责人", "department head"),
              "branch_head": _L("分公司团险负责人", "branch head"), "back_office": _L("后线", "back office"),
              "salesperson": _L("业务员", "salesperson"),
              "department head": _L("部门负责人", "department head"),
              "person complained about": _L("被投诉人", "person complained about")}
#: Row labels that recur in result tables.
ROW_TERMS = {"total": _L("合计", "total"), "head_office": PAYER_TERMS["head_office"],
             "branch": PAYER_TERMS["branch"], **TIER_TERMS}
#: Words inside cells, by column: column → value → label (tier, pool, service, role, …).
VALUE_TERMS: dict[str, dict[str, Label]] = {
    "tier": {**TIER_TERMS, "total": ROW_TERMS["total"]}, "baseline_tier": TIER_TERMS, "list": TIER_TERMS,
    "gold_pool": POOL_TERMS, "pool": POOL_TERMS, "service_type": SERVICE_TYPE_TERMS,
    "payer": {**PAYER_TERMS, "total": ROW_TERMS["total"]}, "role": ROLE_TERMS, "as": ROLE_TERMS,
    "kind": PROVENANCE_KIND_TERMS, "status": {"assumed": PROVENANCE_KIND_TERMS["assumed"],
                                              "sourced": PROVENANCE_KIND_TERMS["sourced"],
                                              # a 附件七 service: frequency and unit cost from the
                                              # text, payer, basis and proration assumed
                                              "sourced numbers, assumed terms": _L(
                                                  "次数与单价出自原文，其余为假设", "sourced numbers, assumed terms"),
                                              # page 03: on the edge of a list as weights and K vary
                                              "at_risk": _L("可能落选", "at risk"),
                                              "contender": _L("可能入选", "contender")},
    "total / tier / payer": ROW_TERMS, "row": ROW_TERMS, "branch_class": {"total": ROW_TERMS["total"]},
    "branch": {"total": ROW_TERMS["total"]},
    # page 02 (calibrate): groups, methods, the Gold list's moves, the band edges compared
    "group": {"gold": _L("金牌", "Gold"), **{c: _L(f"银牌（{c}类机构）", f"Silver, class {c}") for c in BRANCH_CLASSES}},
    "method": {"scale": _L("三项保费标准同比例调整", "one factor on all three"),
               "long_term": _L("长险标准保费", "long-term standard premium"),
               "health": _L("健康险保费", "health premium"), "non_health": _L("非健康险保费", "non-health premium")},
    "criterion moved": {"long_term": _L("长险标准保费", "long-term standard premium"),
                        "health": _L("健康险保费", "health premium"),
                        "non_health": _L("非健康险保费", "non-health premium")},
    "change": {"enters_gold": _L("新进金牌", "enters Gold"), "leaves_gold": _L("退出金牌", "leaves Gold"),
               # a customer's move against last year (compare.changes.CHANGE_KINDS)
               "same": _L("不变", "same"), "up": _L("升级", "up"), "down": _L("降级", "down"),
               "joined": _L("新加入", "joined"), "left": _L("已离开", "left")},
    # the measured churn pooled over every pair of years (compare.cycle.measured_churn)
    "from_year": {"all": _L("各年合计", "all years")}, "to_year": {"all": _L("各年合计", "all years")},
    "edges": {"assumed": _L("假设分档", "assumed"), "fitted": _L("拟合分档", "fitted")},
    # pages 03 and 08 (sensitivity): Sobol inputs and outputs, the Gold odds, the named tables
    "input": {"weight premium": _L("保费权重", "weight premium"), "weight loyalty": _L("忠诚度权重", "weight loyalty"),
              "weight profit × K2": _L("利润权重 × K2", "weight profit × K2"),
              **{f"K1 year {y}": _L(f"K1（第{y}年{'及以后' if y == '4+' else ''}）".replace("4+", "4"), f"K1 year {y}")
                 for y in ("1", "2", "3", "4+")},
              "附表1 premium": _L("附表1 标准保费规模折算系数", "附表1 premium"),
              "附表2 loyalty": _L("附表2 客户忠诚度折算系数", "附表2 loyalty"),
              "附表3 profit": _L("附表3 利润贡献度折算系数", "附表3 profit"),
              "weights and K1/K2": _L("权重与K1/K2", "weights and K1/K2")},
    "output": {"gold_jaccard": _L("金牌名单重合度", "Gold list overlap (Jaccard)"),
               "silver_jaccard": _L("银牌名单重合度", "Silver list overlap (Jaccard)")},
    "gold_status": {"robust core": _L("稳定金牌", "robust core"), "contested": _L("存在争议", "contested"),
                    "rarely Gold": _L("偶尔金牌", "rarely Gold"), "never Gold": _L("从未金牌", "never Gold")},
    "member": {"assumed": _L("假设附表", "assumed tables"), "quantile-fitted": _L("按分位数拟合的附表", "quantile-fitted tables"),
               "bracket low": _L("下边界附表", "bracket low"), "bracket high": _L("上边界附表", "bracket high")},
    "case": {**{"assumed": _L("假设附表", "assumed tables"), "quantile-fitted": _L("按分位数拟合的附表", "quantile-fitted tables"),
               "bracket low": _L("下边界附表", "bracket low"), "bracket high": _L("上边界附表", "bracket high")},
             **{f"draws {s}": _L(f"抽样附表{w}", f"draws, {e}") for s, w, e in
                (("mean", "均值", "mean"), ("p5", "P5", "P5"), ("p50", "P50", "P50"), ("p95", "P95", "P95"),
                 ("min", "最小值", "minimum"), ("max", "最大值", "maximum"))}},
    "surveys": {"head_office_and_branch": _L("总公司与分公司调查", "head office and branch"),
                "head_office_only": _L("仅总公司调查", "head office only"),
                "branch_only": _L("仅分公司调查", "branch only")},
}
#: Words of parameter values (``params/policy-2003.yaml``) as a reader sees them: readings,
#: methods and the fields of a catalogue or count-case value. Keyed by the word in the file.
PARAMETER_VALUE_TERMS = {
    # fields of a table value
    "breaks": _L("分档边界", "band edges"), "coefficients": _L("系数", "coefficients"),
    "basis": _L("计费单位", "basis"), "payer": _L("承担方", "payer"), "tiers": _L("适用层级", "tiers"),
    "per_year": _L("每年次数", "times a year"), "unit_cost_cny": _L("单价（元）", "unit cost (CNY)"),
    "take_up": _L("使用比例", "take-up"), "variation": _L("随机变动", "variation"),
    "prorate": _L("按服务月数折算", "prorated by service months"),
    "branch_classes": _L("适用分公司类别", "branch classes"),
    "regular_days": _L("常规客户（工作日）", "regular (working days)"),
    "vip_days": _L("VIP客户（工作日）", "VIP (working days)"),
    "vip_extra_large_days": _L("特大型VIP客户（工作日）", "extra-large VIP (working days)"),
    "gold_churn": _L("金牌流失率", "Gold churn"), "gold_new": _L("金牌新增率", "Gold new"),
    "silver_churn": _L("银牌流失率", "Silver churn"), "silver_new": _L("银牌新增率", "Silver new"),
    # words of a value
    "gold": _L("金牌", "Gold"), "silver": _L("银牌", "Silver"),
    "head_office": _L("总公司", "head office"), "branch": _L("分公司", "branch"),
    "company": _L("全公司", "company"), "customer": _L("每家客户", "customer"),
    "event": _L("每次事件", "event"), "first_object": _L("第一服务对象", "first service object"),
    "second_object": _L("第二服务对象", "second service object"),
    "service_object": _L("服务对象", "service object"),
    "none": _L("无", "none"), "poisson": _L("泊松分布", "Poisson"),
    "participation": _L("按比例参加", "participation"),
    "around": _L("围绕假设表抽取", "around the assumed tables"),
    "between": _L("在上下边界表之间抽取", "between the bracketing tables"),
    "fixed": _L("固定", "fixed"), "varied": _L("可变", "varied"),
    "log": _L("对数", "log"), "linear": _L("线性", "linear"),
    "value_index_then_standard_premium_then_customer_id": _L(
        "先比价值指数，再比标准保费，最后比客户号", "value index, then standard premium, then customer id"),
    "same_tier_unless_new": _L("老客户保持原层级，新客户为常规", "same tier unless new"),
    "at_least_months_ahead": _L("至少提前", "at least months ahead"),
    "official_calendar_from_day_after_start": _L("按法定节假日安排，从次日起算",
                                                 "official calendar, from the day after the start"),
    "flagged_per_service_event": _L("按服务记录中的标记", "flagged per service event"),
    "minimum_with_expected_upper_end": _L("下限为最低要求，上限为预期", "minimum, upper end expected"),
    "cumulative": _L("累计", "cumulative"), "literal": _L("按字面", "literal"),
    "survey_blend": _L("两项调查加权合并", "survey blend"),
    "calendar_year": _L("自然年度", "calendar year"), "all_time": _L("不分期间", "all time"),
    "regular": _L("常规", "regular"), "round": _L("四舍五入", "round"), "repeat_last": _L("重复最后一步", "repeat the last step"),
    "base": _L("基准", "base"), "high_churn": _L("高流失", "high churn"), "growth": _L("增长", "growth"),
    "ceil": _L("向上取整", "round up"), "floor": _L("向下取整", "round down"),
    "invitation": _L("按邀请计", "invitations"), "attendance": _L("按参加计", "attendance"),
    "offer": _L("按提供计", "offered"), "mean_rank": _L("名次平均", "mean rank"),
    "public criticism": _L("通报批评", "public criticism"), "job rotation": _L("调离岗位", "job rotation"),
    "warning": _L("警告", "warning"),
    "loses the right to serve the customer": _L("取消服务该客户的资格", "loses the right to serve the customer"),
}
#: Columns whose cells name 第11条 criteria joined by " + " (``tiers.criteria_label``).
CRITERIA_COLUMNS = ("gold_criteria", "silver_criteria", "criteria", "criteria met")
#: Flag cells (是/否).
FLAG_TERMS = {True: _L("是", "yes"), False: _L("否", "no")}


class TableLabel(NamedTuple):
    """A result table's sheet/page name (≤ 28 characters), one line on what it holds, what
    its rows are (for "showing 15 of 40 branches"), and column kinds that differ from the
    glossary's in this table (e.g. ``gold`` is an amount in a budget by payer)."""

    zh: str
    en: str
    about_zh: str = ""
    about_en: str = ""
    rows_zh: str = "行"
    rows_en: str = "rows"
    kinds: dict | None = None


_AMOUNTS = {"gold": "amount", "silver": "amount", "total": "amount"}
#: Result tables by their ``.tables()`` key.
TABLE_TERMS = {
    "tier counts by class": TableLabel("各类机构分层人数", "Tier counts by class",
                                       "金牌、银牌、普通客户数，按机构类别（第11–13条）",
                                       "Gold, Silver and Regular customers by branch class (第11–13条)",
                                       "类", "classes"),
    "cut lines": TableLabel("名单切线", "Cut lines",
                            "进入各名单的最后一家客户的价值指标（第12–13条）",
                            "Value index of the last customer admitted to each list (第12–13条)",
                            "条切线", "cut lines"),
    "tier counts by branch": TableLabel("各机构分层人数", "Tier counts by branch",
                                        "各机构金牌、银牌、普通客户数与银牌名额",
                                        "Gold, Silver and Regular customers and Silver places by branch",
                                        "家机构", "branches"),
    "tier list": TableLabel("客户层级名单", "Tier list",
                            "每位客户的层级、价值指标及其每一项、入围标准与说明；可作为下一年度的客户表或上年名单读回",
                            "Every customer's tier, value index and its parts, criteria and reason; reads back "
                            "as next year's customer table or as last year's list", "户", "customers"),
    "gold list": TableLabel("金牌客户名单", "Gold list",
                            "金牌客户及其价值指标的每一项（第10、13条）",
                            "Gold customers with every component of the value index (第10, 13条)",
                            "户", "customers"),
    "vip list": TableLabel("VIP客户名单", "VIP list", "全部金牌、银牌客户，按层级、机构、排名",
                           "Every Gold and Silver customer by tier, branch and rank", "户", "customers"),
    "notes": TableLabel("选拔说明", "Selection notes", "名额未满等说明", "Places left empty and other notes",
                        "条", "notes"),
    "assumptions": TableLabel("假设清单", "Assumptions", "本次运行采用的全部假设及理由（不截断）",
                              "Every assumption in force and its reason, in full", "项", "assumptions"),
    "candidates": TableLabel("候选人数", "Candidates", "按机构类别的候选与名额", "Candidates and places by class",
                             "类", "classes"),
    "criteria overlap": TableLabel("入围标准重叠", "Criteria overlap", "满足各入围标准组合的人数",
                                   "Customers by combination of criteria met", "种", "combinations"),
    "gold pool": TableLabel("金牌候选池", "Gold pool", "金牌候选与名额", "Gold candidates against places",
                            "类", "pools"),
    "gold cut margin": TableLabel("金牌切线差距", "Gold cut margin", "末位金牌与首位落选者的价值指标差距",
                                  "Value-index margin between the last Gold and the first out", "类", "pools"),
    "calibration": TableLabel("门槛校准", "Calibration", "为达到目标人数求出的门槛",
                              "Thresholds solved for the targets", "组", "groups"),
    "threshold changes": TableLabel("门槛变化", "Threshold changes", "各门槛的原值与新值",
                                    "Each threshold's old and new value", "项", "thresholds"),
    "scenario changes": TableLabel("情景变化", "Scenario changes", "校准情景文件中的全部变化",
                                   "Every change in the calibrated scenario", "项", "changes"),
    "band shares": TableLabel("附表分档占比", "Band shares", "附表1–3各档的客户占比",
                              "Share of customers in each 附表1–3 band", "档", "bands"),
    "gold list change": TableLabel("金牌名单变化", "Gold list change", "校准后进出金牌的客户",
                                   "Customers entering or leaving Gold after calibration", "户", "customers"),
    "one at a time": TableLabel("单因素敏感性", "One at a time", "逐一改变权重与K系数的结果",
                                "Each weight and K factor varied on its own", "点", "points"),
    "tornado": TableLabel("龙卷风图数据", "Tornado", "各参数高低值对名单与预算的影响",
                          "Effect of each parameter's low and high value", "项", "parameters"),
    "weight simplex": TableLabel("权重组合", "Weight simplex", "三项权重全部组合下的名单变化",
                                 "List changes over every weight combination", "点", "points"),
    "sobol indices": TableLabel("Sobol指数", "Sobol indices", "各参数对名单变化的贡献",
                                "Each parameter's share of the list's variation", "项", "rows"),
    "membership odds": TableLabel("入选概率", "Membership odds", "各候选客户成为金牌或银牌的概率",
                                  "Each candidate's odds of Gold or Silver", "户", "customers"),
    "borderline": TableLabel("边缘客户", "Borderline", "名单边缘的客户", "Customers on the edge of a list",
                             "户", "customers"),
    "附件七 annex 7": TableLabel("附件七服务费用", "Annex 7 service costs",
                          "重建（原表缺失）：按附件七标题（VIP客户年度服务投入测算表）重建的各服务项目年度费用",
                          "Reconstructed — original lost: yearly cost of each service item under the 附件七 title "
                          "「VIP客户年度服务投入测算表」", "项", "items"),
    "budget by tier": TableLabel("按层级预算", "Budget by tier", "各层级服务费用", "Service cost by tier",
                                 "级", "tiers"),
    "budget by payer": TableLabel("按承担方预算", "Budget by payer", "总公司与分公司承担的费用",
                                  "Cost paid by head office and branches", "方", "payers", _AMOUNTS),
    "budget by branch": TableLabel("按机构预算", "Budget by branch", "各机构服务费用", "Service cost by branch",
                                   "家机构", "branches"),
    "forecast summary": TableLabel("预算预测", "Forecast summary", "年度费用的均值与分位数（P50/P90/P95）",
                                   "Yearly cost: mean and percentiles (P50/P90/P95)", "行", "rows"),
    "forecast by branch": TableLabel("各机构预算预测", "Forecast by branch", "各机构年度费用分位数",
                                     "Yearly cost percentiles by branch", "家机构", "branches"),
    "forecast path": TableLabel("多年预算预测", "Forecast path", "未来各年费用分位数",
                                "Cost percentiles in the coming years", "年", "years"),
    "count scenarios": TableLabel("人数情景", "Count cases", "不同VIP人数情景下的费用",
                                  "Cost under each VIP count case", "种", "cases"),
    "revisit load": TableLabel("回访工作量", "Revisit load", "各层级所需回访与高管配额（第24–25条）",
                               "Revisits needed and executives' quotas by tier (第24–25条)", "级", "tiers"),
    "revisit load by branch": TableLabel("各机构回访工作量", "Revisit load by branch", "各机构所需回访",
                                         "Revisits needed by branch", "家机构", "branches"),
    "compliance by type": TableLabel("各类服务时效", "Compliance by type", "各服务类型的时效达标率（第17–18条）",
                                     "On-time share by service type (第17–18条)", "行", "rows"),
    "compliance by branch": TableLabel("各机构服务时效", "Compliance by branch", "各机构的时效达标率",
                                       "On-time share by branch", "行", "rows"),
    "service breaches": TableLabel("超时服务", "Service breaches", "超过时限的每一次服务",
                                   "Every service that missed its time limit", "次", "services"),
    "satisfaction by tier": TableLabel("各层级满意度", "Satisfaction by tier", "各层级满意度（第35条）",
                                       "Satisfaction by tier (第35条)", "级", "tiers"),
    "satisfaction weighted": TableLabel("加权满意度", "Satisfaction weighted", "总公司与分公司调查加权的满意度",
                                        "Satisfaction weighting the head-office and branch surveys", "行", "rows"),
    "branch scorecard": TableLabel("机构客户服务考核", "Branch scorecard",
                                   "第32条：各机构服务时效、满意度、投诉与服务落实，各项单列并排名；综合名次为假设（平均名次）",
                                   "第32条: each branch's service times, satisfaction, complaints and delivery, each part "
                                   "on its own and ranked; the composite is an assumption (mean rank)", "家", "branches"),
    "complaints": TableLabel("投诉", "Complaints", "每一次投诉及处理", "Every complaint and its consequence",
                             "次", "complaints"),
    "complaints by person": TableLabel("按人员投诉", "Complaints by person", "各人员的投诉与处理",
                                       "Complaints and consequences by person", "人", "persons"),
    "pay deductions": TableLabel("扣绩效工资", "Pay deductions", "各月扣除的绩效工资比例",
                                 "Share of performance pay deducted by month", "行", "rows"),
    "revisit plan": TableLabel("回访安排", "Revisit plan", "高管回访客户的安排", "Which executive revisits whom",
                               "次", "revisits"),
    "executives quotas": TableLabel("高管回访配额", "Executives' quotas", "各高管的回访数与配额",
                                    "Each executive's revisits against the quota", "人", "executives"),
    "revisit notes": TableLabel("回访说明", "Revisit notes", "回访配额缺口说明", "Notes on quota shortfalls",
                                "条", "notes"),
}

_COUNTS = {"mean": "number", "P5": "number", "P50": "number", "P95": "number"}
TABLE_TERMS.update({
    "criterion alone": TableLabel("单一标准校准", "Criterion alone", "只调整一项标准时求出的门槛",
                                  "Thresholds solved moving one criterion alone", "组", "groups"),
    "safety": TableLabel("名单稳定性", "Safety", "权重与K变化下稳定入选、可能落选的人数",
                         "Customers safely in, at risk or contending as weights and K vary", "份", "lists"),
    "catalogue": TableLabel("服务目录", "Service catalogue", "第18–19条各服务项目的单价、频次与承担方",
                            "Unit cost, frequency and payer of each 第18–19条 service", "项", "services"),
    "count cases": TableLabel("人数情景", "Count cases", "不同VIP人数情景下的费用",
                              "Cost under each VIP count case", "种", "cases"),
    "forecast VIP count": TableLabel("VIP人数预测", "Forecast VIP count", "预测年度金牌、银牌人数的均值与分位数",
                                     "Gold and Silver count in the forecast year: mean and percentiles",
                                     "级", "tiers", _COUNTS),
    "executive quotas": TableLabel("高管回访配额", "Executives' quotas", "各高管的回访数与配额",
                                   "Each executive's revisits against the quota", "人", "executives"),
    "revisit customers": TableLabel("客户回访", "Revisits by customer", "每位VIP客户应回访与已安排次数",
                                    "Revisits required and planned for each VIP customer", "户", "customers"),
    "satisfaction by branch": TableLabel("各机构满意度", "Satisfaction by branch", "各机构各层级满意度（第35条）",
                                         "Satisfaction by branch and tier (第35条)", "行", "rows"),
})

#: Words of the report pages themselves.
TEXT_TERMS = {
    "showing": _L("显示 {shown} / {total} {rows}（全部见工作簿）", "showing {shown} of {total} {rows} — all in the workbook"),
    "sample_banner": _L("样本数据 — 合成客户，不是真实业务", "SAMPLE DATA — synthetic customers, not a real book"),
    "scenario": _L("情景", "scenario"),
    "policy_as_written": _L("2003年办法原文", "the 2003 policy as written"),
    "data_source": _L("数据来源", "data source"),
    "sample_source": _L("样本数据（种子 {seed}）", "sample data (seed {seed})"),
    "run_date": _L("运行日期", "run date"),
    "amount_unit": _L("金额单位", "amounts in"),
    "contents": _L("目录", "Contents"),
    "short_tables": _L("汇总表", "Short tables"),
    "sheet": _L("工作表", "sheet"),
    "page": _L("页面", "page"),
    "holds": _L("内容", "what it holds"),
    "rows": _L("行数", "rows"),
    "decimals": _L("{column}保留{decimals}位小数", "{column} to {decimals} decimals"),
    "assumptions_count": _L("本次运行共有 {n} 项假设", "{n} assumptions in force"),
}
#: Amount units of output: ``amount_unit`` → (divisor of 元, zh unit, en unit).
AMOUNT_UNITS = {"yuan": (1, "元", "CNY"), "wan": (10_000, "万元", "10,000 CNY")}

#: Report pages by notebook number (workbook grouping, page headers).
PAGE_TERMS = {"00": _L("摘要", "Summary"), "01": _L("客户分层", "Tiers"),
              "02": _L("门槛校准", "Threshold calibration"), "03": _L("权重与K系数敏感性", "Weight and K sensitivity"),
              "04": _L("VIP服务预算", "VIP service budget"), "05": _L("服务考核", "Service assessment")}
PAGE_TERMS["08"] = _L("附表1–3不确定性", "Lost 附表1–3: table uncertainty")

# the lists under plausible 附表1–3 (sensitivity.table_draws)
COLUMN_TERMS.update({
    # a scenario's parameter changes (compare.scenario.parameter_changes)
    "base_value": _L("基准值", "base value"), "scenario_value": _L("情景值", "scenario value"),
    "robust": _L("稳定入选", "robust (≥ 95 % of draws)", "户 customers", "count"),
    "contested": _L("存在争议", "contested (5–95 %)", "户 customers", "count"),
    "baseline_not_robust": _L("现行名单中不稳定", "on the list, not robust", "户 customers", "count"),
    "newcomers": _L("常进入的名单外客户", "newcomers", "户 customers", "count"),
    "always": _L("始终入选", "always in", "户 customers", "count"),
    "mean_size": _L("平均名单人数", "mean list length", "户 customers", "number", 1),
    "member": _L("附表版本", "tables"),
    "bands": _L("档数（附表1/2/3）", "bands (附表1/2/3)"),
    "draws": _L("抽样次数", "draws", kind="count"),
    "at_least": _L("至少此数的占比", "share with at least this many", kind="share", decimals=1),
    "statistic": _L("统计量", "statistic"),
    "p_gold_low": _L("金牌概率下限", "odds of Gold, low", kind="share", decimals=1),
    "p_gold_high": _L("金牌概率上限", "odds of Gold, high", kind="share", decimals=1),
    "p_silver_low": _L("银牌概率下限", "odds of Silver, low", kind="share", decimals=1),
    "p_silver_high": _L("银牌概率上限", "odds of Silver, high", kind="share", decimals=1),
    "p_regular_low": _L("普通概率下限", "odds of Regular, low", kind="share", decimals=1),
    "p_regular_high": _L("普通概率上限", "odds of Regular, high", kind="share", decimals=1),
    "gold_status": _L("金牌稳定性", "Gold status"),
    "case": _L("情形", "case"),
    "change_share": _L("变化比例", "change", kind="share", decimals=2),
    "unit": _L("单位", "unit"),
    "upper_edge": _L("上限", "upper edge", kind="number", decimals=2),
})
TABLE_TERMS.update({
    "table assumptions": TableLabel("附表假设", "Table assumptions", "附表1–3及其可能取值范围（均为假设）",
                                    "附表1–3 and the family of plausible tables (all assumed)", "项", "values"),
    "table list summary": TableLabel("附表不确定性·名单", "Lists under plausible tables",
                                     "各名单稳定入选与存在争议的人数", "Robust and contested customers per list",
                                     "份", "lists"),
    "table members": TableLabel("附表版本对比", "Named tables", "现行、分位数拟合及上下界附表下的名单",
                                "Lists under the assumed, quantile-fitted and bracketing tables", "种", "tables"),
    "table gold swaps": TableLabel("金牌更替分布", "Gold swaps", "各抽样附表下金牌更替人数的分布",
                                   "How many draws replace how many Gold customers", "行", "rows"),
    "table draw statistics": TableLabel("抽样统计", "Draw statistics", "名单指标在抽样附表下的统计量",
                                        "List metrics over the drawn tables", "项", "statistics"),
    "table robust core": TableLabel("稳定金牌客户", "Robust core", "在≥95%的抽样附表下入选金牌的客户",
                                    "Gold in at least 95 % of the drawn tables", "户", "customers"),
    "table contested": TableLabel("争议客户", "Contested", "在5–95%的抽样附表下入选金牌的客户",
                                  "Gold in 5–95 % of the drawn tables", "户", "customers"),
    "table sobol": TableLabel("附表Sobol指数", "Sobol indices by table", "各附表（及权重与K）对名单变化的贡献",
                              "Each table's (and the weights' and K's) share of the list's variation", "项", "rows"),
    "table budget": TableLabel("附表与服务预算", "Budget under the tables", "不同附表下的附件七年度服务费用",
                               "附件七 yearly service cost under the tables", "种", "cases"),
    "table odds": TableLabel("附表不确定性·入选概率", "Odds under plausible tables",
                             "各候选客户在抽样附表下成为金牌、银牌、普通的概率",
                             "Each candidate's odds of Gold, Silver or Regular", "户", "customers"),
    "named tables": TableLabel("附表版本", "Named tables in full", "现行、拟合及上下界附表的各档",
                               "Every band of the named tables", "档", "bands"),
})



def glossary_markdown() -> str:
    """The column glossary (``docs/glossary.md``): name, Chinese and English label, unit."""
    lines = ["# Glossary of columns", "",
             "Every column the package reads or writes, from `tiermodel/vocabulary.py` "
             "(regenerate with `python -m tiermodel.vocabulary > docs/glossary.md`).", "",
             "| column | 中文 | English | unit |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {t.zh} | {t.en} | {t.unit} |" for name, t in COLUMN_TERMS.items()]
    return "\n".join(lines) + "\n"




# ----------------------------------------------------------------------------- pages 04–07
# Budget, service assessment, annual review and service delivery: page names, the tables and
# columns their pages show, and the English sentences of the analyses in Chinese.
PAGE_TERMS.update({"06": _L("年度评定", "Annual review"), "07": _L("服务落实", "Service delivery")})
_PAGE_COLUMNS = {
    "assessed_as": _L("考核层级", "assessed as"),
    "passes_literal": _L("达标（字面解读）", "passes (literal reading)", kind="flag"),
    "passes_cumulative": _L("达标（累计解读）", "passes (cumulative reading)", kind="flag"),
    "verified": _L("经核实", "verified", kind="flag"),
    "below_vip_standard": _L("VIP服务未达标", "VIP service below standard", kind="flag"),
    "misleading": _L("有误导行为", "misleading conduct", kind="flag"),
    "counts": _L("计入处理", "counts", kind="flag"),
    "gold_expected_max": _L("金牌预期上限", "Gold expected upper end", "户 customers", "count"),
    "silver_expected_max": _L("银牌预期上限", "Silver expected upper end", "户 customers", "count"),
    "shortfall_reason": _L("缺口原因", "shortfall reason"),
    "company_revisits": _L("公司回访次数", "company revisits", "次 revisits", "count"),
    "branch_head_joins": _L("分公司负责人参加", "branch head joins", "次 revisits", "count"),
    "without_executive": _L("无高管参加", "without an executive", "次 revisits", "count"),
    "service_months": _L("服务月数", "months of service", "月 months", "count"),
    "services_short": _L("未达标服务项数", "services short", "项 services", "count"),
    "deliveries_missing": _L("缺少服务次数", "deliveries missing", "次 deliveries", "count"),
    "missing": _L("缺少", "missing"),
    "actual": _L("实际费用", "actual cost", "元/年 CNY/yr", "amount"),
    "variance": _L("差异", "variance", "元/年 CNY/yr", "amount"),
    "compliance": _L("达标率", "on-time share", "%", "share", 1),
    "none": _L("未在册", "not in book", "户 customers", "count"),
    "branches": _L("机构数", "branches", "家 branches", "count"),
    "passing": _L("达标机构数", "branches passing", "家 branches", "count"),
    "assumed": _L("假设流失率", "assumed churn", "元/年 CNY/yr", "amount"),
    "measured": _L("实测流失率", "measured churn", "元/年 CNY/yr", "amount"),
    "tier_before": _L("调整前层级", "tier before"),
    "tier_after": _L("调整后层级", "tier after"),
    "approver": _L("批准人", "approver"),
    "service": _L("服务项目", "service"),
    "delivered": _L("已提供次数", "delivered", "次 times", "count"),
    "vips": _L("VIP客户数", "VIPs", "户 customers", "count"),
    "below_standard": _L("未达标客户数", "below standard", "户 customers", "count"),
    "share_below": _L("未达标占比", "share below standard", "%", "share", 1),
    "local_silver": _L("本地银牌客户数", "local Silver", "户 customers", "count"),
    "meets_quota": _L("达到配额", "meets quota", kind="flag"),
    "quarter": _L("季度", "quarter"),
    "count": _L("次数", "count", "次 times", "count"),
    "variance_share": _L("差异占比", "variance share", "%", "share", 1),
    "share_of_abs_variance": _L("占绝对差异比", "share of absolute variance", "%", "share", 1),
    "by": _L("维度", "by"),
    "expiries": _L("到期保单数", "expiries", "件 policies", "count"),
    "on_time": _L("按时", "on time", kind="count"),
    "late": _L("逾期", "late", kind="count"),
    "on_time_share": _L("按时占比", "on-time share", "%", "share", 1),
    "policy_id": _L("保单号", "policy id"),
    "expiry_date": _L("到期日", "expiry date", kind="date"),
    "deadline": _L("提醒截止日", "reminder deadline", kind="date"),
    "reminder_date": _L("提醒日期", "reminder date", kind="date"),
    "days_ahead": _L("提前天数", "days ahead", "天 days", "count"),
    "notice": _L("通知类型", "notice"),
    "event_date": _L("事件日期", "event date", kind="date"),
    "notice_date": _L("通知日期", "notice date", kind="date"),
    "days_after": _L("事后天数", "days after", "天 days", "count"),
    "calls": _L("来电数", "calls", "次 calls", "count"),
    "unanswered": _L("未答复", "unanswered", "次 calls", "count"),
    "call_id": _L("来电号", "call id"),
    "received_date": _L("受理日期", "received", kind="date"),
    "answered_date": _L("答复日期", "answered", kind="date"),
    "calendar_days": _L("自然日", "calendar days", "天 days", "number", 0),
    "counted_as": _L("计算口径", "counted as"),
    "action": _L("处理", "action"),
    "actions": _L("处理", "actions"),
    "reason_code": _L("变动原因", "reason code"),
    "reason_zh": _L("原因说明", "reason"),
    "before": _L("上年层级", "before"),
    "after": _L("本年层级", "after"),
    "last_tier": _L("上年层级", "last year's tier"),
    "last_rank": _L("上年排名", "last year's rank", kind="count"),
    "last_value_index": _L("上年价值指标", "last year's value index", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "gold_in": _L("金牌新进", "Gold in", "户 customers", "count"),
    "gold_out": _L("金牌退出", "Gold out", "户 customers", "count"),
    "silver_in": _L("银牌新进", "Silver in", "户 customers", "count"),
    "silver_out": _L("银牌退出", "Silver out", "户 customers", "count"),
    "gold_net": _L("金牌净变化", "Gold net", "户 customers", "count"),
    "silver_net": _L("银牌净变化", "Silver net", "户 customers", "count"),
    "item": _L("事项", "item"),
    "article": _L("条款", "article"),
    "due": _L("截止日", "due", kind="date"),
    "submitted": _L("提交日", "submitted", kind="date"),
    "days_late": _L("逾期天数", "days late", "天 days", "count"),
    "from_year": _L("起始年", "from", kind="year"),
    "to_year": _L("结束年", "to", kind="year"),
    "count_before": _L("期初人数", "count before", "户 customers", "count"),
    "count_after": _L("期末人数", "count after", "户 customers", "count"),
    "stayed": _L("留任", "stayed", "户 customers", "count"),
    "entered": _L("新进", "entered", "户 customers", "count"),
    "left_tier": _L("退出", "left the tier", "户 customers", "count"),
    "customers_base": _L("基准客户数", "customers, base", "户 customers", "count"),
    "customers_scenario": _L("情景客户数", "customers, scenario", "户 customers", "count"),
    "cost_base_cny": _L("基准费用", "cost, base", "元/年 CNY/yr", "amount"),
    "cost_scenario_cny": _L("情景费用", "cost, scenario", "元/年 CNY/yr", "amount"),
    "cost_change_cny": _L("费用变化", "cost change", "元/年 CNY/yr", "amount"),
    "cost_change_share": _L("费用变化率", "cost change", "%", "share", 1),
    "stay_rate": _L("留任率", "stay rate", "%", "share", 1),
    "churn_rate": _L("流失率", "churn rate", "%", "share", 1),
    "new_rate": _L("新进率", "new rate", "%", "share", 1),
    "approval": _L("审批", "approval"),
    "approval_date": _L("批准日期", "approval date", kind="date"),
    "previous_tier": _L("上年层级", "last year's tier"),
    "figure": _L("项目", "figure"),
    "move": _L("进出", "move"),
    "customers_last": _L("上年客户数", "customers last year", "户 customers", "count"),
    "customers_this": _L("本年客户数", "customers this year", "户 customers", "count"),
    "cost_last_cny": _L("上年名单按上年价格", "last year's lists at last year's prices", "元/年 CNY/yr", "amount"),
    "cost_this_cny": _L("本年名单按本年价格", "this year's lists at this year's prices", "元/年 CNY/yr", "amount"),
    "change_cny": _L("变化", "change", "元/年 CNY/yr", "amount"),
    "change_share": _L("变化率", "change", "%", "share", 1),
    "count_effect_cny": _L("人数变动影响", "count effect", "元/年 CNY/yr", "amount"),
    "price_effect_cny": _L("价格变动影响", "price effect", "元/年 CNY/yr", "amount"),
    "date_reading": _L("日期依据", "date reading"),
    "service_start": _L("服务起始日", "service start", kind="date"),
    "date": _L("日期", "date", kind="date"),
    "criteria_figures": _L("入围依据数据", "criteria figures"),
    "branch_recommendation": _L("分公司推荐", "branch recommendation"),
    "head_office_rating": _L("总公司评定", "head-office rating"),
    "delta_value_index": _L("价值指标变化", "change in value index", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "delta_premium": _L("保费部分变化", "change in the premium part", kind="index", decimals=VALUE_INDEX_DECIMALS),
    "delta_loyalty_k1": _L("忠诚度部分变化（含K1）", "change in the loyalty part (K1)", kind="index",
                           decimals=VALUE_INDEX_DECIMALS),
    "delta_profit_k2": _L("利润部分变化（含K2）", "change in the profit part (K2)", kind="index",
                          decimals=VALUE_INDEX_DECIMALS),
    "reason_en": _L("原因说明（英文）", "reason"),
    "gold_jaccard_low": _L("金牌重合度·低值", "Gold overlap, low", kind="number", decimals=3),
    "gold_jaccard_high": _L("金牌重合度·高值", "Gold overlap, high", kind="number", decimals=3),
    "silver_jaccard_low": _L("银牌重合度·低值", "Silver overlap, low", kind="number", decimals=3),
    "silver_jaccard_high": _L("银牌重合度·高值", "Silver overlap, high", kind="number", decimals=3),
    "min_gold_jaccard": _L("金牌最低重合度", "lowest Gold overlap", kind="number", decimals=3),
    "min_silver_jaccard": _L("银牌最低重合度", "lowest Silver overlap", kind="number", decimals=3),
    "year": _L("年度", "year", kind="year"),
    "customers": _L("客户数", "customers", "户 customers", "count"),
    "regular": TIER_TERMS["regular"]._replace(unit="户 customers", kind="count"),
}
for _key, _term in _PAGE_COLUMNS.items():  # append only: a column already in the glossary keeps its label
    COLUMN_TERMS.setdefault(_key, _term)
_NOT_IN_BOOK = _L("未在册", "not in book")
#: Columns of the 第32条 branch scorecard (``assess.scorecard``).
for _key, _term in {
    "service_events": _L("服务事项数", "service events", "件 events", "count"),
    "service_within_limit": _L("时效内事项数", "within the limit", "件 events", "count"),
    "service_time_compliance": _L("服务时效达标率", "service-time compliance", "%", "share", 1),
    "satisfaction_groups": _L("满意度考核层级数", "tier groups surveyed", "组 groups", "count"),
    "satisfaction_passing": _L("满意度达标层级数", "tier groups passing", "组 groups", "count"),
    "satisfaction_share": _L("满意度达标率", "satisfaction pass share", "%", "share", 1),
    "complaints_counted": _L("第34条经核实投诉", "verified 第34条 complaints", "次 complaints", "count"),
    "vips_below_standard": _L("未达最低服务VIP数", "VIPs below the minima", "户 customers", "count"),
    "delivery_share": _L("服务落实达标率", "VIPs meeting the minima", "%", "share", 1),
    "service_time_compliance_rank": _L("时效名次", "service-time rank", kind="count"),
    "satisfaction_share_rank": _L("满意度名次", "satisfaction rank", kind="count"),
    "complaints_counted_rank": _L("投诉名次", "complaints rank", kind="count"),
    "delivery_share_rank": _L("服务落实名次", "delivery rank", kind="count"),
    "composite_mean_rank": _L("平均名次（假设）", "mean rank (assumed)", kind="number", decimals=2),
    "rank": _L("综合名次", "rank", kind="count"),
}.items():
    COLUMN_TERMS.setdefault(_key, _term)
#: Columns of the reasons sheet (``compare.yearly.reason_counts``): one per move "before → after",
#: a customer absent from a list ("none") named 未在册 / not in book as on every other sheet.
_STATE_TERMS = {**TIER_TERMS, "none": _NOT_IN_BOOK}
for _a, _ta in _STATE_TERMS.items():
    for _b, _tb in _STATE_TERMS.items():
        COLUMN_TERMS.setdefault(f"{_a} → {_b}", _L(f"{_ta.zh}→{_tb.zh}", f"{_ta.en} → {_tb.en}", "户 customers", "count"))
#: Why a customer moved between last year's list and this year's (``compare.REASON_CODES``).
REASON_CODE_TERMS = {
    "unchanged": _L("未变", "unchanged"), "left_book": _L("离开客户名册", "left the book"),
    "new_to_book": _L("新加入客户名册", "new to the book"), "lost_criterion": _L("不再满足第11条入围标准", "lost a 第11条 criterion"),
    "gained_criterion": _L("新满足第11条入围标准", "gained a 第11条 criterion"), "k1_ageing": _L("K1随年限下降", "K1 ageing"),
    "value_fell": _L("价值指标下降", "value index fell"), "value_rose": _L("价值指标上升", "value index rose"),
    "pool_change": _L("名额类别变化", "Gold pool changed"), "overtaken": _L("被他人超过", "overtaken"),
    "place_freed": _L("名额空出", "a place freed"), "branch_full": _L("本机构银牌名额已满", "branch's Silver places full"),
    "branch_room": _L("本机构银牌名额有空", "room in the branch's Silver places"), "override": _L("总公司调整", "head-office override"),
}
#: Which reading gave a VIP's approval date and service start (第12条, ``service_period``).
DATE_READING_TERMS = {
    "continuing": _L("连续服务，自年初起", "continuing, served from 1 January"),
    "list": _L("随年度名单批准，次月起服务", "approved with the year's list, served from the next month"),
    "new_customer": _L("本年新客户，按假设批准月份，次月起服务", "new this year, approved in the assumed month, served from the next month"),
    "override": _L("总公司调整，按调整日期次月起服务", "head-office override, served from the month after its date"),
}
VALUE_TERMS.update({"kind": {**PROVENANCE_KIND_TERMS, **HOTLINE_KIND_TERMS},
                    "before": {**TIER_TERMS, "none": _NOT_IN_BOOK, "total": ROW_TERMS["total"]},
                    "after": {**TIER_TERMS, "none": _NOT_IN_BOOK, "total": ROW_TERMS["total"]},
    "tier_before": TIER_TERMS, "tier_after": TIER_TERMS, "previous_tier": TIER_TERMS,
                    "date_reading": DATE_READING_TERMS,
                    "last_tier": {**TIER_TERMS, "none": _L("未在册", "not in book")},
                    "assessed_as": TIER_TERMS, "by": {"tier": _L("层级", "tier"), "payer": _L("承担方", "payer"),
                                                       "branch": _L("机构", "branch"), "item": _L("服务项目", "item")},
                    "group": {**TIER_TERMS, **PAYER_TERMS}, "reason_code": REASON_CODE_TERMS,
                    "counted_as": {"calendar days": _L("自然日", "calendar days"),
                                   "working days": _L("工作日", "working days")}})
_PAGE_TABLES = {
    "compliance by tier": TableLabel("各层级服务时效", "Compliance by tier", "各层级服务时效达标率（第17–18条）",
                                     "On-time share by tier (第17–18条)", "级", "tiers"),
    "delivery below standard": TableLabel("未达最低服务的VIP", "Delivery below standard",
                                          "未达到第18–19条最低服务次数的VIP客户及所缺服务",
                                          "VIPs below the 第18–19条 minimum deliveries and what they lack", "户", "customers"),
    "delivery shortfalls": TableLabel("服务缺口明细", "Delivery shortfalls", "每位VIP每项服务的缺口",
                                      "Each VIP's shortfall per service", "行", "rows"),
    "delivery by branch": TableLabel("各机构服务落实", "Delivery by branch", "各机构未达标VIP客户数",
                                     "VIPs below standard by branch", "行", "rows"),
    "executive attendance": TableLabel("高管参加回访", "Executive attendance", "各高管亲自参加回访的客户数与配额（第23–25条）",
                                       "Customers each executive revisited in person against the quota (第23–25条)",
                                       "人", "executives"),
    "actual vs budget by item": TableLabel("实际与预算（按项目）", "Actual vs budget by item",
                                           "各服务项目实际费用与附件七预算", "Delivered cost against the 附件七 budget by item",
                                           "项", "items"),
    "actual vs budget by group": TableLabel("实际与预算（按维度）", "Actual vs budget by group",
                                            "按层级、承担方、机构的实际费用与预算", "Delivered cost against budget by tier, payer, branch",
                                            "行", "rows"),
    "budget variance drivers": TableLabel("预算差异来源", "Budget variance drivers", "差异最大的机构、层级与项目",
                                          "Largest contributors to the variance", "行", "rows"),
    "renewal reminders by tier": TableLabel("续保提醒（按层级）", "Renewal reminders by tier",
                                            "到期前两个月提醒的按时情况（第17条 4）", "Reminders two months ahead (第17条 4)",
                                            "级", "tiers"),
    "renewal reminders by branch": TableLabel("续保提醒（按机构）", "Renewal reminders by branch",
                                              "各机构续保提醒按时情况", "Reminders on time by branch", "行", "rows"),
    "renewal reminders late": TableLabel("逾期续保提醒", "Late renewal reminders", "逾期或缺少的续保提醒",
                                         "Reminders late or missing", "件", "policies"),
    "maturity lapse notices": TableLabel("领取与复效通知", "Maturity and lapse notices", "领取与复效通知（第17条 5）",
                                         "Maturity and lapse notices (第17条 5)", "件", "notices"),
    "hotline by kind": TableLabel("VIP专线（按类型）", "Hotline by kind", "VIP专线咨询与投诉的按时答复（第18条 2①）",
                                  "Enquiries and complaints answered in time (第18条 2①)", "行", "rows"),
    "hotline by branch": TableLabel("VIP专线（按机构）", "Hotline by branch", "各机构VIP专线答复情况",
                                    "Hotline answers by branch", "行", "rows"),
    "hotline late calls": TableLabel("VIP专线逾期", "Hotline late calls", "逾期或未答复的来电",
                                     "Calls answered late or not at all", "次", "calls"),
    "transition matrix": TableLabel("层级变动矩阵", "Transition matrix", "上年层级 → 本年层级的客户数",
                                    "Customers by last year's tier and this year's", "级", "tiers"),
    "movers by class": TableLabel("各类机构进出", "Movers by class", "各类机构金牌、银牌新进与退出",
                                  "Gold and Silver entrants and leavers by branch class", "类", "classes"),
    "movers by branch": TableLabel("各机构进出", "Movers by branch", "各机构金牌、银牌新进与退出",
                                   "Gold and Silver entrants and leavers by branch", "家机构", "branches"),
    "vip moves": TableLabel("VIP变动", "VIP moves", "进出金牌、银牌的客户及原因", "Customers entering or leaving Gold and Silver, and why",
                            "户", "customers"),
    "gold vs last year": TableLabel("金牌名单与上年", "Gold list against last year", "本年金牌名单及上年排名",
                                    "This year's Gold list with last year's rank", "户", "customers"),
    "annex1 approval": TableLabel("附件一审批", "附件一 approval", "金牌候选、价值指标与审批结果（第12条）",
                                  "Gold candidates, value index and approval (第12条)", "户", "customers"),
    "deadlines": TableLabel("1月15日截止事项", "Due by 15 January", "金牌名单与回访计划的提交（第26条 4、第27条 1）",
                            "Gold list and revisit plan submitted (第26条 4, 第27条 1)", "项", "items"),
    "measured churn": TableLabel("实测流失率", "Measured churn", "历史名单中的留任、流失与新进",
                                 "Stay, churn and entry measured from the history", "行", "rows"),
    "projection counts": TableLabel("未来各年人数", "Projection counts", "未来各年的客户与分层人数",
                                    "Customers and tiers in the years ahead", "年", "years"),
    "projection budget": TableLabel("未来各年预算", "Projection budget", "未来各年附件七费用",
                                    "附件七 cost in the years ahead", "年", "years", _AMOUNTS),
    "measured churn budget": TableLabel("流失率与预算", "Budget under measured churn", "假设与实测流失率下的年度费用",
                                        "Yearly cost under the assumed and the measured churn", "行", "rows"),
    "service year": TableLabel("服务年度名单", "Service year", "批准的金牌、银牌客户及其批准日期、服务起始日、服务月数与依据（第12条）",
                               "Approved Gold and Silver customers with approval date, service start, months "
                               "and the reading behind them (第12条)", "户", "customers"),
    "service year counts": TableLabel("服务年度人数", "Service year counts", "按层级与日期依据的客户数与服务月数",
                                      "Customers and months of service by tier and date reading", "行", "rows"),
    "overrides": TableLabel("总公司调整", "Head-office overrides", "总公司对名单的每一项调整及理由",
                            "Every head-office override and its reason", "项", "overrides"),
    "projection turnover": TableLabel("未来各年进出", "Projection turnover", "未来各年金牌、银牌的留任与新进",
                                      "Gold and Silver stayed and entered in the years ahead", "行", "rows"),
    "decision budget": TableLabel("审批预算", "Budget to approve", "附件七测算的年度服务预算、模拟区间P50–P95及下一年度预测",
                                  "附件七 budget of the approved lists, its P50–P95 range and the next year's forecast",
                                  "项", "figures"),
    "decision budget by tier": TableLabel("审批预算分层级", "Budget to approve by tier", "按层级的附件七费用",
                                          "附件七 cost by tier", "级", "tiers"),
    "gold moves": TableLabel("金牌进出", "Gold moves", "新进与退出金牌的客户及原因",
                             "Gold entrants and leavers with their reasons", "户", "customers"),
    "contested gold": TableLabel("存在争议的金牌", "Contested Gold", "附表1–3 不同时入选与否不定的客户",
                                 "Customers whose Gold place depends on the lost 附表1–3", "户", "customers"),
    "top parameters": TableLabel("影响最大的参数", "Most influential parameters", "变动时金牌更替最多的三个参数",
                                 "The three parameters that move the Gold list most", "项", "parameters"),
    "budget against last year": TableLabel("预算较上年", "Budget against last year",
                                           "上年名单按上年价格与本年名单按本年价格的附件七费用，变化分为人数与价格两部分",
                                           "Last year's lists at last year's prices beside this year's at this year's, "
                                           "the change split into count and price effects", "级", "tiers"),
    "approved budget": TableLabel("批准名单预算", "Approved list budget", "按批准日计服务月数的附件七费用",
                                  "附件七 cost from each VIP's approval date", "级", "tiers"),
    "published lists": TableLabel("公布名单", "Published lists", "各机构公布的金牌、银牌人数（第8条）",
                                  "Gold and Silver published per branch (第8条)", "家机构", "branches"),
}
#: Result tables of the comparisons, the projection, the revisit check and the delivery check.
TABLE_TERMS.update({
    "changes": TableLabel("层级变动明细", "Changes", "每位客户的上年层级、本年层级与变动原因",
                          "Each customer's tier last year and this year, and why it changed", "户", "customers"),
    "reasons": TableLabel("变动原因统计", "Reasons", "按变动原因计的客户数", "Customers by reason of change",
                          "项", "reasons"),
    "gold list vs last year": TableLabel("金牌与上年对比", "Gold list vs last year",
                                         "本年金牌客户及其上年层级、排名与价值指标",
                                         "This year's Gold customers with last year's tier, rank and value index",
                                         "户", "customers"),
    "observed rates": TableLabel("实测留任率", "Observed rates", "各层级留任、降级与新进的实测比率",
                                 "Stay, drop and entry rates per tier, as observed", "级", "tiers"),
    "parameter changes": TableLabel("参数变化", "Parameter changes", "情景与基准政策不同的每个参数",
                                    "Every parameter where the scenario differs from the base policy", "项", "parameters"),
    "list changes": TableLabel("名单变化", "List changes", "情景与基准下层级不同的客户及原因",
                               "Customers whose tier differs between scenario and base, and why", "户", "customers"),
    "counts by class": TableLabel("各类机构人数对比", "Counts by class", "各类机构金牌、银牌人数：基准、情景与差额",
                                  "Gold and Silver by branch class: base, scenario and difference", "类", "classes"),
    "counts by branch": TableLabel("各机构人数对比", "Counts by branch", "各机构金牌、银牌人数：基准、情景与差额",
                                   "Gold and Silver by branch: base, scenario and difference", "家机构", "branches"),
    "budget change": TableLabel("预算变化", "Budget change", "情景与基准的附件七年度费用及差额",
                                "附件七 yearly cost under base and scenario, and the difference", "项", "items"),
    "published gold list": TableLabel("公布金牌名单", "Published Gold list", "全公司公布的金牌VIP客户名单（第8条、第13条）",
                                      "The company-wide Gold list as published (第8条, 第13条)", "户", "customers"),
    "附件二 quarterly record": TableLabel("附件二 季度服务记录", "附件二 quarterly record",
                                       "重建（原表缺失）：按附件二标题重建的各服务项目每季度次数与费用",
                                       "Reconstructed — original lost: count and cost of each service per quarter under the 附件二 title", "项", "services"),
    "quarterly services": TableLabel("季度服务明细", "Quarterly services", "各机构、季度、层级、服务项目的次数与费用",
                                     "Count and cost per branch, quarter, tier and service", "行", "rows"),
    "counts by year": TableLabel("各年人数", "Counts by year", "未来各年金牌、银牌人数", "Gold and Silver in each year ahead",
                                 "年", "years"),
    "turnover by year": TableLabel("各年进出", "Turnover by year", "未来各年金牌、银牌的留任与新进",
                                   "Gold and Silver stayed and entered in each year ahead", "行", "rows"),
    "budget by year": TableLabel("各年预算", "Budget by year", "未来各年的附件七费用", "附件七 cost in each year ahead",
                                 "年", "years"),
    "gold lists by year": TableLabel("各年金牌名单", "Gold lists by year", "未来各年的金牌客户名单",
                                     "The Gold list of each year ahead", "行", "rows"),
    "revisits by executive": TableLabel("高管回访完成", "Revisits by executive", "各位高管回访的金牌、银牌客户数与配额",
                                        "Gold and Silver customers each executive revisited, against the quota",
                                        "人", "executives"),
    "revisits by customer": TableLabel("客户回访完成", "Revisits by customer", "每位VIP客户的回访次数与第18条 2③最低次数",
                                       "Each VIP's revisits against the 第18条 2③ minimum", "户", "customers"),
    "revisit findings": TableLabel("回访检查结论", "Revisit findings", "回访检查发现的问题",
                                   "What the revisit check found", "条", "findings"),
})
#: Prefixes the report pages put before a result's table keys when one page exports two
#: results of the same kind (page 06: the year over year and the scenario comparison).
TABLE_PREFIXES = {"yoy ": _L("上年对比", "vs last year"), "vs base ": _L("对比基准", "vs base")}
for _key, _term in _PAGE_TABLES.items():
    TABLE_TERMS.setdefault(_key, _term)
TEXT_TERMS.update({
    "expected_gold_swaps": _L("与假设附表相比，金牌名单平均更替 {swaps} 户（{draws} 组附表）",
                              "expected Gold swaps against the assumed tables: {swaps} over {draws} draws"),
    "page_assumptions": _L("本页依据的假设", "Assumptions this page rests on"),
    "cannot_show": _L("无法显示：{what}。原因：{why}", "Cannot show: {what}. Why: {why}"),
    "no_vips": _L("本名单没有金牌或银牌客户", "this book has no Gold or Silver customers"),
    "no_rows": _L("无记录", "no rows"),
})

# ----------------------------------------------------------------------------- figures
#: Words of the figures (:mod:`tiermodel.plots`): titles, legend entries and axis labels.
#: An axis label's unit is in ``unit`` ("zh en", as in :data:`COLUMN_TERMS`); an ``amount``
#: axis takes 万元 or 元 from the amount-unit option. The value index of 第10条 is a weighted
#: sum of 附表1–3 coefficients [0–1] times K1 (up to 3.5), so it is dimensionless but not
#: bounded by 1: its axis says "dimensionless", not "0–1". Fields in braces are filled in.
PLOT_TERMS = {
    # axis quantities (with a unit)
    "ax_customers": _L("客户数", "customers", "户 customers", "count"),
    "ax_customers_log": _L("客户数", "customers", "户，对数坐标 customers, log scale", "count"),
    "ax_vips": _L("VIP客户数", "VIP customers", "户 customers", "count"),
    "ax_candidates": _L("候选客户", "candidates", "户 customers", "count"),
    "ax_movers": _L("新进（上）与退出（下）", "entrants (up) and leavers (down)", "户 customers", "count"),
    "ax_gold_swapped": _L("移出现行金牌名单的客户", "Gold customers swapped out of the policy's list",
                          "户 customers", "count"),
    "ax_gold_swaps": _L("金牌更替", "Gold swaps", "户 customers", "count"),
    "ax_silver_revisited": _L("回访银牌客户", "Silver customers revisited", "户 customers", "count"),
    "ax_value_index": _L("客户价值指标（第10条）", "value index (第10条)", "无量纲 dimensionless", "index"),
    "ax_value_index_assumed": _L("附表1–3假设下的客户价值指标", "value index under the assumed 附表1–3",
                                 "无量纲 dimensionless", "index"),
    "ax_factor_all": _L("三项保费门槛的倍数", "factor on the three premium minimums", "倍 ×", "number"),
    "ax_factor_one": _L("单项保费门槛的倍数", "factor on one premium minimum", "倍 ×", "number"),
    "ax_relative": _L("取值 ÷ 现行值", "value ÷ policy value", "倍 ×", "number"),
    "ax_loss_ratio_cap": _L("{what}赔付率上限", "{what} loss-ratio cap", "% %", "number"),
    "ax_share_gold": _L("设定中为金牌的占比", "share of settings in Gold", "% %", "number"),
    "ax_share_silver": _L("设定中为银牌的占比", "share of settings in Silver", "% %", "number"),
    "ax_share_draws_gold": _L("抽样附表中为金牌的占比", "share of table draws in Gold", "% %", "number"),
    "ax_on_time": _L("按时完成", "on time", "% %", "number"),
    "ax_below_standard": _L("未达最低服务次数的VIP", "VIPs below the minimum deliveries", "% %", "number"),
    "ax_sobol": _L("Sobol指数", "Sobol index", "无量纲 dimensionless", "index"),
    "ax_overlap": _L("{what}", "{what}", "0–1 0–1", "index"),
    "ax_cost": _L("费用", "cost", "元/年 CNY/yr", "amount"),
    "ax_yearly_cost": _L("年度服务投入", "yearly service cost", "元/年 CNY/yr", "amount"),
    "ax_budget": _L("附件七服务预算", "附件七 service budget", "元/年 CNY/yr", "amount"),
    "ax_simulations": _L("模拟次数", "simulations", "次 runs", "count"),
    "ax_year": _L("年度", "year", "年 calendar year", "year"),
    "ax_items": _L("件数", "number", "件 items", "count"),
    # category axes (no unit)
    "ax_branch_class": _L("机构类别", "branch class"),
    "ax_tier_in_year": _L("{year}年层级", "tier in {year}"),
    "ax_tier_before": _L("上年层级", "last year's tier"),
    "ax_tier_after": _L("本年层级", "this year's tier"),
    # titles
    "t_vips_by_class": _L("各类机构金牌、银牌客户数（第11–13条）", "Gold and Silver customers by branch class (第11–13条)"),
    "t_value_index": _L("客户价值指标分布与入选切线", "Value index by tier, with the cut lines"),
    "t_premium_factor": _L("保费门槛 × 倍数", "Premium thresholds × factor"),
    "t_cap": _L("{what}赔付率上限（现行 {in_force:.0%}）", "{what} loss-ratio cap (in force {in_force:.0%})"),
    "t_candidates_curves": _L("第11条门槛变化时的候选客户数", "Candidates as the 第11条 thresholds move"),
    "t_premium_minimums": _L("单项保费门槛变化时的候选客户数", "Candidates as one premium minimum moves"),
    "t_tornado": _L("金牌名单：逐一改变参数", "Gold list: one parameter at a time"),
    "t_swaps_by_step": _L("各参数每一步的金牌更替", "Gold swaps at each step of each parameter"),
    "t_ternary": _L("权重组合下的{what}（第10条）", "{what} over the weight simplex (第10条)"),
    "t_sobol": _L("各参数的Sobol指数（一阶与总效应）", "Sobol' indices of each parameter (first and total order)"),
    "t_membership": _L("候选客户：各名单中的设定占比", "Candidates: share of settings in each list"),
    "t_table_odds": _L("附表1–3可能取值下的金牌概率与价值指标", "Gold odds under plausible 附表1–3 against the value index"),
    "t_forecast": _L("{year}年度服务投入，{n:,}次模拟", "{year} yearly cost, {n:,} simulations"),
    "t_by_tier_payer": _L("按层级与承担方", "By tier and payer"),
    "t_fan": _L("未来各年费用扇形图", "Fan chart of the years ahead"),
    "t_compliance": _L("服务时效达标率（第17–18条）", "Service-time compliance (第17–18条)"),
    "t_branch_heads": _L("分公司团险负责人回访银牌客户（第25条）", "Branch heads' Silver revisits (第25条)"),
    "t_below_standard": _L("未达最低服务次数的VIP（第18–19条）", "VIPs below the minimum deliveries (第18–19条)"),
    "t_variance": _L("实际服务投入与附件七预算", "Delivered cost against 附件七"),
    "t_timeliness": _L("按时、逾期与缺失", "On time, late and missing"),
    "t_renewals": _L("续保提醒（第17条 4）", "Renewal reminders (第17条 4)"),
    "t_hotline": _L("VIP专线按时答复（第18条 2①）", "Hotline answers in time (第18条 2①)"),
    "t_transitions": _L("层级变动：各格为客户数（户）", "Tier transitions: customers in each cell"),
    "t_movers": _L("各类机构金牌、银牌新进与退出", "Gold and Silver entrants and leavers by branch class"),
    "t_vips_per_year": _L("未来各年VIP客户数", "VIPs per year"),
    "t_budget_per_year": _L("未来各年附件七服务预算", "附件七 service budget per year"),
    # legend entries and marks
    "low_end": _L("低端", "low end"),
    "high_end": _L("高端", "high end"),
    "total_order": _L("总效应", "total order"),
    "first_order": _L("一阶", "first order"),
    "policy_weights": _L("现行 30/30/40", "policy 30/30/40"),
    "corner_premium": _L("保费 = 1", "premium = 1"),
    "corner_loyalty": _L("忠诚度 = 1", "loyalty = 1"),
    "corner_profit": _L("利润 = 1", "profit = 1"),
    "baseline_tier": _L("现行：{tier}", "baseline {tier}"),
    "assumed_tables_tier": _L("假设附表下{tier}，{pool}", "{tier} under assumed tables, {pool}"),
    "robust_line": _L("稳定入选 ≥ {share:.0%}", "robust core ≥ {share:.0%}"),
    "contested_line": _L("存在争议 ≥ {share:.0%}", "contested ≥ {share:.0%}"),
    "cut_gold_existing": _L("金牌切线（已承保客户）", "Gold cut, existing"),
    "cut_gold_new": _L("金牌切线（本年新客户）", "Gold cut, new"),
    "cut_silver": _L("银牌最低", "Silver lowest"),
    "estimate": _L("确定性估计", "deterministic estimate"),
    "quota": _L("第25条配额 {quota}", "第25条 quota {quota}"),
    "annex7_budget": _L("附件七预算", "附件七 budget"),
    "actual": _L("实际", "actual"),
    "on_time": _L("按时", "on time"),
    "late": _L("逾期", "late"),
    "missing": _L("未发", "missing"),
    "moved_in": _L("{tier}新进", "{tier} in"),
    "moved_out": _L("{tier}退出", "{tier} out"),
    "not_in_book": _L("未在册", "not in book"),
    "premium_long_term": _L("长险标准保费", "long-term"),
    "premium_health": _L("健康险", "health"),
    "premium_non_health": _L("非健康险", "non-health"),
    "health": _L("健康险", "health"),
    "non_health": _L("非健康险", "non-health"),
    "gold_group": _L("金牌", "Gold"),
    "silver_group": _L("银牌{group}类", "Silver, class {group}"),
}

#: 第34条 complaint reasons and actions (``assess.complaints``) in the reader's language.
COMPLAINT_TERMS = {
    "warning": _L("警告", "warning"), "public criticism": _L("通报批评", "public criticism"),
    "job rotation": _L("调换岗位", "job rotation"), "loss of the customer": _L("取消对相应客户的维护资格", "loss of the customer"),
    "loses the right to serve the customer": _L("取消对相应客户的维护资格", "loses the right to serve the customer"),
}
#: the 第34条 step of each counted complaint (column ``action`` of the assessment's tables)
VALUE_TERMS["action"] = COMPLAINT_TERMS


def translate_text(value, lang: str = "zh"):
    """A 第34条 step (``"warning"``) in the reader's language; any other text is kept as it is.
    The analyses' findings are notes (:class:`tiermodel.notes.Note`), rendered from their
    templates, never sentences translated here."""
    if lang == "zh" and isinstance(value, str) and value in COMPLAINT_TERMS:
        return COMPLAINT_TERMS[value].zh
    return value


def translate_cells(df, lang: str = "zh", columns=("reason", "action", "note", "missing")):
    """A copy of a result table whose text ``columns`` are in the reader's language
    (:func:`translate_text`); other columns unchanged."""
    out = df.copy()
    for c in columns:
        if c in out.columns and out[c].dtype != bool:
            out[c] = out[c].map(lambda v: translate_text(v, lang)).astype(object)
    return out


# page 00's decision sheet as a table (present.decision.decision_table)
COLUMN_TERMS.update({"decision_part": _L("事项", "part"), "decision_item": _L("内容", "item")})

#: The committee pack (present.pack): its title, section headings and page numbers.
PACK_TERMS = {
    "title": _L("{year}年度团险VIP客户评定及服务预算 · 审批材料", "{year} group VIP lists and service budget · committee pack"),
    "contents": _L("目录", "Contents"),
    "decision": _L("审批事项", "For approval"),
    "gold_list": _L("金牌VIP客户名单", "Gold VIP list"),
    "changes": _L("名单变动（与上年相比）", "Changes against last year's lists"),
    "budget": _L("VIP客户年度服务投入测算（附件七，重建：原表缺失）",
                 "VIP annual service cost (附件七, reconstructed — original lost)"),
    "published": _L("各分公司VIP客户名单（第8条）", "VIP lists by branch (第8条)"),
    "branch_list": _L("{branch} VIP客户名单", "{branch}: VIP list"),
    "count": _L("共 {n} 户", "{n} customers"),
    "facts": _L("情景：{scenario}　数据：{source}　运行：{run}　金额单位：{unit}",
                "scenario: {scenario} · data: {source} · run: {run} · amounts in {unit}"),
    # CSS content of the page footer, and the characters it prints (for the embedded font)
    "page_of": _L('"第 " counter(page) " 页，共 " counter(pages) " 页"', '"page " counter(page) " of " counter(pages)'),
    "page_of_chars": _L("第页，共", "page of"),
}

# the budget and service delivery pages (04, 07): the VIP-count cases named as row labels, the
# 附件二 form's columns and rows, where a catalogue service's numbers come from, the notices
ROW_TERMS.update({"base": _L("基准", "base"), "high_churn": _L("高流失", "high churn"),
                  "growth": _L("增长", "growth")})
_QUARTER_WORDS = {"q1": _L("一季度", "Q1"), "q2": _L("二季度", "Q2"), "q3": _L("三季度", "Q3"),
                  "q4": _L("四季度", "Q4"), "year": _L("全年", "year")}
COLUMN_TERMS.update({
    f"{q}_{m}": _L(f"{w.zh}{mz}", f"{w.en} {me}", unit, kind)
    for q, w in _QUARTER_WORDS.items()
    for m, mz, me, unit, kind in (("gold_count", "金牌次数", "Gold count", "次 times", "count"),
                                  ("silver_count", "银牌次数", "Silver count", "次 times", "count"),
                                  ("cost_cny", "金额", "cost", "元 CNY", "amount"))})
COLUMN_TERMS.update({"numbers": _L("原文给出次数或单价的条款", "article giving its numbers"),
                     "notices": _L("通知数", "notices", "件 notices", "count")})
VALUE_TERMS.update({
    "service": {**DELIVERY_SERVICE_TERMS, "below_standard": _L("未达标VIP客户数", "VIPs below standard"),
                "total": ROW_TERMS["total"]},
    "item": {**DELIVERY_SERVICE_TERMS, **{  # the 附件七 services no delivery row records
        "vip_handbook": _L("VIP专用服务手册", "VIP service handbook"),
        "sos_assistance": _L("SOS急难救助", "SOS emergency assistance"),
        "home_service_specialist": _L("专人上门服务", "home service by a specialist"),
        "vip_hotline": _L("VIP客户专线电话", "VIP hotline"), "sms_greetings": _L("短信祝福", "SMS greetings"),
        "reception_room": _L("VIP接待室（A类独立接待室）", "VIP reception room (class A, own room)"),
        "designated_receptionist": _L("专门接待人员（B类以下）", "designated receptionist (class B and below)"),
        "concierge_card": _L("平安礼宾卡", "Ping An concierge card"),
        "wealth_adviser": _L("个人理财顾问", "personal wealth adviser"),
        "hq_vip_hotline": _L("总公司VIP客户服务专线", "head-office VIP service line"),
        "top_client_club_membership": _L("集团顶级客户俱乐部会员（金牌董事长/总经理）",
                                         "group top-client club membership (Gold chairman or GM)"),
        "website_promotion": _L("PA18网站免费宣传", "free promotion on the PA18 website")},
        "total": ROW_TERMS["total"]},
    "count_case": {k: ROW_TERMS[k] for k in ("base", "high_churn", "growth")},
    # what one unit of a 附件七 service is counted on (budget.services.BASES)
    "basis": {k: PARAMETER_VALUE_TERMS[k] for k in ("first_object", "second_object", "service_object", "customer",
                                                    "event", "branch", "company")},
    # the catalogue sheet (budget.services.catalogue_sheet): tiers joined by "+", the draw of a service
    "tiers": {"gold": TIER_TERMS["gold"], "silver": TIER_TERMS["silver"],
              "gold+silver": _L("金牌、银牌", "Gold, Silver")},
    "variation": {k: PARAMETER_VALUE_TERMS[k] for k in ("none", "poisson", "participation")},
    "status": {**VALUE_TERMS["status"], "on time": _L("按时", "on time"), "late": _L("逾期", "late"),
               "missing": _L("未发", "missing")},
    "notice": {"lapse notice 复效通知": _L("复效通知", "lapse notice"),
               "maturity notice 领取通知": _L("领取通知", "maturity notice")},
})

TABLE_TERMS.update({
    "catalogue sources": TableLabel("服务目录来源", "Catalogue sources",
                                    "附件七各服务项目依据的条款，数字出自原文还是假设",
                                    "The article each 附件七 service rests on, its numbers sourced or assumed",
                                    "项", "services"),
})
# ----------------------------------------------------------------------------- one language
# Every word above is one language at a time: a reader's label is ``Label.zh`` or ``Label.en``,
# never both in one string. The units of a Label ("元/年 CNY/yr") are split by :func:`unit_word`.

def unit_word(unit: str, lang: str = "zh") -> str:
    """The unit of a :class:`Label` in ``lang``: "元/年 CNY/yr" → "元/年" or "CNY/yr"; a unit
    without an English half (e.g. "%") is the same in both."""
    zh, _, en = unit.partition(" ")
    return zh if lang == "zh" else (en or zh)


#: The inputs a page may draw as seeded samples (``events``), by their kind.
INPUT_TERMS = {
    "portfolio": _L("客户表", "customer table"), "branches": _L("机构表", "branch table"),
    "service": _L("服务记录", "service log"), "service_log": _L("服务记录", "service log"),
    "survey": _L("满意度调查", "satisfaction survey"), "complaints": _L("投诉记录", "complaint log"),
    "delivery": _L("服务落实记录", "delivery log"), "policies": _L("保单表", "policy table"),
    "hotline": _L("VIP专线来电记录", "hotline log"), "executives": _L("高管表", "executive table"),
    "history": _L("上年名单", "last year's lists"), "overrides": _L("总公司调整", "head-office overrides"),
    "nominations": _L("分公司推荐", "branch nominations"),
}
TEXT_TERMS.update({
    "sample_mark": _L("样本数据", "SAMPLE DATA"),
    "sample_used": _L("样本数据：未提供{inputs}，改用随机样本",
                      "SAMPLE DATA: {inputs} not given, a seeded sample is used instead"),
    "list_separator": _L("、", ", "),
})
#: Sheets of ``tiermodel compare`` and page 00 named by their keys.
TABLE_TERMS.update({
    "decision sheet": TableLabel("审批事项", "Decision sheet", "提交审批的名单、预算与截止事项",
                                 "The lists, budget and deadlines put to the committee", "行", "lines"),
    "附件一 approval": TABLE_TERMS["annex1 approval"],
    "15 January check": TABLE_TERMS["deadlines"],
    # the what-if explorer's answer (compare.whatif)
    "settings": TableLabel("所设调整", "Settings", "本次设定的各项调整", "The levers set for this answer",
                           "项", "levers"),
    "entrants": TableLabel("新进客户", "Entrants", "设定下新进金牌、银牌的客户及原因",
                           "Customers entering Gold or Silver under the setting, and why", "户", "customers"),
    "leavers": TableLabel("退出客户", "Leavers", "设定下退出金牌、银牌的客户及原因",
                          "Customers leaving Gold or Silver under the setting, and why", "户", "customers"),
})
COLUMN_TERMS.setdefault("lever", _L("调整项", "lever"))
#: Cell words the analyses still write as fixed phrases (some in both languages at once, from
#: before notes were data), with the keys they are moving to: one language per reader.
_CELL_WORDS = {
    "change": {"enters Gold": _L("进入金牌", "enters Gold"), "leaves Gold": _L("退出金牌", "leaves Gold")},
    "branch_recommendation": {
        "推荐 recommended": _L("推荐", "recommended"), "未推荐 not recommended": _L("未推荐", "not recommended"),
        "recommended": _L("推荐", "recommended"), "not_recommended": _L("未推荐", "not recommended")},
    "approval": {"批准 approved": _L("批准", "approved"), "未批准 not approved": _L("未批准", "not approved"),
                 "approved": _L("批准", "approved"), "not_approved": _L("未批准", "not approved")},
    "head_office_rating": {"未评定 not rated": _L("未评定", "not rated"), "not_rated": _L("未评定", "not rated")},
    "status": {"未提交 not submitted": _L("未提交", "not submitted"), "按时 on time": _L("按时", "on time"),
               "not_submitted": _L("未提交", "not submitted"), "on_time": _L("按时", "on time"),
               # where a customer stands as weights, K or the tables vary (sensitivity)
               "at risk": _L("可能落选", "at risk"), "contender": _L("可能入选", "contender"),
               # a reminder or notice (第17条 4–5)
               "on time": _L("按时", "on time"), "late": _L("逾期", "late"), "missing": _L("未发", "missing")},
    "item": {"金牌VIP客户名单 Gold list": _L("金牌VIP客户名单", "Gold list"),
             "回访年度分解计划 executives' revisit plan": _L("回访年度分解计划", "executives' revisit plan"),
             "gold_list": _L("金牌VIP客户名单", "Gold list"),
             "revisit_plan": _L("回访年度分解计划", "executives' revisit plan"), **DELIVERY_SERVICE_TERMS},
    "service": DELIVERY_SERVICE_TERMS, "label": DELIVERY_SERVICE_TERMS,
    # the lost 附表1–3 and how their bands were set (calibrate.tables, sensitivity.table_draws)
    "table": {"附表1 premium": _L("附表1 保费规模", "附表1 premium"), "附表2 loyalty": _L("附表2 忠诚度", "附表2 loyalty"),
              "附表3 profit": _L("附表3 利润贡献", "附表3 profit")},
    "edges": {"assumed": _L("假设", "assumed"), "fitted": _L("按本业务拟合", "fitted to this book")},
    "member": {"assumed": _L("假设附表", "assumed tables"), "quantile-fitted": _L("分位数拟合", "quantile-fitted"),
               "bracket low": _L("下边界表", "lower bracket"), "bracket high": _L("上边界表", "upper bracket")},
    "statistic": {"mean": _L("均值", "mean"), "std": _L("标准差", "standard deviation"), "p5": _L("P5", "P5"),
                  "p50": _L("P50", "P50"), "p95": _L("P95", "P95"), "min": _L("最小值", "minimum"),
                  "max": _L("最大值", "maximum")},
    "gold_status": {"robust core": _L("稳定入选", "robust core"), "contested": _L("存在争议", "contested"),
                    "rarely Gold": _L("偶尔入选金牌", "rarely Gold"), "never Gold": _L("从未入选金牌", "never Gold")},
    # which surveys a satisfaction figure blends (第35条)
    "surveys": {"head office + branch": _L("总公司与分公司调查", "head office + branch"),
                "branch only": _L("仅分公司调查", "branch only"),
                "head office only": _L("仅总公司调查", "head office only")},
    # the named tables of 附表1–3 and the budget under them (sensitivity.table_draws)
    "case": {"assumed": _L("假设附表", "assumed tables"), "quantile-fitted": _L("分位数拟合", "quantile-fitted"),
             "bracket low": _L("下边界表", "lower bracket"), "bracket high": _L("上边界表", "upper bracket"),
             **{f"draws {s}": _L(f"抽样{w}", f"draws, {e}") for s, w, e in (
                 ("mean", "均值", "mean"), ("p5", "P5", "P5"), ("p50", "P50", "P50"), ("p95", "P95", "P95"),
                 ("min", "最小值", "minimum"), ("max", "最大值", "maximum"))}},
    "unit": {"CNY/yr": _L("元/年", "CNY/yr"), "years": _L("年", "years"), "share": _L("占比", "share")},
    # renewal reminders and notices (第17条 4–5), by quarter (附件二)
    "notice": {"maturity notice 领取通知": _L("领取通知", "maturity notice"),
               "lapse notice 复效通知": _L("复效通知", "lapse notice"),
               "maturity": _L("领取通知", "maturity notice"), "lapse": _L("复效通知", "lapse notice")},
    "quarter": {f"Q{q}": _L(f"第{z}季度", f"Q{q}") for q, z in zip(range(1, 5), "一二三四")},
    # a calibration group (calibrate.group_label): Gold, or Silver of one branch class
    "group": {"金牌 Gold": _L("金牌", "Gold"),
              **{f"银牌 Silver, class {c}": _L(f"银牌{c}类", f"Silver, class {c}") for c in BRANCH_CLASSES}},
}
for _column, _words in _CELL_WORDS.items():
    VALUE_TERMS[_column] = {**_words, **VALUE_TERMS.get(_column, {})}


if __name__ == "__main__":
    print(glossary_markdown(), end="")
