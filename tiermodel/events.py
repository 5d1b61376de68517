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

ANSWER_ALIASES = {"不满": "dissatisfied"}

SERVICE_LOG_SCHEMA = [
    Column("event_id", "事件编号", "id", False, "event id"),
    Column("customer_id", "客户号", "customer", True, "customer served"),
    Column("service_type", "服务类型", "service_type", True, "service type (第17–18条)"),
    Column("start_date", "开始日期", "date", True, "request complete [date]"),
    Column("end_date", "结束日期", "date", True, "service done [date]"),
    Column("extra_large", "特大型客户", "bool", False, "extra-large customer (第18条 1②)"),
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
    "service_type": (_vocabulary(SERVICE_TYPES), "unknown service type"),
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
                for i in np.flatnonzero(~text.isin(known).to_numpy() & ~blank)[:50]:
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
