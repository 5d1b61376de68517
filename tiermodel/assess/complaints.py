"""Complaint consequences (第34条): what each verified complaint costs the person complained
about and, for back office, the department head.

Complaints are counted per person and calendar year, verified ones only; past the end of
the 第34条 list the last consequence applies again. Each verified back-office complaint
deducts 10 % of that month's performance pay of the person and of the department head; the
monthly total is capped at 100 %.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..policy import Policy
from ..result import Result

@dataclass
class ComplaintConsequences(Result):
    """Result of :func:`complaint_consequences`.

    ``complaints``: one row per verified complaint with its ordinal for the person
    (``nth``), the 第34条 ``action`` and the pay deductions [share of that month's
    performance pay]; ``by_person``: per person the complaints and every action;
    ``pay_deductions``: per person and month the total deduction [share, capped at 1].
    """

    complaints: pd.DataFrame
    by_person: pd.DataFrame
    pay_deductions: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The verified complaints with their actions, per person, and the pay deductions."""
        return {"complaints": self.complaints, "complaints by person": self.by_person,
                "pay deductions": self.pay_deductions}


def complaint_consequences(log: pd.DataFrame, policy: Policy) -> ComplaintConsequences:
    """The 第34条 consequences of verified complaints, per complaint and per person.

    Back office (①): 1st complaint public criticism, 2nd job rotation; each complaint
    deducts ``back_office_pay_deduction_share`` (10 %) of that month's performance pay of the
    person and of the department head. Salesperson (②): 1st warning, 2nd public criticism,
    3rd loses the right to serve the customer of that complaint.

    Parameters
    ----------
    log : DataFrame
        Validated complaint log (:data:`tiermodel.events.COMPLAINT_SCHEMA`).
    policy : Policy
        ``complaints``: the action lists and the deduction share.

    Returns
    -------
    ComplaintConsequences
        Per complaint its ordinal, action and pay deductions [share of the month's
        performance pay]; per person the actions; per person and month the deduction
        [share, capped at 1].
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


__all__ = ["ComplaintConsequences", "complaint_consequences"]
