"""Reading and writing tables: the readers every input goes through, one atomic writer.

Readers return raw text-preserving frames for the validators of :mod:`tiermodel.portfolio`
and :mod:`tiermodel.events`. CSV goes through pyarrow (all cores): the encoding (UTF-8 with
or without BOM, GB18030/GBK) and a title or notes above the header are detected, or given
with :class:`ReadOptions`; Excel sheets are chosen by name or number. Writers never leave a
half-written file: they write to a temporary name beside the target and rename it. CSV is
written by pyarrow as UTF-8 with a BOM (Excel reads Chinese names). A text cell that a
spreadsheet would take for a formula (it starts with ``= + - @``, a tab or a carriage
return) is written as text: stored as text in .xlsx, behind an apostrophe in CSV (OWASP),
which the CSV reader removes again so that our own files read back unchanged.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import os
import threading
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import InputTableError, OutputPathError, Problem
from .vocabulary import TEXT_TERMS



class _OnUse:
    """A module imported on first use (pandas, pyarrow.compute: a CSV file is read ahead while
    they load, see :func:`read_ahead`); then the name in ``namespace`` is the module itself."""

    def __init__(self, module: str, namespace: dict, name: str):
        self._module, self._namespace, self._name = module, namespace, name

    def __getattr__(self, attribute):
        import importlib

        module = importlib.import_module(self._module)
        self._namespace[self._name] = module
        return getattr(module, attribute)


pd = _OnUse("pandas", globals(), "pd")
pc = _OnUse("pyarrow.compute", globals(), "pc")

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows of an .xlsx sheet, header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input table that is not a plain UTF-8 table with its header on row 1.

    Attributes
    ----------
    encoding : str, optional
        Text encoding of a CSV file (e.g. ``gb18030``, ``gbk``, ``utf-8``); None = detect
        (UTF-8 with or without BOM, else GB18030, which includes GBK).
    header_row : int, optional
        1-based row of the header (the rows above it — a title, notes — are skipped);
        None = detect: row 1 if it names a known column, else the first of the top 30
        rows that names two.
    sheet : str, optional
        Excel sheet: its name, or its 1-based position when no sheet has that name;
        None = the first sheet.
    date_format : str, optional
        strftime format of the dates of the event tables (e.g. ``%d/%m/%Y``); None = ISO
        ``2025-03-04`` or ``2025/3/4``; day-month orders such as ``03/04/2025`` are refused
        as ambiguous unless a format is given.
    """

    encoding: str | None = None
    header_row: int | None = None
    sheet: str | None = None
    date_format: str | None = None


HEADER_SCAN_ROWS = 30  # rows searched for the header of a table with a title above it
SAMPLE_BYTES = 1 << 18  # bytes of a CSV read to detect its encoding, delimiter and header


def _problem(path, rule: str) -> InputTableError:
    return InputTableError(str(path), [Problem(None, None, None, rule)])


