"""The customer table: schema, readers (CSV, Excel, Parquet), validation, the synthetic sample.

Glossary of columns (English name — Chinese label of a core-system extract — unit):

================================  ===================  =========================================
column                            label                meaning [unit]
================================  ===================  =========================================
customer_id                       客户号               unique id of the customer (text)
name                              客户名称             optional
branch                            机构                 branch (分公司) serving the customer
branch_class                      机构类别             A–D (may come from the branch table)
effective_years                   有效投保年度         effective insured years, this year = 1 for
                                                       a new customer [years, ≥ 1]
is_new                            本年新客户           new customer this year (第13条 new places)
long_term_std_premium             长险标准保费         annual long-term standard premium [CNY]
health_premium                    健康险实收保费       health received premium [CNY]
health_loss_ratio                 健康险赔付率         [share, 0.60 = 60 %]
non_health_premium                非健康险实收保费     non-health received premium [CNY]
non_health_loss_ratio             非健康险赔付率       [share]
profit_margin                     利润率               underwriting profit ÷ premium [share]
underwriting_profit               承保利润             [CNY]; gives profit_margin when that is absent
first_service_objects             第一服务对象人数     top leaders served, 1–2 (第16条)
second_service_objects            第二服务对象人数     main handling staff served, 1–2 (第16条)
standard_premium                  标准保费             optional: 标准保费规模 supplied directly [CNY]
================================  ===================  =========================================

Row numbers in messages are as a spreadsheet shows them: the header is row 1, the first
customer row 2.
"""
from __future__ import annotations

import difflib
import threading
import unicodedata
import warnings
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from .errors import InputTableError, Problem
from .io import ReadOptions, read_ahead, read_table, write_sheets, write_table  # noqa: F401  (re-exported)
from .io import _OnUse
from .vocabulary import AMOUNT_UNITS as VOCABULARY_AMOUNT_UNITS
from .vocabulary import BRANCH_CLASSES

# imported on first use: a customer CSV is read ahead meanwhile
pd = _OnUse("pandas", globals(), "pd")
pc = _OnUse("pyarrow.compute", globals(), "pc")


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # Chinese header of a core-system extract
    kind: str  # "id", "text", "class", "int", "bool", "amount", "ratio", "margin"
    required: bool
    description: str


SCHEMA = [
    Column("customer_id", "客户号", "id", True, "unique customer id"),
    Column("name", "客户名称", "text", False, "customer name"),
    Column("branch", "机构", "text", True, "branch serving the customer"),
    Column("branch_class", "机构类别", "class", False, "branch class A–D (or from the branch table)"),
    Column("effective_years", "有效投保年度", "int", True, "effective insured years [years, ≥ 1]"),
    Column("is_new", "本年新客户", "bool", True, "new customer this year"),
    Column("long_term_std_premium", "长险标准保费", "amount", True, "long-term standard premium [CNY/yr]"),
    Column("health_premium", "健康险实收保费", "amount", True, "health received premium [CNY/yr]"),
    Column("health_loss_ratio", "健康险赔付率", "ratio", True, "health loss ratio [share]"),
    Column("non_health_premium", "非健康险实收保费", "amount", True, "non-health received premium [CNY/yr]"),
    Column("non_health_loss_ratio", "非健康险赔付率", "ratio", True, "non-health loss ratio [share]"),
    Column("profit_margin", "利润率", "margin", False, "underwriting profit ÷ premium [share]"),
    Column("underwriting_profit", "承保利润", "signed_amount", False, "underwriting profit [CNY/yr]"),
    Column("first_service_objects", "第一服务对象人数", "objects", True, "top leaders served, 1–2"),
    Column("second_service_objects", "第二服务对象人数", "objects", True, "handling staff served, 1–2"),
    Column("standard_premium", "标准保费", "amount", False, "standard premium supplied directly [CNY/yr]"),
]
COLUMNS = {c.name: c for c in SCHEMA}
#: One label map for readers, reports and plots: English column → Chinese label.
LABELS = {c.name: c.label for c in SCHEMA}
#: Columns a tier list adds to the customer table (``tiermodel tier``): ignored when a tier
#: list is read back as a customer table (next year's history); tiers are computed afresh.
TIER_LIST_COLUMNS = frozenset({
    "standard_premium_used", "premium_coef", "loyalty_coef", "profit_coef", "k1", "k2", "value_index",
    "gold_eligible", "gold_criteria", "silver_eligible", "silver_criteria", "gold_pool", "gold_rank",
    "branch_rank", "tier", "tier_rank", "reason"})
BRANCH_SCHEMA = [
    Column("branch", "机构", "text", True, "branch"),
    Column("branch_class", "机构类别", "class", True, "branch class A–D"),
    Column("silver_capacity", "银牌名额", "count", False, "Silver places of the branch (第13条)"),
]
LOSS_RATIO_MAX = 5.0  # a loss ratio above 500 % is taken for a percentage typed as a number
MARGIN_MIN = -10.0
#: Largest plausible yearly amount of one customer [CNY]: 1 万亿元 (a third of the whole
#: Chinese life market's premium). Above it a value is an export slip or an overflow
#: (1e308, inf), refused rather than made Gold; a 10,000× unit slip below it is warned about.
AMOUNT_MAX = 1e12
#: Most effective insured years a customer can have (group insurance in China restarted 1982).
YEARS_MAX = 100
#: Most Silver places one branch can have in a branch table.
CAPACITY_MAX = 10_000
#: Factor from an amount unit to 元 (the vocabulary's one list of units).
AMOUNT_UNITS = {unit: float(factor) for unit, (factor, _, _) in VOCABULARY_AMOUNT_UNITS.items()}
TRUE_WORDS = {"true", "1", "yes", "y", "t", "是", "新", "1.0"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "否", "0.0", "老"}  # a blank is refused, not "no"


