"""The assessment's input tables — service events, survey answers, complaints, executives:
schemas, validation, readers and seeded generators for the bundled sample.

Glossary of columns (English name — Chinese label — meaning):

==================  ===========  ==============================================================
column              label        meaning
==================  ===========  ==============================================================
*service event log*
event_id            事件编号     optional id of the event
customer_id         客户号       customer served (must be in the portfolio)
service_type        服务类型     one of :data:`SERVICE_TYPES` (English key or Chinese label)
start_date          开始日期     day the request was complete (受理), year first: 2025-03-04,
                                 2025/3/4, 2025年3月4日 (03/04/2025 only with a date format)
end_date            结束日期     day the service was done (办结), ≥ start_date
extra_large         特大型客户   optional yes/no: VIP policy issuance may take 7 days (第18条)
*satisfaction survey*
customer_id         客户号       customer surveyed
answer              满意度       非常满意 / 满意 / 一般 / 不满意 (or the English level names)
surveyed_by         调查方       总公司 head_office or 分公司 branch (optional; default branch)
*complaint log*
complaint_id        投诉编号     optional id
complaint_date      投诉日期     date of the complaint
customer_id         客户号       customer who complained
person              被投诉人     the person complained about
role                岗位         后线 back_office or 业务员 salesperson (第34条 ① / ②)
department          部门         the person's department (optional)
department_head     部门负责人   head of that department (back office: pay deduction, 第34条 ①)
verified            经核实       optional yes/no; only verified complaints count (第34条)
below_vip_standard  未按VIP标准服务 optional yes/no; back office is sanctioned only for VIP
                                 service below standard (第34条 ①); absent = no
misleading          误导行为     optional yes/no; a salesperson is sanctioned only for verified
                                 misleading conduct (第34条 ②); absent = no
*executive table*
executive_id        人员编号     unique id
name                姓名         optional
role                职务         gm_office 总经理室 / department_head 部门负责人 /
                                 branch_head 分公司团险负责人 (第23–25条)
branch              机构         the branch a branch head runs (blank for head office)
==================  ===========  ==============================================================

The service log may also carry ``disability_assessment`` (残疾鉴定, yes/no): a claim tied to a
disability assessment, exempt from the 7/15-day limits (第17条 3).

Row numbers in messages are as a spreadsheet shows them: header row 1, first data row 2.
Validation collects every problem and raises :class:`~tiermodel.errors.InputTableError`
naming file, row, customer, column and rule; nothing is returned half-checked.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputTableError, Problem
from .io import ReadOptions, read_table
from .portfolio import FALSE_WORDS, TRUE_WORDS, Column, rename_columns
from .vocabulary import (ANSWER_LEVELS, COMPLAINT_ROLES, EXECUTIVE_ROLES,  # noqa: F401
                         HEAD_OFFICE_DEPARTMENTS, SERVICE_TYPES, SURVEYORS)
from .vocabulary import DELIVERY_SERVICES, HOTLINE_KINDS

ANSWER_ALIASES = {"不满": "dissatisfied"}
#: Earlier labels of the claim service types, still read (the text's words are 一般理赔案件 / 调查案件).
SERVICE_TYPE_ALIASES = {"普通理赔": "claim_ordinary", "调查理赔": "claim_investigated",
                        "一般理赔": "claim_ordinary"}

SERVICE_LOG_SCHEMA = [
    Column("event_id", "事件编号", "id", False, "event id"),
    Column("customer_id", "客户号", "customer", True, "customer served"),
    Column("service_type", "服务类型", "service_type", True, "service type (第17–18条)"),
    Column("start_date", "开始日期", "date", True, "request complete [date]"),
    Column("end_date", "结束日期", "date", True, "service done [date]"),
    Column("extra_large", "特大型客户", "bool", False, "extra-large customer (第18条 1②)"),
    Column("disability_assessment", "残疾鉴定", "bool", False, "claim tied to a disability assessment (第17条 3)"),
]
SURVEY_SCHEMA = [
    Column("customer_id", "客户号", "customer", True, "customer surveyed"),
    Column("answer", "满意度", "answer", True, "satisfaction level (第35条)"),
    Column("surveyed_by", "调查方", "surveyor", False, "head_office or branch"),
]
COMPLAINT_SCHEMA = [
    Column("complaint_id", "投诉编号", "id", False, "complaint id"),
    Column("complaint_date", "投诉日期", "date", True, "date of the complaint [date]"),
    Column("customer_id", "客户号", "customer", True, "customer who complained"),
    Column("person", "被投诉人", "text", True, "person complained about"),
    Column("role", "岗位", "complaint_role", True, "back_office or salesperson (第34条)"),
    Column("department", "部门", "optional_text", False, "department of the person"),
    Column("department_head", "部门负责人", "optional_text", False, "head of the department"),
    Column("verified", "经核实", "bool", False, "verified complaint (第34条)"),
    Column("below_vip_standard", "未按VIP标准服务", "bool", False,
           "back office: VIP service below standard (第34条 ①)"),
    Column("misleading", "误导行为", "bool", False,
           "salesperson: misleading conduct verified (第34条 ②)"),
]
EXECUTIVE_SCHEMA = [
    Column("executive_id", "人员编号", "text", True, "executive id"),
    Column("name", "姓名", "optional_text", False, "name"),
    Column("role", "职务", "executive_role", True, "gm_office, department_head or branch_head"),
    Column("branch", "机构", "optional_text", False, "branch of a branch head"),
]


def _vocabulary(mapping: dict[str, str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted spellings (English key, Chinese label, aliases) → English key."""
    out = {k: k for k in mapping}
    out.update({v: k for k, v in mapping.items()})
    out.update(aliases or {})
    return out


VOCABULARIES = {
    "service_type": (_vocabulary(SERVICE_TYPES, SERVICE_TYPE_ALIASES), "unknown service type"),
    "answer": (_vocabulary(ANSWER_LEVELS, ANSWER_ALIASES), "unknown satisfaction level"),
    "surveyor": (_vocabulary(SURVEYORS), "unknown surveyor"),
    "complaint_role": (_vocabulary(COMPLAINT_ROLES), "unknown role"),
    "executive_role": (_vocabulary(EXECUTIVE_ROLES), "unknown role"),
}


