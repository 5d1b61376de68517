"""The customer and branch tables: readers (CSV, Excel, Parquet), the 万元 slip check, the bundled
sample by name. Their schema is :data:`tiermodel.tables.schema.CUSTOMERS` and ``BRANCHES``, their
validator :mod:`tiermodel.tables.validation`, the synthetic sample :mod:`tiermodel.tables.samples`.

Glossary of columns (English name — Chinese label of a core-system extract — unit):

================================  ===================  =========================================
column                            label                meaning [unit]
================================  ===================  =========================================
customer_id                       客户号               unique id of the customer (text)
name                              客户名称             optional
branch                            机构                 branch (分公司) serving the customer
branch_class                      机构类别             A–D (may come from the branch table)
effective_years                   有效投保年度         effective insured years, this year = 1 for
                                                       a new customer [years, ≥ 1]
is_new                            本年新客户           new customer this year (第13条 new places)
long_term_std_premium             长险标准保费         annual long-term standard premium [CNY]
health_premium                    健康险实收保费       health received premium [CNY]
health_loss_ratio                 健康险赔付率         [share, 0.60 = 60 %]
non_health_premium                非健康险实收保费     non-health received premium [CNY]
non_health_loss_ratio             非健康险赔付率       [share]
profit_margin                     利润率               underwriting profit ÷ premium [share]
underwriting_profit               承保利润             [CNY]; gives profit_margin when that is absent
first_service_objects             第一服务对象人数     top leaders served, 1–2 (第16条)
second_service_objects            第二服务对象人数     main handling staff served, 1–2 (第16条)
standard_premium                  标准保费             optional: 标准保费规模 supplied directly [CNY]
================================  ===================  =========================================

Row numbers in messages are as a spreadsheet shows them: the header is row 1, the first
customer row 2.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import InputTableError, Problem
from .io import ReadOptions, read_ahead, read_table, write_sheets, write_table  # noqa: F401  (re-exported)
from .io import _OnUse
from .tables.samples import (BRANCH_NAMES, CLASS_SCALE, CLASS_SIZE, DEFAULT_CUSTOMERS,  # noqa: F401
                             DEFAULT_SEED, SAMPLE_GROWTH, SAMPLE_GROWTH_SD, SAMPLE_LEAVER_SHARE, SAMPLE_YEAR,
                             sample_arrays, sample_branches, sample_earlier_year, sample_portfolio)
from .tables.schema import (AMOUNT_MAX, BRANCHES, CAPACITY_MAX, CUSTOMERS, FALSE_WORDS,  # noqa: F401
                            LOSS_RATIO_MAX, MARGIN_MIN, TRUE_WORDS, YEARS_MAX, Column)
from .tables.validation import (AMOUNT_COLUMNS, AMOUNT_UNIT_NAMES, AMOUNT_UNIT_WORDS, AMOUNT_UNITS,  # noqa: F401
                                LOSS_RATIO_PERCENT, TIER_LIST_COLUMNS, normalize_class, output_headers,
                                rename_columns, split_header_unit, validate_branches, validate_portfolio)
from .tables.validation import _percent_column, median_outside

# imported on first use: a customer CSV is read ahead meanwhile
pd = _OnUse("pandas", globals(), "pd")

#: The customer table's columns (:data:`tiermodel.tables.schema.CUSTOMERS`).
SCHEMA = CUSTOMERS
COLUMNS = {c.name: c for c in SCHEMA}
#: One label map for readers, reports and plots: English column → Chinese label.
LABELS = {c.name: c.label for c in SCHEMA}
BRANCH_SCHEMA = BRANCHES
#: Median yearly premium per customer [CNY] below which the amounts were almost surely given in
#: 万元 and read as 元 (the 万元 slip; the sample book's median is about 40,000 CNY).
SCALE_SLIP_BELOW = 1_000.0
_median_outside = median_outside  # the old private name (tests)
#: The premium columns the 万元 slip check adds up [CNY].
PREMIUM_COLUMNS = ("long_term_std_premium", "health_premium", "non_health_premium")


#: Columns with a few distinct values (names and labels): a CSV reads them as categories, which
#: the validator checks once per distinct value.
FEW_VALUES = [n for name in ("branch", "branch_class", "is_new") for n in (name, COLUMNS[name].label)]
#: Columns of numbers (names and labels): a CSV whose cells in them are all plain numbers has them
#: parsed while it is read.
_NUMERIC = [n for c in SCHEMA if c.kind not in ("id", "text", "class", "bool") for n in (c.name, c.label)]


def _names(schema) -> list[str]:
    return [c.name for c in schema] + [c.label for c in schema]


def read_branches(path: str | Path, options: ReadOptions | None = None) -> pd.DataFrame:
    """Read and validate a branch table (.csv, .xlsx, .parquet); see :func:`validate_branches`."""
    o = options or ReadOptions()
    raw = read_table(path, o.sheet, encoding=o.encoding, header_row=o.header_row,
                     columns=_names(BRANCH_SCHEMA))
    return validate_branches(raw, str(path))


def read_portfolio_ahead(path: str | Path, options: ReadOptions | None = None) -> None:
    """Start reading a customer CSV file while the caller goes on (the command line loads the
    rest of the package meanwhile); :func:`read_portfolio` with the same file and options takes
    the table over. Other files are left to :func:`read_portfolio`."""
    o = options or ReadOptions()
    if o.sheet is None:
        read_ahead(path, encoding=o.encoding, header_row=o.header_row, columns=_names(SCHEMA),
                   numeric=_NUMERIC, categorical=FEW_VALUES)


def read_portfolio(path: str | Path, branches: str | Path | pd.DataFrame | None = None,
                   amount_unit: str | None = None, sheet: str | int | None = None,
                   options: ReadOptions | None = None) -> pd.DataFrame:
    """Read and validate a customer table from CSV, Excel (.xlsx) or Parquet.

    The file is only read, never changed. See the module docstring for the columns.
    ``amount_unit`` ("yuan", "wan"; None: not given) is the unit of the file's amounts; a
    header that states its unit is read in that unit (see :func:`validate_portfolio`).
    ``options`` say how to read an odd extract (encoding, header row, sheet); ``sheet``
    is kept for callers that give only the sheet.
    """
    o = options or ReadOptions()
    if o.sheet is not None and Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputTableError(str(path), [Problem(None, None, None, f"--sheet {o.sheet!r} is for Excel workbooks; "
                                                                    f"this file has no sheets")])
    if branches is not None and not isinstance(branches, pd.DataFrame):
        branches = read_branches(branches, ReadOptions(encoding=o.encoding))
    raw = read_table(path, sheet if sheet is not None else o.sheet, encoding=o.encoding,
                     header_row=o.header_row, columns=_names(SCHEMA), numeric=_NUMERIC,
                     categorical=FEW_VALUES)
    return validate_portfolio(raw, str(path), branches, amount_unit)


def load_sample(name: str = "portfolio", seed: int = DEFAULT_SEED,
                n_customers: int = DEFAULT_CUSTOMERS) -> pd.DataFrame:
    """A bundled sample data set by name, validated like a file would be.

    Parameters
    ----------
    name : {"portfolio", "branches"}
        ``"portfolio"``: the seeded synthetic customer table (:func:`sample_portfolio`);
        ``"branches"``: its 40 branches with their classes A–D.
    seed : int
        Seed of the synthetic portfolio.
    n_customers : int
        Customers in the synthetic portfolio.
    """
    branches = validate_branches(sample_branches(), "sample branches")
    if name == "branches":
        return branches
    if name != "portfolio":
        raise ValueError(f"no sample named {name!r}; use 'portfolio' or 'branches'")
    return validate_portfolio(sample_portfolio(seed, n_customers), f"sample(seed={seed})", branches)


def amount_scale_slip(df: pd.DataFrame) -> str | None:
    """Why the amounts look like 万元 read as 元, or None.

    The slip is taken as certain when the median positive premium per customer (long-term
    standard + health + non-health) [CNY] is below 1,000 CNY — 10,000× below the range of a
    group book (the sample's median is about 40,000 CNY).

    Parameters
    ----------
    df : DataFrame
        A validated portfolio (amounts in 元).

    Returns
    -------
    str or None
        The finding, with the largest and median premium, for the message of the option that
        fixes it.
    """
    total = (df["long_term_std_premium"] + df["health_premium"] + df["non_health_premium"]).to_numpy()
    positive = total[total > 0]
    if positive.size == 0:
        return None
    median = median_outside(positive, SCALE_SLIP_BELOW, np.inf)
    if median is None:
        return None
    largest = float(df["non_health_premium"].max())
    return (f"the median customer premium is {median:,.0f} CNY and the largest non-health premium "
            f"{largest:,.0f} CNY, 10,000× below a group book (the Gold thresholds start at 1,000,000 CNY "
            f"of non-health premium, 第11条); are the amounts in 万元?")


def check_amount_scale(portfolio, source, amount_unit: str | None) -> None:
    """Stop before the work when a customer file's amounts look like 万元 read as 元, or its
    loss ratios like percentages typed as numbers (most above 1.5: 55 for 0.55).

    Parameters
    ----------
    portfolio : DataFrame
        The validated book.
    source : path or None
        The customer file (None: the bundled sample, never checked).
    amount_unit : {"yuan", "wan"} or None
        The option as the user gave it; given explicitly (even ``yuan``) means "I know",
        and the run goes on. So does a header that states the unit of each premium column
        (``长险标准保费（元）``, ``health_premium_wan``: ``portfolio.attrs["header_units"]``).

    Raises
    ------
    OptionError
        Naming ``--amount-unit wan`` as the fix.
    """
    from .errors import InputTableError, OptionError

    if not source:
        return
    for column in ("health_loss_ratio", "non_health_loss_ratio"):
        values = portfolio[column].to_numpy(dtype=float)
        percent = _percent_column(values[values > 0])
        if percent is not None:
            raise InputTableError(str(source), [Problem(None, None, column, percent)])
    if amount_unit or set(PREMIUM_COLUMNS) <= set(portfolio.attrs.get("header_units", {})):
        return
    slip = amount_scale_slip(portfolio)
    if slip:
        raise OptionError("--amount-unit", f"{source}: {slip} Rerun with --amount-unit wan (or "
                                           "--amount-unit yuan if the amounts really are in 元)")


def file_amount_unit(portfolio, amount_unit: str | None) -> str:
    """The unit the customer file holds, as a run records it and passes it on to the pages.

    Parameters
    ----------
    portfolio : DataFrame
        The validated book (``attrs["header_units"]``: the amount columns whose header stated
        a unit).
    amount_unit : {"yuan", "wan"} or None
        ``--amount-unit`` as given.

    Returns
    -------
    str
        The option when given; else the one unit the headers state when they state it for
        every amount column of the file; else ``"yuan"`` when no header states a unit (the
        default); else ``""``: the headers state units for some columns (or two units), and
        each column is read as its header says, the others in 元 — which reading the
        file again with ``amount_unit=""`` repeats.
    """
    if amount_unit:
        return amount_unit
    stated = portfolio.attrs.get("header_units", {})
    if not stated:
        return "yuan"
    present = {c for c in AMOUNT_COLUMNS if c in portfolio.columns and portfolio[c].notna().any()}
    units = set(stated.values())
    return units.pop() if len(units) == 1 and present <= set(stated) else ""
