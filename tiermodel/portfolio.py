"""The customer table: schema, readers (CSV, Excel, Parquet), validation, the synthetic sample.

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

import difflib
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputTableError, Problem
from .io import read_table, write_sheets, write_table  # noqa: F401  (re-exported)
from .vocabulary import BRANCH_CLASSES


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # Chinese header of a core-system extract
    kind: str  # "id", "text", "class", "int", "bool", "amount", "ratio", "margin"
    required: bool
    description: str


SCHEMA = [
    Column("customer_id", "客户号", "id", True, "unique customer id"),
    Column("name", "客户名称", "text", False, "customer name"),
    Column("branch", "机构", "text", True, "branch serving the customer"),
    Column("branch_class", "机构类别", "class", False, "branch class A–D (or from the branch table)"),
    Column("effective_years", "有效投保年度", "int", True, "effective insured years [years, ≥ 1]"),
    Column("is_new", "本年新客户", "bool", True, "new customer this year"),
    Column("long_term_std_premium", "长险标准保费", "amount", True, "long-term standard premium [CNY/yr]"),
    Column("health_premium", "健康险实收保费", "amount", True, "health received premium [CNY/yr]"),
    Column("health_loss_ratio", "健康险赔付率", "ratio", True, "health loss ratio [share]"),
    Column("non_health_premium", "非健康险实收保费", "amount", True, "non-health received premium [CNY/yr]"),
    Column("non_health_loss_ratio", "非健康险赔付率", "ratio", True, "non-health loss ratio [share]"),
    Column("profit_margin", "利润率", "margin", False, "underwriting profit ÷ premium [share]"),
    Column("underwriting_profit", "承保利润", "signed_amount", False, "underwriting profit [CNY/yr]"),
    Column("first_service_objects", "第一服务对象人数", "objects", True, "top leaders served, 1–2"),
    Column("second_service_objects", "第二服务对象人数", "objects", True, "handling staff served, 1–2"),
    Column("standard_premium", "标准保费", "amount", False, "standard premium supplied directly [CNY/yr]"),
]
COLUMNS = {c.name: c for c in SCHEMA}
#: One label map for readers, reports and plots: English column → Chinese label.
LABELS = {c.name: c.label for c in SCHEMA}
BRANCH_SCHEMA = [
    Column("branch", "机构", "text", True, "branch"),
    Column("branch_class", "机构类别", "class", True, "branch class A–D"),
    Column("silver_capacity", "银牌名额", "count", False, "Silver places of the branch (第13条)"),
]
LOSS_RATIO_MAX = 5.0  # a loss ratio above 500 % is taken for a percentage typed as a number
MARGIN_MIN = -10.0
AMOUNT_UNITS = {"yuan": 1.0, "wan": 10_000.0}
TRUE_WORDS = {"true", "1", "yes", "y", "t", "是", "新", "1.0"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "否", "", "0.0"}


# ----------------------------------------------------------------------------- readers
def rename_columns(raw: pd.DataFrame, schema: list[Column], file: str) -> pd.DataFrame:
    """Map Chinese labels to English names; refuse missing and unexpected columns."""
    by_label = {c.label: c.name for c in schema}
    names = {c.name for c in schema}
    renamed = {}
    problems = []
    for col in raw.columns:
        key = str(col).strip()
        name = by_label.get(key, key)
        if name not in names:
            match = difflib.get_close_matches(key, list(names) + list(by_label), n=1, cutoff=0.6)
            hint = f"; did you mean '{match[0]}'?" if match else ""
            problems.append(Problem(None, None, key, f"unexpected column{hint}"))
        elif name in renamed.values():
            problems.append(Problem(None, None, key, f"column '{name}' appears twice"))
        renamed[col] = name
    if problems:
        raise InputTableError(file, problems)
    return raw.rename(columns=renamed)


def _blank(series: pd.Series) -> np.ndarray:
    s = series.astype(object)
    return (s.isna() | s.astype(str).str.strip().eq("")).to_numpy()


def _numbers(series: pd.Series, name: str, rows, ids, problems: list[Problem], what: str):
    """Coerce to float; text that is not a number is a problem naming row and customer."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float)
    text = series.astype(object).where(~pd.isna(series), "").astype(str).str.strip()
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(values) & (text != "").to_numpy())
    for i in bad[:50]:
        problems.append(Problem(rows[i], ids[i], name,
                                f"'{text.iloc[i]}' is not a number ({what}; write plain digits, "
                                f"no thousands separators or units)"))
    return values


