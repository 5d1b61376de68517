"""`make mutate`: mutation testing of the core, the comparisons and the budget, with the kill rate per module.

The modules and each one's focused tests are listed in ``mutation/modules.toml`` (one entry a
module). :mod:`mutator` (a small AST mutator: it also mutates decorated functions such as the
pydantic validators, and class bodies such as field bounds) makes every mutant of a module;
each mutant is run against the module's focused tests with ``-x`` in a child forked from this
process (numpy, pandas, pydantic and pytest already imported; the mutated module compiled in
by an import hook, so no file is ever written and nothing needs restoring), two at a time by
default. Tests that killed earlier mutants of the module run first.

First the focused tests run once unmutated under coverage: a mutant on lines they never run is
reported as *not covered* and not run. Counts per module:

* generated — mutants made; not covered — on lines no focused test runs;
* run, killed (a test failed, errored or timed out), survived;
* equivalent — survivors listed in ``mutation/equivalent.txt`` (no input tells them apart);
* kill rate = killed / (generated − equivalent): not-covered mutants count as not killed.

``mutation/equivalent.txt`` names each equivalent mutant by module, function, line text and
mutation (see :func:`mutator.key`), with the reason. The run fails (exit 1) when a module's kill
rate is below 95 %, when a listed entry matches no mutant any more (the code changed: review
it), or when a listed mutant is killed.

Usage::

    python mutation/run.py                          # every module of modules.toml
    python mutation/run.py tiermodel/scoring.py     # one module (or several)
    python mutation/run.py --workers 1 ...          # one child at a time
    python mutation/run.py --list tiermodel/tiers.py    # the mutants, not run
"""
from __future__ import annotations

import argparse
import json
import os
import select
import signal
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # forked children: no BLAS thread pool to inherit
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ["TIERMODEL_MUTATE"] = "1"  # derandomised hypothesis, fewer examples (tests/conftest.py)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import mutator  # noqa: E402

CONFIG = HERE / "modules.toml"
EQUIVALENT = HERE / "equivalent.txt"
TARGET = 0.95
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:nbval", "--no-header",
               "-o", "console_output_style=classic"]


