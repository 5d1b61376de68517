"""Figures: every chart a report shows, one module per analysis; no formulas, no file reading.

Call :func:`use_cjk_font` once before drawing so 金牌/银牌/普通 render.
"""
from . import assessment, budget, calibration, compare, sensitivity, tiering
from .style import TIER_COLORS, tier_label, use_cjk_font

__all__ = ["TIER_COLORS", "assessment", "budget", "calibration", "compare", "sensitivity", "tier_label",
           "tiering", "use_cjk_font"]
