"""Page 00 as the decision sheet: :class:`tiermodel.compare.DecisionFacts` rendered top-down in
the page language — what is asked, the list changes, what to watch (issue 22 item 6).

One template per language; no raw parameter keys, no English on a Chinese page. Amounts in
the run's unit (``amount_unit``: 万元 or 元, as every other page), percentages to one decimal.
"""
from __future__ import annotations

from html import escape

from .html import Html
from .labels import parameter_name
from .messages import render


def _wan(cny: float | None, lang: str, sign: bool = False, unit: str = "wan") -> str:
    """An amount in the page's unit: 万元 (``wan``) or 元 (``yuan``), one decimal in 万元."""
    if cny is None or cny != cny:
        return "—"
    if unit == "yuan":
        figure = f"{cny:+,.0f}" if sign else f"{cny:,.0f}"
        return f"{figure} 元" if lang == "zh" else f"{figure} CNY"
    figure = f"{cny / 10_000:+,.1f}" if sign else f"{cny / 10_000:,.1f}"
    return f"{figure} 万元" if lang == "zh" else f"{figure} × 10,000 CNY"


def asked_line(facts, lang: str = "zh", unit: str = "wan") -> str:
    """The one sentence of what is asked (请审批：金牌 N 户（名额 40，未满 k 个）、…)."""
    c, b = facts.counts, facts.budget
    change = b.change.set_index("tier").loc["total"] if b.change is not None else None
    if lang == "zh":
        text = (f"请审批：金牌 {c['gold']} 户（名额 {c['places']}，未满 {c['unfilled']} 个）、银牌 {c['silver']} 户"
                f"（各机构见附表）、服务预算 {_wan(b.total, lang, unit=unit)}（P50 {_wan(b.p50, lang, unit=unit)} – P95 {_wan(b.p95, lang, unit=unit)} 区间）")
        return text + (f"，较上年 {_wan(change['change_cny'], lang, True, unit)}" if change is not None else "，无上年名单可比")
    text = (f"For approval: Gold {c['gold']} customers ({c['places']} places, {c['unfilled']} unfilled), Silver "
            f"{c['silver']} customers (by branch in the appendix), service budget {_wan(b.total, lang, unit=unit)} "
            f"(P50 {_wan(b.p50, lang, unit=unit)} – P95 {_wan(b.p95, lang, unit=unit)})")
    return text + (f", {_wan(change['change_cny'], lang, True, unit)} on last year" if change is not None
                   else ", no list of last year to compare")


def _asked(facts, lang: str, unit: str = "wan") -> list[str]:
    c, b = facts.counts, facts.budget
    zh = lang == "zh"
    items = [
        (f"金牌VIP客户 {c['gold']} 户（名额 {c['places']}：上年及以前已承保客户 {c['existing_places']}、本年度新客户 "
         f"{c['new_places']}；现有 {c['gold_existing']} + {c['gold_new']}，未满 {c['unfilled']} 个）") if zh else
        (f"Gold VIP customers: {c['gold']} ({c['places']} places: {c['existing_places']} for customers insured "
         f"before this year, {c['new_places']} for new ones; now {c['gold_existing']} + {c['gold_new']}, "
         f"{c['unfilled']} unfilled)"),
        (f"银牌VIP客户 {c['silver']} 户，分布于 {c['silver_branches']} 家分公司（各分公司名单见附表）" if zh else
         f"Silver VIP customers: {c['silver']} in {c['silver_branches']} branches (each branch's list in the appendix)"),
        (f"{facts.year}年度VIP服务预算 {_wan(b.total, lang, unit=unit)}（附件七测算，按批准名单及其服务月数、{facts.year}年价格）；"
         f"模拟区间 P50 {_wan(b.p50, lang, unit=unit)} – P95 {_wan(b.p95, lang, unit=unit)}" if zh else
         f"{facts.year} VIP service budget {_wan(b.total, lang, unit=unit)} (附件七 for the approved lists and their months "
         f"of service, {facts.year} prices); simulated range P50 {_wan(b.p50, lang, unit=unit)} – P95 {_wan(b.p95, lang, unit=unit)}"),
    ]
    if b.change is not None:
        t = b.change.set_index("tier").loc["total"]
        items.append(
            f"较上年 {_wan(t['change_cny'], lang, True, unit)}（{t['change_share']:+.1%}）：其中人数变动 "
            f"{_wan(t['count_effect_cny'], lang, True, unit)}，价格变动 {_wan(t['price_effect_cny'], lang, True, unit)}"
            f"（上年名单按上年价格 {_wan(t['cost_last_cny'], lang, unit=unit)}）" if zh else
            f"Against last year {_wan(t['change_cny'], lang, True, unit)} ({t['change_share']:+.1%}): count effect "
            f"{_wan(t['count_effect_cny'], lang, True, unit)}, price effect {_wan(t['price_effect_cny'], lang, True, unit)} "
            f"(last year's lists at last year's prices {_wan(t['cost_last_cny'], lang, unit=unit)})")
    if b.next_year is not None:
        f = b.next_year.iloc[0]
        items.append(f"预测（非审批数）：{int(f['year'])}年 P50 {_wan(f['P50'], lang, unit=unit)} – P95 {_wan(f['P95'], lang, unit=unit)}"
                     if zh else f"Forecast (not for approval): {int(f['year'])} P50 {_wan(f['P50'], lang, unit=unit)} – "
                     f"P95 {_wan(f['P95'], lang, unit=unit)}")
    return items


