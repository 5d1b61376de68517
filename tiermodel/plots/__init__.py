"""Figures: every chart a report shows, one module per analysis; no formulas, no file reading.

Call :func:`use_cjk_font` once before drawing so 金牌/银牌/普通 render. Every figure function
takes ``lang`` ("zh" or "en"); titles, legends and axis labels (with their units) come from
:data:`tiermodel.vocabulary.PLOT_TERMS`, amounts follow ``amount_unit`` (万元 or 元).
"""
from . import assessment, budget, calibration, compare, sensitivity, tiering
from .style import TIER_COLORS, axis_label, tier_label, use_cjk_font, words

__all__ = ["TIER_COLORS", "assessment", "axis_label", "budget", "calibration", "compare", "sensitivity",
           "tier_label", "tiering", "use_cjk_font", "words"]
