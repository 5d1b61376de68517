"""The published VIP lists (第8条: 每年年初公布 VIP 客户清单) as a workbook ready to send.

Present layer: takes :func:`tiermodel.compare.approval.published_lists` and writes one
formatted sheet per branch (its 金牌 and 银牌 customers) after the company-wide Gold list, with
headers in the report's language, a title row naming the year, the scenario and the data source, and column
widths set. Written atomically; a text cell that looks like a formula is stored as text.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .io import atomic_path
from .vocabulary import COLUMN_TERMS, POOL_TERMS, TIER_TERMS, Label

#: The columns of a published list, in order (their headers from the vocabulary).
COLUMNS = ("customer_id", "name", "branch", "branch_class", "tier", "gold_pool", "tier_rank", "value_index",
           "approval_date", "service_start")
HEADERS = {k: COLUMN_TERMS[k].zh for k in COLUMNS}
POOL_ZH = {k: POOL_TERMS[k].zh for k in ("existing", "new")}
#: Date columns of a published list (written as dates, yyyy-mm-dd).
DATE_HEADERS = (HEADERS["approval_date"], HEADERS["service_start"])
#: The words of a published list that are not column headers, one language at a time.
LIST_TERMS = {
    "number": Label("序号", "No."),
    "tier_vip": Label("{tier}VIP", "{tier} VIP"),
    "gold_sheet": Label("金牌客户名单 全公司", "Gold list, company"),
    "gold_title": Label("{year}年度金牌VIP客户名单（全公司，第8条、第13条）",
                        "{year} Gold VIP list (company-wide, 第8条, 第13条)"),
    "branch_title": Label("{year}年度{branch} VIP客户名单（金牌、银牌，第8条）",
                          "{year} VIP list of {branch} (Gold and Silver, 第8条)"),
    "title": Label("{title} — 依据 {policy}{sample}", "{title} — under {policy}{sample}"),
    "policy": Label("2003年办法", "the 2003 policy"),
    "sample": Label("（示例数据）", " (sample data)"),
    "count": Label("共 {n} 户；数据来源 {source}", "{n} customers; data source {source}"),
}


def _word(key: str, lang: str, **fields) -> str:
    term = LIST_TERMS[key]
    return (term.zh if lang == "zh" else term.en).format(**fields)


def _headers(lang: str) -> dict[str, str]:
    return {k: COLUMN_TERMS[k].zh if lang == "zh" else COLUMN_TERMS[k].en for k in COLUMNS}


def sheet_name(text: str, used: set[str]) -> str:
    """A valid Excel sheet name from any text (a branch name), unique within ``used`` without
    regard to case (see :func:`tiermodel.present.workbook.safe_sheet_name`)."""
    from .present.workbook import safe_sheet_name

    return safe_sheet_name(text, used)


def source_name(source: str) -> str:
    """The data source as a published list shows it: a file by its name (not the analyst's
    folders), a sample as described."""
    text = str(source)
    if text.startswith("sample") or ("/" not in text and "\\" not in text):
        return text
    return Path(text.replace("\\", "/")).name


def reader_list(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A published list with headers and words in ``lang``: 序号/No., 客户号/customer id, …,
    层级 金牌VIP/银牌VIP (Gold VIP/Silver VIP), 名额类别 for Gold only."""
    t = table.copy()
    tier = t["tier"].astype(str)
    t["tier"] = tier.map(lambda x: _word("tier_vip", lang, tier=TIER_TERMS[x].zh if lang == "zh" else TIER_TERMS[x].en))
    pools = {k: (v.zh if lang == "zh" else v.en) for k, v in POOL_TERMS.items()}
    t["gold_pool"] = t["gold_pool"].astype(str).map(pools).where(tier.to_numpy() == "gold", "")
    t["value_index"] = t["value_index"].round(4)
    t = t.rename(columns=_headers(lang))
    t.insert(0, _word("number", lang), range(1, len(t) + 1))
    return t


def chinese_list(table: pd.DataFrame) -> pd.DataFrame:
    """A published list with Chinese headers and words (:func:`reader_list` in zh)."""
    return reader_list(table, "zh")