# ----------------------------------------------------------------------------- validation
def _text(series: pd.Series) -> pd.Series:
    s = series.astype(object).where(~pd.isna(series), "").astype(str).str.strip()
    return s.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(series) else s


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
    text = _text(raw).str.normalize("NFKC").reset_index(drop=True)
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    reasons = pd.Series([""] * n, dtype=object)
    if is_stamp.any():
        dates[is_stamp] = pd.to_datetime(obj[is_stamp].to_numpy().tolist()).normalize()
    todo = ~is_stamp & text.ne("").to_numpy()
    if date_format:
        parsed = pd.to_datetime(text.where(todo, None), format=date_format, errors="coerce")
        dates[todo] = parsed[todo].dt.normalize()
        bad = todo & parsed.isna().to_numpy()
        reasons[bad] = [f"'{t}' is not a date in the format {date_format}" for t in text[bad]]
        return dates, reasons
    parts = text.str.extract(f"^{_YEAR_FIRST}$")
    year_first = todo & parts["y"].notna().to_numpy()
    if year_first.any():
        ymd = parts.loc[year_first, ["y", "m", "d"]].astype(int)
        parsed = pd.to_datetime(dict(year=ymd["y"], month=ymd["m"], day=ymd["d"]), errors="coerce")
        dates[year_first] = parsed.to_numpy()
        bad = year_first & dates.isna().to_numpy()
        reasons[bad] = [f"'{t}' is not a date (no such day)" for t in text[bad]]
    rest = todo & ~year_first
    day_month = rest & text.str.fullmatch(_DAY_MONTH).to_numpy(dtype=bool)
    reasons[day_month] = [f"'{t}' is ambiguous (day/month or month/day?); write YYYY-MM-DD or give "
                          f"--date-format (%d/%m/%Y or %m/%d/%Y)" for t in text[day_month]]
    other = rest & ~day_month
    reasons[other] = [f"'{t}' is not a date (write YYYY-MM-DD)" for t in text[other]]
    return dates, reasons


def validate_log(raw: pd.DataFrame, schema: list[Column], file: str = "<log>",
                 customers: pd.Series | None = None, date_format: str | None = None) -> pd.DataFrame:
    """Check a raw log against ``schema`` and return the canonical table (a new frame).

    Parameters
    ----------
    raw : DataFrame
        As read; English column names or the Chinese labels of the schema.
    schema : list of Column
        :data:`SERVICE_LOG_SCHEMA`, :data:`SURVEY_SCHEMA`, :data:`COMPLAINT_SCHEMA` or
        :data:`EXECUTIVE_SCHEMA`.
    file : str
        Name used in messages.
    customers : Series of str, optional
        Customer ids of the portfolio; a log row naming another customer is refused.
    date_format : str, optional
        Format of day-first or month-first text dates (``%d/%m/%Y``); see :func:`parse_dates`.

    Returns
    -------
    DataFrame
        A new frame with the schema's columns present in ``raw``: English keys for
        vocabularies, dates as datetimes, yes/no as bool, text stripped.

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (end before start, unknown
        service type, unknown customer, unreadable date, missing value, ...).
    """
    df = rename_columns(raw, schema, file)
    problems = [Problem(None, None, c.name, f"required column is missing ({c.label}, {c.description})")
                for c in schema if c.required and c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    n = len(df)
    if n == 0:
        raise InputTableError(file, [Problem(None, None, None, "the table has a header but no rows")])
    rows = np.arange(n) + int(raw.attrs.get("first_row", 2))
    ids = _text(df["customer_id"]) if "customer_id" in df else pd.Series([""] * n)
    id_list = [i or None for i in ids.tolist()]
    known = set(customers.astype(str)) if customers is not None else None
    out = pd.DataFrame(index=pd.RangeIndex(n))

    def problem(i, column, rule):
        problems.append(Problem(int(rows[i]), id_list[i], column, rule))

    for col in schema:
        if col.name not in df:
            continue
        raw_col = df[col.name]
        text = _text(raw_col)
        blank = text.eq("").to_numpy()
        if col.required and col.kind not in ("bool",):
            for i in np.flatnonzero(blank)[:50]:
                problem(i, col.name, "required value is missing")
        if col.kind == "customer":
            if known is not None:
                # set membership row by row: a str column's isin turns each of the known ids
                # into an Arrow scalar first (seconds a log for a million customers)
                listed = np.fromiter((v in known for v in text.to_numpy(dtype=object)), dtype=bool,
                                     count=len(text))
                for i in np.flatnonzero(~listed & ~blank)[:50]:
                    problem(i, col.name, f"unknown customer '{text.iloc[i]}': not in the portfolio")
            out[col.name] = text.to_numpy()
        elif col.kind in VOCABULARIES:
            vocab, what = VOCABULARIES[col.kind]
            mapped = text.map(vocab)
            for i in np.flatnonzero(mapped.isna().to_numpy() & ~blank)[:50]:
                keys = sorted({v for v in vocab.values()})
                problem(i, col.name, f"{what} '{text.iloc[i]}'; must be one of {', '.join(keys)}")
            out[col.name] = mapped.to_numpy(dtype=object)
        elif col.kind == "date":
            dates, reasons = parse_dates(raw_col, date_format)
            for i in np.flatnonzero(reasons.ne("").to_numpy() & ~blank)[:50]:
                problem(i, col.name, reasons.iloc[i])
            out[col.name] = dates.to_numpy()
        elif col.kind == "bool":  # optional flags: a blank is "no"
            words = text.str.normalize("NFKC").str.lower()
            is_true, is_false = words.isin(TRUE_WORDS), words.isin(FALSE_WORDS) | words.eq("")
            for i in np.flatnonzero(~(is_true | is_false).to_numpy())[:50]:
                problem(i, col.name, f"'{text.iloc[i]}' is not a yes/no value (true/false, 1/0, 是/否)")
            out[col.name] = is_true.to_numpy()
        else:  # id, text, optional_text
            out[col.name] = text.to_numpy()
    if "start_date" in out and "end_date" in out:
        before = (out["end_date"] < out["start_date"]).to_numpy()
        for i in np.flatnonzero(before)[:50]:
            problem(i, "end_date", f"end date {out['end_date'].iloc[i]:%Y-%m-%d} is before the start "
                                   f"date {out['start_date'].iloc[i]:%Y-%m-%d}")
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)
    return out