def read_table(path: str | Path, sheet: str | int | None = None, *, encoding: str | None = None,
               header_row: int | None = None, columns=None, categorical=(), numeric=()) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file as text-preserving raw data.

    CSV cells are read as text (pyarrow, all cores); numbers are parsed by the validators,
    so that ``007`` stays an id and ``45%`` can be named in a message. The returned frame
    carries ``attrs["first_row"]``: the spreadsheet row number of its first data row
    (header row + 1), which the validators use in their messages.

    Parameters
    ----------
    path : path
        The file; its suffix decides the reader.
    sheet : str or int, optional
        Excel sheet name, or 0-based position; a text of digits that names no sheet is a
        1-based position (as ``--sheet 2`` on the command line). None = the first sheet,
        or the one after it when the first is a formatted output's contents sheet.
    encoding : str, optional
        Encoding of a CSV file; None = detect UTF-8 (BOM or not) or GB18030/GBK.
    header_row : int, optional
        1-based row of the header; None = detect it among the top rows (see ``columns``).
    columns : iterable of str, optional
        Known column names and labels; the header is the first row naming them.
    categorical : iterable of str, optional
        Columns (names or labels) with few distinct values (branch, class): read as
        categories, which validates them once per distinct value.
    numeric : iterable of str, optional
        Columns (names or labels) of numbers: a CSV whose every cell in them is a plain number
        or blank has them parsed while reading (float, NaN for blank); otherwise, as every
        column of other files, they stay text for the validators.

    Raises
    ------
    InputTableError
        The file is missing, a folder, empty, unreadable, in another encoding, or of an
        unknown type; naming what to change.
    """
    path = check_input_file(path, "a table file")
    if header_row is not None and (not isinstance(header_row, (int, np.integer)) or header_row < 1):
        raise _problem(path, f"header row must be a whole number ≥ 1 (got {header_row!r})")
    args = _csv_args(path, encoding, header_row, columns, categorical, numeric)
    known = args[3]
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            df = _read_csv(*args)
        elif suffix in (".xlsx", ".xlsm"):
            df = _read_excel(path, sheet, header_row, known)
        elif suffix == ".parquet":
            df = pd.read_parquet(path)
            df.attrs["first_row"] = 2
        else:
            raise _problem(path, f"unknown file type '{suffix}'; use .csv, .xlsx or .parquet")
    except InputTableError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, LookupError, KeyError, IndexError,
            pa.ArrowException, zipfile.BadZipFile) as exc:
        raise _problem(path, f"cannot be read: {_short(exc)}") from None
    except Exception as exc:  # openpyxl and pyarrow raise their own types on damaged files
        raise _problem(path, f"cannot be read ({type(exc).__name__}: {_short(exc)})") from None
    df.attrs["file"] = str(path)
    if len(df.columns) == 0:
        raise _problem(path, "the file is empty: no header and no rows")
    return df


def check_input_file(path: str | Path, what: str = "a file") -> Path:
    """``path`` as a Path, if it names a regular file that can be read.

    Raises
    ------
    InputTableError
        No file given, not found, a folder, or not a regular file (a named pipe or a device
        would block the read or never end).
    """
    import stat

    path = Path(path)
    if str(path) in ("", "."):
        raise _problem(path, "no file given")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _problem(path, "file not found") from None
    except OSError as exc:
        raise _problem(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise _problem(path, f"is a folder, not {what}")
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise _problem(path, f"is {kind}, not {what}; give a file saved on disk")
    return path


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` (GBK, as Excel saves CSV on Chinese Windows).

    Raises ValueError if the bytes are neither.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValueError("the file is UTF-16 (Excel's 'Unicode text'); save it as CSV UTF-8")
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)().decode(sample, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is neither UTF-8 nor GB18030/GBK text")


def _find_header(rows: list[list[str]], known: set[str] | None, header_row: int | None, path) -> int:
    """0-based index of the header row among ``rows`` (the top of the file)."""
    if header_row is not None:
        if header_row > len(rows):
            raise _problem(path, f"header row {header_row} is beyond the {len(rows)} row(s) read")
        return header_row - 1
    if not known or not rows:
        return 0

    def hits(row):
        return sum(str(c).strip().lower() in known for c in row if c is not None)

    if hits(rows[0]) >= 1:
        return 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if hits(row) >= 2:
            return i
    return 0


def read_ahead(path: str | Path, *, encoding: str | None = None, header_row: int | None = None,
               columns=None, categorical=(), numeric=()) -> None:
    """Start reading a CSV file on a thread while the caller goes on (loading the rest of the
    package, say): pyarrow parses it on all cores without holding Python's lock.

    :func:`read_table` called later with the same arguments takes the table over; the file
    is read once. Anything else (not a CSV file, a read that fails, a file changed in between)
    is left to :func:`read_table`, which reads the file itself and names what is wrong. The
    arguments are those of :func:`read_table`.
    """
    try:
        path = Path(path)
        if path.suffix.lower() != ".csv" or not path.is_file():
            return
        if header_row is not None and (not isinstance(header_row, (int, np.integer)) or header_row < 1):
            return
        args = _csv_args(path, encoding, header_row, columns, categorical, numeric)
        key = _ahead_key(*args)
    except (OSError, ValueError, TypeError):
        return
    future: Future = Future()

    def read():
        try:
            future.set_result(_read_csv_arrow(*args))
        except BaseException as exc:  # handed to read_table, which reads the file again
            future.set_exception(exc)

    threading.Thread(target=read, name="tiermodel-read-ahead", daemon=True).start()
    _AHEAD[key] = future


#: CSV files being read ahead: (file, arguments) → the future (table, header, rows skipped).
_AHEAD: dict[tuple, Future] = {}


def _csv_args(path: Path, encoding, header_row, columns, categorical, numeric) -> tuple:
    """The arguments of :func:`_read_csv` as :func:`read_table` makes them."""
    known = {str(c).strip().lower() for c in columns} if columns else None
    return (path, encoding, header_row, known, {str(c).strip() for c in categorical},
            {str(c).strip() for c in numeric})


def _ahead_key(path: Path, encoding, header_row, known, categorical, numeric) -> tuple:
    """What a read ahead must match: the file as it is now (size, time) and the arguments."""
    stat = os.stat(path)
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns, encoding, header_row,
            frozenset(known) if known else None, frozenset(categorical), frozenset(numeric))


def _read_csv(path: Path, encoding, header_row, known, categorical, numeric=frozenset()) -> pd.DataFrame:
    read = None
    if _AHEAD:
        future = _AHEAD.pop(_ahead_key(path, encoding, header_row, known, categorical, numeric), None)
        if future is not None:
            try:
                read = future.result()
            except Exception:  # read again here: any error is raised as without the read ahead
                read = None
    table, header, skip = read or _read_csv_arrow(path, encoding, header_row, known, categorical, numeric)
    df = table.to_pandas()
    df.columns = header
    df = _drop_blank_unnamed(df)
    df.attrs["first_row"] = skip + 1
    return df


def _read_csv_arrow(path: Path, encoding, header_row, known, categorical, numeric) -> tuple[pa.Table, list[str], int]:
    """The CSV file as an Arrow table (columns ``c0, c1, ...``), its header and the physical rows
    above its first data row."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip():
        raise _problem(path, "the file is empty: no header and no rows")
    encoding, text = _csv_text(path, sample, encoding)
    delimiter, header, skip = _csv_layout(path, text, header_row, known)
    names = [f"c{i}" for i in range(len(header))]
    # large_string: pandas takes Arrow's text as it is (with pa.string() it copies every column)
    text_types = {n: (pa.dictionary(pa.int32(), pa.string()) if header[i] in categorical else pa.large_string())
                  for i, n in enumerate(names)}
    # number columns parsed while reading (all cores); any odd cell (45%, 1,234, nan) sends the
    # file through the text path, where the validators name each cell
    typed = {n: pa.float64() for i, n in enumerate(names) if header[i] in numeric}
    reader = _ArrowCsv(path, encoding, skip, names, delimiter)
    try:
        table = reader.read(text_types, typed)
        if reader.bad_rows:  # perhaps a CR or LF inside a quoted cell, where a parallel read splits rows
            reader = _ArrowCsv(path, encoding, skip, names, delimiter, newlines_in_values=True)
            table = reader.read(text_types, typed)
    except pa.ArrowInvalid as exc:
        message = _short(exc)
        if "UTF8" in message or "utf8" in message.lower() or "decode" in message.lower():
            raise _problem(path, f"is not {encoding} text; give the right --encoding (gb18030 for GBK "
                                 f"files saved by Excel on Chinese Windows)") from None
        raise
    if reader.bad_rows:
        _refuse_ragged(path, reader.bad_rows, encoding, skip, delimiter, len(names))
    return _unescape(table), header, skip


