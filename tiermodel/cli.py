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


def _inputs_args(p: argparse.ArgumentParser, portfolio_required: bool = False, read_options: bool = True) -> None:
    p.add_argument("--scenario", help="scenario name under params/scenarios/ (default: the 2003 policy)")
    p.add_argument("--portfolio", required=portfolio_required,
                   help="customer table (.csv, .xlsx, .parquet); default: the bundled sample")
    p.add_argument("--branches", help="branch table (branch, branch_class, silver_capacity)")
    p.add_argument("--amount-unit", choices=["yuan", "wan"], default=None,
                   help="unit of the amounts in the portfolio file and in the output (wan = 万元; default "
                        "yuan, but a book whose amounts look 10,000× too small is refused until "
                        "--amount-unit is given)")
    p.add_argument("--seed", type=int, default=2003, help="seed of the sample and random draws")
    if read_options:
        _read_args(p)


def _read_args(p: argparse.ArgumentParser) -> None:
    """How to read extracts that are not UTF-8 CSV with the header on row 1."""
    p.add_argument("--encoding", help="encoding of CSV inputs, e.g. gb18030 (default: detect UTF-8 or GB18030/GBK)")
    p.add_argument("--header-row", type=int, help="row of the header in the customer table, 1 = first "
                                                  "(default: detect a title or notes above it)")
    p.add_argument("--sheet", help="Excel sheet of the customer table: its name or number, 1 = first")
    p.add_argument("--date-format", help="format of day/month dates in event tables, e.g. %%d/%%m/%%Y "
                                         "(default: year first, 2025-03-04 or 2025/3/4)")


def _read_options(args):
    from .io import ReadOptions

    return ReadOptions(getattr(args, "encoding", None), getattr(args, "header_row", None),
                       getattr(args, "sheet", None), getattr(args, "date_format", None))


def _load(args):
    from .run_inputs import load_inputs

    inputs = load_inputs(args.scenario, args.portfolio, args.branches, _amount_unit(args), args.seed,
                         options=_read_options(args))
    from .portfolio import check_amount_scale

    check_amount_scale(inputs.portfolio, args.portfolio, getattr(args, "amount_unit", None))
    return inputs


def _write_tables(tables: dict, path, args):
    """A command's workbook for a reader: present.write_workbook in --lang and --amount-unit
    (contents sheet, sheet names and headers in the output language, number formats)."""
    from .present import reader_tables, write_workbook

    lang, unit = getattr(args, "lang", "zh"), _amount_unit(args)
    return write_workbook(reader_tables(tables, lang, unit), path, lang)


def _amount_unit(args) -> str:
    """The amount unit of a run: the option as given, else yuan (元)."""
    return getattr(args, "amount_unit", None) or "yuan"


def _print_table(table, key: str, args, keys: list[str] | None = None, max_rows: int | None = None) -> None:
    """A result table on the terminal as the workbook shows it: headers in --lang, amounts in
    --amount-unit with their unit, formatted numbers; only the columns ``keys`` where given."""
    from .present import reader_table

    print(reader_table(table, key, getattr(args, "lang", "zh"), _amount_unit(args)).text_summary(max_rows, keys))


def _print_notes(notes, args) -> None:
    """The notes of an analysis, one per line, in --lang."""
    from .vocabulary import translate_text

    for note in notes:
        print(f"- {translate_text(note, getattr(args, 'lang', 'zh'))}")


# ----------------------------------------------------------------------------- checks before any work
#: --out suffixes of each command that writes (the first is the usual one).
OUT_SUFFIXES = {"sample": (".csv", ".xlsx", ".parquet"), "tier": (".xlsx", ".csv", ".parquet"),
                "assess": (".xlsx",), "sensitivity": (".xlsx",), "budget": (".xlsx",),
                "calibrate": (".yaml", ".yml"), "compare": (".xlsx",)}
