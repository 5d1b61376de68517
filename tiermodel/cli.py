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


def _input(p: argparse.ArgumentParser, *flags, **kwargs) -> argparse.Action:
    """An option naming an input file: recorded in the parser's ``input_options`` default, the
    list every output of the command is checked against (an input is never overwritten)."""
    action = p.add_argument(*flags, **kwargs)
    p.set_defaults(input_options=(*(p.get_default("input_options") or ()), action.dest))
    return action


def _output(p: argparse.ArgumentParser, *flags, suffixes: tuple[str, ...], **kwargs) -> argparse.Action:
    """An option naming a file the command writes: recorded in ``output_options`` with its
    accepted suffixes; checked before any work (not an input, --force to replace, a folder
    that can be written)."""
    action = p.add_argument(*flags, **kwargs)
    p.set_defaults(output_options=(*(p.get_default("output_options") or ()), (action.dest, flags[0], suffixes)))
    return action


def _inputs_args(p: argparse.ArgumentParser, portfolio_required: bool = False, read_options: bool = True) -> None:
    _input(p, "--scenario", help="scenario name under params/scenarios/, or a .yaml file "
                                 "(default: the 2003 policy)")
    _input(p, "--portfolio", required=portfolio_required,
           help="customer table (.csv, .xlsx, .parquet); default: the bundled sample")
    _input(p, "--branches", help="branch table (branch, branch_class, silver_capacity)")
    p.add_argument("--amount-unit", choices=["yuan", "wan"], default=None,
                   help="unit of the amounts in the portfolio file (wan = 万元); default: as each header "
                        "states it (长险标准保费（万元）, health_premium_wan), else yuan, but a book whose "
                        "amounts look 10,000× too small is refused until --amount-unit is given")
    p.add_argument("--display-unit", choices=["wan", "yuan"], default=None,
                   help="unit of the amounts shown: pages, sheets, console (default: wan 万元 with --lang zh, "
                        "yuan 元 with --lang en)")
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

    inputs = load_inputs(args.scenario, args.portfolio, args.branches, getattr(args, "amount_unit", None), args.seed,
                         options=_read_options(args))
    from .portfolio import check_amount_scale

    check_amount_scale(inputs.portfolio, args.portfolio, getattr(args, "amount_unit", None))
    return inputs


def _write_tables(tables: dict, path, args):
    """A command's workbook for a reader: present.write_workbook in --lang and --display-unit
    (contents sheet, sheet names and headers in the output language, number formats)."""
    from .present import reader_tables, write_workbook

    lang, unit = getattr(args, "lang", "zh"), _display_unit(args)
    return write_workbook(reader_tables(tables, lang, unit), path, lang)


def _display_unit(args) -> str:
    """The unit a command shows amounts in: --display-unit as given, else 万元 with --lang zh
    and 元 with --lang en (:func:`tiermodel.present.display_unit`)."""
    from .present import display_unit

    return display_unit(getattr(args, "display_unit", None), getattr(args, "lang", "zh"))


def _print_table(table, key: str, args, keys: list[str] | None = None, max_rows: int | None = None) -> None:
    """A result table on the terminal as the workbook shows it: headers in --lang, amounts in
    --display-unit with their unit, formatted numbers; only the columns ``keys`` where given."""
    from .present import reader_table

    print(reader_table(table, key, getattr(args, "lang", "zh"), _display_unit(args)).text_summary(max_rows, keys))


def _print_notes(notes, args) -> None:
    """The notes of an analysis, one per line, in --lang (a note as data rendered from its template)."""
    from .present.page import sentence

    for note in notes:
        print(f"- {sentence(note, getattr(args, 'lang', 'zh'))}")


# ----------------------------------------------------------------------------- checks before any work
#: --out suffixes of each command that writes (the first is the usual one).
OUT_SUFFIXES = {"sample": (".csv", ".xlsx", ".parquet"), "tier": (".xlsx", ".csv", ".parquet"),
                "assess": (".xlsx",), "sensitivity": (".xlsx",), "budget": (".xlsx",),
                "calibrate": (".yaml", ".yml"), "compare": (".xlsx",)}
