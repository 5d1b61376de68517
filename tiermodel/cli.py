"""``tiermodel ...`` — thin: parse, call the package, print.

Each subcommand is a pair ``_add_<name>(subparsers)`` / ``_run_<name>(args)`` registered
in ``COMMANDS``. Errors on bad input print one clear message and exit with status 2.
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from .errors import TiermodelError


def _inputs_args(p: argparse.ArgumentParser, portfolio_required: bool = False) -> None:
    p.add_argument("--scenario", help="scenario name under params/scenarios/ (default: the 2003 policy)")
    p.add_argument("--portfolio", required=portfolio_required,
                   help="customer table (.csv, .xlsx, .parquet); default: the bundled sample")
    p.add_argument("--branches", help="branch table (branch, branch_class, silver_capacity)")
    p.add_argument("--amount-unit", choices=["yuan", "wan"], default="yuan",
                   help="unit of the amounts in the portfolio file (wan = 万元)")
    p.add_argument("--seed", type=int, default=2003, help="seed of the sample and random draws")


def _load(args):
    from .run_inputs import load_inputs

    return load_inputs(args.scenario, args.portfolio, args.branches, args.amount_unit, args.seed)


# ----------------------------------------------------------------------------- params
def _add_params(sub):
    p = sub.add_parser("params", help="show the parameters in force")
    p.add_argument("action", choices=["show"])
    p.add_argument("--scenario", help="scenario name under params/scenarios/")


def _run_params(args):
    from .policy import describe, load_policy, scenario_names

    policy = load_policy(args.scenario)
    rows = describe(policy)
    width = max(len(r["path"]) for r in rows)
    title = f"scenario {policy.scenario}" if policy.scenario else "policy-2003 as written"
    print(f"# {title}; files: {', '.join(str(f) for f in policy.files)}")
    for r in rows:
        print(f"{r['path']:<{width}}  {r['value']!s:<28}  {r['kind']:<10}  {r['provenance']}")
    n_assumed = sum(r["kind"] != "sourced" for r in rows)
    print(f"# {len(rows)} parameters: {len(rows) - n_assumed} sourced, {n_assumed} assumed or "
          f"set by a scenario; scenarios available: {', '.join(scenario_names()) or 'none'}")


# ----------------------------------------------------------------------------- sample
def _add_sample(sub):
    p = sub.add_parser("sample", help="write a seeded synthetic portfolio")
    p.add_argument("--seed", type=int, default=2003)
    p.add_argument("--customers", type=int, default=20_000)
    p.add_argument("--out", required=True, help="output file (.csv, .xlsx or .parquet)")


def _run_sample(args):
    from .portfolio import sample_portfolio, write_table

    df = sample_portfolio(args.seed, args.customers)
    path = write_table(df, args.out)
    print(f"wrote {len(df):,} customers (seed {args.seed}) to {path}")


# ----------------------------------------------------------------------------- tier
def _add_tier(sub):
    p = sub.add_parser("tier", help="score and tier a portfolio; write the list and a summary")
    _inputs_args(p)
    p.add_argument("--out", required=True, help="output file: .xlsx (list + summaries) or .csv (list)")


def _run_tier(args):
    from .portfolio import write_sheets, write_table
    from .tiers import tier_counts

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise TiermodelError(f"{out}: --out must end in .xlsx or .csv")
    inputs = _load(args)
    result = inputs.tiering()
    table = result.table
    by_class = tier_counts(table, "branch_class")
    by_branch = tier_counts(table, "branch")
    if out.suffix.lower() == ".csv":
        write_table(table, out)
    else:
        import pandas as pd

        write_sheets({"tier list": table, "by class": by_class, "by branch": by_branch,
                      "notes": pd.DataFrame({"note": result.notes})}, out)
    print(by_class.to_string())
    for note in result.notes:
        print(f"- {note}")
    print(f"wrote {len(table):,} customers to {out}")


# ----------------------------------------------------------------------------- report
def _add_report(sub):
    p = sub.add_parser("report", help="run every notebook into reports/<scenario>-<timestamp>/")
    _inputs_args(p)
    p.add_argument("--reports-dir", default=None, help="where run folders go (default: reports/)")
    _log_args(p)


def _log_args(p: argparse.ArgumentParser, skip: tuple[str, ...] = ()) -> None:
    """The event-table options of ``report`` and ``assess``; a table not given is a seeded sample."""
    helps = {"service-log": "service event log (第17–18条 times)", "delivery": "VIP delivery table (附件二/四)",
             "survey": "satisfaction survey answers (第35条)", "complaints": "complaint log (第34条)",
             "hotline": "VIP hotline log (附件五, 第18条 2①)",
             "policies": "policy table with renewal reminders and notices (第17条 4–5)",
             "executives": "executive table (第23–25条)"}
    for name, text in helps.items():
        if name not in skip:
            p.add_argument(f"--{name}", help=f"{text}; default: a seeded sample, marked SAMPLE DATA")
    if "log-year" not in skip:
        p.add_argument("--log-year", type=int, default=2025, help="year of the logs (and of the sample logs)")


def _print_samples(given: dict) -> None:
    from .vocabulary import SAMPLE_BANNER

    missing = [f"--{k.replace('_', '-')}" for k, v in given.items() if not v]
    if missing:
        print(f"{SAMPLE_BANNER}: {', '.join(missing)} not given; seeded samples are used and every page "
              "and sheet built on them carries the banner")


def _run_report(args):
    from .report import LOG_PARAMETERS, REPORTS_DIR, run_report

    logs = {k: getattr(args, k) for k in LOG_PARAMETERS}
    _print_samples(logs)
    run_dir = run_report(args.scenario, args.portfolio, args.branches, args.amount_unit, args.seed,
                         reports_dir=Path(args.reports_dir) if args.reports_dir else REPORTS_DIR,
                         logs=logs, log_year=args.log_year)
    print(f"report written to {run_dir}")


# ----------------------------------------------------------------------------- calibrate
def _add_calibrate(sub):
    p = sub.add_parser("calibrate", help="fit 第11条 thresholds to target candidate counts; "
                                         "optionally write a calibrated scenario")
    _inputs_args(p)
    p.add_argument("--gold-pool", type=int, help="Gold candidates wanted (default: twice the Gold places)")
    p.add_argument("--silver", help="Silver candidates wanted per class, e.g. A=180,B=200 "
                                    "(default: the summed Silver places of the class's branches)")
    p.add_argument("--method", choices=["scale", "long_term", "health", "non_health"], default="scale",
                   help="one scale factor on a tier/class's three premium minimums, or one criterion")
    p.add_argument("--tie", choices=["at_least", "at_most"], default="at_least",
                   help="when customers tie at the threshold: take them all in, or leave them all out")
    p.add_argument("--fit-tables", action="store_true",
                   help="also fit the 附表1–3 band edges to the book (equal shares per band)")
    p.add_argument("--out", help="write the calibrated scenario here (.yaml); default: print only")
    p.add_argument("--workbook", help="also write the calibration's tables to this workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out / --workbook if they exist")


def _run_calibrate(args):
    from .calibrate import calibrate_book, format_changes
    from .errors import OutputPathError
    from .io import check_output, write_sheets, write_text
    from .policy import BASE_FILE, PARAMS_DIR, load_policy

    inputs_given = (args.portfolio, args.branches)
    scenario_out = workbook = None
    if args.out:  # refused before the work, not after
        if Path(args.out).name == BASE_FILE:
            raise OutputPathError(args.out, f"refusing to write over the policy as written ({BASE_FILE}); "
                                            "choose another file name")
        scenario_out = check_output(args.out, (".yaml", ".yml"), (PARAMS_DIR / BASE_FILE, *inputs_given),
                                    args.force)
    if args.workbook:
        workbook = check_output(args.workbook, (".xlsx",), inputs_given, args.force)
    inputs = _load(args)
    result = calibrate_book(inputs.portfolio, inputs.policy, inputs.capacity(), gold_pool=args.gold_pool,
                            silver=args.silver, method=args.method, tie=args.tie, fit_tables=args.fit_tables)
    print(result.final.table().drop(columns="message").to_string())
    for sol in result.final.solutions:
        if sol.message:
            print(f"- {sol.group}: {sol.message}")
    if not result.changes.empty:
        print(format_changes(result.changes).to_string(index=False))
    print("candidates under the calibrated values: "
          + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    if workbook:
        print(f"wrote {write_sheets(result.tables(), workbook)}")
    if scenario_out:
        text = result.scenario_text(f"Calibrated by tiermodel calibrate (method {args.method}, ties "
                                    f"{args.tie}) on {len(inputs.portfolio):,} customers")
        path = write_text(scenario_out, text, check=lambda tmp: load_policy(str(tmp)))
        print(f"wrote calibrated scenario to {path} (load with --scenario {path})")


# ----------------------------------------------------------------------------- assess
def _add_assess(sub):
    p = sub.add_parser("assess", help="service-time compliance, satisfaction, complaints and the "
                                      "executives' revisit plan (第17–35条); write an .xlsx")
    _inputs_args(p)
    _log_args(p)
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")


def _run_assess(args):
    from .assess import assess_service
    from .events import load_assessment_logs
    from .io import write_sheets
    from .report import ASSESSMENT_BASED_ON, mark_samples

    if Path(args.out).suffix.lower() != ".xlsx":  # before the work, not after
        raise TiermodelError(f"{args.out}: --out must end in .xlsx")
    inputs = _load(args)
    tiers = inputs.tiering().table
    found = load_assessment_logs(tiers, args.service_log, args.survey, args.complaints, args.executives,
                                 inputs.seed, args.log_year, inputs.policy.executive_quotas.gm_office_members)
    result = assess_service(tiers, found.service, found.survey, found.complaints, found.executives,
                            inputs.policy, files=found.sources)
    record, logs = _service_record(inputs, tiers, found, args)
    _print_samples({k: getattr(args, k) for k in ("service_log", "delivery", "survey", "complaints", "hotline",
                                                  "policies", "executives")})
    given = {"service": args.service_log, "survey": args.survey, "complaints": args.complaints,
             "executives": args.executives}
    samples = [k for k, v in given.items() if not v] + logs.samples
    sheets = {**mark_samples(result.tables(), ASSESSMENT_BASED_ON, samples),
              **mark_samples(record.tables(), record.based_on(), samples)}
    path = write_sheets(sheets, args.out)
    for note in result.notes + record.notes:
        print(f"- {note}")
    print(f"wrote {path}")


def _service_record(inputs, tiers, found, args):
    """The delivery record, renewals and hotline of ``tiermodel assess`` (附件二/四/五)."""
    from .assess import complaint_consequences, service_record
    from .budget.services import catalogue, price_factor
    from .events import load_delivery_logs

    policy = inputs.policy
    costs = (catalogue(policy)["unit_cost_base_cny"] * price_factor(policy, args.log_year)).to_dict()
    logs = load_delivery_logs(tiers, found.executives, costs, args.delivery, args.hotline, args.policies,
                              inputs.seed, args.log_year, found.complaints)
    consequences = complaint_consequences(found.complaints, policy).complaints  # 第34条, linked to hotline
    record = service_record(tiers, logs.delivery, logs.hotline, logs.policies, found.executives, policy,
                            args.log_year, consequences, files=logs.sources)
    return record, logs


# ----------------------------------------------------------------------------- sensitivity
def _range(text: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a range LOW,HIGH (e.g. 0.1,0.6)") from None
    return low, high


def _add_sensitivity(sub):
    p = sub.add_parser("sensitivity", help="how the Gold/Silver lists depend on the 第10条 weights "
                                           "and K1/K2; write an .xlsx")
    _inputs_args(p)
    p.add_argument("--weight-range", type=_range, default=(0.10, 0.60),
                   help="one-at-a-time range of each weight, LOW,HIGH (default 0.1,0.6)")
    p.add_argument("--k-range", type=_range, default=(0.5, 1.5),
                   help="one-at-a-time range of each K1/K2 factor as multiples of the policy value")
    p.add_argument("--steps", type=int, default=11, help="points per one-at-a-time range")
    p.add_argument("--spread", type=float, default=0.5,
                   help="global analysis: weight and K multipliers uniform on 1 ± spread")
    p.add_argument("--sobol-n", type=int, default=1024, help="Sobol base sample, a power of 2")
    p.add_argument("--draws", type=int, default=4096,
                   help="weight/K settings drawn for the tier-membership odds")
    p.add_argument("--share", type=float, default=0.2,
                   help="borderline: off (or on) the list in more than this share of the drawn settings")
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")


def _run_sensitivity(args):
    from .io import check_output, write_sheets
    from .sensitivity import sensitivity_analysis

    out = check_output(args.out, (".xlsx",), (args.portfolio, args.branches), args.force)  # before the work
    inputs = _load(args)
    result = sensitivity_analysis(inputs.portfolio, inputs.policy, inputs.capacity(),
                                  weight_range=args.weight_range, k_range=args.k_range, steps=args.steps,
                                  weight_spread=args.spread, k_spread=args.spread, sobol_n=args.sobol_n,
                                  draws=args.draws, borderline_share=args.share, seed=inputs.seed)
    tables = result.tables()
    print(tables["tornado"].round(3).to_string(index=False))
    print(tables["sobol indices"].round(2).to_string(index=False))
    print(tables["safety"].to_string(index=False))
    print(f"wrote {write_sheets(tables, out)}")


# ----------------------------------------------------------------------------- budget
def _add_budget(sub):
    p = sub.add_parser("budget", help="VIP service budget: the 附件七 cost table and a Monte Carlo "
                                      "forecast by tier, branch and payer; write an .xlsx")
    _inputs_args(p)
    p.add_argument("--year", type=int, default=None,
                   help="forecast year; unit costs carried from 2003 by the price index (default 2003)")
    p.add_argument("--sims", type=int, default=100_000, help="simulated years (default 100,000)")
    p.add_argument("--count-case", dest="count_case", default=None,
                   help="VIP-count case of budget_assumptions.vip_count_scenarios (default: base)")
    p.add_argument("--count-scenario", dest="count_case_old", default=None,
                   help="deprecated: the old name of --count-case")
    p.add_argument("--path-years", type=int, default=5,
                   help="years of the fan chart from --year (default 5; 0 leaves it out)")
    p.add_argument("--path-sims", type=int, default=None,
                   help="simulated paths of the fan chart (default 10,000, at most --sims)")
    p.add_argument("--count-case-sims", type=int, default=None,
                   help="simulated years per VIP-count case compared (default 20,000, at most --sims; "
                        "0 leaves the comparison out)")
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")


def _run_budget(args):
    from .budget import forecast_budget
    from .errors import OptionError
    from .io import write_sheets

    if Path(args.out).suffix.lower() != ".xlsx":  # before the work, not after
        raise TiermodelError(f"{args.out}: --out must end in .xlsx")
    if args.path_sims is None:  # the notebook's 10,000 and 20,000, never more than the forecast's own
        args.path_sims = min(10_000, args.sims)
    if args.count_case_sims is None:
        args.count_case_sims = min(20_000, args.sims)
    for option, value, least in (("--sims", args.sims, 1), ("--path-years", args.path_years, 0),
                                 ("--path-sims", args.path_sims, 1),
                                 ("--count-case-sims", args.count_case_sims, 0)):
        if value < least:
            raise OptionError(option, f"must be at least {least}, not {value}")
    count_case = args.count_case
    if args.count_case_old is not None:
        print("warning: --count-scenario is deprecated; use --count-case", file=sys.stderr)
        if count_case is not None and count_case != args.count_case_old:
            raise OptionError("--count-case", "given twice with different values "
                                              "(--count-case and the deprecated --count-scenario)")
        count_case = args.count_case_old
    inputs = _load(args)
    result = forecast_budget(inputs.tiering().table, inputs.policy, args.year, args.sims, args.seed,
                             count_case, args.path_years, args.path_sims, args.count_case_sims,
                             progress=sys.stderr.isatty())
    tables = result.tables()
    print(tables["附件七 annex 7"].iloc[:, [0, 3, 4, 5, 6, 7, 8, 9]].round(0).to_string())
    print(tables["forecast summary"].round(0).to_string())
    for note in result.notes:
        print(f"- {note}")
    print(f"wrote {write_sheets(tables, args.out)}")


COMMANDS = {
    "params": (_add_params, _run_params),
    "sample": (_add_sample, _run_sample),
    "tier": (_add_tier, _run_tier),
    "report": (_add_report, _run_report),
    "calibrate": (_add_calibrate, _run_calibrate),
    "assess": (_add_assess, _run_assess),
    "sensitivity": (_add_sensitivity, _run_sensitivity),
    "budget": (_add_budget, _run_budget),
}


def _crash_log(exc: BaseException, argv: list[str]) -> Path:
    """Write the traceback of an unexpected error to a log file; return its path."""
    import datetime as dt
    import platform
    import tempfile
    import traceback

    from . import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"tiermodel-crash-{stamp}-{os.getpid()}.log"
    text = (f"tiermodel {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: tiermodel {' '.join(argv)}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``tiermodel <command> …`` and return the exit status.

    0 done; 2 bad input, option or output path (one message naming file, row, column and
    rule; nothing written); 1 an unexpected error (one line and the path of a crash log,
    never a traceback); 130 interrupted.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="tiermodel", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    args = parser.parse_args(argv)  # a bad option: argparse prints usage and exits 2
    warnings.simplefilter("default")
    warnings.showwarning = _one_line_warning
    try:
        COMMANDS[args.command][1](args)
    except TiermodelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted; no output was completed", file=sys.stderr)
        return 130
    except OSError as exc:  # the machine's answer: disk full, permission denied, ...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}; nothing was written", file=sys.stderr)
        return 2
    except Exception as exc:  # a defect: one line, the details in a crash log
        try:
            log = f"details in {_crash_log(exc, argv)}"
        except OSError:
            log = "no crash log could be written"
        print(f"internal error ({type(exc).__name__}: {exc}); {log}. Please report it.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
