"""Errors that speak to the user: each names the file, the place in it and the rule broken."""
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


# Kept for readers of the portfolio table.
PortfolioError = InputTableError