#: Options naming input files: an output may never be one of them.
INPUT_OPTIONS = ("portfolio", "branches", "scenario", "base", "service_log", "survey", "complaints", "executives",
                 "history", "nominations", "overrides")
#: Whole-number options: (least, most, what) — beyond them a run is a typo or would exhaust memory.
BOUNDS = {"customers": (1, 10_000_000, "customers"), "sims": (1, 1_000_000, "simulated years"),
          "year": (2003, 2100, "year"),
          "seed": (0, 2**63 - 1, "seed"), "header_row": (1, 1_000, "header row")}


def _check_args(args) -> None:
    """Refuse unusable options before any work: empty paths, out-of-range numbers, an
    unknown encoding, an output that is an input, exists (without --force), is a folder,
    has the wrong type or lies in a folder that cannot be written."""
    from .errors import OptionError

    for name in INPUT_OPTIONS:
        value = getattr(args, name, None)
        if value is not None and not str(value).strip():
            default = "the 2003 policy" if name in ("scenario", "base") else "the bundled sample"
            raise OptionError(f"--{name.replace('_', '-')}", f"is empty; give a file, or leave the option "
                                                             f"out for {default}")
    for name, (low, high, what) in BOUNDS.items():
        value = getattr(args, name, None)
        if value is not None and not low <= value <= high:
            raise OptionError(f"--{name.replace('_', '-')}", f"{value:,} is out of range: the {what} must be "
                                                             f"between {low:,} and {high:,}")
    if getattr(args, "log_year", None) is not None and args.command != "report":
        from .assess.calendar import check_log_year  # report checks it once its kernels are starting

        check_log_year(args.log_year)
    if getattr(args, "encoding", None):
        import codecs

        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise OptionError("--encoding", f"unknown encoding '{args.encoding}' (try gb18030 or utf-8)") from None
    out = getattr(args, "out", None)
    if out is None:
        return
    from .io import check_output
    from .policy import PARAMS_DIR

    inputs = [getattr(args, name, None) for name in INPUT_OPTIONS]
    inputs += [PARAMS_DIR / "policy-2003.yaml", *(PARAMS_DIR / "scenarios").glob("*.y*ml")]
    # calibrate keeps its own check of an existing scenario file (and its message)
    force = getattr(args, "force", False) or args.command == "calibrate"
    path = check_output(out, OUT_SUFFIXES.get(args.command, ()), inputs, force, what="--out")
    if args.command == "sample" and path.suffix.lower() == ".xlsx":
        _fits_xlsx(path, args.customers)


def _fits_xlsx(path, rows: int) -> None:
    """An .xlsx sheet holds 1,048,576 rows with the header: refuse more before the work."""
    from .errors import OutputPathError
    from .io import XLSX_MAX_ROWS

    if Path(path).suffix.lower() == ".xlsx" and rows + 1 > XLSX_MAX_ROWS:
        raise OutputPathError(path, f"{rows:,} rows do not fit an .xlsx sheet ({XLSX_MAX_ROWS:,} rows "
                                    f"with the header); write .csv or .parquet")


def _add_lang(sub) -> None:
    """Every command takes --lang: the language of its tables and messages (zh by default)."""
    for p in sub.choices.values():
        if "--lang" not in p._option_string_actions:  # noqa: SLF001
            p.add_argument("--lang", choices=["zh", "en"], default="zh",
                           help="output language: zh (中文, default) or en")


def _add_force(sub) -> None:
    """Every command that writes a file takes --force (replace an existing output)."""
    for p in sub.choices.values():
        if "--out" in p._option_string_actions and "--force" not in p._option_string_actions:  # noqa: SLF001
            p.add_argument("--force", action="store_true", help="replace --out if it exists")


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
    p.add_argument("--years", type=int, default=1,
                   help="years of data: 2 or more also writes the earlier years' tier lists to "
                        "<out>-history.<suffix> (default 1: this year's book only)")
    p.add_argument("--year", type=int, default=None, help="service year of the book (default 2026)")