# ----------------------------------------------------------------------------- configuration
def read_config(path: Path = CONFIG) -> dict[str, dict]:
    """``{module path: {"tests": [...], "strings": bool}}`` from modules.toml."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for module, entry in data["modules"].items():
        if not (ROOT / module).is_file():
            sys.exit(f"{path.name}: {module} not found")
        tests = entry["tests"]
        for t in tests:
            if not (ROOT / t.split("::")[0]).is_file():
                sys.exit(f"{path.name}: {module}: test file {t} not found")
        tests = [*tests, "-k", entry["k"]] if entry.get("k") else tests
        out[module] = {"tests": tests, "strings": bool(entry.get("strings", False))}
    return out


def read_equivalent(path: Path = EQUIVALENT) -> dict[tuple, str]:
    """``{key: reason}``: one mutant a line, ``module :: function :: line text :: mutation :: reason``."""
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" :: ")]
        if len(parts) != 5 or not parts[4]:
            sys.exit(f"{path}:{n}: write 'module :: function :: line text :: mutation :: reason'")
        out[mutator.key(*parts[:4])] = parts[4]
    return out


def entry(m: mutator.Mutant, reason: str = "REASON") -> str:
    """A line of equivalent.txt for ``m``."""
    return " :: ".join([*m.key, reason])


# ----------------------------------------------------------------------------- children
def _module_name(path: str) -> str:
    return path[:-3].replace("/", ".")


class _Hook:
    """Import hook of a child: ``name`` compiled from the mutated tree instead of its file."""

    def __init__(self, name: str, path: Path, code):
        self.name, self.path, self.code = name, path, code

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        import importlib.util
        return importlib.util.spec_from_file_location(fullname, self.path, loader=self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.code, module.__dict__)


class _Report:
    """pytest plugin of a child: runs the given tests first; notes the first failing test."""

    def __init__(self, first: list[str]):
        self.first = first
        self.failed = None

    def pytest_collection_modifyitems(self, items):
        rank = {n: i for i, n in enumerate(self.first)}
        items.sort(key=lambda it: rank.get(it.nodeid, len(rank)))  # stable: the conftest order otherwise

    def pytest_runtest_logreport(self, report):
        if report.failed and self.failed is None:
            self.failed = report.nodeid

    def pytest_collectreport(self, report):
        if report.failed and self.failed is None:
            self.failed = f"collecting {report.nodeid}"


def _child(write_fd: int, tests: list[str], first: list[str], module: str, mutant, coverage_of: str | None):
    """Body of a forked child: apply the mutant, run the tests, write the result, exit."""
    import pytest
    sys.dont_write_bytecode = True
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    path = ROOT / module
    if mutant is not None:
        sys.meta_path.insert(0, _Hook(_module_name(module), path, mutator.mutated_code(path, mutant)))
    cov = None
    if coverage_of:
        import coverage
        cov = coverage.Coverage(data_file=None, include=[str(path)], config_file=False)
        cov.start()
    report = _Report(first)
    code = int(pytest.main([*PYTEST_ARGS, *tests], plugins=[report]))
    out = {"exit": code, "failed": report.failed}
    if cov is not None:
        cov.stop()
        out["lines"] = sorted(cov.get_data().lines(str(path)) or [])
    with os.fdopen(write_fd, "w") as f:
        json.dump(out, f)
    os._exit(0)


@dataclass
class _Running:
    pid: int
    read_fd: int
    started: float
    mutant: object
    chunks: list = field(default_factory=list)


def _spawn(tests, first, module, mutant, coverage_of=None) -> _Running:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            _child(w, tests, first, module, mutant, coverage_of)
        finally:
            os._exit(3)
    os.close(w)
    return _Running(pid, r, time.monotonic(), mutant)


def _finish(run: _Running, timed_out: bool) -> dict:
    """Wait for a child (killing it first when it ran out of time) and read its result."""
    if timed_out:
        os.kill(run.pid, signal.SIGKILL)
    while True:  # read to the end before waiting: a full pipe would block the child
        chunk = os.read(run.read_fd, 65536)
        if not chunk:
            break
        run.chunks.append(chunk)
    os.close(run.read_fd)
    _, status = os.waitpid(run.pid, 0)
    if timed_out:
        return {"exit": "timeout", "failed": None}
    try:
        return json.loads(b"".join(run.chunks))
    except ValueError:
        return {"exit": f"crash ({status})", "failed": None}


def _pool(todo: list, start, workers: int, timeout: float, done) -> None:
    """Run a forked child per item of ``todo``, ``workers`` at a time: ``start(item)`` forks it
    (a :class:`_Running`), ``done(item, result)`` takes its result as it ends; a child still
    running after ``timeout`` seconds is killed (result ``"timeout"``)."""
    todo = list(todo)
    running: list[tuple] = []
    while todo or running:
        while todo and len(running) < workers:
            item = todo.pop(0)
            running.append((item, start(item)))
        ready, _, _ = select.select([run.read_fd for _, run in running], [], [], 0.5)
        now = time.monotonic()
        for pair in list(running):
            item, run = pair
            if run.read_fd in ready:
                chunk = os.read(run.read_fd, 65536)
                if chunk:
                    run.chunks.append(chunk)
                    continue
                res = _finish(run, False)
            elif now - run.started > timeout:
                res = _finish(run, True)
            else:
                continue
            running.remove(pair)
            done(item, res)


def _note_killer(killers: list[str], res: dict) -> None:
    """Put the test that killed a mutant first in ``killers`` (the order later children run)."""
    failed = res.get("failed")
    if failed and not failed.startswith("collecting") and failed not in killers:
        killers.insert(0, failed)


def run_all(tests, module, mutants, workers: int, timeout: float, progress=None) -> dict:
    """Result of each mutant: ``{mutant: {"exit": ..., "failed": test id}}``."""
    results = {}
    killers: list[str] = []

    def done(mutant, res):
        results[mutant] = res
        _note_killer(killers, res)
        if progress:
            progress(len(results), len(mutants))

    _pool(mutants, lambda m: _spawn(tests, list(killers), module, m), workers, timeout, done)
    return results


def killed(res: dict) -> bool:
    return res["exit"] != 0  # a failure, an error, a timeout or a crash; 0 = every test passed


# ----------------------------------------------------------------------------- the fast path
class _Server:
    """pytest plugin: collect the focused tests once, then run them against each mutant in a
    child forked from the collected session, the mutant's owner function given its mutated code.

    Results go to ``out_fd`` as JSON lines: first the baseline (unmutated, under coverage) with
    the lines it ran, then one line per mutant ``{"i": position, "exit": 0/1/"timeout"/…,
    "failed": test id}``. Only mutants whose lines the baseline ran are run.
    """

    def __init__(self, module: str, mutants: list, workers: int, out_fd: int, codes: dict):
        self.module, self.mutants, self.workers, self.out_fd = module, mutants, workers, out_fd
        self.codes = codes

    def _send(self, obj):
        os.write(self.out_fd, (json.dumps(obj) + "\n").encode())

    def _run_items(self, items, first):
        from _pytest.runner import runtestprotocol  # pytest's own loop of one test, as -x runs it
        rank = {n: i for i, n in enumerate(first)}
        items = sorted(items, key=lambda it: rank.get(it.nodeid, len(rank)))
        for i, item in enumerate(items):
            nxt = items[i + 1] if i + 1 < len(items) else None
            reports = runtestprotocol(item, nextitem=nxt, log=False)
            if any(r.failed for r in reports):
                return item.nodeid
        return None

    def _fork(self, items, first, mutant, cov_path=None):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                if mutant is not None:
                    code = mutator.owner_code(ROOT / self.module, mutant)
                    for f in self.codes.get(mutant.owner, []):
                        f.__code__ = code
                cov = None
                if cov_path:
                    import coverage
                    cov = coverage.Coverage(data_file=None, include=[cov_path], config_file=False)
                    cov.start()
                try:
                    failed = self._run_items(items, first)
                    out = {"exit": 1 if failed else 0, "failed": failed}
                except BaseException as exc:  # noqa: BLE001  a mutant may break the test loop itself
                    out = {"exit": f"error {type(exc).__name__}", "failed": None}
                if cov is not None:
                    cov.stop()
                    out["lines"] = sorted(cov.get_data().lines(cov_path) or [])
                os.write(w, json.dumps(out).encode())
            finally:
                os._exit(0)
        os.close(w)
        return _Running(pid, r, time.monotonic(), mutant)

    def pytest_runtestloop(self, session):
        items = list(session.items)
        path = str((ROOT / self.module).resolve())
        t0 = time.monotonic()
        base = _finish(self._fork(items, [], None, cov_path=path), False)
        base["seconds"] = time.monotonic() - t0
        self._send({"baseline": base})
        if base["exit"] != 0:
            return True
        covered = set(base.get("lines", []))
        todo = [(i, m) for i, m in enumerate(self.mutants)
                if any(line in covered for line in range(m.stmt_lines[0], m.stmt_lines[1] + 1))]
        timeout = max(30.0, 4 * base["seconds"])
        killers: list[str] = []

        def done(todo_item, res):
            _note_killer(killers, res)
            self._send({"i": todo_item[0], **res})

        _pool(todo, lambda todo_item: self._fork(items, killers, todo_item[1]), self.workers, timeout, done)
        return True


def _function_objects(path: str) -> dict:
    """``{(qualified name, first line): [function objects]}`` of the functions defined in ``path``."""
    import gc
    import types
    out: dict = {}
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename == path:
            out.setdefault((obj.__code__.co_qualname, obj.__code__.co_firstlineno), []).append(obj)
    return out


def run_fast(module: str, tests: list[str], mutants: list, workers: int, progress=None):
    """Baseline and results of the mutants with an owner function: ``(baseline, {position: result})``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the server: collects once, forks a child per mutant
        os.close(r)
        try:
            import importlib
            import pytest
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)

            class _Collected:
                def pytest_collection_finish(self, session):
                    importlib.import_module(_module_name(module))
                    server.codes = _function_objects(str((ROOT / module).resolve()))

            server = _Server(module, mutants, workers, w, {})
            pytest.main([*PYTEST_ARGS, *tests], plugins=[_Collected(), server])
        finally:
            os._exit(0)
    os.close(w)
    baseline, results, buf = None, {}, b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        for line in lines:
            msg = json.loads(line)
            if "baseline" in msg:
                baseline = msg["baseline"]
            else:
                results[msg.pop("i")] = msg
                if progress:
                    progress(len(results))
    os.close(r)
    os.waitpid(pid, 0)
    return baseline, results


