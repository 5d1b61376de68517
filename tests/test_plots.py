"""Every figure says what it shows and in which unit (issue 14, item 3: "Figures get titles and units").

Each public function of :mod:`tiermodel.plots` is drawn on the bundled sample (small simulation
sizes), in Chinese and in English. On every axes of every figure:

- the axes has a non-empty title (a figure of several panels: each panel);
- every axis that carries a quantity — its tick labels are numbers, or it is a colour bar — has a
  label that ends with its unit in brackets or parentheses, e.g. "客户数 [户]", "cost [10,000 CNY/yr]",
  "value index (第10条) [dimensionless]". An article reference "(第10条)" is not a unit.

The check can fail. Before this test, ``tier_counts_by_class`` had a title and units, but
``swaps_by_step(oat)`` drew "value ÷ policy value" and "金牌 Gold swaps" with no unit and no title:
:func:`quantity_axes_without_unit` returns ``[('x', 'value ÷ policy value'), ('y', '金牌 Gold swaps')]``
for such a figure and the title check names it (``test_the_checks_themselves`` draws one). Taking
the unit off one vocabulary entry (``ax_gold_swaps`` without "户 customers") makes
``test_every_figure_has_a_title_and_units`` fail with "swaps_by_step, panel 0, y axis: '金牌更替'
has no unit".
"""
from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tiermodel import assess, budget, plots, sensitivity as se  # noqa: E402
from tiermodel.compare import project_years, year_over_year  # noqa: E402
from tiermodel.cycle_inputs import load_cycle  # noqa: E402
from tiermodel.events import load_assessment_logs, load_delivery_logs  # noqa: E402
from tiermodel.budget.services import catalogue, price_factor  # noqa: E402
from tiermodel.calibrate import calibrate_book  # noqa: E402
from tiermodel.run_inputs import load_inputs  # noqa: E402
from tiermodel.tiers import cut_lines  # noqa: E402