# ----------------------------------------------------------------------------- readers
def rename_columns(raw: pd.DataFrame, schema: list[Column], file: str, ignore=(),
                   aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """Map Chinese labels to English names; refuse missing and unexpected columns.

    Columns named in ``ignore`` are dropped without a word (the computed columns of a tier
    list read back as next year's customer table). ``aliases`` maps further headers to
    names (e.g. the headers of the package's own formatted outputs). A header with its unit
    in brackets, as the formatted outputs write them (``健康险实收保费（万元/年）``,
    ``health received premium (CNY/yr)``), is read by its words; an amount unit found there
    is kept in ``attrs["header_units"]`` (column → ``"yuan"`` or ``"wan"``).
    """
    by_label = {c.label: c.name for c in schema}
    by_label.update(aliases or {})
    names = {c.name for c in schema}
    renamed, units = {}, {}
    problems = []
    dropped = []
    for col in raw.columns:
        key = str(col).strip()
        name = by_label.get(key, key)
        if name not in names and name not in ignore:
            word, unit = split_header_unit(key)
            if unit is not None and by_label.get(word, word) in names | set(ignore):
                name = by_label.get(word, word)
                if unit in AMOUNT_UNIT_WORDS and name in names:
                    units[name] = AMOUNT_UNIT_WORDS[unit]
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
            problems.append(Problem(None, None, None, _header_hint(raw)))
        raise InputTableError(file, problems)
    out = raw.drop(columns=dropped) if dropped else raw
    out = out.rename(columns=renamed)
    out.attrs = {**raw.attrs, "header_units": units}
    return out


#: Amount units as the formatted outputs write them in headers (``万元/年``, ``CNY``), from the
#: vocabulary's one list of units.
AMOUNT_UNIT_WORDS = {word + per_year: unit for unit, (_, zh, en) in VOCABULARY_AMOUNT_UNITS.items()
                     for word, per_year in ((zh, ""), (zh, "/年"), (en, ""), (en, "/yr"))}
#: Each amount unit as a message names it: "万元 (wan)".
AMOUNT_UNIT_NAMES = {unit: f"{zh} ({unit})" for unit, (_, zh, _) in VOCABULARY_AMOUNT_UNITS.items()}


def output_headers() -> dict[str, str]:
    """The words the package's own outputs use for the customer table's columns and a tier
    list's computed columns, in both languages (``客户价值指标``, ``value index``) → name."""
    from .vocabulary import COLUMN_TERMS

    wanted = {c.name for c in SCHEMA} | TIER_LIST_COLUMNS
    return {word: name for name, term in COLUMN_TERMS.items() if name in wanted for word in (term.zh, term.en)}


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``"健康险实收保费（万元/年）"`` → ``("健康险实收保费", "万元/年")``; a header without a
    bracketed unit at its end → ``(header, None)``."""
    for open_, close in (("（", "）"), ("(", ")")):
        if header.endswith(close) and open_ in header:
            i = header.rindex(open_)
            return header[:i].strip(), header[i + 1:-1].strip()
    return header, None


def _header_hint(raw: pd.DataFrame) -> str:
    """What to change when no column of the header is known."""
    row = int(raw.attrs.get("first_row", 2)) - 1
    hint = (f"no known column in the header (row {row}): if the header is lower down, give its row "
            f"with --header-row N")
    sheets = raw.attrs.get("sheets")
    if sheets and len(sheets) > 1:
        hint += (f"; if the table is on another sheet, give it with --sheet (this workbook has "
                 f"{', '.join(repr(s) for s in sheets)}; sheet {raw.attrs.get('sheet')!r} was read)")
    return hint


# ----------------------------------------------------------------------------- cell parsing
def _arrow_text(series: pd.Series) -> pa.ChunkedArray:
    """A column as an Arrow string array (nulls for missing cells), without copying text
    that is already Arrow-backed."""
    try:
        arr = pa.chunked_array([pa.array(series, from_pandas=True)]) if not hasattr(series.array, "_pa_array") \
            else series.array._pa_array  # noqa: SLF001  (pandas' Arrow-backed strings)
    except (pa.ArrowException, TypeError, ValueError):
        arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        obj = series.astype(object)
        obj = obj.where(~pd.isna(obj), None)
        floats = np.array([isinstance(v, float) and v.is_integer() for v in obj], dtype=bool)
        text = [None if v is None else (str(int(v)) if f else str(v)) for v, f in zip(obj, floats)]
        arr = pa.chunked_array([pa.array(text, pa.string())])
    return arr


def _clean_text(series: pd.Series) -> np.ndarray:
    """Stripped text of every cell (missing = ""), as an object array (small tables, messages)."""
    arr = pc.utf8_trim_whitespace(_arrow_text(series))
    return np.asarray(pc.fill_null(arr, "").to_pandas(), dtype=object)


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
        codes, uniques = pd.factorize(_arrow_text(series).to_pandas() if not
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


def _normalize_numbers(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Number text as written in real extracts → plain digits, and which cells had a '%'.

    Full-width digits and signs (NFKC), thousands separators ``1,234,567.5`` (groups of
    three only; ``1,5`` stays refused), a trailing ``%``.
    """
    t = text.str.normalize("NFKC").str.strip()
    pct = t.str.endswith("%").to_numpy(dtype=bool)
    t = t.str.replace(r"\s*%$", "", regex=True)
    grouped = t.str.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?").to_numpy(dtype=bool)
    t = t.where(~grouped, t.str.replace(",", "", regex=False))
    return t, pct


def _numbers(series: pd.Series, name: str, rows, ids, problems: list[Problem], what: str,
             percent_ok: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Parse a number column: values [float, NaN where blank or bad] and the blank mask.

    Text that is not a number is a problem naming row and customer. ``45%`` is 0.45 where
    ``percent_ok`` (shares), refused elsewhere; ``1,234.5`` and full-width digits are read.
    """
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.isnan(values)
    arr = _arrow_text(series)
    blank = pc.or_kleene(pc.is_null(arr), pc.equal(arr, ""))
    try:  # the common case: plain digits everywhere
        values = pc.cast(pc.if_else(blank, pa.scalar(None, arr.type), arr), pa.float64()) \
            .to_numpy(zero_copy_only=False)
        blank_np = blank.to_numpy(zero_copy_only=False)
        if not np.isnan(values[~blank_np]).any():
            return values, blank_np
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    text = pd.Series(pc.fill_null(arr, "").to_pandas(), dtype="str").str.strip()
    blank_np = text.eq("").to_numpy(dtype=bool)
    core, pct = _normalize_numbers(text)
    values = pd.to_numeric(core.where(~blank_np, None), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = np.where(pct, values / 100.0, values)
    bad = np.isnan(values) & ~blank_np
    hint = ("write a share such as 0.45 or 45%" if percent_ok
            else "write digits such as 1234567 or 1,234,567.5, no units")
    for i in np.flatnonzero(bad)[:50]:
        problems.append(Problem(rows[i], ids[i], name, f"'{text.iloc[i]}' is not a number ({what}; {hint})"))
    if not percent_ok:
        for i in np.flatnonzero(pct & ~bad)[:50]:
            problems.append(Problem(rows[i], ids[i], name, f"'{text.iloc[i]}' is a percentage; {what} is "
                                                           f"not a share ({hint})"))
        values = np.where(pct, np.nan, values)
    return np.where(bad, np.nan, values), blank_np


def _plainly_valid(values: np.ndarray, blank: np.ndarray, col: Column) -> bool:
    """Whether a number column certainly breaks no rule of :func:`validate_portfolio`: no blank
    (or, where allowed, nothing but blanks), and its smallest and largest values within the
    column's bounds (whole where it counts). Two passes; otherwise every rule is checked cell by
    cell."""
    if blank.any():
        return not col.required and blank.all()
    low, high = float(values.min()), float(values.max())  # NaN (a cell refused) fails every test
    whole = col.kind not in ("int", "objects") or bool(np.all(values == np.round(values)))
    bounds = {"amount": (0.0, AMOUNT_MAX), "signed_amount": (-AMOUNT_MAX, AMOUNT_MAX),
              "ratio": (0.0, LOSS_RATIO_MAX), "margin": (MARGIN_MIN, 1.0), "int": (1.0, YEARS_MAX),
              "objects": (1.0, 2.0)}.get(col.kind, (-np.inf, np.inf))
    return bool(np.isfinite(low) and np.isfinite(high)) and bounds[0] <= low and high <= bounds[1] and whole


def _report(problems, mask, rows, ids, column, rule, limit=50):
    for i in np.flatnonzero(mask)[:limit]:
        problems.append(Problem(int(rows[i]), ids[i], column, rule(i) if callable(rule) else rule))


def normalize_class(word: str) -> str:
    """'A', 'a', 'Ａ', 'A类', 'A类机构' → 'A' (other words unchanged, upper case)."""
    w = unicodedata.normalize("NFKC", str(word)).strip().upper()
    for suffix in ("类机构", "类"):
        if w.endswith(suffix) and len(w) > len(suffix):
            w = w[: -len(suffix)].strip()
    return w


def validate_portfolio(raw: pd.DataFrame, file: str = "<table>", branches: pd.DataFrame | None = None,
                       amount_unit: str = "yuan") -> pd.DataFrame:
    """Check a raw customer table and return the canonical one (a new frame).

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
    amount_unit : {"yuan", "wan"}
        Unit of the amount columns in the file; 万元 amounts are multiplied by 10,000.

    Raises
    ------
    InputTableError
        Listing every problem with row, customer id, column and rule: blanks in decisive
        fields (is_new, profit, years, premiums; a loss ratio may be blank only where its
        premium is 0), text that is no number, non-finite or implausible values
        (:data:`AMOUNT_MAX`, :data:`YEARS_MAX`), out-of-range shares, unknown classes,
        duplicate ids, a table with no rows.
    """
    if amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"amount_unit must be one of {sorted(AMOUNT_UNITS)}, not {amount_unit!r}")
    first_row = int(raw.attrs.get("first_row", 2))
    df = rename_columns(raw, SCHEMA, file, ignore=TIER_LIST_COLUMNS, aliases=output_headers())
    clash = [Problem(None, None, name, f"the header says the amounts are in {AMOUNT_UNIT_NAMES[unit]}, but they "
                                       f"are read as {AMOUNT_UNIT_NAMES[amount_unit]}; give --amount-unit {unit}")
             for name, unit in df.attrs["header_units"].items() if unit != amount_unit]
    if clash:
        raise InputTableError(file, clash)
    problems: list[Problem] = []
    present = set(df.columns)
    for col in SCHEMA:
        if col.required and col.name not in present:
            problems.append(Problem(None, None, col.name, f"required column is missing ({col.label}, {col.description})"))
    if "branch_class" not in present and branches is None:
        problems.append(Problem(None, None, "branch_class",
                                "required column is missing (机构类别) and no branch table was given"))
    if "profit_margin" not in present and "underwriting_profit" not in present:
        problems.append(Problem(None, None, "profit_margin",
                                "required column is missing: give profit_margin (利润率) or underwriting_profit (承保利润)"))
    if problems:
        if not present & {c.name for c in SCHEMA}:  # no column of a customer table: another sheet or row
            problems.append(Problem(None, None, None, _header_hint(raw)))
        elif first_row == 2 and len(problems) >= 3:
            problems.append(Problem(None, None, None, "if the header is not on row 1 (a title or notes above "
                                                      "it), give its row with --header-row N"))
        raise InputTableError(file, problems)

    n = len(df)
    if n == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no customer rows")])
    rows = _Rows(first_row)

    # customer ids: text, unique
    id_arr = _trimmed(_arrow_text(df["customer_id"]))
    id_arr = pc.fill_null(id_arr, "") if id_arr.null_count else id_arr
    id_blank = pc.equal(id_arr, "").to_numpy(zero_copy_only=False)
    ids_pd = id_arr.to_pandas()
    distinct = _meanwhile(_all_distinct, id_arr) if n >= 100_000 else _done(_all_distinct(id_arr))
    id_list = _LazyIds(ids_pd, id_blank)
    _report(problems, id_blank, rows, _NO_IDS, "customer_id", "required value is missing")
    duplicates_at = len(problems)  # their place among the problems, once the ids are compared
    out: dict[str, object] = {"customer_id": ids_pd}
    if "name" in present:
        name = _arrow_text(df["name"])
        out["name"] = (pc.fill_null(name, "") if name.null_count else name).to_pandas()

    # branch (and its class), checked once per distinct name
    b_codes, b_words = _factor(df["branch"])
    _report(problems, b_codes < 0, rows, id_list, "branch", "required value is missing")
    branch_names = np.asarray(b_words, dtype=object)
    cls_of_code = None
    if "branch_class" in present:
        c_codes, c_words = _factor(df["branch_class"])
        norm = np.asarray([normalize_class(w) for w in c_words], dtype=object)
        known_cls = np.isin(norm, BRANCH_CLASSES)
        ok_cls = (c_codes >= 0) & known_cls[c_codes]
        raw_cls = df["branch_class"]
        _report(problems, c_codes < 0, rows, id_list, "branch_class", "required value is missing")
        _report(problems, (c_codes >= 0) & ~ok_cls, rows, id_list, "branch_class",
                lambda i: f"unknown branch class '{raw_cls.iloc[i]}'; must be one of A, B, C, D")
        cls_idx = np.full(n, -1, dtype=np.int64)
        cls_num = np.array([BRANCH_CLASSES.index(c) if c in BRANCH_CLASSES else -1 for c in norm], dtype=np.int64)
        cls_idx[ok_cls] = cls_num[c_codes[ok_cls]]
    if branches is not None:
        known = branches.set_index("branch")["branch_class"].astype(str)
        table_cls = np.array([BRANCH_CLASSES.index(known[b]) if b in known.index else -1 for b in b_words],
                             dtype=np.int64)
        from_table = np.where(b_codes >= 0, table_cls[np.maximum(b_codes, 0)], -2)
        _report(problems, from_table == -1, rows, id_list, "branch",
                lambda i: f"branch '{branch_names[b_codes[i]]}' is not in the branch table")
        if "branch_class" in present:
            clash = (from_table >= 0) & (cls_idx >= 0) & (from_table != cls_idx)
            _report(problems, clash, rows, id_list, "branch_class",
                    lambda i: f"class {BRANCH_CLASSES[cls_idx[i]]} disagrees with the branch table "
                              f"({BRANCH_CLASSES[from_table[i]]})")
        else:
            cls_idx = np.where(from_table >= 0, from_table, -1)

    # numbers
    scale = AMOUNT_UNITS[amount_unit]
    numbers: dict[str, np.ndarray] = {}
    blanks: dict[str, np.ndarray] = {}
    for col in SCHEMA:
        if col.name not in present or col.kind in ("id", "text", "class", "bool"):
            continue
        values, blank = _numbers(df[col.name], col.name, rows, id_list, problems, col.description,
                                 percent_ok=col.kind in ("ratio", "margin"))
        numbers[col.name], blanks[col.name] = values, blank
    for col in SCHEMA:
        if col.name not in numbers:
            continue
        values, blank = numbers[col.name], blanks[col.name]
        if col.kind in ("amount", "signed_amount"):
            values = values * scale
        if _plainly_valid(values, blank, col):  # nothing to report, nothing to fill in
            numbers[col.name] = values
            continue
        if col.required:
            missing = blank
            if col.kind == "ratio":  # a loss ratio may be blank where its premium is 0
                premium = numbers.get(col.name.replace("loss_ratio", "premium"))
                zero = (premium == 0) if premium is not None else np.zeros(n, dtype=bool)
                values = np.where(blank & zero, 0.0, values)
                missing = blank & ~zero
            _report(problems, missing, rows, id_list, col.name, "required value is missing")
        ok = ~np.isnan(values)
        infinite = ok & ~np.isfinite(values)
        _report(problems, infinite, rows, id_list, col.name,
                lambda i: f"not a finite number (got {values[i]:g}); write the {col.description.split(' [')[0]}")
        ok &= ~infinite
        unit = scale if col.kind in ("amount", "signed_amount") else 1
        if col.kind == "amount":
            bad = ok & ((values < 0) | (values > AMOUNT_MAX))
            rule = "negative amount; premiums are ≥ 0 CNY"
            big = ok & (values > AMOUNT_MAX)
            _report(problems, big, rows, id_list, col.name,
                    lambda i: f"implausible amount: above {AMOUNT_MAX:,.0f} CNY a year for one customer "
                              f"(got {values[i] / unit:g}); check the unit (--amount-unit)")
            bad &= ~big
        elif col.kind == "signed_amount":
            bad = ok & (np.abs(values) > AMOUNT_MAX)
            rule = f"implausible amount: beyond ±{AMOUNT_MAX:,.0f} CNY a year for one customer"
        elif col.kind == "ratio":
            percent = _percent_column(values[ok & (values > 0)])
            if percent is not None and (ok & (values > LOSS_RATIO_MAX)).any():  # the column's finding first
                problems.append(Problem(None, None, col.name, percent))
            bad = ok & ((values < 0) | (values > LOSS_RATIO_MAX))
            rule = (f"loss ratio out of range [0, {LOSS_RATIO_MAX:g}]; write shares (0.60 for 60 %)")
        elif col.kind == "margin":
            bad = ok & ((values > 1) | (values < MARGIN_MIN))
            rule = f"profit margin out of range [{MARGIN_MIN:g}, 1]; write shares (0.08 for 8 %)"
        elif col.kind == "int":
            bad = ok & ((values < 1) | (values != np.round(values)) | (values > YEARS_MAX))
            rule = f"effective insured years must be a whole number ≥ 1 (and at most {YEARS_MAX})"
            if not (ok & (values > YEARS_MAX)).any():
                rule = "effective insured years must be a whole number ≥ 1"
        elif col.kind == "objects":
            bad = ok & ~np.isin(values, (1, 2))
            rule = "must be 1 or 2 persons (第16条)"
        else:
            bad = np.zeros(n, dtype=bool)
            rule = ""
        _report(problems, bad, rows, id_list, col.name, lambda i: f"{rule} (got {values[i] / unit:g})")
        numbers[col.name] = values

    # profit: a blank is refused, not read as 0 (it is 40 % of the value index)
    if "profit_margin" in numbers and "underwriting_profit" in numbers:
        both = blanks["profit_margin"] & blanks["underwriting_profit"]
        _report(problems, both, rows, id_list, "profit_margin",
                "required value is missing (give profit_margin or underwriting_profit)")
    else:
        key = "profit_margin" if "profit_margin" in numbers else "underwriting_profit"
        _report(problems, blanks[key], rows, id_list, key, "required value is missing")

    # the new-customer flag, checked once per distinct word
    f_codes, f_words = _factor(df["is_new"])
    norm = [unicodedata.normalize("NFKC", w).strip().lower() for w in f_words]
    word_true = np.array([w in TRUE_WORDS for w in norm] + [False])
    word_false = np.array([w in FALSE_WORDS for w in norm] + [False])
    flag_raw = df["is_new"]
    _report(problems, f_codes < 0, rows, id_list, "is_new",
            "required value is missing (write 1/0, true/false or 是/否)")
    unknown = (f_codes >= 0) & ~(word_true[f_codes] | word_false[f_codes])
    _report(problems, unknown, rows, id_list, "is_new",
            lambda i: f"'{flag_raw.iloc[i]}' is not a yes/no value (true/false, 1/0, 是/否)")

    if not distinct.result():
        problems[duplicates_at:duplicates_at] = _duplicate_ids(ids_pd, id_blank, rows, id_list)
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)

    out["branch"] = pa.DictionaryArray.from_arrays(pa.array(b_codes, pa.int32()),
                                                  pa.array(b_words, pa.string())).cast(pa.large_string()).to_pandas()
    out["branch_class"] = pd.Categorical.from_codes(cls_idx, categories=BRANCH_CLASSES)
    for name, values in numbers.items():
        out[name] = values.astype(np.int64) if name in _WHOLE else values
    out["is_new"] = word_true[f_codes]
    # the columns side by side, neither copied into a 2-D block nor copied at all; an array that
    # is a view of the raw table's data is copied, so that the two tables stay independent
    table = pd.DataFrame({name: values.copy() if isinstance(values, np.ndarray) and not values.flags.owndata
                          else values for name, values in out.items()}, index=pd.RangeIndex(n), copy=False)
    for c in ("customer_id", "name", "branch"):
        if c in table and table[c].dtype != "str":
            table[c] = table[c].astype("str")
    if "profit_margin" in table and "underwriting_profit" in table:
        fill = np.isnan(table["profit_margin"].to_numpy())
        if fill.any():
            total = table["long_term_std_premium"] + table["health_premium"] + table["non_health_premium"]
            with np.errstate(divide="ignore", invalid="ignore"):
                derived = np.where(total > 0, table["underwriting_profit"] / total, 0.0)
            table["profit_margin"] = np.where(fill, derived, table["profit_margin"])
    if "profit_margin" not in table:
        total = table["long_term_std_premium"] + table["health_premium"] + table["non_health_premium"]
        with np.errstate(divide="ignore", invalid="ignore"):
            table["profit_margin"] = np.where(total > 0, table["underwriting_profit"] / total, 0.0)
    if "standard_premium" not in table:
        table["standard_premium"] = np.nan
    _warn_scale(table, file, amount_unit)
    return table


_WHOLE = ("effective_years", "first_service_objects", "second_service_objects")


def _duplicate_ids(ids: pd.Series, blank: np.ndarray, rows, id_list) -> list[Problem]:
    """A problem for each of the first 50 rows whose customer id another row has too."""
    where = np.flatnonzero(ids.duplicated(keep=False).to_numpy() & ~blank)
    groups = pd.Series(rows[where]).groupby(ids.iloc[where].to_numpy()).agg(list)
    found = []
    for i in where[:50]:
        others = [str(r) for r in groups[ids.iloc[i]] if r != rows[i]]
        found.append(Problem(int(rows[i]), id_list[i], "customer_id",
                             f"duplicate customer id (also at row {', '.join(others)})"))
    return found


def _meanwhile(work, *args) -> Future:
    """``work(*args)`` on a thread of its own (pyarrow's sorting leaves Python free meanwhile)."""
    future: Future = Future()

    def run():
        try:
            future.set_result(work(*args))
        except BaseException as exc:  # raised by .result() in the caller
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True).start()
    return future


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def _all_distinct(arr: pa.ChunkedArray) -> bool:
    """No text appears twice (sorted neighbours differ: faster than hashing a million ids).

    Ids already in strictly increasing order, as extracts usually come, are distinct without
    being sorted."""
    if len(arr) < 2:
        return True
    if arr.null_count == 0 and pc.all(pc.less(arr.slice(0, len(arr) - 1), arr.slice(1))).as_py():
        return True
    ordered = pc.take(arr, pc.sort_indices(arr))
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(arr) - 1))
    return not pc.any(same).as_py()


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

