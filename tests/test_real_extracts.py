"""What core systems and Excel on Chinese Windows really export is read, with the values it
must give: GBK/GB18030 CSV, a title above the header, a notes sheet, '45%', '1,234.5',
full-width digits, 'A类', year-first dates in any spelling; outputs read back as inputs;
formula-looking text never live."""
from __future__ import annotations

import codecs
import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import file_sha256
from tiermodel.cli import main
from tiermodel.errors import InputTableError
from tiermodel.events import SERVICE_LOG_SCHEMA, parse_dates, read_log
from tiermodel.history import read_history
from tiermodel.io import ReadOptions, read_table, write_sheets, write_table
from tiermodel.portfolio import LABELS, read_portfolio

CN_HEADER = ",".join(LABELS[c] for c in [
    "customer_id", "name", "branch", "branch_class", "effective_years", "is_new", "long_term_std_premium",
    "health_premium", "health_loss_ratio", "non_health_premium", "non_health_loss_ratio", "profit_margin",
    "first_service_objects", "second_service_objects"])
# As Excel shows them: thousands separators, percentages, 是/否, 'A类', full-width digits.
CN_ROWS = [
    '0001,甲公司,北京,A类,5,否,"60,000,000",0,0%,0,0%,10%,1,1',
    '0002,乙公司,济南,B,３,否,0,"2,100,000.5",59%,0,0,5.5%,1,2',
    '0003,丙公司,合肥,Ｃ类,1,是,0,0,,"50,000",30%,-2%,２,1',
]


def cn_text(title: bool = False) -> str:
    top = "2025年团险客户清单（机密）\n制表：团险部,,,\n\n" if title else ""
    return top + "\n".join([CN_HEADER, *CN_ROWS]) + "\n"


