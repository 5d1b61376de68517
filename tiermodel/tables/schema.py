"""Every input table described as data: its columns (English name, Chinese header, unit, kind,
bounds, required or optional, allowed values) and its table rules (unique ids, no repeated
rows, dates within the log year, one date not before another).

One :class:`Table` per input: :data:`CUSTOMERS`, :data:`BRANCHES`, the seven event tables
(:data:`SERVICE`, :data:`SURVEY`, :data:`COMPLAINTS`, :data:`EXECUTIVES`, :data:`DELIVERY`,
:data:`HOTLINE`, :data:`POLICIES`), :data:`HISTORY`, :data:`OVERRIDES` and
:data:`NOMINATIONS`. :mod:`tiermodel.tables.validation` checks a table against its schema.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import (ANSWER_LEVELS, COMPLAINT_ROLES, DELIVERY_SERVICES, EXECUTIVE_ROLES,
                          HOTLINE_KINDS, SERVICE_TYPES, SURVEYORS)

# ----------------------------------------------------------------------------- bounds
LOSS_RATIO_MAX = 5.0  # a loss ratio above 500 % is taken for a percentage typed as a number
MARGIN_MIN = -10.0
#: Largest plausible yearly amount of one customer [CNY]: 1 万亿元 (a third of the whole
#: Chinese life market's premium). Above it a value is an export slip or an overflow
#: (1e308, inf), refused rather than made Gold; a 10,000× unit slip below it is warned about.
AMOUNT_MAX = 1e12
#: Most effective insured years a customer can have (group insurance in China restarted 1982).
YEARS_MAX = 100
#: Most Silver places one branch can have in a branch table.
CAPACITY_MAX = 10_000
#: Largest plausible cost of one delivered service [CNY]: 1,000 万元, a hundred times the dearest
#: item of the 附件七 catalogue (a study tour); above it a cost is a unit or export slip.
COST_MAX = 1e7
#: Years a history or override may name.
YEAR_RANGE = (1990, 2100)

TRUE_WORDS = {"true", "1", "yes", "y", "t", "是", "新", "1.0"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "否", "0.0", "老"}  # a blank is refused, not "no"

# Words read as each tier (English keys, Chinese names of 第7条, the bilingual labels) and
# each override action.
TIER_WORDS = {
    "gold": {"gold", "金牌", "金牌vip", "金牌 vip", "金牌客户", "金牌vip客户", "金牌 gold"},
    "silver": {"silver", "银牌", "银牌vip", "银牌 vip", "银牌客户", "银牌vip客户", "银牌 silver"},
    "regular": {"regular", "普通", "普通客户", "常规", "常规客户", "普通 regular"},
}
ACTION_WORDS = {"in": {"in", "force in", "force_in", "纳入", "强制纳入", "加入", "入选"},
                "out": {"out", "force out", "force_out", "剔除", "强制剔除", "移出", "退出"}}
ANSWER_ALIASES = {"不满": "dissatisfied"}
#: Earlier labels of the claim service types, still read (the text's words are 一般理赔案件 / 调查案件).
SERVICE_TYPE_ALIASES = {"普通理赔": "claim_ordinary", "调查理赔": "claim_investigated",
                        "一般理赔": "claim_ordinary"}


def _vocabulary(mapping: dict[str, str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted spellings (English key, Chinese label, aliases) → English key."""
    out = {k: k for k in mapping}
    out.update({v: k for k, v in mapping.items()})
    out.update(aliases or {})
    return out


#: Service types of the hotline (第18条 2①): recorded in the hotline log, refused in a service log.
HOTLINE_SERVICE_TYPES = ("hotline_enquiry", "hotline_complaint")