#: First or last bytes of a text that may be (part of) white space: ASCII spaces and every byte
#: of a longer UTF-8 character (full-width spaces and the like).
_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_SPACE_BYTES[0x80:] = True


def _trimmed(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """``arr`` without white space around its texts; untouched (no copy) when no text starts or
    ends with a byte that may be white space."""
    for c in arr.chunks:
        _, offsets, data = c.buffers()
        if len(c) == 0 or data is None or data.size == 0:
            continue
        width = np.int32 if pa.types.is_string(c.type) else np.int64
        ends = np.frombuffer(offsets, dtype=width, count=c.offset + len(c) + 1)[c.offset:]
        full = ends[1:] > ends[:-1]
        text = np.frombuffer(data, dtype=np.uint8)
        if _SPACE_BYTES[text[ends[:-1][full]]].any() or _SPACE_BYTES[text[ends[1:][full] - 1]].any():
            return pc.utf8_trim_whitespace(arr)
    return arr


class _LazyIds:
    """Customer ids for messages, looked up only for the rows that have a problem."""

    def __init__(self, ids: pd.Series, blank: np.ndarray):
        self._ids, self._blank = ids, blank

    def __getitem__(self, i):
        return None if self._blank[i] else str(self._ids.iloc[i])


#: A loss-ratio column most of whose positive values exceed this is taken as percentages
#: typed as numbers (55 for 55 %) and refused as a whole.
LOSS_RATIO_PERCENT = 1.5
#: Median yearly premium per customer [CNY] below which the amounts were almost surely given in
#: 万元 and read as 元 (the 万元 slip; the sample book's median is about 40,000 CNY).
SCALE_SLIP_BELOW = 1_000.0


def _percent_column(positive: np.ndarray) -> str | None:
    """The rule broken when a loss-ratio column holds percentages (most values above 1.5)."""
    if positive.size == 0 or np.mean(positive > LOSS_RATIO_PERCENT) <= 0.5:
        return None
    return (f"{np.mean(positive > LOSS_RATIO_PERCENT):.0%} of the loss ratios are above "
            f"{LOSS_RATIO_PERCENT:g} (median {np.median(positive):g}): they look like percentages; "
            f"write shares (0.55 for 55 %) in this column")


def amount_scale_slip(df: pd.DataFrame) -> str | None:
    """Why the amounts look like 万元 read as 元, or None.

    The slip is taken as certain when the median positive premium per customer (long-term
    standard + health + non-health) [CNY] is below 1,000 CNY — 10,000× below the range of a
    group book (the sample's median is about 40,000 CNY).

    Parameters
    ----------
    df : DataFrame
        A validated portfolio (amounts in 元).

    Returns
    -------
    str or None
        The finding, with the largest and median premium, for the message of the option that
        fixes it.
    """
    total = (df["long_term_std_premium"] + df["health_premium"] + df["non_health_premium"]).to_numpy()
    positive = total[total > 0]
    if positive.size == 0:
        return None
    median = _median_outside(positive, SCALE_SLIP_BELOW, np.inf)
    if median is None:
        return None
    largest = float(df["non_health_premium"].max())
    return (f"the median customer premium is {median:,.0f} CNY and the largest non-health premium "
            f"{largest:,.0f} CNY, 10,000× below a group book (the Gold thresholds start at 1,000,000 CNY "
            f"of non-health premium, 第11条); are the amounts in 万元?")


def check_amount_scale(portfolio, source, amount_unit: str | None) -> None:
    """Stop before the work when a customer file's amounts look like 万元 read as 元, or its
    loss ratios like percentages typed as numbers (most above 1.5: 55 for 0.55).

    Parameters
    ----------
    portfolio : DataFrame
        The validated book.
    source : path or None
        The customer file (None: the bundled sample, never checked).
    amount_unit : {"yuan", "wan"} or None
        The option as the user gave it; given explicitly (even ``yuan``) means "I know",
        and the run goes on.

    Raises
    ------
    OptionError
        Naming ``--amount-unit wan`` as the fix.
    """
    from .errors import InputTableError, OptionError

    if not source:
        return
    for column in ("health_loss_ratio", "non_health_loss_ratio"):
        values = portfolio[column].to_numpy(dtype=float)
        percent = _percent_column(values[values > 0])
        if percent is not None:
            raise InputTableError(str(source), [Problem(None, None, column, percent)])
    if amount_unit is not None:
        return
    slip = amount_scale_slip(portfolio)
    if slip:
        raise OptionError("--amount-unit", f"{source}: {slip} Rerun with --amount-unit wan (or "
                                           "--amount-unit yuan if the amounts really are in 元)")


def _median_outside(values: np.ndarray, low: float, high: float) -> float | None:
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
    total = df["long_term_std_premium"].to_numpy() + df["health_premium"].to_numpy()
    total += df["non_health_premium"].to_numpy()
    positive = total[total > 0]
    if positive.size == 0:
        return
    median = _median_outside(positive, 1_000, 1e9)
    if median is None:
        return
    if median < 1_000:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"万元 — read with amount_unit='wan' (--amount-unit wan)", stacklevel=3)
    elif median > 1e9:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"yuan but read as 万元 (amount_unit='{amount_unit}')", stacklevel=3)


