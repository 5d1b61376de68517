"""Threshold calibration: what the 第11条 thresholds produce on a book, and the values that
meet a stated target.

The 2003 thresholds were set for a 2003 book. This package answers four questions; one call,
:func:`calibrate_book`, answers them all and returns a :class:`Calibration` whose
``tables()`` is what the analysis exports.

1. **Diagnostics** (:mod:`.diagnostics`) — candidates per tier and branch class, which
   criterion qualifies them and how the three overlap, how far the Gold pool exceeds its
   places, and the value-index margin at the Gold cut.
2. **Count curves** (:mod:`.curves`) — eligible customers as a function of each threshold, of
   one scale factor on the three premium minimums of a tier/class, and of the loss-ratio caps.
3. **Solving** (:mod:`.thresholds`) — thresholds that meet a target count
   (:func:`solve_thresholds`), exactly, as order statistics.
4. **Conversion tables** (:mod:`.tables`) — band edges of 附表1–3 fitted to the book's
   quantiles, and the effect on the Gold list.

The calibrated values become a parameter scenario (:mod:`.scenario`): this package returns its
YAML text; the command line and the report write it (:func:`tiermodel.io.write_text`).

Definitions (ours; the policy states no target):

* A *group* is the Gold tier (``"gold"``, company-wide thresholds) or the Silver tier of one
  branch class (``"A"``–``"D"``).
* **Gold candidates** are the Gold-eligible customers (existing and new), the pool of 第13条.
* **Silver candidates** of a class are its Silver-eligible customers *not made Gold*: those
  competing for the class's Silver places (第13条). Gold selection does not depend on the
  Silver thresholds, so this population is fixed while Silver thresholds move.
* Default targets: a Gold pool of twice the Gold places (2 × (30 + 10) = 80), and Silver
  candidates per class equal to the summed Silver places of the class's branches.
"""
from ..errors import CalibrationError
from . import book, curves, diagnostics, groups, scenario, tables, thresholds
from .book import Calibration, calibrate_book
from .curves import count_curves
from .diagnostics import candidate_table, criteria_overlap, gold_cut_margin, gold_pool_excess
from .groups import (CRITERIA, CRITERION_TEXT, GROUPS, LOSS_RATIO_COLUMNS, LOSS_RATIO_MAX_FIELDS,
                     PREMIUM_COLUMNS, PREMIUM_MIN_FIELDS, book_matrices, candidate_counts, cap_keys,
                     criteria_vectors, criterion_keys, gold_members, group_criteria, group_label,
                     group_path, populations, scale_ratio)
from .scenario import calibrated_changes, format_changes, scenario_text
from .tables import (TABLE_MEASURES, band_shares, fit_band_edges, fitted_tables, gold_list_change,
                     table_changes)
from .thresholds import (METHODS, SCALE_WINDOW, TIES, Solution, SolvedThresholds, Targets,
                         check_targets, criterion_alone_table, default_targets, parse_targets,
                         roundest_between, silver_places_per_class, solve_criterion,
                         solve_order_statistic, solve_scale, solve_thresholds)

__all__ = [
    "CRITERIA", "CRITERION_TEXT", "Calibration", "CalibrationError", "GROUPS", "LOSS_RATIO_COLUMNS",
    "LOSS_RATIO_MAX_FIELDS", "METHODS", "PREMIUM_COLUMNS", "PREMIUM_MIN_FIELDS", "SCALE_WINDOW",
    "Solution", "SolvedThresholds", "TABLE_MEASURES", "TIES", "Targets", "band_shares", "book",
    "book_matrices", "calibrate_book", "calibrated_changes", "candidate_counts", "candidate_table",
    "cap_keys", "check_targets", "count_curves", "criteria_overlap", "criteria_vectors",
    "criterion_alone_table", "criterion_keys", "curves", "default_targets", "diagnostics",
    "fit_band_edges", "fitted_tables", "format_changes", "gold_cut_margin", "gold_list_change",
    "gold_members", "gold_pool_excess", "group_criteria", "group_label", "group_path", "groups",
    "parse_targets", "populations", "roundest_between", "scale_ratio", "scenario", "scenario_text",
    "silver_places_per_class", "solve_criterion", "solve_order_statistic", "solve_scale",
    "solve_thresholds", "table_changes", "tables", "thresholds",
]