def validate_executives(raw: pd.DataFrame, file: str = "<executives>",
                        branches: pd.Series | None = None) -> pd.DataFrame:
    """Check an executive table (第23–25条): unique ids, known roles, a known branch for
    every branch head and none listed twice for one branch.

    Parameters
    ----------
    raw : DataFrame
        As read; English column names or the Chinese labels of :data:`EXECUTIVE_SCHEMA`.
    file : str
        Name used in messages.
    branches : Series of str, optional
        Branches of the portfolio; a branch head of another branch is refused.

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
    out = validate_log(raw, EXECUTIVE_SCHEMA, file)
    if "branch" not in out:
        out["branch"] = ""
    problems = []
    rows = np.arange(len(out)) + int(raw.attrs.get("first_row", 2))
    for i in np.flatnonzero(out["executive_id"].duplicated().to_numpy()):
        problems.append(Problem(int(rows[i]), None, "executive_id",
                                f"executive '{out['executive_id'].iloc[i]}' listed twice"))
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


def read_log(path: str | Path, kind: str, customers: pd.Series | None = None,
             sheet: str | int | None = None, options: ReadOptions | None = None,
             branches: pd.Series | None = None) -> pd.DataFrame:
    """Read and validate an event file (.csv, .xlsx, .parquet) (第17–18条, 第23–25条, 第34–35条).

    Parameters
    ----------
    path : path
        The file; English or Chinese headers.
    kind : {"service", "survey", "complaints", "executives"}
        Which table it holds.
    customers : Series of str, optional
        Customer ids of the portfolio; a row naming another customer is refused.
    sheet : str or int, optional
        Sheet of a workbook (default: ``options.sheet``, else the first).
    options : ReadOptions, optional
        How to read an odd extract (encoding, header row, sheet, date format).
    branches : Series of str, optional
        Branches of the portfolio (for the executive table's branch heads).

    Returns
    -------
    DataFrame
        The canonical table of :func:`validate_log` (or :func:`validate_executives`).

    Raises
    ------
    InputTableError
        The file cannot be read, or a row breaks a rule (file, row, customer, column named).
    """
    schemas = {"service": SERVICE_LOG_SCHEMA, "survey": SURVEY_SCHEMA, "complaints": COMPLAINT_SCHEMA,
               "executives": EXECUTIVE_SCHEMA}
    if kind not in schemas:
        raise ValueError(f"kind must be one of service, survey, complaints, executives; not {kind!r}")
    o = options or ReadOptions()
    names = [c.name for c in schemas[kind]] + [c.label for c in schemas[kind]]
    raw = read_table(path, sheet if sheet is not None else o.sheet, encoding=o.encoding,
                     header_row=o.header_row, columns=names)
    if kind == "executives":
        return validate_executives(raw, str(path), branches)
    return validate_log(raw, schemas[kind], str(path), customers, o.date_format)


# ----------------------------------------------------------------------------- seeded samples
SAMPLE_YEAR = 2025  # inside the calendar data (the 2003 policy year is not)


def _dates(rng: np.random.Generator, n: int, year: int) -> np.ndarray:
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    return start + rng.integers(0, days - 25, n).astype("timedelta64[D]")


def sample_service_log(tiers: pd.DataFrame, seed: int = 2003, n_events: int = 6000,
                       year: int = SAMPLE_YEAR) -> pd.DataFrame:
    """A seeded service event log over ``year`` for the customers of a tier table.

    VIP customers get more events; durations in calendar days are drawn so that most events
    meet their 第17–18条 limit and a few per cent breach it.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same log.
    n_events : int
        Events to draw.
    year : int
        Year of the start dates [year]; must lie within the holiday calendar's years.

    Returns
    -------
    DataFrame
        Columns of :data:`SERVICE_LOG_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 6, 1])
    weight = np.where(tiers["tier"].astype(str).to_numpy() == "regular", 1.0, 8.0)
    cust = rng.choice(len(tiers), size=n_events, p=weight / weight.sum())
    types = np.array(list(SERVICE_TYPES))
    type_p = np.array([0.15, 0.20, 0.15, 0.25, 0.05, 0.15, 0.05])
    service = rng.choice(types, size=n_events, p=type_p)
    typical = pd.Series({"policy_issuance": 4, "policy_change": 3, "simple_information_change": 0,
                         "claim_ordinary": 7, "claim_investigated": 14, "hotline_enquiry": 0,
                         "hotline_complaint": 3})[service].to_numpy()
    spread = rng.geometric(0.45, n_events) - 1  # extra calendar days, mostly 0–2
    quick = rng.random(n_events) < 0.85  # most same-day services are done the same day
    calendar_days = np.where(typical == 0, np.where(quick, 0, spread), typical + spread - 1)
    start = _dates(rng, n_events, year)
    end = start + np.maximum(calendar_days, 0).astype("timedelta64[D]")
    return pd.DataFrame({
        "event_id": [f"E{i:06d}" for i in range(1, n_events + 1)],
        "customer_id": tiers["customer_id"].to_numpy()[cust],
        "service_type": service,
        "start_date": pd.to_datetime(start),
        "end_date": pd.to_datetime(end),
        "extra_large": (service == "policy_issuance") & (rng.random(n_events) < 0.05),
    })


def sample_survey(tiers: pd.DataFrame, seed: int = 2003, regular_sample: int = 1500) -> pd.DataFrame:
    """Seeded survey answers: every VIP surveyed by its branch, Gold and Silver also by head
    office (第18条 2⑩: at least one VIP survey a year); a random sample of regular customers
    surveyed by branches.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same answers.
    regular_sample : int
        Regular customers surveyed [customers].

    Returns
    -------
    DataFrame
        Columns of :data:`SURVEY_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 6, 2])
    tier = tiers["tier"].astype(str).to_numpy()
    vip = np.flatnonzero(tier != "regular")
    regular = np.flatnonzero(tier == "regular")
    regular = rng.choice(regular, size=min(regular_sample, len(regular)), replace=False)
    who = np.concatenate([vip, vip, np.sort(regular)])
    surveyed_by = np.array(["head_office"] * len(vip) + ["branch"] * (len(vip) + len(regular)))
    levels = np.array(list(ANSWER_LEVELS))
    p_vip, p_regular = [0.80, 0.19, 0.01, 0.0], [0.34, 0.60, 0.05, 0.01]
    is_vip = tier[who] != "regular"
    draw = rng.random(len(who))
    cum = np.where(is_vip[:, None], np.cumsum(p_vip), np.cumsum(p_regular))
    answer = levels[np.minimum((draw[:, None] > cum).sum(axis=1), 3)]
    return pd.DataFrame({"customer_id": tiers["customer_id"].to_numpy()[who], "answer": answer,
                         "surveyed_by": surveyed_by})