def validate_portfolio(raw: pd.DataFrame, file: str = "<table>", branches: pd.DataFrame | None = None,
                       amount_unit: str = "yuan") -> pd.DataFrame:
    """Check a raw customer table and return the canonical one (a new frame).

    Parameters
    ----------
    raw : DataFrame
        As read from the file; English column names or the Chinese labels.
    file : str
        Name used in messages.
    branches : DataFrame, optional
        Validated branch table (:func:`validate_branches`); supplies ``branch_class`` where
        the portfolio has none and must agree with it where it has one.
    amount_unit : {"yuan", "wan"}
        Unit of the amount columns in the file; 万元 amounts are multiplied by 10,000.

    Raises
    ------
    InputTableError
        Listing every problem with row, customer id, column and rule.
    """
    if amount_unit not in AMOUNT_UNITS:
        raise ValueError(f"amount_unit must be one of {sorted(AMOUNT_UNITS)}, not {amount_unit!r}")
    df = rename_columns(raw, SCHEMA, file)
    problems: list[Problem] = []
    present = set(df.columns)
    for col in SCHEMA:
        if col.required and col.name not in present:
            problems.append(Problem(None, None, col.name, f"required column is missing ({col.label}, {col.description})"))
    if "branch_class" not in present and branches is None:
        problems.append(Problem(None, None, "branch_class",
                                "required column is missing (机构类别) and no branch table was given"))
    if "profit_margin" not in present and "underwriting_profit" not in present:
        problems.append(Problem(None, None, "profit_margin",
                                "required column is missing: give profit_margin (利润率) or underwriting_profit (承保利润)"))
    if problems:
        raise InputTableError(file, problems)

    n = len(df)
    rows = np.arange(n) + 2
    ids = df["customer_id"].astype(object).where(~pd.isna(df["customer_id"]), "").astype(str).str.strip()
    ids = ids.str.replace(r"\.0$", "", regex=True) if pd.api.types.is_float_dtype(df["customer_id"]) else ids
    id_list = [i if i else None for i in ids.tolist()]
    out = pd.DataFrame(index=pd.RangeIndex(n))
    out["customer_id"] = ids.to_numpy()
    for i in np.flatnonzero(ids.eq("").to_numpy())[:50]:
        problems.append(Problem(rows[i], None, "customer_id", "required value is missing"))
    dup = ids.duplicated(keep=False) & ids.ne("")
    for i in np.flatnonzero(dup.to_numpy())[:50]:
        others = [str(r) for r in rows[np.flatnonzero((ids == ids.iloc[i]).to_numpy())] if r != rows[i]]
        problems.append(Problem(rows[i], id_list[i], "customer_id",
                                f"duplicate customer id (also at row {', '.join(others)})"))
    if "name" in present:
        out["name"] = df["name"].astype(object).where(~pd.isna(df["name"]), "").astype(str).to_numpy()
    branch = df["branch"].astype(object).where(~pd.isna(df["branch"]), "").astype(str).str.strip()
    for i in np.flatnonzero(branch.eq("").to_numpy())[:50]:
        problems.append(Problem(rows[i], id_list[i], "branch", "required value is missing"))
    out["branch"] = branch.to_numpy()

    # branch class, from the table or the branch file
    if "branch_class" in present:
        cls = df["branch_class"].astype(object).where(~pd.isna(df["branch_class"]), "").astype(str).str.strip().str.upper()
        for i in np.flatnonzero(~cls.isin(BRANCH_CLASSES).to_numpy())[:50]:
            rule = ("required value is missing" if cls.iloc[i] == ""
                    else f"unknown branch class '{df['branch_class'].iloc[i]}'; must be one of A, B, C, D")
            problems.append(Problem(rows[i], id_list[i], "branch_class", rule))
    if branches is not None:
        known = branches.set_index("branch")["branch_class"].astype(str)
        from_table = branch.map(known)
        for i in np.flatnonzero(from_table.isna().to_numpy() & branch.ne("").to_numpy())[:50]:
            problems.append(Problem(rows[i], id_list[i], "branch",
                                    f"branch '{branch.iloc[i]}' is not in the branch table"))
        if "branch_class" in present:
            clash = from_table.notna() & cls.isin(BRANCH_CLASSES) & (from_table != cls)
            for i in np.flatnonzero(clash.to_numpy())[:50]:
                problems.append(Problem(rows[i], id_list[i], "branch_class",
                                        f"class {cls.iloc[i]} disagrees with the branch table ({from_table.iloc[i]})"))
        else:
            cls = from_table.fillna("")
    out["branch_class"] = pd.Categorical(cls.where(cls.isin(BRANCH_CLASSES), None), categories=BRANCH_CLASSES)

    # numbers
    scale = AMOUNT_UNITS[amount_unit]
    for col in SCHEMA:
        if col.name not in present or col.kind in ("id", "text", "class", "bool"):
            continue
        raw_col = df[col.name]
        values = _numbers(raw_col, col.name, rows, id_list, problems, col.description)
        blank = _blank(raw_col)
        if col.kind in ("amount", "signed_amount"):
            values = values * scale
        if col.required:
            missing = blank
            if col.kind == "ratio":  # a loss ratio may be blank where its premium is 0
                premium = pd.to_numeric(df[col.name.replace("loss_ratio", "premium")],
                                        errors="coerce").to_numpy(dtype=float)
                values = np.where(blank & (premium == 0), 0.0, values)
                missing = blank & (premium != 0)
            for i in np.flatnonzero(missing)[:50]:
                problems.append(Problem(rows[i], id_list[i], col.name, "required value is missing"))
        ok = ~np.isnan(values)
        if col.kind == "amount":
            bad = ok & (values < 0)
            rule = "negative amount; premiums are ≥ 0 CNY"
        elif col.kind == "ratio":
            bad = ok & ((values < 0) | (values > LOSS_RATIO_MAX))
            rule = (f"loss ratio out of range [0, {LOSS_RATIO_MAX:g}]; write shares (0.60 for 60 %)")
        elif col.kind == "margin":
            bad = ok & ((values > 1) | (values < MARGIN_MIN))
            rule = f"profit margin out of range [{MARGIN_MIN:g}, 1]; write shares (0.08 for 8 %)"
        elif col.kind == "int":
            bad = ok & ((values < 1) | (values != np.round(values)))
            rule = "effective insured years must be a whole number ≥ 1"
        elif col.kind == "objects":
            bad = ok & ~np.isin(values, (1, 2))
            rule = "must be 1 or 2 persons (第16条)"
        else:
            bad = np.zeros(n, dtype=bool)
            rule = ""
        for i in np.flatnonzero(bad)[:50]:
            problems.append(Problem(rows[i], id_list[i], col.name, f"{rule} (got {values[i] / (scale if col.kind == 'amount' else 1):g})"))
        out[col.name] = values

    # the new-customer flag
    flag = df["is_new"]
    if pd.api.types.is_bool_dtype(flag):
        out["is_new"] = flag.to_numpy(dtype=bool)
    else:
        words = flag.astype(object).where(~pd.isna(flag), "").astype(str).str.strip().str.lower()
        is_true, is_false = words.isin(TRUE_WORDS), words.isin(FALSE_WORDS)
        for i in np.flatnonzero(~(is_true | is_false).to_numpy())[:50]:
            problems.append(Problem(rows[i], id_list[i], "is_new",
                                    f"'{flag.iloc[i]}' is not a yes/no value (true/false, 1/0, 是/否)"))
        out["is_new"] = is_true.to_numpy()

    if problems:
        problems.sort(key=lambda p: (p.row or 0))
        raise InputTableError(file, problems)

    out["effective_years"] = out["effective_years"].astype(np.int64)
    out["first_service_objects"] = out["first_service_objects"].astype(np.int64)
    out["second_service_objects"] = out["second_service_objects"].astype(np.int64)
    if "profit_margin" not in out:
        total = out["long_term_std_premium"] + out["health_premium"] + out["non_health_premium"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["profit_margin"] = np.where(total > 0, out["underwriting_profit"] / total, 0.0)
    if "standard_premium" not in out:
        out["standard_premium"] = np.nan
    _warn_scale(out, file, amount_unit)
    return out


def _warn_scale(df: pd.DataFrame, file: str, amount_unit: str) -> None:
    """Warn when amounts look 10,000× off (万元 read as yuan, or the reverse)."""
    total = df["long_term_std_premium"] + df["health_premium"] + df["non_health_premium"]
    positive = total[total > 0]
    if positive.empty:
        return
    median = float(positive.median())
    if median < 1_000:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"万元 — read with amount_unit='wan' (--amount-unit wan)", stacklevel=3)
    elif median > 1e9:
        warnings.warn(f"{file}: the median customer premium is {median:,.0f} CNY; amounts may be in "
                      f"yuan but read as 万元 (amount_unit='{amount_unit}')", stacklevel=3)


