"""`make mutate`: mutation testing of the core, with the kill rate per module.

Runs mutmut (``pip install -e '.[mutate]'``) over ``tiermodel/scoring.py``, ``tiers.py``,
``policy.py`` and ``sensitivity/engine.py`` (the batched re-tiering of the weight/K
sensitivity analysis) against their focused tests (``[tool.mutmut]`` in pyproject.toml:
test_score, test_tiers, test_policy, test_core_properties, test_engine and test_core_edges)
with one worker, then counts, per module, the mutants the tests kill. Mutants judged
equivalent (no input can tell them from the original) are listed once, with the reason, in
``mutation/equivalent.txt``; they are left out of the rate. Target: at least 95 % of the
non-equivalent mutants killed in every module; the exit status is 1 below it. A clean run of
the 2,753 mutants takes about half an hour on one core.

The pydantic validators of policy.py are decorated methods, which mutmut does not mutate;
each calls a plain ``check_*`` function that it does.

Usage::

    python mutation/run.py                 # fresh run of every mutant, then the figures
    python mutation/run.py --report        # only the figures of the last run
    python mutation/run.py --report --diffs   # ... and what each surviving mutant changed
    python mutation/run.py --review-equivalent   # each listed equivalent mutant's diff and reason
    python mutation/run.py 'tiermodel.tiers.x_select*'   # re-run some mutants, then the figures
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["scoring", "tiers", "policy", "sensitivity.engine"]  # dotted, below tiermodel
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.txt"
TARGET = 0.95
KILLED = {1, 3, 36, 37, 24, -24, 152, 255, -11, -9}  # killed, pytest error, timeouts, crashes, type check
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def read_equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    """``{mutant name: reason}`` from the list: one mutant a line, name then reason."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"{path}: {name}: give the reason it is equivalent")
        out[name] = reason.strip()
    return out


def results() -> dict[str, dict[str, int | None]]:
    """Exit code of every mutant of every module, from mutmut's files."""
    out = {}
    for module in MODULES:
        meta = ROOT / "mutants" / source(module).with_suffix(".py.meta")
        if not meta.exists():
            sys.exit(f"{meta} not found: run mutation/run.py without --report first")
        out[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return out


def source(module: str) -> Path:
    """``tiermodel/sensitivity/engine.py`` of ``sensitivity.engine``."""
    return Path("tiermodel", *module.split(".")).with_suffix(".py")


def module_of(name: str) -> str:
    """The module (as in MODULES) a mutant's name belongs to: the longest that prefixes it."""
    owners = [m for m in MODULES if name.startswith(f"tiermodel.{m}.")]
    if not owners:
        sys.exit(f"{name}: not a mutant of {', '.join(MODULES)}")
    return max(owners, key=len)


def diff(name: str) -> str:
    """The changed lines of one mutant."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    try:
        text = get_diff_for_mutant(name, path=source(module_of(name)))
    except (FileNotFoundError, ValueError) as err:  # the function is gone or renamed
        return f"!   no such mutant any more ({err}): remove or rename the entry"
    return "\n".join(line for line in text.splitlines()[2:] if line[:1] in "+-")


def report(diffs: bool = False) -> int:
    equivalent = read_equivalent()
    codes = results()
    known = {name for per in codes.values() for name in per}
    stale = sorted(set(equivalent) - known)
    ok = True
    print(f"\n{'module':18} {'mutants':>8} {'checked':>8} {'equivalent':>10} {'killed':>7} {'not killed':>10} "
          f"{'kill rate':>10} {'raw':>6}")
    survivors = []
    unchecked_total = 0
    for module, per in codes.items():
        checked = {n: code for n, code in per.items() if code is not None}
        unchecked_total += len(per) - len(checked)
        killed = sum(1 for code in checked.values() if code in KILLED)
        eq = [n for n, code in checked.items() if n in equivalent and code not in KILLED]
        not_killed = [n for n, code in checked.items() if code not in KILLED and n not in equivalent]
        survivors += [(n, STATUS.get(per[n], f"exit {per[n]}")) for n in not_killed]
        base = len(checked) - len(eq)
        rate = killed / base if base else 1.0
        ok &= rate >= TARGET and len(checked) == len(per)
        print(f"{module:18} {len(per):8d} {len(checked):8d} {len(eq):10d} {killed:7d} {len(not_killed):10d} "
              f"{rate:10.1%} {killed / len(checked) if checked else 1:6.1%}")
    print("kill rate = killed / (checked - equivalent); raw = killed / checked")
    if unchecked_total:
        print(f"{unchecked_total} mutant(s) not checked yet: the run was stopped before them")
    wrongly = sorted(n for per in codes.values() for n, code in per.items() if n in equivalent and code in KILLED)
    if survivors:
        print("\nnot killed and not listed as equivalent:")
        for name, status in survivors:
            print(f"  {name}  ({status})")
            if diffs:
                print("    " + diff(name).replace("\n", "\n    "))
    if wrongly:
        print(f"\nlisted as equivalent but killed (remove from {EQUIVALENT.name}): {', '.join(wrongly)}")
    if stale:
        print(f"\nlisted in {EQUIVALENT.name} but no such mutant (code changed?): {', '.join(stale)}")
    print(f"\ntarget: ≥ {TARGET:.0%} of the non-equivalent mutants killed in each module: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mutants", nargs="*", help="mutant names or patterns to re-run (default: a fresh run of all)")
    parser.add_argument("--report", action="store_true", help="only print the figures of the last run")
    parser.add_argument("--diffs", action="store_true", help="print the changed lines of each survivor")
    parser.add_argument("--review-equivalent", action="store_true",
                        help="print each listed equivalent mutant's changed lines beside its reason: mutant "
                             "numbers shift when a function changes, so review the list after such a change")
    args = parser.parse_args(argv)
    if not args.report and not args.review_equivalent:
        if not args.mutants:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        env = {**os.environ, "TIERMODEL_MUTATE": "1"}  # derandomised hypothesis: the same examples every run
        cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", "1", *args.mutants]
        print(" ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=ROOT, env=env, check=False)
    os.chdir(ROOT)
    if args.review_equivalent:
        for name, reason in read_equivalent().items():
            print(f"## {name}: {reason}\n{diff(name)}")
        return 0
    return report(args.diffs)


if __name__ == "__main__":
    sys.exit(main())
