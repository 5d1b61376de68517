"""Earlier tier lists, head-office overrides and branch nominations: schemas, readers, validation.

The annual cycle (第8条, 第12–13条, 第26条 4) needs three tables beside the customer table:

* **history** — one or more earlier tier lists: the ``tier`` output of an earlier year, or a
  minimal table (customer id, year, tier; optionally value index, branch, approval date and
  the score components). Unknown customers are allowed (they have left the book); the same
  customer twice in one year is refused.
* **overrides** — head office forcing a customer into or out of a tier (客户号, 操作 纳入/剔除,
  层级, 理由, 批准人, 批准日期). Every override names a customer of the book.
* **nominations** — the customers each branch puts forward for Gold (第12条 1, 附件一).

Every reader returns a canonical frame (English column names) with the file name in
``attrs["file"]`` and each data row's spreadsheet row number in ``attrs["rows"]`` (header =
row 1), so that a later rule (an override over the 40 Gold places) can still name the row.
A broken rule raises :class:`~tiermodel.errors.InputTableError` naming file, row, customer,
column and rule; nothing is written.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputTableError, Problem
from .io import read_table
from .portfolio import Column, rename_columns
from .vocabulary import COLUMN_TERMS, CRITERION_TERMS, TIER_TERMS, TIERS

#: Words read as each tier (English keys, Chinese names of 第7条, the bilingual labels).
TIER_WORDS = {
    "gold": {"gold", "金牌", "金牌vip", "金牌 vip", "金牌客户", "金牌vip客户", "金牌 gold"},
    "silver": {"silver", "银牌", "银牌vip", "银牌 vip", "银牌客户", "银牌vip客户", "银牌 silver"},
    "regular": {"regular", "普通", "普通客户", "常规", "常规客户", "普通 regular"},
}
_TIER_OF_WORD = {w: t for t, words in TIER_WORDS.items() for w in words}
ACTION_WORDS = {"in": {"in", "force in", "force_in", "纳入", "强制纳入", "加入", "入选"},
                "out": {"out", "force out", "force_out", "剔除", "强制剔除", "移出", "退出"}}
_ACTION_OF_WORD = {w: a for a, words in ACTION_WORDS.items() for w in words}
YEAR_RANGE = (1990, 2100)

# Columns of a history table: name → (Chinese header, kind). An earlier ``tier`` output
# carries all of them; a minimal table only customer_id, year and tier.
HISTORY_COLUMNS = {
    "customer_id": ("客户号", "id"),
    "year": ("年度", "year"),
    "tier": ("层级", "tier"),
    "value_index": ("客户价值指标", "number"),
    "branch": ("机构", "text"),
    "branch_class": ("机构类别", "text"),
    "approval_date": ("批准日期", "date"),
    "name": ("客户名称", "text"),
    "effective_years": ("有效投保年度", "number"),
    "is_new": ("本年新客户", "bool"),
    "long_term_std_premium": ("长险标准保费", "number"),
    "health_premium": ("健康险实收保费", "number"),
    "health_loss_ratio": ("健康险赔付率", "number"),
    "non_health_premium": ("非健康险实收保费", "number"),
    "non_health_loss_ratio": ("非健康险赔付率", "number"),
    "profit_margin": ("利润率", "number"),
    "underwriting_profit": ("承保利润", "number"),
    "first_service_objects": ("第一服务对象人数", "number"),
    "second_service_objects": ("第二服务对象人数", "number"),
    "standard_premium": ("标准保费", "number"),
    "standard_premium_used": ("标准保费规模", "number"),
    "premium_coef": ("保费规模系数", "number"),
    "loyalty_coef": ("忠诚度系数", "number"),
    "profit_coef": ("利润贡献系数", "number"),
    "k1": ("K1", "number"),
    "k2": ("K2", "number"),
    "gold_eligible": ("金牌入围", "ignored"),
    "gold_criteria": ("金牌入围标准", "criteria"),
    "silver_eligible": ("银牌入围", "ignored"),
    "silver_criteria": ("银牌入围标准", "criteria"),
    "gold_bits": ("金牌入围标准代码", "bits"),
    "silver_bits": ("银牌入围标准代码", "bits"),
    "gold_pool": ("金牌名额类别", "pool"),
    "gold_rank": ("金牌排名", "number"),
    "branch_rank": ("机构内排名", "number"),
    "tier_rank": ("排名", "number"),
    "reason": ("说明", "ignored"),
}
OVERRIDE_COLUMNS = {
    "customer_id": ("客户号", "id"),
    "action": ("操作", "action"),
    "tier": ("层级", "tier"),
    "reason": ("理由", "required_text"),
    "approver": ("批准人", "required_text"),
    "date": ("批准日期", "date"),
}
NOMINATION_COLUMNS = {
    "customer_id": ("客户号", "id"),
    "branch": ("推荐机构", "text"),
    "date": ("推荐日期", "date"),
    "note": ("推荐理由", "text"),
}


# ----------------------------------------------------------------------------- helpers
def _rename(raw: pd.DataFrame, columns: dict, file: str) -> pd.DataFrame:
    """English names for the columns; the Chinese labels, and the headers of the package's
    own outputs in either language (with or without their units), are accepted too."""
    schema = [Column(name, label, "text", False, what) for name, (label, what) in columns.items()]
    aliases = {word: n for n, t in COLUMN_TERMS.items() if n in columns for word in (t.zh, t.en)}
    return rename_columns(raw, schema, file, aliases=aliases)


def _text(series: pd.Series) -> pd.Series:
    s = series.astype(object).where(~pd.isna(series), "").astype(str).str.strip()
    if pd.api.types.is_float_dtype(series):
        s = s.str.replace(r"\.0$", "", regex=True)
    return s


def _ids(df: pd.DataFrame, rows, problems) -> pd.Series:
    ids = _text(df["customer_id"])
    for i in np.flatnonzero(ids.eq("").to_numpy())[:50]:
        problems.append(Problem(int(rows[i]), None, "customer_id", "required value is missing"))
    return ids


def _numbers(series: pd.Series, name: str, rows, ids, problems) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.to_numpy(dtype=float)
        bad = np.flatnonzero(np.isinf(values))
        text = series.astype(str)
    else:
        text = _text(series)
        values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero((np.isnan(values) & (text != "").to_numpy()) | np.isinf(values))
    for i in bad[:50]:
        problems.append(Problem(int(rows[i]), ids[i] or None, name,
                                f"'{text.iloc[i]}' is not a finite number (write plain digits)"))
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
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _dates(series: pd.Series, name: str, rows, ids, problems, required: bool) -> np.ndarray:
    out = np.empty(len(series), dtype=object)
    for i, value in enumerate(series.tolist()):
        blank = value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "" \
            or value is pd.NaT
        if blank:
            out[i] = None
            if required:
                problems.append(Problem(int(rows[i]), ids[i] or None, name, "required value is missing"))
            continue
        date = parse_date(value)
        if date is None:
            problems.append(Problem(int(rows[i]), ids[i] or None, name,
                                    f"'{value}' is not an unambiguous date; write YYYY-MM-DD (e.g. 2026-01-10)"))
        out[i] = date
    return out


def _tiers(series: pd.Series, name: str, rows, ids, problems, allowed=TIERS) -> np.ndarray:
    words = _text(series).str.lower().str.replace(r"\s+", " ", regex=True)
    tier = words.map(_TIER_OF_WORD)
    bad = tier.isna() | ~tier.isin(allowed)
    names = "/".join(f"{t} ({TIER_TERMS[t].zh})" for t in allowed)
    for i in np.flatnonzero(bad.to_numpy())[:50]:
        rule = ("required value is missing" if words.iloc[i] == ""
                else f"'{series.iloc[i]}' is not a tier; write {names}")
        problems.append(Problem(int(rows[i]), ids[i] or None, name, rule))
    return tier.to_numpy(dtype=object)


def _criteria_bits(series: pd.Series) -> np.ndarray:
    """Bitmask from a criteria label of a tier output ("long-term premium + health premium")."""
    names = {t.en: bit for bit, t in CRITERION_TERMS.items()}
    names.update({t.zh: bit for bit, t in CRITERION_TERMS.items()})

    def bits(text: str) -> int:
        if text in ("", "nan"):
            return -1
        return sum(names.get(part.strip(), 0) for part in text.split("+"))

    text = _text(series)
    uniques, codes = np.unique(text.to_numpy(dtype=str), return_inverse=True)
    return np.array([bits(u) for u in uniques], dtype=np.int16)[codes]


def _duplicates(keys: pd.Series, rows, ids, problems, column: str, what: str) -> None:
    dup = keys.duplicated(keep=False).to_numpy()
    for i in np.flatnonzero(dup)[:50]:
        others = [str(r) for r in rows[np.flatnonzero((keys == keys.iloc[i]).to_numpy())] if r != rows[i]]
        problems.append(Problem(int(rows[i]), ids[i] or None, column, f"{what} (also at row {', '.join(others)})"))


def _finish(out: pd.DataFrame, file: str, rows) -> pd.DataFrame:
    out.attrs["file"] = file
    out.attrs["rows"] = np.asarray(rows, dtype=np.int64)
    return out


# ----------------------------------------------------------------------------- history
def validate_history(raw: pd.DataFrame, file: str = "<history>", year: int | None = None) -> pd.DataFrame:
    """Check an earlier tier list and return the canonical history table (a new frame).

    Parameters
    ----------
    raw : DataFrame
        As read: English column names or the Chinese headers (客户号, 年度, 层级, …).
    file : str
        Name used in messages.
    year : int, optional
        The list's year where the table has no ``year`` column (an earlier ``tier`` output).

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
        Missing columns, blank ids, unknown tiers, years out of range, non-numbers, ambiguous
        dates, and the same customer twice in one year. Customers unknown to today's book are
        allowed: they have left it.
    """
    df = _rename(raw, HISTORY_COLUMNS, file)
    problems = [Problem(None, None, c, f"required column is missing ({HISTORY_COLUMNS[c][0]})")
                for c in ("customer_id", "tier") if c not in df]
    if "year" not in df and year is None:
        problems.append(Problem(None, None, "year", "required column is missing (年度); or give the "
                                                    "list's year (--history-year / year=)"))
    if problems:
        raise InputTableError(file, problems)
    n = len(df)
    rows = np.arange(n) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    out = pd.DataFrame({"customer_id": ids.to_numpy()})
    if "year" in df:
        years = _numbers(df["year"], "year", rows, id_list, problems)
        if year is not None:
            years = np.where(np.isnan(years), year, years)
        bad = ~np.isnan(years) & ((years != np.round(years)) | (years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1]))
        for i in np.flatnonzero(bad | np.isnan(years))[:50]:
            rule = ("required value is missing" if np.isnan(years[i])
                    else f"year must be a whole number in {YEAR_RANGE[0]}–{YEAR_RANGE[1]} (got {years[i]:g})")
            problems.append(Problem(int(rows[i]), id_list[i] or None, "year", rule))
        out["year"] = np.nan_to_num(years).astype(np.int64)
    else:
        out["year"] = np.full(n, int(year), dtype=np.int64)
    out["tier"] = _tiers(df["tier"], "tier", rows, id_list, problems)
    for name, (_, kind) in HISTORY_COLUMNS.items():
        if name not in df or name in ("customer_id", "year", "tier"):
            continue
        if kind == "number":
            out[name] = _numbers(df[name], name, rows, id_list, problems)
        elif kind == "text":
            out[name] = _text(df[name]).to_numpy()
        elif kind == "date":
            out[name] = _dates(df[name], name, rows, id_list, problems, required=False)
        elif kind == "criteria" and name.replace("criteria", "bits") not in df:
            out[name.replace("criteria", "bits")] = _criteria_bits(df[name])
        elif kind == "bits":
            bits = _numbers(df[name], name, rows, id_list, problems)
            out[name] = np.nan_to_num(bits, nan=-1).astype(np.int16)
        elif kind == "pool":
            out["is_new"] = _text(df[name]).str.lower().isin(["new", "本年新客户", "新客户"]).to_numpy()
        elif kind == "bool" and "gold_pool" not in df:
            out["is_new"] = _text(df[name]).str.lower().isin(["true", "1", "yes", "是", "新", "1.0"]).to_numpy()
    key = out["customer_id"] + "\x00" + out["year"].astype(str)
    _duplicates(key.where(ids.ne(""), None).dropna(), rows[ids.ne("").to_numpy()],
                [i for i in id_list if i], problems, "customer_id", "the same customer twice in one year")
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputTableError(file, problems)
    out["tier"] = pd.Categorical(out["tier"], categories=list(TIERS))
    if "branch_class" in out:
        out["branch_class"] = pd.Series(out["branch_class"]).str.upper().to_numpy()
    return _finish(out, file, rows)


def read_history(paths, year: int | None = None, sheet: str | int | None = None) -> pd.DataFrame:
    """Read one or more earlier tier lists (.csv, .xlsx, .parquet) into one history table.

    Parameters
    ----------
    paths : path or list of paths
    year : int, optional
        Year of a list that has no ``year`` column (only with a single file).

    Raises
    ------
    InputTableError
        As :func:`validate_history`; also the same customer and year in two files.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    frames = [validate_history(read_table(p, sheet), str(p), year) for p in paths]
    if len(frames) == 1:
        return frames[0]
    seen: dict[tuple, str] = {}
    problems = []
    for f in frames:
        for cid, yr, row in zip(f["customer_id"], f["year"], f.attrs["rows"]):
            where = seen.get((cid, yr))
            if where:
                problems.append(Problem(int(row), cid, "customer_id",
                                        f"customer already listed for {yr} in {where}"))
            else:
                seen[(cid, yr)] = f"{f.attrs['file']} row {row}"
    if problems:
        raise InputTableError(", ".join(f.attrs["file"] for f in frames), problems)
    out = pd.concat(frames, ignore_index=True)
    out["tier"] = pd.Categorical(out["tier"], categories=list(TIERS))
    return _finish(out, ", ".join(f.attrs["file"] for f in frames),
                   np.concatenate([f.attrs["rows"] for f in frames]))