def _run_sample(args):  # --out, --customers checked by _check_args
    from .portfolio import sample_portfolio, write_table

    if args.years < 1:
        raise TiermodelError(f"--years must be at least 1, not {args.years}")
    df = sample_portfolio(args.seed, args.customers)
    path = write_table(df, args.out)
    print(f"wrote {len(df):,} customers (seed {args.seed}) to {path}")
    if args.years > 1:
        _write_sample_history(df, args, path)


def _write_sample_history(df, args, path: Path) -> None:
    from .compare import sample_history
    from .io import write_table
    from .policy import load_policy
    from .portfolio import SAMPLE_YEAR, sample_branches, validate_branches, validate_portfolio

    year = args.year or SAMPLE_YEAR
    branches = validate_branches(sample_branches(), "sample branches")
    book = validate_portfolio(df, f"sample(seed={args.seed})", branches)
    history = sample_history(book, load_policy(), year, args.years, args.seed, branches)
    out = write_table(history, path.with_name(f"{path.stem}-history{path.suffix}"))
    years = sorted(history["year"].unique())
    print(f"wrote the tier lists of {', '.join(map(str, years))} (sample history, 2003 policy) to {out}")


# ----------------------------------------------------------------------------- tier
def _add_tier(sub):
    p = sub.add_parser("tier", help="score and tier a portfolio; write the list and a summary")
    _inputs_args(p)
    p.add_argument("--out", required=True,
                   help="output file: .xlsx (formatted in --lang and --amount-unit: the full list, counts, "
                        "Gold and VIP lists, notes), .csv or .parquet (the list, English column names, "
                        "amounts in 元); each reads back as next year's --portfolio or --history")
    _add_list_year(p)


def _add_list_year(p: argparse.ArgumentParser) -> None:
    """``tier --year``: the service year written into the list, so that it reads back as
    ``--history`` without ``--history-year``."""
    p.add_argument("--year", type=int, default=None,
                   help="service year of the list, written into it as a year column (年度) so that it reads "
                        "back as next year's --history without --history-year")


def _with_list_year(table, year: int | None):
    """The tier list with its service year as a column after the customer id (``tier --year``)."""
    if year is None:
        return table
    out = table.copy(deep=False)
    out.insert(1, "year", int(year))
    return out


def _read_portfolio_ahead(args) -> None:
    """Start reading a customer CSV on pyarrow's threads while the rest of the package loads (a
    run of ``tier`` as a program); the run takes the table over, or reads the file again when
    the read ahead does not fit (an option refused, an unreadable file: the usual message)."""
    if getattr(args, "portfolio", None) and str(args.portfolio).strip():
        from .portfolio import read_portfolio_ahead

        read_portfolio_ahead(args.portfolio, _read_options(args))


def _run_tier(args):  # --out checked by _check_args
    from . import present  # noqa: F401  (the summary's formatting, loaded while a customer CSV is read ahead)
    from .portfolio import write_table
    from .tiers import tier_counts

    out = Path(args.out)
    inputs = _load(args)
    _fits_xlsx(out, len(inputs.portfolio))
    result = inputs.tiering()
    table = _with_list_year(result.table, getattr(args, "year", None))
    by_class = tier_counts(table, "branch_class")
    if out.suffix.lower() != ".xlsx":
        write_table(table, out)
    else:  # for a reader: formatted, in --lang and --amount-unit; the full list first, so it reads back
        _write_tables({"tier list": table, **result.tables()}, out, args)
    _print_table(by_class, "tier counts by class", args)
    _print_notes(result.notes, args)
    print(f"wrote {len(table):,} customers to {out}"
          + (f" (service year {args.year}, in the year column)" if getattr(args, "year", None) else ""))