def _refuse_ragged(path: Path, bad_rows: list[Problem], encoding, skip, delimiter, width) -> None:
    """Rows with more or fewer cells than the header, by their row numbers."""
    if any(p.row is None for p in bad_rows):  # numbers are unknown when read in parallel: find them
        bad_rows = _ragged_rows(path, encoding, skip, delimiter, width)
    if width <= 2:
        bad_rows.append(Problem(None, None, None, f"the header (row {skip}) has {width} cell(s); if the "
                                                  f"header is another row, give it with --header-row N"))
    raise InputTableError(str(path), bad_rows)


#: The first bytes of a zip file: an .xlsx (or another zip) under a .csv name.
_ZIP_MAGIC = b"PK\x03\x04"


def _csv_text(path: Path, sample: bytes, encoding: str | None) -> tuple[str, str]:
    """The encoding of a CSV file (as given, or detected) and its first bytes as text."""
    if sample.startswith(_ZIP_MAGIC):
        raise _problem(path, "is an Excel workbook (.xlsx) saved under a .csv name; rename it to .xlsx, "
                             "or save it from Excel as CSV")
    if sample.startswith(_CFB_MAGIC):
        raise _problem(path, "is an Excel 97–2003 (.xls) or encrypted workbook under a .csv name; "
                             "save it from Excel as CSV")
    if encoding is None:
        try:
            encoding = detect_encoding(sample)
        except ValueError as exc:
            raise _problem(path, f"{exc}; give its encoding (--encoding gb18030, --encoding utf-8, ...)") from None
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _problem(path, f"unknown encoding '{encoding}' (try gb18030 or utf-8)") from None
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError as exc:
        raise _problem(path, f"is not {encoding} text (byte {exc.start}); give the right --encoding "
                             f"(gb18030 for GBK files saved by Excel on Chinese Windows)") from None
    return encoding, text.lstrip("\ufeff")