def validate_branches(raw: pd.DataFrame, file: str = "<branches>") -> pd.DataFrame:
    """Check a branch table (branch, branch_class, optional silver_capacity)."""
    df = rename_columns(raw, BRANCH_SCHEMA, file)
    problems = [Problem(None, None, c.name, "required column is missing")
                for c in BRANCH_SCHEMA if c.required and c.name not in df]
    if problems:
        raise InputTableError(file, problems)
    rows = np.arange(len(df)) + 2
    branch = df["branch"].astype(str).str.strip()
    cls = df["branch_class"].astype(str).str.strip().str.upper()
    for i in np.flatnonzero(~cls.isin(BRANCH_CLASSES).to_numpy()):
        problems.append(Problem(rows[i], None, "branch_class",
                                f"unknown branch class '{df['branch_class'].iloc[i]}' for branch {branch.iloc[i]}"))
    for i in np.flatnonzero(branch.duplicated().to_numpy()):
        problems.append(Problem(rows[i], None, "branch", f"branch '{branch.iloc[i]}' listed twice"))
    out = pd.DataFrame({"branch": branch, "branch_class": cls})
    if "silver_capacity" in df:
        cap = _numbers(df["silver_capacity"], "silver_capacity", rows, [None] * len(df), problems, "Silver places")
        for i in np.flatnonzero(~np.isnan(cap) & ((cap < 0) | (cap != np.round(cap)))):
            problems.append(Problem(rows[i], None, "silver_capacity",
                                    f"Silver capacity must be a whole number ≥ 0 (got {cap[i]:g})"))
        out["silver_capacity"] = cap
    if problems:
        raise InputTableError(file, problems)
    return out