def sample_complaints(tiers: pd.DataFrame, seed: int = 2003, n_complaints: int = 50,
                      year: int = SAMPLE_YEAR) -> pd.DataFrame:
    """A seeded complaint log (第34条): back-office staff in four head-office/branch
    departments and salespersons; a few complaints not verified, a few from regular
    customers, some back-office ones not about VIP service below standard and some salesperson
    ones without misleading conduct (all of these carry no consequence).

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``; complaints come from VIPs, about one in
        ten from regular customers.
    seed : int
        Seed; the same seed gives the same log.
    n_complaints : int
        Complaints to draw.
    year : int
        Year of the complaint dates [year].

    Returns
    -------
    DataFrame
        Columns of :data:`COMPLAINT_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 6, 3])
    vip = np.flatnonzero(tiers["tier"].astype(str).to_numpy() != "regular")
    if not len(vip):  # a book without VIPs: its complaints come from regular customers (outside 第34条 ①)
        vip = np.arange(len(tiers))
    cust = rng.choice(vip, size=n_complaints)
    is_sales = rng.random(n_complaints) < 0.45
    # most staff draw one complaint; a few repeat offenders draw several
    back_staff = np.where(rng.random(n_complaints) < 0.25, rng.integers(1, 4, n_complaints),
                          rng.integers(1, 31, n_complaints))
    sales_staff = np.where(rng.random(n_complaints) < 0.25, rng.integers(1, 3, n_complaints),
                           rng.integers(1, 41, n_complaints))
    departments = np.array(["契约部", "保全部", "理赔部", "客户服务部"])
    dept = departments[(back_staff - 1) % 4]
    date = np.sort(_dates(rng, n_complaints, year))
    person = np.where(is_sales, np.char.add("业务员", sales_staff.astype(str).astype("U3")),
                      np.char.add("后线", back_staff.astype(str).astype("U3")))
    regular = np.flatnonzero(tiers["tier"].astype(str).to_numpy() == "regular")
    from_regular = (rng.random(n_complaints) < 0.1) & (len(regular) > 0)
    if from_regular.any():  # a regular customer's complaint: outside 第34条 ①
        cust = np.where(from_regular, rng.choice(regular, size=n_complaints), cust)
    return pd.DataFrame({
        "complaint_id": [f"K{i:04d}" for i in range(1, n_complaints + 1)],
        "complaint_date": pd.to_datetime(date),
        "customer_id": tiers["customer_id"].to_numpy()[cust],
        "person": person,
        "role": np.where(is_sales, "salesperson", "back_office"),
        "department": np.where(is_sales, "营业部", dept),
        "department_head": np.where(is_sales, "", np.char.add(dept.astype(str), "负责人")),
        "verified": rng.random(n_complaints) < 0.9,
        # 第34条 scope: most back-office complaints are about VIP service below standard, about
        # half the salesperson complaints involve verified misleading conduct
        "below_vip_standard": ~is_sales & (rng.random(n_complaints) < 0.85),
        "misleading": is_sales & (rng.random(n_complaints) < 0.5),
    })


def sample_executives(branches: pd.Series | list[str], gm_office_members: int) -> pd.DataFrame:
    """The executive table of the sample: the head-office GM office (one general manager and
    deputies, 第23条), the six department heads of 第24条 and one group-insurance head per
    branch (第25条).

    Parameters
    ----------
    branches : Series or list of str
        Branches of the portfolio (one head each).
    gm_office_members : int
        Members of the GM office [persons] (``executive_quotas.gm_office_members``, assumed).

    Returns
    -------
    DataFrame
        Columns of :data:`EXECUTIVE_SCHEMA`.
    """
    rows = [(f"GM{i}", "总经理" if i == 1 else f"副总经理{i - 1}", "gm_office", "")
            for i in range(1, gm_office_members + 1)]
    rows += [(f"DH{i}", f"{d}负责人", "department_head", "")
             for i, d in enumerate(HEAD_OFFICE_DEPARTMENTS, start=1)]
    rows += [(f"BH{i:02d}", f"{b}团险负责人", "branch_head", b)
             for i, b in enumerate(sorted(set(branches)), start=1)]
    return pd.DataFrame(rows, columns=["executive_id", "name", "role", "branch"])


# ----------------------------------------------------------------------------- a run's logs
@dataclass
class AssessmentLogs:
    """The four validated input tables of an assessment run and where each came from."""

    service: pd.DataFrame
    survey: pd.DataFrame
    complaints: pd.DataFrame
    executives: pd.DataFrame
    sources: dict


def load_assessment_logs(tiers: pd.DataFrame, service_log: str | Path | None = None,
                         survey: str | Path | None = None, complaints: str | Path | None = None,
                         executives: str | Path | None = None, seed: int = 2003,
                         year: int = SAMPLE_YEAR, gm_office_members: int = 4,
                         options: ReadOptions | None = None) -> AssessmentLogs:
    """Read and validate each event table given as a file, or draw its seeded sample.

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``); every table's customers and
        branch heads' branches must be in it.
    service_log, survey, complaints, executives : path, optional
        The files; None or "" draws the seeded sample instead.
    seed : int
        Seed of the samples.
    year : int
        Year of the sample logs [year].
    gm_office_members : int
        GM-office members of the sample executive table [persons]
        (``executive_quotas.gm_office_members`` of the policy, assumed; 第23条).
    options : ReadOptions, optional
        Of these the encoding and the date format apply (headers are detected, the first
        sheet is read).

    Returns
    -------
    AssessmentLogs
        The four validated tables and, in ``sources``, where each came from.

    Raises
    ------
    InputTableError
        A file cannot be read or breaks a rule (file, row, customer, column named).
    """
    ids = tiers["customer_id"]
    out, sources = {}, {}
    if options is not None:  # the header row and sheet options are the customer table's
        options = ReadOptions(encoding=options.encoding, date_format=options.date_format)
    samples = {"service": lambda: sample_service_log(tiers, seed, year=year),
               "survey": lambda: sample_survey(tiers, seed),
               "complaints": lambda: sample_complaints(tiers, seed, year=year)}
    schemas = {"service": SERVICE_LOG_SCHEMA, "survey": SURVEY_SCHEMA, "complaints": COMPLAINT_SCHEMA}
    for kind, path in (("service", service_log), ("survey", survey), ("complaints", complaints)):
        if path:
            out[kind], sources[kind] = read_log(path, kind, ids, options=options), str(path)
        else:
            label = f"sample {kind} log (seed={seed}, year={year})"
            out[kind], sources[kind] = validate_log(samples[kind](), schemas[kind], label, ids), label
    if executives:
        out["executives"] = read_log(executives, "executives", options=options, branches=tiers["branch"])
        sources["executives"] = str(executives)
    else:
        out["executives"] = validate_executives(sample_executives(tiers["branch"], gm_office_members), "sample executives",
                                                tiers["branch"])
        sources["executives"] = "sample executives"
    return AssessmentLogs(sources=sources, **out)


# ============================================================================= service delivery
# The delivery table (附件二/四), the VIP hotline log (附件五) and the policy table with its
# renewal reminders and notices (第17条 4–5): schemas, validation and seeded samples.
#
# ==================  ===========  ==============================================================
# column              label        meaning
# ==================  ===========  ==============================================================
# *delivery table*
# delivery_id         服务编号     optional id
# customer_id         客户号       VIP customer served
# service             服务项目     a catalogue service (:data:`DELIVERY_SERVICES`, key or label)
# date                服务日期     day delivered
# cost_cny            费用         cost [CNY, ≥ 0]
# executives          陪同领导     revisits: executive ids who attended, separated by ; or 、
# *hotline log*
# call_id             来电编号     optional id
# customer_id         客户号       caller's customer
# kind                类型         咨询 enquiry or 投诉 complaint
# received_date       受理日期     day received
# answered_date       答复日期     day answered (blank: not answered)
# complaint_id        投诉编号     optional link to the complaint log (第34条)
# *policy table*
# policy_id           保单号       policy
# customer_id         客户号       policyholder
# expiry_date         满期日期     expiry
# reminder_date       续保提醒日期 renewal reminder sent (第17条 4; blank: none)
# renewed             已续保       optional yes/no: renewed (no maturity notice due)
# lapse_date          失效日期     optional: the policy lapsed on that day
# notice_date         通知日期     maturity or lapse notice sent (第17条 5)
# ==================  ===========  ==============================================================
DELIVERY_SCHEMA = [
    Column("delivery_id", "服务编号", "id", False, "delivery id"),
    Column("customer_id", "客户号", "customer", True, "VIP customer served"),
    Column("service", "服务项目", "delivery_service", True, "catalogue service (第18–19条)"),
    Column("date", "服务日期", "date", True, "day delivered [date]"),
    Column("cost_cny", "费用", "text", True, "cost [CNY]"),
    Column("executives", "陪同领导", "optional_text", False, "executives at a revisit (第23–25条)"),
]
HOTLINE_SCHEMA = [
    Column("call_id", "来电编号", "id", False, "call id"),
    Column("customer_id", "客户号", "customer", True, "caller's customer"),
    Column("kind", "类型", "hotline_kind", True, "enquiry or complaint (第18条 2①)"),
    Column("received_date", "受理日期", "date", True, "day received [date]"),
    Column("answered_date", "答复日期", "date", False, "day answered [date]"),
    Column("complaint_id", "投诉编号", "optional_text", False, "complaint log id (第34条)"),
]
POLICY_SCHEMA = [
    Column("policy_id", "保单号", "text", True, "policy"),
    Column("customer_id", "客户号", "customer", True, "policyholder"),
    Column("expiry_date", "满期日期", "date", True, "expiry [date]"),
    Column("reminder_date", "续保提醒日期", "date", False, "renewal reminder sent [date] (第17条 4)"),
    Column("renewed", "已续保", "bool", False, "renewed at expiry"),
    Column("lapse_date", "失效日期", "date", False, "lapse [date]"),
    Column("notice_date", "通知日期", "date", False, "maturity or lapse notice sent [date] (第17条 5)"),
]
VOCABULARIES["delivery_service"] = (_vocabulary(DELIVERY_SERVICES), "unknown service name")
VOCABULARIES["hotline_kind"] = (_vocabulary(HOTLINE_KINDS), "unknown call kind")
_SEPARATORS = r"[;；、,，\s]+"


def _year_problems(out: pd.DataFrame, columns, year: int | None, ids: list) -> list[Problem]:
    if year is None:
        return []
    problems = []
    for column in columns:
        if column not in out:
            continue
        d = pd.to_datetime(out[column])
        bad = (d.dt.year != year).to_numpy() & d.notna().to_numpy()
        for i in np.flatnonzero(bad)[:50]:
            problems.append(Problem(int(i) + 2, ids[i], column,
                                    f"{d.iloc[i]:%Y-%m-%d} is outside the year {year} of the record"))
    return problems


def _checked(raw: pd.DataFrame, schema: list[Column], file: str,
             customers: pd.Series | None) -> tuple[pd.DataFrame, list[Problem]]:
    """:func:`validate_log`, but a table with row problems comes back parsed as far as it
    can be, with its problems, so the caller's own checks add theirs (every problem at once)."""
    try:
        return validate_log(raw, schema, file, customers), []
    except InputTableError as exc:
        if any(p.row is None for p in exc.problems):  # a missing column: nothing more to check
            raise
        problems = list(exc.problems)
    df = rename_columns(raw, schema, file)
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for col in schema:
        if col.name not in df:
            continue
        text = _text(df[col.name])
        if col.kind == "date":
            out[col.name] = pd.to_datetime(text.where(text.ne("")), errors="coerce").to_numpy()
        elif col.kind == "bool":
            out[col.name] = text.str.lower().isin(TRUE_WORDS).to_numpy()
        elif col.kind in VOCABULARIES:
            out[col.name] = text.map(VOCABULARIES[col.kind][0]).fillna(text).to_numpy()
        else:
            out[col.name] = text.to_numpy()
    return out, problems


