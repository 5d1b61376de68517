"""Nomination and approval (第12条, 附件一), the published lists (第8条) and the 15 January check.

The cycle: branches recommend Gold candidates; head office rates them by value index; the
GM office approves; service starts the month after approval (第12条 1); the VIP lists are
published at the start of the year (第8条); the Gold list and the executives' revisit plan
are due by 15 January (第26条 4, 第27条 1).

* :func:`apply_nominations` — only the customers the branches put forward compete for Gold
  (default: every eligible customer);
* :func:`apply_overrides` — head office forces customers in or out within the rules: a Gold
  place needs a 第11条 criterion and a place in its pool (30 + 10, 第13条); Silver is the
  branch's (第8条);
* :func:`review_year` — nominations, overrides and every VIP's dates: the :class:`ServiceYear`;
* :func:`approval_table` — the 附件一-style application/approval row of each Gold candidate;
* :func:`published_lists` — one list per branch (its 金牌 and 银牌) and the company-wide Gold list;
* :func:`deadline_check` — were the Gold list and the revisit plan ready by 15 January?
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..errors import InputTableError, Problem
from ..policy import Policy
from ..scoring import with_columns
from ..tiers import Tiering, candidate_id_rank, eligibility_bits, select
from ..notes import Note, note
from ..vocabulary import GOLD, HEALTH, LONG_TERM, NON_HEALTH, REGULAR, SILVER, TIERS
from .changes import Amount, joined
from .service_year import ServiceYear, date_year


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
    notes = list(tiering.notes) + [note("compare.nominations", nominated=n_nom, not_nominated=int(not_put.sum()))]
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
#: The year's list after head office's overrides, with every VIP's dates (the old name of
#: :class:`ServiceYear`).
Approval = ServiceYear


class _Places:
    """The places an override may take (第8条, 第13条), counted as overrides are applied."""

    def __init__(self, t: pd.DataFrame, tier: np.ndarray, tiering: Tiering, policy: Policy):
        gs = policy.gold_selection
        self.pools = {"existing": gs.existing_places, "new": gs.new_places}
        self.pool_pass_on = gs.unfilled_new_places_go_to_existing
        self.new = t["is_new"].to_numpy(dtype=bool)
        self.branch = t["branch"].astype(str).to_numpy()
        self.capacity = tiering.capacity
        self.tier = tier

    def gold_problem(self, i: int) -> str | None:
        """Why customer ``i`` cannot take a Gold place of its pool (第13条 30 + 10), or None."""
        gold = self.tier == GOLD
        pool = "new" if self.new[i] else "existing"
        in_pool = int((gold & (self.new == self.new[i])).sum()) + 1
        limit = self.pools[pool]
        if pool == "existing" and self.pool_pass_on:  # unfilled new places pass on (flagged reading)
            limit += max(self.pools["new"] - int((gold & self.new).sum()), 0)
        if in_pool <= limit:
            return None
        word = "new customers' places" if pool == "new" else "places of customers insured before this year"
        return (f"forcing this customer into Gold makes {in_pool} in the pool of {word}; 第13条 allows "
                f"{limit} ({self.pools['existing']} + {self.pools['new']} in two pools); force another out of "
                f"that pool first")

    def silver_full(self, i: int) -> str | None:
        """Why customer ``i``'s branch has no Silver place left (第8条, 第13条), or None."""
        here = self.branch == self.branch[i]
        filled = int(((self.tier == SILVER) & here).sum()) + 1
        places = int(self.capacity.get(self.branch[i], 0))
        if filled <= places:
            return None
        return f"branch {self.branch[i]} would hold {filled} Silver customers, beyond its {places} places (第8条, 第13条)"


def _force_out(t, i, want, places: _Places, readings) -> tuple[int, str | None]:
    """The tier left after forcing customer ``i`` out of ``want``, and a problem if any."""
    before = int(places.tier[i])
    if before != want:
        return before, f"customer is {TIERS[before]}, not {TIERS[want]}: nothing to force out"
    if want == GOLD and t["silver_eligible"].iat[i] and places.silver_full(i) is None:
        return SILVER, None
    return REGULAR, None


def _force_in(t, i, want, places: _Places, readings) -> str | None:
    """Why forcing customer ``i`` into ``want`` is refused (第8条, 第11条, 第13条), or None."""
    before = int(places.tier[i])
    if want == GOLD:
        if not t["gold_eligible"].iat[i] and not readings.override_gold_without_criterion:
            return ("customer meets no 第11条 Gold criterion: a Gold place goes only to a customer who meets "
                    "one (原则上 read as a hard rule)")
        return places.gold_problem(i) if before != GOLD else None
    if not readings.head_office_silver_override:
        return "Silver is the branch's own decision (第8条): head office does not put customers into Silver"
    return places.silver_full(i) if before != SILVER else None


