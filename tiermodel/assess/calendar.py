"""Working days under the mainland-China official calendar (第17–18条 service times).

The calendar, with its adjusted working weekends (调休), comes from the ``chinesecalendar``
package, whose data covers 2004–2026. A service's duration is the number of working days
*after* the start date up to and including the end date: done the same day = 0; started
Friday and done Monday = 1. A date outside the covered years is refused, never guessed.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..errors import CalendarRangeError


@functools.lru_cache(maxsize=1)
def workday_table() -> tuple[np.datetime64, np.datetime64, np.ndarray]:
    """The official calendar as arrays, built once.

    Returns
    -------
    (numpy.datetime64, numpy.datetime64, ndarray of int64)
        First and last covered day, and the cumulative count of working days from the
        first [working days], one entry per calendar day.
    """
    import chinese_calendar
    from chinese_calendar.constants import holidays

    first = np.datetime64(f"{min(holidays).year}-01-01")
    last = np.datetime64(f"{max(holidays).year}-12-31")
    days = np.arange(first, last + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    is_work = weekday < 5
    extra = np.array(sorted(chinese_calendar.workdays), dtype="datetime64[D]")
    off = np.array(sorted(holidays), dtype="datetime64[D]")
    is_work[(off - first).astype(np.int64)] = False
    is_work[(extra - first).astype(np.int64)] = True
    return first, last, np.cumsum(is_work)


def calendar_years() -> tuple[int, int]:
    """First and last year covered by the official calendar data (chinesecalendar) [year].

    Returns
    -------
    (int, int)
        First and last covered year.
    """
    first, last, _ = workday_table()
    return int(str(first)[:4]), int(str(last)[:4])


def _day_index(dates) -> np.ndarray:
    first, last, _ = workday_table()
    d = np.asarray(pd.to_datetime(np.atleast_1d(dates)).values.astype("datetime64[D]"))
    outside = (d < first) | (d > last)
    if outside.any():
        y0, y1 = calendar_years()
        bad = pd.Timestamp(d[np.flatnonzero(outside)[0]]).date()
        raise CalendarRangeError(f"{bad} is outside the official holiday calendar, which covers "
                                 f"{y0}–{y1} (chinesecalendar); working days cannot be counted")
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
        When a date lies outside the years the calendar data covers (2004–2026).
    """
    _, _, cum = workday_table()
    first_day = _day_index(start)
    return cum[_day_index(end)] - cum[first_day]


__all__ = ["calendar_years", "working_days", "workday_table"]