def validate_delivery(raw: pd.DataFrame, file: str = "<delivery>", customers: pd.Series | None = None,
                      year: int | None = None, executives: pd.Series | None = None) -> pd.DataFrame:
    """Check a delivery table (附件二/四, 第18–19条) and return the canonical table.

    Parameters
    ----------
    raw : DataFrame
        As read; English names or the Chinese labels of :data:`DELIVERY_SCHEMA`.
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
        outside the year, negative or unreadable cost, unknown customer or executive.
    """
    out, problems = _checked(raw, DELIVERY_SCHEMA, file, customers)
    ids = [i or None for i in out["customer_id"].tolist()]
    problems += _year_problems(out, ["date"], year, ids)
    text = out["cost_cny"].astype(str).str.replace(",", "", regex=False).str.strip()
    cost = pd.to_numeric(text, errors="coerce")
    for i in np.flatnonzero(~np.isfinite(cost.to_numpy(dtype=float)))[:50]:
        problems.append(Problem(int(i) + 2, ids[i], "cost_cny", f"'{text.iloc[i]}' is not an amount in CNY"))
    for i in np.flatnonzero((cost < 0).to_numpy())[:50]:
        problems.append(Problem(int(i) + 2, ids[i], "cost_cny", f"cost {cost.iloc[i]:g} is negative"))
    out["cost_cny"] = cost.to_numpy(dtype=float)
    if "executives" not in out:
        out["executives"] = ""
    out["executives"] = out["executives"].str.strip().str.replace(_SEPARATORS, ";", regex=True).str.strip(";")
    if executives is not None:
        known = set(executives.astype(str))
        for i, cell in enumerate(out["executives"].tolist()):
            for e in filter(None, cell.split(";")):
                if e not in known:
                    problems.append(Problem(i + 2, ids[i], "executives",
                                            f"unknown executive '{e}': not in the executive table"))
        has = out["executives"].ne("").to_numpy() & ~out["service"].str.startswith("revisit").to_numpy()
        for i in np.flatnonzero(has)[:50]:
            problems.append(Problem(int(i) + 2, ids[i], "executives",
                                    f"executives are recorded only for revisits, not '{out['service'].iloc[i]}'"))
    if "delivery_id" not in out:
        out["delivery_id"] = [f"D{i:07d}" for i in range(1, len(out) + 1)]
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)
    return out[[c.name for c in DELIVERY_SCHEMA]]


