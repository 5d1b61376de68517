"""Nomination and approval (第12条, 附件一), the published lists (第8条) and the 15 January check.

The cycle: branches recommend Gold candidates; head office rates them by value index; the
GM office approves; service starts the month after approval (第12条 1); the VIP lists are
published at the start of the year (第8条); the Gold list and the executives' revisit plan
are due by 15 January (第26条 4, 第27条 1).

* :func:`apply_nominations` — only the customers the branches put forward compete for Gold
  (default: every eligible customer);
* :func:`apply_overrides` — head office forces customers in or out; every override is counted
  against the 30 + 10 Gold places of 第13条 and refused beyond them;
* :func:`approval_table` — the 附件一-style application/approval row of each Gold candidate;
* :func:`published_lists` — one list per branch (its 金牌 and 银牌) and the company-wide Gold list;
* :func:`deadline_check` — were the Gold list and the revisit plan ready by 15 January?
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..policy import Policy
from ..result import Result
from ..scoring import with_columns
from ..tiers import Tiering, candidate_id_rank, eligibility_bits, select
from ..vocabulary import CRITERION_TERMS, GOLD, HEALTH, LONG_TERM, NON_HEALTH, SILVER, TIERS, VIP_TIERS


# ----------------------------------------------------------------------------- service start
def service_start(approval: dt.date, policy: Policy) -> dt.date:
    """First day of service: the first of the month ``months_after_approval`` after approval (第12条)."""
    month = approval.month - 1 + policy.service_start.months_after_approval
    return dt.date(approval.year + month // 12, month % 12 + 1, 1)


def list_approval_date(year: int, policy: Policy) -> dt.date:
    """Approval date of the year's list: the due day (15) of ``service_start.approval_month``
    (assumed January), so service starts in February."""
    return dt.date(int(year), policy.service_start.approval_month, policy.annual_cycle.list_due_day)


# ----------------------------------------------------------------------------- nominations
def apply_nominations(tiering: Tiering, policy: Policy, nominations: pd.DataFrame | None) -> Tiering:
    """Re-select Gold among the nominated customers only (第12条 1: branches recommend).

    Parameters
    ----------
    tiering : Tiering
        The list with every eligible customer a candidate (the default).
    nominations : DataFrame or None
        :func:`tiermodel.history.read_nominations`; None keeps ``tiering``.

    Returns
    -------
    Tiering
        Gold filled from the nominated Gold-eligible customers by value index (30 + 10
        places); a Gold-eligible customer not nominated competes for Silver in its branch.
        ``nominated`` (bool) is added.
    """
    t = tiering.table
    if nominations is None:
        return Tiering(with_columns(t, {"nominated": t["gold_eligible"].to_numpy()}), tiering.notes,
                       tiering.capacity)
    nominated = t["customer_id"].isin(nominations["customer_id"]).to_numpy()
    gold_bits, silver_bits = eligibility_bits(t, policy)
    gold_bits = np.where(nominated, gold_bits, 0).astype(np.uint8)
    codes, names = pd.factorize(t["branch"], sort=True)
    cap = tiering.capacity.reindex(names).to_numpy(dtype=np.int64)
    id_rank = candidate_id_rank(t["customer_id"], (gold_bits | silver_bits) != 0)
    gs = policy.gold_selection
    tier, gold_rank, branch_rank = select(
        t["value_index"].to_numpy(), t["standard_premium_used"].to_numpy(), id_rank,
        t["is_new"].to_numpy(dtype=bool), gold_bits, silver_bits, codes, cap,
        gs.existing_places, gs.new_places, gs.unfilled_new_places_go_to_existing)
    reason = _Reasons(t["reason"])
    not_put = t["gold_eligible"].to_numpy() & ~nominated
    reason.set(not_put & (tier == SILVER), "Silver: Gold-eligible but not nominated by its branch")
    reason.set(not_put & (tier != SILVER), "Regular: Gold-eligible but not nominated, beyond branch Silver capacity")
    changed = tier != t["tier"].cat.codes.to_numpy()
    reason.set(changed & ~not_put & (tier == GOLD), "Gold: within the places once non-nominated customers are set aside")
    out = with_columns(t, {
        "gold_rank": gold_rank, "branch_rank": branch_rank,
        "tier": pd.Categorical.from_codes(tier, list(TIERS)),
        "tier_rank": np.select([tier == GOLD, tier == SILVER], [gold_rank, branch_rank], 0),
        "reason": reason.column(), "nominated": nominated,
    })
    n_nom = int(nominated.sum())
    notes = list(tiering.notes) + [f"Nominations: {n_nom} customer(s) put forward by their branches; "
                                   f"{int(not_put.sum())} Gold-eligible customer(s) not nominated."]
    return Tiering(out, notes, tiering.capacity)


class _Reasons:
    """A reason column as codes into its few distinct texts, so that a million customers' reasons
    are never a million strings; :meth:`set` gives some customers another text."""

    def __init__(self, reason: pd.Series):
        if isinstance(reason.dtype, pd.CategoricalDtype):
            self.codes = reason.cat.codes.to_numpy().astype(np.int32)
            texts = [str(c) for c in reason.cat.categories]
            if (self.codes < 0).any():  # a missing reason reads "nan", as its text did
                self.codes[self.codes < 0] = len(texts)
                texts.append("nan")
        else:
            codes, uniques = pd.factorize(reason.astype(str))
            self.codes, texts = codes.astype(np.int32), [str(u) for u in uniques]
        self.texts = texts
        self.lookup = {text: i for i, text in enumerate(texts)}

    def set(self, where, text: str) -> None:
        code = self.lookup.get(text)
        if code is None:
            code = self.lookup[text] = len(self.texts)
            self.texts.append(text)
        self.codes[where] = code

    def column(self) -> pd.Categorical:
        """The texts in use as a categorical, its categories in text order (sorting by it sorts
        by the text, as a column of strings would)."""
        used = np.flatnonzero(np.bincount(self.codes, minlength=len(self.texts)))
        texts = np.asarray(self.texts, dtype=object)[used]
        order = np.argsort(texts.astype(str), kind="stable")
        new_code = np.empty(len(self.texts), dtype=np.int32)
        new_code[used[order]] = np.arange(len(used), dtype=np.int32)
        return pd.Categorical.from_codes(new_code[self.codes], list(texts[order]))


# ----------------------------------------------------------------------------- overrides
@dataclass
class Approval(Result):
    """The year's list after head office's overrides, with approval dates (第12–13条)."""

    tiering: Tiering
    overrides: pd.DataFrame
    year: int
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        return self.tiering.table

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"overrides": self.overrides, "notes": pd.DataFrame({"note": self.notes})}


def apply_overrides(tiering: Tiering, policy: Policy, overrides: pd.DataFrame | None, year: int) -> Approval:
    """Apply head office's overrides and date every VIP's approval and service start.

    Overrides are applied in file order, those taking a customer out first. Forcing a
    customer into Gold takes one of the 第13条 places: once the Gold list would exceed
    ``existing_places + new_places`` (30 + 10 = 40) the override is refused. Forced out of
    Gold, a customer stays Silver if Silver-eligible, else Regular; forced out of Silver, Regular.

    Parameters
    ----------
    tiering : Tiering
    policy : Policy
    overrides : DataFrame or None
        :func:`tiermodel.history.read_overrides` (file name and row numbers in ``attrs``).
    year : int
        Service year: the list is approved on :func:`list_approval_date` (15 January, assumed),
        an override on its own date.

    Raises
    ------
    InputTableError
        An override over the 40 Gold places; forcing out a customer not in that tier.
    """
    t = tiering.table
    tier = t["tier"].cat.codes.to_numpy().astype(np.int8).copy()
    approval = np.full(len(t), list_approval_date(year, policy), dtype=object)
    overridden = np.zeros(len(t), dtype=bool)
    reason = _Reasons(t["reason"])
    applied = []
    places = policy.gold_selection.existing_places + policy.gold_selection.new_places
    if overrides is not None and len(overrides):
        file = overrides.attrs.get("file", "<overrides>")
        rows = overrides.attrs.get("rows", np.arange(len(overrides)) + 2)
        pos = pd.Index(t["customer_id"]).get_indexer(overrides["customer_id"])
        problems = []
        order = np.argsort(overrides["action"].to_numpy() != "out", kind="stable")
        for k in order:
            o = overrides.iloc[k]
            i, want = pos[k], TIERS.index(o["tier"])
            before = int(tier[i])
            if o["action"] == "out":
                if before != want:
                    problems.append(Problem(int(rows[k]), o["customer_id"], "action",
                                            f"customer is {TIERS[before]}, not {o['tier']}: nothing to force out"))
                    continue
                tier[i] = SILVER if (want == GOLD and t["silver_eligible"].iat[i]) else 2
            else:
                if want == GOLD and before != GOLD and int((tier == GOLD).sum()) + 1 > places:
                    problems.append(Problem(int(rows[k]), o["customer_id"], "tier",
                                            f"forcing this customer into Gold makes {int((tier == GOLD).sum()) + 1} "
                                            f"Gold customers; 第13条 allows at most {places} "
                                            f"({policy.gold_selection.existing_places} + "
                                            f"{policy.gold_selection.new_places}); force another out first"))
                    continue
                tier[i] = want
            overridden[i] = True
            approval[i] = o["date"]
            reason.set(i, f"Override ({o['action']} {o['tier']}) by {o['approver']} on {o['date']}: {o['reason']}")
            applied.append({"customer_id": o["customer_id"], "action": o["action"], "tier": o["tier"],
                            "tier_before": TIERS[before], "tier_after": TIERS[int(tier[i])],
                            "reason": o["reason"], "approver": o["approver"], "date": o["date"],
                            "service_start": service_start(o["date"], policy)})
        if problems:
            raise InputTableError(file, problems)
    vip = tier < 2
    start = np.array([service_start(d, policy) if v else None for d, v in zip(approval, vip)], dtype=object) \
        if len(t) < 100_000 else _starts(approval, vip, policy)
    out = with_columns(t, {"tier": pd.Categorical.from_codes(tier, list(TIERS)), "reason": reason.column(),
                           "override": overridden,
                           "approval_date": np.where(vip, approval, None),
                           "service_start": start})
    ov_table = pd.DataFrame(applied, columns=["customer_id", "action", "tier", "tier_before", "tier_after",
                                              "reason", "approver", "date", "service_start"])
    n_gold = int((tier == GOLD).sum())
    notes = [f"Overrides: {len(applied)} applied; Gold {n_gold} of at most {places} places (第13条 30–40)."]
    if n_gold < 30:
        notes.append(f"Gold holds {n_gold} customers, fewer than the 30 of 第13条.")
    return Approval(Tiering(out, list(tiering.notes), tiering.capacity), ov_table, int(year), notes)


def approved_vips(approval: Approval, policy: Policy) -> pd.DataFrame:
    """The VIPs with the months of service their approval dates give, for :func:`tiermodel.budget.estimate`.

    :func:`tiermodel.budget.vip_table` with ``service_months`` [months, 0–12] counted from each
    customer's service start (第12条: the month after approval) to the end of the service year;
    a service start after the year gives 0.
    """
    from .. import budget

    t = approval.table
    vips = budget.vip_table(t, policy)
    at = np.flatnonzero(t["tier"].isin(VIP_TIERS).to_numpy())  # vip_table's rows, in its order
    first = t["service_start"].to_numpy()[at]
    months = [0 if d is None else (12 if d.year < approval.year else (13 - d.month if d.year == approval.year else 0))
              for d in first]
    # new customers' Gold places filled during the year keep the budget's assumed month
    keep = vips["is_new"].to_numpy() & (vips["tier"].to_numpy() == "gold") & ~t["override"].to_numpy()[at]
    vips["service_months"] = np.where(keep, vips["service_months"].to_numpy(), np.asarray(months, dtype=np.int64))
    return vips


def _starts(approval, vip, policy):
    uniq = {d: service_start(d, policy) for d in set(approval[vip])}
    return np.array([uniq[d] if v else None for d, v in zip(approval, vip)], dtype=object)


# ----------------------------------------------------------------------------- 附件一
def _criteria_text(row, policy: Policy) -> str:
    c = policy.eligibility.gold
    bits = int(row["gold_bits"])
    parts = []
    if bits & LONG_TERM:
        parts.append(f"{CRITERION_TERMS[LONG_TERM].zh} {row['long_term_std_premium'] / 1e4:,.1f} 万元 ≥ "
                     f"{c.long_term_std_premium_min / 1e4:,.0f} 万元")
    if bits & HEALTH:
        parts.append(f"{CRITERION_TERMS[HEALTH].zh} {row['health_premium'] / 1e4:,.1f} 万元 ≥ "
                     f"{c.health_premium_min / 1e4:,.0f} 万元，赔付率 {row['health_loss_ratio']:.1%} ≤ "
                     f"{c.health_loss_ratio_max:.0%}")
    if bits & NON_HEALTH:
        parts.append(f"{CRITERION_TERMS[NON_HEALTH].zh} {row['non_health_premium'] / 1e4:,.1f} 万元 ≥ "
                     f"{c.non_health_premium_min / 1e4:,.0f} 万元，赔付率 {row['non_health_loss_ratio']:.1%} ≤ "
                     f"{c.non_health_loss_ratio_max:.0%}")
    return "；".join(parts)


ANNEX1_COLUMNS = ["customer_id", "name", "branch", "branch_class", "gold_pool", "criteria_figures",
                  "standard_premium_used", "premium_coef", "loyalty_coef", "k1", "profit_coef", "k2",
                  "value_index", "gold_rank", "branch_recommendation", "head_office_rating", "approval",
                  "approval_date", "service_start"]


def approval_table(approval: Approval, policy: Policy) -> pd.DataFrame:
    """The 附件一-style application and approval table, one row per Gold candidate (第12条 1).

    Candidates are the Gold-eligible customers (the nominated ones where nominations were
    given) and anyone head office forced into Gold. Columns: customer, branch, class, Gold
    pool, the 第11条 criteria met with their figures [万元, %], value index and its
    components, rank in the pool, the branch's recommendation, head office's rating (within
    the places or not), the approval (approved, not approved, or the override) with date
    and service start.
    """
    t = approval.table
    gold_bits = t["gold_criteria"].cat.codes.to_numpy()
    nominated = t["nominated"].to_numpy(dtype=bool) if "nominated" in t else gold_bits > 0
    cand = (gold_bits > 0) | (t["override"].to_numpy() & (t["tier"] == "gold").to_numpy())
    c = t.loc[cand].copy()
    c["gold_bits"] = gold_bits[cand]
    places = policy.gold_selection
    pool_places = np.where(c["gold_pool"].astype(str) == "new", places.new_places, places.existing_places)
    within = (c["gold_rank"].to_numpy() > 0) & (c["gold_rank"].to_numpy() <= pool_places)
    c["criteria_figures"] = [_criteria_text(r, policy) for _, r in c.iterrows()]
    c["branch_recommendation"] = np.where(nominated[cand], "推荐 recommended", "未推荐 not recommended")
    c["head_office_rating"] = [f"第 {r} 名，{'名额内 within' if w else '名额外 outside'} {k} places"
                               if r > 0 else "未评定 not rated"
                               for r, w, k in zip(c["gold_rank"], within, pool_places)]
    gold = c["tier"].astype(str).to_numpy() == "gold"
    c["approval"] = np.where(c["override"].to_numpy(), "总公司调整 override: " + c["reason"].astype(str),
                             np.where(gold, "批准 approved", "未批准 not approved"))
    c.loc[~gold, ["approval_date", "service_start"]] = None
    if "name" not in c:
        c["name"] = ""
    c = c.sort_values(["gold_pool", "gold_rank"], key=lambda s: s.replace(0, 10**9) if s.name == "gold_rank" else s)
    return c[ANNEX1_COLUMNS].reset_index(drop=True)


# ----------------------------------------------------------------------------- published lists
def published_lists(approval: Approval) -> dict[str, pd.DataFrame]:
    """The lists published at the start of the year (第8条): company-wide Gold, then each branch.

    Returns
    -------
    dict of str to DataFrame
        ``"gold"`` → the company-wide Gold list (pool, rank, customer, branch, class, value
        index, approval date, service start); then one entry per branch (name → its Gold and
        Silver customers, Gold first, by rank). English column names; the present layer
        (:mod:`tiermodel.published`) writes them in Chinese.
    """
    t = approval.table
    cols = ["customer_id", "name", "branch", "branch_class", "tier", "gold_pool", "tier_rank", "value_index",
            "approval_date", "service_start"]
    t = t.assign(name=t["name"] if "name" in t else "")
    vip = t.loc[(t["tier"] != "regular").to_numpy(), cols]
    vip = vip.assign(tier=vip["tier"].astype(str))
    gold = vip[vip["tier"] == "gold"].sort_values(["gold_pool", "tier_rank"]).reset_index(drop=True)
    out = {"gold": gold}
    for branch, group in vip.groupby("branch", sort=True):
        g = group.assign(order=(group["tier"] != "gold").astype(int)).sort_values(["order", "tier_rank"])
        out[str(branch)] = g.drop(columns="order").reset_index(drop=True)
    return out


# ----------------------------------------------------------------------------- 15 January
def due_date(year: int, policy: Policy) -> dt.date:
    """The date the Gold list and revisit plan are due: 15 January of the service year (第26条 4)."""
    ac = policy.annual_cycle
    return dt.date(int(year), ac.list_due_month, ac.list_due_day)


def deadline_check(year: int, policy: Policy, gold_list_date: dt.date | None,
                   revisit_plan_date: dt.date | None) -> pd.DataFrame:
    """Were the Gold list and the executives' revisit plan ready by 15 January (第26条 4, 第27条 1)?

    Parameters
    ----------
    year : int
        Service year.
    gold_list_date, revisit_plan_date : date or None
        When each was submitted (None: not yet).

    Returns
    -------
    DataFrame
        One row per item: ``item``, ``article``, ``due`` (date), ``submitted``, ``on_time``
        (bool), ``days_late`` [days], ``status`` (Chinese and English). "前" is read as on
        or before the date (``annual_cycle.due_date_inclusive``, assumed).
    """
    due = due_date(year, policy)
    inclusive = policy.annual_cycle.due_date_inclusive
    rows = []
    for item, article, date in (("金牌VIP客户名单 Gold list", "第26条 4 / 第27条 1", gold_list_date),
                                ("回访年度分解计划 executives' revisit plan", "第26条 4 / 第27条 1",
                                 revisit_plan_date)):
        if date is None:
            on_time, late, status = False, np.nan, "未提交 not submitted"
        else:
            late = (date - due).days
            on_time = late <= 0 if inclusive else late < 0
            status = "按时 on time" if on_time else f"逾期 late by {late + (0 if inclusive else 1)} day(s)"
        rows.append({"item": item, "article": article, "due": due, "submitted": date, "on_time": on_time,
                     "days_late": max(late, 0) if date is not None else np.nan, "status": status})
    return pd.DataFrame(rows)
