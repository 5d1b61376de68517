"""Reading and writing tables: the readers every input goes through, one atomic writer.

Readers return raw text-preserving frames for the validators of :mod:`tiermodel.portfolio`
and :mod:`tiermodel.events`. Writers never leave a half-written file: they write to a
temporary name beside the target and rename it. A text cell that a spreadsheet would take
for a formula (it starts with ``= + - @``, a tab or a carriage return) is written as text.
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd

from .errors import InputTableError, OutputPathError, Problem

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows of an .xlsx sheet, header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576


def read_table(path: str | Path, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file as text-preserving raw data.

    Parameters
    ----------
    path : path
        The file; its suffix decides the reader.
    sheet : str or int
        Excel sheet name or 0-based position.

    Raises
    ------
    InputTableError
        The file is missing, unreadable or of an unknown type.
    """
    path = Path(path)
    if not path.exists():
        raise InputTableError(str(path), [Problem(None, None, None, "file not found")])
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=sheet, dtype=object)
        if suffix == ".parquet":
            return pd.read_parquet(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise InputTableError(str(path), [Problem(None, None, None, f"cannot be read: {exc}")]) from None
    raise InputTableError(str(path), [Problem(None, None, None,
                                              f"unknown file type '{suffix}'; use .csv, .xlsx or .parquet")])


def check_output(path: str | Path, suffixes=TABLE_SUFFIXES, inputs=(), force: bool = False) -> Path:
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

    Raises
    ------
    OutputPathError
        Wrong suffix, an input file, a folder, an existing file without ``force``.
    """
    path = Path(path)
    if str(path) == "":
        raise OutputPathError(path, "no output file given")
    if path.is_dir():
        raise OutputPathError(path, "is a folder; give a file name")
    if path.suffix.lower() not in suffixes:
        raise OutputPathError(path, f"must end in {' or '.join(suffixes)}")
    resolved = path.resolve()
    for source in inputs:
        if source and Path(source).resolve() == resolved:
            raise OutputPathError(path, "is an input of this run; an input is never overwritten")
    if path.exists() and not force:
        raise OutputPathError(path, "already exists; use --force to replace it")
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
            safe_text(df).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            _xlsx_one(df, tmp)
        else:
            df.to_parquet(tmp, index=False)
    return path


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
    frames = [df, df.index.to_frame()]
    return any(f[c].astype(str).str.startswith(FORMULA_STARTS).any() for f in frames for c in f.columns
               if pd.api.types.is_object_dtype(f[c]) or pd.api.types.is_string_dtype(f[c]))


def _formulas_as_text(sheet) -> None:
    """openpyxl stores a string starting with '=' as a formula: store it as text instead."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
