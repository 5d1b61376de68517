"""What every analysis returns: a result object whose ``tables()`` is the one list of what it exports.

A notebook shows ``result.tables()``, the command line writes it, the report's workbook gathers
it: the list of sheets of an analysis is written once, in its result class.
"""
from __future__ import annotations

import pandas as pd


class Result:
    """Base class of analysis results (``Tiering``, ``Calibration``, ``Sweep``, ``BudgetEstimate``, …).

    Subclasses implement :meth:`tables`; keys are sheet names of at most 28 characters (a
    report prefixes its notebook number, and Excel allows 31), values are plain tables
    with English column names (the present layer labels them).
    """

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables this result exports, in reading order."""
        raise NotImplementedError(f"{type(self).__name__}.tables()")


#: Longest key of ``tables()``: Excel's 31 characters less a report's "NN " prefix.
MAX_TABLE_NAME = 28
