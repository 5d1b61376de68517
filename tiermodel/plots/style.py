"""Plot style: a CJK font so 金牌/银牌/普通 render, and the tier colours and labels."""
from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

from ..vocabulary import TIER_LABELS, TIERS

TIER_NAMES = list(TIERS)

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