def validate_branches(raw: pd.DataFrame, file: str = "<branches>") -> pd.DataFrame:
    """Check a branch table (branch, branch_class, optional silver_capacity).

    Raises
    ------
    InputTableError
        Naming row, column and rule: a blank or repeated branch, an unknown class (``A类``
        is read as A), a capacity that is not a whole number in [0, :data:`CAPACITY_MAX`],
        a table with no rows.
    """
    first_row = int(raw.attrs.get("first_row", 2))
    df = rename_columns(raw, BRANCH_SCHEMA, file)
    problems = [Problem(None, None, c.name, "required column is missing")
                for c in BRANCH_SCHEMA if c.required and c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    if len(df) == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no branch rows")])
    rows = np.arange(len(df)) + first_row
    branch = pd.Series(_clean_text(df["branch"]), dtype=object)
    cls_text = _clean_text(df["branch_class"])
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
        cap, _ = _numbers(df["silver_capacity"], "silver_capacity", rows, [None] * len(df), problems,
                          "Silver places")
        bad = ~np.isnan(cap) & ((cap < 0) | ~np.isfinite(cap) | (cap > CAPACITY_MAX))
        bad |= ~np.isnan(cap) & np.isfinite(cap) & (cap != np.round(cap))
        for i in np.flatnonzero(bad):
            problems.append(Problem(int(rows[i]), None, "silver_capacity",
                                    f"Silver capacity must be a whole number ≥ 0 (and at most "
                                    f"{CAPACITY_MAX:,}) (got {cap[i]:g})"))
        out["silver_capacity"] = cap
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)
    return out