#: Whole-number options (and report notebook parameters of the same names): (least, most, what)
#: — beyond them a run is a typo or would exhaust memory.
BOUNDS = {"customers": (1, 10_000_000, "customers"), "sims": (1, 1_000_000, "simulated years"),
          "year": (2003, 2100, "year"), "years": (1, 20, "years of data"),
          "seed": (0, 2**63 - 1, "seed"), "header_row": (1, 1_000, "header row"),
          "draws": (1, 1_000_000, "draws"), "steps": (2, 1_000, "steps"), "sobol_n": (1, 1 << 20, "Sobol base sample"),
          "path_sims": (1, 1_000_000, "simulated paths"), "count_case_sims": (0, 1_000_000, "simulated years per case"),
          "path_years": (0, 100, "fan chart years"), "budget_draws": (0, 1_000_000, "budget draws")}


def input_options(args) -> tuple[str, ...]:
    """The options of ``args``'s command that name input files (from the option definitions)."""
    return tuple(getattr(args, "input_options", None) or ())


def output_files(args) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every file the command will write: (path, option, suffixes), the files that follow from
    an option (``sample --years``: ``<out>-history.<suffix>``) included."""
    out = [(getattr(args, dest), flag, suffixes) for dest, flag, suffixes in getattr(args, "output_options", None) or ()
           if getattr(args, dest, None) is not None]
    if args.command == "sample" and getattr(args, "years", 1) > 1 and out:
        out.append((str(history_path(out[0][0])), "the history file of --years", OUT_SUFFIXES["sample"]))
    return out


def history_path(out) -> Path:
    """Where ``sample --years N`` writes the earlier years' tier lists beside ``out``."""
    path = Path(out)
    return path.with_name(f"{path.stem}-history{path.suffix}")


def _check_args(args) -> None:
    """Refuse unusable options before any work: empty paths, out-of-range numbers, an
    unknown encoding, an output that is an input, exists (without --force), is a folder,
    has the wrong type or lies in a folder that cannot be written."""
    _check_given_inputs(args)
    _check_bounds(vars(args))
    if getattr(args, "log_year", None) is not None and args.command != "report":
        from .assess.calendar import check_log_year  # report checks it once its kernels are starting

        check_log_year(args.log_year)
    if getattr(args, "encoding", None):
        _check_encoding(args.encoding)
    _check_outputs(args)


def _check_given_inputs(args) -> None:
    from .errors import OptionError

    for name in input_options(args):
        value = getattr(args, name, None)
        if value is not None and not str(value).strip():
            default = "the 2003 policy" if name in ("scenario", "base") else "the bundled sample"
            raise OptionError(f"--{name.replace('_', '-')}", f"is empty; give a file, or leave the option "
                                                             f"out for {default}")


def _check_bounds(values: dict, prefix: str = "--") -> None:
    """Each whole-number value named in :data:`BOUNDS` within its bounds (``prefix`` names it:
    ``--`` for an option, ``-p `` for a report parameter)."""
    from .errors import OptionError

    for name, (low, high, what) in BOUNDS.items():
        value = values.get(name)
        if value is None:
            continue
        where = f"{prefix}{name.replace('_', '-')}" if prefix == "--" else f"{prefix}{name}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(where, f"{value!r} is not a whole number (the {what}, {low:,} to {high:,})")
        if not low <= value <= high:
            raise OptionError(where, f"{value:,} is out of range: the {what} must be between {low:,} and {high:,}")


def _check_encoding(encoding: str) -> None:
    import codecs

    from .errors import OptionError

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise OptionError("--encoding", f"unknown encoding '{encoding}' (try gb18030 or utf-8)") from None


def _check_outputs(args) -> None:
    """Every file the command writes: not an input (nor another of its outputs), --force to
    replace it, the right suffix, a folder that can be written."""
    from .io import check_output
    from .policy import PARAMS_DIR

    inputs = [getattr(args, name, None) for name in input_options(args)]
    inputs += [PARAMS_DIR / "policy-2003.yaml", *(PARAMS_DIR / "scenarios").glob("*.y*ml")]
    force = getattr(args, "force", False)
    for out, option, suffixes in output_files(args):
        path = check_output(out, suffixes, inputs, force, what=option)
        inputs.append(path)  # two outputs of one run are never one file
        if args.command == "sample":  # the history holds each earlier year's list, one row a customer
            _fits_xlsx(path, args.customers * (args.years - 1 if option.startswith("the history") else 1))


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
        if p.get_default("lang") is None:
            p.add_argument("--lang", choices=["zh", "en"], default="zh",
                           help="output language: zh (中文, default) or en")