def validate_hotline(raw: pd.DataFrame, file: str = "<hotline>", customers: pd.Series | None = None,
                     year: int | None = None) -> pd.DataFrame:
    """Check a hotline log (附件五, 第18条 2①) and return the canonical table.

    Parameters
    ----------
    raw : DataFrame
        As read; English names or the Chinese labels of :data:`HOTLINE_SCHEMA`.
    file : str
        Name used in messages.
    customers : Series of str, optional
        Customer ids of the portfolio.
    year : int, optional
        Year of the log [year]; a call received in another year is refused.

    Returns
    -------
    DataFrame
        ``call_id``, ``customer_id``, ``kind`` (enquiry/complaint), ``received_date``,
        ``answered_date`` (NaT: not answered), ``complaint_id``.

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (answer before receipt, unknown kind, ...).
    """
    out, problems = _checked(raw, HOTLINE_SCHEMA, file, customers)
    ids = [i or None for i in out["customer_id"].tolist()]
    problems += _year_problems(out, ["received_date"], year, ids)
    if "answered_date" not in out:
        out["answered_date"] = pd.NaT
    before = (out["answered_date"] < out["received_date"]).to_numpy()
    for i in np.flatnonzero(before)[:50]:
        problems.append(Problem(int(i) + 2, ids[i], "answered_date",
                                f"answered {out['answered_date'].iloc[i]:%Y-%m-%d} before it was received "
                                f"{out['received_date'].iloc[i]:%Y-%m-%d}"))
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)
    for col, default in (("call_id", None), ("complaint_id", "")):
        if col not in out:
            out[col] = [f"H{i:06d}" for i in range(1, len(out) + 1)] if default is None else default
    return out[[c.name for c in HOTLINE_SCHEMA]]


def validate_policies(raw: pd.DataFrame, file: str = "<policies>",
                      customers: pd.Series | None = None) -> pd.DataFrame:
    """Check a policy table with its reminders and notices (第17条 4–5).

    Parameters
    ----------
    raw : DataFrame
        As read; English names or the Chinese labels of :data:`POLICY_SCHEMA`.
    file : str
        Name used in messages.
    customers : Series of str, optional
        Customer ids of the portfolio.

    Returns
    -------
    DataFrame
        Every column of :data:`POLICY_SCHEMA` (absent optional dates as NaT, ``renewed`` False).

    Raises
    ------
    InputTableError
        Every problem with row, customer, column and rule (a policy listed twice, a reminder
        after expiry, a lapse after expiry, ...).
    """
    out, problems = _checked(raw, POLICY_SCHEMA, file, customers)
    for col in ("reminder_date", "lapse_date", "notice_date"):
        if col not in out:
            out[col] = pd.NaT
    if "renewed" not in out:
        out["renewed"] = False
    ids = [i or None for i in out["customer_id"].tolist()]
    for i in np.flatnonzero(out["policy_id"].duplicated().to_numpy())[:50]:
        problems.append(Problem(int(i) + 2, ids[i], "policy_id", f"policy '{out['policy_id'].iloc[i]}' listed twice"))
    for col in ("reminder_date", "lapse_date"):
        late = (out[col] > out["expiry_date"]).to_numpy()
        for i in np.flatnonzero(late)[:50]:
            problems.append(Problem(int(i) + 2, ids[i], col, f"{out[col].iloc[i]:%Y-%m-%d} is after the expiry "
                                                             f"{out['expiry_date'].iloc[i]:%Y-%m-%d}"))
    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)
    return out[[c.name for c in POLICY_SCHEMA]]


def _vip_rows(tiers: pd.DataFrame) -> pd.DataFrame:
    return tiers.loc[tiers["tier"].astype(str).isin(["gold", "silver"]).to_numpy()].reset_index(drop=True)