#: Columns with a few distinct values (names and labels): a CSV reads them as categories, which
#: the validator checks once per distinct value.
FEW_VALUES = [n for name in ("branch", "branch_class", "is_new") for n in (name, COLUMNS[name].label)]
#: Columns of numbers (names and labels): a CSV whose cells in them are all plain numbers has them
#: parsed while it is read.
_NUMERIC = [n for c in SCHEMA if c.kind not in ("id", "text", "class", "bool") for n in (c.name, c.label)]


def _names(schema) -> list[str]:
    return [c.name for c in schema] + [c.label for c in schema]


def read_branches(path: str | Path, options: ReadOptions | None = None) -> pd.DataFrame:
    """Read and validate a branch table (.csv, .xlsx, .parquet); see :func:`validate_branches`."""
    o = options or ReadOptions()
    raw = read_table(path, o.sheet, encoding=o.encoding, header_row=o.header_row,
                     columns=_names(BRANCH_SCHEMA))
    return validate_branches(raw, str(path))


def read_portfolio_ahead(path: str | Path, options: ReadOptions | None = None) -> None:
    """Start reading a customer CSV file while the caller goes on (the command line loads the
    rest of the package meanwhile); :func:`read_portfolio` with the same file and options takes
    the table over. Other files are left to :func:`read_portfolio`."""
    o = options or ReadOptions()
    if o.sheet is None:
        read_ahead(path, encoding=o.encoding, header_row=o.header_row, columns=_names(SCHEMA),
                   numeric=_NUMERIC, categorical=FEW_VALUES)