def _add_force(sub) -> None:
    """Every command that writes a file takes --force (replace an existing output)."""
    for p in sub.choices.values():
        if p.get_default("output_options") and p.get_default("force") is None:
            p.add_argument("--force", action="store_true", help="replace --out if it exists")


# ----------------------------------------------------------------------------- params
def _add_params(sub):
    p = sub.add_parser("params", help="show the parameters in force")
    p.add_argument("action", choices=["show"])
    _input(p, "--scenario", help="scenario name under params/scenarios/, or a .yaml file")


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
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["sample"], help="output file (.csv, .xlsx or .parquet)")
    p.add_argument("--years", type=int, default=1,
                   help="years of data, at most 20: 2 or more also writes the earlier years' tier lists to "
                        "<out>-history.<suffix> (default 1: this year's book only); both files or neither")
    p.add_argument("--year", type=int, default=None, help="service year of the book (default 2026)")


def _run_sample(args):  # --out, --customers, --years and the history file checked by _check_args
    from .io import atomic_paths
    from .portfolio import SAMPLE_YEAR, sample_portfolio, write_table

    year = args.year or SAMPLE_YEAR
    if year - (args.years - 1) < 2003:
        from .errors import OptionError

        raise OptionError("--years", f"{args.years} years back from {year} reach before the 2003 policy; "
                                     f"at most {year - 2002}")
    df = sample_portfolio(args.seed, args.customers)
    history = _sample_history(df, args, year) if args.years > 1 else None
    targets = [Path(args.out)] + ([history_path(args.out)] if history is not None else [])
    with atomic_paths(targets) as tmps:  # both files or neither
        write_table(df, tmps[0])
        if history is not None:
            write_table(history, tmps[1])
    print(f"wrote {len(df):,} customers (seed {args.seed}) to {targets[0]}")
    if history is not None:
        years = sorted(history["year"].unique())
        print(f"wrote the tier lists of {', '.join(map(str, years))} (sample history, 2003 policy) to {targets[1]}")


def _sample_history(df, args, year: int):
    from .compare import sample_history
    from .policy import load_policy
    from .portfolio import sample_branches, validate_branches, validate_portfolio

    branches = validate_branches(sample_branches(), "sample branches")
    book = validate_portfolio(df, f"sample(seed={args.seed})", branches)
    return sample_history(book, load_policy(), year, args.years, args.seed, branches)


# ----------------------------------------------------------------------------- tier
def _add_tier(sub):
    p = sub.add_parser("tier", help="score and tier a portfolio; write the list and a summary")
    _inputs_args(p)
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["tier"],
            help="output file: .xlsx (formatted in --lang and --display-unit: the full list, counts, "
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
    if out.suffix.lower() != ".xlsx":  # a machine-readable list: English keys, reasons in English
        write_table(present.labels.notes_in_words(table, "en"), out)
    else:  # for a reader: formatted, in --lang and --display-unit; the full list first, so it reads back
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
    _input(p, "--history", default=None, help="last year's tier list(s), comma-separated (.xlsx, .csv, "
                                                   ".parquet; what `tier --year` wrote reads back as it is)")
    p.add_argument("--history-year", type=int, default=None,
                   help="year of a history file without a year column (default: the year before the service year)")
    _input(p, "--nominations", default=None, help="branch Gold nominations (客户号, 推荐机构)")
    _input(p, "--overrides", default=None, help="head-office overrides (客户号, 操作, 层级, 理由, 批准人, 批准日期)")


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
            _input(p, f"--{name}", help=f"{text}; default: a seeded sample, marked SAMPLE DATA")
    if "log-year" not in skip:
        p.add_argument("--log-year", type=int, default=2025, help="year of the logs (and of the sample logs)")


