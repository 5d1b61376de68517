"""Earlier tier lists, head-office overrides and branch nominations: readers. Their schemas are
:data:`tiermodel.tables.schema.HISTORY`, ``OVERRIDES`` and ``NOMINATIONS``; their validator is
:mod:`tiermodel.tables.validation`.

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

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputTableError, Problem
from .io import read_table
from .tables.schema import ACTION_WORDS, HISTORY, NOMINATIONS, OVERRIDES, TIER_WORDS, YEAR_RANGE  # noqa: F401
from .tables.validation import _finish
from .tables.validation import (parse_date, validate_history, validate_nominations,  # noqa: F401
                                validate_overrides)
from .vocabulary import TIERS

# Columns of each table: name → (Chinese header, kind) (:mod:`tiermodel.tables.schema`).
HISTORY_COLUMNS = {c.name: (c.label, c.kind) for c in HISTORY}
OVERRIDE_COLUMNS = {c.name: (c.label, c.kind) for c in OVERRIDES}
NOMINATION_COLUMNS = {c.name: (c.label, c.kind) for c in NOMINATIONS}


def read_history(paths, year: int | None = None, sheet: str | int | None = None,
                 service_year: int | None = None) -> pd.DataFrame:
    """Read one or more earlier tier lists (.csv, .xlsx, .parquet) into one history table.

    Parameters
    ----------
    paths : path or list of paths
    year : int, optional
        Year of a list that has no ``year`` column (only with a single file).
    service_year : int, optional
        The year under review: a history year not before it is refused.

    Raises
    ------
    InputTableError
        As :func:`validate_history`; also the same customer and year in two files.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    frames = [validate_history(read_table(p, sheet), str(p), year, service_year) for p in paths]
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


def read_overrides(path, book_ids, year: int | None = None) -> pd.DataFrame:
    """Read and validate an overrides file (.csv, .xlsx, .parquet); see :func:`validate_overrides`
    (``year``: the service year, whose approval window the dates must fall in)."""
    return validate_overrides(read_table(path), book_ids, str(path), year)


def read_nominations(path, book: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a nominations file; see :func:`validate_nominations`."""
    return validate_nominations(read_table(path), book, str(path))
