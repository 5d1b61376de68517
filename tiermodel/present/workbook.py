"""A workbook for managers: contents sheet, formatted sheets, written atomically.

Each :class:`~tiermodel.present.tables.ReaderTable` becomes one sheet named in the output
language ("01 金牌客户名单"), in the order given (the report's pages). The first sheet,
目录 / Contents, lists every sheet with a link, its page, one line on what it holds and its
row count. Every sheet has its header row formatted and frozen, its columns fitted, number
formats set from the column kinds (万元 ``#,##0.00``, 元 ``#,##0``, ``0.0%``, ``yyyy-mm-dd``),
no index column, and an autofilter on lists.

Written with XlsxWriter: column formats are set once per column instead of cell by cell
(openpyxl styles every cell), and its ``strings_to_formulas=False`` option keeps the
safe-text rule — a text cell starting with ``= + - @`` is stored as text, never a formula.
The file is written to a temporary name and renamed (:func:`tiermodel.io.atomic_path`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import OutputPathError
from ..io import XLSX_MAX_ROWS, atomic_path
from ..vocabulary import PAGE_TERMS
from .labels import check_lang, pick, text
from .tables import ReaderTable, reader_table

#: Excel's longest sheet name.
MAX_SHEET_NAME = 31
#: Widest column [characters]; long text wraps within it.
MAX_WIDTH = 60
MIN_WIDTH = 6
#: Rows from which a sheet counts as a list and gets an autofilter.
AUTOFILTER_MIN_ROWS = 10
#: A sheet whose columns add up to more than this many characters prints on A4 landscape.
LANDSCAPE_WIDTH = 100
#: XlsxWriter's paper code for A4.
PAPER_A4 = 9
_HEADER_STYLE = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                 "bg_color": "#DDE3EC", "border": 1}


def display_width(value: str) -> int:
    """Width of text in character cells: a Chinese character counts two."""
    if value.isascii():  # no wide character: one cell each
        return len(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def sheet_names(tables: Iterable[ReaderTable], reserved: Iterable[str] = ()) -> list[str]:
    """Sheet names in the output language: "NN title", at most 31 characters, unique.

    The "NN" is the number before a table's key ("01 gold list" → "01 金牌客户名单").
    """
    taken = {n.casefold() for n in reserved}
    names = []
    for t in tables:
        prefix = t.name[:2] + " " if t.name[:2].isdigit() else ""
        names.append(safe_sheet_name(prefix + t.title, taken))
    return names


#: Characters Excel refuses in a sheet name, and control characters (which it cannot show).
_UNSAFE_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
#: Sheet names Excel keeps for itself (compared without case).
_RESERVED_SHEET_NAMES = {"history"}


def _utf16_cut(text: str, units: int) -> str:
    """The longest start of ``text`` of at most ``units`` UTF-16 code units (Excel counts those)."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def _sheet_text(text: str, units: int) -> str:
    """``text`` as a sheet name of at most ``units`` UTF-16 units: no character Excel refuses,
    no space or apostrophe at either end."""
    return _utf16_cut(_UNSAFE_SHEET_CHARS.sub(" ", str(text)).strip(" '"), units).strip(" '")


def safe_sheet_name(text: str, taken: set[str]) -> str:
    """A valid Excel sheet name from any text (a branch name, a title): characters Excel refuses
    replaced, at most 31 UTF-16 units, no apostrophe or space at either end, not a name Excel
    keeps ("History"), and unique without regard to case within ``taken`` (case-folded names,
    to which it is added) — by " 2", " 3", … in place of its last characters."""
    base = _sheet_text(text, MAX_SHEET_NAME) or "sheet"
    name, n = base, 1
    while name.casefold() in taken or name.casefold() in _RESERVED_SHEET_NAMES:
        n += 1
        suffix = f" {n}"
        name = (_sheet_text(base, MAX_SHEET_NAME - len(suffix)) or "sheet") + suffix
    taken.add(name.casefold())
    return name


