"""`make mutate`'s own AST mutator (mutation/mutator.py, mutation/run.py) on a tiny module:
it generates the mutants it should (decorated functions too, never docstrings), applies each in
a forked child without touching the file, reports not-covered lines apart, and honours the list
of equivalent mutants (a stale entry is found)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "mutation"))
import mutator  # noqa: E402
import run as mutate_run  # noqa: E402

TINY = '''"""A tiny module: 10 is not mutated here, in the docstring."""
import functools

LIMIT = 10


def logged(f):
    @functools.wraps(f)
    def inner(*args):
        return f(*args)
    return inner


@logged
def grow(a: int, b: int) -> int:
    """Grows a past LIMIT by b."""
    if a > LIMIT:
        return a + b
    return a


def floor_at_zero(x):
    return max(x, 0)


def unused(x):
    return x * 2
'''
TESTS = '''from tinycalc_mut import floor_at_zero, grow


def test_grow():
    assert grow(11, 1) == 12
    assert grow(10, 5) == 10


def test_floor():
    assert floor_at_zero(5) == 5
'''


@pytest.fixture()
def tiny(tmp_path, monkeypatch):
    (tmp_path / "tinycalc_mut.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "test_tinycalc_mut.py").write_text(TESTS, encoding="utf-8")
    monkeypatch.setattr(mutate_run, "ROOT", tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_generates_every_mutant_of_the_operators(tiny):
    ms = mutator.mutants(tiny / "tinycalc_mut.py", "tinycalc_mut.py")
    got = [(m.function, m.line_text, m.mutation) for m in ms]
    assert got == [
        ("<module>", "LIMIT = 10", "10 → 11 @8"),
        ("grow", "if a > LIMIT:", "`>` → `>=` @7"),  # a decorated function is mutated too
        ("grow", "return a + b", "`+` → `-` @11"),
        ("floor_at_zero", "return max(x, 0)", "0 → 1 @14"),
        ("unused", "return x * 2", "`*` → `/` @11"),
        ("unused", "return x * 2", "2 → 3 @11"),
    ]  # no docstring, annotation or import is mutated
    with_strings = mutator.mutants(tiny / "tinycalc_mut.py", "tinycalc_mut.py", strings=True)
    assert len(with_strings) == len(ms)  # no string constant outside docstrings here


def test_applies_a_mutant_without_touching_the_file(tiny):
    path = tiny / "tinycalc_mut.py"
    ms = {m.mutation.split(" @")[0]: m for m in mutator.mutants(path, "tinycalc_mut.py")}
    ns: dict = {}
    exec(mutator.mutated_code(path, ms["`+` → `-`"]), ns)
    assert ns["grow"](11, 1) == 10  # a − b
    ns = {}
    exec(mutator.mutated_code(path, ms["`>` → `>=`"]), ns)
    assert ns["grow"](10, 5) == 15
    assert mutator.diff(path, ms["`+` → `-`"]) == "- return a + b\n+ return (a - b)"
    assert path.read_text(encoding="utf-8") == TINY  # the source is never written


def test_runs_mutants_reports_not_covered_and_honours_the_equivalent_list(tiny, tmp_path):
    conf = {"tests": ["test_tinycalc_mut.py"], "strings": False}
    ms = mutator.mutants(tiny / "tinycalc_mut.py", "tinycalc_mut.py")
    floor_mutant = next(m for m in ms if m.function == "floor_at_zero")
    eq_file = tmp_path / "equivalent.txt"
    eq_file.write_text("# comment\n" + mutate_run.entry(floor_mutant, "max(x, 1) of a positive x is x")
                       + "\ntinycalc_mut.py :: grow :: return a + b :: `+` → `*` @11 :: no such mutant\n",
                       encoding="utf-8")
    equivalent = mutate_run.read_equivalent(eq_file)
    fig, keys = mutate_run.mutate_module("tinycalc_mut.py", conf, equivalent, workers=1)
    # LIMIT + 1, `>=` and `-` each fail test_grow; floor_at_zero's 0 → 1 survives (listed as
    # equivalent); unused's two mutants are on a line no test runs
    assert (fig.generated, fig.not_covered, fig.run, fig.killed, fig.equivalent) == (6, 2, 4, 3, 1)
    assert [m.function for m in fig.survived] == ["unused", "unused"]  # not covered, not killed
    assert fig.rate == pytest.approx(3 / (6 - 1))
    assert mutate_run.stale_entries(equivalent, keys, {"tinycalc_mut.py"}) == \
        [("tinycalc_mut.py", "grow", "return a + b", "`+` → `*` @11")]
    assert (tiny / "tinycalc_mut.py").read_text(encoding="utf-8") == TINY
    assert "tinycalc_mut" not in sys.modules  # applied in the children only


def test_an_equivalent_entry_needs_a_reason(tmp_path):
    bad = tmp_path / "equivalent.txt"
    bad.write_text("m.py :: f :: x = 1 :: 1 → 2 @4\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="module :: function :: line text :: mutation :: reason"):
        mutate_run.read_equivalent(bad)


def test_the_configured_modules_and_tests_exist():
    config = mutate_run.read_config()
    for module in ("tiermodel/scoring.py", "tiermodel/tiers.py", "tiermodel/policy.py",
                   "tiermodel/sensitivity/engine.py", "tiermodel/compare/changes.py",
                   "tiermodel/compare/standings.py", "tiermodel/compare/yearly.py", "tiermodel/budget/annex7.py"):
        assert config[module]["tests"]
    mutate_run.read_equivalent()  # the project's list parses
