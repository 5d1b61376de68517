"""Comparisons of tier lists: the annual cycle and scenario against base.

* :func:`year_over_year` — last year's list against this year's: who enters, who leaves, why;
* :func:`compare_tierings` — a scenario's list against the base policy's on the same book;
* :func:`review_year` → :class:`ServiceYear` — the year under review, computed once: the
  approved lists and every VIP's approval date, service start and months (第12条);
* :mod:`.approval` — branch nominations, head-office overrides against the 30–40 Gold places,
  the 附件一 table, the published lists and the 15 January check (第8条, 第12–13条, 第26条 4);
* :func:`project_years` — the book aged year by year, re-tiered, with turnover and budget;
* :func:`measured_churn` — observed stay/drop/enter rates that replace the assumed churn.

Pure functions: frames and a policy in, a result object with ``.tables()`` out.
"""
from .approval import (Approval, apply_nominations, approved_vips, apply_overrides, approval_table, branch_lists,
                       deadline_check, due_date, published_lists, review_year, service_start)
from .service_year import ServiceYear, date_year
from .decision import DecisionBudget, DecisionFacts, budget_change, decision_budget, decision_facts, last_year_review
from .changes import REASON_CODES, align, transitions
from .cycle import (Projection, measured_churn, policy_with_measured_churn, project_years,
                    sample_history)
from .scenario import Comparison, compare_tierings, parameter_changes
from .standings import Places, places, standing
from .yearly import (YearOverYear, entrants_leavers, observed_rates, tier_rates, transition_matrix,
                     year_over_year)

__all__ = ["Approval", "DecisionBudget", "DecisionFacts", "decision_facts", "budget_change", "decision_budget", "last_year_review", "ServiceYear", "date_year", "review_year", "Projection", "apply_nominations", "approved_vips", "apply_overrides", "approval_table", "branch_lists",
           "deadline_check", "due_date", "measured_churn", "policy_with_measured_churn", "project_years",
           "published_lists", "sample_history", "service_start", "Comparison", "Places", "REASON_CODES", "YearOverYear", "align", "compare_tierings",
           "entrants_leavers", "observed_rates", "parameter_changes", "places", "standing",
           "tier_rates", "transition_matrix", "transitions", "year_over_year"]
