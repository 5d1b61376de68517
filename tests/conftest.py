"""Shared fixtures: the 2003 policy and a builder of small hand-made portfolios.

A hand-made customer starts from ``BASE_CUSTOMER`` — an established (year-10) class-C
customer with no premium at all, so that it meets no 第11条 criterion — and states only
the fields a test is about.
"""
from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# `make mutate` runs every mutant against the same hypothesis examples, so that a kill or
# a survival does not depend on the draw
MUTATE = bool(os.environ.get("TIERMODEL_MUTATE"))
settings.register_profile("mutate", derandomize=True, database=None)
if MUTATE:
    settings.load_profile("mutate")


def examples(n: int) -> int:
    """Examples of a property test: ``n``, or a sixth of it (at least 8) under `make mutate`,
    which runs the tests once per mutant."""
    return max(8, n // 6) if MUTATE else n


#: Under `make mutate`, the order the focused test files run in: quick refusals first.
MUTATE_FILE_ORDER = ["test_policy.py", "test_score.py", "test_tiers.py", "test_core_properties.py"]


def pytest_collection_modifyitems(config, items):
    """Under `make mutate` a mutant stops at its first failing test: hand-worked tests first
    (file by file, quick refusals first), property tests after them; the whole-pipeline runs
    on the bundled sample are left to `make test`."""
    if not MUTATE:
        return
    items[:] = [item for item in items if "bundled_sample" not in item.name]

    def cost(item):
        hypothesis = bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))
        name = item.path.name
        return (hypothesis, MUTATE_FILE_ORDER.index(name) if name in MUTATE_FILE_ORDER else len(MUTATE_FILE_ORDER))

    items.sort(key=cost)

from tiermodel.policy import load_policy  # noqa: E402
from tiermodel.portfolio import validate_portfolio  # noqa: E402
from tiermodel.scoring import score  # noqa: E402
from tiermodel.tiers import assign_tiers  # noqa: E402

BASE_CUSTOMER = {
    "customer_id": None,  # filled in as C001, C002, ... by position
    "name": "",
    "branch": "Hefei",
    "branch_class": "C",
    "effective_years": 10,
    "is_new": False,
    "long_term_std_premium": 0.0,
    "health_premium": 0.0,
    "health_loss_ratio": 0.0,
    "non_health_premium": 0.0,
    "non_health_loss_ratio": 0.0,
    "profit_margin": 0.0,
    "first_service_objects": 1,
    "second_service_objects": 1,
}


def raw_customers(*customers: dict) -> pd.DataFrame:
    """A raw customer table (English headers) from partial rows over ``BASE_CUSTOMER``."""
    rows = []
    for i, c in enumerate(customers, start=1):
        row = {**BASE_CUSTOMER, **c}
        if row["customer_id"] is None:
            row["customer_id"] = f"C{i:03d}"
        rows.append(row)
    return pd.DataFrame(rows, columns=list(BASE_CUSTOMER))


def customers(*rows: dict, branches: pd.DataFrame | None = None) -> pd.DataFrame:
    """A validated (canonical) customer table from partial rows.

    Hand-made tables hold a few deliberately odd amounts; the 10,000× scale warning is
    tested in test_portfolio.py and silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*median customer premium")
        return validate_portfolio(raw_customers(*rows), "hand-made", branches)


def tier_of(table: pd.DataFrame) -> dict[str, str]:
    """``{customer_id: tier}`` of a tiered table."""
    return dict(zip(table["customer_id"], table["tier"].astype(str)))


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def policy():
    """The 2003 policy as written (with the stated assumptions)."""
    return load_policy()


@pytest.fixture()
def tiered(policy):
    """``tiered(rows..., capacity=None, policy=None)`` → Tiering of hand-made customers."""

    def run(*rows, capacity=None, policy_=None):
        pol = policy_ or policy
        return assign_tiers(score(customers(*rows), pol), pol, capacity)

    return run


@dataclass(frozen=True)
class SharedRun:
    """A report run several tests read: the command's exit status, what it wrote to stderr,
    its run folder and the customer file it ran on."""

    status: int
    err: str
    run_dir: Path
    book: Path


@pytest.fixture(scope="session")
def two_branches_report(tmp_path_factory) -> SharedRun:
    """One whole report (every notebook, small simulation sizes) on the 300-customer book of two
    branches, amounts in 元 with no unit in the headers, run as ``tiermodel report
    --display-unit wan``: read by test_small_books (the report runs on a tiny book),
    test_decision (one budget figure on every page) and test_units (page 04 in 万元). Tests
    only read it; one that writes, writes into its own folder."""
    import contextlib
    import io

    import small_books
    from tiermodel.cli import main

    tmp = tmp_path_factory.mktemp("two-branches-report")
    book = small_books.write("two_branches", tmp)
    reports = tmp / "reports"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(small_books.report_args(book, reports, "--display-unit", "wan"))
    runs = [p for p in reports.iterdir() if p.is_dir()] if reports.is_dir() else []
    assert len(runs) == 1, err.getvalue()[-2000:]
    return SharedRun(status, err.getvalue(), runs[0], book)
