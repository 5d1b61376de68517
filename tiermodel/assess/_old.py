"""Running the tiers: service-time compliance (第17–18条), satisfaction scorecard (第35条),
complaint consequences (第34条) and the executives' revisit plan (第23–27条).

Every function is pure: it takes validated tables (see :mod:`tiermodel.logs`), the tier
table of :func:`tiermodel.tiers.assign_tiers` (``customer_id``, ``branch``, ``tier``) and a
:class:`~tiermodel.policy.Policy`, and returns new frames. Numbers come from the policy:
``service_times``, ``satisfaction``, ``complaints``, ``revisits``, ``executive_quotas``.

Conventions (ours; the policy states none):

* **Working days** follow the mainland-China official calendar, with the adjusted working
  weekends (调休), from the ``chinesecalendar`` package, whose data covers 2004–2026. A
  service's duration is the number of working days *after* the start date up to and
  including the end date: done the same day = 0; started Friday and done Monday = 1. A
  date outside the covered years is refused, never guessed.
* A service meets its limit when its working days ≤ the limit (第17条 regular, 第18条 VIP
  for Gold and Silver; VIP policy issuance of an extra-large customer ≤ 7).
* **Satisfaction weights** (第35条 "总、分公司考核权重分别为 30% 和 70%"): read as the weights of
  the head-office survey and the branch survey of the same customers; a tier/branch with
  only one of the two surveys takes that survey alone (the weights are renormalised).
* **Complaints**: counted per person and calendar year, verified ones only; past the end of
  the 第34条 list the last consequence applies again. Each verified back-office complaint
  deducts 10 % of that month's performance pay of the person and of the department head;
  the monthly total is capped at 100 %.
* **Revisit plan**: a quota of 第23–25条 counts distinct customers ("10~15 个金牌 VIP 客户").
  An executive may join several revisits of one customer, up to the customer's yearly
  minimum; a customer's revisits are counted once per executive joining them.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import CalendarRangeError, InputTableError, Problem, TiermodelError
from .vocabulary import ANSWER_LEVELS, SERVICE_TYPES
from .policy import Policy
from .tiers import TIER_NAMES

VIP_TIERS = ("gold", "silver")
#: Tie-break among equally good revisit plans: which executives' visits to prefer.
ROLE_PREFERENCE = {"gm_office": 1.0, "department_head": 0.5, "branch_head": 0.25}


# ----------------------------------------------------------------------------- calendar
@functools.lru_cache(maxsize=1)
def _workday_table() -> tuple[np.datetime64, np.datetime64, np.ndarray]:
    """First and last covered day and the cumulative count of working days from the first."""
    import chinese_calendar
    from chinese_calendar.constants import holidays

    first = np.datetime64(f"{min(holidays).year}-01-01")
    last = np.datetime64(f"{max(holidays).year}-12-31")
    days = np.arange(first, last + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    is_work = weekday < 5
    extra = np.array(sorted(chinese_calendar.workdays), dtype="datetime64[D]")
    off = np.array(sorted(holidays), dtype="datetime64[D]")
    is_work[(off - first).astype(np.int64)] = False
    is_work[(extra - first).astype(np.int64)] = True
    return first, last, np.cumsum(is_work)


def calendar_years() -> tuple[int, int]:
    """First and last year covered by the official calendar data (chinesecalendar)."""
    first, last, _ = _workday_table()
    return int(str(first)[:4]), int(str(last)[:4])


def _day_index(dates) -> np.ndarray:
    first, last, _ = _workday_table()
    d = np.asarray(pd.to_datetime(np.atleast_1d(dates)).values.astype("datetime64[D]"))
    outside = (d < first) | (d > last)
    if outside.any():
        y0, y1 = calendar_years()
        bad = pd.Timestamp(d[np.flatnonzero(outside)[0]]).date()
        raise CalendarRangeError(f"{bad} is outside the official holiday calendar, which covers "
                                 f"{y0}–{y1} (chinesecalendar); working days cannot be counted")
    return (d - first).astype(np.int64)


def working_days(start, end) -> np.ndarray:
    """Working days from ``start`` to ``end`` (第17–18条 service times) [working days].

    Counts the working days after the start date up to and including the end date, under
    the mainland-China official calendar with its adjusted working weekends: the same day
    gives 0, Friday to Monday gives 1.

    Parameters
    ----------
    start, end : date-like or arrays of them
        Start (request complete) and end (service done) dates; ``end >= start``.

    Raises
    ------
    CalendarRangeError
        When a date lies outside the years the calendar data covers (2004–2026).
    """
    _, _, cum = _workday_table()
    first_day = _day_index(start)
    return cum[_day_index(end)] - cum[first_day]


# ----------------------------------------------------------------------------- tier lookup
def _with_tiers(log: pd.DataFrame, tiers: pd.DataFrame, file: str) -> pd.DataFrame:
    """Add ``branch`` and ``tier`` of each log row's customer; refuse unknown customers."""
    lookup = tiers[["customer_id", "branch", "tier"]].astype({"tier": str})
    out = log.merge(lookup, on="customer_id", how="left", validate="many_to_one")
    missing = np.flatnonzero(out["tier"].isna().to_numpy())
    if len(missing):
        raise InputTableError(file, [Problem(int(i) + 2, out["customer_id"].iloc[i], "customer_id",
                                             f"unknown customer '{out['customer_id'].iloc[i]}': "
                                             "not in the portfolio") for i in missing[:50]])
    return out


