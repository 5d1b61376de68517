"""Old name of :mod:`tiermodel.plots`; kept so old imports work."""
from .plots.style import TIER_COLORS, TIER_LABELS, TIER_NAMES, tier_label, use_cjk_font  # noqa: F401
from .plots.tiering import tier_counts_by_class, value_index_histogram  # noqa: F401
