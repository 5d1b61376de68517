"""Plot style: a CJK font so 金牌/银牌/普通 render, and the tier colours and labels."""
from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

from ..vocabulary import AMOUNT_UNITS, PLOT_TERMS, TIER_LABELS, TIER_TERMS, TIERS, unit_word

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


def tier_label(tier: str, lang: str = "zh") -> str:
    """'金牌' / 'Gold' in the output language ``lang`` ("zh" or "en"), one language only."""
    return TIER_TERMS[tier].zh if _check(lang) == "zh" else TIER_TERMS[tier].en


def _check(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def words(key: str, lang: str = "zh", **fields) -> str:
    """A figure's title or legend entry (:data:`tiermodel.vocabulary.PLOT_TERMS`) in ``lang``,
    its ``{fields}`` filled in."""
    term = PLOT_TERMS[key]
    return (term.zh if _check(lang) == "zh" else term.en).format(**fields)


def amount_divisor(amount_unit: str = "wan") -> float:
    """What an amount in 元 is divided by to be shown in ``amount_unit`` (万元: 10,000; 元: 1)."""
    if amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"amount_unit must be one of {sorted(AMOUNT_UNITS)}, not {amount_unit!r}")
    return AMOUNT_UNITS[amount_unit][0]


def axis_label(key: str, lang: str = "zh", amount_unit: str = "wan", **fields) -> str:
    """An axis label with its unit in brackets: "客户数 [户]", "cost [10,000 CNY/yr]".

    Parameters
    ----------
    key : str
        A key of :data:`tiermodel.vocabulary.PLOT_TERMS`.
    lang : {"zh", "en"}
        Output language.
    amount_unit : {"wan", "yuan"}
        Unit of an amount axis: 万元 (10,000 CNY) or 元 (CNY).

    Returns
    -------
    str
        The label; a category axis (no unit in the vocabulary) has none.
    """
    term = PLOT_TERMS[key]
    text = words(key, lang, **fields)
    if term.kind == "amount":
        amount_divisor(amount_unit)  # a known unit
        _, zh_unit, en_unit = AMOUNT_UNITS[amount_unit]
        per_year = "/年" in term.unit
        unit = (zh_unit + ("/年" if per_year else "")) if lang == "zh" else (en_unit + ("/yr" if per_year else ""))
    elif term.unit:
        unit = unit_word(term.unit, lang)
    else:
        return text
    return f"{text} [{unit}]"


def thousands(axis) -> None:
    """Tick labels with thousands separators and no "1e6" offset (an amount in 元 stays readable)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}"))


__all__ = ["TIER_COLORS", "TIER_LABELS", "TIER_NAMES", "amount_divisor", "axis_label", "thousands", "tier_label",
           "use_cjk_font", "words"]