#: A report page's short tables (at most this many rows) share one sheet, "NN 汇总表", one
#: below another under their titles; a list (more rows) keeps a sheet of its own.
STACK_MAX_ROWS = 25


def _layout(tables: list[ReaderTable], stack_max_rows: int | None) -> list[list[ReaderTable]]:
    """The sheets: one table each, except that a page's short tables (two or more of at most
    ``stack_max_rows`` rows) share one sheet, where the first of them stood."""
    if not stack_max_rows:
        return [[t] for t in tables]
    short: dict[str, list[ReaderTable]] = {}
    for t in tables:
        if t.name[:2].isdigit() and len(t) <= stack_max_rows:
            short.setdefault(t.name[:2], []).append(t)
    sheets, placed = [], set()
    for t in tables:
        group = short.get(t.name[:2], []) if t.name[:2].isdigit() else []
        if len(group) < 2 or not any(t is g for g in group):
            sheets.append([t])
        elif t.name[:2] not in placed:
            placed.add(t.name[:2])
            sheets.append(group)
    return sheets


def write_workbook(tables: list[ReaderTable], path: str | Path, lang: str = "zh",
                   autofilter_min_rows: int = AUTOFILTER_MIN_ROWS, stack_max_rows: int | None = None) -> Path:
    """Write reader tables to one formatted .xlsx workbook with a contents sheet, atomically.

    Parameters
    ----------
    tables : list of ReaderTable
        In page order; :func:`~tiermodel.present.reader_tables` makes them from a result's
        ``.tables()``.
    path : path
        Target workbook (.xlsx); replaced if it exists (the caller checks ``--force``).
    lang : {"zh", "en"}
        Language of the contents sheet.
    autofilter_min_rows : int
        A sheet of at least this many rows gets an autofilter on its header.
    stack_max_rows : int, optional
        Where given, a page's tables of at most this many rows share one sheet ("01 汇总表"),
        each under its title (:data:`STACK_MAX_ROWS` for the report's workbook).

    Returns
    -------
    Path

    Raises
    ------
    OutputPathError
        Not an .xlsx path, a table over Excel's 1,048,576 rows, or the file cannot be written.
    """
    import xlsxwriter

    check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputPathError(path, "the output workbook must end in .xlsx")
    too_big = [t.name for t in tables if len(t) + 1 > XLSX_MAX_ROWS]
    if too_big:
        raise OutputPathError(path, f"table(s) {too_big} exceed {XLSX_MAX_ROWS:,} rows; write .csv or .parquet")
    contents_name = text("contents", lang)
    sheets = _layout(tables, stack_max_rows)
    titled = [group[0] if len(group) == 1 else ReaderTable(group[0].name[:2], text("short_tables", lang), "", "",
                                                           pd.DataFrame(), [])
              for group in sheets]
    names = sheet_names(titled, reserved=[contents_name])
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False,
                                              "default_date_format": "yyyy-mm-dd"})
        try:
            formats = _Formats(book)
            contents = book.add_worksheet(contents_name)
            places = []  # (sheet, row of the table's title or header, table, shares its sheet)
            for name, group in zip(names, sheets):
                ws = book.add_worksheet(name)
                if len(group) == 1:
                    _data_sheet(ws, formats, group[0], autofilter_min_rows)
                    places.append((name, 0, group[0], False))
                else:
                    places += [(name, row, t, True) for row, t in zip(_stacked_sheet(ws, formats, group), group)]
            _contents_sheet(contents, formats, places, lang)
        finally:
            book.close()
    return path


class _Formats:
    """One XlsxWriter format per number format (the workbook shares them)."""

    def __init__(self, book):
        self.book = book
        self.header = book.add_format(_HEADER_STYLE)
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.link = book.add_format({"font_color": "#1F4E99", "underline": 1})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.block_title = book.add_format({"bold": True, "font_size": 12})
        self._cache = {}

    def number(self, num_format: str | None):
        if num_format is None:
            return None
        if num_format not in self._cache:
            self._cache[num_format] = self.book.add_format({"num_format": num_format})
        return self._cache[num_format]