def _print_samples(given: dict, lang: str = "zh") -> None:
    """The console line of a report drawn partly on seeded samples, in ``lang``: which inputs
    were not given, by their reader's names and options."""
    from .present.messages import say
    from .vocabulary import INPUT_TERMS

    missing = [f"{getattr(INPUT_TERMS[k], lang)}（--{k.replace('_', '-')}）" if lang == "zh" else
               f"{getattr(INPUT_TERMS[k], lang)} (--{k.replace('_', '-')})" for k, v in given.items() if not v]
    if missing:
        print(say("console.samples_used", lang, inputs=missing))


def _run_report(args):
    from .report import LOG_PARAMETERS, REPORTS_DIR, refuse_run_parameters, run_report

    parameters = _notebook_parameters(args.parameter)
    refuse_run_parameters(parameters)  # the run's own names: their options instead
    _check_bounds(parameters, prefix="-p ")  # a number within its option's bounds
    logs = {k: getattr(args, k) for k in LOG_PARAMETERS}
    _print_samples(logs, args.lang)
    run_dir = run_report(args.scenario, args.portfolio, args.branches, args.amount_unit, args.seed,
                         reports_dir=Path(args.reports_dir) if args.reports_dir else REPORTS_DIR,
                         logs=logs, log_year=args.log_year, lang=args.lang, display_unit=args.display_unit,
                         parameters=_cycle_parameters(args, parameters))
    from .present.messages import say

    print(say("console.report_written", args.lang, path=run_dir))


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
    _output(p, "--out", suffixes=OUT_SUFFIXES["calibrate"],
            help="write the calibrated scenario here (.yaml); default: print only")
    _output(p, "--workbook", suffixes=(".xlsx",), help="also write the calibration's tables to this workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out / --workbook if they exist")


def _run_calibrate(args):
    from .calibrate import calibrate_book, format_changes
    from .errors import OutputPathError
    from .io import write_text
    from .policy import BASE_FILE, load_policy

    # --out and --workbook checked by _check_args before the work
    if args.out and Path(args.out).name == BASE_FILE:
        raise OutputPathError(args.out, f"refusing to write over the policy as written ({BASE_FILE}); "
                                        "choose another file name")
    scenario_out = Path(args.out) if args.out else None
    workbook = Path(args.workbook) if args.workbook else None
    inputs = _load(args)
    result = calibrate_book(inputs.portfolio, inputs.policy, inputs.capacity(), gold_pool=args.gold_pool,
                            silver=args.silver, method=args.method, tie=args.tie, fit_tables=args.fit_tables)
    _print_table(result.final.table().drop(columns="message"), "calibration", args)
    _print_notes(result.final.messages(), args)
    if not result.changes.empty:
        _print_table(format_changes(result.changes), "scenario changes", args)
    print("candidates under the calibrated values: "
          + ", ".join(f"{k} {v:,}" for k, v in result.counts.items()))
    if workbook:
        print(f"wrote {_write_tables(result.tables(), workbook, args)}")
    if scenario_out and result.changes.empty:  # a scenario changing nothing would be the policy as written
        print(f"no parameter changes: the policy as written already meets the targets; {scenario_out} not written")
    elif scenario_out:
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
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["assess"], help="output workbook (.xlsx)")


