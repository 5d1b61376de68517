"""The published VIP lists (第8条: 每年年初公布 VIP 客户清单) as a workbook ready to send.

Present layer: takes :func:`tiermodel.compare.approval.published_lists` and writes one
formatted sheet per branch (its 金牌 and 银牌 customers) after the company-wide Gold list, with
Chinese headers, a title row naming the year, the scenario and the data source, and column
widths set. Written atomically; a text cell that looks like a formula is stored as text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .io import atomic_path
from .vocabulary import TIER_TERMS

HEADERS = {"customer_id": "客户号", "name": "客户名称", "branch": "机构", "branch_class": "机构类别",
           "tier": "层级", "gold_pool": "名额类别", "tier_rank": "排名", "value_index": "客户价值指标",
           "approval_date": "批准日期", "service_start": "服务起始日"}
POOL_ZH = {"existing": "已承保客户", "new": "本年新客户"}


def sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\) unique within ``used``."""
    name = re.sub(r"[\[\]:*?/\\]", "_", text)[:31] or "sheet"
    base, k = name, 2
    while name in used:
        suffix = f" ({k})"
        name, k = base[:31 - len(suffix)] + suffix, k + 1
    used.add(name)
    return name


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
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    policy_name = scenario or "2003年办法"
    sample = "（示例数据 sample data）" if source.startswith("sample") else ""
    used: set[str] = set()
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for key, table in lists.items():
                if key == "gold":
                    name = sheet_name("金牌客户名单 全公司", used)
                    title = f"{year}年度金牌VIP客户名单（全公司，第8条、第13条）"
                else:
                    name = sheet_name(key, used)
                    title = f"{year}年度{key} VIP客户名单（金牌、银牌，第8条）"
                body = chinese_list(table)
                body.to_excel(writer, sheet_name=name, index=False, startrow=2)
                ws = writer.sheets[name]
                ws["A1"] = f"{title} — 依据 {policy_name}{sample}"
                ws["A1"].font = Font(bold=True, size=13)
                ws["A2"] = f"共 {len(body)} 户；数据来源 {source}"
                for cell in ws[3]:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(horizontal="center")
                for col, header in zip("ABCDEFGHIJKLMNOP", body.columns):
                    width = max([len(str(header)) * 2] + [len(str(v)) + 2 for v in body[header].head(200)])
                    ws.column_dimensions[col].width = min(max(width, 8), 40)
                ws.freeze_panes = "A4"
                for row in ws.iter_rows(min_row=4):
                    for cell in row:
                        if cell.data_type == "f":
                            cell.data_type = "s"
                        elif cell.is_date:
                            cell.number_format = "yyyy-mm-dd"
    return path