# ----------------------------------------------------------------------------- 1. service times
def service_limits(policy: Policy) -> pd.DataFrame:
    """The 第17–18条 limits per service type [working days]: regular, VIP, VIP extra-large."""
    rows = []
    for name in SERVICE_TYPES:
        t = getattr(policy.service_times, name)
        xl = t.vip_extra_large_days if t.vip_extra_large_days is not None else t.vip_days
        rows.append((name, t.regular_days, t.vip_days, xl))
    return pd.DataFrame(rows, columns=["service_type", "regular_days", "vip_days",
                                       "vip_extra_large_days"]).set_index("service_type")


@dataclass
class ServiceCompliance:
    """Result of :func:`service_compliance`.

    ``events`` is the log with ``branch``, ``tier``, ``working_days``, ``limit_days``,
    ``within_limit`` and ``excess_days``; ``by_type`` and ``by_branch`` count events, breaches
    and the compliance share per service type (branch) and tier; ``breaches`` lists the
    events over their limit, worst first.
    """

    events: pd.DataFrame
    by_type: pd.DataFrame
    by_branch: pd.DataFrame
    breaches: pd.DataFrame

    def by_tier(self) -> pd.DataFrame:
        """Events, breaches and compliance share [share, 0–1] per tier."""
        return _compliance_table(self.events, ["tier"])

    def compliance_matrix(self) -> pd.DataFrame:
        """Compliance share [share, 0–1] with service types as rows and tiers as columns."""
        return self.by_type["compliance"].unstack("tier").reindex(columns=TIER_NAMES)