def read_portfolio(path: str | Path, branches: str | Path | pd.DataFrame | None = None,
                   amount_unit: str = "yuan", sheet: str | int | None = None,
                   options: ReadOptions | None = None) -> pd.DataFrame:
    """Read and validate a customer table from CSV, Excel (.xlsx) or Parquet.

    The file is only read, never changed. See the module docstring for the columns.
    ``options`` say how to read an odd extract (encoding, header row, sheet); ``sheet``
    is kept for callers that give only the sheet.
    """
    o = options or ReadOptions()
    if o.sheet is not None and Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputTableError(str(path), [Problem(None, None, None, f"--sheet {o.sheet!r} is for Excel workbooks; "
                                                                    f"this file has no sheets")])
    if branches is not None and not isinstance(branches, pd.DataFrame):
        branches = read_branches(branches, ReadOptions(encoding=o.encoding))
    raw = read_table(path, sheet if sheet is not None else o.sheet, encoding=o.encoding,
                     header_row=o.header_row, columns=_names(SCHEMA), numeric=_NUMERIC,
                     categorical=FEW_VALUES)
    return validate_portfolio(raw, str(path), branches, amount_unit)


# ----------------------------------------------------------------------------- synthetic sample
BRANCH_NAMES = {
    "A": ["Beijing", "Shanghai", "Guangdong", "Shenzhen", "Jiangsu", "Zhejiang"],
    "B": ["Shandong", "Sichuan", "Hubei", "Fujian", "Liaoning", "Tianjin", "Henan", "Hunan",
          "Chongqing", "Xiamen"],
    "C": ["Anhui", "Hebei", "Shaanxi", "Yunnan", "Jiangxi", "Guangxi", "Shanxi", "Heilongjiang",
          "Jilin", "Qingdao", "Dalian", "Ningbo"],
    "D": ["Guizhou", "Gansu", "Hainan", "Neimenggu", "Xinjiang", "Ningxia", "Qinghai", "Xizang",
          "Suzhou", "Foshan", "Dongguan", "Wenzhou"],
}
CLASS_SIZE = {"A": 3.0, "B": 1.6, "C": 0.8, "D": 0.45}  # relative number of customers per branch
CLASS_SCALE = {"A": 1.6, "B": 1.0, "C": 0.75, "D": 0.6}  # relative premium size per branch class
DEFAULT_SEED = 2003
DEFAULT_CUSTOMERS = 20_000