def history_from_tiering(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """A tiered table (``Tiering.table``) as one year of history, without reading a file."""
    keep = [c for c in HISTORY_COLUMNS if c in table and c not in ("gold_eligible", "silver_eligible",
                                                                   "reason", "gold_criteria", "silver_criteria")]
    out = table[keep].copy()
    out.insert(1, "year", np.int64(year))
    for side in ("gold", "silver"):
        if f"{side}_criteria" in table:
            out[f"{side}_bits"] = table[f"{side}_criteria"].cat.codes.to_numpy().astype(np.int16)
    out["tier"] = pd.Categorical(out["tier"].astype(str), categories=list(TIERS))
    return _finish(out, f"<tier list {year}>", np.arange(len(out)) + 2)


# ----------------------------------------------------------------------------- overrides
def validate_overrides(raw: pd.DataFrame, book_ids, file: str = "<overrides>") -> pd.DataFrame:
    """Check head office's overrides (第12条: head office rates, the GM office approves).

    Parameters
    ----------
    raw : DataFrame
        Columns customer_id (客户号), action (操作: in/纳入 or out/剔除), tier (层级: gold/金牌
        or silver/银牌), reason (理由), approver (批准人), date (批准日期).
    book_ids : iterable of str
        Customer ids of this year's book: an override naming anyone else is refused.

    Returns
    -------
    DataFrame
        The overrides in canonical form (``date`` as ``datetime.date``).

    Raises
    ------
    InputTableError
        Unknown customer, unknown action or tier, blank reason/approver, ambiguous date, two
        overrides of the same customer.
    """
    df = _rename(raw, OVERRIDE_COLUMNS, file)
    problems = [Problem(None, None, c, f"required column is missing ({label})")
                for c, (label, _) in OVERRIDE_COLUMNS.items() if c not in df]
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    known = pd.Index(pd.unique(np.asarray(book_ids, dtype=object)))
    unknown = ids.ne("") & ~ids.isin(known)
    for i in np.flatnonzero(unknown.to_numpy())[:50]:
        problems.append(Problem(int(rows[i]), id_list[i], "customer_id",
                                "customer is not in this year's book; an override must name a customer of the book"))
    words = _text(df["action"]).str.lower()
    action = words.map(_ACTION_OF_WORD)
    for i in np.flatnonzero(action.isna().to_numpy())[:50]:
        problems.append(Problem(int(rows[i]), id_list[i] or None, "action",
                                f"'{df['action'].iloc[i]}' is not an action; write in (纳入) or out (剔除)"))
    tier = _tiers(df["tier"], "tier", rows, id_list, problems, allowed=("gold", "silver"))
    texts = {}
    for col in ("reason", "approver"):
        texts[col] = _text(df[col])
        for i in np.flatnonzero(texts[col].eq("").to_numpy())[:50]:
            problems.append(Problem(int(rows[i]), id_list[i] or None, col,
                                    f"required value is missing (every override states its {col})"))
    date = _dates(df["date"], "date", rows, id_list, problems, required=True)
    _duplicates(ids[ids.ne("")], rows[ids.ne("").to_numpy()], [i for i in id_list if i], problems,
                "customer_id", "the same customer overridden twice; keep one decision per customer")
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputTableError(file, problems)
    out = pd.DataFrame({"customer_id": ids.to_numpy(), "action": action.to_numpy(), "tier": tier,
                        "reason": texts["reason"].to_numpy(), "approver": texts["approver"].to_numpy(),
                        "date": date})
    return _finish(out, file, rows)


def read_overrides(path, book_ids) -> pd.DataFrame:
    """Read and validate an overrides file (.csv, .xlsx, .parquet); see :func:`validate_overrides`."""
    return validate_overrides(read_table(path), book_ids, str(path))


# ----------------------------------------------------------------------------- nominations
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
    df = _rename(raw, NOMINATION_COLUMNS, file)
    problems = [Problem(None, None, c, f"required column is missing ({NOMINATION_COLUMNS[c][0]})")
                for c in ("customer_id", "branch") if c not in df]
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    ids = _ids(df, rows, problems)
    id_list = ids.tolist()
    branch_of = pd.Series(book["branch"].to_numpy(), index=book["customer_id"].to_numpy())
    served = ids.map(branch_of)
    branch = _text(df["branch"])
    for i in np.flatnonzero((ids.ne("") & served.isna()).to_numpy())[:50]:
        problems.append(Problem(int(rows[i]), id_list[i], "customer_id",
                                "customer is not in this year's book; only customers of the book can be nominated"))
    clash = served.notna() & (served != branch)
    for i in np.flatnonzero(clash.to_numpy())[:50]:
        rule = ("required value is missing" if branch.iloc[i] == ""
                else f"nominated by {branch.iloc[i]} but served by {served.iloc[i]}; a branch nominates its own customers (第12条 1)")
        problems.append(Problem(int(rows[i]), id_list[i], "branch", rule))
    date = (_dates(df["date"], "date", rows, id_list, problems, required=False) if "date" in df
            else np.full(len(df), None, dtype=object))
    _duplicates(ids[ids.ne("")], rows[ids.ne("").to_numpy()], [i for i in id_list if i], problems,
                "customer_id", "customer nominated twice")
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputTableError(file, problems)
    out = pd.DataFrame({"customer_id": ids.to_numpy(), "branch": branch.to_numpy(), "date": date})
    if "note" in df:
        out["note"] = _text(df["note"]).to_numpy()
    return _finish(out, file, rows)


def read_nominations(path, book: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a nominations file; see :func:`validate_nominations`."""
    return validate_nominations(read_table(path), book, str(path))
