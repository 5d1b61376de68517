"""The published VIP lists (第8条: 每年年初公布 VIP 客户清单) as a workbook ready to send.

Present layer: takes :func:`tiermodel.compare.approval.published_lists` and writes one
formatted sheet per branch (its 金牌 and 银牌 customers) after the company-wide Gold list, with
Chinese headers, a title row naming the year, the scenario and the data source, and column
widths set. Written atomically; a text cell that looks like a formula is stored as text.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .io import atomic_path
from .vocabulary import TIER_TERMS

HEADERS = {"customer_id": "客户号", "name": "客户名称", "branch": "机构", "branch_class": "机构类别",
           "tier": "层级", "gold_pool": "名额类别", "tier_rank": "排名", "value_index": "客户价值指标",
           "approval_date": "批准日期", "service_start": "服务起始日"}
POOL_ZH = {"existing": "已承保客户", "new": "本年新客户"}
#: Date columns of a published list (written as dates, yyyy-mm-dd).
DATE_HEADERS = (HEADERS["approval_date"], HEADERS["service_start"])


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


def chinese_list(table: pd.DataFrame) -> pd.DataFrame:
    """A published list with Chinese headers and words: 序号, 客户号, …, 层级 金牌/银牌."""
    t = table.copy()
    t["tier"] = t["tier"].map(lambda x: f"{TIER_TERMS[x].zh}VIP")
    t["gold_pool"] = t["gold_pool"].astype(str).map(POOL_ZH).where(t["tier"] == "金牌VIP", "")
    t["value_index"] = t["value_index"].round(4)
    t = t.rename(columns=HEADERS)
    t.insert(0, "序号", range(1, len(t) + 1))
    return t


def write_published_lists(lists: dict[str, pd.DataFrame], path: str | Path, year: int,
                          scenario: str | None, source: str) -> Path:
    """Write the published lists: sheet 金牌客户名单, then one sheet per branch.

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
    """
    import xlsxwriter

    from .present.workbook import _HEADER_STYLE

    path = Path(path)
    policy_name = scenario or "2003年办法"
    sample = "（示例数据 sample data）" if source.startswith("sample") else ""
    used: set[str] = set()
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
        try:
            title_format = book.add_format({"bold": True, "font_size": 13})
            header_format = book.add_format(_HEADER_STYLE)
            date_format = book.add_format({"num_format": "yyyy-mm-dd"})
            formats = {HEADERS["value_index"]: book.add_format({"num_format": "0.0000"}),
                       **{h: date_format for h in DATE_HEADERS}}
            for key, table in lists.items():
                if key == "gold":
                    name = sheet_name("金牌客户名单 全公司", used)
                    title = f"{year}年度金牌VIP客户名单（全公司，第8条、第13条）"
                else:  # the branch's full name in the title, whatever its sheet name became
                    name = sheet_name(key, used)
                    title = f"{year}年度{key} VIP客户名单（金牌、银牌，第8条）"
                body = chinese_list(table)
                ws = book.add_worksheet(name)
                ws.write_string(0, 0, f"{title} — 依据 {policy_name}{sample}", title_format)
                ws.write_string(1, 0, f"共 {len(body)} 户；数据来源 {source_name(source)}")
                _list_columns(ws, body, formats, header_format)
        finally:
            book.close()
    return path


def _list_columns(ws, body: pd.DataFrame, formats: dict, header_format) -> None:
    """A published list's header (row 3) and rows below it, each column fitted to its widest text,
    frozen below the header, with an autofilter."""
    from .present.workbook import _cells, display_width

    for j, header in enumerate(body.columns):
        fmt = formats.get(header)
        is_date = header in DATE_HEADERS
        kind = body[header].dtype
        numeric = pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
        cells = _cells(body[header], numeric, is_date)
        shown = [str(v)[:10] if is_date else str(v) for v in cells[:200] if v is not None]
        width = max([display_width(str(header)) + 2] + [display_width(v) + 2 for v in shown])
        ws.set_column(j, j, min(max(width, 8), 40), fmt)
        ws.write_string(2, j, str(header), header_format)
        write = ws.write_datetime if is_date else ws.write_number if numeric else ws.write_string
        for i, v in enumerate(cells, start=3):
            if v is not None:
                write(i, j, v, fmt)
    ws.freeze_panes(3, 0)
    if len(body):
        ws.autofilter(2, 0, 2 + len(body), len(body.columns) - 1)
