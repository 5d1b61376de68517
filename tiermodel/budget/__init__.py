"""VIP service budget: the 附件七 yearly cost table and a Monte Carlo forecast (第26–27条).

第26条 2 and 第27条 2 ask head office and each branch for a yearly service budget; 附件七
("VIP 客户年度服务投入测算表") was its form and is lost. This package rebuilds it from the
service catalogue of the parameters (``service_catalogue``: every service of 第18–19条 with
its tiers, cost basis, frequency, unit cost, payer and provenance) and the tier list.

Modules, all pure (no printing, reading, writing or drawing; figures are in
:mod:`tiermodel.plots.budget`):

* :mod:`~tiermodel.budget.services` — :func:`catalogue` (the services resolved to numbers,
  with where each number comes from) and :func:`price_factor`.
* :mod:`~tiermodel.budget.annex7` — :func:`vip_table` (the VIPs with their service
  months, 第12–13条, and key persons, 第16条) and :func:`estimate` → :class:`BudgetEstimate`,
  the deterministic cost by customer and service, tier, branch and payer, and
  :meth:`BudgetEstimate.annex7`, the 附件七 table.
* :mod:`~tiermodel.budget.monte_carlo` — :func:`simulate` → :class:`Forecast`, a seeded Monte
  Carlo of the budget year; :func:`forecast_path` (fan chart); :func:`compare_count_cases`
  (the VIP-count cases: churn and new business); :func:`random_streams`, the one seeded
  setup every draw comes from.
* :mod:`~tiermodel.budget.revisits` — :func:`revisit_load` / :func:`revisit_load_by_branch`:
  revisits the tiers need (第18条 2③) against the executives' quotas (第23–25条).
* :mod:`~tiermodel.budget.overview` — :func:`forecast_budget` → :class:`BudgetForecast`,
  all of the above; its ``tables()`` is the one list of sheets the budget exports.

Cost bases (``basis``): ``first_object`` / ``second_object`` count the key persons of
第16条 of each kind, ``service_object`` both kinds, ``customer`` and ``event`` the VIP
customer (``event``: ``per_year`` events a customer a year), ``branch`` each branch with at
least one VIP the service applies to; a branch cost is shared between its Gold and Silver
customers by head count.

Amounts are CNY at the forecast year's prices unless a name says ``base`` (base-year,
2003, prices).
"""
from __future__ import annotations

from .services import (ANNEX7_HEADERS, BASES, BASIS_LABELS, PAYER_LABELS, PAYERS, catalogue,
                        catalogue_sheet, catalogue_sources, price_factor)
from .annex7 import VIP_COLUMNS, BudgetEstimate, estimate, list_totals, service_months, vip_table
from .overview import BudgetForecast, forecast_budget, vip_absence
from .revisits import revisit_load, revisit_load_by_branch
from .monte_carlo import (CHUNK_SIMS, QUANTILES, Forecast, compare_count_cases, count_case_name, count_case_word,
                       forecast_path, random_streams, simulate)

__all__ = ["ANNEX7_HEADERS", "BASES", "BASIS_LABELS", "CHUNK_SIMS", "PAYERS", "PAYER_LABELS",
           "QUANTILES", "VIP_COLUMNS", "BudgetEstimate", "BudgetForecast", "Forecast", "catalogue",
           "catalogue_sheet", "catalogue_sources", "compare_count_cases", "count_case_name", "count_case_word", "estimate", "forecast_budget",
           "forecast_path", "list_totals", "price_factor", "random_streams", "revisit_load", "revisit_load_by_branch",
           "service_months", "simulate", "vip_absence", "vip_table"]