def _csv_layout(path: Path, text: str, header_row, known) -> tuple[str, list[str], int]:
    """The delimiter, the header and the physical rows up to and including it."""
    lines = text.splitlines()[:max(HEADER_SCAN_ROWS, header_row or 0) + 1]
    # the delimiter that splits some top row (the header, not a title) into the most cells
    delimiter = max((",", "\t", ";"), key=lambda d: max((ln.count(d) for ln in lines), default=0))
    top = list(csv.reader(lines, delimiter=delimiter))
    top = [r for r in top if any(c.strip() for c in r)] if header_row is None else top
    h = _find_header(top, known, header_row, path)
    header = [c.strip() for c in top[h]]
    # the data start after the header: count physical rows up to it (blank rows included)
    skip = _physical_rows_before(lines, top[h], delimiter) + 1 if header_row is None else header_row
    return delimiter, header, skip


class _ArrowCsv:
    """pyarrow's CSV reader on one file: text columns (``types``), number columns parsed while
    reading where every cell is a plain number (``typed``); rows of the wrong width collected in
    ``bad_rows``."""

    def __init__(self, path, encoding, skip, names, delimiter, newlines_in_values=False):
        self.path, self.bad_rows = path, []
        self.read_opts = pacsv.ReadOptions(encoding="utf8" if encoding in ("utf-8", "utf-8-sig", "utf8") else encoding,
                                           skip_rows=skip, column_names=names)
        self.parse_opts = pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=self._invalid,
                                             newlines_in_values=newlines_in_values)

    def _invalid(self, row):
        if len(self.bad_rows) < 20:
            where = f"row {row.number}" if row.number is not None else "a row"
            self.bad_rows.append(Problem(row.number, None, None,
                                         f"{where} has {row.actual_columns} cells but the header has "
                                         f"{row.expected_columns}: {row.text[:80]!r}"))
        return "skip"

    def _read(self, types) -> pa.Table:
        conv = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, null_values=[""],
                                    quoted_strings_can_be_null=False)
        return pacsv.read_csv(self.path, read_options=self.read_opts, parse_options=self.parse_opts,
                              convert_options=conv)

    def read(self, text_types: dict, typed: dict) -> pa.Table:
        if typed:
            try:
                table = self._read({**text_types, **typed})
                if not any(pc.any(pc.is_nan(table.column(n))).as_py() for n in typed):
                    return table  # a literal 'nan' is not a blank: then named as text
            except pa.ArrowInvalid as exc:
                if "conversion error" not in str(exc):
                    raise
            self.bad_rows.clear()
        return self._read(text_types)


def _physical_rows_before(lines: list[str], header: list[str], delimiter: str) -> int:
    """Physical line index of the header line (the blank lines above it counted)."""
    for i, line in enumerate(lines):
        if line.strip() and next(csv.reader([line], delimiter=delimiter)) == header:
            return i
    return 0


def _ragged_rows(path, encoding, skip, delimiter, expected) -> list[Problem]:
    out = []
    with open(path, encoding=encoding, newline="") as fh:
        for number, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
            if number > skip and row and len(row) != expected:
                out.append(Problem(number, None, None,
                                   f"has {len(row)} cells but the header has {expected}"))
                if len(out) >= 20:
                    break
    return out


def _unescape(table: pa.Table) -> pa.Table:
    """Undo the apostrophe written before formula-looking text (round trip of our own CSV)."""
    for i, col in enumerate(table.columns):
        if pa.types.is_dictionary(col.type):  # categories: text again if one of them was escaped
            if not any(pc.any(pc.match_substring_regex(c.dictionary, ESCAPED_PATTERN)).as_py() for c in col.chunks):
                continue
            col = col.cast(pa.large_string())
        elif not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            continue
        hit = pc.match_substring_regex(col, ESCAPED_PATTERN)
        if pc.any(hit).as_py():
            table = table.set_column(i, table.column_names[i],
                                     pc.if_else(hit, pc.utf8_slice_codeunits(col, 1), col))
    return table


#: Formula-looking text behind the apostrophe the CSV writer puts there.
ESCAPED_PATTERN = r"^'[=+\-@\t\r]"