# ----------------------------------------------------------------------------- report
def _add_report(sub):
    p = sub.add_parser("report", help="run every notebook into reports/<scenario>-<timestamp>/")
    _inputs_args(p, read_options=False)
    p.add_argument("--reports-dir", default=None, help="where run folders go (default: reports/)")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="a notebook parameter, e.g. -p sims=2000 -p draws=256 (names as in the README's "
                        "notebook tables; a name no notebook declares is refused)")
    _log_args(p)
    _add_cycle_args(p)


def _add_cycle_args(p: argparse.ArgumentParser) -> None:
    """The annual cycle's inputs of ``report`` (pages 00, 04 and 06 take them)."""
    p.add_argument("--history", default=None, help="last year's tier list(s), comma-separated (.xlsx, .csv, "
                                                   ".parquet; what `tier --year` wrote reads back as it is)")
    p.add_argument("--history-year", type=int, default=None,
                   help="year of a history file without a year column (default: the year before the service year)")
    p.add_argument("--nominations", default=None, help="branch Gold nominations (客户号, 推荐机构)")
    p.add_argument("--overrides", default=None, help="head-office overrides (客户号, 操作, 层级, 理由, 批准人, 批准日期)")


#: Notebook parameters that name input files: a relative path is read from the folder the
#: command was started in, whether given as an option or as ``-p NAME=VALUE``.
FILE_PARAMETERS = ("portfolio", "branches", "history", "overrides", "nominations", "service_log", "delivery",
                   "survey", "complaints", "hotline", "policies", "executives")


def _absolute_paths(value: str) -> str:
    """A file parameter with each comma-separated path made absolute (from the starting folder);
    a path that names no file is refused before the run starts."""
    from .errors import OptionError

    paths = [Path(v.strip()).expanduser() for v in str(value).split(",") if v.strip()]
    for path in paths:
        if not path.is_file():
            raise OptionError(str(path), f"no such file (looked for {path.resolve()})")
    return ",".join(str(path.resolve()) for path in paths)


def _cycle_parameters(args, parameters: dict) -> dict:
    """The report's notebook parameters with ``--history``, ``--history-year``, ``--nominations``
    and ``--overrides`` added, and every file parameter an absolute path."""
    out = dict(parameters)
    for name in ("history", "nominations", "overrides"):
        if getattr(args, name, None):
            out[name] = getattr(args, name)
    if getattr(args, "history_year", None) is not None:
        out["history_year"] = int(args.history_year)
    for name in FILE_PARAMETERS:
        if isinstance(out.get(name), str) and out[name].strip():
            out[name] = _absolute_paths(out[name])
    return out