def read_branches(path: str | Path) -> pd.DataFrame:
    """Read and validate a branch table (branch, branch_class[, silver_capacity])."""
    return validate_branches(read_table(path), str(path))


def read_portfolio(path: str | Path, branches: str | Path | pd.DataFrame | None = None,
                   amount_unit: str = "yuan", sheet: str | int = 0) -> pd.DataFrame:
    """Read and validate a customer table from CSV, Excel (.xlsx) or Parquet.

    The file is only read, never changed. See the module docstring for the columns.
    """
    if branches is not None and not isinstance(branches, pd.DataFrame):
        branches = read_branches(branches)
    return validate_portfolio(read_table(path, sheet), str(path), branches, amount_unit)


# ----------------------------------------------------------------------------- synthetic sample
BRANCH_NAMES = {
    "A": ["Beijing", "Shanghai", "Guangdong", "Shenzhen", "Jiangsu", "Zhejiang"],
    "B": ["Shandong", "Sichuan", "Hubei", "Fujian", "Liaoning", "Tianjin", "Henan", "Hunan",
          "Chongqing", "Xiamen"],
    "C": ["Anhui", "Hebei", "Shaanxi", "Yunnan", "Jiangxi", "Guangxi", "Shanxi", "Heilongjiang",
          "Jilin", "Qingdao", "Dalian", "Ningbo"],
    "D": ["Guizhou", "Gansu", "Hainan", "Neimenggu", "Xinjiang", "Ningxia", "Qinghai", "Xizang",
          "Suzhou", "Foshan", "Dongguan", "Wenzhou"],
}
CLASS_SIZE = {"A": 3.0, "B": 1.6, "C": 0.8, "D": 0.45}  # relative number of customers per branch
CLASS_SCALE = {"A": 1.6, "B": 1.0, "C": 0.75, "D": 0.6}  # relative premium size per branch class
DEFAULT_SEED = 2003
DEFAULT_CUSTOMERS = 20_000