def _compliance_table(events: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = events.groupby(by, observed=True, sort=True)
    table = pd.DataFrame({
        "events": g.size(),
        "breaches": g["within_limit"].apply(lambda s: int((~s).sum())),
        "compliance": g["within_limit"].mean(),
        "mean_working_days": g["working_days"].mean(),
    })
    return table


def service_compliance(log: pd.DataFrame, tiers: pd.DataFrame, policy: Policy,
                       file: str = "<service log>") -> ServiceCompliance:
    """Service-time compliance against 第17条 (regular) and 第18条 (VIP green channel).

    Parameters
    ----------
    log : DataFrame
        Validated service event log (:data:`tiermodel.logs.SERVICE_LOG_SCHEMA`).
    tiers : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``.
    policy : Policy
        Supplies ``service_times`` [working days].
    file : str
        Name of the log in messages.

    Raises
    ------
    InputTableError
        An unknown customer, or a date outside the calendar's years (row and column named).
    """
    events = _with_tiers(log, tiers, file)
    first, last, cum = _workday_table()
    problems = []
    for column in ("start_date", "end_date"):
        d = events[column].to_numpy().astype("datetime64[D]")
        for i in np.flatnonzero((d < first) | (d > last))[:50]:
            y0, y1 = calendar_years()
            problems.append(Problem(int(i) + 2, events["customer_id"].iloc[i], column,
                                    f"{pd.Timestamp(d[i]).date()} is outside the official holiday "
                                    f"calendar ({y0}–{y1}); working days cannot be counted"))
    if problems:
        raise InputTableError(file, problems)
    events["working_days"] = working_days(events["start_date"], events["end_date"])
    limits = service_limits(policy).reindex(events["service_type"])
    vip = events["tier"].isin(VIP_TIERS).to_numpy()
    extra_large = events["extra_large"].to_numpy(dtype=bool) if "extra_large" in events \
        else np.zeros(len(events), dtype=bool)
    events["limit_days"] = np.where(vip, np.where(extra_large, limits["vip_extra_large_days"],
                                                  limits["vip_days"]),
                                    limits["regular_days"]).astype(np.int64)
    events["within_limit"] = events["working_days"] <= events["limit_days"]
    events["excess_days"] = np.maximum(events["working_days"] - events["limit_days"], 0)
    events["tier"] = pd.Categorical(events["tier"], categories=TIER_NAMES)
    events["service_type"] = pd.Categorical(events["service_type"], categories=list(SERVICE_TYPES))
    by_type = _compliance_table(events, ["service_type", "tier"])
    by_type.insert(0, "limit_days", events.groupby(["service_type", "tier"], observed=True)["limit_days"].min())
    by_branch = _compliance_table(events, ["branch", "tier"])
    breaches = events[~events["within_limit"]].sort_values(
        ["excess_days", "start_date", "customer_id"], ascending=[False, True, True])
    return ServiceCompliance(events, by_type, by_branch, breaches.reset_index(drop=True))


# ----------------------------------------------------------------------------- 2. satisfaction
LEVELS = list(ANSWER_LEVELS)
_TOL = 1e-9


def _shares(answers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    counts = pd.crosstab([answers[b] for b in by], answers["answer"]).reindex(columns=LEVELS, fill_value=0)
    n = counts.sum(axis=1)
    shares = counts.div(n, axis=0)
    shares["satisfied_or_better"] = shares["very_satisfied"] + shares["satisfied"]
    shares.insert(0, "answers", n)
    shares.columns.name = None
    return shares


def _passes(shares: pd.DataFrame, tiers: pd.Series, policy: Policy) -> pd.Series:
    """第35条 test of each row's shares against its tier's targets."""
    target = pd.DataFrame({t: getattr(policy.satisfaction, t).model_dump() for t in TIER_NAMES}).T
    t = target.reindex(tiers.to_numpy())
    t.index = shares.index
    return ((shares["very_satisfied"] >= t["very_satisfied_min"] - _TOL)
            & (shares["satisfied_or_better"] >= t["satisfied_or_better_min"] - _TOL)
            & (shares["average"] <= t["average_max"] + _TOL)
            & (shares["dissatisfied"] <= t["dissatisfied_max"] + _TOL))


@dataclass
class Scorecard:
    """Result of :func:`satisfaction_scorecard`: shares of the four levels [share, 0–1] and
    the 第35条 verdict, per tier (``by_tier``), per branch and tier (``by_branch``), and the
    head-office/branch weighted shares per branch and tier (``weighted``)."""

    by_tier: pd.DataFrame
    by_branch: pd.DataFrame
    weighted: pd.DataFrame


def satisfaction_scorecard(survey: pd.DataFrame, tiers: pd.DataFrame, policy: Policy,
                           file: str = "<survey>") -> Scorecard:
    """Satisfaction shares and the 第35条 pass/fail, plain and head-office/branch weighted.

    Parameters
    ----------
    survey : DataFrame
        Validated survey answers (:data:`tiermodel.logs.SURVEY_SCHEMA`); ``surveyed_by``
        defaults to ``branch``.
    tiers : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``.
    policy : Policy
        ``satisfaction`` targets [share] and head-office weights (Gold 30 %, Silver 20 %).

    Returns
    -------
    Scorecard
        ``weighted`` holds, per branch and tier, the shares of each survey
        (``head_office``/``branch``), the weighted shares ``w_HO × head-office share +
        (1 − w_HO) × branch share`` and ``passes``.
    """
    answers = _with_tiers(survey, tiers, file)
    if "surveyed_by" not in answers:
        answers["surveyed_by"] = "branch"
    answers["surveyed_by"] = answers["surveyed_by"].fillna("branch").replace("", "branch")
    answers["tier"] = pd.Categorical(answers["tier"], categories=TIER_NAMES)

    by_tier = _shares(answers, ["tier"])
    by_tier["passes"] = _passes(by_tier, by_tier.index.to_series(), policy)
    by_branch = _shares(answers, ["branch", "tier"])
    by_branch["passes"] = _passes(by_branch, by_branch.index.get_level_values("tier").to_series(), policy)

    per_surveyor = _shares(answers, ["branch", "tier", "surveyed_by"])
    w_ho = pd.Series({t: getattr(policy.satisfaction, t).head_office_weight for t in TIER_NAMES})
    idx = per_surveyor.index
    weight = np.where(idx.get_level_values("surveyed_by") == "head_office",
                      w_ho.reindex(idx.get_level_values("tier").astype(str)).to_numpy(),
                      1 - w_ho.reindex(idx.get_level_values("tier").astype(str)).to_numpy())
    weight = pd.Series(weight, index=idx)
    cols = LEVELS + ["satisfied_or_better"]
    norm = weight.groupby(level=["branch", "tier"], observed=True).transform("sum")
    norm_weight = (weight / norm.where(norm > 0, np.nan)).fillna(0.0)
    weighted = per_surveyor[cols].mul(norm_weight, axis=0).groupby(level=["branch", "tier"], observed=True).sum()
    very = per_surveyor["very_satisfied"].unstack("surveyed_by")
    weighted.insert(0, "very_satisfied_branch", very.get("branch"))
    weighted.insert(0, "very_satisfied_head_office", very.get("head_office"))
    present = per_surveyor["answers"].unstack("surveyed_by").notna()
    weighted.insert(0, "surveys", np.select(
        [present.get("head_office", False) & present.get("branch", False), present.get("head_office", False)],
        ["head office + branch", "head office only"], "branch only"))
    weighted.insert(0, "head_office_weight", w_ho.reindex(weighted.index.get_level_values("tier").astype(str)).to_numpy())
    weighted["passes"] = _passes(weighted, weighted.index.get_level_values("tier").to_series(), policy)
    return Scorecard(by_tier, by_branch, weighted)


# ----------------------------------------------------------------------------- 3. complaints
@dataclass
class ComplaintConsequences:
    """Result of :func:`complaint_consequences`.

    ``complaints``: one row per verified complaint with its ordinal for the person
    (``nth``), the 第34条 ``action`` and the pay deductions [share of that month's
    performance pay]; ``by_person``: per person the complaints and every action;
    ``pay_deductions``: per person and month the total deduction [share, capped at 1].
    """

    complaints: pd.DataFrame
    by_person: pd.DataFrame
    pay_deductions: pd.DataFrame


def complaint_consequences(log: pd.DataFrame, policy: Policy) -> ComplaintConsequences:
    """The 第34条 consequences of verified complaints, per complaint and per person.

    Back office (①): 1st complaint public criticism, 2nd job rotation; each complaint
    deducts ``back_office_pay_deduction_share`` (10 %) of that month's performance pay of the
    person and of the department head. Salesperson (②): 1st warning, 2nd public criticism,
    3rd loses the right to serve the customer of that complaint.

    Parameters
    ----------
    log : DataFrame
        Validated complaint log (:data:`tiermodel.logs.COMPLAINT_SCHEMA`).
    policy : Policy
        ``complaints``: the action lists and the deduction share.
    """
    c = log.copy()
    if "verified" not in c:
        c["verified"] = True
    for col in ("complaint_id", "department", "department_head"):
        if col not in c:
            c[col] = ""
    c = c[c["verified"]].sort_values(["person", "complaint_date", "complaint_id"], kind="stable")
    c["year"] = c["complaint_date"].dt.year
    c["nth"] = c.groupby(["person", "year"]).cumcount().to_numpy() + 1
    rules = policy.complaints
    actions = {"back_office": np.array(rules.back_office_actions, dtype=object),
               "salesperson": np.array(rules.salesperson_actions, dtype=object)}
    c["action"] = ""
    for role, acts in actions.items():
        mask = (c["role"] == role).to_numpy()
        c.loc[mask, "action"] = acts[np.minimum(c.loc[mask, "nth"].to_numpy(), len(acts)) - 1]
    last_sales = (c["role"] == "salesperson") & (c["nth"] >= len(actions["salesperson"]))
    c.loc[last_sales, "action"] = c.loc[last_sales, "action"] + " " + c.loc[last_sales, "customer_id"]
    share = rules.back_office_pay_deduction_share
    back = (c["role"] == "back_office").to_numpy()
    c["person_pay_deduction"] = np.where(back, share, 0.0)
    c["head_pay_deduction"] = np.where(back & c["department_head"].ne("").to_numpy(), share, 0.0)
    c["month"] = c["complaint_date"].dt.strftime("%Y-%m")
    complaints = c[["complaint_id", "complaint_date", "month", "customer_id", "person", "role",
                    "department", "department_head", "nth", "action", "person_pay_deduction",
                    "head_pay_deduction"]].reset_index(drop=True)

    g = complaints.groupby(["person", "role"], sort=True)
    by_person = pd.DataFrame({
        "department": g["department"].first(),
        "complaints": g.size(),
        "actions": g["action"].agg("; ".join),
        "pay_deduction_total": g["person_pay_deduction"].sum(),
    }).reset_index()
    own = complaints[["person", "month", "person_pay_deduction"]].rename(
        columns={"person_pay_deduction": "deduction"}).assign(as_="person complained about")
    head = complaints[complaints["head_pay_deduction"] > 0][["department_head", "month", "head_pay_deduction"]]
    head = head.rename(columns={"department_head": "person", "head_pay_deduction": "deduction"}) \
        .assign(as_="department head")
    both = pd.concat([own[own["deduction"] > 0], head], ignore_index=True)
    pay = both.groupby(["person", "as_", "month"], sort=True).agg(
        complaints=("deduction", "size"), deduction=("deduction", "sum")).reset_index()
    pay["deduction"] = pay["deduction"].clip(upper=1.0)
    pay = pay.rename(columns={"as_": "as", "deduction": "pay_deduction_share"})
    return ComplaintConsequences(complaints, by_person, pay)


# ----------------------------------------------------------------------------- 4. revisit plan
@dataclass
class RevisitPlan:
    """Result of :func:`plan_revisits`.

    ``assignments``: executive, customer and the revisits the executive joins;
    ``executives``: per executive the distinct Gold and Silver customers, the 第23–25条
    bounds and any shortfall; ``customers``: per VIP the revisits required (第18条) and
    planned; ``notes``: plain statements of what cannot be met, by how much and where.
    """

    assignments: pd.DataFrame
    executives: pd.DataFrame
    customers: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    status: str = ""

    @property
    def feasible(self) -> bool:
        return not (self.executives[["gold_shortfall", "silver_shortfall"]].to_numpy().any()
                    or self.customers["shortfall"].to_numpy().any())


def _quota_table(executives: pd.DataFrame, policy: Policy, vip: pd.DataFrame) -> pd.DataFrame:
    """Per executive the bounds on distinct Gold/Silver customers (第23–25条)."""
    q = policy.executive_quotas
    role = executives["role"].to_numpy()
    big = len(vip)
    local_gold = vip[vip["tier"] == "gold"].groupby("branch").size()
    n_local_gold = executives["branch"].map(local_gold).fillna(0).astype(int).to_numpy()
    gold_min = np.select([role == "gm_office", role == "department_head", role == "branch_head"],
                         [q.gm_office_gold_min, q.department_head_gold_min,
                          n_local_gold if q.branch_head_visits_all_local_gold else 0], 0)
    gold_max = np.select([role == "gm_office", role == "department_head"],
                         [q.gm_office_gold_max, q.department_head_gold_max], big)
    silver_min = np.select([role == "department_head", role == "branch_head"],
                           [q.department_head_silver_min, q.branch_head_silver_min], 0)
    silver_max = np.select([role == "gm_office", role == "department_head"],
                           [0, q.department_head_silver_max], big)
    return pd.DataFrame({"gold_min": gold_min, "gold_max": gold_max, "silver_min": silver_min,
                         "silver_max": silver_max}, index=executives.index)


def plan_revisits(tiers: pd.DataFrame, executives: pd.DataFrame, policy: Policy) -> RevisitPlan:
    """Assign executives to the year's VIP revisits by mixed-integer programming (第23–27条).

    Decision variables, for every executive–customer pair allowed (GM-office members: any
    Gold; department heads: any Gold or Silver; a branch head: the Gold and Silver of the
    branch): ``x`` = revisits of the customer the executive joins (0 … the customer's
    minimum) and ``z`` = 1 when ``x ≥ 1``. Constraints:

    * every Gold has ≥ ``revisits.gold_min_per_year`` (3) revisits joined by executives,
      every Silver ≥ ``silver_min_per_year`` (2) (第18条 2③);
    * a GM-office member joins 10–15 distinct Gold customers (第23条); a department head
      2–3 Gold and 3–5 Silver (第24条); a branch head ≥ 20 local Silver and every local Gold
      (第25条).

    Minimum quotas and customer revisits are elastic: a shortfall variable on each, priced
    far above a revisit, so the plan always exists and the shortfalls say by how much and
    where the quotas cannot be met. Subject to the smallest total shortfall, the plan uses
    the fewest executive revisits and then, among equal plans, the most distinct executives
    per customer (head office before department heads before branch heads,
    :data:`ROLE_PREFERENCE`), so a Gold customer meets head office where the quotas allow.
    A branch head's Silver quota counts the branch's own Silver customers (Silver is rated
    and served by the branch, 第13条).

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``).
    executives : DataFrame
        Validated executive table (:func:`tiermodel.logs.validate_executives`).
    policy : Policy
        ``revisits`` and ``executive_quotas``.
    """
    vip = tiers.loc[tiers["tier"].astype(str).isin(VIP_TIERS), ["customer_id", "branch", "tier"]] \
        .astype({"tier": str}).sort_values(["tier", "branch", "customer_id"]).reset_index(drop=True)
    ex = executives.reset_index(drop=True)
    rv = policy.revisits
    required = np.where(vip["tier"] == "gold", rv.gold_min_per_year, rv.silver_min_per_year)
    is_gold = (vip["tier"] == "gold").to_numpy()
    quotas = _quota_table(ex, policy, vip)

    # allowed pairs (executive e, customer c)
    role = ex["role"].to_numpy()
    n_e, n_c = len(ex), len(vip)
    allowed = np.zeros((n_e, n_c), dtype=bool)
    allowed[role == "gm_office"] = is_gold
    allowed[role == "department_head"] = True
    heads = np.flatnonzero(role == "branch_head")
    allowed[heads] = ex["branch"].to_numpy()[heads, None] == vip["branch"].to_numpy()[None, :]
    pe, pc = np.nonzero(allowed)
    n_p = len(pe)
    gold_pair = is_gold[pc]
    must_visit = (role[pe] == "branch_head") & gold_pair & policy.executive_quotas.branch_head_visits_all_local_gold

    # variables: x (n_p), z (n_p), gold shortfall (n_e), silver shortfall (n_e), customer shortfall (n_c)
    n_var = 2 * n_p + 2 * n_e + n_c
    ix, iz = np.arange(n_p), n_p + np.arange(n_p)
    isg, iss, iu = 2 * n_p + np.arange(n_e), 2 * n_p + n_e + np.arange(n_e), 2 * n_p + 2 * n_e + np.arange(n_c)
    penalty = float(required.sum() + 1)
    cost = np.zeros(n_var)
    cost[ix] = 1.0
    cost[n_p * 2:] = penalty
    # among plans with the fewest shortfalls and revisits, prefer more distinct executives per
    # customer, head office first (the reward stays below one revisit in total)
    role_weight = pd.Series(ROLE_PREFERENCE).reindex(role[pe]).fillna(0).to_numpy()
    cost[iz] = -0.5 * role_weight / (n_p + 1)
    lower = np.zeros(n_var)
    upper = np.full(n_var, np.inf)
    upper[ix] = required[pc]
    upper[iz] = 1
    lower[iz[must_visit]] = 1
    integrality = np.zeros(n_var)
    integrality[: 2 * n_p] = 1

    def block(rows, cols, vals, n_rows):
        return sparse.csr_matrix((vals, (rows, cols)), shape=(n_rows, n_var))

    cons = []
    p = np.arange(n_p)
    # link: x - z >= 0 and x - m z <= 0
    link = block(np.r_[p, p], np.r_[ix, iz], np.r_[np.ones(n_p), -np.ones(n_p)], n_p)
    cons.append(LinearConstraint(link, 0, np.inf))
    link2 = block(np.r_[p, p], np.r_[ix, iz], np.r_[np.ones(n_p), -required[pc].astype(float)], n_p)
    cons.append(LinearConstraint(link2, -np.inf, 0))
    # coverage: sum_e x + u >= required
    cover = block(np.r_[pc, np.arange(n_c)], np.r_[ix, iu], np.ones(n_p + n_c), n_c)
    cons.append(LinearConstraint(cover, required, np.inf))
    # quotas on distinct customers
    for tier_mask, short, lo, hi in [(gold_pair, isg, "gold_min", "gold_max"),
                                     (~gold_pair, iss, "silver_min", "silver_max")]:
        sel = np.flatnonzero(tier_mask)
        a_min = block(np.r_[pe[sel], np.arange(n_e)], np.r_[iz[sel], short], np.ones(len(sel) + n_e), n_e)
        cons.append(LinearConstraint(a_min, quotas[lo].to_numpy(float), np.inf))
        a_max = block(pe[sel], iz[sel], np.ones(len(sel)), n_e)
        cons.append(LinearConstraint(a_max, -np.inf, quotas[hi].to_numpy(float)))
    res = milp(cost, constraints=cons, integrality=integrality, bounds=Bounds(lower, upper),
               options={"time_limit": 60})
    if res.x is None:
        raise TiermodelError(f"the revisit plan could not be solved: {res.message}")
    sol = np.round(res.x).astype(np.int64)

    x = sol[ix]
    keep = x > 0
    assignments = pd.DataFrame({
        "executive_id": ex["executive_id"].to_numpy()[pe[keep]],
        "role": role[pe[keep]],
        "customer_id": vip["customer_id"].to_numpy()[pc[keep]],
        "tier": vip["tier"].to_numpy()[pc[keep]],
        "branch": vip["branch"].to_numpy()[pc[keep]],
        "revisits": x[keep],
    })
    z = sol[iz].astype(bool)
    gold_count = np.bincount(pe[z & gold_pair], minlength=n_e)
    silver_count = np.bincount(pe[z & ~gold_pair], minlength=n_e)
    exec_table = ex[["executive_id", "role", "branch"]].copy()
    exec_table["gold_customers"] = gold_count
    exec_table["gold_min"], exec_table["gold_max"] = quotas["gold_min"], quotas["gold_max"]
    exec_table["silver_customers"] = silver_count
    exec_table["silver_min"], exec_table["silver_max"] = quotas["silver_min"], quotas["silver_max"]
    exec_table["gold_shortfall"] = np.maximum(quotas["gold_min"].to_numpy() - gold_count, 0)
    exec_table["silver_shortfall"] = np.maximum(quotas["silver_min"].to_numpy() - silver_count, 0)
    planned = np.bincount(pc, weights=x, minlength=n_c).astype(np.int64)
    customers = vip.copy()
    customers["required"] = required
    customers["planned"] = planned
    customers["executives"] = np.bincount(pc[z], minlength=n_c)
    customers["shortfall"] = np.maximum(required - planned, 0)
    notes = revisit_notes(exec_table, customers, vip, ex)
    return RevisitPlan(assignments, exec_table, customers, notes, res.message)


def revisit_notes(executives: pd.DataFrame, customers: pd.DataFrame, vip: pd.DataFrame,
                  ex: pd.DataFrame) -> list[str]:
    """Plain statements of the quotas and revisits the plan cannot meet, by how much and where."""
    notes = []
    silver_local = vip[vip["tier"] == "silver"].groupby("branch").size()
    labels = {"gm_office": "GM-office member", "department_head": "department head",
              "branch_head": "branch head"}
    for kind in ("gold", "silver"):
        short = executives[executives[f"{kind}_shortfall"] > 0]
        for role, grp in short.groupby("role", sort=False):
            where = ", ".join(
                f"{r.branch or r.executive_id} {getattr(r, kind + '_shortfall')}"
                + (f" (only {int(silver_local.get(r.branch, 0))} Silver)" if role == "branch_head" and kind == "silver" else "")
                for r in grp.itertuples())
            notes.append(f"{len(grp)} {labels[role]}(s) fall short of the {kind.title()} quota by "
                         f"{int(grp[kind + '_shortfall'].sum())} customer(s) in all: {where}.")
    short = customers[customers["shortfall"] > 0]
    if len(short):
        by = short.groupby(["tier", "branch"])["shortfall"].sum()
        notes.append(f"{len(short)} VIP customer(s) lack {int(short['shortfall'].sum())} executive "
                     f"revisit(s): " + ", ".join(f"{t} in {b} {v}" for (t, b), v in by.items()) + ".")
    no_head = sorted(set(vip["branch"]) - set(ex.loc[ex["role"] == "branch_head", "branch"]))
    if no_head:
        notes.append(f"No branch head listed for {len(no_head)} branch(es) with VIPs: {', '.join(no_head)}.")
    if not notes:
        notes.append("Every quota of 第23–25条 and every revisit minimum of 第18条 is met.")
    return notes


# ----------------------------------------------------------------------------- all four at once
def assessment_tables(tiers: pd.DataFrame, service: pd.DataFrame, survey: pd.DataFrame,
                      complaints: pd.DataFrame, executives: pd.DataFrame,
                      policy: Policy) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The key tables of the four assessments (sheet name → table) and the revisit notes."""
    compliance = service_compliance(service, tiers, policy)
    card = satisfaction_scorecard(survey, tiers, policy)
    consequences = complaint_consequences(complaints, policy)
    plan = plan_revisits(tiers, executives, policy)
    tables = {
        "compliance by type": compliance.by_type.reset_index(),
        "compliance by branch": compliance.by_branch.reset_index(),
        "service breaches": compliance.breaches,
        "satisfaction by tier": card.by_tier.reset_index(),
        "satisfaction by branch": card.by_branch.reset_index(),
        "satisfaction weighted": card.weighted.reset_index(),
        "complaints": consequences.complaints,
        "complaints by person": consequences.by_person,
        "pay deductions": consequences.pay_deductions,
        "revisit plan": plan.assignments,
        "executive quotas": plan.executives,
        "revisit customers": plan.customers,
        "revisit notes": pd.DataFrame({"note": plan.notes}),
    }
    return tables, plan.notes