def _notebook_parameters(items: list[str]) -> dict:
    """``NAME=VALUE`` options as a dict; a value is read as a Python literal, else kept as text."""
    import ast

    from .errors import OptionError

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise OptionError("--parameter", f"'{item}' is not NAME=VALUE (e.g. sims=2000)")
        try:
            out[name.strip()] = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            out[name.strip()] = value.strip()
    return out


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
                         logs=logs, log_year=args.log_year, lang=args.lang,
                         parameters=_cycle_parameters(args, _notebook_parameters(args.parameter)))
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
    _print_table(result.final.table().drop(columns="message"), "calibration", args)
    _print_notes([f"{sol.group}: {sol.message}" for sol in result.final.solutions if sol.message], args)
    if not result.changes.empty:
        _print_table(format_changes(result.changes), "scenario changes", args)
    print("candidates under the calibrated values: "
          + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    if workbook:
        print(f"wrote {_write_tables(result.tables(), workbook, args)}")
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
    from .report import ASSESSMENT_BASED_ON, mark_samples

    if Path(args.out).suffix.lower() != ".xlsx":  # before the work, not after
        raise TiermodelError(f"{args.out}: --out must end in .xlsx")
    inputs = _load(args)
    tiers = inputs.tiering().table
    found = load_assessment_logs(tiers, args.service_log, args.survey, args.complaints, args.executives,
                                 inputs.seed, args.log_year, inputs.policy.executive_quotas.gm_office_members,
                                 options=_read_options(args))
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
    path = _write_tables(sheets, args.out, args)
    _print_notes(result.notes + record.notes, args)
    print(f"wrote {path}")


def _service_record(inputs, tiers, found, args):
    """The delivery record, renewals and hotline of ``tiermodel assess`` (附件二/四/五)."""
    from .assess import complaint_consequences, service_record
    from .budget.services import catalogue, price_factor
    from .events import load_delivery_logs

    policy = inputs.policy
    costs = (catalogue(policy)["unit_cost_base_cny"] * price_factor(policy, args.log_year)).to_dict()
    logs = load_delivery_logs(tiers, found.executives, costs, args.delivery, args.hotline, args.policies,
                              inputs.seed, args.log_year, found.complaints,
                              take_up=catalogue(policy)["take_up"].to_dict())
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
                   help="weight/K settings drawn for the tier-membership odds (with --tables: 附表1–3 drawn)")
    p.add_argument("--share", type=float, default=0.2,
                   help="borderline: off (or on) the list in more than this share of the drawn settings")
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    t = p.add_argument_group("the lost 附表1–3 (--tables)")
    t.add_argument("--tables", action="store_true",
                   help="instead of weights/K: re-tier under --draws plausible 附表1–3 drawn from the "
                        "parameter file's table_uncertainty; robust core, contested customers, Sobol per table")
    t.add_argument("--table-method", choices=["around", "between"], default=None,
                   help="draw around the assumed tables or between the two bracketing tables "
                        "(default: table_uncertainty.method)")
    t.add_argument("--band-counts", choices=["fixed", "varied"], default=None,
                   help="keep each table's bands or also merge and split them (default: table_uncertainty.band_counts)")
    t.add_argument("--fixed-weights", action="store_true",
                   help="Sobol over the three tables only (weights and K1/K2 at the policy values)")
    t.add_argument("--budget-draws", type=int, default=200,
                   help="draws whose 附件七 budget is computed (default 200)")


def _run_table_sensitivity(args, out):
    from .io import write_sheets
    from .present.labels import text
    from .sensitivity import table_uncertainty

    inputs = _load(args)
    result = table_uncertainty(inputs.portfolio, inputs.policy, inputs.capacity(), draws=args.draws,
                               sobol_n=args.sobol_n, with_weights=not args.fixed_weights,
                               weight_spread=args.spread, k_spread=args.spread, method=args.table_method,
                               band_counts=args.band_counts, budget_draws=args.budget_draws, seed=inputs.seed)
    tables = result.tables()
    _print_table(tables["table list summary"], "table list summary", args)
    print(text("expected_gold_swaps", getattr(args, "lang", "zh"), swaps=f"{result.expected_gold_swaps():.2f}",
               draws=f"{len(result.draws):,}"))
    _print_table(tables["table members"], "table members", args)
    if "table sobol" in tables:
        _print_table(tables["table sobol"], "table sobol", args)
    print(f"wrote {_write_tables(tables, out, args)}")


def _run_sensitivity(args):
    from .io import check_output, write_sheets
    from .sensitivity import sensitivity_analysis

    out = check_output(args.out, (".xlsx",), (args.portfolio, args.branches), args.force)  # before the work
    if args.tables:
        return _run_table_sensitivity(args, out)
    inputs = _load(args)
    result = sensitivity_analysis(inputs.portfolio, inputs.policy, inputs.capacity(),
                                  weight_range=args.weight_range, k_range=args.k_range, steps=args.steps,
                                  weight_spread=args.spread, k_spread=args.spread, sobol_n=args.sobol_n,
                                  draws=args.draws, borderline_share=args.share, seed=inputs.seed)
    tables = result.tables()
    for key in ("tornado", "sobol indices", "safety"):
        _print_table(tables[key], key, args)
    print(f"wrote {_write_tables(tables, out, args)}")


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
    _print_table(result.estimate.annex7(), "附件七 annex 7", args,
                 keys=["label", "unit_cost_cny", "quantity", "gold_cny", "silver_cny", "total_cny", "payer", "status"])
    _print_table(tables["forecast summary"], "forecast summary", args)
    _print_notes(result.notes, args)
    print(f"wrote {_write_tables(tables, args.out, args)}")