def sample_branches() -> pd.DataFrame:
    """The 40 branches of the synthetic sample with their class (capacity from the policy)."""
    rows = [(b, c) for c, names in BRANCH_NAMES.items() for b in names]
    return pd.DataFrame(rows, columns=["branch", "branch_class"])


def sample_arrays(n_customers: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """Synthetic portfolio as plain arrays (fast path for benchmarks); see :func:`sample_portfolio`."""
    rng = np.random.default_rng(seed)
    branches = sample_branches()
    size = branches["branch_class"].map(CLASS_SIZE).to_numpy()
    branch_code = rng.choice(len(branches), size=n_customers, p=size / size.sum())
    cls = branches["branch_class"].to_numpy()[branch_code]
    scale = pd.Series(cls).map(CLASS_SCALE).to_numpy()

    years = np.minimum(rng.geometric(0.18, n_customers), 25)
    is_new = years == 1
    has_long = rng.random(n_customers) < 0.30
    has_health = rng.random(n_customers) < 0.65
    has_non_health = (rng.random(n_customers) < 0.70) | ~(has_long | has_health)
    # heavy-tailed premiums: log-normal bodies [CNY/yr]
    long_term = np.where(has_long, scale * rng.lognormal(np.log(250_000), 1.55, n_customers), 0.0)
    health = np.where(has_health, scale * rng.lognormal(np.log(60_000), 1.45, n_customers), 0.0)
    non_health = np.where(has_non_health, scale * rng.lognormal(np.log(25_000), 1.35, n_customers), 0.0)
    health_lr = np.where(has_health, rng.lognormal(np.log(0.60), 0.40, n_customers), 0.0)
    non_health_lr = np.where(has_non_health, rng.lognormal(np.log(0.42), 0.55, n_customers), 0.0)
    short = health + non_health
    with np.errstate(invalid="ignore", divide="ignore"):
        short_lr = np.where(short > 0, (health * health_lr + non_health * non_health_lr) / short, 0.0)
    long_margin = rng.normal(0.12, 0.06, n_customers)
    total = long_term + short
    margin = np.where(total > 0, (long_term * long_margin + short * (0.78 - short_lr)) / np.maximum(total, 1), 0.0)
    return {
        "branch_code": branch_code,
        "branch_class": cls,
        "effective_years": years.astype(np.int64),
        "is_new": is_new,
        "long_term_std_premium": np.round(long_term),
        "health_premium": np.round(health),
        "health_loss_ratio": np.round(np.clip(health_lr, 0, LOSS_RATIO_MAX), 4),
        "non_health_premium": np.round(non_health),
        "non_health_loss_ratio": np.round(np.clip(non_health_lr, 0, LOSS_RATIO_MAX), 4),
        "profit_margin": np.round(np.clip(margin, -2.0, 0.6), 4),
        "first_service_objects": rng.integers(1, 3, n_customers),
        "second_service_objects": rng.integers(1, 3, n_customers),
    }


def sample_portfolio(seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_CUSTOMERS) -> pd.DataFrame:
    """A seeded synthetic portfolio: 40 branches over classes A–D, log-normal premiums,
    loss ratios spread around the 60 % / 40 % caps.

    With the default seed and size the 2003 thresholds give a few dozen Gold candidates and
    several hundred Silver candidates. The same seed gives the same table.
    """
    a = sample_arrays(n_customers, seed)
    branches = sample_branches()
    df = pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, n_customers + 1)],
        "name": [f"客户{i:06d}" for i in range(1, n_customers + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        df[key] = values
    df["standard_premium"] = np.nan
    return df


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


#: Service year of the bundled sample: the book is this year's; earlier years come before it.
SAMPLE_YEAR = 2026
#: Share of an earlier year's book that left before the next year (sample only).
SAMPLE_LEAVER_SHARE = 0.10
#: Yearly premium growth the sample's earlier years are discounted by, and its spread (sample only).
SAMPLE_GROWTH, SAMPLE_GROWTH_SD = 0.05, 0.20


def sample_earlier_year(portfolio: pd.DataFrame, seed: int = DEFAULT_SEED, years_back: int = 1) -> pd.DataFrame:
    """The book as it stood ``years_back`` years before ``portfolio`` (synthetic, seeded).

    A customer in effective year ``y`` now was in year ``y - years_back`` then and was not yet
    insured if that is below 1; ``is_new`` marks year 1. Premiums are this year's discounted
    by 5 % a year with a log-normal spread (σ 0.20 a year); loss ratios and profit margins move
    by a seeded noise. Customers who have since left are added: 10 % of the earlier book
    per year, drawn like the sample, ids ``L<years_back><nnnnn>``. Same inputs and seed → same table.

    Parameters
    ----------
    portfolio : DataFrame
        This year's canonical customer table (e.g. :func:`sample_portfolio`).
    seed : int
    years_back : int
        How many years earlier [years, ≥ 1].
    """
    if years_back < 1:
        raise ValueError(f"years_back must be ≥ 1, not {years_back}")
    rng = np.random.default_rng([seed, 7, years_back])
    stayed = portfolio[portfolio["effective_years"].to_numpy() > years_back].copy()
    n = len(stayed)
    stayed["effective_years"] = stayed["effective_years"] - years_back
    stayed["is_new"] = stayed["effective_years"].to_numpy() == 1
    sd = SAMPLE_GROWTH_SD * np.sqrt(years_back)
    for col in ("long_term_std_premium", "health_premium", "non_health_premium"):
        factor = (1 + SAMPLE_GROWTH) ** -years_back * rng.lognormal(-0.5 * sd * sd, sd, n)
        stayed[col] = np.round(stayed[col].to_numpy() * factor)
    for col in ("health_loss_ratio", "non_health_loss_ratio"):
        values = stayed[col].to_numpy()
        moved = values * rng.lognormal(0.0, 0.15 * np.sqrt(years_back), n)
        stayed[col] = np.where(values > 0, np.round(np.clip(moved, 0, LOSS_RATIO_MAX), 4), values)
    stayed["profit_margin"] = np.round(np.clip(stayed["profit_margin"].to_numpy()
                                               + rng.normal(0, 0.03 * np.sqrt(years_back), n), -2.0, 0.6), 4)
    n_left = int(round(SAMPLE_LEAVER_SHARE * n / (1 - SAMPLE_LEAVER_SHARE)))
    a = sample_arrays(n_left, seed + 1000 * years_back)
    branches = sample_branches()
    left = pd.DataFrame({
        "customer_id": [f"L{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "name": [f"已离册客户{years_back}{i:05d}" for i in range(1, n_left + 1)],
        "branch": branches["branch"].to_numpy()[a.pop("branch_code")],
        "branch_class": pd.Categorical(a.pop("branch_class"), categories=BRANCH_CLASSES),
    })
    for key, values in a.items():
        left[key] = values
    left["standard_premium"] = np.nan
    out = pd.concat([stayed, left[[c for c in stayed.columns if c in left]]], ignore_index=True)
    out["branch_class"] = pd.Categorical(out["branch_class"].astype(str), categories=BRANCH_CLASSES)
    return out
