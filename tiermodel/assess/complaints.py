"""Complaint consequences (第34条): what each verified complaint costs the person complained
about and, for back office, the department head.

Scope (第34条): ① back-office staff are sanctioned only where they failed to provide **VIP**
service to standard (未能按标准提供VIP客户服务) and a complaint followed — a regular
customer's complaint, or one not about VIP service below standard, triggers nothing;
② a salesperson only where the service was poor **and** misleading conduct (有误导行为) was
verified. Every complaint is screened and the output says why one does not count.

Counting conventions (assumed, ``complaints`` in the parameters): complaints count per person
within ``count_window`` (calendar year); past the end of the 第34条 list the last consequence
applies again (``beyond_last_action``); each counted back-office complaint deducts 10 % of
that month's performance pay of the person and of the department head, the month's total
capped at ``monthly_deduction_cap`` (100 %).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..notes import Note, note
from ..policy import Policy
from ..result import Result
from ..vocabulary import VIP_TIERS
from ._lookup import served_tiers

#: Why a complaint carries no 第34条 consequence, in the order the screen tests them: the
#: note of each (``assess.complaint.<code>``), rendered by the present layer.
NOT_COUNTED = {code: note(f"assess.complaint.{code}")
               for code in ("unverified", "regular", "not_below_standard", "not_misleading")}
#: Why a complaint counts: back office (第34条 ①) or salesperson (第34条 ②).
COUNTED = {"back_office": note("assess.complaint.counted_back_office"),
           "salesperson": note("assess.complaint.counted_salesperson")}


@dataclass
class ComplaintConsequences(Result):
    """Result of :func:`complaint_consequences`.

    ``complaints``: one row per counted complaint with its ordinal for the person
    (``nth``), the 第34条 ``action`` (the policy's word, e.g. ``"warning"``; the customer a
    salesperson loses is the row's ``customer_id``) and the pay deductions [share of that
    month's performance pay]; ``screened``: every complaint of the log with ``counts`` and the
    ``reason`` it counts or not (a :class:`~tiermodel.notes.Note`); ``by_person``: per person
    the counted complaints and every action (a Note listing them); ``pay_deductions``: per
    person and month the total deduction [share, capped].
    """

    complaints: pd.DataFrame
    by_person: pd.DataFrame
    pay_deductions: pd.DataFrame
    screened: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every complaint screened (counts, reason, action), per person, and the pay deductions."""
        first = self.screened if self.screened is not None else self.complaints
        return {"complaints": first, "complaints by person": self.by_person,
                "pay deductions": self.pay_deductions}

    def reason_counts(self) -> list[Note]:
        """Complaints of the log per reason they count or not, most first (ties in the order
        the screen tests them): one ``assess.complaint.reason_count`` note each."""
        screened = self.screened if self.screened is not None else pd.DataFrame({"reason": []})
        codes = [r.code for r in screened["reason"]]
        order = [n.code for n in (*NOT_COUNTED.values(), *COUNTED.values())]
        counts = pd.Series(codes, dtype=object).value_counts()
        ranked = sorted(counts.index, key=lambda c: (-counts[c], order.index(c) if c in order else len(order)))
        return [note("assess.complaint.reason_count", n=int(counts[c]), reason=Note(c)) for c in ranked]

    def persons_ranked(self) -> pd.DataFrame:
        """:attr:`by_person` with the most complaints first (then by person)."""
        if not len(self.by_person):
            return self.by_person
        return self.by_person.sort_values(["complaints", "person"], ascending=[False, True]).reset_index(drop=True)


def _flag(c: pd.DataFrame, column: str) -> np.ndarray:
    if column not in c:
        return np.zeros(len(c), dtype=bool)
    return c[column].fillna(False).to_numpy(dtype=bool)


def screen_complaints(log: pd.DataFrame, tier_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which complaints fall under 第34条, and why not where they do not.

    Parameters
    ----------
    log : DataFrame
        Validated complaint log (:data:`tiermodel.events.COMPLAINT_SCHEMA`):
        ``verified``, ``below_vip_standard`` (back office) and ``misleading`` (salesperson)
        yes/no; an absent column counts as "not recorded" (no) — a log without ``verified``
        sanctions no one (第34条: 经核实确认 only).
    tier_table : DataFrame or ServiceYear, optional
        Tier table (``customer_id``, ``tier``); a regular customer's complaint never
        sanctions back office. The year under review (:class:`tiermodel.compare.ServiceYear`)
        gives the tier served on the complaint's date (第12条: VIP from the service start). Without it the customers' tiers are not checked.

    Returns
    -------
    DataFrame
        The log with ``tier`` (where known), ``counts`` (bool) and ``reason``: a
        :class:`~tiermodel.notes.Note` (:data:`NOT_COUNTED`, :data:`COUNTED`).
    """
    c = log.copy()
    for col in ("complaint_id", "department", "department_head"):
        if col not in c:
            c[col] = ""
    verified = _flag(c, "verified")  # no column: nothing recorded as 经核实确认, so nothing counts
    back = (c["role"] == "back_office").to_numpy()
    if tier_table is not None:
        tiers = getattr(tier_table, "table", tier_table)  # a ServiceYear: its table
        tier = c["customer_id"].map(dict(zip(tiers["customer_id"].astype(str),
                                             tiers["tier"].astype(str))))
        served = served_tiers(c["customer_id"], c["complaint_date"], tiers) if "complaint_date" in c else None
        if served is not None:  # the tier served on the complaint's date (第12条)
            tier = pd.Series(served, index=c.index).replace("", np.nan)
        c["tier"] = tier.fillna("").to_numpy()
        vip = tier.isin(VIP_TIERS).to_numpy()
    else:
        vip = np.ones(len(c), dtype=bool)
    below = _flag(c, "below_vip_standard")
    misleading = _flag(c, "misleading")
    screens = [~verified, back & ~vip, back & ~below, ~back & ~misleading]
    which = np.select(screens, np.arange(len(screens)), len(screens))  # the first screen failed
    counts = which == len(screens)
    reasons = np.array([*NOT_COUNTED.values(), None], dtype=object)[which]
    reasons[counts & back] = COUNTED["back_office"]
    reasons[counts & ~back] = COUNTED["salesperson"]
    c["counts"] = counts
    c["reason"] = pd.Series(reasons, index=c.index, dtype=object)
    return c


def complaint_consequences(log: pd.DataFrame, policy: Policy,
                           tier_table: pd.DataFrame | None = None) -> ComplaintConsequences:
    """The 第34条 consequences of the complaints in its scope, per complaint and per person.

    Back office (①, VIP service below standard): 1st complaint public criticism, 2nd job
    rotation; each complaint deducts ``back_office_pay_deduction_share`` (10 %) of that
    month's performance pay of the person and of the department head. Salesperson (②,
    misleading conduct verified): 1st warning, 2nd public criticism, 3rd loses the right to
    serve the customer of that complaint. Complaints outside that scope count for nothing
    and are listed with the reason (:func:`screen_complaints`).

    Parameters
    ----------
    log : DataFrame
        Validated complaint log (:data:`tiermodel.events.COMPLAINT_SCHEMA`).
    policy : Policy
        ``complaints``: the action lists, the deduction share and the counting conventions.
    tier_table : DataFrame, optional
        Tier table; a regular customer's complaint sanctions no one.

    Returns
    -------
    ComplaintConsequences
        Per counted complaint its ordinal, action and pay deductions [share of the month's
        performance pay]; every complaint with its reason; per person the actions; per
        person and month the deduction [share, capped at ``monthly_deduction_cap``].
    """
    screened = screen_complaints(log, tier_table)
    c = screened[screened["counts"]].sort_values(["person", "complaint_date", "complaint_id"], kind="stable")
    rules = policy.complaints
    c["year"] = c["complaint_date"].dt.year if rules.count_window == "calendar_year" else 0
    c["nth"] = c.groupby(["person", "year"]).cumcount().to_numpy() + 1
    actions = {"back_office": np.array(rules.back_office_actions, dtype=object),
               "salesperson": np.array(rules.salesperson_actions, dtype=object)}
    c["action"] = ""
    for role, acts in actions.items():
        mask = (c["role"] == role).to_numpy()
        c.loc[mask, "action"] = acts[np.minimum(c.loc[mask, "nth"].to_numpy(), len(acts)) - 1]
    last_sales = (c["role"] == "salesperson") & (c["nth"] >= len(actions["salesperson"]))
    share = rules.back_office_pay_deduction_share
    back = (c["role"] == "back_office").to_numpy()
    c["person_pay_deduction"] = np.where(back, share, 0.0)
    c["head_pay_deduction"] = np.where(back & c["department_head"].ne("").to_numpy(), share, 0.0)
    c["month"] = c["complaint_date"].dt.strftime("%Y-%m")
    complaints = c[["complaint_id", "complaint_date", "month", "customer_id", "person", "role",
                    "department", "department_head", "nth", "action", "person_pay_deduction",
                    "head_pay_deduction"]].reset_index(drop=True)
    listed = screened.assign(nth=c["nth"].reindex(screened.index),
                             action=c["action"].reindex(screened.index))
    listed["action"] = listed["action"].fillna("")
    listed["nth"] = listed["nth"].astype("Int64")
    cols = [k for k in ("complaint_id", "complaint_date", "customer_id", "tier", "person", "role",
                        "department", "verified", "below_vip_standard", "misleading", "counts",
                        "reason", "nth", "action") if k in listed]
    listed = listed[cols].reset_index(drop=True)

    steps = [note("assess.complaint.step_customer", action=a, customer=cid) if last else
             note("assess.complaint.step", action=a)
             for a, cid, last in zip(c["action"], c["customer_id"], last_sales.to_numpy(dtype=bool))]
    complaints["step"] = pd.Series(steps, dtype=object)
    g = complaints.groupby(["person", "role"], sort=True)
    by_person = pd.DataFrame({
        "department": g["department"].first(),
        "complaints": g.size(),
        "actions": g["step"].agg(list).map(lambda steps: note("assess.complaint.actions", steps=steps)),
        "pay_deduction_total": g["person_pay_deduction"].sum(),
    }).reset_index()
    complaints = complaints.drop(columns="step")
    own = complaints[["person", "month", "person_pay_deduction"]].rename(
        columns={"person_pay_deduction": "deduction"}).assign(as_="person complained about")
    head = complaints[complaints["head_pay_deduction"] > 0][["department_head", "month", "head_pay_deduction"]]
    head = head.rename(columns={"department_head": "person", "head_pay_deduction": "deduction"}) \
        .assign(as_="department head")
    both = pd.concat([own[own["deduction"] > 0], head], ignore_index=True)
    pay = both.groupby(["person", "as_", "month"], sort=True).agg(
        complaints=("deduction", "size"), deduction=("deduction", "sum")).reset_index()
    pay["deduction"] = pay["deduction"].clip(upper=rules.monthly_deduction_cap)
    pay = pay.rename(columns={"as_": "as", "deduction": "pay_deduction_share"})
    return ComplaintConsequences(complaints, by_person, pay, listed)


__all__ = ["COUNTED", "ComplaintConsequences", "NOT_COUNTED", "complaint_consequences", "screen_complaints"]