def write_published_lists(lists: dict[str, pd.DataFrame], path: str | Path, year: int,
                          scenario: str | None, source: str, lang: str = "zh") -> Path:
    """Write the published lists: sheet 金牌客户名单 (Gold list), then one sheet per branch.

    Each sheet: a title row (year, policy, sample or not), a row with the count and the data
    source, then the list with the report workbook's header style, frozen below its header,
    an autofilter, columns fitted to their widest text (a Chinese character counts two),
    value indices to 4 decimals and dates as yyyy-mm-dd. Written with XlsxWriter, which
    stores a text cell starting with ``= + - @`` as text, never as a formula.

    Parameters
    ----------
    lists : dict
        :func:`tiermodel.compare.approval.published_lists`.
    path : path
        Target workbook (.xlsx).
    year : int
        Service year, for the titles.
    scenario : str or None
        Scenario in force (None: the 2003 policy as written).
    source : str
        Data source; a sample is said so in every title.
    lang : {"zh", "en"}
        Language of sheet names, titles, headers and words (branch and customer names are
        the data's own).
    """
    import xlsxwriter

    from .present.labels import check_lang
    from .present.workbook import _HEADER_STYLE

    check_lang(lang)
    path = Path(path)
    policy_name = scenario or _word("policy", lang)
    sample = _word("sample", lang) if source.startswith("sample") else ""
    headers = _headers(lang)
    dates = (headers["approval_date"], headers["service_start"])
    used: set[str] = set()
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        try:
            title_format = book.add_format({"bold": True, "font_size": 13})
            header_format = book.add_format(_HEADER_STYLE)
            date_format = book.add_format({"num_format": "yyyy-mm-dd"})
            formats = {headers["value_index"]: book.add_format({"num_format": "0.0000"}),
                       **{h: date_format for h in dates}}
            for key, table in lists.items():
                if key == "gold":
                    name = sheet_name(_word("gold_sheet", lang), used)
                    title = _word("gold_title", lang, year=year)
                else:  # the branch's full name in the title, whatever its sheet name became
                    name = sheet_name(key, used)
                    title = _word("branch_title", lang, year=year, branch=key)
                body = reader_list(table, lang)
                ws = book.add_worksheet(name)
                ws.write_string(0, 0, _word("title", lang, title=title, policy=policy_name, sample=sample),
                                title_format)
                ws.write_string(1, 0, _word("count", lang, n=len(body), source=_source_text(source, lang)))
                _list_columns(ws, body, formats, header_format, dates)
        finally:
            book.close()
    return path


def _source_text(source: str, lang: str) -> str:
    """The data source in ``lang``: a sample by its seed ("样本数据（种子 2003）"), a file by its name."""
    from .present.labels import text

    name = source_name(source)
    if name.startswith("sample(seed=") and name.endswith(")"):
        return text("sample_source", lang, seed=name[len("sample(seed="):-1])
    if name.startswith("sample"):
        return text("sample_mark", lang)
    return name


def _list_columns(ws, body: pd.DataFrame, formats: dict, header_format, dates: tuple = DATE_HEADERS) -> None:
    """A published list's header (row 3) and rows below it, each column fitted to its widest text,
    frozen below the header, with an autofilter; printed fit to one page wide with its title,
    count and header rows repeated."""
    from .present.workbook import _cells, display_width, print_setup

    widths = []
    for j, header in enumerate(body.columns):
        fmt = formats.get(header)
        is_date = header in dates
        kind = body[header].dtype
        numeric = pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
        cells = _cells(body[header], numeric, is_date)
        shown = [str(v)[:10] if is_date else str(v) for v in cells[:200] if v is not None]
        width = max([display_width(str(header)) + 2] + [display_width(v) + 2 for v in shown])
        widths.append(min(max(width, 8), 40))
        ws.set_column(j, j, widths[-1], fmt)
        ws.write_string(2, j, str(header), header_format)
        write = ws.write_datetime if is_date else ws.write_number if numeric else ws.write_string
        for i, v in enumerate(cells, start=3):
            if v is not None:
                write(i, j, v, fmt)
    ws.freeze_panes(3, 0)
    if len(body):
        ws.autofilter(2, 0, 2 + len(body), len(body.columns) - 1)
    # title, count and header rows and the 序号/客户号 columns on every printed page
    print_setup(ws, widths, (0, 2), (0, 1))
