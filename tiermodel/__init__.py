"""tiermodel — Ping An Life's 2003 group-insurance customer tiering policy, executable.

``import tiermodel as tm`` gives what a notebook needs::

    policy = tm.load_policy()                   # the policy as written (or a scenario)
    book = tm.load_sample()                     # or tm.read_portfolio("book.xlsx")
    tiering = tm.assign_tiers(tm.score(book, policy), policy)
    tiering.tables()                            # what it exports, in reading order
    tm.forecast_budget(tiering.table, policy, 2027).tables()

Layers (ARCHITECTURE.md): base (``policy``, ``portfolio``, ``events``, ``io``, ``vocabulary``,
``errors``) → model (``scoring`` 第10条, ``tiers`` 第11–13条, ``reference``) → analyses
(``calibrate``, ``sensitivity``, ``budget``, ``assess``, ``compare``) → present (``plots``,
``present``) → app (``report``, ``cli``). Names load on first use, so ``import tiermodel`` is quick.
"""
from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tiermodel")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

#: The public API: name → (module, attribute); ``None`` attribute = the module itself.
_API = {
    # base: parameters and data
    "load_policy": ("tiermodel.policy", "load_policy"),
    "describe": ("tiermodel.policy", "describe"),
    "Policy": ("tiermodel.policy", "Policy"),
    "read_portfolio": ("tiermodel.portfolio", "read_portfolio"),
    "read_branches": ("tiermodel.portfolio", "read_branches"),
    "load_sample": ("tiermodel.portfolio", "load_sample"),
    "sample_portfolio": ("tiermodel.portfolio", "sample_portfolio"),
    "label": ("tiermodel.vocabulary", "label"),
    "TiermodelError": ("tiermodel.errors", "TiermodelError"),
    "Note": ("tiermodel.notes", "Note"),
    "note": ("tiermodel.notes", "note"),
    # model: 第10–13条
    "score": ("tiermodel.scoring", "score"),
    "assign_tiers": ("tiermodel.tiers", "assign_tiers"),
    "branch_capacity": ("tiermodel.tiers", "branch_capacity"),
    "tier_counts": ("tiermodel.tiers", "tier_counts"),
    "cut_lines": ("tiermodel.tiers", "cut_lines"),
    "Tiering": ("tiermodel.tiers", "Tiering"),
    # analyses: entry points returning results with .tables()
    "calibrate_book": ("tiermodel.calibrate", "calibrate_book"),
    "sensitivity_analysis": ("tiermodel.sensitivity", "sensitivity_analysis"),
    "table_uncertainty": ("tiermodel.sensitivity", "table_uncertainty"),
    "forecast_budget": ("tiermodel.budget", "forecast_budget"),
    "assess_service": ("tiermodel.assess", "assess_service"),
    "assess_year": ("tiermodel.assess_inputs", "assess_year"),
    "year_over_year": ("tiermodel.compare", "year_over_year"),
    "compare_tierings": ("tiermodel.compare", "compare_tierings"),
    "review_year": ("tiermodel.compare", "review_year"),
    "ServiceYear": ("tiermodel.compare", "ServiceYear"),
    "decision_budget": ("tiermodel.compare", "decision_budget"),
    "project_years": ("tiermodel.compare", "project_years"),
    "read_history": ("tiermodel.history", "read_history"),
    # app: what a report run loads
    "load_inputs": ("tiermodel.run_inputs", "load_inputs"),
    "load_cycle": ("tiermodel.cycle_inputs", "load_cycle"),
    "load_service_record": ("tiermodel.service_inputs", "load_service_record"),
    "decision_page": ("tiermodel.pages", "decision_page"),
    "annual_review": ("tiermodel.pages", "annual_review"),
    "explorer": ("tiermodel.explore", "explorer"),  # the what-if page (notebook 09, `tiermodel explore`)
}
_SUBMODULES = ("assess", "budget", "calibrate", "compare", "errors", "history", "events", "io", "plots", "policy", "portfolio", "present",
               "reference", "scoring", "sensitivity", "tiers", "vocabulary")
__all__ = sorted(_API) + list(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _API:
        module, attribute = _API[name]
        value = getattr(importlib.import_module(module), attribute)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"tiermodel.{name}")
    else:
        raise AttributeError(f"module 'tiermodel' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return __all__
