"""Calendars beyond the package (issue 13 item 8): params/calendar/<year>.yaml files extend the
chinesecalendar data to later years and correct its known errors; the package is cross-checked
against the independent ``holidays`` package.

Calendar facts used by hand: 2005-12-31 was a Saturday; the State Council's arrangement for New
Year 2006 (国务院办公厅关于2006年部分节假日安排的通知) gave 1–3 January 2006 off and made
Saturday 2005-12-31 a working day. 2027-01-01 is a Friday.
"""
from __future__ import annotations

import datetime as dt
import re
import textwrap

import numpy as np
import pytest

from tiermodel.assess import calendar as cal
from tiermodel.errors import CalendarRangeError, ParameterError


@pytest.fixture
def calendar_folder(tmp_path):
    """Use ``tmp_path`` as the calendar folder for one test, then restore the shipped one."""
    previous = cal.set_calendar_dir(tmp_path)
    yield tmp_path
    cal.set_calendar_dir(previous)


def write(folder, year, text):
    (folder / f"{year}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


# ----------------------------------------------------------------------------- the 2005 correction
def test_2005_12_31_is_a_working_saturday():
    # shipped params/calendar/2005.yaml: Fri 2005-12-30 -> Sat 2005-12-31 (worked) = 1 working day
    assert cal.working_days("2005-12-30", "2005-12-31")[0] == 1
    # Fri 2005-12-30 -> Wed 2006-01-04: Sat 12-31 worked (1), Sun 01-01, Mon 01-02, Tue 01-03 off,
    # Wed 01-04 (2) -> 2
    assert cal.working_days("2005-12-30", "2006-01-04")[0] == 2
    assert cal.is_working_day(["2005-12-31", "2006-01-02"]).tolist() == [True, False]


def test_without_the_correction_the_package_says_holiday(calendar_folder):
    # an empty calendar folder: the package alone marks Sat 2005-12-31 off -> Fri to Sat = 0
    assert cal.working_days("2005-12-30", "2005-12-31")[0] == 0


# ----------------------------------------------------------------------------- beyond the package
def test_2027_date_without_a_file_is_refused_naming_the_file(calendar_folder):
    first, last = cal.calendar_years()
    assert last == 2026
    with pytest.raises(CalendarRangeError, match=r"2027-03-01 is outside .*2004–2026.*add .*2027\.yaml"):
        cal.working_days("2027-03-01", "2027-03-02")


def test_2027_date_with_a_file(calendar_folder):
    # a hypothetical 2027 arrangement (test data, not the real notice): Spring Festival off
    # Fri 2027-02-05 .. Fri 2027-02-12, Sat 2027-02-13 an adjusted working day
    write(calendar_folder, 2027, """\
        year: 2027
        notice: 国务院办公厅关于2027年部分节假日安排的通知 (test fixture)
        holidays: [2027-01-01, 2027-02-05, 2027-02-06, 2027-02-07, 2027-02-08, 2027-02-09,
                   2027-02-10, 2027-02-11, 2027-02-12]
        working_days: [2027-02-13]
        """)
    assert cal.calendar_years() == (2004, 2027)
    # Thu 2026-12-31 -> Mon 2027-01-04: Fri 01-01 holiday, weekend, Mon 01-04 = 1
    assert cal.working_days("2026-12-31", "2027-01-04")[0] == 1
    # Thu 2027-02-04 -> Mon 2027-02-15: 02-05..02-12 off, Sat 02-13 worked (1), Sun 02-14 off,
    # Mon 02-15 (2) -> 2
    assert cal.working_days("2027-02-04", "2027-02-15")[0] == 2
    # an ordinary week: Mon 2027-03-01 -> Mon 2027-03-08 = Tue..Fri (4) + Mon (1) = 5
    assert cal.working_days("2027-03-01", "2027-03-08")[0] == 5
    with pytest.raises(CalendarRangeError, match=r"add .*2028\.yaml"):
        cal.working_days("2028-01-03", "2028-01-04")


@pytest.mark.parametrize("text, where, rule", [
    ("year: 2027\nnotice: n\nholidays: [2026-12-31]\n", "holidays[0]", "outside the file's year 2027"),
    ("year: 2027\nnotice: n\nholidays: [2027-02-13]\nworking_days: [2027-02-13]\n", "working_days",
     "both as a holiday and as a working day"),
    ("year: 2027\nnotice: n\nworking_days: [2027-02-10]\n", "working_days",
     "2027-02-10 is a Wednesday: only a weekend day can be an adjusted working day"),
    ("year: 2027\nholidays: []\n", "notice", "State Council notice"),
    ("year: 2026\nnotice: n\n", "year", "must be the year of the file name"),
    ("year: 2027\nnotice: n\nholiday: []\n", "holiday", "unknown key"),
    ("year: 2027\nnotice: n\nholidays: [2027-02-30]\n", "holidays[0]", "is not a date"),
])
def test_malformed_calendar_files_are_refused(calendar_folder, text, where, rule):
    (calendar_folder / "2027.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        cal.read_calendar_file(calendar_folder / "2027.yaml")
    assert err.value.path == where and rule in err.value.rule
    assert "2027.yaml" in str(err.value)


def test_shipped_calendar_files_are_valid():
    files = cal.calendar_files(cal.calendar_dir())
    assert 2005 in files and files[2005]["corrects"] == "chinesecalendar"
    assert "国务院办公厅关于2006年部分节假日安排的通知" in files[2005]["notice"]


# ----------------------------------------------------------------------------- cross-check
#: Known differences between chinesecalendar and ``holidays`` (China) over the years both
#: cover, as (date, what chinesecalendar says, what holidays says). 2005-12-31: the package
#: marks the Saturday a holiday; holidays (and the 2006 notice) make it a working day, whose
#: rest moved to 2006-01-03. params/calendar/2005.yaml corrects it.
KNOWN_DIFFERENCES = {dt.date(2005, 12, 31): ("holiday", "working day")}


def _calendar_sets():
    first, last, cum = cal.workday_table()
    days = np.arange(first, np.datetime64("2026-12-31") + 1)
    work = np.diff(np.r_[0, cum[: len(days)]]) == 1
    dates = [d.astype(object) for d in days]
    off = {d for d, w in zip(dates, work) if not w and d.weekday() < 5}
    weekend_work = {d for d, w in zip(dates, work) if w and d.weekday() >= 5}
    return off, weekend_work


def _holidays_sets(years):
    holidays = pytest.importorskip("holidays")
    cn = holidays.China(years=years)
    off = {d for d in cn if d.weekday() < 5}
    weekend_work = set()
    for name in cn.values():
        for m, d, y in re.findall(r"substituted from (\d\d)/(\d\d)/(\d{4})", name):
            weekend_work.add(dt.date(int(y), int(m), int(d)))
    return off, weekend_work


def test_package_agrees_with_holidays_except_known_differences(calendar_folder):
    # the package alone (empty calendar folder) against holidays, 2004–2026
    off, weekend_work = _calendar_sets()
    h_off, h_work = _holidays_sets(range(2004, 2027))
    differences = (off ^ h_off) | (weekend_work ^ h_work)
    assert differences == set(KNOWN_DIFFERENCES)


def test_corrected_calendar_agrees_with_holidays():
    off, weekend_work = _calendar_sets()
    h_off, h_work = _holidays_sets(range(2004, 2027))
    assert off == h_off and weekend_work == h_work
