"""The calibrated values as a parameter scenario: the changes table and the YAML *text* of the
scenario file. Nothing here writes a file — the command line and the report write the text
with :func:`tiermodel.io.write_text`."""
from __future__ import annotations

import numpy as np
import pandas as pd
import yaml

from ..notes import Note, note
from ..errors import CalibrationError
from ..policy import BandTable, Policy
from .tables import TABLE_MEASURES
from .thresholds import SolvedThresholds

CHANGE_COLUMNS = ["parameter", "old", "new", "meets"]


def _fmt(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}" if isinstance(value, (int, float)) else repr(value)


def calibrated_changes(thresholds: SolvedThresholds | None = None,
                       fitted: dict[str, BandTable] | None = None,
                       base: Policy | None = None) -> pd.DataFrame:
    """Changed 第11条 thresholds (and fitted 附表1–3 band edges, if given) as one table.

    Parameters
    ----------
    thresholds : SolvedThresholds, optional
        From :func:`~tiermodel.calibrate.thresholds.solve_thresholds`.
    fitted : dict of str to BandTable, optional
        From :func:`~tiermodel.calibrate.tables.fitted_tables`.
    base : Policy, optional
        The policy as written, whose tables the fitted ones replace (default: the base of
        ``thresholds``).

    Returns
    -------
    DataFrame
        One row per changed parameter: parameter (dotted path), old, new [CNY/yr or the
        table's edges], meets (the target it meets).
    """
    frames = []
    if thresholds is not None:
        frames.append(thresholds.changes())
        base = base or thresholds.base
    if fitted:
        rows = [{"parameter": f"conversion_tables.{name}", "old": _table_value(getattr(base.conversion_tables, name)),
                 "new": {"breaks": t.breaks}, "meets": note("calibrate.tables_fitted", annex=TABLE_MEASURES[name][2])}
                for name, t in fitted.items() if t.breaks != getattr(base.conversion_tables, name).breaks]
        frames.append(pd.DataFrame(rows, columns=CHANGE_COLUMNS))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _table_value(table: BandTable) -> dict:
    return {"breaks": list(table.breaks)}


def _value_text(value) -> str:
    """A changed value as text: a threshold with thousands separators, band edges "1,000,000 / 5,000,000 / …"."""
    if isinstance(value, dict) and "breaks" in value:
        return " / ".join(_fmt(float(b)) for b in value["breaks"])
    return _fmt(value)


def scenario_text(changes: pd.DataFrame, title: str) -> str:
    """YAML text of a parameter scenario setting each changed leaf (第11条 thresholds, 附表1–3
    band edges), with the value it replaces and the target it meets in a comment beside it and
    in the ``description``.

    Parameters
    ----------
    changes : DataFrame
        From :func:`calibrated_changes`.
    title : str
        First line of the scenario's description.

    Returns
    -------
    str
        The scenario file's text; :func:`tiermodel.policy.load_policy` loads it.

    Raises
    ------
    CalibrationError
        No change to write (targets already met or unreachable).
    """
    if changes.empty:
        raise CalibrationError("no threshold changes to write (targets already met or unreachable)")
    lines_desc = [title] + [f"{r.parameter}: {_value_text(r.old)} -> {_value_text(r.new)}; meets {_meets_text(r.meets)}"
                            for r in changes.itertuples()]
    out = ["# Calibrated scenario written by `tiermodel calibrate` (tiermodel.calibrate).",
           "# Each value below replaces the one in params/policy-2003.yaml; the comment gives the",
           "# value it replaces and the target it meets.",
           "description: |"] + [f"  {line}" for line in lines_desc]
    tree: dict = {}
    for r in changes.itertuples():
        keys = r.parameter.split(".")
        node = tree
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = r

    def emit(node, depth):
        for key, child in node.items():
            pad = "  " * depth
            if isinstance(child, dict):
                out.append(f"{pad}{key}:")
                emit(child, depth + 1)
            else:
                value = yaml.safe_dump(_plain(child.new), default_flow_style=True, width=10_000)
                value = value.strip().removesuffix("...").strip()
                out.append(f"{pad}{key}: {{value: {value}}}  # was {_value_text(child.old)}; meets {_meets_text(child.meets)}")

    emit(tree, 0)
    return "\n".join(out) + "\n"


def _meets_text(meets) -> str:
    """The target a change meets, in the words of the parameter files (English; a scenario file
    is read by the actuary with the policy file): from its note's fields."""
    if not isinstance(meets, Note):
        return str(meets)
    f = meets.fields
    if meets.code == "calibrate.meets":
        return f"{_meets_text(f['target'])} (achieved {f['achieved']:,})"
    if meets.code == "calibrate.target_gold":
        return f"Gold candidate pool of {f['k']}"
    if meets.code == "calibrate.target_silver":
        return f"{f['k']} Silver candidates in class {f['group']}"
    if meets.code == "calibrate.tables_fitted":
        return f"{f['annex']} bands fitted to the book's quantiles"
    return str(meets)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return int(f) if f.is_integer() and abs(f) < 1e15 else f
    if isinstance(value, np.integer):
        return int(value)
    return value


def format_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes table with old and new values as readable text (第11条 thresholds with
    thousands separators [CNY/yr], 附表1–3 band edges listed "1,000,000 / 5,000,000 / …" under
    the parameter ``conversion_tables.<table>.breaks``), for printing and the workbook.

    Parameters
    ----------
    changes : DataFrame
        From :func:`calibrated_changes`.
    """
    def path(parameter, new):  # band edges: the parameter named ….breaks
        return f"{parameter}.breaks" if isinstance(new, dict) and "breaks" in new else parameter
    return changes.assign(parameter=[path(p, n) for p, n in zip(changes["parameter"], changes["new"])],
                          old=changes["old"].map(_value_text), new=changes["new"].map(_value_text))