# ----------------------------------------------------------------------------- one module
@dataclass
class Figures:
    module: str
    generated: int
    not_covered: int
    run: int
    equivalent: int
    killed: int
    survived: list
    listed_but_killed: list
    seconds: float

    @property
    def rate(self) -> float:
        base = self.generated - self.equivalent
        return self.killed / base if base else 1.0


def mutate_module(module: str, conf: dict, equivalent: dict, workers: int) -> tuple[Figures, set]:
    """Every mutant of ``module`` against its focused tests: the figures, and the keys generated.

    A mutant inside a function runs on the fast path (:func:`run_fast`); one that runs at
    import (module level, class bodies, decorators, default values) in a child that imports the
    mutated module afresh.
    """
    tests = conf["tests"]
    path = ROOT / module
    ms = mutator.mutants(path, module, strings=conf["strings"])
    keys = [m.key for m in ms]
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        print(f"  warning: {len(dup)} mutant key(s) of {module} name more than one mutant: {dup[:3]}")
    fast = [m for m in ms if m.owner is not None]
    slow = [m for m in ms if m.owner is None]
    t0 = time.monotonic()
    print(f"{module}: {len(ms)} mutants ({len(fast)} in functions, {len(slow)} at import); "
          f"tests {' '.join(tests)}; {workers} worker(s)", flush=True)
    step = max(1, len(fast) // 20)

    def progress(done, total=None):
        if done % step == 0:
            print(f"  {done} run, {time.monotonic() - t0:.0f} s", flush=True)

    baseline, fast_results = run_fast(module, tests, fast, workers, progress)
    if baseline is None or baseline["exit"] != 0:
        sys.exit(f"{module}: the focused tests fail without any mutant ({baseline}): fix them first")
    results = {fast[i]: res for i, res in fast_results.items()}
    print(f"  baseline {baseline['seconds']:.1f} s; {len(results)} of {len(fast)} in functions run "
          f"({time.monotonic() - t0:.0f} s); {len(slow)} at import next", flush=True)
    timeout = max(30.0, 4 * baseline["seconds"])
    results.update(run_all(tests, module, slow, workers, timeout))
    todo = [m for m in ms if m in results]
    not_covered = [m for m in ms if m not in results]
    n_killed = sum(1 for m in todo if killed(results[m]))
    survivors = [m for m in todo if not killed(results[m])]
    eq = [m for m in survivors + not_covered if m.key in equivalent]
    listed_but_killed = [m for m in todo if killed(results[m]) and m.key in equivalent]
    fig = Figures(module, len(ms), len(not_covered), len(todo), len(eq), n_killed,
                  [m for m in survivors + not_covered if m.key not in equivalent], listed_but_killed,
                  time.monotonic() - t0)
    fig.not_covered_list = not_covered
    return fig, set(keys)


def stale_entries(equivalent: dict, keys: set, modules: set) -> list[tuple]:
    """Entries of the equivalent list, for ``modules``, that name no generated mutant."""
    return [k for k in equivalent if k[0] in modules and k not in keys]


def source_stamp() -> dict[str, int]:
    """Modification times of the package's sources: a run whose package changes under it (a merge,
    an edit) mixes old and new code in its children (a module imported late comes from the new
    files), and its figures mean nothing. The tests are collected once, at the start."""
    return {str(p): p.stat().st_mtime_ns for p in sorted((ROOT / "tiermodel").rglob("*.py"))}


def table(figures: list[Figures]) -> str:
    head = (f"{'module':32} {'generated':>9} {'not cov.':>8} {'run':>5} {'equiv.':>6} {'killed':>6} "
            f"{'survived':>8} {'kill rate':>9} {'time':>6}")
    rows = [head]
    for f in figures:
        rows.append(f"{f.module:32} {f.generated:9d} {f.not_covered:8d} {f.run:5d} {f.equivalent:6d} {f.killed:6d} "
                    f"{f.run - f.killed:8d} {f.rate:9.1%} {f.seconds:5.0f}s")
    rows.append("kill rate = killed / (generated − equivalent); not-covered mutants count as not killed")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module paths of modules.toml (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="children at a time (default 2)")
    parser.add_argument("--list", action="store_true", help="print the mutants and their keys, run nothing")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    config = read_config()
    chosen = args.modules or list(config)
    for m in chosen:
        if m not in config:
            sys.exit(f"{m}: not in {CONFIG.name} (one of {', '.join(config)})")
    equivalent = read_equivalent()
    if args.list:
        for m in chosen:
            for mt in mutator.mutants(ROOT / m, m, strings=config[m]["strings"]):
                print(f"{mt.line:5d}  {entry(mt, '')}")
        return 0
    import numpy, pandas, pydantic, pytest, hypothesis, yaml, coverage  # noqa: F401,E401  imported once, shared by every child

    figures, all_keys, ok = [], set(), True
    for m in chosen:
        stamp = source_stamp()
        fig, keys = mutate_module(m, config[m], equivalent, args.workers)
        if source_stamp() != stamp:
            sys.exit(f"{m}: sources under tiermodel/ changed during the run; its figures are not "
                     f"valid: run it again")
        figures.append(fig)
        all_keys |= keys
        ok &= fig.rate >= TARGET
        if fig.survived:
            print(f"  not killed and not listed as equivalent ({len(fig.survived)}):")
            for mt in fig.survived:
                note = "  [not covered]" if mt in fig.not_covered_list else ""
                print(f"    {entry(mt, '')}{note}")
                print("      " + mutator.diff(ROOT / m, mt).replace("\n", "\n      "))
        if fig.listed_but_killed:
            ok = False
            print(f"  listed as equivalent but killed (remove from {EQUIVALENT.name}):")
            for mt in fig.listed_but_killed:
                print(f"    {entry(mt, '')}")
    modules_run = set(chosen)
    stale = stale_entries(equivalent, all_keys, modules_run)
    if stale:
        ok = False
        print(f"\nlisted in {EQUIVALENT.name} but no such mutant any more (the code changed: review the entry):")
        for k in stale:
            print("  " + " :: ".join(k))
    print("\n" + table(figures))
    print(f"target: ≥ {TARGET:.0%} of the non-equivalent mutants killed in each module, every entry of "
          f"{EQUIVALENT.name} matched: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