def apply_overrides(tiering: Tiering, policy: Policy, overrides: pd.DataFrame | None, year: int,
                    previous: pd.DataFrame | None = None) -> ServiceYear:
    """Apply head office's overrides within the rules and date every VIP (第8条, 第11–13条).

    Overrides are applied in file order, those taking a customer out first. Forcing a
    customer into Gold needs a 第11条 Gold criterion (``readings.override_gold_without_criterion``,
    off by default, allows it) and a place in the customer's own pool: 30 for customers
    insured before this year, 10 for this year's new ones (第13条). Forcing into Silver is
    refused: Silver is the branch's decision (第8条); ``readings.head_office_silver_override``
    allows it within the branch's Silver places. Forced out of Gold, a customer stays Silver
    where Silver-eligible and its branch has a place, else Regular; forced out of Silver, Regular.

    Parameters
    ----------
    tiering : Tiering
    policy : Policy
    overrides : DataFrame or None
        :func:`tiermodel.history.read_overrides` (file name and row numbers in ``attrs``).
    year : int
        Service year [year].
    previous : DataFrame, optional
        Last year's list (``customer_id``, ``tier``), for who continues (served all year).

    Returns
    -------
    ServiceYear
        The approved lists with each customer's dates (:func:`tiermodel.compare.service_year.date_year`).

    Raises
    ------
    InputTableError
        Every override outside the rules, each naming its row, customer and rule.
    """
    t = tiering.table
    tier = t["tier"].cat.codes.to_numpy().astype(np.int8).copy()
    override_date = np.full(len(t), np.datetime64("NaT"), dtype="datetime64[D]")
    reason = _Reasons(t["reason"])
    applied, problems = [], []
    if overrides is not None and len(overrides):
        rows = overrides.attrs.get("rows", np.arange(len(overrides)) + 2)
        pos = pd.Index(t["customer_id"]).get_indexer(overrides["customer_id"])
        places = _Places(t, tier, tiering, policy)
        for k in np.argsort(overrides["action"].to_numpy() != "out", kind="stable"):
            o = overrides.iloc[k]
            i, want, before = pos[k], TIERS.index(o["tier"]), int(tier[pos[k]])
            if o["action"] == "out":
                after, problem = _force_out(t, i, want, places, policy.readings)
            else:
                after, problem = want, _force_in(t, i, want, places, policy.readings)
            if problem:
                problems.append(Problem(int(rows[k]), o["customer_id"], "action" if o["action"] == "out" else "tier",
                                        problem))
                continue
            tier[i] = after
            override_date[i] = np.datetime64(o["date"], "D")
            reason.set(i, f"Override ({o['action']} {o['tier']}) by {o['approver']} on {o['date']}: {o['reason']}")
            applied.append({"customer_id": o["customer_id"], "action": o["action"], "tier": o["tier"],
                            "tier_before": TIERS[before], "tier_after": TIERS[after], "reason": o["reason"],
                            "approver": o["approver"], "date": o["date"]})
    if problems:
        raise InputTableError(overrides.attrs.get("file", "<overrides>"), problems)
    out = with_columns(t, {"tier": pd.Categorical.from_codes(tier, list(TIERS)), "reason": reason.column(),
                           "override": ~np.isnat(override_date)})
    out = date_year(out, policy, year, override_date, previous, t["tier"].cat.codes.to_numpy().astype(np.int8))
    ov_table = pd.DataFrame(applied, columns=["customer_id", "action", "tier", "tier_before", "tier_after",
                                              "reason", "approver", "date"])
    if len(ov_table):
        ov_table["service_start"] = out.set_index("customer_id")["service_start"].reindex(ov_table["customer_id"]) \
            .dt.date.to_numpy()
    else:
        ov_table["service_start"] = pd.Series(dtype=object)
    return ServiceYear(Tiering(out, list(tiering.notes), tiering.capacity), ov_table, int(year),
                       _override_notes(tier, len(applied), policy))


def _override_notes(tier: np.ndarray, n_applied: int, policy: Policy) -> list[Note]:
    gs = policy.gold_selection
    places = gs.existing_places + gs.new_places
    n_gold = int((tier == GOLD).sum())
    notes = [note("compare.overrides", applied=n_applied, gold=n_gold, places=places)]
    if n_gold < gs.existing_places:
        notes.append(note("compare.gold_below_existing_places", gold=n_gold, existing_places=gs.existing_places))
    return notes


def review_year(tiering: Tiering, policy: Policy, year: int, nominations: pd.DataFrame | None = None,
                overrides: pd.DataFrame | None = None, previous: pd.DataFrame | None = None) -> ServiceYear:
    """The year under review, computed once (第8条, 第12–13条): nominations, overrides, dates.

    Parameters
    ----------
    tiering : Tiering
        The year's list (:func:`tiermodel.assign_tiers`).
    policy : Policy
    year : int
        Service year of the list [year].
    nominations, overrides : DataFrame, optional
        :func:`tiermodel.history.read_nominations` / :func:`~tiermodel.history.read_overrides`.
    previous : DataFrame, optional
        Last year's list (``customer_id``, ``tier``): who continues, served from 1 January.

    Returns
    -------
    ServiceYear
        What the budget, the assessment, the hotline, the complaints, the delivery minima,
        the 附件一 table and the published lists all take.
    """
    return apply_overrides(apply_nominations(tiering, policy, nominations), policy, overrides, year, previous)