#: A unit at the end of a label: "[户]", "(%)", "（万元）"; not an article "(第10条)".
UNIT_AT_END = re.compile(r"(\[[^\[\]]+\]|\([^()]+\)|（[^（）]+）)$")
ARTICLE = re.compile(r"^[\[(（]第[\d–、, ]+条[^\])）]*[\])）]$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ARTICLE_NAMES = re.compile(r"第[\d–、, ]+条[\d①②③ ]*|附件[一二三四五六七]|附表[\d–]+")
_NUMBER = re.compile(r"^[−\-+]?[\d.,]+(e[−\-+]?\d+)?%?$")


def is_number(tick: str) -> bool:
    """A tick label that is a number: "1,000", "−5", "0.25", "10^{2}" (mathtext), "95%"."""
    plain = re.sub(r"\$|\\mathdefault|[{}^]|\\times", "", tick).replace(" ", "")
    return bool(plain) and bool(_NUMBER.match(plain))


def has_unit(label: str) -> bool:
    m = UNIT_AT_END.search(label.strip())
    return bool(m) and not ARTICLE.match(m.group(1))


def quantity_axes_without_unit(ax) -> list[tuple[str, str]]:
    """(axis, label) of every axis of ``ax`` that shows numbers but whose label has no unit."""
    colorbar = ax.get_label() == "<colorbar>"
    out = []
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        if not axis.get_visible() or not ax.axison:
            continue
        ticks = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
        numeric = bool(ticks) and all(is_number(t) for t in ticks)
        label = axis.get_label_text()
        if (numeric or (colorbar and label)) and not has_unit(label):
            out.append((name, label))
    return out


def test_the_checks_themselves():
    # the unit and number readers on labels the old figures had and the new ones have
    assert not has_unit("金牌 Gold swaps") and not has_unit("value ÷ policy value")
    assert not has_unit("客户价值指标 value index (第10条)")  # an article, not a unit
    assert has_unit("客户数 [户]") and has_unit("cost [10,000 CNY/yr]") and has_unit("年度服务投入（万元）")
    assert has_unit("value index (第10条) [dimensionless]")
    assert is_number("1,000") and is_number("−5") and is_number(r"$\mathdefault{10^{2}}$") and is_number("0.25")
    assert not is_number("A") and not is_number("金牌") and not is_number("2003年")
    # a figure drawn like the old swaps_by_step fails both checks
    plots.use_cjk_font()
    fig, ax = plt.subplots()
    ax.plot([0.5, 1, 1.5], [3, 0, 2])
    ax.set_xlabel("value ÷ policy value")
    ax.set_ylabel("金牌 Gold swaps")
    fig.canvas.draw()
    assert quantity_axes_without_unit(ax) == [("x", "value ÷ policy value"), ("y", "金牌 Gold swaps")]
    assert ax.get_title() == ""
    plt.close(fig)


@pytest.fixture(scope="module")
def book():
    """Every analysis whose figure the report shows, on the bundled sample, small sizes."""
    plots.use_cjk_font()
    inputs = load_inputs(None, None, None, "yuan", 2003)
    policy, tiering = inputs.policy, inputs.tiering()
    tiers = tiering.table
    out = {"inputs": inputs, "tiering": tiering, "cuts": cut_lines(tiers)}
    out["calibration"] = calibrate_book(inputs.portfolio, policy, inputs.capacity(), curve_points=12)
    out["sensitivity"] = se.sensitivity_analysis(inputs.portfolio, policy, inputs.capacity(), steps=3,
                                                 simplex_step=0.1, sobol_n=16, draws=32, seed=2003)
    out["tables"] = se.table_uncertainty(inputs.portfolio, policy, inputs.capacity(), draws=32, sobol_n=16,
                                         budget_draws=4, n_boot=50, seed=2003)
    out["budget"] = budget.forecast_budget(tiers, policy, 2027, 500, 2003, None, 3, 200, 0)
    found = load_assessment_logs(tiers, "", "", "", "", 2003, 2025, policy.executive_quotas.gm_office_members)
    out["assessment"] = assess.assess_service(tiers, found.service, found.survey, found.complaints,
                                              found.executives, policy, files=found.sources)
    costs = (catalogue(policy)["unit_cost_base_cny"] * price_factor(policy, 2025)).to_dict()
    logs = load_delivery_logs(tiers, found.executives, costs, "", "", "", 2003, 2025, found.complaints)
    consequences = assess.complaint_consequences(found.complaints, policy).complaints
    out["record"] = assess.service_record(tiers, logs.delivery, logs.hotline, logs.policies, found.executives,
                                          policy, 2025, consequences, files=logs.sources)
    cycle = load_cycle(inputs, 2026)
    out["yoy"] = year_over_year(cycle.last(), tiering, policy, last_year=cycle.last_year, this_year=2026)
    out["ahead"] = project_years(inputs.portfolio, policy, 3, 2026, 2003, inputs.branches)
    return out


def _figures(b, lang):
    """(name, figure) of every public plot function, drawn in ``lang``."""
    from tiermodel.plots import assessment as pa, budget as pb, calibration as pc, compare as pk
    from tiermodel.plots import sensitivity as ps, tiering as pt

    s, t, rec = b["sensitivity"], b["tables"], b["record"]
    policy = b["inputs"].policy
    fig = lambda ax: ax.figure if hasattr(ax, "figure") else ax  # noqa: E731
    yield "tier_counts_by_class", fig(pt.tier_counts_by_class(b["tiering"].tables()["tier counts by class"],
                                                               lang=lang))
    yield "value_index_histogram", fig(pt.value_index_histogram(b["tiering"].table, b["cuts"], lang=lang))
    yield "scale_and_cap_curves", pc.scale_and_cap_curves(b["calibration"].curves, policy, lang=lang)
    yield "premium_minimum_curves", pc.premium_minimum_curves(b["calibration"].curves, ["gold", "A"], lang=lang)
    yield "tornado_chart", fig(ps.tornado_chart(s.tornado, lang=lang))
    yield "swaps_by_step", fig(ps.swaps_by_step(s.oat, lang=lang))
    yield "ternary_map", fig(ps.ternary_map(s.simplex, policy, lang=lang))
    yield "sobol_bars", ps.sobol_bars(s.sobol.indices, lang=lang)
    yield "membership_scatter", fig(ps.membership_scatter(s.odds, lang=lang))
    yield "table_odds_chart", fig(ps.table_odds_chart(t.odds, lang=lang))
    yield "table sobol_bars", ps.sobol_bars(t.sobol.indices, lang=lang)
    for unit in ("wan", "yuan"):
        yield f"forecast_figure {unit}", pb.forecast_figure(b["budget"].estimate, b["budget"].forecast,
                                                            b["budget"].path, lang=lang, amount_unit=unit)
        yield f"budget_variance_bars {unit}", fig(pa.budget_variance_bars(rec.delivery.budget_by_item, lang=lang,
                                                                          amount_unit=unit))
        yield f"projection {unit}", fig(pk.projection(b["ahead"].counts, b["ahead"].spend, lang=lang,
                                                      amount_unit=unit)[0])
    yield "compliance_bars", fig(pa.compliance_bars(b["assessment"].compliance.compliance_matrix(), lang=lang))
    yield "branch_head_silver", fig(pa.branch_head_silver(b["assessment"].revisit_plan.executives, lang=lang))
    yield "delivery_below_standard", fig(pa.delivery_below_standard(rec.delivery.by_branch, lang=lang))
    yield "timeliness_bars renewals", fig(pa.timeliness_bars(rec.renewals.by_tier, "tier", lang=lang,
                                                             title=plots.words("t_renewals", lang)))
    yield "timeliness_bars hotline", fig(pa.timeliness_bars(rec.hotline.by_kind, "tier", lang=lang))
    yield "transition_heatmap", fig(pk.transition_heatmap(b["yoy"].matrix(), 2025, 2026, lang=lang))
    yield "movers_by_class", fig(pk.movers_by_class(b["yoy"].tables()["movers by class"], lang=lang))


PLOT_FUNCTIONS = {"tier_counts_by_class", "value_index_histogram", "scale_and_cap_curves", "premium_minimum_curves",
                  "tornado_chart", "swaps_by_step", "ternary_map", "sobol_bars", "membership_scatter",
                  "table_odds_chart", "forecast_figure", "budget_variance_bars", "projection", "compliance_bars",
                  "branch_head_silver", "delivery_below_standard", "timeliness_bars", "transition_heatmap",
                  "movers_by_class"}


def test_every_public_plot_function_is_drawn_here():
    import inspect

    from tiermodel.plots import assessment, budget as pb, calibration, compare, sensitivity, tiering

    public = {name for m in (assessment, pb, calibration, compare, sensitivity, tiering)
              for name, f in vars(m).items()
              if inspect.isfunction(f) and f.__module__ == m.__name__ and not name.startswith("_")}
    helpers = {"group_words", "output_title", "state_label"}  # words, not figures
    assert public - helpers == PLOT_FUNCTIONS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_has_a_title_and_units(book, lang):
    problems = []
    for name, fig in _figures(book, lang):
        fig.canvas.draw()
        for i, ax in enumerate(fig.axes):
            if ax.get_label() != "<colorbar>" and not ax.get_title().strip():
                problems.append(f"{name}, panel {i}: no title")
            for axis, label in quantity_axes_without_unit(ax):
                problems.append(f"{name}, panel {i}, {axis} axis: {label!r} has no unit")
            if lang == "en":  # no Chinese word in an English figure's words (article names aside)
                legend = ax.get_legend()
                texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + \
                    ([t.get_text() for t in legend.get_texts()] if legend else [])
                for t in texts:
                    if CHINESE.search(ARTICLE_NAMES.sub("", t)):
                        problems.append(f"{name}, panel {i}: Chinese in {t!r}")
        plt.close(fig)
    assert problems == []


def test_labels_follow_the_language_and_the_amount_unit(book):
    b = book["budget"]
    from tiermodel.plots import budget as pb

    zh = pb.forecast_figure(b.estimate, b.forecast, None, lang="zh", amount_unit="wan")
    en = pb.forecast_figure(b.estimate, b.forecast, None, lang="en", amount_unit="yuan")
    assert zh.axes[0].get_xlabel() == "年度服务投入 [万元/年]"
    assert en.axes[0].get_xlabel() == "yearly service cost [CNY/yr]"
    # the same histogram: 元 = 万元 × 10,000 (the bins move with the unit)
    lo_zh, hi_zh = zh.axes[0].patches[0].get_x(), zh.axes[0].patches[-1].get_x()
    lo_en, hi_en = en.axes[0].patches[0].get_x(), en.axes[0].patches[-1].get_x()
    assert np.isclose(lo_en, lo_zh * 10_000) and np.isclose(hi_en, hi_zh * 10_000)
    plt.close(zh)
    plt.close(en)
