"""Load what the annual review works on beside the run's inputs: history, overrides, nominations.

App layer (like :mod:`tiermodel.run_inputs`): reads files or, with none given on the bundled
sample, draws the sample's earlier years so the report runs the whole cycle; says which.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .compare import ServiceYear, last_year_review, review_year, sample_history
from .history import parse_date, read_history, read_nominations, read_overrides
from .errors import InputTableError, OptionError
from .policy import Policy
from .run_inputs import RunInputs
from .tiers import Tiering


@dataclass
class CycleInputs:
    history: pd.DataFrame | None  # every earlier year read (or drawn); None: no history given
    history_source: str  # file path(s), "sample history (...)", or "none"
    overrides: pd.DataFrame | None
    nominations: pd.DataFrame | None
    year: int  # service year of this year's list

    @property
    def sample(self) -> bool:
        return self.history_source.startswith("sample")

    @property
    def last_year(self) -> int | None:
        return None if self.history is None else int(self.history["year"].max())

    def last(self) -> pd.DataFrame | None:
        """Last year's list: the latest year of the history (None without history)."""
        return None if self.history is None else self.history[self.history["year"] == self.last_year]

    def before_last(self) -> pd.DataFrame | None:
        """The list of the year before last year (None where the history does not reach it)."""
        if self.history is None:
            return None
        before = self.history[self.history["year"] == self.last_year - 1]
        return before if len(before) else None

    def review(self, tiering: Tiering, policy: Policy) -> ServiceYear:
        """The year under review of this run (:func:`tiermodel.compare.review_year`): every
        page that shows a list, a date or the budget takes this one."""
        return review_year(tiering, policy, self.year, self.nominations, self.overrides, self.last())

    def last_review(self, tiering: Tiering, policy: Policy) -> ServiceYear | None:
        """Last year's lists as a year under review (None without history), for the budget
        against last year (:func:`tiermodel.compare.budget_change`)."""
        if self.history is None:
            return None
        return last_year_review(tiering, self.last(), policy, self.last_year, self.before_last())


def load_cycle(inputs: RunInputs, year: int, history: str = "", history_year: int | None = None,
               overrides: str = "", nominations: str = "", sample_years: int = 3) -> CycleInputs:
    """History, overrides and nominations of a run.

    Parameters
    ----------
    inputs : RunInputs
        The run's policy and book (:func:`tiermodel.run_inputs.load_inputs`).
    year : int
        Service year of this year's list.
    history : str
        Earlier tier list(s), comma-separated paths; empty on the sample: ``sample_years - 1``
        earlier years drawn to match it; empty on a user's book: no history (the year-over-year
        and measured-churn sections say so and are skipped).
    history_year : int, optional
        Year of a history file without a year column.
    overrides, nominations : str
        Optional files (:mod:`tiermodel.history`).
    """
    if history:
        paths = [p.strip() for p in str(history).split(",") if p.strip()]
        hist, which = _read_history_year(paths, history_year or None, int(year))
        source = f"{', '.join(paths)} ({which})"
    elif inputs.portfolio_source.startswith("sample"):
        hist = sample_history(inputs.portfolio, inputs.policy, year, sample_years, inputs.seed, inputs.branches)
        source = hist.attrs["file"]
    else:
        hist, source = None, "none"
    if hist is not None and int(hist["year"].max()) >= year:
        raise OptionError("history", f"the history reaches {int(hist['year'].max())}, not before the "
                                     f"service year {year}; give --year")
    ids = inputs.portfolio["customer_id"]
    window = year if inputs.policy.readings.override_dates_within_service_year else None
    ov = read_overrides(overrides, ids, window) if overrides else None
    nom = read_nominations(nominations, inputs.portfolio) if nominations else None
    return CycleInputs(hist, source, ov, nom, int(year))


def _read_history_year(paths: list[str], history_year: int | None, year: int) -> tuple[pd.DataFrame, str]:
    """Read the history; a list without a year column is taken as the year before the service
    year unless ``history_year`` is given. Returns the history and which year was used."""
    target = paths if len(paths) > 1 else paths[0]
    if history_year:
        return read_history(target, history_year, service_year=year), f"year {history_year} from --history-year where the file has none"
    try:
        return read_history(target, None, service_year=year), "years from the file's year column"
    except InputTableError as err:
        if not any(p.column == "year" and p.row is None for p in err.problems):
            raise
    return read_history(target, year - 1, service_year=year), f"year {year - 1}, the year before the service year {year}: the file has no year column"


def date_or_none(text: str, option: str) -> dt.date | None:
    """A date parameter (``2026-01-12``); empty → None; anything else refused."""
    if not text:
        return None
    date = parse_date(text)
    if date is None:
        raise OptionError(option, f"'{text}' is not a date; write YYYY-MM-DD")
    return date
