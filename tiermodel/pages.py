"""Facts a report page opens with, gathered from a run's inputs (app side: reads the data file
to hash it). The present layer's :func:`tiermodel.present.page_header` draws them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .present.html import Html, page_header
from .run_inputs import RunInputs

#: Columns of the summary page's Gold list, names first: the 第13条 pool (已承保客户 existing /
#: 本年新客户 new) stands beside the rank, which restarts at 1 in each pool (30 + 10 places).
SUMMARY_GOLD_COLUMNS = ["gold_pool", "tier_rank", "customer_id", "name", "branch", "branch_class", "value_index"]


def data_source(inputs: RunInputs) -> tuple[str, str, bool]:
    """The data source of a run: (name, SHA-256 hex, is the sample).

    A file is named by its file name and hashed as stored; the generated sample by its seed
    and the SHA-256 of its CSV text (as the run manifest does).
    """
    from .report import sha256_file, sha256_frame

    source = inputs.portfolio_source
    if source.startswith("sample("):
        return source, sha256_frame(inputs.portfolio), True
    return Path(source).name, sha256_file(source), False


def run_page_header(inputs: RunInputs, title: str, about: str = "", lang: str = "zh",
                    amount_unit: str | None = None, run_date: dt.date | str | None = None) -> Html:
    """The page header of a report notebook: what it is, the scenario, the data source (file
    name and SHA-256 prefix, or the sample with a SAMPLE DATA banner) and the run date."""
    source, sha, sample = data_source(inputs)
    return page_header(title, about, inputs.policy.scenario or "", source, sha, sample, run_date, lang,
                       amount_unit)


def summary_gold_list(gold: pd.DataFrame) -> pd.DataFrame:
    """The Gold list of page 00: each customer's pool (第13条: existing or new customers) beside
    its rank within that pool, then id, name, branch, class and value index (第10条).

    Parameters
    ----------
    gold : DataFrame
        ``TierResult.tables()["gold list"]`` (``gold_pool``, ``tier_rank`` [rank in the pool], …).

    Returns
    -------
    DataFrame
        The columns of :data:`SUMMARY_GOLD_COLUMNS` the list has, existing pool first, by rank.
    """
    columns = [c for c in SUMMARY_GOLD_COLUMNS if c in gold.columns]
    out = gold[columns]
    if {"gold_pool", "tier_rank"} <= set(columns):
        pool_order = out["gold_pool"].map({"existing": 0, "new": 1}).fillna(2)
        out = out.assign(_pool=pool_order).sort_values(["_pool", "tier_rank"], kind="stable").drop(columns="_pool")
    return out.reset_index(drop=True)
