"""How much the Gold and Silver lists depend on the 第10条 weights and the K1/K2 factors.

The value index of 第10条 is

    value_index = premium_coef × w_premium + loyalty_coef × w_loyalty × K1(year)
                + profit_coef × w_profit × K2(year)

with the weights 30 % / 30 % / 40 % (sourced), K1 = 3.5 / 2 / 1.5 in years 1–3 (sourced) and
1.0 from the fourth year (assumed), K2 = 1.0 (assumed; blank in the source). This package asks
what happens to the lists of 第12–13条 when those numbers move. One call,
:func:`sensitivity_analysis`, runs it all and returns a :class:`Sensitivity` whose
``tables()`` is what the analysis exports.

* :mod:`.engine` — a **setting** is one choice of the weights and K factors (a point of a
  sweep); :func:`sweep` re-tiers the eligible pool under thousands of settings at once, with
  the value-index kernel of :func:`tiermodel.scoring.combine`;
* :mod:`.oat` — :func:`one_at_a_time` moves each weight (the other two rescaled so the sum
  stays 1) and each K1/K2 factor across a range (:func:`tornado_table` condenses it);
  :func:`simplex_map` covers the whole weight simplex;
* :mod:`.sobol` — :func:`sobol_analysis`: Sobol indices of Gold overlap and Silver count with
  confidence intervals, over the independent inputs of :mod:`.sampling`;
* :mod:`.odds` — :func:`membership_odds` / :func:`borderline`: for every candidate, the share
  of sampled settings in which it is Gold and in which it is Silver, and who is on the edge.
* :mod:`.table_draws` — :func:`table_uncertainty`: the same lists under thousands of plausible
  versions of the lost 附表1–3 (drawn from ``table_uncertainty`` in the parameter file): each
  candidate's odds, the robust core, the contested customers, which table matters most.

Figures are in :mod:`tiermodel.plots.sensitivity`.
"""
from . import analysis, engine, oat, odds, sampling, sobol, table_draws
from .analysis import Sensitivity, sensitivity_analysis
from .engine import (SOURCE, WEIGHT_NAMES, YEAR_KEYS, CandidatePool, Settings, Sweep, TierSummary,
                     candidate_pool, count_tiers, kendall_tau, list_metrics, make_settings, order_keys,
                     policy_setting, sweep, tier_codes, value_indices)
from .oat import (OAT_PARAMETERS, budget_totals, one_at_a_time, rescale_weights, simplex_map,
                  simplex_weights, tornado_table)
from .odds import borderline, membership_odds, safety_summary
from .sampling import SOBOL_INPUTS, draw_settings, settings_from_multipliers
from .sobol import (SOBOL_OUTPUTS, SobolAnalysis, first_order, indices_with_intervals, sobol_analysis,
                    sobol_design, total_order)
from .table_draws import (TABLE_INPUTS, TABLE_NAMES, Measures, TableDraws, TableSensitivity,
                          candidate_measures, draw_tables, policy_tables, summarise_tables, sweep_tables,
                          table_coefficients, table_uncertainty)

__all__ = [
    "OAT_PARAMETERS", "SOBOL_INPUTS", "SOBOL_OUTPUTS", "SOURCE", "WEIGHT_NAMES", "YEAR_KEYS",
    "CandidatePool", "Sensitivity", "Settings", "SobolAnalysis", "Sweep", "TierSummary", "analysis", "borderline",
    "budget_totals", "candidate_pool", "count_tiers", "draw_settings", "engine", "first_order", "kendall_tau",
    "list_metrics", "make_settings", "membership_odds", "oat", "odds", "one_at_a_time",
    "order_keys", "policy_setting", "rescale_weights", "safety_summary", "sampling",
    "sensitivity_analysis", "settings_from_multipliers", "simplex_map", "simplex_weights", "sobol",
    "sobol_analysis", "sobol_design", "sweep", "tier_codes", "tornado_table", "total_order",
    "value_indices",
    "TABLE_INPUTS", "TABLE_NAMES", "Measures", "TableDraws", "TableSensitivity", "candidate_measures",
    "draw_tables", "indices_with_intervals", "policy_tables", "summarise_tables", "sweep_tables", "table_coefficients",
    "table_draws", "table_uncertainty",
]
