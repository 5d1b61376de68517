"""Errors that speak to the user: each names the file, the place in it and the rule broken.

The one hierarchy of the package. The command line catches :class:`TiermodelError` (exit
status 2, one message); anything else is a defect and ends as one line plus a crash log.

::

    TiermodelError
    ├── ParameterError      a parameter or scenario file breaks a rule
    ├── InputTableError     an input table (customers, branches, events) breaks a rule
    ├── OptionError         a command option or argument value is unusable
    ├── OutputPathError     an output path is unusable (an input, exists, a folder, read-only)
    ├── CalendarRangeError  a date outside the working-day calendars
    ├── CalibrationError    a calibration target that cannot be parsed or met
    └── ReportError         a notebook of a report run failed
"""
from __future__ import annotations

from dataclasses import dataclass


class TiermodelError(Exception):
    """Base class of every error tiermodel raises on bad input."""


class ParameterError(TiermodelError):
    """A parameter or scenario file breaks a rule.

    Parameters
    ----------
    file : str
        The YAML file (or ``"<override>"`` for values set in code).
    path : str
        Dotted key path inside the file, e.g. ``value_index.weights.premium``.
    rule : str
        What is wrong, in words.
    """

    def __init__(self, file: str, path: str, rule: str):
        self.file, self.path, self.rule = str(file), path, rule
        super().__init__(f"{self.file}: {path or '<top level>'}: {rule}")


@dataclass(frozen=True)
class Problem:
    """One broken rule in one row of an input table."""

    row: int | None  # 1-based data row in the file (header = row 0); None for whole-file problems
    customer_id: str | None
    column: str | None
    rule: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.customer_id is not None:
            where.append(f"customer {self.customer_id}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.rule


class InputTableError(TiermodelError):
    """An input table (portfolio, branch table, log) breaks one or more rules.

    ``problems`` holds every problem found; the message lists the first ``shown``.
    """

    def __init__(self, file: str, problems: list[Problem], shown: int = 20):
        self.file, self.problems = str(file), list(problems)
        lines = [f"{self.file}: {len(self.problems)} problem(s); nothing was written"]
        lines += [f"  {p}" for p in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(f"  ... and {len(self.problems) - shown} more")
        super().__init__("\n".join(lines))


class OptionError(TiermodelError):
    """A command option or a function argument has an unusable value.

    Parameters
    ----------
    option : str
        The option as the user wrote it, e.g. ``--sims`` or ``n_sims``.
    rule : str
        What is wrong, in words.
    """

    def __init__(self, option: str, rule: str):
        self.option, self.rule = option, rule
        super().__init__(f"{option}: {rule}")


class OutputPathError(TiermodelError):
    """An output path cannot be used: it is an input, exists without ``--force``, is a folder,
    has the wrong suffix, or cannot be written."""

    def __init__(self, path, rule: str):
        self.path, self.rule = str(path), rule
        super().__init__(f"{self.path}: {rule}; nothing was written")


class CalendarRangeError(TiermodelError):
    """A date outside the years the working-day calendars cover."""


class CalibrationError(TiermodelError):
    """A calibration target that cannot be parsed or reached."""


class ReportError(TiermodelError):
    """A notebook of a report run failed; names the notebook, the cell and the error."""


# Kept for readers of the portfolio table.
PortfolioError = InputTableError


class LeverError(TiermodelError):
    """A what-if setting that cannot stand (a weight sum off 1, a threshold below zero, places
    not a whole number, a scenario name that is empty or a shipped one). ``note`` says the same
    as data (:class:`tiermodel.notes.Note`), for the explorer page to show in its language."""

    def __init__(self, message: str, note=None):
        super().__init__(message)
        self.note = note