# ----------------------------------------------------------------------------- compare
def _add_compare(sub):
    p = sub.add_parser("compare", help="what changes: a scenario's tier list against the base policy's "
                                       "(or this year's list against last year's); write an .xlsx")
    _inputs_args(p)
    p.add_argument("--base", default=None, help="base scenario (default: the 2003 policy as written)")
    p.add_argument("--history", default=None,
                   help="last year's tier list (.csv, .xlsx, .parquet): compare this year's list with it")
    p.add_argument("--history-year", type=int, default=None,
                   help="year of the --history list when it has no year column")
    p.add_argument("--year", type=int, default=None, help="budget year (default 2003 prices)")
    p.add_argument("--nominations", default=None, help="branch Gold nominations (客户号, 推荐机构); "
                                                       "default: every eligible customer competes")
    p.add_argument("--overrides", default=None, help="head-office overrides (客户号, 操作, 层级, 理由, 批准人, 批准日期)")
    p.add_argument("--gold-list-date", default=None, help="date the Gold list was submitted (YYYY-MM-DD)")
    p.add_argument("--revisit-plan-date", default=None, help="date the revisit plan was submitted (YYYY-MM-DD)")
    p.add_argument("--lists", default=None, help="also write the published lists (one Chinese sheet per branch "
                                                 "and the company-wide Gold list) to this .xlsx; needs --year")
    p.add_argument("--out", required=True, help="output workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out (and --lists) if they exist")


def _approval_sheets(args, inputs, this, last=None) -> tuple[dict, dict | None]:
    """附件一, overrides and the 15 January check for ``tiermodel compare``, and the published
    lists to write (None without --lists); nothing is written here."""
    from .compare import approval_table, deadline_check, published_lists, review_year
    from .cycle_inputs import date_or_none
    from .history import read_nominations, read_overrides

    nominations = read_nominations(args.nominations, inputs.portfolio) if args.nominations else None
    overrides = read_overrides(args.overrides, inputs.portfolio["customer_id"]) if args.overrides else None
    approval = review_year(this, inputs.policy, args.year, nominations, overrides, last)
    check = deadline_check(args.year, inputs.policy, date_or_none(args.gold_list_date, "--gold-list-date"),
                           date_or_none(args.revisit_plan_date, "--revisit-plan-date"))
    _print_notes(approval.notes, args)
    sheets = {"附件一 approval": approval_table(approval, inputs.policy), "overrides": approval.overrides,
              "15 January check": check}
    return sheets, (published_lists(approval) if args.lists else None)


def _write_outputs(args, inputs, tables: dict, lists: dict | None) -> None:
    """Write every output of ``compare`` once every check has passed: the workbook, then the
    published lists; when the second cannot be written the first is taken away again, so that
    all of them are written or none."""
    from .published import write_published_lists

    written = _write_tables(tables, args.out, args)
    if lists is not None:
        try:
            path = write_published_lists(lists, args.lists, args.year, inputs.policy.scenario,
                                         inputs.portfolio_source)
        except BaseException:
            Path(written).unlink(missing_ok=True)
            raise
        print(f"wrote the published lists to {path}")
    print(f"wrote {written}")


def _scenario_comparison(args, inputs, this):
    """``compare --scenario``: the scenario's list against the base policy's, and its title."""
    from .compare import compare_tierings
    from .policy import load_policy
    from .scoring import score
    from .tiers import assign_tiers, branch_capacity

    base_policy = load_policy(args.base or None)
    base = assign_tiers(score(inputs.portfolio, base_policy), base_policy,
                        branch_capacity(inputs.portfolio, base_policy, inputs.branches))
    result = compare_tierings(base, this, base_policy, inputs.policy, args.year)
    if len(result.parameters):
        _print_table(result.parameters, "parameter changes", args)
    else:
        print("no parameter differs")
    return result, f"{result.scenario_name} against {result.base_name}"