def sample_delivery(tiers: pd.DataFrame, unit_costs: dict[str, float], executives: pd.DataFrame,
                    seed: int = 2003, year: int = SAMPLE_YEAR, short_share: float = 0.12,
                    take_up: dict[str, float] | None = None) -> pd.DataFrame:
    """A seeded delivery table over ``year`` (附件二/四): every VIP's services at roughly the
    第18–19条 minimum, with ``short_share`` of the VIPs missing some, and executives at revisits.

    The 第19条 services a customer may decline are recorded as an offer to every Gold customer
    (``health_check_offer``, ``club_event_invitation``, ``study_tour_invitation``, cost as
    ``unit_costs`` gives, 0 if absent) and attendances drawn with ``take_up``: each invited
    customer attends the club event and the study tour with probability ``take_up``, each
    first key person of an offered customer takes the health check with probability
    ``take_up`` (the 附件七 bases), so the cost matches the 附件七 estimate in expectation.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id``, ``branch``, ``tier``, ``first_service_objects``,
        ``second_service_objects``.
    unit_costs : dict of str to float
        Cost of one delivery of each service [CNY] (e.g. the catalogue's unit costs).
    executives : DataFrame
        Executive table (``executive_id``, ``role``, ``branch``).
    seed : int
        Seed; the same seed gives the same table.
    year : int
        Year of the dates [year].
    short_share : float
        Share of VIPs with a service below its minimum [share, 0–1].
    take_up : dict of str to float, optional
        Share of the offered who attend, by service [share, 0–1] (e.g. the catalogue's
        ``take_up``); a service absent: everyone offered attends.

    Returns
    -------
    DataFrame
        Columns of :data:`DELIVERY_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 13, 1])
    v = _vip_rows(tiers)
    n = len(v)
    gold = v["tier"].astype(str).eq("gold").to_numpy()
    first = v["first_service_objects"].to_numpy(dtype=np.int64) if "first_service_objects" in v else np.ones(n, int)
    second = v["second_service_objects"].to_numpy(dtype=np.int64) if "second_service_objects" in v else np.ones(n, int)
    # times a year per customer: (service, count per customer)
    plan = [("revisit", np.where(gold, 3, 2)), ("birthday_first_object", first),
            ("birthday_second_object", second), ("festival_gifts", 2 * (first + second)),
            ("monthly_mailing", np.full(n, 12)), ("policy_report", np.full(n, 2)),
            ("satisfaction_survey", np.ones(n, int)), ("health_check_offer", gold.astype(int)),
            ("club_event_invitation", gold.astype(int)), ("study_tour_invitation", gold.astype(int)),
            ("celebration_gift", (rng.random(n) < 0.2).astype(int)),
            ("hospital_visit", (rng.random(n) < 0.08).astype(int))]
    counts = np.stack([c for _, c in plan], axis=1).astype(np.int64)
    short = rng.random(n) < short_share
    which = rng.integers(0, 10, n)  # a minimum service (not celebration, hospital)
    counts[short, which[short]] = np.maximum(counts[short, which[short]] - rng.integers(1, 3, short.sum()), 0)
    names = np.array([s for s, _ in plan])
    cust = np.repeat(np.arange(n), counts.sum(axis=1))
    service = np.repeat(np.tile(names, n), counts.ravel())
    m = len(cust)
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    date = start + rng.integers(31, days, m).astype("timedelta64[D]")  # service from February (第12条)
    base = pd.Series({k: float(unit_costs.get(k, unit_costs.get(f"revisit_{'gold'}", 0.0))) for k in names})
    base["revisit"] = float(unit_costs.get("revisit_gold", 500.0))
    for offer in ("health_check_offer", "club_event_invitation", "study_tour_invitation"):
        base[offer] = float(unit_costs.get(offer, 0.0))  # an invitation costs nothing unless priced
    cost = np.round(base.reindex(service).to_numpy() * rng.uniform(0.8, 1.3, m), 0)
    # executives at revisits: a branch head at half of them, a GM-office member at a fifth of Gold ones
    ex = executives
    heads = dict(zip(ex.loc[ex["role"] == "branch_head", "branch"], ex.loc[ex["role"] == "branch_head", "executive_id"]))
    gms = ex.loc[ex["role"] == "gm_office", "executive_id"].to_numpy()
    deps = ex.loc[ex["role"] == "department_head", "executive_id"].to_numpy()
    branch = v["branch"].astype(str).to_numpy()[cust]
    is_rev = service == "revisit"
    draw = rng.random(m)
    who = np.full(m, "", dtype=object)
    head_of = np.array([heads.get(b, "") for b in branch], dtype=object)
    who[is_rev & (draw < 0.5)] = head_of[is_rev & (draw < 0.5)]
    g_rev = is_rev & gold[cust] & (draw >= 0.5) & (draw < 0.75) & (len(gms) > 0)
    if len(gms):
        who[g_rev] = gms[rng.integers(0, len(gms), g_rev.sum())]
    d_rev = is_rev & (draw >= 0.75) & (draw < 0.85) & (len(deps) > 0)
    if len(deps):
        who[d_rev] = deps[rng.integers(0, len(deps), d_rev.sum())]
    # attendance of the offered 第19条 services, on a stream of its own (the rows above keep
    # their draws): after the offer, within the year
    att = np.random.default_rng([seed, 13, 1, 1])
    extra = []
    for offer, taken, units in (("health_check_offer", "health_check", first),
                                ("club_event_invitation", "club_event", np.ones(n, np.int64)),
                                ("study_tour_invitation", "study_tour", np.ones(n, np.int64))):
        rows = np.flatnonzero(service == offer)
        k = att.binomial(units[cust[rows]], float((take_up or {}).get(taken, 1.0)))
        c = np.repeat(cust[rows], k)
        offered = np.repeat(date[rows], k)
        left = (np.datetime64(f"{year}-12-31") - offered).astype(np.int64)  # [days] to the year's end
        d = offered + np.floor(att.random(len(c)) * (left + 1)).astype(np.int64).astype("timedelta64[D]")
        e = np.round(float(unit_costs.get(taken, 0.0)) * att.uniform(0.8, 1.3, len(c)), 0)
        extra.append((c, np.full(len(c), taken, dtype=object), d, e))
    if extra:
        cust = np.concatenate([cust] + [x[0] for x in extra])
        service = np.concatenate([service.astype(object)] + [x[1] for x in extra])
        date = np.concatenate([date] + [x[2] for x in extra])
        cost = np.concatenate([cost] + [x[3] for x in extra])
        who = np.concatenate([who] + [np.full(len(x[0]), "", dtype=object) for x in extra])
        m = len(cust)
    order = np.lexsort((date, cust))
    return pd.DataFrame({
        "delivery_id": [f"D{i:07d}" for i in range(1, m + 1)],
        "customer_id": v["customer_id"].astype(str).to_numpy()[cust][order],
        "service": service[order],
        "date": pd.to_datetime(date[order]),
        "cost_cny": cost[order],
        "executives": who[order].astype(str),
    })


def sample_hotline(tiers: pd.DataFrame, seed: int = 2003, n_calls: int = 400, year: int = SAMPLE_YEAR,
                   late_share: float = 0.08, complaints: pd.DataFrame | None = None) -> pd.DataFrame:
    """A seeded VIP hotline log (附件五, 第18条 2①): enquiries mostly answered the same day,
    complaints mostly within three days, ``late_share`` of the calls late, a few unanswered.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``; callers are VIPs.
    seed : int
        Seed; the same seed gives the same log.
    n_calls : int
        Calls to draw.
    year : int
        Year of the calls [year].
    late_share : float
        Share of calls answered late [share, 0–1].
    complaints : DataFrame, optional
        A complaint log (:data:`COMPLAINT_SCHEMA`): its complaints also arrive as hotline
        complaint calls on their dates, with their ``complaint_id`` (第34条 link).

    Returns
    -------
    DataFrame
        Columns of :data:`HOTLINE_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 13, 2])
    v = _vip_rows(tiers)
    if not len(v):  # a book without VIPs has no VIP hotline calls (only its complaints' calls, below)
        n_calls = 0
    cust = rng.integers(0, max(len(v), 1), n_calls)
    complaint = rng.random(n_calls) < 0.25
    received = np.sort(_dates(rng, n_calls, year))
    late = rng.random(n_calls) < late_share
    on_time = np.where(complaint, rng.integers(0, 4, n_calls), 0)
    late_days = np.where(complaint, rng.integers(4, 8, n_calls), rng.integers(1, 3, n_calls))
    days = np.where(late, late_days, on_time)
    answered = pd.Series(pd.to_datetime(received + days.astype("timedelta64[D]")))
    answered[rng.random(n_calls) < 0.01] = pd.NaT
    calls = pd.DataFrame({
        "call_id": [f"H{i:05d}" for i in range(1, n_calls + 1)],
        "customer_id": v["customer_id"].astype(str).to_numpy()[cust],
        "kind": np.where(complaint, "complaint", "enquiry"),
        "received_date": pd.to_datetime(received),
        "answered_date": answered,
        "complaint_id": "",
    })
    if complaints is not None and len(complaints) and "complaint_id" in complaints:
        k = complaints[complaints["complaint_date"].dt.year == year]
        days = np.where(rng.random(len(k)) < late_share, rng.integers(4, 8, len(k)), rng.integers(0, 4, len(k)))
        linked = pd.DataFrame({
            "call_id": [f"HK{i:04d}" for i in range(1, len(k) + 1)], "customer_id": k["customer_id"].to_numpy(),
            "kind": "complaint", "received_date": pd.to_datetime(k["complaint_date"]).to_numpy(),
            "answered_date": pd.to_datetime(k["complaint_date"]).to_numpy() + days.astype("timedelta64[D]"),
            "complaint_id": k["complaint_id"].to_numpy()})
        calls = pd.concat([calls, linked], ignore_index=True).sort_values(["received_date", "call_id"], kind="stable")
    return calls.reset_index(drop=True)


def sample_policies(tiers: pd.DataFrame, seed: int = 2003, year: int = SAMPLE_YEAR,
                    n_policies: int = 3000, late_share: float = 0.10) -> pd.DataFrame:
    """A seeded policy table for ``year`` (第17条 4–5): VIP policies and a sample of regular
    ones expiring in the year, renewal reminders mostly two months or more ahead with
    ``late_share`` late and a few missing, some lapses and maturity/lapse notices.

    Parameters
    ----------
    tiers : DataFrame
        Tier table with ``customer_id`` and ``tier``.
    seed : int
        Seed; the same seed gives the same table.
    year : int
        Year of the expiries [year].
    n_policies : int
        Policies of regular customers to draw (every VIP gets one or two).
    late_share : float
        Share of reminders sent less than two months ahead [share, 0–1].

    Returns
    -------
    DataFrame
        Columns of :data:`POLICY_SCHEMA`.
    """
    rng = np.random.default_rng([seed, 13, 3])
    tier = tiers["tier"].astype(str).to_numpy()
    vip = np.flatnonzero(tier != "regular")
    regular = np.flatnonzero(tier == "regular")
    regular = rng.choice(regular, size=min(n_policies, len(regular)), replace=False) if len(regular) else regular
    who = np.sort(np.concatenate([vip, vip[rng.random(len(vip)) < 0.5], regular]))
    n = len(who)
    start = np.datetime64(f"{year}-01-01")
    days = 365 + (year % 4 == 0)
    expiry = start + rng.integers(0, days, n).astype("timedelta64[D]")
    ahead = np.where(rng.random(n) < late_share, rng.integers(10, 60, n), rng.integers(61, 90, n))
    reminder = pd.Series(pd.to_datetime(expiry - ahead.astype("timedelta64[D]")))
    reminder[rng.random(n) < 0.04] = pd.NaT
    lapsed = rng.random(n) < 0.05
    lapse = pd.Series(pd.to_datetime(expiry - rng.integers(30, 200, n).astype("timedelta64[D]"))).where(lapsed)
    reminder = reminder.where(~lapsed | (reminder < lapse))
    renewed = ~lapsed & (rng.random(n) < 0.85)
    event = lapse.where(lapsed, pd.Series(pd.to_datetime(expiry)))
    notice = (event + pd.to_timedelta(rng.integers(0, 12, n), unit="D")).where(~renewed)
    notice[rng.random(n) < 0.03] = pd.NaT
    return pd.DataFrame({
        "policy_id": [f"P{i:06d}" for i in range(1, n + 1)],
        "customer_id": tiers["customer_id"].astype(str).to_numpy()[who],
        "expiry_date": pd.to_datetime(expiry),
        "reminder_date": reminder,
        "renewed": renewed,
        "lapse_date": lapse,
        "notice_date": notice,
    })


@dataclass
class DeliveryLogs:
    """The validated tables of the service-delivery record and where each came from.

    ``samples`` names the tables drawn as seeded samples (a page or sheet built on one of
    them carries :data:`~tiermodel.vocabulary.SAMPLE_BANNER`).
    """

    delivery: pd.DataFrame
    hotline: pd.DataFrame
    policies: pd.DataFrame
    sources: dict
    samples: list


def load_delivery_logs(tiers: pd.DataFrame, executives: pd.DataFrame, unit_costs: dict[str, float],
                       delivery: str | Path | None = None, hotline: str | Path | None = None,
                       policies: str | Path | None = None, seed: int = 2003,
                       year: int = SAMPLE_YEAR, complaints: pd.DataFrame | None = None,
                       take_up: dict[str, float] | None = None) -> DeliveryLogs:
    """Read and validate the delivery table, hotline log and policy table, or draw their samples.

    Parameters
    ----------
    tiers : DataFrame
        Tier table (``customer_id``, ``branch``, ``tier``, key persons).
    executives : DataFrame
        Validated executive table (ids at revisits must be in it).
    unit_costs : dict of str to float
        Unit cost of each service for the sample [CNY].
    delivery, hotline, policies : path, optional
        The files; None or "" draws the seeded sample instead.
    seed : int
        Seed of the samples.
    year : int
        Year of the record [year]; dates of a file outside it are refused.
    complaints : DataFrame, optional
        The validated complaint log: the sample hotline carries its complaints (第34条 link).
    take_up : dict of str to float, optional
        Share of the offered who attend each 第19条 service in the sample delivery [share,
        0–1] (the catalogue's ``take_up``); absent: every offer taken (:func:`sample_delivery`).

    Returns
    -------
    DeliveryLogs
        The three validated tables, their sources and which are samples.

    Raises
    ------
    InputTableError
        A file cannot be read or breaks a rule (file, row, customer, column named).
    """
    ids = tiers["customer_id"].astype(str)
    out, sources, samples = {}, {}, []
    makers = {"delivery": lambda: sample_delivery(tiers, unit_costs, executives, seed, year, take_up=take_up),
              "hotline": lambda: sample_hotline(tiers, seed, year=year, complaints=complaints),
              "policies": lambda: sample_policies(tiers, seed, year)}
    checks = {"delivery": lambda raw, f: validate_delivery(raw, f, ids, year, executives["executive_id"]),
              "hotline": lambda raw, f: validate_hotline(raw, f, ids, year),
              "policies": lambda raw, f: validate_policies(raw, f, ids)}
    for kind, path in (("delivery", delivery), ("hotline", hotline), ("policies", policies)):
        if path:
            out[kind], sources[kind] = checks[kind](read_table(path), str(path)), str(path)
        else:
            label = f"sample {kind} (seed={seed}, year={year})"
            raw = makers[kind]()
            # a book without VIPs draws an empty delivery (or hotline) sample: empty, not refused
            out[kind], sources[kind] = (checks[kind](raw, label) if len(raw) else raw), label
            samples.append(kind)
    return DeliveryLogs(sources=sources, samples=samples, **out)