def _cells(values: pd.Series, numeric: bool, is_date: bool) -> list:
    """Python values for XlsxWriter: numbers as float/int, blanks for NaN/inf/NaT."""
    if is_date:
        return [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in values]
    if numeric:
        arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        out = arr.tolist()
        bad = ~np.isfinite(arr)
        if bad.any():
            for i in np.flatnonzero(bad):
                out[i] = None
        return out
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v) for v in values]


def _width(column, values: list, header: str) -> int:
    if column.numeric and column.kind != "date":
        # a number's text (fixed decimals, separators, a sign) is widest at the column's
        # smallest or largest value: two values shown, not every row
        finite = [v for v in values if v is not None]
        sample = [min(finite), max(finite)] if finite else []
    else:
        sample = values[:2000]
    widest = max((display_width(column.show(v)) for v in sample if v is not None), default=0)
    head = max((display_width(part) for part in header.split("（")), default=0)
    return int(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2, min(head + 2, 24))))


def _table_block(ws, formats: _Formats, table: ReaderTable, top: int) -> list[tuple[int, object]]:
    """The table's header in row ``top`` and its rows below, each cell in its column's number
    format; returns each column's width and format."""
    header_lines, columns = 1, []
    for j, column in enumerate(table.columns):
        cells = _cells(table.frame.iloc[:, j], column.numeric, column.kind == "date")
        width = _width(column, cells, column.header)
        long_text = not column.numeric and width >= MAX_WIDTH
        fmt = formats.wrap if long_text else formats.number(column.excel_format())
        columns.append((width, fmt))
        ws.write_string(top, j, column.header, formats.header)
        header_lines = max(header_lines, math.ceil(display_width(column.header) / max(width - 1, 1)))
        if column.kind == "date":
            for i, v in enumerate(cells, start=top + 1):
                if v is not None:
                    ws.write_datetime(i, j, v, fmt)
        elif cells:
            ws.write_column(top + 1, j, cells, fmt)
    ws.set_row(top, 15 * min(header_lines, 4) + 3)
    return columns


def print_setup(ws, widths: list[float], header_rows: tuple[int, int] | None, id_columns: tuple[int, int] | None = (0, 0),
                print_area: tuple[int, int, int, int] | None = None) -> None:
    """How a sheet prints: A4, landscape where its columns are wide (more than
    :data:`LANDSCAPE_WIDTH` characters in all), fit to one page wide and as many pages tall as
    it needs, the header rows (first, last) and the id columns repeated on every page, cell
    gridlines printed, "page / pages" in the footer. ``print_area`` (first row, first column,
    last row, last column) limits what prints."""
    ws.set_paper(PAPER_A4)
    if sum(widths) > LANDSCAPE_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.hide_gridlines(0)
    ws.set_footer("&C&P / &N")
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    if id_columns is not None:
        ws.repeat_columns(*id_columns)
    if print_area is not None:
        ws.print_area(*print_area)


def _data_sheet(ws, formats: _Formats, table: ReaderTable, autofilter_min_rows: int) -> None:
    n_rows, n_cols = len(table.frame), len(table.columns)
    widths = []
    for j, (width, fmt) in enumerate(_table_block(ws, formats, table, 0)):
        ws.set_column(j, j, width, fmt)
        widths.append(width)
    ws.freeze_panes(1, 0)
    if n_rows >= autofilter_min_rows and n_cols:
        ws.autofilter(0, 0, n_rows, n_cols - 1)
    # the columns up to the customer id (or the first) repeat on every page
    keys = [c.key for c in table.columns]
    print_setup(ws, widths, (0, 0), (0, keys.index("customer_id") if "customer_id" in keys else 0) if n_cols else None)