def _run_compare(args):
    from .compare import year_over_year
    from .history import read_history
    from .io import check_output

    sources = [args.portfolio, args.branches, args.history, args.nominations, args.overrides]
    check_output(args.out, (".xlsx",), inputs=sources, force=args.force)
    approving = any([args.lists, args.nominations, args.overrides, args.gold_list_date, args.revisit_plan_date])
    if args.lists:
        check_output(args.lists, (".xlsx",), inputs=sources + [args.out], force=args.force)
    if approving and args.year is None:
        raise TiermodelError("compare: --year (the service year) is needed for approval, the lists and the "
                             "15 January check")
    if not args.scenario and not args.history and not approving:
        raise TiermodelError("compare: give --scenario (against --base or the 2003 policy), --history, or --lists")
    inputs = _load(args)
    this = inputs.tiering()
    history = read_history(args.history, args.history_year) if args.history else None  # checked before any write
    last = history[history["year"] == int(history["year"].max())] if history is not None else None
    extra, lists = _approval_sheets(args, inputs, this, last) if approving else ({}, None)
    if not args.scenario and not args.history:
        _write_outputs(args, inputs, extra, lists)
        return
    if history is not None:
        last_year = int(history["year"].max())
        result = year_over_year(last, this, inputs.policy, last_year=last_year, this_year=args.year)
        title = f"{inputs.policy.scenario or 'policy-2003'}: this year's list against {last_year}'s"
    else:
        result, title = _scenario_comparison(args, inputs, this)
    tables = {**result.tables(), **extra}
    print(f"# {title}")
    _print_table(tables["transition matrix"], "transition matrix", args)
    _print_notes(tables["notes"]["note"], args)
    _write_outputs(args, inputs, tables, lists)


COMMANDS = {
    "params": (_add_params, _run_params),
    "sample": (_add_sample, _run_sample),
    "tier": (_add_tier, _run_tier),
    "report": (_add_report, _run_report),
    "calibrate": (_add_calibrate, _run_calibrate),
    "assess": (_add_assess, _run_assess),
    "sensitivity": (_add_sensitivity, _run_sensitivity),
    "budget": (_add_budget, _run_budget),
    "compare": (_add_compare, _run_compare),
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


#: Commands run, as a program, without Python's collection of reference cycles: a bounded run
#: whose tables are freed by reference counting; the collector would only walk the objects of
#: the imported libraries, while they load (about 0.05 s) and again at exit (about 0.1 s).
NO_CYCLE_COLLECTION = ("tier",)


def _collect_no_cycles() -> None:
    """Stop the cycle collector for the rest of the process; at exit it walks nothing that
    existed when the command ended (``gc.freeze``)."""
    import atexit
    import gc

    gc.disable()
    atexit.register(gc.freeze)


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``tiermodel <command> …`` and return the exit status.

    0 done; 2 bad input, option or output path (one message naming file, row, column and
    rule; nothing written); 1 an unexpected error (one line and the path of a crash log,
    never a traceback); 130 interrupted.
    """
    program = argv is None  # the process is this command's (not a caller's, as in the tests)
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="tiermodel", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    _add_force(sub)
    _add_lang(sub)
    args = parser.parse_args(argv)  # a bad option: argparse prints usage and exits 2
    warnings.simplefilter("default")
    warnings.showwarning = _one_line_warning
    if program and args.command in NO_CYCLE_COLLECTION:
        _collect_no_cycles()
    if program and args.command == "tier":
        _read_portfolio_ahead(args)
    try:
        _check_args(args)
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
    except MemoryError:
        print("error: out of memory; try fewer --customers or --sims, or a smaller portfolio", file=sys.stderr)
        return 2
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
