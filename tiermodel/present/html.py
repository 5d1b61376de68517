"""Formatted HTML for the report pages: tables (pandas Styler), the page header, the
assumptions register.

Numbers are right-aligned with thousands separators, amounts in the unit the header names,
shares as %, Gold and Silver rows tinted; no index column and no monospace text tables. A
cut table says so ("显示 15 / 40 家机构（全部见工作簿）"); the assumptions register is never
cut, row or text. No formulas, no file reading: the page header is given the data source's
name and SHA-256 by the caller.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from html import escape

from ..vocabulary import TIER_TERMS
from .labels import check_lang, pick, text
from .tables import WORKBOOK_ONLY, ReaderTable, assumptions_table

#: Row tint of each tier (light versions of the plots' tier colours).
TIER_TINTS = {"gold": "#f7edc8", "silver": "#e6e9ec"}
#: Header tint of a column counting or costing one tier.
TIER_HEADER_TINTS = {"gold": "#e9d38a", "silver": "#c9ced3"}
#: Rows shown before a table is cut (the workbook holds them all).
DEFAULT_MAX_ROWS = 15
_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

PAGE_CSS = f"""<style>
.tm-page-header {{font-family: {_FONT}; margin: 0 0 1em 0; border-bottom: 2px solid #4C72B0;
  padding-bottom: .5em;}}