def _drop_blank_unnamed(df: pd.DataFrame) -> pd.DataFrame:
    """Drop trailing columns with neither a header nor any value (``a,b,c,`` exports)."""
    keep = []
    for i, name in enumerate(df.columns):
        if str(name).strip() == "":
            col = df.iloc[:, i]
            if col.isna().all() or col.astype(str).str.strip().eq("").all():
                continue
        keep.append(i)
    return df.iloc[:, keep] if len(keep) < len(df.columns) else df


#: Names of the contents sheet the package's formatted workbooks open with (目录 / Contents).
CONTENTS_SHEETS = (TEXT_TERMS["contents"].zh, TEXT_TERMS["contents"].en)


#: Bytes an .xlsx may expand to when unzipped (a 1,000,000-row customer sheet takes about 400 MB).
XLSX_MAX_UNZIPPED = 1 << 30
#: Most times a part of an .xlsx may expand when unzipped above 64 MB (real sheets: 5–40×;
#: a zip bomb: thousands).
XLSX_MAX_RATIO = 200
#: Most cells a sheet may declare (its <dimension>), empty ones included: what reading it costs.
XLSX_MAX_CELLS = 50_000_000
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: .xls, or an encrypted .xlsx


def _read_excel(path: Path, sheet, header_row, known) -> pd.DataFrame:
    import openpyxl

    _check_workbook_file(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _problem(path, f"cannot be read as an Excel workbook ({type(exc).__name__}: {_short(exc)})") from None
    try:
        names = book.sheetnames
        sheet = _sheet_name(path, names, sheet)
        ws = book[sheet]
        _check_dimension(path, sheet, ws)
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and all(c is None or str(c).strip() == "" for c in rows[-1]):
        rows.pop()
    if not rows:
        raise _problem(path, f"sheet '{sheet}' is empty" + (
            f"; the workbook has {', '.join(repr(n) for n in names)} (choose one with --sheet)"
            if len(names) > 1 else ""))
    df = _excel_frame(path, rows, _find_header(rows, known, header_row, path))
    df.attrs["sheet"] = sheet
    df.attrs["sheets"] = names
    return df


def _check_workbook_file(path: Path) -> None:
    """Refuse before loading: an encrypted workbook, an old .xls, a workbook that would expand
    beyond :data:`XLSX_MAX_UNZIPPED` or by more than :data:`XLSX_MAX_RATIO` times."""
    with open(path, "rb") as fh:
        head = fh.read(8)
        if head == _CFB_MAGIC:
            fh.seek(0)
            encrypted = "EncryptedPackage".encode("utf-16-le") in fh.read(1 << 22)
            raise _problem(path, "is encrypted (password-protected); open it in Excel, remove the password "
                                 "(File → Info → Protect Workbook) and save it again" if encrypted else
                                 "is an old Excel 97–2003 workbook (.xls) or another OLE file; save it as .xlsx")
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl names what is wrong
    total = sum(p.file_size for p in parts)
    if total > XLSX_MAX_UNZIPPED:
        raise _problem(path, f"expands to {total / 2**20:,.0f} MB when unzipped, beyond the "
                             f"{XLSX_MAX_UNZIPPED / 2**20:,.0f} MB read; save the table as .csv or .parquet")
    for p in parts:
        if p.file_size > 64 << 20 and p.file_size > XLSX_MAX_RATIO * max(p.compress_size, 1):
            raise _problem(path, f"part '{p.filename}' expands {p.file_size / max(p.compress_size, 1):,.0f} times "
                                 f"when unzipped; not a workbook saved by Excel, not read")


def _check_dimension(path: Path, sheet: str, ws) -> None:
    """Refuse a sheet whose declared range (``<dimension ref="A1:XFD1048576">``) holds more
    than :data:`XLSX_MAX_CELLS` cells: reading it would fill in every empty cell."""
    bounds = (ws.min_column, ws.min_row, ws.max_column, ws.max_row)
    if any(not isinstance(b, int) for b in bounds):  # no dimension declared: the rows as they are
        return
    cells = (bounds[2] - bounds[0] + 1) * (bounds[3] - bounds[1] + 1)
    if cells > XLSX_MAX_CELLS:
        raise _problem(path, f"sheet '{sheet}' declares {bounds[3]:,} rows × {bounds[2]:,} columns "
                             f"({cells:,} cells), beyond the {XLSX_MAX_CELLS:,} read; delete the empty rows "
                             f"and columns past the table and save it again, or save it as .csv")


def _sheet_name(path: Path, names: list[str], sheet) -> str:
    """The sheet to read: by name, by 1-based number given as text, by 0-based position, or the
    first (after a formatted output's contents sheet)."""
    if sheet is None:
        sheet = 1 if len(names) > 1 and names[0] in CONTENTS_SHEETS else 0
    if isinstance(sheet, str) and sheet not in names:
        if not (sheet.strip().isdigit() and 1 <= int(sheet) <= len(names)):
            raise _problem(path, f"no sheet '{sheet}'; the workbook has {', '.join(repr(n) for n in names)} "
                                 f"(--sheet NAME or --sheet N, 1 = first)")
        sheet = int(sheet) - 1
    if isinstance(sheet, (int, np.integer)):
        if not 0 <= sheet < len(names):
            raise _problem(path, f"no sheet number {sheet + 1}; the workbook has {len(names)}")
        sheet = names[sheet]
    return sheet


def _excel_frame(path: Path, rows: list[list], h: int) -> pd.DataFrame:
    """The sheet's rows below header row ``h`` (0-based) as a frame of objects: trailing
    unnamed empty columns dropped, an unnamed column with values refused."""
    header = ["" if c is None else str(c).strip() for c in rows[h]]
    width = _named_width(header, rows[h + 1:])
    data = [(r + [None] * width)[:width] for r in rows[h + 1:]]
    _refuse_unnamed(path, header[:width], data, h)
    keep = [i for i in range(width) if header[i] != ""]
    if len(keep) < width:  # empty columns without a header
        data = [[r[i] for i in keep] for r in data]
    df = pd.DataFrame(data, columns=[header[i] for i in keep], dtype=object)
    df.attrs["first_row"] = h + 2
    return df


def _named_width(header: list[str], rows: list[list]) -> int:
    """Columns of the table: trailing columns with neither a header nor a value left out."""
    width = len(header)
    while width and header[width - 1] == "" and all(len(r) < width or r[width - 1] is None for r in rows):
        width -= 1
    return width


def _refuse_unnamed(path: Path, header: list[str], data: list[list], h: int) -> None:
    """A column with values but no header is refused, by its letter."""
    def has_values(i):
        return any(r[i] is not None and str(r[i]).strip() != "" for r in data)

    unnamed = [i for i, name in enumerate(header) if name == "" and has_values(i)]
    if unnamed:
        from openpyxl.utils import get_column_letter

        raise InputTableError(str(path), [Problem(h + 1, None, get_column_letter(i + 1),
                                                  "has values but no header; give it a header or delete it")
                                          for i in unnamed])


def check_output(path: str | Path, suffixes=TABLE_SUFFIXES, inputs=(), force: bool = False,
                 what: str = "the output file") -> Path:
    """Refuse an output path before any work is done.

    Parameters
    ----------
    path : path
        Where the command will write.
    suffixes : tuple of str
        Accepted file types.
    inputs : iterable of path
        The run's input files: an output may never be one of them, even with ``force``.
    force : bool
        Replace an existing output file.
    what : str
        How messages name the output (``--out`` on the command line).

    Raises
    ------
    OutputPathError
        Wrong suffix, an input file, a folder, an existing file without ``force``, a folder
        that cannot be written.
    """
    if path is None or str(path).strip() == "":
        raise OutputPathError(path or "", f"{what}: no output file given")
    path = Path(path)
    if path.is_dir():
        raise OutputPathError(path, "is a folder; give a file name")
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputPathError(path, f"{what} must end in {' or '.join(suffixes)}")
    if any(_same_file(source, path) for source in inputs if source and str(source).strip()):
        raise OutputPathError(path, "is an input of this run; an input is never overwritten")
    if path.exists() and not force:
        raise OutputPathError(path, "already exists; use --force to replace it")
    _check_folder(path)
    return path


def _same_file(source, path: Path) -> bool:
    """Whether ``path`` names the file ``source``: the same path, a link to it, a hard link."""
    if Path(source).resolve() == path.resolve():
        return True
    if path.exists() and Path(source).exists():
        try:
            return os.path.samefile(source, path)
        except OSError:
            return False
    return False


def _check_folder(path: Path) -> None:
    """The nearest existing folder above ``path`` is a folder that can be written."""
    folder = path.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputPathError(path, f"'{folder}' is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(path, f"the folder '{folder}' is not writable")


def safe_text(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` for CSV whose text cells a spreadsheet cannot read as formulas.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe,
    as OWASP's CSV-injection guidance says. Numbers are untouched. (In .xlsx such a cell is
    stored with the text type instead; see :func:`write_sheets`.)
    """
    out = None
    for col in df.columns:
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        text = s.astype(str)
        risky = s.notna() & text.str.startswith(FORMULA_STARTS)
        if risky.any():
            out = df.copy() if out is None else out
            out[col] = s.where(~risky, "'" + text)
    return df if out is None else out


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_frame(df: pd.DataFrame) -> str:
    """SHA-256 of a table's CSV text (for the generated sample, which has no file).

    Remembered per process for the last few tables, by a hash of their values, columns and
    types: every page of a run names the same sample, and writing 20,000 rows as CSV again
    for each page costs 0.1 s.
    """
    key = (hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest(),
           tuple(map(str, df.columns)), tuple(map(str, df.dtypes)), len(df))
    if key not in _FRAME_SHA:
        while len(_FRAME_SHA) >= 4:
            _FRAME_SHA.pop(next(iter(_FRAME_SHA)))
        _FRAME_SHA[key] = hashlib.sha256(df.to_csv(index=False).encode("utf-8")).hexdigest()
    return _FRAME_SHA[key]


_FRAME_SHA: dict = {}


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    The temporary file is created exclusively under a unique name in the target's folder
    (:func:`tempfile.mkstemp`): two runs writing the same target never share it, and a file or
    link planted beside the target is never written through. Nothing is left behind on
    failure (an exception, Ctrl-C, SIGTERM handled as Ctrl-C): the temporary file is removed
    and ``path`` is untouched. The file gets the permissions a new file would get (umask).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(_unique_file(path))
    except OSError as exc:
        raise OutputPathError(path.parent, f"cannot create a file in the folder ({exc.strerror or exc})") from None
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        tmp.replace(path)
    except OSError as exc:
        raise OutputPathError(path, f"cannot be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def _unique_file(path: Path) -> str:
    """A new, empty file beside ``path`` under a unique name (created exclusively, mode 0600)."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=f".partial{path.suffix}", dir=path.parent)
    os.close(fd)
    return name


def _umask() -> int:
    """The process's file-creation mask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_paths(paths):
    """Temporary paths for several targets, renamed into place together once all are written:
    either every target is written or none is (the files a command writes in one go)."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_path(p)) for p in paths]


def write_text(path: str | Path, text: str, check=None) -> Path:
    """Write UTF-8 text (e.g. a parameter scenario's YAML) atomically.

    Parameters
    ----------
    path : path
        Target; check it first with :func:`check_output` where an existing file must not be
        replaced.
    text : str
    check : callable, optional
        Called with the temporary file before it is renamed into place (e.g. a loader); if it
        raises, nothing is written.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
        if check is not None:
            check(tmp)
    return path


def write_table(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a table to .csv (UTF-8 with BOM, for Excel), .xlsx or .parquet, atomically.

    Parameters
    ----------
    df : DataFrame
        The table; its index is not written.
    path : path
        Target; the suffix decides the format.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise OutputPathError(path, "must end in .csv, .xlsx or .parquet")
    if suffix == ".xlsx" and len(df) + 1 > XLSX_MAX_ROWS:
        raise OutputPathError(path, f"{len(df):,} rows do not fit an .xlsx sheet "
                                    f"({XLSX_MAX_ROWS:,} rows); write .csv or .parquet")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            _write_csv(df, tmp)
        elif suffix == ".xlsx":
            _xlsx_one(df, tmp)
        else:
            df.to_parquet(tmp, index=False)
    return path


def _csv_table(df: pd.DataFrame) -> pa.Table:
    """The table as Arrow for CSV: dates as text, whole amounts as integers, formula-looking
    text behind an apostrophe (categories stay categories, each escaped once)."""
    return pa.Table.from_arrays([_csv_column(df[name]) for name in df.columns], names=[str(c) for c in df.columns])


def _csv_column(s: pd.Series) -> pa.ChunkedArray:
    """One column as Arrow for CSV (see :func:`_csv_table`)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        normal = s.dropna()
        fmt = "%Y-%m-%d" if (normal == normal.dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"
        s = s.dt.strftime(fmt)
    if s.dtype == np.float64:  # whole amounts are written as integers: the same text, faster
        whole = _whole_numbers(s.to_numpy())
        if whole is not None:
            return pa.chunked_array([whole])
    arr = pa.array(s, from_pandas=True)
    arr = arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])
    if pa.types.is_dictionary(arr.type):  # categories: each escaped once, written as they are
        return pa.chunked_array([pa.DictionaryArray.from_arrays(c.indices, _escape(c.dictionary.cast(pa.string())))
                                 for c in arr.chunks], )
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return _escape(arr)
    return arr


#: Largest whole float written as an integer: below it the integer's text is the float's.
WHOLE_MAX = 1e15


def _whole_numbers(v: np.ndarray) -> pa.Array | None:
    """``v`` as Arrow int64 (NaN as null) when every value is whole and below :data:`WHOLE_MAX`
    in size, else None (pyarrow writes a whole float as the integer's text: 3.0 as ``3``)."""
    with np.errstate(invalid="ignore"):
        nan = np.isnan(v)
        if not (nan | ((v == np.round(v)) & (np.abs(v) < WHOLE_MAX))).all():
            return None
    return pa.array(np.where(nan, 0, v).astype(np.int64), mask=nan if nan.any() else None)


#: Text a spreadsheet takes for a formula: it starts with one of :data:`FORMULA_STARTS`.
FORMULA_PATTERN = r"^[=+\-@\t\r]"


def _escape(arr):
    """Text a spreadsheet would take for a formula gets a leading apostrophe (OWASP)."""
    risky = pc.match_substring_regex(arr, FORMULA_PATTERN)
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", arr.type), arr, pa.scalar("", arr.type)), arr)


#: Rows pyarrow formats at a time (its default, 1,024, spends a tenth of the time on the calls
#: per slice).
CSV_BATCH_ROWS = 16_384


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV for Excel, by ``pyarrow.csv.write_csv``: UTF-8 with BOM, text quoted, formula-looking
    text behind an apostrophe (OWASP)."""
    try:
        table = _csv_table(df)
    except (pa.ArrowException, TypeError, ValueError):  # mixed-type object columns: pandas writes them
        safe_text(df).to_csv(path, index=False, encoding="utf-8-sig")
        return
    with pa.OSFile(str(path), "wb") as sink:
        sink.write(codecs.BOM_UTF8)
        pacsv.write_csv(table, sink, pacsv.WriteOptions(quoting_style="needed", batch_size=CSV_BATCH_ROWS))


def write_sheets(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write tables to one .xlsx workbook, a sheet each, atomically.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Sheet name (at most 31 characters, Excel's limit) → table. A table's index is
        written when it carries labels (not a plain 0..n-1 range). A table whose
        ``attrs["banner"]`` is set (a seeded sample's SAMPLE DATA banner) gets that text in
        red in the first row, the table from the third.
    path : path
        Target workbook (.xlsx).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputPathError(path, "the output workbook must end in .xlsx")
    too_long = [name for name in tables if len(name) > 31]
    if too_long:
        raise ValueError(f"sheet name(s) longer than Excel's 31 characters: {too_long}")
    too_big = [name for name, t in tables.items() if len(t) + 1 > XLSX_MAX_ROWS]
    if too_big:
        raise OutputPathError(path, f"sheet(s) {too_big} exceed {XLSX_MAX_ROWS:,} rows; write .csv or .parquet")
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, table in tables.items():
                banner = table.attrs.get("banner")  # e.g. SAMPLE DATA / 样本数据: a first row above the table
                table.to_excel(writer, sheet_name=name, index=not isinstance(table.index, pd.RangeIndex),
                               startrow=2 if banner else 0)
                if banner:
                    from openpyxl.styles import Font

                    cell = writer.sheets[name].cell(row=1, column=1, value=str(banner))
                    cell.font = Font(bold=True, color="C00000")
                if _has_formula_text(table):
                    _formulas_as_text(writer.sheets[name])
    return path


def _xlsx_one(df: pd.DataFrame, path: Path) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        df.to_excel(writer, index=False)
        if _has_formula_text(df):
            _formulas_as_text(next(iter(writer.sheets.values())))


def _has_formula_text(df: pd.DataFrame) -> bool:
    if any(str(c).startswith(FORMULA_STARTS) for c in df.columns):
        return True
    frames = [df, df.index.to_frame()]
    return any(f[c].astype(str).str.startswith(FORMULA_STARTS).any() for f in frames for c in f.columns
               if pd.api.types.is_object_dtype(f[c]) or pd.api.types.is_string_dtype(f[c]))


def _formulas_as_text(sheet) -> None:
    """openpyxl stores a string starting with '=' as a formula: store it as text instead."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
