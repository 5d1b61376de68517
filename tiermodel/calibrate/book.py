"""The whole calibration of one book in one call: :func:`calibrate_book` → :class:`Calibration`.

Pure: a validated portfolio, the policy and the Silver places in; a result object out, whose
:meth:`Calibration.tables` is the one list of what the analysis exports (notebook 02, the
``tiermodel calibrate`` workbook and the report's workbook all take it from there) and whose
:meth:`Calibration.scenario_text` is the calibrated parameter scenario as YAML text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..notes import Note, note
from ..policy import BandTable, Policy
from ..result import Result
from ..scoring import score
from ..tiers import Tiering, assign_tiers, branch_capacity
from . import scenario as _scenario
from .curves import count_curves, curve_ends
from .diagnostics import candidate_table, criteria_overlap, gold_cut_margin, gold_pool_excess
from .groups import candidate_counts
from .tables import band_shares, band_shares_wide, fitted_tables, gold_list_change, table_changes, unfittable_tables
from .thresholds import (SolvedThresholds, criterion_alone_table, default_targets, parse_targets,
                         solve_thresholds)


@dataclass
class Calibration(Result):
    """Everything :func:`calibrate_book` computed.

    Attributes
    ----------
    policy_in_force : Policy
        The policy the book was calibrated from.
    tiering : Tiering
        The book scored and tiered under ``policy_in_force``.
    candidates, overlap, gold_pool, cut_margin : DataFrame
        Diagnostics of the thresholds in force (:mod:`tiermodel.calibrate.diagnostics`).
    curves : DataFrame
        Count curves (:func:`~tiermodel.calibrate.curves.count_curves`).
    thresholds : SolvedThresholds
        Thresholds meeting the targets with the 附表1–3 in force.
    threshold_counts : dict
        Candidates per group under ``thresholds.policy`` [customers].
    criterion_alone : DataFrame
        The same targets met by one criterion's minimum alone, per criterion.
    fitted : dict of str to BandTable
        附表1–3 with band edges fitted to the book.
    band_shares : DataFrame
        Customers per band under the assumed and the fitted edges [share].
    gold_change : DataFrame
        Customers entering or leaving Gold under the fitted tables.
    final : SolvedThresholds
        The thresholds written to the scenario: solved after fitting the tables when
        ``fit_tables``, else ``thresholds``.
    changes : DataFrame
        Every change of the scenario (thresholds and, with ``fit_tables``, band edges).
    counts : dict
        Candidates per group under the calibrated policy [customers].
    """

    policy_in_force: Policy
    tiering: Tiering
    candidates: pd.DataFrame
    overlap: pd.DataFrame
    gold_pool: pd.DataFrame
    cut_margin: pd.DataFrame
    curves: pd.DataFrame
    thresholds: SolvedThresholds
    threshold_counts: dict[str, int]
    criterion_alone: pd.DataFrame
    fitted: dict[str, BandTable]
    band_shares: pd.DataFrame
    gold_change: pd.DataFrame
    final: SolvedThresholds
    changes: pd.DataFrame
    counts: dict[str, int]
    options: dict = field(default_factory=dict)

    @property
    def tier_table(self) -> pd.DataFrame:
        """The book scored and tiered under the policy in force (``tiering.table``)."""
        return self.tiering.table

    @property
    def policy(self) -> Policy:
        """The calibrated policy: the policy in force with every change applied."""
        return self.final.policy

    def threshold_changes(self) -> pd.DataFrame:
        """The thresholds solved with the tables in force: parameter, old, new, meets."""
        return _scenario.calibrated_changes(self.thresholds, None, self.policy_in_force)

    def scenario_text(self, title: str | None = None) -> str:
        """The calibrated parameter scenario as YAML text (see
        :func:`tiermodel.calibrate.scenario.scenario_text`); write it with
        :func:`tiermodel.io.write_text`.

        Parameters
        ----------
        title : str, optional
            First line of the scenario's description; default names the method, the tie rule
            and the number of customers.
        """
        o = self.options
        title = title or (f"Calibrated thresholds (method {o.get('method')}, ties {o.get('tie')}) "
                          f"on {len(self.tiering.table):,} customers")
        return _scenario.scenario_text(self.changes, title)

    def findings(self) -> list[Note]:
        """Every target no threshold meets ('group: why') and every 附表 that cannot be fitted
        to this book, in that order, as notes (``[]`` when all are met and fitted)."""
        return self.thresholds.unreachable() + list(self.options.get("findings", []))

    def curve_ends(self) -> pd.DataFrame:
        """Candidates at both ends of each group's scale curve (:func:`~.curves.curve_ends`)."""
        return curve_ends(self.curves)

    def curve_count(self) -> int:
        """How many count curves were drawn: one per group and parameter."""
        return int(self.curves.groupby(["group", "parameter"]).ngroups)

    def band_shares_wide(self) -> pd.DataFrame:
        """Customers per band [share], one row per table and band, one column per set of edges
        (:func:`~.tables.band_shares_wide`)."""
        return band_shares_wide(self.band_shares)

    def fitted_edge_lines(self, digits: int = 4) -> list[str]:
        """One line per fitted 附表: ``"<table> fitted edges: [e1, e2, …]"``, edges rounded to
        ``digits`` decimals [the table's unit]."""
        return [f"{name} fitted edges: {[round(b, digits) for b in table.breaks]}"
                for name, table in self.fitted.items()]

    def gold_change_counts(self) -> dict[str, int]:
        """Customers entering and leaving Gold under the fitted tables (第13条) [customers]:
        ``{"enters_gold": n, "leaves_gold": m}``."""
        change = self.gold_change.get("change", pd.Series(dtype=object))
        return {what: int((change == what).sum()) for what in ("enters_gold", "leaves_gold")}

    def gold_change_note(self) -> Note:
        """How many customers enter and leave Gold under the fitted tables, as a note
        (``calibrate.gold_change``)."""
        counts = self.gold_change_counts()
        return note("calibrate.gold_change", enters=counts["enters_gold"], leaves=counts["leaves_gold"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """Diagnostics, the thresholds solved, the scenario's changes and the fitted 附表1–3."""
        return {"candidates": self.candidates, "criteria overlap": self.overlap,
                "gold pool": self.gold_pool, "gold cut margin": self.cut_margin,
                "calibration": self.thresholds.table(), "criterion alone": self.criterion_alone,
                "threshold changes": self.threshold_changes(),
                "scenario changes": _scenario.format_changes(self.changes),
                "band shares": self.band_shares, "gold list change": self.gold_change}


def calibrate_book(portfolio: pd.DataFrame, policy: Policy, capacity: pd.Series | None = None, *,
                   gold_pool=None, silver=None, method: str = "scale", tie: str = "at_least",
                   fit_tables: bool = False, shares: dict[str, list[float]] | None = None,
                   curve_points: int = 200) -> Calibration:
    """Calibrate the 第11条 thresholds (and optionally the 附表1–3 band edges) to a book.

    Diagnostics of the thresholds in force, count curves, thresholds meeting the targets
    (one scale factor per group, or one criterion), each criterion alone, band edges fitted to
    the book's quantiles with their effect on the Gold list (第13条), and the changes of the
    calibrated scenario. With ``fit_tables`` the tables are fitted first and the thresholds
    solved after, since the tables move the value index and so who is Gold.

    Parameters
    ----------
    portfolio : DataFrame
        Validated customer table (:func:`tiermodel.portfolio.validate_portfolio`).
    policy : Policy
        The policy in force.
    capacity : Series, optional
        Silver places per branch [customers]; default :func:`tiermodel.tiers.branch_capacity`.
    gold_pool : int, optional
        Gold candidates wanted [customers]; default twice the Gold places (80).
    silver : dict or str, optional
        Silver candidates wanted per class, ``{"A": 180}`` or ``"A=180,B=200"`` [customers];
        default the summed Silver places of each class's branches.
    method : {"scale", "long_term", "health", "non_health"}
        One scale factor on a group's three premium minimums, or one criterion's minimum.
    tie : {"at_least", "at_most"}
        Which side of a tie straddling a target to land on (bounds inclusive, 第11条).
    fit_tables : bool
        Also put 附表1–3 band edges fitted to the book into the scenario.
    shares : dict, optional
        Band shares per table [share]; default equal shares.
    curve_points : int
        Points per count curve (≥ 2).

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        A target that cannot be parsed or is larger than the book, an unknown method or tie
        rule, bad band shares.
    """
    if capacity is None:
        capacity = branch_capacity(portfolio, policy)
    tiering = assign_tiers(score(portfolio, policy), policy, capacity)
    tier_table = tiering.table
    targets = parse_targets(gold_pool, silver, default=default_targets(tier_table, policy, capacity))
    thresholds = solve_thresholds(tier_table, policy, targets, method, tie)
    fitted = fitted_tables(tier_table, policy, shares)
    fitted_policy = policy.with_values(table_changes(policy, fitted), note="calibration")
    refitted = assign_tiers(score(portfolio, fitted_policy), fitted_policy, capacity)  # the book under them
    if fit_tables:  # the tables move the value index, hence who is Gold: fit them first
        final_targets = parse_targets(gold_pool, silver,
                                      default=default_targets(refitted.table, fitted_policy, capacity))
        final = solve_thresholds(refitted.table, fitted_policy, final_targets, method, tie)
        counts = candidate_counts(refitted.table, final.policy)
    else:
        final, counts = thresholds, None
    threshold_counts = candidate_counts(tier_table, thresholds.policy)
    return Calibration(
        policy_in_force=policy, tiering=tiering,
        candidates=candidate_table(tiering), overlap=criteria_overlap(tiering),
        gold_pool=gold_pool_excess(tiering, policy), cut_margin=gold_cut_margin(tiering),
        curves=count_curves(tier_table, policy, n_points=curve_points),
        thresholds=thresholds, threshold_counts=threshold_counts,
        criterion_alone=criterion_alone_table(tier_table, policy, targets, tie),
        fitted=fitted, band_shares=band_shares(tier_table, policy, fitted),
        gold_change=gold_list_change(tiering, refitted),
        final=final,
        changes=_scenario.calibrated_changes(final, fitted if fit_tables else None, policy),
        counts=threshold_counts if counts is None else counts,
        options={"method": method, "tie": tie, "fit_tables": fit_tables, "curve_points": curve_points,
                 "findings": unfittable_tables(tier_table, policy)},
    )
