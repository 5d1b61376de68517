"""Working days under the mainland-China official calendar (第17–18条 service times).

The calendar, with its adjusted working weekends (调休), comes from the ``chinesecalendar``
package, whose data covers 2004–2026, and from calendar files ``params/calendar/<year>.yaml``:

* for a year the package does not cover, a file gives the year's official arrangement — the
  holidays, the adjusted working days and the State Council notice (国务院办公厅关于<year>年部分
  节假日安排的通知) it comes from; every other Monday–Friday is a working day;
* for a year the package covers, a file with ``corrects: chinesecalendar`` corrects known
  errors of the package (e.g. ``2005.yaml``: Saturday 2005-12-31 was a working day under the
  2006 notice, the package marks it a holiday).

A file is validated (:func:`read_calendar_file`): its dates lie inside its year, no day is
both a holiday and a working day, and adjusted working days are weekends. A service's
duration is the number of working days *after* the start date up to and including the end
date: done the same day = 0; started Friday and done Monday = 1. A date in a year with
neither package data nor a file is refused, and the message names the file to add.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CalendarRangeError, ParameterError

#: Keys a calendar file may hold.
CALENDAR_KEYS = ("year", "notice", "corrects", "holidays", "working_days", "note")
PACKAGE = "chinesecalendar"
_calendar_dir: Path | None = None


def calendar_dir() -> Path:
    """The folder of the calendar files in use (default: the shipped ``params/calendar``).

    Returns
    -------
    Path
        The folder; it may not exist (then only the package's data is used).
    """
    if _calendar_dir is not None:
        return _calendar_dir
    from ..resources import data_dir

    return data_dir("params") / "calendar"


def set_calendar_dir(path: str | Path | None) -> Path | None:
    """Use the calendar files of ``path`` from now on (None: the shipped ones).

    Parameters
    ----------
    path : path or None
        Folder holding ``<year>.yaml`` files.

    Returns
    -------
    Path or None
        The folder set before (to restore it).
    """
    global _calendar_dir
    previous = _calendar_dir
    _calendar_dir = Path(path) if path is not None else None
    workday_table.cache_clear()
    return previous


def _as_date(value, file: str, key: str, i: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(file, f"{key}[{i}]", f"'{value}' is not a date (write YYYY-MM-DD)") from None


def _loader():
    """A safe YAML loader that keeps dates as text (so a bad date is reported with its key)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                      for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def read_calendar_file(path: str | Path) -> dict:
    """Read and check one calendar file (第17–18条 working days).

    Parameters
    ----------
    path : path
        ``<year>.yaml`` with ``year``, ``notice`` (the State Council notice the dates come
        from), optional ``corrects: chinesecalendar``, ``holidays`` and ``working_days``
        (adjusted working weekends) as lists of YYYY-MM-DD dates.

    Returns
    -------
    dict
        ``year`` (int), ``notice`` (str), ``corrects`` (str or None), ``holidays`` and
        ``working_days`` (sorted lists of :class:`datetime.date`), ``file`` (str).

    Raises
    ------
    ParameterError
        File, key and rule: a wrong file name for the year, no notice, a date outside the
        year, a day both holiday and working day, a weekday given as an adjusted working day,
        an unknown key.
    """
    path = Path(path)
    file = str(path)
    raw = _calendar_mapping(path, file)
    year = raw.get("year")
    if not isinstance(year, int) or str(year) != path.stem:
        raise ParameterError(file, "year", f"must be the year of the file name ({path.stem}), not {year!r}")
    notice = str(raw.get("notice") or "").strip()
    if not notice:
        raise ParameterError(file, "notice", "name the State Council notice the dates come from "
                                             "(国务院办公厅关于…年部分节假日安排的通知)")
    corrects = raw.get("corrects")
    if corrects not in (None, PACKAGE):
        raise ParameterError(file, "corrects", f"only '{PACKAGE}' can be corrected, not {corrects!r}")
    out = {"year": year, "notice": notice, "corrects": corrects, "file": file}
    for key in ("holidays", "working_days"):
        out[key] = _calendar_dates(raw, key, year, file)
    both = sorted(set(out["holidays"]) & set(out["working_days"]))
    if both:
        raise ParameterError(file, "working_days", f"{both[0]} is listed both as a holiday and as a working day")
    weekday = [d for d in out["working_days"] if d.weekday() < 5]
    if weekday:
        raise ParameterError(file, "working_days", f"{weekday[0]} is a {weekday[0]:%A}: only a weekend "
                                                   "day can be an adjusted working day")
    return out


def _calendar_mapping(path: Path, file: str) -> dict:
    """The calendar file as a mapping with known keys only."""
    import yaml

    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_loader()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(file, "", f"cannot be read as YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(file, "", "must be a mapping with year, notice, holidays, working_days")
    unknown = sorted(set(raw) - set(CALENDAR_KEYS))
    if unknown:
        raise ParameterError(file, unknown[0], f"unknown key; a calendar file holds {', '.join(CALENDAR_KEYS)}")
    return raw


def _calendar_dates(raw: dict, key: str, year: int, file: str) -> list:
    """The sorted distinct dates under ``key``, each within ``year``."""
    values = raw.get(key) or []
    if not isinstance(values, list):
        raise ParameterError(file, key, "must be a list of dates")
    dates = [_as_date(v, file, key, i) for i, v in enumerate(values)]
    for i, d in enumerate(dates):
        if d.year != year:
            raise ParameterError(file, f"{key}[{i}]", f"{d} is outside the file's year {year}")
    return sorted(set(dates))


def calendar_files(folder: str | Path | None = None) -> dict[int, dict]:
    """Every calendar file of ``folder`` (default :func:`calendar_dir`), read and checked.

    Parameters
    ----------
    folder : path, optional
        Folder of ``<year>.yaml`` files.

    Returns
    -------
    dict of int to dict
        Year → :func:`read_calendar_file`'s result.
    """
    folder = Path(folder) if folder is not None else calendar_dir()
    if not folder.is_dir():
        return {}
    out = {}
    for p in sorted(folder.glob("*.yaml")):
        if not p.stem.isdigit():
            raise ParameterError(str(p), "", "a calendar file is named <year>.yaml, e.g. 2027.yaml")
        f = read_calendar_file(p)
        out[f["year"]] = f
    return out


def _package_years() -> tuple[int, int]:
    from chinese_calendar.constants import holidays

    return min(holidays).year, max(holidays).year


@functools.lru_cache(maxsize=4)
def workday_table() -> tuple[np.datetime64, np.datetime64, np.ndarray]:
    """The official calendar as arrays, built once per calendar folder.

    The package's years, then following years each with a calendar file (a gap ends the
    range); files of the package's years correct its data.

    Returns
    -------
    (numpy.datetime64, numpy.datetime64, ndarray of int64)
        First and last covered day, and the cumulative count of working days from the
        first [working days], one entry per calendar day.
    """
    import chinese_calendar
    from chinese_calendar.constants import holidays

    files = calendar_files()
    y0, y1 = _package_years()
    while y1 + 1 in files:
        y1 += 1
    first = np.datetime64(f"{y0}-01-01")
    last = np.datetime64(f"{y1}-12-31")
    days = np.arange(first, last + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    is_work = weekday < 5
    extra = np.array(sorted(chinese_calendar.workdays), dtype="datetime64[D]")
    off = np.array(sorted(holidays), dtype="datetime64[D]")
    is_work[(off - first).astype(np.int64)] = False
    is_work[(extra - first).astype(np.int64)] = True
    for year, f in files.items():
        if not y0 <= year <= y1:
            continue
        if f["holidays"]:
            is_work[(np.array(f["holidays"], dtype="datetime64[D]") - first).astype(np.int64)] = False
        if f["working_days"]:
            is_work[(np.array(f["working_days"], dtype="datetime64[D]") - first).astype(np.int64)] = True
    return first, last, np.cumsum(is_work)


def calendar_years() -> tuple[int, int]:
    """First and last year covered by the official calendar (package data plus calendar files) [year].

    Returns
    -------
    (int, int)
        First and last covered year.
    """
    first, last, _ = workday_table()
    return int(str(first)[:4]), int(str(last)[:4])


def check_log_year(year: int) -> None:
    """Refuse a ``--log-year`` outside the working-day calendars (:func:`calendar_years`).

    Raises
    ------
    OptionError
        Naming ``--log-year``, the year and the years covered.
    """
    from ..errors import OptionError

    low, high = calendar_years()
    if not low <= year <= high:
        raise OptionError("--log-year", f"{year} is outside the working-day calendars ({low}–{high})")


def calendar_hint(year: int) -> str:
    """What to do about a date of ``year`` outside the calendar: the file to add.

    Parameters
    ----------
    year : int
        The uncovered year [year].

    Returns
    -------
    str
        A sentence naming ``params/calendar/<year>.yaml`` (or the folder in use).
    """
    y0, y1 = calendar_years()
    if year < y0:
        return f"the official calendar starts in {y0}; dates before it cannot be counted"
    missing = y1 + 1
    return (f"add {calendar_dir() / f'{missing}.yaml'} with the year's holidays, adjusted working days "
            f"and the State Council notice (国务院办公厅关于{missing}年部分节假日安排的通知)"
            + (f", and one for each year up to {year}" if year > missing else ""))


def _day_index(dates) -> np.ndarray:
    first, last, _ = workday_table()
    d = np.asarray(pd.to_datetime(np.atleast_1d(dates)).values.astype("datetime64[D]"))
    outside = (d < first) | (d > last)
    if outside.any():
        y0, y1 = calendar_years()
        bad = pd.Timestamp(d[np.flatnonzero(outside)[0]]).date()
        raise CalendarRangeError(f"{bad} is outside the official holiday calendar, which covers "
                                 f"{y0}–{y1} ({PACKAGE} and params/calendar files); working days "
                                 f"cannot be counted: {calendar_hint(bad.year)}")
    return (d - first).astype(np.int64)


def working_days(start, end) -> np.ndarray:
    """Working days from ``start`` to ``end`` (第17–18条 service times) [working days].

    Counts the working days after the start date up to and including the end date, under
    the mainland-China official calendar with its adjusted working weekends: the same day
    gives 0, Friday to Monday gives 1.

    Parameters
    ----------
    start, end : date-like or arrays of them
        Start (request complete) and end (service done) dates; ``end >= start``.

    Returns
    -------
    ndarray of int64
        Working days of each pair [working days].

    Raises
    ------
    CalendarRangeError
        When a date lies in a year with neither package data nor a calendar file; the
        message names the file to add.
    """
    _, _, cum = workday_table()
    first_day = _day_index(start)
    return cum[_day_index(end)] - cum[first_day]


def is_working_day(dates) -> np.ndarray:
    """Whether each date is a working day under the official calendar (第17–18条).

    Parameters
    ----------
    dates : date-like or array of them

    Returns
    -------
    ndarray of bool
    """
    _, _, cum = workday_table()
    i = _day_index(dates)
    prev = np.where(i > 0, cum[np.maximum(i - 1, 0)], 0)
    return (cum[i] - prev) == 1


__all__ = ["CALENDAR_KEYS", "calendar_dir", "calendar_files", "calendar_hint", "calendar_years", "check_log_year",
           "is_working_day", "read_calendar_file", "set_calendar_dir", "working_days", "workday_table"]