def _check_values(t: pd.DataFrame) -> None:
    t = t.set_index("customer_id")
    assert list(t.index) == ["0001", "0002", "0003"]  # leading zeros kept: ids are text
    assert t.loc["0001", "long_term_std_premium"] == 60_000_000  # "60,000,000"
    assert t.loc["0002", "health_premium"] == 2_100_000.5  # "2,100,000.5"
    assert t.loc["0002", "health_loss_ratio"] == pytest.approx(0.59)  # "59%"
    assert t.loc["0001", "profit_margin"] == pytest.approx(0.10)  # "10%"
    assert t.loc["0002", "profit_margin"] == pytest.approx(0.055)  # "5.5%"
    assert t.loc["0003", "profit_margin"] == pytest.approx(-0.02)  # "-2%"
    assert t.loc["0003", "health_loss_ratio"] == 0.0  # blank, and its premium is 0
    assert t.loc["0003", "non_health_loss_ratio"] == pytest.approx(0.30)
    assert t.loc["0002", "effective_years"] == 3  # full-width ３
    assert t.loc["0003", "first_service_objects"] == 2  # full-width ２
    assert t["branch_class"].astype(str).tolist() == ["A", "B", "C"]  # A类, B, Ｃ类
    assert t["is_new"].tolist() == [False, False, True]  # 否, 否, 是
    assert t["branch"].tolist() == ["北京", "济南", "合肥"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_excel_csv_in_any_of_its_encodings_is_detected(tmp_path, encoding):
    path = tmp_path / "extract.csv"
    path.write_bytes(cn_text().encode(encoding))
    _check_values(read_portfolio(path))


def test_gbk_with_the_encoding_given(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(cn_text().encode("gbk"))
    _check_values(read_portfolio(path, options=ReadOptions(encoding="gb18030")))


def test_a_title_and_notes_above_the_header_are_skipped(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(cn_text(title=True).encode("gbk"))
    _check_values(read_portfolio(path))  # detected: the header is the first row naming two columns
    _check_values(read_portfolio(path, options=ReadOptions(header_row=4)))  # title, notes, blank, header


def test_rows_are_numbered_as_the_spreadsheet_shows_them_below_a_title(tmp_path):
    path = tmp_path / "extract.csv"
    text = cn_text(title=True).replace("0002,乙公司,济南,B,３", "0002,乙公司,济南,B,三")
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(InputTableError) as err:
        read_portfolio(path)
    # title 1, notes 2, blank 3, header 4, 0001 on 5, 0002 on row 6
    (p,) = err.value.problems
    assert (p.row, p.customer_id, p.column) == (6, "0002", "effective_years")


def test_a_notes_sheet_before_the_data(tmp_path):
    path = tmp_path / "extract.xlsx"
    rows = [r.replace('"60,000,000"', "60000000").replace('"2,100,000.5"', "2100000.5")
            .replace('"50,000"', "50000") for r in CN_ROWS]
    data = pd.DataFrame([r.split(",") for r in rows], columns=CN_HEADER.split(","))
    with pd.ExcelWriter(path) as w:
        pd.DataFrame({"说明": ["本表由核心系统导出", "金额单位：元"]}).to_excel(w, sheet_name="说明", index=False)
        data.to_excel(w, sheet_name="客户", index=False)
    before = file_sha256(path)
    _check_values(read_portfolio(path, options=ReadOptions(sheet="客户")))
    _check_values(read_portfolio(path, options=ReadOptions(sheet="2")))  # 1-based, as typed
    with pytest.raises(InputTableError, match="--sheet .*'说明', '客户'"):
        read_portfolio(path)
    assert file_sha256(path) == before


def test_excel_number_and_percent_cells(tmp_path):
    path = tmp_path / "typed.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CN_HEADER.split(","))
    ws.append(["0001", "甲", "北京", "A", 5, False, 60_000_000, 0, 0, 0, 0, 0.1, 1, 1])
    ws.append(["0002", "乙", "济南", "B", 3, "否", 0, 2_100_000, 0.59, 0, 0, 0.055, 1, 2])
    ws["I3"].number_format = "0%"  # shown as 59 % in Excel, stored as 0.59
    wb.save(path)
    t = read_portfolio(path).set_index("customer_id")
    assert t.loc["0002", "health_loss_ratio"] == pytest.approx(0.59)
    assert t.loc["0001", "long_term_std_premium"] == 60_000_000
    assert t["is_new"].tolist() == [False, False]


def test_an_export_with_a_trailing_comma(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(line + "," for line in cn_text().splitlines()) + "\n", encoding="utf-8")
    _check_values(read_portfolio(path))


# ----------------------------------------------------------------------------- dates
def test_year_first_dates_are_read_alike():
    dates, why = parse_dates(pd.Series(["2025-03-04", "2025/3/4", "2025.3.4", "2025年3月4日", "２０２５-０３-０４",
                                        "2025-03-04 09:30", ""]))
    assert dates.iloc[:6].tolist() == [pd.Timestamp("2025-03-04")] * 6
    assert pd.isna(dates.iloc[6]) and set(why) == {""}


def test_day_first_dates_with_a_format():
    dates, why = parse_dates(pd.Series(["03/04/2025", "31/12/2025"]), "%d/%m/%Y")
    assert dates.tolist() == [pd.Timestamp("2025-04-03"), pd.Timestamp("2025-12-31")] and set(why) == {""}
    dates, _ = parse_dates(pd.Series(["03/04/2025"]), "%m/%d/%Y")
    assert dates.tolist() == [pd.Timestamp("2025-03-04")]


def test_service_log_from_gbk_with_mixed_year_first_dates(tmp_path):
    path = tmp_path / "service.csv"
    path.write_bytes("服务事件导出\n客户号,服务类型,开始日期,结束日期\n0001,调查理赔,2025/1/24,2025-02-07\n"
                     "0001,普通理赔,2025年3月3日,2025.3.5\n".encode("gbk"))
    log = read_log(path, "service", pd.Series(["0001"]))
    assert log["start_date"].tolist() == [pd.Timestamp("2025-01-24"), pd.Timestamp("2025-03-03")]
    assert log["end_date"].tolist() == [pd.Timestamp("2025-02-07"), pd.Timestamp("2025-03-05")]
    assert [c.name for c in SERVICE_LOG_SCHEMA][:1] == ["event_id"]


def test_service_log_with_day_first_dates_and_the_format(tmp_path):
    path = tmp_path / "service.csv"
    path.write_text("customer_id,service_type,start_date,end_date\nC1,claim_ordinary,03/04/2025,05/04/2025\n",
                    encoding="utf-8")
    log = read_log(path, "service", pd.Series(["C1"]), options=ReadOptions(date_format="%d/%m/%Y"))
    assert log.loc[0, "start_date"] == pd.Timestamp("2025-04-03")  # 3 April, not March 4


# ----------------------------------------------------------------------------- the command line
def test_tier_reads_a_titled_gbk_extract(tmp_path, capsys):
    book = tmp_path / "extract.csv"
    book.write_bytes(cn_text(title=True).encode("gbk"))
    before = file_sha256(book)
    out = tmp_path / "tiers.csv"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"customer_id": str}, encoding="utf-8-sig")
    # 0001: 60,000,000 long-term ≥ 50,000,000 → Gold (第11条 1①); 0002: 2,100,000.5 health at
    # 59 % ≥ 2,000,000 class B and ≤ 60 % → Silver; 0003 meets no criterion → regular
    assert dict(zip(table["customer_id"], table["tier"])) == {"0001": "gold", "0002": "silver", "0003": "regular"}
    assert file_sha256(book) == before
    assert out.read_bytes().startswith(codecs.BOM_UTF8)


def test_tier_with_sheet_and_header_row_options(tmp_path):
    path = tmp_path / "extract.xlsx"
    data = [CN_HEADER.split(",")] + [r.replace('"', "").split(",") for r in
                                     [r.replace('"60,000,000"', "60000000").replace('"2,100,000.5"', "2100000.5")
                                      .replace('"50,000"', "50000") for r in CN_ROWS]]
    wb = openpyxl.Workbook()
    wb.active.title = "notes"
    wb.active.append(["内部资料"])
    ws = wb.create_sheet("data")
    ws.append(["客户清单"])
    ws.append(["单位：元"])
    for row in data:
        ws.append(row)
    wb.save(path)
    out = tmp_path / "tiers.parquet"
    assert main(["tier", "--portfolio", str(path), "--sheet", "data", "--header-row", "3", "--out", str(out)]) == 0
    table = pd.read_parquet(out)
    assert dict(zip(table["customer_id"], table["tier"].astype(str))) == \
        {"0001": "gold", "0002": "silver", "0003": "regular"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_a_tier_list_reads_back_as_next_years_customer_table(tmp_path, suffix):
    from tiermodel.portfolio import sample_portfolio

    book = write_table(sample_portfolio(seed=5, n_customers=600), tmp_path / "book.csv")
    first, second = tmp_path / f"tiers{suffix}", tmp_path / f"again{suffix}"
    assert main(["tier", "--portfolio", str(book), "--out", str(first)]) == 0
    assert main(["tier", "--portfolio", str(first), "--out", str(second)]) == 0
    # the formatted workbook is read by the package's own history reader (Chinese headers)
    read = (lambda p: read_history([p], year=2025)) if suffix == ".xlsx" \
        else (pd.read_parquet if suffix == ".parquet" else (lambda p: pd.read_csv(p, dtype={"customer_id": str})))
    a, b = read(first), read(second)
    assert len(a) == len(b) == 600
    assert (a["tier"].astype(str) == b["tier"].astype(str)).all()
    np.testing.assert_allclose(a["value_index"], b["value_index"])
    assert set(a["tier"].astype(str)) == {"gold", "silver", "regular"}


# ----------------------------------------------------------------------------- reading ahead
def test_a_customer_csv_read_ahead_is_the_table_read_directly(tmp_path, monkeypatch):
    from tiermodel import io as tio
    from tiermodel.portfolio import read_portfolio_ahead

    book = tmp_path / "extract.csv"
    book.write_bytes(cn_text(title=True).encode("gbk"))
    direct = read_portfolio(book)
    read_portfolio_ahead(book)
    reads = []
    monkeypatch.setattr(tio, "_read_csv_arrow", lambda *a: reads.append(a) or pytest.fail("read twice"))
    ahead = read_portfolio(book)
    pd.testing.assert_frame_equal(ahead, direct)
    _check_values(ahead)
    assert reads == [] and tio._AHEAD == {}  # the file was parsed once, on the read-ahead thread


def test_a_read_ahead_of_a_file_changed_since_is_not_used(tmp_path):
    from tiermodel.portfolio import read_portfolio_ahead

    from tiermodel import io as tio

    book = tmp_path / "extract.csv"
    book.write_text(cn_text(), encoding="utf-8")
    read_portfolio_ahead(book)
    next(iter(tio._AHEAD.values())).result()  # the old file read through
    book.write_text(cn_text().replace("甲公司", "丁有限公司"), encoding="utf-8")  # another size: another file
    assert read_portfolio(book)["name"].tolist() == ["丁有限公司", "乙公司", "丙公司"]
    tio._AHEAD.clear()


def test_a_failed_read_ahead_gives_the_usual_message(tmp_path):
    from tiermodel.portfolio import read_portfolio_ahead

    book = tmp_path / "extract.csv"
    book.write_bytes(cn_text().encode("gbk"))
    options = ReadOptions(encoding="utf-8")  # wrong: the file is GBK
    with pytest.raises(InputTableError) as direct:
        read_portfolio(book, options=options)
    read_portfolio_ahead(book, options)
    with pytest.raises(InputTableError) as ahead:
        read_portfolio(book, options=options)
    assert str(ahead.value) == str(direct.value) and "is not utf-8 text" in str(ahead.value)


def test_tier_as_a_program_writes_what_tier_as_a_call_writes(tmp_path):
    # `tiermodel tier` run as a program reads the customer CSV ahead and skips cycle collection;
    # the list it writes is byte for byte the one main() writes when called
    import subprocess
    import sys

    from tiermodel.portfolio import sample_portfolio

    book = write_table(sample_portfolio(seed=9, n_customers=3_000), tmp_path / "book.csv")
    assert main(["tier", "--portfolio", str(book), "--out", str(tmp_path / "called.csv")]) == 0
    run = subprocess.run([sys.executable, "-m", "tiermodel.cli", "tier", "--portfolio", str(book),
                          "--out", str(tmp_path / "program.csv")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "program.csv").read_bytes() == (tmp_path / "called.csv").read_bytes()


# ----------------------------------------------------------------------------- no live formulas
EVIL = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_formula_text_is_escaped_in_csv_and_read_back_unchanged(tmp_path):
    df = pd.DataFrame({"name": EVIL, "amount": [-5.0, 1, 2, 3, 4, 5]})
    path = write_table(df, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    text = raw.decode("utf-8-sig")
    assert "\"'=HYPERLINK" in text and "\"'+1+1\"" in text and "\"'-2+3\"" in text and "\"'@SUM(A1)\"" in text
    assert ",-5\n" in text or ",-5.0\n" in text  # a negative number is a number, not text
    back = read_table(path)
    assert back["name"].tolist()[:4] == EVIL[:4]  # our own escaping is undone on reading


def test_formula_looking_branch_names_read_back_unchanged_from_our_csv(tmp_path):
    # branch, class and the new-customer flag are read as categories: an escaped category
    # ("'=SUM(A1)" in the file) is unescaped like any other text
    from tiermodel.portfolio import sample_portfolio

    book = sample_portfolio(seed=3, n_customers=6)
    book["branch"] = ["=SUM(A1)", "+Beijing", "Beijing", "=SUM(A1)", "@x", "-y"]
    path = write_table(book, tmp_path / "book.csv")
    text = path.read_bytes().decode("utf-8-sig")
    assert "\"'=SUM(A1)\"" in text and "\"'+Beijing\"" in text  # escaped in the file (OWASP)
    back = read_portfolio(path)
    assert back["branch"].tolist() == ["=SUM(A1)", "+Beijing", "Beijing", "=SUM(A1)", "@x", "-y"]
    assert back["branch_class"].astype(str).tolist() == book["branch_class"].astype(str).tolist()
    assert back["is_new"].tolist() == book["is_new"].tolist()


def test_a_csv_has_one_header_and_every_row_in_order(tmp_path):
    df = pd.DataFrame({"customer_id": [f"C{i}" for i in range(7)], "name": EVIL + ["乙"],
                       "premium": [0.5 * i for i in range(7)]})
    text = write_table(df, tmp_path / "rows.csv").read_bytes().decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert records[0] == ["customer_id", "name", "premium"] and text.count("customer_id") == 1
    assert [r[0] for r in records[1:]] == [f"C{i}" for i in range(7)]
    assert [float(r[2]) for r in records[1:]] == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    assert read_table(tmp_path / "rows.csv")["name"].tolist()[:4] == EVIL[:4]
    # a header-only table is still a header
    empty = write_table(df.iloc[:0], tmp_path / "empty.csv").read_bytes().decode("utf-8-sig")
    assert empty.splitlines() == ['"customer_id","name","premium"']


def test_the_csv_text_of_every_kind_of_cell(tmp_path):
    # written by pyarrow.csv.write_csv: a BOM, "\n" line ends, text and headers in quotes (a quote
    # inside doubled), numbers bare, a missing value empty; prepared before: formula-looking text
    # behind an apostrophe (categories too), whole amounts as integers (1,200,000.0 → 1200000),
    # dates without a time as YYYY-MM-DD
    df = pd.DataFrame({
        "id": pd.Series(["C1", 'a "b", c', "x\r\ny"], dtype="str"),
        "name": pd.Series(["=SUM(A1)", "甲", None], dtype="str"),
        "branch": pd.Categorical(["-Jinan", "He,fei", "-Jinan"]),
        "years": np.array([1, 2, 25], dtype=np.int64),
        "premium": [1_200_000.0, 0.5, np.nan],
        "amount": [1_200_000.0, 3.0, np.nan],
        "flag": [True, False, True],
        "count": pd.array([1, None, 3], dtype="Int64"),
        "day": pd.to_datetime(["2025-01-01", "2025-03-04", None]),
    })
    raw = write_table(df, tmp_path / "kinds.csv").read_bytes()
    assert raw == codecs.BOM_UTF8 + (
        '"id","name","branch","years","premium","amount","flag","count","day"\n'
        '"C1","\'=SUM(A1)","\'-Jinan",1,1200000,1200000,true,1,"2025-01-01"\n'
        '"a ""b"", c","甲","He,fei",2,0.5,3,false,,"2025-03-04"\n'
        '"x\r\ny",,"\'-Jinan",25,,,true,3,\n').encode("utf-8")


def _odd_big_table(n: int = 60_000) -> pd.DataFrame:
    """Every kind of cell the CSV writer meets, in a big table."""
    rng = np.random.default_rng(11)
    pick = lambda values: rng.choice(np.array(values, dtype=object), n)  # noqa: E731
    return pd.DataFrame({
        "id": pd.Series([f'C"{i},\n' if i % 997 == 0 else f"C{i:06d}" for i in range(n)], dtype="str"),
        "name": pd.Series(pick(["甲公司", 'a "b", c', "x\r\ny", "", "=SUM(A1)", "'=1", "@x"]), dtype="str"),
        "branch": pd.Categorical(pick(["Beijing", "-Jinan", "He,fei", 'Qu"ote'])),
        "years": rng.integers(1, 26, n),
        "premium": np.round(rng.lognormal(11, 1.5, n)),
        "ratio": np.round(rng.random(n), 4),
        "odd": rng.choice([0.1, -0.0, 0.0, np.nan, np.inf, -np.inf, 1e300, 5e-324, 0.35], n),
        "flag": rng.random(n) < 0.3,
        "maybe": pd.array(np.where(rng.random(n) < 0.2, None, rng.random(n) < 0.5), dtype="boolean"),
        "count": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(0, 3, n)), dtype="Int64"),
        "big": rng.integers(0, 2**62, n),
        "day": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
        "nothing": np.array([None] * n, dtype=object),
        "reason": pd.Categorical(pick(["Regular: meets no 第11条 criterion", "Silver: within branch capacity, by x"])),
    })


def test_a_big_csv_with_every_kind_of_cell_reads_back_cell_for_cell(tmp_path):
    df = _odd_big_table()
    df.loc[5, "name"] = "bad\x01text"  # a control byte is text like any other
    path = write_table(df, tmp_path / "odd.csv")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert len(rows) == 60_001 and rows[0] == list(df.columns)
    assert rows[6][1] == "bad\x01text" and rows[998][0] == 'C"997,\n'  # header, then row 0 …
    names = [r[1] for r in rows[1:]]
    expected = ["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                else ("'" + v if v[:1] in ("=", "@") else v) for v in df["name"].tolist()]
    assert names == expected  # "'=1" already starts with an apostrophe: not escaped again
    assert {r[2] for r in rows[1:]} == {"Beijing", "'-Jinan", "He,fei", 'Qu"ote'}
    assert [int(r[3]) for r in rows[1:]] == df["years"].tolist()
    assert [float(r[4]) for r in rows[1:]] == df["premium"].tolist()
    assert {r[6] for r in rows[1:]} == {"0.1", "-0", "0", "", "inf", "-inf", "1e+300", "5e-324", "0.35"}  # a float
    # column (it holds inf, so no whole numbers): -0.0 is "-0"
    assert [int(r[10]) for r in rows[1:]] == df["big"].tolist()
    assert {r[12] for r in rows[1:]} == {""}


def test_formula_text_is_text_in_every_workbook(tmp_path):
    df = pd.DataFrame({"name": EVIL, "x": range(6)})
    write_table(df, tmp_path / "one.xlsx")
    write_sheets({"a": df, "b": df.set_index("name")}, tmp_path / "many.xlsx")
    for file in ("one.xlsx", "many.xlsx"):
        wb = openpyxl.load_workbook(tmp_path / file)
        for ws in wb.worksheets:
            cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
            assert cells, file
            assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells]


def test_tier_xlsx_with_a_formula_name_stores_text(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text(CN_HEADER + "\n" + CN_ROWS[0].replace("甲公司", "=1+2") + "\n", encoding="utf-8")
    out = tmp_path / "tiers.xlsx"
    assert main(["tier", "--portfolio", str(book), "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["客户层级名单"]
    (cell,) = [c for row in ws.iter_rows() for c in row if c.value == "=1+2"]
    assert cell.data_type == "s"