.tm-page-header h1 {{font-size: 1.6em; margin: 0 0 .2em 0;}}
.tm-page-header .tm-about {{margin: 0 0 .4em 0; color: #333;}}
.tm-page-header .tm-fact {{margin: .1em 0;}}
.tm-page-header .tm-key {{color: #555; display: inline-block; min-width: 6em;}}
.tm-banner {{background: #fff3cd; border: 1px solid #e0b84c; color: #6b4e00; font-weight: bold;
  padding: .4em .8em; margin: 0 0 .6em 0; font-family: {_FONT};}}
.tm-caption {{font-family: {_FONT}; font-weight: bold; margin: .8em 0 .2em 0;}}
.tm-caption .tm-about {{font-weight: normal; color: #555;}}
.tm-note {{font-family: {_FONT}; color: #555; font-size: .9em; margin: .2em 0 1em 0;}}
</style>"""


class Html(str):
    """HTML text that Jupyter displays as HTML (and prints as a one-line description)."""

    def __new__(cls, html: str, description: str = "html"):
        obj = super().__new__(cls, html)
        obj.description = description
        return obj

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<{self.description}>"


def _tier_words(lang: str) -> dict[str, str]:
    return {pick(TIER_TERMS[t], lang): t for t in TIER_TINTS}


def html_table(table: ReaderTable, max_rows: int | None = DEFAULT_MAX_ROWS, caption: bool = True,
               wrap: tuple[str, ...] = ("provenance", "reason", "message", "meets", "actions", "note",
                                        "assumption_reason"),
               uuid: str | None = None, fit_width: bool = False) -> Html:
    """A reader table as formatted HTML.

    Parameters
    ----------
    table : ReaderTable
        From :func:`~tiermodel.present.reader_table`.
    max_rows : int or None
        Rows shown; a longer table is cut and says "showing N of M … — all in the workbook".
        None shows every row.
    caption : bool
        Put the table's title and its one line above it.
    wrap : tuple of str
        Keys of long-text columns that wrap in a wide cell (never cut).
    uuid : str, optional
        Id of the table's CSS scope; by default derived from the table's name (stable output).
    fit_width : bool
        Lay the table out to the page's width (long text wraps, breaking a long word if it
        must) instead of growing to its widest cell.

    A column of dotted parameter paths (``parameter_path``) is for the workbook and CSV: it is
    not shown on a page.

    Returns
    -------
    Html
    """
    frame = table.head(max_rows)
    uuid = uuid or "tm" + hashlib.sha1(f"{table.name}|{table.lang}".encode()).hexdigest()[:8]
    sty = frame.style.set_uuid(uuid)
    sty.cell_ids = False
    sty = sty.hide(axis="index")
    sty = sty.format({c.header: (lambda v, c=c: c.show(v)) for c in table.columns}, escape="html")
    sty = _align_cells(sty, table, wrap, fit_width)
    hidden = [c.header for c in table.columns if c.key in WORKBOOK_ONLY]
    if hidden:
        sty = sty.hide(subset=hidden, axis="columns")
    sty = sty.set_table_styles(_table_styles(table, fit_width, wrap), overwrite=False)
    sty = _tint_rows(sty, table)
    sty = sty.format_index(escape="html", axis=1)
    body = sty.to_html(doctype_html=False, max_rows=len(frame) + 1, max_columns=len(frame.columns) + 1)
    parts = []
    if caption:
        about = f' <span class="tm-about">— {escape(table.about)}</span>' if table.about else ""
        parts.append(f'<div class="tm-caption">{escape(table.title)}{about}</div>')
    parts.append(body)
    shown = len(frame) - len(table.total_rows)
    empty = text("no_rows", table.lang) if not len(table.frame) else ""  # a heading never stands alone
    notes = [n for n in (empty, table.showing(shown), table.decimals_note(), *table.notes) if n]
    if notes:
        parts.append(f'<p class="tm-note">{"<br>".join(escape(n) for n in notes)}</p>')
    return Html("\n".join(parts), f"table {table.title}: {shown} of {table.body_rows} rows")


def _align_cells(sty, table: ReaderTable, wrap: tuple[str, ...], fit_width: bool = False):
    """Numbers right-aligned on one line, text left, long text (``wrap``) wrapping in a wide cell
    (narrower in a table laid out to the page's width, a long word broken where it must)."""
    numeric = [c.header for c in table.columns if c.numeric]
    if numeric:
        sty = sty.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap",
                                                    "font-variant-numeric": "tabular-nums"})
    texts = [c.header for c in table.columns if not c.numeric]
    if texts:
        sty = sty.set_properties(subset=texts, **{"text-align": "left"})
    long_text = [c.header for c in table.columns if c.key in wrap]
    if long_text:
        sty = sty.set_properties(subset=long_text, **{"white-space": "normal",
                                                      "min-width": "8em" if fit_width else "24em",
                                                      "text-align": "left", "overflow-wrap": "anywhere"})
    return sty


def _table_styles(table: ReaderTable, fit_width: bool = False, wrap: tuple[str, ...] = ()) -> list[dict]:
    """The table's CSS: borders, header cells, numeric headers right-aligned, tier headers tinted;
    with ``fit_width`` the table as wide as the page and no wider. The long-text columns
    (``wrap``) wrap by a rule as specific as the one that keeps other cells on one line
    (``#table td.colN`` outweighs ``#table td``), so a long reason never runs off the page."""
    fit = " table-layout: auto; width: 100%; max-width: 100%;" if fit_width else ""
    styles = [
        {"selector": "", "props": f"border-collapse: collapse; font-family: {_FONT}; font-size: 13px;{fit}"},
        {"selector": "th", "props": "background: #eef1f5; padding: 4px 8px; border-bottom: 2px solid #999;"
                                    " text-align: center; vertical-align: bottom; white-space: normal;"
                                    " min-width: 4em; max-width: 10em;"},
        {"selector": "td", "props": "padding: 3px 8px; border-bottom: 1px solid #ddd; white-space: nowrap;"},
    ]
    for i, c in enumerate(table.columns):
        if c.key in wrap and not c.numeric:
            styles.append({"selector": f"td.col{i}", "props": "white-space: normal; overflow-wrap: anywhere;"})
        if c.numeric:
            styles.append({"selector": f"th.col_heading.col{i}", "props": "text-align: right;"})
        tier = next((t for t in TIER_HEADER_TINTS if c.key in (t, f"{t}_cny", f"p_{t}")), None)
        if tier:
            styles.append({"selector": f"th.col_heading.col{i}", "props": f"background: {TIER_HEADER_TINTS[tier]};"})
    return styles


def _tint_rows(sty, table: ReaderTable):
    """Each row tinted by its tier (where the table has a tier column); total rows in bold."""
    tier_cols = [c.header for c in table.columns if c.key == "tier"]
    words, totals = _tier_words(table.lang), set(table.total_rows)
    if not (tier_cols or totals):
        return sty

    def row_style(row):
        css = []
        colour = TIER_TINTS.get(words.get(row[tier_cols[0]], ""), "") if tier_cols else ""
        if colour:
            css.append(f"background-color: {colour}")
        if row.name in totals:  # frame index = position in the whole table
            css.append("font-weight: bold; border-top: 1px solid #999")
        return ["; ".join(css)] * len(row)

    return sty.apply(row_style, axis=1)


def page_header(title: str, about: str = "", scenario: str = "", source: str = "", sha256: str = "",
                sample: bool = False, run_date: dt.date | str | None = None, lang: str = "zh",
                amount_unit: str | None = None) -> Html:
    """The top of a report page: what it is, the scenario, the data source and the run date.

    Parameters
    ----------
    title, about : str
        The page's name and one line on what it shows.
    scenario : str
        Scenario name; empty for the 2003 policy as written.
    source : str
        The data file's name, or for the sample its seed (e.g. ``"sample(seed=2003)"``).
    sha256 : str
        SHA-256 of the data (hex); its first 12 characters are shown.
    sample : bool
        Sample data: a SAMPLE DATA / 样本数据 banner opens the page.
    run_date : date or str, optional
        Default today.
    lang : {"zh", "en"}
    amount_unit : {"wan", "yuan"}, optional
        Shown as "金额单位 万元" when given.
    """
    check_lang(lang)
    run_date = run_date or dt.date.today()
    run_date = run_date.isoformat() if isinstance(run_date, dt.date) else str(run_date)
    source_text = source
    if sample and source.startswith("sample(seed="):
        source_text = text("sample_source", lang, seed=source[len("sample(seed="):-1])
    if sha256:
        source_text += f" · SHA-256 {sha256[:12]}…"
    facts = [(text("scenario", lang), scenario or text("policy_as_written", lang)),
             (text("data_source", lang), source_text),
             (text("run_date", lang), run_date)]
    if amount_unit:
        from ..vocabulary import AMOUNT_UNITS
        facts.append((text("amount_unit", lang), AMOUNT_UNITS[amount_unit][1 if lang == "zh" else 2]))
    dl = "".join(f'<div class="tm-fact"><span class="tm-key">{escape(k)}</span> {escape(v)}</div>'
                 for k, v in facts)
    banner = f'<div class="tm-banner">{escape(text("sample_banner", lang))}</div>' if sample else ""
    about_html = f'<p class="tm-about">{escape(about)}</p>' if about else ""
    html = (f'{PAGE_CSS}\n{banner}<div class="tm-page-header"><h1>{escape(title)}</h1>{about_html}'
            f"{dl}</div>")
    return Html(html, f"page header {title}")


def assumptions_html(rows: list[dict], lang: str = "zh") -> Html:
    """The assumptions register in full: every row, every reason uncut (from
    :func:`tiermodel.policy.describe`, rows whose kind is not ``sourced``)."""
    table = assumptions_table(rows, lang)
    table.notes.append(text("assumptions_count", lang, n=len(table)))
    return html_table(table, max_rows=None, wrap=("parameter", "value", "assumption_reason"), fit_width=True)


def to_page(*parts: str) -> str:
    """Join page parts (header, tables) into one standalone HTML document (UTF-8)."""
    body = "\n".join(str(p) for p in parts)
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>'

