"""One validator for every input table, driven by :mod:`tiermodel.tables.schema`.

Each column is checked as a whole (arrays, not rows) by the checker of its kind; the table's
rules (unique ids, repeated rows, dates within the log year, one date before another) come
from its :class:`~tiermodel.tables.schema.Table`. Every problem is collected, with file, row,
customer, column and rule, before :class:`~tiermodel.errors.InputTableError` is raised.

Row numbers in messages are as a spreadsheet shows them: the header is row 1, the first data
row 2 (``raw.attrs["first_row"]`` when the header is lower down).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

import numpy as np
import pyarrow as pa

from ..errors import InputTableError, Problem
from ..io import _OnUse
from ..vocabulary import AMOUNT_UNITS as VOCABULARY_AMOUNT_UNITS
from ..vocabulary import BRANCH_CLASSES, COLUMN_TERMS, CRITERION_TERMS, TIER_TERMS, TIERS
from .schema import (ACTION_WORDS, BRANCHES, CAPACITY_MAX, COMPLAINTS, CUSTOMERS, DELIVERY, EXECUTIVES,
                     FALSE_WORDS, HISTORY, HOTLINE, NOMINATIONS, OVERRIDES, POLICIES, SERVICE, SURVEY,
                     TIER_WORDS, TRUE_WORDS, VOCABULARIES, YEAR_RANGE, Column, Table)

# imported on first use: a customer CSV is read ahead meanwhile
pd = _OnUse("pandas", globals(), "pd")
pc = _OnUse("pyarrow.compute", globals(), "pc")

#: Problems of one rule reported per column (the rest are of the same kind).
LIMIT = 50
#: Factor from an amount unit to 元 (the vocabulary's one list of units).
AMOUNT_UNITS = {unit: float(factor) for unit, (factor, _, _) in VOCABULARY_AMOUNT_UNITS.items()}
#: Amount units as the formatted outputs write them in headers (``万元/年``, ``CNY``).
AMOUNT_UNIT_WORDS = {word + per_year: unit for unit, (_, zh, en) in VOCABULARY_AMOUNT_UNITS.items()
                     for word, per_year in ((zh, ""), (zh, "/年"), (en, ""), (en, "/yr"))}
#: Each amount unit as a message names it: "万元 (wan)".
AMOUNT_UNIT_NAMES = {unit: f"{zh} ({unit})" for unit, (_, zh, _) in VOCABULARY_AMOUNT_UNITS.items()}
#: The unit words a bracketed header may also use: ``长险标准保费(wan)``, ``health_premium (yuan)``.
AMOUNT_UNIT_WORDS.update({unit: unit for unit in VOCABULARY_AMOUNT_UNITS})
#: Suffixes of an English header that state an amount column's unit: ``long_term_std_premium_wan``.
AMOUNT_UNIT_SUFFIXES = {"_wan": "wan", "_yuan": "yuan", "_cny": "yuan"}
#: Column kinds read as amounts [CNY]: a unit a header states applies to them.
AMOUNT_KINDS = ("amount", "signed_amount")
#: Columns a tier list adds to the customer table (``tiermodel tier``): ignored when a tier
#: list is read back as a customer table (next year's history); tiers are computed afresh.
TIER_LIST_COLUMNS = frozenset({
    "standard_premium_used", "premium_coef", "loyalty_coef", "profit_coef", "k1", "k2", "value_index",
    "gold_eligible", "gold_criteria", "silver_eligible", "silver_criteria", "gold_pool", "gold_rank",
    "branch_rank", "tier", "tier_rank", "reason"})
#: A loss-ratio column most of whose positive values exceed this is taken as percentages
#: typed as numbers (55 for 55 %) and refused as a whole.
LOSS_RATIO_PERCENT = 1.5
#: The customer table's amount columns [CNY].
AMOUNT_COLUMNS = tuple(c.name for c in CUSTOMERS if c.kind in AMOUNT_KINDS)
_TIER_OF_WORD = {w: t for t, words in TIER_WORDS.items() for w in words}
_ACTION_OF_WORD = {w: a for a, words in ACTION_WORDS.items() for w in words}
_SEPARATORS = r"[;；、,，\s]+"


# ============================================================================= headers
def rename_columns(raw: pd.DataFrame, schema, file: str, ignore=(),
                   aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """Map Chinese labels to English names; refuse missing and unexpected columns.

    Columns named in ``ignore`` are dropped without a word (the computed columns of a tier
    list read back as next year's customer table). ``aliases`` maps further headers to
    names (e.g. the headers of the package's own formatted outputs). A header with its unit
    in brackets, as the formatted outputs write them (``健康险实收保费（万元/年）``,
    ``health received premium (CNY/yr)``), is read by its words, and so is an English name
    with a unit suffix (``long_term_std_premium_wan``); an amount unit found there is kept in
    ``attrs["header_units"]`` (column → ``"yuan"`` or ``"wan"``).
    """
    by_label = {c.label: c.name for c in schema}
    by_label.update(aliases or {})
    names, amounts = _known_names(schema)
    renamed, units, problems, dropped = {}, {}, [], []
    for col in raw.columns:
        key = str(col).strip()
        name = _header_name(key, by_label, (names, amounts), ignore, units)
        if name in ignore:
            dropped.append(col)
            continue
        if name not in names:
            match = difflib.get_close_matches(key, list(names) + list(by_label), n=1, cutoff=0.6)
            hint = f"; did you mean '{match[0]}'?" if match else ""
            problems.append(Problem(None, None, key, f"unexpected column{hint}"))
        elif name in renamed.values():
            problems.append(Problem(None, None, key, f"column '{name}' appears twice"))
        renamed[col] = name
    if problems:
        if not renamed or all(by_label.get(str(c).strip(), str(c).strip()) not in names for c in renamed):
            problems.append(Problem(None, None, None, header_hint(raw)))
        raise InputTableError(file, problems)
    out = raw.drop(columns=dropped) if dropped else raw
    out = out.rename(columns=renamed)
    out.attrs = {**raw.attrs, "header_units": units}
    return out


def _known_names(schema) -> tuple[set, set]:
    """A table's column names, and those of its amount columns."""
    return {c.name for c in schema}, {c.name for c in schema if c.kind in AMOUNT_KINDS}


def _header_name(key: str, by_label: dict, known: tuple[set, set], ignore, units: dict) -> str:
    """The English name of one header (its words without a bracketed unit or a unit suffix
    when need be); ``known``: the table's names and its amount columns' names. An amount unit
    found in the header goes into ``units``."""
    names, amounts = known
    name = by_label.get(key, key)
    if name in names or name in ignore:
        return name
    word, unit = split_header_unit(key)
    if unit is None or by_label.get(word, word) not in names | set(ignore):
        return _suffix_name(key, by_label, amounts, units)
    name = by_label.get(word, word)
    if unit in AMOUNT_UNIT_WORDS and name in names:
        units[name] = AMOUNT_UNIT_WORDS[unit]
    return name


def _suffix_name(key: str, by_label: dict, amounts: set, units: dict) -> str:
    """An English amount header with its unit as a suffix (``health_premium_wan``) → its name,
    the unit into ``units``; any other header as it is."""
    for suffix, unit in AMOUNT_UNIT_SUFFIXES.items():
        if key.lower().endswith(suffix):
            stem = key[: -len(suffix)].strip()
            name = by_label.get(stem, stem)
            if name in amounts:
                units[name] = unit
                return name
    return key


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``"健康险实收保费（万元/年）"`` → ``("健康险实收保费", "万元/年")``; a header without a
    bracketed unit at its end → ``(header, None)``."""
    for open_, close in (("（", "）"), ("(", ")")):
        if header.endswith(close) and open_ in header:
            i = header.rindex(open_)
            return header[:i].strip(), header[i + 1:-1].strip()
    return header, None


def header_hint(raw: pd.DataFrame) -> str:
    """What to change when no column of the header is known."""
    row = int(raw.attrs.get("first_row", 2)) - 1
    hint = (f"no known column in the header (row {row}): if the header is lower down, give its row "
            f"with --header-row N")
    sheets = raw.attrs.get("sheets")
    if sheets and len(sheets) > 1:
        hint += (f"; if the table is on another sheet, give it with --sheet (this workbook has "
                 f"{', '.join(repr(s) for s in sheets)}; sheet {raw.attrs.get('sheet')!r} was read)")
    return hint


def output_headers() -> dict[str, str]:
    """The words the package's own outputs use for the customer table's columns and a tier
    list's computed columns, in both languages (``客户价值指标``, ``value index``) → name."""
    wanted = {c.name for c in CUSTOMERS} | TIER_LIST_COLUMNS
    return {word: name for name, term in COLUMN_TERMS.items() if name in wanted for word in (term.zh, term.en)}


def _missing_columns(df, table: Table) -> list[Problem]:
    return [Problem(None, None, c.name, f"required column is missing ({c.label}, {c.description})")
            for c in table if c.required and c.name not in df]


# ============================================================================= cells
def arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """A column as an Arrow string array (nulls for missing cells), without copying text
    that is already Arrow-backed."""
    try:
        arr = pa.array(series.array if isinstance(series.dtype, pd.ArrowDtype | pd.StringDtype) else series,
                       from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        arr = None
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        obj = series.astype(object)
        obj = obj.where(~pd.isna(obj), None)
        floats = np.array([isinstance(v, float) and v.is_integer() for v in obj], dtype=bool)
        text = [None if v is None else (str(int(v)) if f else str(v)) for v, f in zip(obj, floats)]
        arr = pa.chunked_array([pa.array(text, pa.string())])
    return arr


def clean_text(series: pd.Series) -> np.ndarray:
    """Stripped text of every cell (missing = ""), as an object array (small tables, messages)."""
    arr = pc.utf8_trim_whitespace(arrow_text(series))
    return np.asarray(pc.fill_null(arr, "").to_pandas(), dtype=object)


def text(series: pd.Series) -> pd.Series:
    """Stripped text of every cell ("" where blank; ``12.0`` of a float column as ``12``)."""
    s = series.astype(object).where(~pd.isna(series), "").astype(str).str.strip()
    return s.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(series) else s


def _factor(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes and distinct stripped texts of a low-cardinality column (branch, class, flag);
    code -1 = blank. Each distinct text is then checked once."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        words = [str(c).strip() for c in series.cat.categories]
    elif pd.api.types.is_bool_dtype(series):
        v = series.to_numpy(dtype=bool)
        return v.astype(np.int64), ["false", "true"]
    else:
        codes, uniques = pd.factorize(arrow_text(series).to_pandas() if not
                                      pd.api.types.is_numeric_dtype(series) else series)
        words = [_number_word(u) for u in uniques]
    words_arr = np.asarray(words + [""], dtype=object)
    # merge spellings that differ only by spaces; blank words become -1: worked out once per
    # distinct word, then one look-up per cell (code -1 takes the appended "")
    merged, inverse = np.unique(words_arr, return_inverse=True)
    lookup = np.where(merged[inverse] == "", -1, inverse).astype(np.int32)
    return lookup[codes], [str(w) for w in merged]


def _number_word(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _normalize_numbers(cells: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Number text as written in real extracts → plain digits, and which cells had a '%'.

    Full-width digits and signs (NFKC), thousands separators ``1,234,567.5`` (groups of
    three only; ``1,5`` stays refused), a trailing ``%``.
    """
    t = cells.str.normalize("NFKC").str.strip()
    pct = t.str.endswith("%").to_numpy(dtype=bool)
    t = t.str.replace(r"\s*%$", "", regex=True)
    grouped = t.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?").to_numpy(dtype=bool)
    t = t.where(~grouped, t.str.replace(",", "", regex=False))
    return t, pct


def numbers(series: pd.Series, name: str, rows, ids, problems: list[Problem], what: str,
            percent_ok: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Parse a number column: values [float, NaN where blank or bad] and the blank mask.

    Text that is not a number is a problem naming row and customer. ``45%`` is 0.45 where
    ``percent_ok`` (shares), refused elsewhere; ``1,234.5`` and full-width digits are read.
    """
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.isnan(values)
    arr = arrow_text(series)
    blank = pc.or_kleene(pc.is_null(arr), pc.equal(arr, ""))
    try:  # the common case: plain digits everywhere
        values = pc.cast(pc.if_else(blank, pa.scalar(None, arr.type), arr), pa.float64()) \
            .to_numpy(zero_copy_only=False)
        blank_np = blank.to_numpy(zero_copy_only=False)
        if not np.isnan(values[~blank_np]).any():
            return values, blank_np
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    cells = pd.Series(pc.fill_null(arr, "").to_pandas(), dtype="str").str.strip()
    blank_np = cells.eq("").to_numpy(dtype=bool)
    core, pct = _normalize_numbers(cells)
    values = pd.to_numeric(core.where(~blank_np, None), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = np.where(pct, values / 100.0, values)
    bad = np.isnan(values) & ~blank_np
    hint = ("write a share such as 0.45 or 45%" if percent_ok
            else "write digits such as 1234567 or 1,234,567.5, no units")
    for i in np.flatnonzero(bad)[:LIMIT]:
        problems.append(Problem(rows[i], ids[i], name, f"'{cells.iloc[i]}' is not a number ({what}; {hint})"))
    if not percent_ok:
        for i in np.flatnonzero(pct & ~bad)[:LIMIT]:
            problems.append(Problem(rows[i], ids[i], name, f"'{cells.iloc[i]}' is a percentage; {what} is "
                                                           f"not a share ({hint})"))
        values = np.where(pct, np.nan, values)
    return np.where(bad, np.nan, values), blank_np


def report(problems, mask, rows, ids, column, rule, limit=LIMIT):
    """A problem for each of the first ``limit`` rows of ``mask``; ``rule`` a text or ``rule(i)``."""
    for i in np.flatnonzero(mask)[:limit]:
        problems.append(Problem(int(rows[i]), ids[i], column, rule(i) if callable(rule) else rule))


def normalize_class(word: str) -> str:
    """'A', 'a', 'Ａ', 'A类', 'A类机构' → 'A' (other words unchanged, upper case)."""
    w = unicodedata.normalize("NFKC", str(word)).strip().upper()
    for suffix in ("类机构", "类"):
        if w.endswith(suffix) and len(w) > len(suffix):
            w = w[: -len(suffix)].strip()
    return w


class _Rows:
    """Spreadsheet row numbers of the table's rows, worked out only for the rows a message names."""

    def __init__(self, first_row: int):
        self._first = first_row

    def __getitem__(self, i):
        return self._first + i


class _NoIds:
    """No customer id for any row (the id itself is what is missing)."""

    def __getitem__(self, i):
        return None


_NO_IDS = _NoIds()


class _LazyIds:
    """Customer ids for messages, looked up only for the rows that have a problem."""

    def __init__(self, ids: pd.Series, blank: np.ndarray):
        self._ids, self._blank = ids, blank

    def __getitem__(self, i):
        return None if self._blank[i] else str(self._ids.iloc[i])


def _raise(file: str, problems: list[Problem]) -> None:
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)


# ============================================================================= customers
def validate_portfolio(raw: pd.DataFrame, file: str = "<table>", branches: pd.DataFrame | None = None,
                       amount_unit: str | None = None) -> pd.DataFrame:
    """Check a raw customer table against :data:`~tiermodel.tables.schema.CUSTOMERS` and
    return the canonical one (a new frame).

    Every column is checked as a whole (arrays, not rows), so a million customers take
    well under a second; every problem is collected before the error is raised.

    Parameters
    ----------
    raw : DataFrame
        As read from the file; English column names or the Chinese labels. Numbers may be
        text as core systems export them: ``1,234.5``, full-width digits, ``45%`` in a
        share column; the class may read ``A类``.
    file : str
        Name used in messages.
    branches : DataFrame, optional
        Validated branch table (:func:`validate_branches`); supplies ``branch_class`` where
        the portfolio has none and must agree with it where it has one.
    amount_unit : {"yuan", "wan"} or None
        Unit of the amount columns in the file (``--amount-unit``); 万元 amounts are multiplied
        by 10,000. A column whose header states its unit (``长险标准保费（万元）``,
        ``long_term_std_premium_wan``) is read in that unit; None or "" (not given): every other
        amount column is read in 元. Given, it must agree with every unit a header states.
        The returned table's ``attrs["header_units"]`` names the amount columns whose header
        stated a unit (column → unit).

    Raises
    ------
    InputTableError
        Listing every problem with row, customer id, column and rule: blanks in decisive
        fields (is_new, profit, years, premiums; a loss ratio may be blank only where its
        premium is 0), text that is no number, non-finite or implausible values (the
        schema's bounds), out-of-range shares, unknown classes, duplicate ids, a table with
        no rows.
    """
    if amount_unit and amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"amount_unit must be one of {sorted(AMOUNT_UNITS)}, not {amount_unit!r}")
    df = _customer_columns(raw, file, branches, amount_unit)
    stated = df.attrs["header_units"]
    n = len(df)
    if n == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no customer rows")])
    rows = _Rows(int(raw.attrs.get("first_row", 2)))
    problems: list[Problem] = []
    out, id_arr, id_blank, id_list = _customer_ids(df, rows, problems)
    duplicates_at = len(problems)  # their place among the problems, once the ids are compared
    if "name" in df:
        name = arrow_text(df["name"])
        out["name"] = (pc.fill_null(name, "") if name.null_count else name).to_pandas()
    b_codes, b_words, cls_idx = _branch_classes(df, branches, rows, id_list, problems)
    scales = {name: AMOUNT_UNITS[stated.get(name) or amount_unit or "yuan"] for name in AMOUNT_COLUMNS}
    values, blanks = _number_columns(df, scales, rows, id_list, problems)
    _profit_blanks(values, blanks, rows, id_list, problems)
    is_new = _new_flags(df["is_new"], rows, id_list, problems)
    if not _all_distinct(id_arr):
        problems[duplicates_at:duplicates_at] = _duplicate_ids(out["customer_id"], id_blank, rows, id_list)
    _raise(file, problems)
    out["branch"] = pa.DictionaryArray.from_arrays(pa.array(b_codes, pa.int32()), pa.array(b_words, pa.string())) \
        .cast(pa.large_string()).to_pandas()
    out["branch_class"] = pd.Categorical.from_codes(cls_idx, categories=BRANCH_CLASSES)
    for name, v in values.items():
        out[name] = v.astype(np.int64) if CUSTOMERS.column(name).whole else v
    out["is_new"] = is_new
    table = _customer_frame(out, n)
    table.attrs["header_units"] = dict(stated)
    _warn_scale(table, file, amount_unit or "yuan")
    return table


def _customer_columns(raw, file, branches, amount_unit) -> pd.DataFrame:
    """The customer table under English names, every required column present (else refused)."""
    first_row = int(raw.attrs.get("first_row", 2))
    df = rename_columns(raw, CUSTOMERS, file, ignore=TIER_LIST_COLUMNS, aliases=output_headers())
    _header_units(df, file, amount_unit)
    problems = _missing_columns(df, CUSTOMERS)
    present = set(df.columns)
    if "branch_class" not in present and branches is None:
        problems.append(Problem(None, None, "branch_class",
                                "required column is missing (机构类别) and no branch table was given"))
    if "profit_margin" not in present and "underwriting_profit" not in present:
        problems.append(Problem(None, None, "profit_margin",
                                "required column is missing: give profit_margin (利润率) or underwriting_profit (承保利润)"))
    if problems:
        if not present & {c.name for c in CUSTOMERS}:  # no column of a customer table: another sheet or row
            problems.append(Problem(None, None, None, header_hint(raw)))
        elif first_row == 2 and len(problems) >= 3:
            problems.append(Problem(None, None, None, "if the header is not on row 1 (a title or notes above "
                                                      "it), give its row with --header-row N"))
        raise InputTableError(file, problems)
    return df


def _header_units(df, file, amount_unit) -> None:
    """Keep the units the headers state for amount columns (``df.attrs["header_units"]``);
    refuse every one that contradicts ``--amount-unit`` when it is given."""
    units = {name: unit for name, unit in df.attrs["header_units"].items() if name in AMOUNT_COLUMNS}
    df.attrs["header_units"] = units
    clash = [Problem(None, None, name, f"the header says the amounts are in {AMOUNT_UNIT_NAMES[unit]}, but "
                                       f"--amount-unit says {AMOUNT_UNIT_NAMES[amount_unit]}; a column whose header "
                                       f"states its unit is read in that unit: leave --amount-unit out, or fix "
                                       f"the header")
             for name, unit in units.items() if amount_unit and unit != amount_unit]
    if clash:
        raise InputTableError(file, clash)


def _customer_ids(df, rows, problems) -> tuple[dict, pa.ChunkedArray, np.ndarray, _LazyIds]:
    """Customer ids (stripped text; a blank one refused): the output's first column."""
    id_arr = pc.utf8_trim_whitespace(arrow_text(df["customer_id"]))
    id_arr = pc.fill_null(id_arr, "") if id_arr.null_count else id_arr
    id_blank = pc.equal(id_arr, "").to_numpy(zero_copy_only=False)
    ids_pd = id_arr.to_pandas()
    report(problems, id_blank, rows, _NO_IDS, "customer_id", "required value is missing")
    return {"customer_id": ids_pd}, id_arr, id_blank, _LazyIds(ids_pd, id_blank)


def _branch_classes(df, branches, rows, id_list, problems) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Branch codes and names (a blank refused) and each row's class index into A–D (-1 unknown),
    from the class column, the branch table, or both (which must agree)."""
    b_codes, b_words = _factor(df["branch"])
    report(problems, b_codes < 0, rows, id_list, "branch", "required value is missing")
    cls_idx = _class_column(df["branch_class"], rows, id_list, problems) if "branch_class" in df else None
    if branches is not None:
        cls_idx = _branch_table_classes(b_codes, b_words, cls_idx, branches, rows, id_list, problems)
    return b_codes, b_words, cls_idx


def _class_column(raw_cls, rows, id_list, problems) -> np.ndarray:
    c_codes, c_words = _factor(raw_cls)
    norm = np.asarray([normalize_class(w) for w in c_words], dtype=object)
    ok_cls = (c_codes >= 0) & np.isin(norm, BRANCH_CLASSES)[c_codes]
    report(problems, c_codes < 0, rows, id_list, "branch_class", "required value is missing")
    report(problems, (c_codes >= 0) & ~ok_cls, rows, id_list, "branch_class",
           lambda i: f"unknown branch class '{raw_cls.iloc[i]}'; must be one of A, B, C, D")
    cls_idx = np.full(len(c_codes), -1, dtype=np.int64)
    cls_num = np.array([BRANCH_CLASSES.index(c) if c in BRANCH_CLASSES else -1 for c in norm], dtype=np.int64)
    cls_idx[ok_cls] = cls_num[c_codes[ok_cls]]
    return cls_idx


def _branch_table_classes(b_codes, b_words, cls_idx, branches, rows, id_list, problems) -> np.ndarray:
    known = branches.set_index("branch")["branch_class"].astype(str)
    table_cls = np.array([BRANCH_CLASSES.index(known[b]) if b in known.index else -1 for b in b_words],
                         dtype=np.int64)
    from_table = np.where(b_codes >= 0, table_cls[np.maximum(b_codes, 0)], -2)
    names = np.asarray(b_words, dtype=object)
    report(problems, from_table == -1, rows, id_list, "branch",
           lambda i: f"branch '{names[b_codes[i]]}' is not in the branch table")
    if cls_idx is None:
        return np.where(from_table >= 0, from_table, -1)
    clash = (from_table >= 0) & (cls_idx >= 0) & (from_table != cls_idx)
    report(problems, clash, rows, id_list, "branch_class",
           lambda i: f"class {BRANCH_CLASSES[cls_idx[i]]} disagrees with the branch table "
                     f"({BRANCH_CLASSES[from_table[i]]})")
    return cls_idx


def _number_columns(df, scales, rows, id_list, problems) -> tuple[dict, dict]:
    """Every number column of the customer table parsed, scaled to 元 (``scales``: amount
    column → factor to 元) and checked against the schema's bounds: values and blank masks by
    name."""
    values: dict[str, np.ndarray] = {}
    blanks: dict[str, np.ndarray] = {}
    cols = [c for c in CUSTOMERS if c.name in df and c.kind not in ("id", "text", "class", "bool")]
    for col in cols:
        values[col.name], blanks[col.name] = numbers(df[col.name], col.name, rows, id_list, problems,
                                                     col.description, percent_ok=col.kind in ("ratio", "margin"))
    for col in cols:
        unit = scales.get(col.name, 1.0)
        v = values[col.name] * unit if unit != 1.0 else values[col.name]
        if not _plainly_valid(v, blanks[col.name], col):  # else nothing to report, nothing to fill in
            v = _number_problems(col, v, blanks[col.name], unit, values, rows, id_list, problems)
        values[col.name] = v
    return values, blanks


def _plainly_valid(values: np.ndarray, blank: np.ndarray, col: Column) -> bool:
    """Whether a number column certainly breaks no rule: no blank (or, where allowed, nothing
    but blanks), and its smallest and largest values within the column's bounds (whole where
    it counts). Two passes; otherwise every rule is checked cell by cell."""
    if blank.any():
        return not col.required and blank.all()
    low, high = float(values.min()), float(values.max())  # NaN (a cell refused) fails every test
    whole = not col.whole or bool(np.all(values == np.round(values)))
    return bool(np.isfinite(low) and np.isfinite(high)) and col.low <= low and high <= col.high and whole


def _number_problems(col: Column, values, blank, unit, parsed, rows, id_list, problems) -> np.ndarray:
    """Blanks, non-finite values and values beyond the bounds of one number column; a blank loss
    ratio where its premium is 0 reads 0."""
    if col.required:
        missing = blank
        if col.kind == "ratio":  # a loss ratio may be blank where its premium is 0
            premium = parsed.get(col.name.replace("loss_ratio", "premium"))
            zero = (premium == 0) if premium is not None else np.zeros(len(values), dtype=bool)
            values = np.where(blank & zero, 0.0, values)
            missing = blank & ~zero
        report(problems, missing, rows, id_list, col.name, "required value is missing")
    ok = ~np.isnan(values)
    infinite = ok & ~np.isfinite(values)
    report(problems, infinite, rows, id_list, col.name,
           lambda i: f"not a finite number (got {values[i]:g}); write the {col.description.split(' [')[0]}")
    ok &= ~infinite
    for bad, rule in _RANGE_RULES[col.kind](col, values, ok, unit, problems):
        report(problems, bad, rows, id_list, col.name, rule)
    return values


def _amount_rules(col, v, ok, unit, problems):
    big = ok & (v > col.high)
    return [(big, lambda i: f"implausible amount: above {col.high:,.0f} CNY a year for one customer "
                            f"(got {v[i] / unit:g}); check the unit (--amount-unit)"),
            (ok & (v < 0), lambda i: f"negative amount; premiums are ≥ 0 CNY (got {v[i] / unit:g})")]


def _signed_amount_rules(col, v, ok, unit, problems):
    return [(ok & (np.abs(v) > col.high), lambda i: f"implausible amount: beyond ±{col.high:,.0f} CNY a year "
                                                    f"for one customer (got {v[i] / unit:g})")]


def _ratio_rules(col, v, ok, unit, problems):
    percent = _percent_column(v[ok & (v > 0)])
    if percent is not None and (ok & (v > col.high)).any():  # the column's finding first
        problems.append(Problem(None, None, col.name, percent))
    return [(ok & ((v < col.low) | (v > col.high)),
             lambda i: f"loss ratio out of range [0, {col.high:g}]; write shares (0.60 for 60 %) (got {v[i]:g})")]


def _margin_rules(col, v, ok, unit, problems):
    return [(ok & ((v > col.high) | (v < col.low)),
             lambda i: f"profit margin out of range [{col.low:g}, 1]; write shares (0.08 for 8 %) (got {v[i]:g})")]


def _years_rules(col, v, ok, unit, problems):
    above = ok & (v > col.high)
    rule = "effective insured years must be a whole number ≥ 1" + (f" (and at most {col.high:g})"
                                                                    if above.any() else "")
    return [(ok & ((v < col.low) | (v != np.round(v)) | above), lambda i: f"{rule} (got {v[i]:g})")]


def _objects_rules(col, v, ok, unit, problems):
    return [(ok & ~np.isin(v, (1, 2)), lambda i: f"must be 1 or 2 persons (第16条) (got {v[i]:g})")]


_RANGE_RULES = {"amount": _amount_rules, "signed_amount": _signed_amount_rules, "ratio": _ratio_rules,
                "margin": _margin_rules, "int": _years_rules, "objects": _objects_rules}


def _profit_blanks(values, blanks, rows, id_list, problems) -> None:
    """Profit: a blank is refused, not read as 0 (it is 40 % of the value index)."""
    if "profit_margin" in values and "underwriting_profit" in values:
        both = blanks["profit_margin"] & blanks["underwriting_profit"]
        report(problems, both, rows, id_list, "profit_margin",
               "required value is missing (give profit_margin or underwriting_profit)")
    else:
        key = "profit_margin" if "profit_margin" in values else "underwriting_profit"
        report(problems, blanks[key], rows, id_list, key, "required value is missing")


def _new_flags(flag_raw, rows, id_list, problems) -> np.ndarray:
    """The new-customer flag, checked once per distinct word."""
    f_codes, f_words = _factor(flag_raw)
    norm = [unicodedata.normalize("NFKC", w).strip().lower() for w in f_words]
    word_true = np.array([w in TRUE_WORDS for w in norm] + [False])
    word_false = np.array([w in FALSE_WORDS for w in norm] + [False])
    report(problems, f_codes < 0, rows, id_list, "is_new", "required value is missing (write 1/0, true/false or 是/否)")
    unknown = (f_codes >= 0) & ~(word_true[f_codes] | word_false[f_codes])
    report(problems, unknown, rows, id_list, "is_new",
           lambda i: f"'{flag_raw.iloc[i]}' is not a yes/no value (true/false, 1/0, 是/否)")
    return word_true[f_codes]


def _customer_frame(out: dict, n: int) -> pd.DataFrame:
    """The canonical customer table from its columns, profit margin derived where only the profit is given."""
    # the columns side by side, neither copied into a 2-D block nor copied at all; an array that
    # is a view of the raw table's data is copied, so that the two tables stay independent
    table = pd.DataFrame({name: values.copy() if isinstance(values, np.ndarray) and not values.flags.owndata
                          else values for name, values in out.items()}, index=pd.RangeIndex(n), copy=False)
    for c in ("customer_id", "name", "branch"):
        if c in table and table[c].dtype != "str":
            table[c] = table[c].astype("str")
    if "underwriting_profit" in table:
        fill = (np.isnan(table["profit_margin"].to_numpy()) if "profit_margin" in table
                else np.ones(n, dtype=bool))
        if fill.any():
            total = table["long_term_std_premium"] + table["health_premium"] + table["non_health_premium"]
            with np.errstate(divide="ignore", invalid="ignore"):
                derived = np.where(total > 0, table["underwriting_profit"] / total, 0.0)
            table["profit_margin"] = np.where(fill, derived, table["profit_margin"]) if "profit_margin" in table \
                else derived
    if "standard_premium" not in table:
        table["standard_premium"] = np.nan
    return table


def _duplicate_ids(ids: pd.Series, blank: np.ndarray, rows, id_list) -> list[Problem]:
    """A problem for each of the first 50 rows whose customer id another row has too."""
    where = np.flatnonzero(ids.duplicated(keep=False).to_numpy() & ~blank)
    row_of = np.array([rows[i] for i in where], dtype=np.int64)
    groups = pd.Series(row_of).groupby(ids.iloc[where].to_numpy()).agg(list)
    found = []
    for i in where[:LIMIT]:
        others = [str(r) for r in groups[ids.iloc[i]] if r != rows[i]]
        found.append(Problem(int(rows[i]), id_list[i], "customer_id",
                             f"duplicate customer id (also at row {', '.join(others)})"))
    return found


def _all_distinct(arr: pa.ChunkedArray) -> bool:
    """No text appears twice.

    Ids in strictly increasing order, as extracts usually come — by text, or by length and then
    text (``C999999`` before ``C1000000``) — are distinct without being sorted; otherwise sorted
    neighbours are compared (faster than hashing a million ids)."""
    n = len(arr)
    if n < 2:
        return True
    if arr.null_count == 0:
        lengths = pc.binary_length(arr)
        shorter = pc.less(lengths.slice(0, n - 1), lengths.slice(1))
        same = pc.equal(lengths.slice(0, n - 1), lengths.slice(1))
        increasing = pc.or_(shorter, pc.and_(same, pc.less(arr.slice(0, n - 1), arr.slice(1))))
        if pc.all(increasing).as_py():
            return True
    ordered = pc.take(arr, pc.sort_indices(arr))
    same = pc.equal(ordered.slice(1), ordered.slice(0, n - 1))
    return not pc.any(same).as_py()


def _percent_column(positive: np.ndarray) -> str | None:
    """The rule broken when a loss-ratio column holds percentages (most values above 1.5)."""
    if positive.size == 0 or np.mean(positive > LOSS_RATIO_PERCENT) <= 0.5:
        return None
    return (f"{np.mean(positive > LOSS_RATIO_PERCENT):.0%} of the loss ratios are above "
            f"{LOSS_RATIO_PERCENT:g} (median {np.median(positive):g}): they look like percentages; "
            f"write shares (0.55 for 55 %) in this column")


def median_outside(values: np.ndarray, low: float, high: float) -> float | None:
    """The median of ``values`` when it is below ``low`` or above ``high``, else None. The values
    beyond each bound are counted; the median itself is only worked out when the counts do not
    decide (about half of the values beyond a bound) or for the message."""
    half = values.size // 2
    below, above = np.count_nonzero(values < low), np.count_nonzero(values > high)
    if below <= half - 1 and above <= half - 1:  # both middle values lie within the bounds
        return None
    median = float(np.median(values))
    return median if median < low or median > high else None


def _warn_scale(df: pd.DataFrame, file: str, amount_unit: str) -> None:
    """Warn when amounts look 10,000× off (万元 read as yuan, or the reverse)."""
    import warnings

    total = df["long_term_std_premium"].to_numpy() + df["health_premium"].to_numpy()
    total += df["non_health_premium"].to_numpy()
    positive = total[total > 0]
    if positive.size == 0:
        return
    median = median_outside(positive, 1_000, 1e9)
    if median is None:
        return
    if median < 1_000:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"万元 — read with amount_unit='wan' (--amount-unit wan)", stacklevel=3)
    elif median > 1e9:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"yuan but read as 万元 (amount_unit='{amount_unit}')", stacklevel=3)


# ============================================================================= branches
def validate_branches(raw: pd.DataFrame, file: str = "<branches>") -> pd.DataFrame:
    """Check a branch table (:data:`~tiermodel.tables.schema.BRANCHES`).

    Raises
    ------
    InputTableError
        Naming row, column and rule: a blank or repeated branch, an unknown class (``A类``
        is read as A), a capacity that is not a whole number in [0, :data:`CAPACITY_MAX`],
        a table with no rows.
    """
    first_row = int(raw.attrs.get("first_row", 2))
    df = rename_columns(raw, BRANCHES, file)
    problems = [Problem(None, None, c.name, "required column is missing")
                for c in BRANCHES if c.required and c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    if len(df) == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no branch rows")])
    rows = np.arange(len(df)) + first_row
    branch = pd.Series(clean_text(df["branch"]), dtype=object)
    cls_text = clean_text(df["branch_class"])
    cls = pd.Series([normalize_class(c) for c in cls_text], dtype=object)
    for i in np.flatnonzero(branch.eq("").to_numpy()):
        problems.append(Problem(int(rows[i]), None, "branch", "required value is missing"))
    for i in np.flatnonzero(~cls.isin(BRANCH_CLASSES).to_numpy()):
        rule = (f"required value is missing for branch {branch.iloc[i]}" if cls_text[i] == "" else
                f"unknown branch class '{df['branch_class'].iloc[i]}' for branch {branch.iloc[i]}")
        problems.append(Problem(int(rows[i]), None, "branch_class", rule))
    for i in np.flatnonzero((branch.duplicated() & branch.ne("")).to_numpy()):
        problems.append(Problem(int(rows[i]), None, "branch", f"branch '{branch.iloc[i]}' listed twice"))
    out = pd.DataFrame({"branch": branch.astype("str"), "branch_class": cls.astype("str")})
    if "silver_capacity" in df:
        out["silver_capacity"] = _capacity(df["silver_capacity"], rows, problems)
    _raise(file, problems)
    return out


def _capacity(series, rows, problems) -> np.ndarray:
    col = BRANCHES.column("silver_capacity")
    cap, _ = numbers(series, col.name, rows, [None] * len(series), problems, "Silver places")
    given = ~np.isnan(cap)
    bad = given & ((cap < col.low) | ~np.isfinite(cap) | (cap > col.high))
    bad |= given & np.isfinite(cap) & (cap != np.round(cap))
    for i in np.flatnonzero(bad):
        problems.append(Problem(int(rows[i]), None, col.name, f"Silver capacity must be a whole number ≥ 0 (and at "
                                                              f"most {CAPACITY_MAX:,}) (got {cap[i]:g})"))
    return cap


# ============================================================================= event tables
#: Year-first dates, read the same way within a file: 2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日
#: (a time of day after the date is dropped).
_YEAR_FIRST = (r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
               r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
#: Day and month first, in an order only the file's author knows: 03/04/2025.
_DAY_MONTH = r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}"


def parse_dates(raw: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates of a column and, for each cell that is not one, the reason (else "").

    Parameters
    ----------
    raw : Series
        Dates as read: datetime cells (Excel, Parquet) or text.
    date_format : str, optional
        strftime format of the text dates (``%d/%m/%Y``); None = year-first dates only
        (``2025-03-04``, ``2025/3/4``, ``2025年3月4日``); ``03/04/2025`` is refused as
        ambiguous.

    Returns
    -------
    (dates, reasons) : Series of datetime64 (midnight, NaT where blank or bad), Series of str
    """
    n = len(raw)
    if pd.api.types.is_datetime64_any_dtype(raw):
        dates = pd.Series(raw).dt.tz_localize(None) if getattr(raw.dt, "tz", None) else pd.Series(raw)
        return dates.dt.normalize().reset_index(drop=True), pd.Series([""] * n)
    obj = raw.astype(object)
    is_stamp = obj.map(lambda v: isinstance(v, (pd.Timestamp, dt.datetime, dt.date))).to_numpy(dtype=bool)
    cells = text(raw).str.normalize("NFKC").reset_index(drop=True)
    dates = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    reasons = pd.Series([""] * n, dtype=object)
    if is_stamp.any():
        dates[is_stamp] = pd.to_datetime(obj[is_stamp].to_numpy().tolist()).normalize()
    todo = ~is_stamp & cells.ne("").to_numpy()
    if date_format:
        parsed = pd.to_datetime(cells.where(todo, None), format=date_format, errors="coerce")
        dates[todo] = parsed[todo].dt.normalize()
        bad = todo & parsed.isna().to_numpy()
        reasons[bad] = [f"'{t}' is not a date in the format {date_format}" for t in cells[bad]]
        return dates, reasons
    _year_first_dates(cells, todo, dates, reasons)
    return dates, reasons


def _year_first_dates(cells, todo, dates, reasons) -> None:
    parts = cells.str.extract(f"^{_YEAR_FIRST}$")
    year_first = todo & parts["y"].notna().to_numpy()
    if year_first.any():
        ymd = parts.loc[year_first, ["y", "m", "d"]].astype(int)
        parsed = pd.to_datetime(dict(year=ymd["y"], month=ymd["m"], day=ymd["d"]), errors="coerce")
        dates[year_first] = parsed.to_numpy()
        bad = year_first & dates.isna().to_numpy()
        reasons[bad] = [f"'{t}' is not a date (no such day)" for t in cells[bad]]
    rest = todo & ~year_first
    day_month = rest & cells.str.fullmatch(_DAY_MONTH).to_numpy(dtype=bool)
    reasons[day_month] = [f"'{t}' is ambiguous (day/month or month/day?); write YYYY-MM-DD or give "
                          f"--date-format (%d/%m/%Y or %m/%d/%Y)" for t in cells[day_month]]
    other = rest & ~day_month
    reasons[other] = [f"'{t}' is not a date (write YYYY-MM-DD)" for t in cells[other]]


class _Log:
    """What the checkers of one event table share: rows, customer ids, the problems so far."""

    def __init__(self, df, first_row, customers, date_format):
        n = len(df)
        self.rows = np.arange(n) + first_row
        ids = text(df["customer_id"]) if "customer_id" in df else pd.Series([""] * n)
        self.ids = [i or None for i in ids.tolist()]
        self.known = set(customers.astype(str)) if customers is not None else None
        self.date_format = date_format
        self.problems: list[Problem] = []

    def report(self, mask, column, rule):
        report(self.problems, mask, self.rows, self.ids, column, rule)


def _customer_cells(col, raw_col, cells, blank, log):
    if log.known is not None:
        # set membership row by row: a str column's isin turns each of the known ids
        # into an Arrow scalar first (seconds a log for a million customers)
        listed = np.fromiter((v in log.known for v in cells.to_numpy(dtype=object)), dtype=bool, count=len(cells))
        log.report(~listed & ~blank, col.name, lambda i: f"unknown customer '{cells.iloc[i]}': not in the portfolio")
    return cells.to_numpy()


def _date_cells(col, raw_col, cells, blank, log):
    dates, reasons = parse_dates(raw_col, log.date_format)
    log.report(reasons.ne("").to_numpy() & ~blank, col.name, lambda i: reasons.iloc[i])
    return dates.to_numpy()


def _flag_cells(col, raw_col, cells, blank, log):  # optional flags: a blank is "no"
    words = cells.str.normalize("NFKC").str.lower()
    is_true, is_false = words.isin(TRUE_WORDS), words.isin(FALSE_WORDS) | words.eq("")
    log.report(~(is_true | is_false).to_numpy(), col.name,
               lambda i: f"'{cells.iloc[i]}' is not a yes/no value (true/false, 1/0, 是/否)")
    return is_true.to_numpy()


def _choice_cells(col, raw_col, cells, blank, log):
    vocab, what = VOCABULARIES[col.kind]
    mapped = cells.map(vocab)
    keys = ", ".join(sorted(set(vocab.values())))
    log.report(mapped.isna().to_numpy() & ~blank, col.name, lambda i: f"{what} '{cells.iloc[i]}'; must be one of {keys}")
    return mapped.fillna(cells).to_numpy(dtype=object)  # unknown words kept for the table's own rules


_LOG_CELLS = {"customer": _customer_cells, "date": _date_cells, "bool": _flag_cells}


def check_log(raw: pd.DataFrame, table: Table, file: str, customers: pd.Series | None = None,
              date_format: str | None = None, year: int | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """An event table parsed as far as it can be, with every problem found on its rows.

    A missing column or a table without rows is refused at once; the caller adds its own
    rules' problems to the list before raising (every problem at once).
    """
    df = rename_columns(raw, table, file)
    missing = _missing_columns(df, table)
    if missing:
        raise InputTableError(file, missing)
    n = len(df)
    if n == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no rows")])
    log = _Log(df, int(raw.attrs.get("first_row", 2)), customers, date_format)
    out = pd.DataFrame(index=pd.RangeIndex(n))
    cells_of = {}
    for col in table:
        if col.name not in df:
            continue
        cells = cells_of[col.name] = text(df[col.name])
        blank = cells.eq("").to_numpy()
        if col.required and col.kind != "bool":
            log.report(blank, col.name, "required value is missing")
        checker = _choice_cells if col.kind in VOCABULARIES else _LOG_CELLS.get(col.kind)
        out[col.name] = checker(col, df[col.name], cells, blank, log) if checker else cells.to_numpy()
    _table_rules(table, out, pd.DataFrame(cells_of), year, log)
    return out, log.problems


def _table_rules(table: Table, out: pd.DataFrame, cells: pd.DataFrame, year, log: _Log) -> None:
    """The table's own rules from its schema: unique ids, repeated rows, rows that belong in
    another table, dates in the year, one date not before another. A repeated row is reported once, under its id where it has one."""
    reported = np.zeros(len(out), dtype=bool)
    for column, rule in table.unique:
        if column in out:
            values = cells[column]
            again = (values.duplicated() & values.ne("")).to_numpy()
            first = _first_rows(values, log.rows)
            log.report(again, column, lambda i, v=values: f"{rule.format(value=v.iloc[i])} (first at row "
                                                          f"{first[v.iloc[i]]})")
            reported |= again
    if table.no_repeated_rows:
        key = pd.Series(pd.util.hash_pandas_object(cells, index=False).to_numpy())
        again = key.duplicated().to_numpy() & ~reported
        first = _first_rows(key, log.rows)
        log.report(again, None, lambda i: f"the same row as row {first[key.iloc[i]]}, cell for cell: a row "
                                          "listed twice is counted twice; remove the repeat")
    for column, values, rule in table.elsewhere:
        if column in out:
            here = out[column].isin(values).to_numpy()
            log.report(here, column, lambda i, c=cells[column], r=rule: r.format(value=c.iloc[i]))
    for column in table.in_year:
        if year is not None and column in out:
            d = pd.to_datetime(out[column])
            log.report((d.dt.year != year).to_numpy() & d.notna().to_numpy(), column,
                       lambda i, d=d: f"{d.iloc[i]:%Y-%m-%d} is outside the year {year} of the record")


def _first_rows(values: pd.Series, rows) -> dict:
    """Value → the row it first appears on."""
    first = ~values.duplicated().to_numpy()
    return dict(zip(values[first].tolist(), (int(r) for r in rows[first])))


def _order_problems(out, earlier: str, later: str, column: str, rule, log: _Log) -> None:
    """Rows where the ``later`` date comes before the ``earlier`` one."""
    if earlier in out and later in out:
        a, b = pd.to_datetime(out[earlier]), pd.to_datetime(out[later])
        log.report((b < a).to_numpy(), column, lambda i: rule(a.iloc[i], b.iloc[i]))


def validate_log(raw: pd.DataFrame, schema: Table, file: str = "<log>", customers: pd.Series | None = None,
                 date_format: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Check a raw event table against its schema and return the canonical table (a new frame).

    Parameters
    ----------
    raw : DataFrame
        As read; English column names or the Chinese labels of the schema.
    schema : Table
        :data:`~tiermodel.tables.schema.SERVICE`, ``SURVEY``, ``COMPLAINTS`` or ``EXECUTIVES``.
    file : str
        Name used in messages.
    customers : Series of str, optional
        Customer ids of the portfolio; a log row naming another customer is refused.
    date_format : str, optional
        Format of day-first or month-first text dates (``%d/%m/%Y``); see :func:`parse_dates`.
    year : int, optional
        Year of the log [year]: a date of the schema's ``in_year`` columns in another year is refused.

    Returns
    -------
    DataFrame
        A new frame with the schema's columns present in ``raw``: English keys for
        vocabularies, dates as datetimes, yes/no as bool, text stripped.

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (end before start, unknown
        service type, unknown customer, unreadable date, missing value, a repeated row or
        event id, a date outside the year, ...).
    """
    out, problems = check_log(raw, schema, file, customers, date_format, year)
    log = _Log(out, int(raw.attrs.get("first_row", 2)), None, None)
    _order_problems(out, "start_date", "end_date", "end_date",
                    lambda a, b: f"end date {b:%Y-%m-%d} is before the start date {a:%Y-%m-%d}", log)
    _raise(file, problems + log.problems)
    return out


def validate_executives(raw: pd.DataFrame, file: str = "<executives>",
                        branches: pd.Series | None = None) -> pd.DataFrame:
    """Check an executive table (第23–25条): unique ids, known roles, a known branch for
    every branch head and none listed twice for one branch.

    Returns
    -------
    DataFrame
        ``executive_id``, ``name``, ``role`` (gm_office, department_head, branch_head),
        ``branch`` (blank for head office).

    Raises
    ------
    InputTableError
        Every problem with row, column and rule.
    """
    out = validate_log(raw, EXECUTIVES, file)
    if "branch" not in out:
        out["branch"] = ""
    problems = []
    rows = np.arange(len(out)) + int(raw.attrs.get("first_row", 2))
    head = (out["role"] == "branch_head").to_numpy()
    for i in np.flatnonzero(head & out["branch"].eq("").to_numpy()):
        problems.append(Problem(int(rows[i]), None, "branch", "a branch head needs the branch he or she runs"))
    if branches is not None:
        unknown = head & out["branch"].ne("").to_numpy() & ~out["branch"].isin(set(branches)).to_numpy()
        for i in np.flatnonzero(unknown):
            problems.append(Problem(int(rows[i]), None, "branch",
                                    f"branch '{out['branch'].iloc[i]}' is not in the portfolio"))
    heads = out[head]
    for i in heads.index[heads["branch"].duplicated() & heads["branch"].ne("")]:
        problems.append(Problem(int(rows[i]), None, "branch",
                                f"branch '{out['branch'].iloc[i]}' has more than one branch head"))
    if problems:
        raise InputTableError(file, problems)
    return out


def validate_delivery(raw: pd.DataFrame, file: str = "<delivery>", customers: pd.Series | None = None,
                      year: int | None = None, executives: pd.Series | None = None) -> pd.DataFrame:
    """Check a delivery table (附件二/四, 第18–19条) and return the canonical table.

    Parameters
    ----------
    raw : DataFrame
        As read; English names or the Chinese labels of :data:`~tiermodel.tables.schema.DELIVERY`.
    file : str
        Name used in messages.
    customers : Series of str, optional
        Customer ids of the portfolio.
    year : int, optional
        Year of the record [year]; a date in another year is refused.
    executives : Series of str, optional
        Executive ids; an unknown id at a revisit is refused.

    Returns
    -------
    DataFrame
        ``delivery_id``, ``customer_id``, ``service`` (catalogue key), ``date``, ``cost_cny``
        [CNY, float] and ``executives`` (text, ids separated by ``;``).

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule: unknown service name, date
        outside the year, negative, implausible or unreadable cost, unknown customer or
        executive, a repeated row or delivery id.
    """
    out, problems = check_log(raw, DELIVERY, file, customers, year=year)
    log = _Log(out, int(raw.attrs.get("first_row", 2)), None, None)
    out["cost_cny"] = _costs(out["cost_cny"], log)
    if "executives" not in out:
        out["executives"] = ""
    out["executives"] = out["executives"].str.strip().str.replace(_SEPARATORS, ";", regex=True).str.strip(";")
    if executives is not None:
        _revisit_executives(out, set(executives.astype(str)), log)
    if "delivery_id" not in out:
        out["delivery_id"] = [f"D{i:07d}" for i in range(1, len(out) + 1)]
    _raise(file, problems + log.problems)
    return out[[c.name for c in DELIVERY]]


def _costs(cells: pd.Series, log: _Log) -> np.ndarray:
    """Costs [CNY]: numbers (``1,234.5`` read), ≥ 0 and at most the schema's bound."""
    col = DELIVERY.column("cost_cny")
    words = cells.astype(str).str.replace(",", "", regex=False).str.strip()
    cost = pd.to_numeric(words, errors="coerce").to_numpy(dtype=float)
    log.report(~np.isfinite(cost), col.name, lambda i: f"'{words.iloc[i]}' is not an amount in CNY")
    log.report(cost < col.low, col.name, lambda i: f"cost {cost[i]:g} is negative")
    log.report(np.isfinite(cost) & (cost > col.high), col.name,
               lambda i: f"cost {cost[i]:,.0f} CNY is implausible for one service: above {col.high:,.0f} CNY; "
                         f"check the unit (costs are in 元)")
    return cost


def _revisit_executives(out: pd.DataFrame, known: set, log: _Log) -> None:
    """Every executive at a delivery is in the executive table, and only revisits have them."""
    for i, cell in enumerate(out["executives"].tolist()):
        for e in filter(None, cell.split(";")):
            if e not in known:
                log.problems.append(Problem(int(log.rows[i]), log.ids[i], "executives",
                                            f"unknown executive '{e}': not in the executive table"))
    has = out["executives"].ne("").to_numpy() & ~out["service"].astype(str).str.startswith("revisit").to_numpy()
    log.report(has, "executives", lambda i: f"executives are recorded only for revisits, not '{out['service'].iloc[i]}'")


def validate_hotline(raw: pd.DataFrame, file: str = "<hotline>", customers: pd.Series | None = None,
                     year: int | None = None) -> pd.DataFrame:
    """Check a hotline log (附件五, 第18条 2①) and return the canonical table.

    Returns
    -------
    DataFrame
        ``call_id``, ``customer_id``, ``kind`` (enquiry/complaint), ``received_date``,
        ``answered_date`` (NaT: not answered), ``complaint_id``.

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (answer before receipt, unknown
        kind, a call received outside ``year``, a repeated row or call id, ...).
    """
    out, problems = check_log(raw, HOTLINE, file, customers, year=year)
    log = _Log(out, int(raw.attrs.get("first_row", 2)), None, None)
    if "answered_date" not in out:
        out["answered_date"] = pd.NaT
    _order_problems(out, "received_date", "answered_date", "answered_date",
                    lambda a, b: f"answered {b:%Y-%m-%d} before it was received {a:%Y-%m-%d}", log)
    _raise(file, problems + log.problems)
    for col, default in (("call_id", None), ("complaint_id", "")):
        if col not in out:
            out[col] = [f"H{i:06d}" for i in range(1, len(out) + 1)] if default is None else default
    return out[[c.name for c in HOTLINE]]


def validate_policies(raw: pd.DataFrame, file: str = "<policies>", customers: pd.Series | None = None,
                      year: int | None = None) -> pd.DataFrame:
    """Check a policy table with its reminders and notices (第17条 4–5).

    Returns
    -------
    DataFrame
        Every column of :data:`~tiermodel.tables.schema.POLICIES` (absent optional dates as
        NaT, ``renewed`` False).

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (a policy listed twice, a repeated
        row, an expiry outside ``year``, a reminder after expiry, a lapse after expiry, ...).
    """
    out, problems = check_log(raw, POLICIES, file, customers, year=year)
    log = _Log(out, int(raw.attrs.get("first_row", 2)), None, None)
    for col in ("reminder_date", "lapse_date", "notice_date"):
        if col not in out:
            out[col] = pd.NaT
    if "renewed" not in out:
        out["renewed"] = False
    for col in ("reminder_date", "lapse_date"):
        _order_problems(out, col, "expiry_date", col,
                        lambda a, b: f"{a:%Y-%m-%d} is after the expiry {b:%Y-%m-%d}", log)
    _raise(file, problems + log.problems)
    return out[[c.name for c in POLICIES]]


#: The validator of each event table by the name the readers use.
LOG_TABLES = {"service": SERVICE, "survey": SURVEY, "complaints": COMPLAINTS, "executives": EXECUTIVES}


# ============================================================================= history, overrides, nominations
def _rename_cycle(raw: pd.DataFrame, table: Table, file: str) -> pd.DataFrame:
    """English names for the columns; the Chinese labels, and the headers of the package's
    own outputs in either language (with or without their units), are accepted too."""
    names = {c.name for c in table}
    aliases = {word: n for n, t in COLUMN_TERMS.items() if n in names for word in (t.zh, t.en)}
    return rename_columns(raw, table, file, aliases=aliases)


def _ids(df: pd.DataFrame, rows, problems) -> pd.Series:
    ids = text(df["customer_id"])
    for i in np.flatnonzero(ids.eq("").to_numpy())[:LIMIT]:
        problems.append(Problem(int(rows[i]), None, "customer_id", "required value is missing"))
    return ids


def _plain_numbers(series: pd.Series, name: str, rows, ids, problems) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float)
        bad = np.flatnonzero(np.isinf(values))
        cells = series.astype(str)
    else:
        cells = text(series)
        values = pd.to_numeric(cells.where(cells != "", None), errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero((np.isnan(values) & (cells != "").to_numpy()) | np.isinf(values))
    for i in bad[:LIMIT]:
        problems.append(Problem(int(rows[i]), ids[i] or None, name,
                                f"'{cells.iloc[i]}' is not a finite number (write plain digits)"))
    return values


_DATE_PATTERNS = [re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
                  re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
                  re.compile(r"^(\d{4})(\d{2})(\d{2})$")]


def parse_date(value) -> dt.date | None:
    """A date from a cell: a date/datetime, ``2026-01-10``, ``2026/1/10``, ``2026年1月10日`` or
    ``20260110``. Day-first or month-first forms (``10/01/2026``) are ambiguous: ``None``."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    cell = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(cell)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _is_blank(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)) \
        or str(value).strip() == ""


def _dates(series: pd.Series, name: str, rows, ids, problems, required: bool) -> np.ndarray:
    out = np.empty(len(series), dtype=object)
    for i, value in enumerate(series.tolist()):
        if _is_blank(value):
            out[i] = None
            if required:
                problems.append(Problem(int(rows[i]), ids[i] or None, name, "required value is missing"))
            continue
        out[i] = parse_date(value)
        if out[i] is None:
            problems.append(Problem(int(rows[i]), ids[i] or None, name,
                                    f"'{value}' is not an unambiguous date; write YYYY-MM-DD (e.g. 2026-01-10)"))
    return out


def _in_years(dates: np.ndarray, years, name: str, rows, ids, problems, what: str) -> None:
    """Each given date within its row's year (the approval window of that year's list)."""
    years = np.broadcast_to(np.asarray(years), dates.shape)
    for i, (d, y) in enumerate(zip(dates, years)):
        if d is not None and YEAR_RANGE[0] <= int(y) <= YEAR_RANGE[1] and d.year != int(y):  # a bad year: said once
            problems.append(Problem(int(rows[i]), ids[i] or None, name,
                                    f"{d:%Y-%m-%d} is outside {what} {int(y)} (1 January to 31 December)"))


def _tiers(series: pd.Series, name: str, rows, ids, problems, allowed=TIERS) -> np.ndarray:
    words = text(series).str.lower().str.replace(r"\s+", " ", regex=True)
    tier = words.map(_TIER_OF_WORD)
    bad = tier.isna() | ~tier.isin(allowed)
    names = "/".join(f"{t} ({TIER_TERMS[t].zh})" for t in allowed)
    for i in np.flatnonzero(bad.to_numpy())[:LIMIT]:
        rule = ("required value is missing" if words.iloc[i] == ""
                else f"'{series.iloc[i]}' is not a tier; write {names}")
        problems.append(Problem(int(rows[i]), ids[i] or None, name, rule))
    return tier.to_numpy(dtype=object)


def _criteria_bits(series: pd.Series) -> np.ndarray:
    """Bitmask from a criteria label of a tier output ("long-term premium + health premium")."""
    names = {t.en: bit for bit, t in CRITERION_TERMS.items()}
    names.update({t.zh: bit for bit, t in CRITERION_TERMS.items()})

    def bits(label: str) -> int:
        if label in ("", "nan"):
            return -1
        return sum(names.get(part.strip(), 0) for part in label.split("+"))

    uniques, codes = np.unique(text(series).to_numpy(dtype=str), return_inverse=True)
    return np.array([bits(u) for u in uniques], dtype=np.int16)[codes]


def _duplicates(keys: pd.Series, rows, ids, problems, column: str, what: str) -> None:
    dup = keys.duplicated(keep=False).to_numpy()
    for i in np.flatnonzero(dup)[:LIMIT]:
        others = [str(r) for r in rows[np.flatnonzero((keys == keys.iloc[i]).to_numpy())] if r != rows[i]]
        problems.append(Problem(int(rows[i]), ids[i] or None, column, f"{what} (also at row {', '.join(others)})"))


def _finish(out: pd.DataFrame, file: str, rows) -> pd.DataFrame:
    out.attrs["file"] = file
    out.attrs["rows"] = np.asarray(rows, dtype=np.int64)
    return out


def _history_years(df, year, service_year, rows, id_list, problems) -> np.ndarray:
    """The year of each row: whole, within :data:`~tiermodel.tables.schema.YEAR_RANGE`, before the service year."""
    if "year" not in df:
        return np.full(len(df), int(year), dtype=np.int64)
    col = HISTORY.column("year")
    years = _plain_numbers(df["year"], "year", rows, id_list, problems)
    if year is not None:
        years = np.where(np.isnan(years), year, years)
    bad = ~np.isnan(years) & ((years != np.round(years)) | (years < col.low) | (years > col.high))
    for i in np.flatnonzero(bad | np.isnan(years))[:LIMIT]:
        rule = ("required value is missing" if np.isnan(years[i])
                else f"year must be a whole number in {col.low:g}–{col.high:g} (got {years[i]:g})")
        problems.append(Problem(int(rows[i]), id_list[i] or None, "year", rule))
    if service_year is not None:
        late = ~bad & ~np.isnan(years) & (years >= service_year)
        for i in np.flatnonzero(late)[:LIMIT]:
            problems.append(Problem(int(rows[i]), id_list[i] or None, "year",
                                    f"year {years[i]:g} is not before the service year {service_year}; a history "
                                    f"holds earlier years' lists (give --year)"))
    return np.nan_to_num(years).astype(np.int64)


def _history_number(df, col, rows, id_list, problems) -> np.ndarray:
    values = _plain_numbers(df[col.name], col.name, rows, id_list, problems)
    low = col.low if col.low is not None else -np.inf
    high = col.high if col.high is not None else np.inf
    bad = np.isfinite(values) & ((values < low) | (values > high))
    bounds = f"in [{low:g}, {high:g}]" if np.isfinite(high) else f"≥ {low:g}"
    for i in np.flatnonzero(bad)[:LIMIT]:
        problems.append(Problem(int(rows[i]), id_list[i] or None, col.name,
                                f"{col.description} must be {bounds} (got {values[i]:g})"))
    return values


def _history_text(df, col, ctx):
    return {col.name: text(df[col.name]).to_numpy()}


def _history_date(df, col, ctx):
    rows, id_list, problems, years = ctx
    dates = _dates(df[col.name], col.name, rows, id_list, problems, required=False)
    _in_years(dates, years, col.name, rows, id_list, problems, "the list's year")
    return {col.name: dates}


def _history_criteria(df, col, ctx):
    bits = col.name.replace("criteria", "bits")
    return {} if bits in df else {bits: _criteria_bits(df[col.name])}


def _history_bits(df, col, ctx):
    rows, id_list, problems, _ = ctx
    bits = _plain_numbers(df[col.name], col.name, rows, id_list, problems)
    return {col.name: np.nan_to_num(bits, nan=-1).astype(np.int16)}


def _history_pool(df, col, ctx):
    return {"is_new": text(df[col.name]).str.lower().isin(["new", "本年新客户", "新客户"]).to_numpy()}


def _history_flag(df, col, ctx):
    if "gold_pool" in df:
        return {}
    return {"is_new": text(df[col.name]).str.lower().isin(["true", "1", "yes", "是", "新", "1.0"]).to_numpy()}


def _history_numbers(df, col, ctx):
    rows, id_list, problems, _ = ctx
    return {col.name: _history_number(df, col, rows, id_list, problems)}


_HISTORY_CELLS = {"number": _history_numbers, "text": _history_text, "date": _history_date,
                  "criteria": _history_criteria, "bits": _history_bits, "pool": _history_pool,
                  "bool": _history_flag}


def validate_history(raw: pd.DataFrame, file: str = "<history>", year: int | None = None,
                     service_year: int | None = None) -> pd.DataFrame:
    """Check an earlier tier list (:data:`~tiermodel.tables.schema.HISTORY`) and return the
    canonical history table (a new frame).

    Parameters
    ----------
    raw : DataFrame
        As read: English column names or the Chinese headers (客户号, 年度, 层级, …).
    file : str
        Name used in messages.
    year : int, optional
        The list's year where the table has no ``year`` column (an earlier ``tier`` output).
    service_year : int, optional
        The year under review: every history year must come before it.

    Returns
    -------
    DataFrame
        ``customer_id``, ``year`` (int), ``tier`` (gold/silver/regular), and whichever of the
        optional columns the file holds: ``value_index`` [-], ``branch``, ``branch_class``,
        ``approval_date`` (date), score components, 第11条 figures [CNY/yr, share], ``gold_bits``
        and ``silver_bits`` (criteria bitmask, -1 unknown), ``gold_rank``, ``branch_rank``,
        ``tier_rank``, ``is_new``.

    Raises
    ------
    InputTableError
        Missing columns, blank ids, unknown tiers, years out of range or not before the
        service year, non-numbers, a negative value index, ambiguous dates or approval dates
        outside the list's year, and the same customer twice in one year. Customers unknown
        to today's book are allowed: they have left it.
    """
    df = _rename_cycle(raw, HISTORY, file)
    problems = [Problem(None, None, c, f"required column is missing ({HISTORY.column(c).label})")
                for c in ("customer_id", "tier") if c not in df]
    if "year" not in df and year is None:
        problems.append(Problem(None, None, "year", "required column is missing (年度); or give the "
                                                    "list's year (--history-year / year=)"))
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    out = pd.DataFrame({"customer_id": ids.to_numpy()})
    out["year"] = _history_years(df, year, service_year, rows, id_list, problems)
    out["tier"] = _tiers(df["tier"], "tier", rows, id_list, problems)
    ctx = (rows, id_list, problems, out["year"].to_numpy())
    for col in HISTORY.columns[3:]:
        if col.name in df and col.kind in _HISTORY_CELLS:
            for name, values in _HISTORY_CELLS[col.kind](df, col, ctx).items():
                out[name] = values
    key = out["customer_id"] + "\x00" + out["year"].astype(str)
    _duplicates(key.where(ids.ne(""), None).dropna(), rows[ids.ne("").to_numpy()],
                [i for i in id_list if i], problems, "customer_id", HISTORY.unique[0][1])
    _raise(file, problems)
    out["tier"] = pd.Categorical(out["tier"], categories=list(TIERS))
    if "branch_class" in out:
        out["branch_class"] = pd.Series(out["branch_class"]).str.upper().to_numpy()
    return _finish(out, file, rows)


def validate_overrides(raw: pd.DataFrame, book_ids, file: str = "<overrides>",
                       year: int | None = None) -> pd.DataFrame:
    """Check head office's overrides (第12条: head office rates, the GM office approves).

    Parameters
    ----------
    raw : DataFrame
        Columns customer_id (客户号), action (操作: in/纳入 or out/剔除), tier (层级: gold/金牌
        or silver/银牌), reason (理由), approver (批准人), date (批准日期).
    book_ids : iterable of str
        Customer ids of this year's book: an override naming anyone else is refused.
    year : int, optional
        The service year: an approval date outside it is refused.

    Returns
    -------
    DataFrame
        The overrides in canonical form (``date`` as ``datetime.date``).

    Raises
    ------
    InputTableError
        Unknown customer, unknown action or tier, blank reason/approver, ambiguous date or a
        date outside the service year, two overrides of the same customer.
    """
    df = _rename_cycle(raw, OVERRIDES, file)
    problems = [Problem(None, None, c.name, f"required column is missing ({c.label})")
                for c in OVERRIDES if c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    known = pd.Index(pd.unique(np.asarray(book_ids, dtype=object)))
    unknown = ids.ne("") & ~ids.isin(known)
    for i in np.flatnonzero(unknown.to_numpy())[:LIMIT]:
        problems.append(Problem(int(rows[i]), id_list[i], "customer_id",
                                "customer is not in this year's book; an override must name a customer of the book"))
    action = text(df["action"]).str.lower().map(_ACTION_OF_WORD)
    for i in np.flatnonzero(action.isna().to_numpy())[:LIMIT]:
        problems.append(Problem(int(rows[i]), id_list[i] or None, "action",
                                f"'{df['action'].iloc[i]}' is not an action; write in (纳入) or out (剔除)"))
    tier = _tiers(df["tier"], "tier", rows, id_list, problems, allowed=("gold", "silver"))
    texts = {col: _required_text(df[col], col, rows, id_list, problems) for col in ("reason", "approver")}
    date = _dates(df["date"], "date", rows, id_list, problems, required=True)
    if year is not None:
        _in_years(date, year, "date", rows, id_list, problems, "the approval window of the service year")
    _duplicates(ids[ids.ne("")], rows[ids.ne("").to_numpy()], [i for i in id_list if i], problems,
                "customer_id", OVERRIDES.unique[0][1])
    _raise(file, problems)
    out = pd.DataFrame({"customer_id": ids.to_numpy(), "action": action.to_numpy(), "tier": tier,
                        "reason": texts["reason"].to_numpy(), "approver": texts["approver"].to_numpy(),
                        "date": date})
    return _finish(out, file, rows)


def _required_text(series, col, rows, id_list, problems) -> pd.Series:
    cells = text(series)
    for i in np.flatnonzero(cells.eq("").to_numpy())[:LIMIT]:
        problems.append(Problem(int(rows[i]), id_list[i] or None, col,
                                f"required value is missing (every override states its {col})"))
    return cells


def validate_nominations(raw: pd.DataFrame, book: pd.DataFrame, file: str = "<nominations>") -> pd.DataFrame:
    """Check the branches' Gold nominations (第12条 1, 附件一).

    Parameters
    ----------
    raw : DataFrame
        Columns customer_id (客户号), branch (推荐机构); optional date (推荐日期), note.
    book : DataFrame
        This year's validated customer table (customer_id, branch).

    Raises
    ------
    InputTableError
        Unknown customer, a customer nominated twice, a branch nominating another branch's
        customer, an ambiguous date.
    """
    df = _rename_cycle(raw, NOMINATIONS, file)
    problems = [Problem(None, None, c.name, f"required column is missing ({c.label})")
                for c in NOMINATIONS if c.required and c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    branch_of = pd.Series(book["branch"].to_numpy(), index=book["customer_id"].to_numpy())
    served = ids.map(branch_of)
    branch = text(df["branch"])
    for i in np.flatnonzero((ids.ne("") & served.isna()).to_numpy())[:LIMIT]:
        problems.append(Problem(int(rows[i]), id_list[i], "customer_id",
                                "customer is not in this year's book; only customers of the book can be nominated"))
    clash = served.notna() & (served != branch)
    for i in np.flatnonzero(clash.to_numpy())[:LIMIT]:
        rule = ("required value is missing" if branch.iloc[i] == ""
                else f"nominated by {branch.iloc[i]} but served by {served.iloc[i]}; a branch nominates its own customers (第12条 1)")
        problems.append(Problem(int(rows[i]), id_list[i], "branch", rule))
    date = (_dates(df["date"], "date", rows, id_list, problems, required=False) if "date" in df
            else np.full(len(df), None, dtype=object))
    _duplicates(ids[ids.ne("")], rows[ids.ne("").to_numpy()], [i for i in id_list if i], problems,
                "customer_id", NOMINATIONS.unique[0][1])
    _raise(file, problems)
    out = pd.DataFrame({"customer_id": ids.to_numpy(), "branch": branch.to_numpy(), "date": date})
    if "note" in df:
        out["note"] = text(df["note"]).to_numpy()
    return _finish(out, file, rows)