def _moves(facts, lang: str) -> list[str]:
    zh = lang == "zh"
    if facts.gold_moves is None:
        return ["无上年名单，无法列出名单变动" if zh else "no list of last year: the changes cannot be listed"]
    lines = []
    for move, word in (("in", "新进金牌" if zh else "Gold entrants"), ("out", "退出金牌" if zh else "Gold leavers")):
        g = facts.gold_moves[facts.gold_moves["move"] == move]
        if not len(g):
            lines.append(f"{word}：无" if zh else f"{word}: none")
        for _, r in g.iterrows():
            who = r["name"] or r["customer_id"]
            reason = render(r["reason"], lang) if r["reason"] is not None else ""
            lines.append(f"{word}：{who}（{r['branch']}）— {reason}" if zh else f"{word}: {who} ({r['branch']}) — {reason}")
    s = facts.silver_moves
    lines.append(f"银牌：新进 {s['in']} 户，退出 {s['out']} 户（明细见第06页）" if zh else
                 f"Silver: {s['in']} entered, {s['out']} left (details on page 06)")
    return lines


def _contested_line(facts, zh: bool) -> str:
    c = facts.contested
    who = [n or i for n, i in zip(c["name"].astype(str), c["customer_id"].astype(str))]
    more = ("等" if zh else " …") if len(who) > 12 else ""
    names = ("、" if zh else ", ").join(who[:12]) + more if who else ("无" if zh else "none")
    if zh:
        return (f"附表1–3 原文缺失：金牌名单 {facts.counts['gold']} 户中 {facts.robust} 户在各种合理附表下均入选；"
                f"{len(c)} 户存在争议：{names}（名单见第08页）")
    return (f"附表1–3 are lost: {facts.robust} of the {facts.counts['gold']} Gold customers are in under every "
            f"plausible table; {len(c)} contested: {names} (page 08)")


def _parameters_line(facts, lang: str) -> str:
    if lang == "zh":
        parts = [f"{parameter_name(r['parameter'], lang)}（{r['low']:g}–{r['high']:g}，金牌更替最多 "
                 f"{int(r['max_gold_swaps'])} 户）" for _, r in facts.parameters.iterrows()]
        return "影响最大的三个参数：" + "；".join(parts)
    parts = [f"{parameter_name(r['parameter'], lang)} ({r['low']:g}–{r['high']:g}: up to "
             f"{int(r['max_gold_swaps'])} Gold customers change)" for _, r in facts.parameters.iterrows()]
    return "The three parameters that move the Gold list most: " + "; ".join(parts)


def _watch(facts, lang: str) -> list[str]:
    zh = lang == "zh"
    lines = []
    if facts.robust is not None:
        lines.append(_contested_line(facts, zh))
    if facts.parameters is not None:
        lines.append(_parameters_line(facts, lang))
    if facts.deadlines is not None:
        ok = bool(facts.deadlines["on_time"].all())
        lines.append(f"1月15日前提交金牌名单与高管回访计划：{'是' if ok else '否'}" if zh else
                     f"Gold list and revisit plan by 15 January: {'yes' if ok else 'no'}")
    return lines


