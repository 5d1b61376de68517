"""`tiermodel explore`: the what-if explorer (notebook 09) served with Voilà on localhost, and the
page's inputs and saving.

:func:`explorer` is what notebook 09 calls: it loads the run's inputs as ``report`` does (a
customer file, branches, amount unit, history; the sample by default), computes the base once
(:class:`tiermodel.compare.whatif.WhatIf`) and returns the page
(:class:`tiermodel.present.explorer.Explorer`) whose save button writes a scenario into
``params/scenarios/``. :func:`serve` starts Voilà on the notebook with those inputs handed over
in the environment (:data:`ENV`): Voilà shows the controls and results, no code cells.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from .errors import LeverError, OptionError
from .notes import note
from .policy import PARAMS_DIR, load_policy, scenario_names
from .resources import data_dir

#: The environment variable that hands ``tiermodel explore``'s options to the page's kernel.
ENV = "TIERMODEL_EXPLORE"
#: The explorer's notebook: not a report page (``report.notebooks`` leaves it out).
NOTEBOOK = "09_what_if.ipynb"
#: Options of the page (and of ``tiermodel explore``), with their defaults.
OPTIONS = {"portfolio": "", "branches": "", "amount_unit": "yuan", "history": "", "history_year": None,
           "lang": "zh", "display_unit": "", "scenarios_dir": "", "seed": 2003}


def page_options(**given) -> dict:
    """The page's options: the notebook's parameters, overridden by ``tiermodel explore``'s
    (the :data:`ENV` variable) where the page is served."""
    out = {**OPTIONS, **{k: v for k, v in given.items() if k in OPTIONS}}
    served = os.environ.get(ENV)
    if served:
        out.update({k: v for k, v in json.loads(served).items() if k in OPTIONS})
    return out


def _budget_year(history: str, history_year) -> int | None:
    """The service year whose prices the 附件七 budget takes: the year after the newest list of
    ``history`` (None without history: the 2003 prices, as ``compare``)."""
    if not history:
        return None
    from .history import read_history

    paths = [p.strip() for p in str(history).split(",") if p.strip()]
    table = read_history(paths, history_year)
    return int(table["year"].max()) + 1


def explorer(portfolio: str = "", branches: str = "", amount_unit: str = "yuan", history: str = "",
             lang: str = "zh", display_unit: str = "", scenarios_dir: str = "", history_year=None,
             seed: int = 2003):
    """The what-if page on a run's inputs (see the module); ``display(...)`` shows it.

    Parameters are ``report``'s: ``portfolio`` (default: the bundled sample), ``branches``,
    ``amount_unit`` of the file ("yuan" or "wan"), ``history`` (the budget then takes the
    service year's prices), ``lang`` ("zh" or "en"), ``display_unit`` (empty: 万元 in zh, 元 in
    en); ``scenarios_dir`` where saved scenarios go (default ``params/scenarios/``).
    """
    from .compare.whatif import WhatIf
    from .present import display_unit as unit_of
    from .present.explorer import Explorer
    from .run_inputs import load_inputs

    o = page_options(portfolio=portfolio, branches=branches, amount_unit=amount_unit, history=history,
                     lang=lang, display_unit=display_unit, scenarios_dir=scenarios_dir,
                     history_year=history_year, seed=seed)
    inputs = load_inputs(None, o["portfolio"] or None, o["branches"] or None, o["amount_unit"], int(o["seed"]))
    year = _budget_year(o["history"], o["history_year"])
    whatif = WhatIf(inputs.portfolio, inputs.policy, inputs.branches, year)
    folder = Path(o["scenarios_dir"]) if o["scenarios_dir"] else PARAMS_DIR / "scenarios"
    scenarios = {n: (lambda n=n: load_scenario(folder, n)) for n in saved_names(folder)}
    name, _, _ = inputs.data_source()
    return Explorer(whatif, o["lang"], unit_of(o["display_unit"], o["lang"]), scenarios,
                    save=lambda n, text, table: save_scenario(folder, n, text, table), source=name,
                    load=lambda n: load_scenario(folder, n), served=bool(os.environ.get(ENV)))


def saved_names(folder: Path) -> list[str]:
    """The scenarios a page may start from: the shipped ones and those saved in ``folder`` (a
    ``<name>.yaml``, or a ``<name>-branches.csv`` of branch Silver places alone)."""
    folder = Path(folder)
    names = set(scenario_names())
    if folder.is_dir():
        names |= {p.stem for p in folder.glob("*.yaml")}
        names |= {p.name[:-len("-branches.csv")] for p in folder.glob("*-branches.csv")}
    return sorted(names)


def load_scenario(folder: Path, name: str):
    """A scenario to start from: its policy (None where it sets branch places only) and the
    branch Silver places of its ``<name>-branches.csv`` (branch → places; empty if none)."""
    from .portfolio import read_branches

    folder = Path(folder)
    path = folder / f"{name}.yaml"
    policy = load_policy(scenario=str(path)) if path.is_file() else \
        (load_policy(name) if name in scenario_names() else None)
    table = folder / f"{name}-branches.csv"
    places = {}
    if table.is_file():
        t = read_branches(table)
        places = dict(zip(t["branch"].astype(str), t["silver_capacity"].astype(int)))
    return policy, places


def save_scenario(folder: Path, name: str, text: str | None, branch_table=None) -> list[Path]:
    """Write a saved setting: ``<name>.yaml`` (read back with ``load_policy`` before it is
    written) and, where it changes branch Silver places, ``<name>-branches.csv``. An existing
    file is never replaced; both are written or neither."""
    import tempfile

    from .io import atomic_paths, write_table

    folder = Path(folder)
    targets = ([folder / f"{name}.yaml"] if text is not None else []) + \
              ([folder / f"{name}-branches.csv"] if branch_table is not None else [])
    if any(t.exists() for t in targets):
        raise LeverError(f"{folder / name}: a scenario of this name exists; it is not replaced",
                         note("whatif.error.name_exists", name=name))
    if text is not None:
        with tempfile.TemporaryDirectory() as probe_dir:
            probe = Path(probe_dir) / f"{name}.yaml"
            probe.write_text(text, encoding="utf-8")
            load_policy(scenario=str(probe))
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_paths(targets) as tmps:
        for target, tmp in zip(targets, tmps):
            if target.suffix == ".yaml":
                tmp.write_text(text, encoding="utf-8")
            else:
                write_table(branch_table, tmp)
    return targets


# ----------------------------------------------------------------------------- serving
def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def voila_command(port: int) -> list[str]:
    """The Voilà command serving notebook 09 on ``127.0.0.1:port`` (no code cells, no browser)."""
    notebook = data_dir("notebooks") / NOTEBOOK
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--strip_sources=True", "--theme=light",
            "--VoilaConfiguration.file_allowlist=[]"]


def serve_process(options: dict, port: int | None = None, **popen) -> tuple[subprocess.Popen, str]:
    """Start Voilà on notebook 09 with the page's ``options``; returns the process and the URL."""
    try:
        import voila  # noqa: F401
    except ImportError:
        raise OptionError("explore", "Voilà is not installed: pip install -e '.[explore]' (make setup does)") \
            from None
    port = port or free_port()
    env = {**os.environ, ENV: json.dumps({k: v for k, v in options.items() if k in OPTIONS})}
    proc = subprocess.Popen(voila_command(port), env=env, **popen)
    return proc, f"http://127.0.0.1:{port}/"
