"""Checks shared by the tests of the commands that write a reader's workbook (budget, assess, compare)."""
import numpy as np
import pandas as pd


def _grids(path) -> dict[str, pd.DataFrame]:
    """Every data sheet as raw cells (no header row assumed: a sample banner may come first)."""
    sheets = pd.read_excel(path, sheet_name=None, header=None)
    return dict(list(sheets.items())[1:])  # the first sheet is the contents


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not pd.isna(v)


def assert_same_numbers(a_path, b_path) -> int:
    """Two workbooks of one run in two languages: same sheets in order, same numbers cell by cell.

    Returns the count of numeric cells compared (a test asserts it is not zero).
    """
    a, b = _grids(a_path), _grids(b_path)
    assert len(a) == len(b)
    compared = 0
    for (na, ga), (nb, gb) in zip(a.items(), b.items()):
        assert ga.shape == gb.shape, (na, nb)
        for x, y in zip(ga.to_numpy().ravel(), gb.to_numpy().ravel()):
            if _is_number(x) or _is_number(y):
                assert x == y, (na, nb, x, y)
                compared += 1
    return compared


def assert_wan_is_yuan_over_10000(wan_path, yuan_path) -> int:
    """Amount cells (under a header that says （万元…）) hold the 元 figure / 10,000; every other
    number is unchanged.

    A number's header is the last text above it in its column, so a sheet of several tables
    stacked one under another (a title, a header row, rows, a blank row) is read table by table.
    Returns the count of amount cells compared (a test asserts it is not zero).
    """
    wan, yuan = _grids(wan_path), _grids(yuan_path)
    assert list(wan) == list(yuan)
    amounts = 0
    for name in wan:
        w, y = wan[name], yuan[name]
        assert w.shape == y.shape, name
        for j in range(w.shape[1]):
            header = None  # the last text above in this column, and its 元 workbook twin
            for x, z in zip(w.iloc[:, j], y.iloc[:, j]):
                if isinstance(x, str):
                    header = x
                    if "（万元" in x:  # the 元 workbook says 元 in the same header, not 万元
                        assert isinstance(z, str) and "（万元" not in z, (name, j, x, z)
                    continue
                if _is_number(x) or _is_number(z):
                    # a header states its unit in brackets, e.g. "合计（万元/年）"
                    if header is not None and "（万元" in header:
                        assert x == pytest_approx(z / 10_000), (name, j, header, x, z)
                        amounts += 1
                    else:
                        assert x == z, (name, j, header, x, z)
    return amounts


def pytest_approx(value):
    import pytest

    return pytest.approx(value, rel=1e-12, abs=1e-12)