def decision_sheet(facts, lang: str = "zh", unit: str = "wan") -> Html:
    """Page 00's body: what is asked, the list changes, what to watch, in the page language."""
    zh = lang == "zh"
    parts = []
    if facts.sample:
        parts.append('<p style="background:#fde8e8;border:2px solid #c0392b;padding:6px;font-weight:bold">'
                     + escape("样本数据：以下数字来自内置样本，不是贵公司的业务数据，不可用于审批" if zh else
                              "SAMPLE DATA: these figures come from the bundled sample, not your book; not for approval")
                     + "</p>")
    parts.append(f"<p><b>{escape(asked_line(facts, lang, unit))}</b></p>")
    for title, items in ((("一、请审批事项", "1. For approval"), _asked(facts, lang, unit)),
                         (("二、名单变动（与上年相比）", "2. Changes to the lists (against last year)"), _moves(facts, lang)),
                         (("三、需关注", "3. To watch"), _watch(facts, lang))):
        parts.append(f"<h3>{escape(title[0] if zh else title[1])}</h3><ul>"
                     + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
    text = "\n".join([asked_line(facts, lang, unit)] + _asked(facts, lang, unit) + _moves(facts, lang) + _watch(facts, lang))
    return Html("".join(parts), text)


def decision_table(facts, lang: str = "zh", unit: str = "wan"):
    """The decision sheet as a two-column table (part, line) for the workbook and the
    committee pack: the same lines as :func:`decision_sheet`, in the same order."""
    import pandas as pd

    zh = lang == "zh"
    rows = [("请审批" if zh else "Asked", asked_line(facts, lang, unit))]
    for part, items in ((("一、请审批事项", "1. For approval"), _asked(facts, lang, unit)),
                        (("二、名单变动", "2. Changes to the lists"), _moves(facts, lang)),
                        (("三、需关注", "3. To watch"), _watch(facts, lang))):
        rows += [(part[0] if zh else part[1], item) for item in items]
    if facts.sample:
        rows.insert(0, ("样本数据" if zh else "Sample data",
                        "以下数字来自内置样本，不是贵公司的业务数据，不可用于审批" if zh else
                        "these figures come from the bundled sample, not your book; not for approval"))
    return pd.DataFrame(rows, columns=["decision_part", "decision_item"])


def decision_text(facts, lang: str = "zh", unit: str = "wan") -> str:
    """The decision sheet as plain lines (for checked notebook cells and tests)."""
    return decision_sheet(facts, lang, unit).description


#: The report's pages, in order: file and (Chinese, English) title, for page 00's appendix.
PAGES = (("01_tier_portfolio.html", "01 · 客户分层与假设清单", "01 · Tiers and the assumptions register"),
         ("02_calibrate_thresholds.html", "02 · 阈值校准", "02 · Threshold calibration"),
         ("03_weight_k_sensitivity.html", "03 · 权重与K值敏感性", "03 · Weights and K sensitivity"),
         ("04_vip_budget_forecast.html", "04 · VIP服务预算", "04 · The VIP service budget"),
         ("05_service_assessment.html", "05 · 服务水平与考核", "05 · Service levels and assessment"),
         ("06_annual_review.html", "06 · 年度评定（名单变动、附件一、公布名单）",
          "06 · Annual review (changes, the approval form, published lists)"),
         ("07_service_delivery.html", "07 · 服务交付", "07 · Service delivery"),
         ("08_table_uncertainty.html", "08 · 附表不确定性", "08 · The lost conversion tables"))


def page_link(page: str, words: tuple[str, str], lang: str = "zh") -> Html:
    """A relative link to another page of the same run folder, in the page language."""
    text = words[0] if lang == "zh" else words[1]
    return Html(f'<p>→ <a href="{escape(page)}">{escape(text)}</a></p>', text)


def page_links(lang: str = "zh") -> Html:
    """Page 00's appendix: a heading and a link to every other page of the run."""
    links = [page_link(page, (zh, en), lang) for page, zh, en in PAGES]
    title = "附：各页" if lang == "zh" else "Appendix: the pages"
    return Html(f"<h3>{escape(title)}</h3>" + "".join(str(link) for link in links),
                "\n".join([title] + [link.description for link in links]))


def sample_box(samples, lang: str = "zh") -> Html | None:
    """The SAMPLE DATA box of a section built on the seeded sample logs (``samples``: service,
    survey, complaints, executives); None when every log is a file."""
    from ..notes import note

    if not samples:
        return None
    line = render(note("decision.sample_logs", what=[note(f"decision.log.{k}") for k in samples]), lang)
    return Html(f'<div style="border:2px solid #c00000;color:#c00000;padding:6px;font-weight:bold">{escape(line)}</div>',
                line)


def assumed_line(n: int, lang: str = "zh") -> Html:
    """How many parameters are assumptions or scenario settings, not the policy text."""
    from ..notes import note

    line = render(note("decision.assumed", n=n), lang)
    return Html(f"<p>{escape(line)}</p>", line)


__all__ = ["PAGES", "asked_line", "assumed_line", "decision_sheet", "decision_table", "decision_text", "page_link",
           "page_links", "sample_box"]