def approved_vips(approval: ServiceYear, policy: Policy) -> pd.DataFrame:
    """The VIPs of the year under review with their months of service, for :func:`tiermodel.budget.estimate`."""
    from .. import budget

    return budget.vip_table(approval.table, policy)


# ----------------------------------------------------------------------------- 附件一
def _criteria_figures(row, policy: Policy) -> Note | None:
    """The 第11条 Gold criteria a candidate meets, each with its figure against the threshold."""
    c = policy.eligibility.gold
    bits = int(row["gold_bits"])
    parts = []
    if bits & LONG_TERM:
        parts.append(note("compare.figure.meets", criterion=LONG_TERM, value=Amount(row["long_term_std_premium"]),
                          minimum=Amount(c.long_term_std_premium_min)))
    for bit, prem, minimum, lr, cap in ((HEALTH, "health_premium", c.health_premium_min, "health_loss_ratio",
                                         c.health_loss_ratio_max),
                                        (NON_HEALTH, "non_health_premium", c.non_health_premium_min,
                                         "non_health_loss_ratio", c.non_health_loss_ratio_max)):
        if bits & bit:
            parts.append(note("compare.figure.meets_ratio", criterion=bit, value=Amount(row[prem]),
                              minimum=Amount(minimum), ratio=float(row[lr]), cap=float(cap)))
    return joined(parts)


ANNEX1_COLUMNS = ["customer_id", "name", "branch", "branch_class", "gold_pool", "criteria_figures",
                  "standard_premium_used", "premium_coef", "loyalty_coef", "k1", "profit_coef", "k2",
                  "value_index", "gold_rank", "branch_recommendation", "head_office_rating", "approval",
                  "approval_date", "service_start"]


def _approval_notes(ids, statuses, overrides: pd.DataFrame) -> list[Note]:
    """Head office's decision on each candidate (``statuses``: approved, not_approved, override):
    approved, not approved, or the override (action, tier, approver, date and the reason
    given) as a note."""
    by_id = {r["customer_id"]: r for _, r in overrides.iterrows()} if len(overrides) else {}
    out = []
    for cid, status in zip(ids, statuses):
        o = by_id.get(cid) if status == "override" else None
        if o is None:
            out.append(note("compare.approval.approved" if status != "not_approved" else "compare.approval.not_approved"))
            continue
        out.append(note("compare.approval.override", action=note(f"compare.action.{o['action']}"), tier=str(o["tier"]),
                        approver=str(o["approver"]), date=str(o["date"]), why=str(o["reason"])))
    return out



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
    c["criteria_figures"] = [_criteria_figures(r, policy) for _, r in c.iterrows()]
    c["branch_recommendation"] = [note("compare.recommended") if x else note("compare.not_recommended")
                                  for x in nominated[cand]]
    c["head_office_rating"] = [note("compare.rating.within" if w else "compare.rating.outside", rank=int(r),
                                    places=int(k)) if r > 0 else note("compare.rating.none")
                               for r, w, k in zip(c["gold_rank"], within, pool_places)]
    gold = c["tier"].astype(str).to_numpy() == "gold"
    status = np.where(c["override"].to_numpy(), "override", np.where(gold, "approved", "not_approved"))
    c["approval"] = _approval_notes(c["customer_id"], status, approval.overrides)
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


def branch_lists(lists: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every branch's published list one below another (branch by branch, Gold first, by rank):
    each VIP once, for the workbook and the committee pack. ``lists`` is :func:`published_lists`."""
    parts = [t for branch, t in lists.items() if branch != "gold"]
    return pd.concat(parts, ignore_index=True) if parts else lists["gold"].iloc[0:0]


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
        (bool), ``days_late`` [days]; ``item`` and ``status`` are notes (code and fields) the
        present layer writes in the reader's language. "前" is read as on
        or before the date (``annual_cycle.due_date_inclusive``, assumed).
    """
    due = due_date(year, policy)
    inclusive = policy.annual_cycle.due_date_inclusive
    rows = []
    for item, date in (("gold_list", gold_list_date), ("revisit_plan", revisit_plan_date)):
        if date is None:
            on_time, late, status = False, np.nan, note("compare.deadline.not_submitted")
        else:
            late = (date - due).days
            on_time = late <= 0 if inclusive else late < 0
            status = note("compare.deadline.on_time") if on_time else \
                note("compare.deadline.late", days=late + (0 if inclusive else 1))
        rows.append({"item": note(f"compare.deadline.{item}"), "article": "第26条 4 / 第27条 1", "due": due,
                     "submitted": date, "on_time": on_time,
                     "days_late": max(late, 0) if date is not None else np.nan, "status": status})
    return pd.DataFrame(rows)