def _stacked_sheet(ws, formats: _Formats, tables: list[ReaderTable]) -> list[int]:
    """Short tables one below another, each under its title with a blank row between; returns
    the row of each title."""
    row, tops, widths = 0, [], {}
    for table in tables:
        tops.append(row)
        ws.write_string(row, 0, table.title, formats.block_title)
        for j, (width, _) in enumerate(_table_block(ws, formats, table, row + 1)):
            widths[j] = max(widths.get(j, MIN_WIDTH), width)
        row += len(table) + 3
    for j, width in widths.items():
        ws.set_column(j, j, width)
    # the first table's title and header repeat; each short table fits on one page
    print_setup(ws, list(widths.values()), (0, 1), None, (0, 0, max(row - 2, 0), max(len(widths) - 1, 0)))
    return tops


def _contents_sheet(ws, formats: _Formats, places: list[tuple[str, int, ReaderTable, bool]], lang: str) -> None:
    """One row per table: a link to its sheet (and row, on a sheet of short tables), its page,
    what it holds and its rows."""
    heads = [text("sheet", lang), text("page", lang), text("holds", lang), text("rows", lang)]
    for j, h in enumerate(heads):
        ws.write_string(0, j, h, formats.header)
    count = formats.number("#,##0")
    shown = []
    for i, (sheet, row, table, shared) in enumerate(places, start=1):
        label = f"{sheet} · {table.title}" if shared else sheet
        shown.append(label)
        ws.write_url(i, 0, f"internal:'{sheet}'!A{row + 1}", formats.link, string=label)
        ws.write_string(i, 1, table.page or "")
        ws.write_string(i, 2, table.about or table.title)
        ws.write_number(i, 3, len(table), count)
    tables = [t for _, _, t, _ in places]
    widths = [max([display_width(heads[0])] + [display_width(s) for s in shown]) + 2,
              max([display_width(heads[1])] + [display_width(t.page or "") for t in tables]) + 2,
              min(MAX_WIDTH + 20, max([display_width(heads[2])] + [display_width(t.about or t.title)
                                                                   for t in tables]) + 2), 10]
    for j, w in enumerate(widths):
        ws.set_column(j, j, max(MIN_WIDTH, w))
    ws.freeze_panes(1, 0)
    print_setup(ws, widths, (0, 0), (0, 0))
    ws.activate()


def report_workbook(tables: dict[str, pd.DataFrame], path: str | Path, lang: str = "zh",
                    amount_unit: str = "wan", order: Iterable[str] | None = None) -> Path:
    """The report's workbook from the tables its pages exported ("NN key" → plain table).

    Tables are grouped by page number "NN" (in page order, then in the order given or
    ``order``), labelled in ``lang`` and ``amount_unit``, and written by :func:`write_workbook`
    with the contents sheet first; a page's short tables (at most :data:`STACK_MAX_ROWS`
    rows) share one sheet, "NN 汇总表", and the contents link to each of them. A report's ``write_workbook`` can call this in place of
    writing unformatted sheets.

    Parameters
    ----------
    tables : dict of str to DataFrame
        "01 gold list" → table, as notebooks export them (``present.page.export_tables``).
    path : path
        Target .xlsx.
    lang : {"zh", "en"}
    amount_unit : {"wan", "yuan"}
    order : iterable of str, optional
        Table names in the order wanted within their pages (others follow).
    """
    rank = {name: i for i, name in enumerate(order or [])}
    names = sorted(tables, key=lambda n: (n[:2] if n[:2].isdigit() else "99", rank.get(n, len(rank)),
                                          list(tables).index(n)))
    readers = []
    for name in names:
        page = name[:2] if name[:2].isdigit() else ""
        page_title = f"{page} {pick(PAGE_TERMS[page], lang)}" if page in PAGE_TERMS else page
        readers.append(reader_table(tables[name], name, lang, amount_unit, page=page_title))
    return write_workbook(readers, path, lang, stack_max_rows=STACK_MAX_ROWS)
