"""Load what a run works on: the policy (plus scenario), the portfolio and the branch table.

Notebooks and the command line call :func:`load_inputs` so that every report reads its
inputs the same way; with no portfolio given, the bundled synthetic sample is used.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .io import ReadOptions, sha256_file, sha256_frame
from .policy import PARAMS_DIR, Policy, load_policy
from .portfolio import (DEFAULT_SEED, file_amount_unit, read_branches, read_portfolio, sample_branches,
                        sample_portfolio, validate_branches, validate_portfolio)
from .scoring import score
from .tiers import Tiering, assign_tiers, branch_capacity


@dataclass
class RunInputs:
    policy: Policy
    portfolio: pd.DataFrame  # validated, canonical columns
    branches: pd.DataFrame | None
    portfolio_source: str  # file path, or "sample(seed=N)"
    seed: int
    #: The unit the customer file holds (:func:`tiermodel.portfolio.file_amount_unit`): "yuan",
    #: "wan", or "" where its headers state units for some columns only (each read as it says).
    amount_unit: str = "yuan"

    def capacity(self, policy: Policy | None = None) -> pd.Series:
        """Silver places per branch [customers] (第13条): the branch table's
        ``silver_capacity`` where given, else the class default of ``policy`` (default: the
        run's policy)."""
        return branch_capacity(self.portfolio, policy or self.policy, self.branches)

    def tiering(self, policy: Policy | None = None) -> Tiering:
        """Score and tier the portfolio under ``policy`` (default: the run's policy), with
        that policy's Silver capacity (第13条)."""
        policy = policy or self.policy
        return assign_tiers(score(self.portfolio, policy), policy, self.capacity(policy))

    def data_source(self) -> tuple[str, str, bool]:
        """The data source of the run: (name, SHA-256 hex, is the sample).

        A file is named by its file name and hashed as stored; the generated sample by its seed
        and the SHA-256 of its CSV text (as the run manifest does). A page header shows them
        (:func:`tiermodel.present.page.header`).
        """
        source = self.portfolio_source
        if source.startswith("sample("):
            return source, sha256_frame(self.portfolio), True
        return Path(source).name, sha256_file(source), False

    def gold_note(self, tier_table: pd.DataFrame):
        """Why there is no Gold list on this book, a note ("" when there is one):
        :func:`tiermodel.small_book.gold_note` of the run's portfolio and policy.

        Parameters
        ----------
        tier_table : DataFrame
            The book's tiering (``Tiering.table``: ``tier`` and ``gold_eligible`` columns).
        """
        from .small_book import gold_note

        return gold_note(self.portfolio, tier_table, self.policy)

    def silver_note(self, tier_table: pd.DataFrame):
        """Why there is no Silver list on this book, a note ("" when there is one):
        :func:`tiermodel.small_book.silver_note` of the run's portfolio and policy."""
        from .small_book import silver_note

        return silver_note(self.portfolio, tier_table, self.policy)


def load_inputs(scenario: str | None = None, portfolio: str | Path | None = None,
                branches: str | Path | None = None, amount_unit: str | None = None,
                seed: int = DEFAULT_SEED, params_dir: str | Path = PARAMS_DIR,
                options: ReadOptions | None = None) -> RunInputs:
    """The policy, the validated portfolio and the branch table of a run.

    Parameters
    ----------
    scenario : str, optional
        Scenario name under ``params/scenarios/`` (None or "" = the 2003 policy as written).
    portfolio : path, optional
        CSV, .xlsx or Parquet customer table; None or "" = the synthetic sample drawn with
        ``seed``.
    branches : path, optional
        Branch table (branch, branch_class, silver_capacity).
    amount_unit : {"yuan", "wan"}, optional
        Unit of the amounts in the portfolio file (``--amount-unit``). None or "": a column
        whose header states its unit (``长险标准保费（万元）``, ``health_premium_wan``) is read in
        that unit, any other in 元; given, it must agree with every unit a header states
        (:class:`~tiermodel.errors.InputTableError` otherwise). Only the input: pages and
        sheets show amounts in their own display unit (``tm.present.display_unit``).
    seed : int
        Seed of the synthetic sample (and of any random draw the run makes).
    options : ReadOptions, optional
        How to read odd extracts: the encoding of every CSV input; the header row and the Excel
        sheet of the customer table (other tables: header detected, first sheet).
    """
    policy = load_policy(scenario or None, params_dir)
    other = ReadOptions(encoding=options.encoding) if options else None  # header row, sheet: portfolio only
    branch_table = read_branches(branches, other) if branches else None
    if portfolio:
        table = read_portfolio(portfolio, branch_table, amount_unit or None, options=options)
        source = str(portfolio)
        unit = file_amount_unit(table, amount_unit or None)
    else:
        if branch_table is None:
            branch_table = validate_branches(sample_branches(), "sample branches")
        table = validate_portfolio(sample_portfolio(seed), f"sample(seed={seed})", branch_table)
        source = f"sample(seed={seed})"
        unit = "yuan"
    return RunInputs(policy, table, branch_table, source, seed, unit)