def sample_branches() -> pd.DataFrame:
    """The 40 branches of the synthetic sample with their class (capacity from the policy)."""
    rows = [(b, c) for c, names in BRANCH_NAMES.items() for b in names]
    return pd.DataFrame(rows, columns=["branch", "branch_class"])


def sample_arrays(n_customers: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """Synthetic portfolio as plain arrays (fast path for benchmarks); see :func:`sample_portfolio`."""
    rng = np.random.default_rng(seed)
    branches = sample_branches()
    size = branches["branch_class"].map(CLASS_SIZE).to_numpy()
    branch_code = rng.choice(len(branches), size=n_customers, p=size / size.sum())
    cls = branches["branch_class"].to_numpy()[branch_code]
    scale = pd.Series(cls).map(CLASS_SCALE).to_numpy()

    years = np.minimum(rng.geometric(0.18, n_customers), 25)
    is_new = years == 1
    has_long = rng.random(n_customers) < 0.30
    has_health = rng.random(n_customers) < 0.65
    has_non_health = (rng.random(n_customers) < 0.70) | ~(has_long | has_health)
    # heavy-tailed premiums: log-normal bodies [CNY/yr]
    long_term = np.where(has_long, scale * rng.lognormal(np.log(250_000), 1.55, n_customers), 0.0)
    health = np.where(has_health, scale * rng.lognormal(np.log(60_000), 1.45, n_customers), 0.0)
    non_health = np.where(has_non_health, scale * rng.lognormal(np.log(25_000), 1.35, n_customers), 0.0)
    health_lr = np.where(has_health, rng.lognormal(np.log(0.60), 0.40, n_customers), 0.0)
    non_health_lr = np.where(has_non_health, rng.lognormal(np.log(0.42), 0.55, n_customers), 0.0)
    short = health + non_health
    with np.errstate(invalid="ignore", divide="ignore"):
        short_lr = np.where(short > 0, (health * health_lr + non_health * non_health_lr) / short, 0.0)
    long_margin = rng.normal(0.12, 0.06, n_customers)
    total = long_term + short
    margin = np.where(total > 0, (long_term * long_margin + short * (0.78 - short_lr)) / np.maximum(total, 1), 0.0)
    return {
        "branch_code": branch_code,
        "branch_class": cls,
        "effective_years": years.astype(np.int64),
        "is_new": is_new,
        "long_term_std_premium": np.round(long_term),
        "health_premium": np.round(health),
        "health_loss_ratio": np.round(np.clip(health_lr, 0, LOSS_RATIO_MAX), 4),
        "non_health_premium": np.round(non_health),
        "non_health_loss_ratio": np.round(np.clip(non_health_lr, 0, LOSS_RATIO_MAX), 4),
        "profit_margin": np.round(np.clip(margin, -2.0, 0.6), 4),
        "first_service_objects": rng.integers(1, 3, n_customers),
        "second_service_objects": rng.integers(1, 3, n_customers),
    }


def sample_portfolio(seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_CUSTOMERS) -> pd.DataFrame:
    """A seeded synthetic portfolio: 40 branches over classes A–D, log-normal premiums,
    loss ratios spread around the 60 % / 40 % caps.

    With the default seed and size the 2003 thresholds give a few dozen Gold candidates and
    several hundred Silver candidates. The same seed gives the same table.
    """
    a = sample_arrays(n_customers, seed)
    branches = sample_branches()
    df = pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, n_customers + 1)],
        "name": [f"客户{i:06d}" for i in range(1, n_customers + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        df[key] = values
    df["standard_premium"] = np.nan
    return df


def load_sample(name: str = "portfolio", seed: int = DEFAULT_SEED,
                n_customers: int = DEFAULT_CUSTOMERS) -> pd.DataFrame:
    """A bundled sample data set by name, validated like a file would be.

    Parameters
    ----------
    name : {"portfolio", "branches"}
        ``"portfolio"``: the seeded synthetic customer table (:func:`sample_portfolio`);
        ``"branches"``: its 40 branches with their classes A–D.
    seed : int
        Seed of the synthetic portfolio.
    n_customers : int
        Customers in the synthetic portfolio.
    """
    branches = validate_branches(sample_branches(), "sample branches")
    if name == "branches":
        return branches
    if name != "portfolio":
        raise ValueError(f"no sample named {name!r}; use 'portfolio' or 'branches'")
    return validate_portfolio(sample_portfolio(seed, n_customers), f"sample(seed={seed})", branches)


#: Service year of the bundled sample: the book is this year's; earlier years come before it.
SAMPLE_YEAR = 2026
#: Share of an earlier year's book that left before the next year (sample only).
SAMPLE_LEAVER_SHARE = 0.10
#: Yearly premium growth the sample's earlier years are discounted by, and its spread (sample only).
SAMPLE_GROWTH, SAMPLE_GROWTH_SD = 0.05, 0.20


def sample_earlier_year(portfolio: pd.DataFrame, seed: int = DEFAULT_SEED, years_back: int = 1) -> pd.DataFrame:
    """The book as it stood ``years_back`` years before ``portfolio`` (synthetic, seeded).

    A customer in effective year ``y`` now was in year ``y - years_back`` then and was not yet
    insured if that is below 1; ``is_new`` marks year 1. Premiums are this year's discounted
    by 5 % a year with a log-normal spread (σ 0.20 a year); loss ratios and profit margins move
    by a seeded noise. Customers who have since left are added: 10 % of the earlier book
    per year, drawn like the sample, ids ``L<years_back><nnnnn>``. Same inputs and seed → same table.

    Parameters
    ----------
    portfolio : DataFrame
        This year's canonical customer table (e.g. :func:`sample_portfolio`).
    seed : int
    years_back : int
        How many years earlier [years, ≥ 1].
    """
    if years_back < 1:
        raise ValueError(f"years_back must be ≥ 1, not {years_back}")
    rng = np.random.default_rng([seed, 7, years_back])
    stayed = portfolio[portfolio["effective_years"].to_numpy() > years_back].copy()
    n = len(stayed)
    stayed["effective_years"] = stayed["effective_years"] - years_back
    stayed["is_new"] = stayed["effective_years"].to_numpy() == 1
    sd = SAMPLE_GROWTH_SD * np.sqrt(years_back)
    for col in ("long_term_std_premium", "health_premium", "non_health_premium"):
        factor = (1 + SAMPLE_GROWTH) ** -years_back * rng.lognormal(-0.5 * sd * sd, sd, n)
        stayed[col] = np.round(stayed[col].to_numpy() * factor)
    for col in ("health_loss_ratio", "non_health_loss_ratio"):
        values = stayed[col].to_numpy()
        moved = values * rng.lognormal(0.0, 0.15 * np.sqrt(years_back), n)
        stayed[col] = np.where(values > 0, np.round(np.clip(moved, 0, LOSS_RATIO_MAX), 4), values)
    stayed["profit_margin"] = np.round(np.clip(stayed["profit_margin"].to_numpy()
                                               + rng.normal(0, 0.03 * np.sqrt(years_back), n), -2.0, 0.6), 4)
    n_left = int(round(SAMPLE_LEAVER_SHARE * n / (1 - SAMPLE_LEAVER_SHARE)))
    a = sample_arrays(n_left, seed + 1000 * years_back)
    branches = sample_branches()
    left = pd.DataFrame({
        "customer_id": [f"L{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "name": [f"已离册客户{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        left[key] = values
    left["standard_premium"] = np.nan
    out = pd.concat([stayed, left[[c for c in stayed.columns if c in left]]], ignore_index=True)
    out["branch_class"] = pd.Categorical(out["branch_class"].astype(str), categories=BRANCH_CLASSES)
    return out
