"""Plot helpers: a CJK font so 金牌/银牌/普通 render, and the tier colours and labels."""
from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

from .tiers import TIER_LABELS, TIER_NAMES

TIER_COLORS = {"gold": "#C9A227", "silver": "#8C969E", "regular": "#4C72B0"}
_FONT_FILE = "NotoSansCJKsc-Regular.otf"


def use_cjk_font() -> str:
    """Register the Noto Sans CJK SC font shipped by ``mplfonts`` and make it the default.

    Returns the font family name. Raises if the font is missing (no silent missing-glyph
    boxes in reports).
    """
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / _FONT_FILE
    if not path.exists():
        raise FileNotFoundError(f"CJK font not found at {path}; reinstall mplfonts")
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def tier_label(tier: str) -> str:
    """'金牌 Gold', '银牌 Silver' or '普通 Regular'."""
    return TIER_LABELS[tier]


__all__ = ["TIER_COLORS", "TIER_LABELS", "TIER_NAMES", "tier_label", "use_cjk_font"]


def tier_counts_by_class(counts, ax=None):
    """Stacked bars of VIP counts per branch class (Regular omitted: it dwarfs the VIPs)."""
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    data = counts.drop(index="total", errors="ignore")
    bottom = None
    for tier in ("gold", "silver"):
        ax.bar(data.index.astype(str), data[tier], bottom=bottom, color=TIER_COLORS[tier],
               label=tier_label(tier))
        bottom = data[tier] if bottom is None else bottom + data[tier]
    ax.set_xlabel("机构类别 branch class")
    ax.set_ylabel("customers")
    ax.legend()
    return ax


def value_index_histogram(table, cuts: dict, ax=None):
    """Distribution of the value index by tier, with the Gold and Silver cut lines."""
    import matplotlib.pyplot as plt
    import numpy as np

    ax = ax or plt.subplots(figsize=(7, 3.8))[1]
    bins = np.linspace(table["value_index"].min(), table["value_index"].max(), 40)
    for tier in ("regular", "silver", "gold"):
        ax.hist(table.loc[table["tier"] == tier, "value_index"], bins=bins, color=TIER_COLORS[tier],
                label=tier_label(tier), alpha=0.85, log=True)
    styles = {"gold_existing": ("金牌 cut, existing", "-"), "gold_new": ("金牌 cut, new", "--"),
              "silver": ("银牌 lowest", ":")}
    for key, (label, style) in styles.items():
        if cuts.get(key) == cuts.get(key):  # not NaN
            ax.axvline(cuts[key], color="black", linestyle=style, linewidth=1,
                       label=f"{label} = {cuts[key]:.3f}")
    ax.set_xlabel("客户价值指标 value index")
    ax.set_ylabel("customers (log scale)")
    ax.legend(fontsize=8, loc="upper left")
    return ax
