"""Tiny customer books for the small-book tests (issue: the report runs on any real book)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tiermodel.portfolio import sample_portfolio

AMOUNTS = ["long_term_std_premium", "health_premium", "non_health_premium"]


def one_customer() -> pd.DataFrame:
    """The first customer of the seeded sample alone."""
    return sample_portfolio(2003, 30).head(1).drop(columns="standard_premium")


def thirty_customers() -> pd.DataFrame:
    """30 customers of the seeded sample, over the sample's branches."""
    return sample_portfolio(2003, 30).drop(columns="standard_premium")


def two_branches(n: int = 300) -> pd.DataFrame:
    """300 customers of two branches (one class A, one class C)."""
    df = sample_portfolio(7, n).drop(columns="standard_premium")
    first = np.arange(n) % 2 == 0
    df["branch"] = np.where(first, "合肥", "芜湖")
    df["branch_class"] = np.where(first, "A", "C")
    return df


def no_criterion() -> pd.DataFrame:
    """200 customers none of whom meets a 第11条 criterion: every amount is at most 20,000 CNY,
    far below the lowest Silver premium minimum, and every loss ratio is 0.9 (above the caps)."""
    df = sample_portfolio(11, 200).drop(columns="standard_premium")
    for col in AMOUNTS:
        df[col] = np.minimum(df[col], 20_000.0)
    df["health_loss_ratio"] = np.where(df["health_premium"] > 0, 0.9, 0.0)
    df["non_health_loss_ratio"] = np.where(df["non_health_premium"] > 0, 0.9, 0.0)
    return df


def in_wan(df: pd.DataFrame) -> pd.DataFrame:
    """The same book with its amounts written in 万元 (the forgotten ``--amount-unit wan``)."""
    out = df.copy()
    for col in AMOUNTS:
        out[col] = out[col] / 10_000
    return out


def percent_loss_ratios(df: pd.DataFrame) -> pd.DataFrame:
    """The same book with the non-health loss ratios typed as percentages (55 for 0.55)."""
    out = df.copy()
    out["non_health_loss_ratio"] = (out["non_health_loss_ratio"] * 100).round(1)
    return out


BOOKS = {"one": one_customer, "thirty": thirty_customers, "two_branches": two_branches,
         "no_criterion": no_criterion}


#: Small sizes for every page of a report on a small book (each name is declared by some notebook).
SMALL = {"sobol_n": 16, "draws": 32, "steps": 3, "simplex_step": 0.1, "budget_draws": 4, "curve_points": 20,
         "path_sims": 200, "count_case_sims": 200, "sims": 500}


def report_args(book: Path, reports: Path, *extra: str) -> list[str]:
    """``tiermodel report`` on ``book`` into ``reports`` with :data:`SMALL` sizes."""
    out = ["report", "--portfolio", str(book), "--reports-dir", str(reports), *extra]
    for name, value in SMALL.items():
        out += ["-p", f"{name}={value}"]
    return out


def write(name: str, folder: Path) -> Path:
    path = Path(folder) / f"{name}.csv"
    BOOKS[name]().to_csv(path, index=False)
    return path


if __name__ == "__main__":  # python tests/small_books.py FOLDER
    import sys

    for name in BOOKS:
        print(write(name, Path(sys.argv[1])))