#: Allowed values of each closed column: kind → (spelling → English key, what a bad word is).
VOCABULARIES = {
    "service_type": (_vocabulary(SERVICE_TYPES, SERVICE_TYPE_ALIASES), "unknown service type"),
    "answer": (_vocabulary(ANSWER_LEVELS, ANSWER_ALIASES), "unknown satisfaction level"),
    "surveyor": (_vocabulary(SURVEYORS), "unknown surveyor"),
    "complaint_role": (_vocabulary(COMPLAINT_ROLES), "unknown role"),
    "executive_role": (_vocabulary(EXECUTIVE_ROLES), "unknown role"),
    "delivery_service": (_vocabulary(DELIVERY_SERVICES), "unknown service name"),
    "hotline_kind": (_vocabulary(HOTLINE_KINDS), "unknown call kind"),
}


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``kind`` says how a cell is read and checked: ``id``/``text``/``optional_text`` (stripped
    text), ``customer`` (a customer of the book), ``class`` (A–D), ``bool`` (yes/no words),
    ``date``, a vocabulary of :data:`VOCABULARIES` (allowed values), or a number kind
    (``amount``, ``signed_amount``, ``ratio``, ``margin``, ``int``, ``objects``, ``count``,
    ``cost``, ``year``, ``number``). ``low``/``high`` bound a number [``unit``].
    """

    name: str
    label: str  # Chinese header of a core-system extract
    kind: str
    required: bool
    description: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    whole: bool = False  # a number that must be whole


@dataclass(frozen=True)
class Table:
    """An input table: its columns and the rules over its rows.

    ``unique``: columns whose value (when given) appears on one row only, with the rule's
    words; ``no_repeated_rows``: a row repeated cell for cell is refused; ``in_year``: date
    columns that must fall in the log year; ``order``: (earlier, later) date pairs.
    """

    name: str
    columns: tuple[Column, ...]
    rows: str = "rows"
    unique: tuple[tuple[str, str], ...] = ()
    no_repeated_rows: bool = False
    in_year: tuple[str, ...] = ()
    order: tuple[tuple[str, str], ...] = ()
    elsewhere: tuple[tuple[str, tuple[str, ...], str], ...] = ()

    def __iter__(self):
        return iter(self.columns)

    def __len__(self):
        return len(self.columns)

    def __getitem__(self, i):
        return self.columns[i]

    @property
    def names(self) -> list[str]:
        """English names and Chinese headers: the columns a reader keeps."""
        return [c.name for c in self.columns] + [c.label for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


NUMBER_KINDS = ("amount", "signed_amount", "ratio", "margin", "int", "objects", "count", "cost", "year", "number")

# ----------------------------------------------------------------------------- customers
CUSTOMERS = Table("customers", (
    Column("customer_id", "客户号", "id", True, "unique customer id"),
    Column("name", "客户名称", "text", False, "customer name"),
    Column("branch", "机构", "text", True, "branch serving the customer"),
    Column("branch_class", "机构类别", "class", False, "branch class A–D (or from the branch table)"),
    Column("effective_years", "有效投保年度", "int", True, "effective insured years [years, ≥ 1]",
           "years", 1, YEARS_MAX, True),
    Column("is_new", "本年新客户", "bool", True, "new customer this year"),
    Column("long_term_std_premium", "长险标准保费", "amount", True, "long-term standard premium [CNY/yr]",
           "CNY/yr", 0, AMOUNT_MAX),
    Column("health_premium", "健康险实收保费", "amount", True, "health received premium [CNY/yr]",
           "CNY/yr", 0, AMOUNT_MAX),
    Column("health_loss_ratio", "健康险赔付率", "ratio", True, "health loss ratio [share]",
           "share", 0, LOSS_RATIO_MAX),
    Column("non_health_premium", "非健康险实收保费", "amount", True, "non-health received premium [CNY/yr]",
           "CNY/yr", 0, AMOUNT_MAX),
    Column("non_health_loss_ratio", "非健康险赔付率", "ratio", True, "non-health loss ratio [share]",
           "share", 0, LOSS_RATIO_MAX),
    Column("profit_margin", "利润率", "margin", False, "underwriting profit ÷ premium [share]",
           "share", MARGIN_MIN, 1),
    Column("underwriting_profit", "承保利润", "signed_amount", False, "underwriting profit [CNY/yr]",
           "CNY/yr", -AMOUNT_MAX, AMOUNT_MAX),
    Column("first_service_objects", "第一服务对象人数", "objects", True, "top leaders served, 1–2",
           "persons", 1, 2, True),
    Column("second_service_objects", "第二服务对象人数", "objects", True, "handling staff served, 1–2",
           "persons", 1, 2, True),
    Column("standard_premium", "标准保费", "amount", False, "standard premium supplied directly [CNY/yr]",
           "CNY/yr", 0, AMOUNT_MAX),
), rows="customer rows", unique=(("customer_id", "duplicate customer id"),))

BRANCHES = Table("branches", (
    Column("branch", "机构", "text", True, "branch"),
    Column("branch_class", "机构类别", "class", True, "branch class A–D"),
    Column("silver_capacity", "银牌名额", "count", False, "Silver places of the branch (第13条)",
           "customers", 0, CAPACITY_MAX, True),
), rows="branch rows", unique=(("branch", "branch '{value}' listed twice"),))

# ----------------------------------------------------------------------------- event tables
SERVICE = Table("service", (
    Column("event_id", "事件编号", "id", False, "event id"),
    Column("customer_id", "客户号", "customer", True, "customer served"),
    Column("service_type", "服务类型", "service_type", True, "service type (第17–18条)"),
    Column("start_date", "开始日期", "date", True, "request complete [date]", "date"),
    Column("end_date", "结束日期", "date", True, "service done [date]", "date"),
    Column("extra_large", "特大型客户", "bool", False, "extra-large customer (第18条 1②)"),
    Column("disability_assessment", "残疾鉴定", "bool", False, "claim tied to a disability assessment (第17条 3)"),
), unique=(("event_id", "event '{value}' listed twice"),), no_repeated_rows=True, in_year=("start_date",),
    order=(("start_date", "end_date"),),
    # a hotline call is judged once, by the hotline check (第18条 2①, calendar days), from the
    # hotline log; the service times (第17–18条) leave it out, so in a service log it would be judged nowhere
    elsewhere=(("service_type", HOTLINE_SERVICE_TYPES,
                "'{value}' is a VIP hotline call (第18条 2①): record it in the hotline log (附件五, --hotline), "
                "where its answer time is judged; the service log's times (第17–18条) do not judge it"),))

SURVEY = Table("survey", (
    Column("customer_id", "客户号", "customer", True, "customer surveyed"),
    Column("answer", "满意度", "answer", True, "satisfaction level (第35条)"),
    Column("surveyed_by", "调查方", "surveyor", False, "head_office or branch"),
), no_repeated_rows=True)

COMPLAINTS = Table("complaints", (
    Column("complaint_id", "投诉编号", "id", False, "complaint id"),
    Column("complaint_date", "投诉日期", "date", True, "date of the complaint [date]", "date"),
    Column("customer_id", "客户号", "customer", True, "customer who complained"),
    Column("person", "被投诉人", "text", True, "person complained about"),
    Column("role", "岗位", "complaint_role", True, "back_office or salesperson (第34条)"),
    Column("department", "部门", "optional_text", False, "department of the person"),
    Column("department_head", "部门负责人", "optional_text", False, "head of the department"),
    Column("verified", "经核实", "bool", False, "verified complaint (第34条)"),
    Column("below_vip_standard", "未按VIP标准服务", "bool", False,
           "back office: VIP service below standard (第34条 ①)"),
    Column("misleading", "误导行为", "bool", False, "salesperson: misleading conduct verified (第34条 ②)"),
), unique=(("complaint_id", "complaint '{value}' listed twice"),), no_repeated_rows=True, in_year=("complaint_date",))

EXECUTIVES = Table("executives", (
    Column("executive_id", "人员编号", "text", True, "executive id"),
    Column("name", "姓名", "optional_text", False, "name"),
    Column("role", "职务", "executive_role", True, "gm_office, department_head or branch_head"),
    Column("branch", "机构", "optional_text", False, "branch of a branch head"),
), unique=(("executive_id", "executive '{value}' listed twice"),), no_repeated_rows=True)

DELIVERY = Table("delivery", (
    Column("delivery_id", "服务编号", "id", False, "delivery id"),
    Column("customer_id", "客户号", "customer", True, "VIP customer served"),
    Column("service", "服务项目", "delivery_service", True, "catalogue service (第18–19条)"),
    Column("date", "服务日期", "date", True, "day delivered [date]", "date"),
    Column("cost_cny", "费用", "text", True, "cost [CNY]", "CNY", 0, COST_MAX),
    Column("executives", "陪同领导", "optional_text", False, "executives at a revisit (第23–25条)"),
), unique=(("delivery_id", "delivery '{value}' listed twice"),), in_year=("date",))
# The delivery table counts deliveries per key person (附件二: festival gifts for 2 + 2 persons on
# one day are four equal rows), so equal rows without a delivery id are not a double entry; a
# repeated delivery id is.

HOTLINE = Table("hotline", (
    Column("call_id", "来电编号", "id", False, "call id"),
    Column("customer_id", "客户号", "customer", True, "caller's customer"),
    Column("kind", "类型", "hotline_kind", True, "enquiry or complaint (第18条 2①)"),
    Column("received_date", "受理日期", "date", True, "day received [date]", "date"),
    Column("answered_date", "答复日期", "date", False, "day answered [date]", "date"),
    Column("complaint_id", "投诉编号", "optional_text", False, "complaint log id (第34条)"),
), unique=(("call_id", "call '{value}' listed twice"),), no_repeated_rows=True, in_year=("received_date",))

POLICIES = Table("policies", (
    Column("policy_id", "保单号", "text", True, "policy"),
    Column("customer_id", "客户号", "customer", True, "policyholder"),
    Column("expiry_date", "满期日期", "date", True, "expiry [date]", "date"),
    Column("reminder_date", "续保提醒日期", "date", False, "renewal reminder sent [date] (第17条 4)", "date"),
    Column("renewed", "已续保", "bool", False, "renewed at expiry"),
    Column("lapse_date", "失效日期", "date", False, "lapse [date]", "date"),
    Column("notice_date", "通知日期", "date", False, "maturity or lapse notice sent [date] (第17条 5)", "date"),
), unique=(("policy_id", "policy '{value}' listed twice"),), no_repeated_rows=True, in_year=("expiry_date",))

# ----------------------------------------------------------------------------- the annual cycle
_N = "number"
HISTORY = Table("history", (
    Column("customer_id", "客户号", "id", True, "customer"),
    Column("year", "年度", "year", True, "year of the list", "year", YEAR_RANGE[0], YEAR_RANGE[1], True),
    Column("tier", "层级", "tier", True, "gold, silver or regular"),
    Column("value_index", "客户价值指标", _N, False, "value index (第10条)", "-", 0),
    Column("branch", "机构", "text", False, "branch"),
    Column("branch_class", "机构类别", "text", False, "branch class"),
    Column("approval_date", "批准日期", "date", False, "approval [date], within the list's year", "date"),
    Column("name", "客户名称", "text", False, "customer name"),
    Column("effective_years", "有效投保年度", _N, False, "effective insured years", "years"),
    Column("is_new", "本年新客户", "bool", False, "new customer that year"),
    Column("long_term_std_premium", "长险标准保费", _N, False, "long-term standard premium", "CNY/yr"),
    Column("health_premium", "健康险实收保费", _N, False, "health received premium", "CNY/yr"),
    Column("health_loss_ratio", "健康险赔付率", _N, False, "health loss ratio", "share"),
    Column("non_health_premium", "非健康险实收保费", _N, False, "non-health received premium", "CNY/yr"),
    Column("non_health_loss_ratio", "非健康险赔付率", _N, False, "non-health loss ratio", "share"),
    Column("profit_margin", "利润率", _N, False, "profit margin", "share"),
    Column("underwriting_profit", "承保利润", _N, False, "underwriting profit", "CNY/yr"),
    Column("first_service_objects", "第一服务对象人数", _N, False, "top leaders served", "persons"),
    Column("second_service_objects", "第二服务对象人数", _N, False, "handling staff served", "persons"),
    Column("standard_premium", "标准保费", _N, False, "standard premium", "CNY/yr"),
    Column("standard_premium_used", "标准保费规模", _N, False, "standard premium used", "CNY/yr"),
    Column("premium_coef", "保费规模系数", _N, False, "premium coefficient", "-"),
    Column("loyalty_coef", "忠诚度系数", _N, False, "loyalty coefficient", "-"),
    Column("profit_coef", "利润贡献系数", _N, False, "profit coefficient", "-"),
    Column("k1", "K1", _N, False, "K1", "-"),
    Column("k2", "K2", _N, False, "K2", "-"),
    Column("gold_eligible", "金牌入围", "ignored", False, "Gold eligible (recomputed)"),
    Column("gold_criteria", "金牌入围标准", "criteria", False, "Gold criteria met"),
    Column("silver_eligible", "银牌入围", "ignored", False, "Silver eligible (recomputed)"),
    Column("silver_criteria", "银牌入围标准", "criteria", False, "Silver criteria met"),
    Column("gold_bits", "金牌入围标准代码", "bits", False, "Gold criteria bitmask"),
    Column("silver_bits", "银牌入围标准代码", "bits", False, "Silver criteria bitmask"),
    Column("gold_pool", "金牌名额类别", "pool", False, "Gold places: new or existing"),
    Column("gold_rank", "金牌排名", _N, False, "Gold rank"),
    Column("branch_rank", "机构内排名", _N, False, "rank within the branch"),
    Column("tier_rank", "排名", _N, False, "rank within the tier"),
    Column("reason", "说明", "ignored", False, "reason (recomputed)"),
), unique=(("customer_id", "the same customer twice in one year"),))

OVERRIDES = Table("overrides", (
    Column("customer_id", "客户号", "id", True, "customer of this year's book"),
    Column("action", "操作", "action", True, "in (纳入) or out (剔除)"),
    Column("tier", "层级", "tier", True, "gold or silver"),
    Column("reason", "理由", "required_text", True, "reason"),
    Column("approver", "批准人", "required_text", True, "approver"),
    Column("date", "批准日期", "date", True, "approval [date], within the service year", "date"),
), unique=(("customer_id", "the same customer overridden twice; keep one decision per customer"),))

NOMINATIONS = Table("nominations", (
    Column("customer_id", "客户号", "id", True, "customer of this year's book"),
    Column("branch", "推荐机构", "text", True, "nominating branch"),
    Column("date", "推荐日期", "date", False, "nomination [date]", "date"),
    Column("note", "推荐理由", "text", False, "reason"),
), unique=(("customer_id", "customer nominated twice"),))

#: Every input table by name.
TABLES = {t.name: t for t in (CUSTOMERS, BRANCHES, SERVICE, SURVEY, COMPLAINTS, EXECUTIVES, DELIVERY,
                              HOTLINE, POLICIES, HISTORY, OVERRIDES, NOMINATIONS)}
