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
    path = Path(path)
    if str(path) in ("", "."):
        raise _problem(path, "no file given")
    if not path.exists():
        raise _problem(path, "file not found")
    if path.is_dir():
        raise _problem(path, "is a folder, not a table file")
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
    text = text.lstrip("\ufeff")
    lines = text.splitlines()[:max(HEADER_SCAN_ROWS, header_row or 0) + 1]
    # the delimiter that splits some top row (the header, not a title) into the most cells
    delimiter = max((",", "\t", ";"), key=lambda d: max((ln.count(d) for ln in lines), default=0))
    top = list(csv.reader(lines, delimiter=delimiter))
    top = [r for r in top if any(c.strip() for c in r)] if header_row is None else top
    h = _find_header(top, known, header_row, path)
    header = [c.strip() for c in top[h]]
    # the data start after the header: count physical rows up to it (blank rows included)
    skip = _physical_rows_before(lines, top[h], delimiter) + 1 if header_row is None else header_row
    names = [f"c{i}" for i in range(len(header))]
    # large_string: pandas takes Arrow's text as it is (with pa.string() it copies every column)
    text_types = {n: (pa.dictionary(pa.int32(), pa.string()) if header[i] in categorical else pa.large_string())
                  for i, n in enumerate(names)}
    # number columns parsed while reading (all cores); any odd cell (45%, 1,234, nan) sends the
    # file through the text path, where the validators name each cell
    typed = {n: pa.float64() for i, n in enumerate(names) if header[i] in numeric}
    bad_rows: list[Problem] = []

    def invalid(row):
        if len(bad_rows) < 20:
            where = f"row {row.number}" if row.number is not None else "a row"
            bad_rows.append(Problem(row.number, None, None,
                                    f"{where} has {row.actual_columns} cells but the header has "
                                    f"{row.expected_columns}: {row.text[:80]!r}"))
        return "skip"

    read_opts = pacsv.ReadOptions(encoding="utf8" if encoding in ("utf-8", "utf-8-sig", "utf8") else encoding,
                                  skip_rows=skip, column_names=names)
    parse_opts = pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=invalid, newlines_in_values=False)

    def read(types):
        conv = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, null_values=[""],
                                    quoted_strings_can_be_null=False)
        return pacsv.read_csv(path, read_options=read_opts, parse_options=parse_opts, convert_options=conv)

    try:
        table = None
        if typed:
            try:
                table = read({**text_types, **typed})
                if any(pc.any(pc.is_nan(table.column(n))).as_py() for n in typed):
                    table = None  # a literal 'nan' is not a blank: name it as text
            except pa.ArrowInvalid as exc:
                if "conversion error" not in str(exc):
                    raise
                bad_rows.clear()
        if table is None:
            table = read(text_types)
    except pa.ArrowInvalid as exc:
        message = _short(exc)
        if "UTF8" in message or "utf8" in message.lower() or "decode" in message.lower():
            raise _problem(path, f"is not {encoding} text; give the right --encoding (gb18030 for GBK "
                                 f"files saved by Excel on Chinese Windows)") from None
        raise
    if bad_rows:
        if any(p.row is None for p in bad_rows):  # numbers are unknown when read in parallel: find them
            bad_rows = _ragged_rows(path, encoding, skip, delimiter, len(names))
        if len(names) <= 2:
            bad_rows.append(Problem(None, None, None, f"the header (row {skip}) has {len(names)} cell(s); if the "
                                                      f"header is another row, give it with --header-row N"))
        raise InputTableError(str(path), bad_rows)
    return _unescape(table), header, skip


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


def _read_excel(path: Path, sheet, header_row, known) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _problem(path, f"cannot be read as an Excel workbook ({type(exc).__name__}: {_short(exc)})") from None
    try:
        names = book.sheetnames
        if sheet is None:  # the first sheet, or the first after a formatted output's contents sheet
            sheet = 1 if len(names) > 1 and names[0] in CONTENTS_SHEETS else 0
        if isinstance(sheet, str) and sheet not in names:
            if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
                sheet = int(sheet) - 1
            else:
                raise _problem(path, f"no sheet '{sheet}'; the workbook has {', '.join(repr(n) for n in names)} "
                                     f"(--sheet NAME or --sheet N, 1 = first)")
        if isinstance(sheet, (int, np.integer)):
            if not 0 <= sheet < len(names):
                raise _problem(path, f"no sheet number {sheet + 1}; the workbook has {len(names)}")
            sheet = names[sheet]
        ws = book[sheet]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and all(c is None or str(c).strip() == "" for c in rows[-1]):
        rows.pop()
    if not rows:
        raise _problem(path, f"sheet '{sheet}' is empty" + (
            f"; the workbook has {', '.join(repr(n) for n in names)} (choose one with --sheet)"
            if len(names) > 1 else ""))
    h = _find_header(rows, known, header_row, path)
    header = ["" if c is None else str(c).strip() for c in rows[h]]
    width = len(header)
    while width and header[width - 1] == "" and all(len(r) < width or r[width - 1] is None for r in rows[h + 1:]):
        width -= 1
    data = [(r + [None] * width)[:width] for r in rows[h + 1:]]
    unnamed = [i for i in range(width) if header[i] == ""
               and any(r[i] is not None and str(r[i]).strip() != "" for r in data)]
    if unnamed:
        from openpyxl.utils import get_column_letter

        raise InputTableError(str(path), [Problem(h + 1, None, get_column_letter(i + 1),
                                                  "has values but no header; give it a header or delete it")
                                          for i in unnamed])
    keep = [i for i in range(width) if header[i] != ""]
    if len(keep) < width:  # empty columns without a header
        header = [header[i] for i in keep]
        data = [[r[i] for i in keep] for r in data]
        width = len(keep)
    df = pd.DataFrame(data, columns=header[:width], dtype=object)
    df.attrs["first_row"] = h + 2
    df.attrs["sheet"] = sheet
    df.attrs["sheets"] = names
    return df


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
    resolved = path.resolve()
    for source in inputs:
        if not source or not str(source).strip():
            continue
        same = Path(source).resolve() == resolved
        if not same and path.exists() and Path(source).exists():
            try:
                same = os.path.samefile(source, path)  # a hard link or another name of the input
            except OSError:
                pass
        if same:
            raise OutputPathError(path, "is an input of this run; an input is never overwritten")
    if path.exists() and not force:
        raise OutputPathError(path, "already exists; use --force to replace it")
    folder = resolved.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputPathError(path, f"'{folder}' is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(path, f"the folder '{folder}' is not writable")
    return path


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


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    Nothing is left behind on failure: the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(path.parent, f"cannot create the folder ({exc.strerror})") from None
    tmp = path.with_name(f".{path.name}.partial{path.suffix}")
    try:
        yield tmp
        tmp.replace(path)
    except OSError as exc:
        raise OutputPathError(path, f"cannot be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


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