def _run_assess(args):
    from .assess import assess_service
    from .events import load_assessment_logs
    from .present.page import mark_samples
    from .report import ASSESSMENT_BASED_ON

    if Path(args.out).suffix.lower() != ".xlsx":  # before the work, not after
        raise TiermodelError(f"{args.out}: --out must end in .xlsx")
    inputs = _load(args)
    tiers = inputs.tiering().table
    found = load_assessment_logs(tiers, args.service_log, args.survey, args.complaints, args.executives,
                                 inputs.seed, args.log_year, inputs.policy.executive_quotas.gm_office_members,
                                 options=_read_options(args))
    record, logs = _service_record(inputs, tiers, found, args)
    result = assess_service(tiers, found.service, found.survey, found.complaints, found.executives,
                            inputs.policy, files=found.sources, delivery_by_branch=record.delivery.by_branch)
    _print_samples({k: getattr(args, k) for k in ("service_log", "delivery", "survey", "complaints", "hotline",
                                                  "policies", "executives")}, getattr(args, "lang", "zh"))
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
    from .budget.services import delivery_prices
    from .events import load_delivery_logs

    policy = inputs.policy
    costs, take_up = delivery_prices(policy, args.log_year)
    logs = load_delivery_logs(tiers, found.executives, costs, args.delivery, args.hotline, args.policies,
                              inputs.seed, args.log_year, found.complaints, take_up=take_up)
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
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["sensitivity"], help="output workbook (.xlsx)")
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
    from .sensitivity import sensitivity_analysis

    out = Path(args.out)  # checked by _check_args before the work
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
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["budget"], help="output workbook (.xlsx)")


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
    _input(p, "--base", default=None, help="base scenario (default: the 2003 policy as written)")
    _input(p, "--history", default=None,
                   help="last year's tier list (.csv, .xlsx, .parquet): compare this year's list with it")
    p.add_argument("--history-year", type=int, default=None,
                   help="year of the --history list when it has no year column")
    p.add_argument("--year", type=int, default=None, help="budget year (default 2003 prices)")
    _input(p, "--nominations", default=None, help="branch Gold nominations (客户号, 推荐机构); "
                                                       "default: every eligible customer competes")
    _input(p, "--overrides", default=None, help="head-office overrides (客户号, 操作, 层级, 理由, 批准人, 批准日期)")
    p.add_argument("--gold-list-date", default=None, help="date the Gold list was submitted (YYYY-MM-DD)")
    p.add_argument("--revisit-plan-date", default=None, help="date the revisit plan was submitted (YYYY-MM-DD)")
    _output(p, "--lists", default=None, suffixes=(".xlsx",),
            help="also write the published lists (one Chinese sheet per branch and the company-wide Gold list) "
                 "to this .xlsx; needs --year")
    _output(p, "--out", required=True, suffixes=OUT_SUFFIXES["compare"], help="output workbook (.xlsx)")
    p.add_argument("--force", action="store_true", help="replace --out (and --lists) if they exist")


def _approval_sheets(args, inputs, this, last=None) -> tuple[dict, dict | None]:
    """附件一, overrides and the 15 January check for ``tiermodel compare``, and the published
    lists to write (None without --lists); nothing is written here."""
    from .compare import approval_table, deadline_check, published_lists, review_year
    from .cycle_inputs import date_or_none
    from .history import read_nominations, read_overrides

    nominations = read_nominations(args.nominations, inputs.portfolio) if args.nominations else None
    window = args.year if inputs.policy.readings.override_dates_within_service_year else None
    overrides = read_overrides(args.overrides, inputs.portfolio["customer_id"], window) if args.overrides else None
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
                                         inputs.portfolio_source, lang=getattr(args, "lang", "zh"))
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

    # --out and --lists checked by _check_args before the work
    approving = any([args.lists, args.nominations, args.overrides, args.gold_list_date, args.revisit_plan_date])
    if approving and args.year is None:
        raise TiermodelError("compare: --year (the service year) is needed for approval, the lists and the "
                             "15 January check")
    if not args.scenario and not args.history and not approving:
        raise TiermodelError("compare: give --scenario (against --base or the 2003 policy), --history, or --lists")
    inputs = _load(args)
    this = inputs.tiering()
    history = read_history(args.history, args.history_year, service_year=args.year) if args.history else None  # checked before any write
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


# ----------------------------------------------------------------------------- explore
def _add_explore(sub):
    p = sub.add_parser("explore", help="serve the what-if explorer (notebook 09) with Voilà on localhost")
    _input(p, "--portfolio", help="customer table (.csv, .xlsx, .parquet); default: the bundled sample")
    _input(p, "--branches", help="branch table (branch, branch_class, silver_capacity)")
    p.add_argument("--amount-unit", choices=["yuan", "wan"], default=None,
                   help="unit of the amounts in the portfolio file (wan = 万元); default: as each header "
                        "states it (长险标准保费（万元）), else yuan")
    p.add_argument("--display-unit", choices=["wan", "yuan"], default=None,
                   help="amounts shown: wan (万元) or yuan (元); default 万元 in zh, 元 in en")
    _input(p, "--history", default=None, help="last year's tier list(s): the budget takes the service year's prices")
    p.add_argument("--history-year", type=int, default=None, help="year of a history file without a year column")
    p.add_argument("--seed", type=int, default=2003, help="seed of the sample")
    p.add_argument("--port", type=int, default=None, help="localhost port (default: a free one)")
    p.add_argument("--scenarios-dir", default=None, help="where saved scenarios go (default: params/scenarios/)")


def _run_explore(args):
    from .explore import _budget_year, serve_process
    from .run_inputs import load_inputs

    options = {"portfolio": _absolute_paths(args.portfolio) if args.portfolio else "",
               "branches": _absolute_paths(args.branches) if args.branches else "",
               "history": _absolute_paths(args.history) if args.history else "", "history_year": args.history_year,
               "amount_unit": args.amount_unit or "", "display_unit": args.display_unit or "", "lang": args.lang,
               "seed": args.seed, "scenarios_dir": str(Path(args.scenarios_dir).resolve()) if args.scenarios_dir else ""}
    # bad inputs stop here (exit 2), before a server starts
    load_inputs(None, options["portfolio"] or None, options["branches"] or None, args.amount_unit, args.seed)
    _budget_year(options["history"], args.history_year)
    proc, url = serve_process(options, args.port)
    print(f"what-if explorer at {url} (Ctrl-C stops it)", flush=True)
    try:
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


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
    "explore": (_add_explore, _run_explore),
}


def _crash_log(exc: BaseException, argv: list[str]) -> Path:
    """Write the traceback of an unexpected error to a new log file; return its path.

    The file is created exclusively under a unique name in the temporary folder
    (:func:`tempfile.mkstemp`): never a file or link that was there before."""
    import datetime as dt
    import platform
    import tempfile
    import traceback

    from . import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = (f"tiermodel {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: tiermodel {' '.join(argv)}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    fd, name = tempfile.mkstemp(prefix=f"tiermodel-crash-{stamp}-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(name)


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


def build_parser() -> argparse.ArgumentParser:
    """The ``tiermodel`` parser: one subparser per command of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="tiermodel", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    _add_force(sub)
    _add_lang(sub)
    return parser


def _on_sigterm() -> None:
    """SIGTERM ends the command as Ctrl-C does: temporary files removed, exit status 130."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        def stop(signum, frame):
            raise KeyboardInterrupt(f"signal {signum}")

        signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    """Run ``tiermodel <command> …`` and return the exit status.

    0 done; 2 bad input, option or output path (one message naming file, row, column and
    rule; nothing written); 1 an unexpected error (one line and the path of a crash log,
    never a traceback); 130 interrupted (Ctrl-C or SIGTERM).
    """
    program = argv is None  # the process is this command's (not a caller's, as in the tests)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)  # a bad option: argparse prints usage and exits 2
    warnings.simplefilter("default")
    warnings.showwarning = _one_line_warning
    if program:
        _on_sigterm()
        if args.command in NO_CYCLE_COLLECTION:
            _collect_no_cycles()
        if args.command == "tier":
            _read_portfolio_ahead(args)
    try:
        _check_args(args)
        COMMANDS[args.command][1](args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except (TiermodelError, KeyboardInterrupt, MemoryError, OSError) as exc:
        return _expected_end(exc, args)
    except Exception as exc:  # a defect: one line, the details in a crash log
        try:
            log = f"details in {_crash_log(exc, argv)}"
        except OSError:
            log = "no crash log could be written"
        print(f"internal error ({type(exc).__name__}: {exc}); {log}. Please report it.", file=sys.stderr)
        return 1
    return 0


def _expected_end(exc: BaseException, args) -> int:
    """The message and exit status of a run ended by bad input, an interrupt or the machine."""
    if isinstance(exc, TiermodelError):
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, KeyboardInterrupt):  # a report has said which pages are complete
        print("interrupted" if args.command == "report" else "interrupted; no output was completed",
              file=sys.stderr)
        return 130
    if isinstance(exc, MemoryError):
        print("error: out of memory; try fewer --customers or --sims, or a smaller portfolio", file=sys.stderr)
        return 2
    where = f"{exc.filename}: " if exc.filename else ""  # the machine's answer: disk full, permission denied
    done = "" if args.command == "report" else "; nothing was written"
    print(f"error: {where}{exc.strerror or exc}{done}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
