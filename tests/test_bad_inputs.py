"""A corpus of bad inputs, each run through the command line as a user would.

Every case asserts: exit status 2; one message starting ``error:`` that names what it must
(file, row, customer, column, rule); no traceback; nothing written anywhere; every input
file byte-for-byte unchanged. The cases cover the customer table, the branch table, scenario
files, the event tables and the command-line arguments.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tiermodel.cli import main
from tiermodel.policy import PARAMS_DIR

HEADER = ["customer_id", "name", "branch", "branch_class", "effective_years", "is_new",
          "long_term_std_premium", "health_premium", "health_loss_ratio", "non_health_premium",
          "non_health_loss_ratio", "profit_margin", "first_service_objects", "second_service_objects"]
# C001 is Gold (60,000,000 long-term ≥ 50,000,000, 第11条); C002 and C003 are regular.
ROWS = [
    ["C001", "甲公司", "Jinan", "B", "5", "0", "60000000", "0", "0", "0", "0", "0.1", "1", "1"],
    ["C002", "乙公司", "Jinan", "B", "3", "0", "0", "100000", "0.5", "0", "0", "0.05", "1", "2"],
    ["C003", "丙公司", "Hefei", "C", "1", "1", "0", "0", "0", "50000", "0.3", "0.02", "2", "1"],
]


def _cell(text: str) -> str:
    return f'"{text}"' if "," in text else text


def csv_text(header=HEADER, rows=ROWS) -> str:
    return "\n".join(",".join(_cell(c) for c in r) for r in [header, *rows]) + "\n"


def book_with(column: str, value: str, header=HEADER) -> str:
    """The good book with one cell of C003 (row 4) replaced."""
    rows = [list(r) for r in ROWS]
    rows[2][header.index(column)] = value
    return csv_text(header, rows)


GOOD_SERVICE = "customer_id,service_type,start_date,end_date\nC001,claim_ordinary,2025-03-03,2025-03-05\n"
GOOD_SURVEY = "customer_id,answer\nC001,满意\n"
GOOD_COMPLAINTS = "complaint_date,customer_id,person,role\n2025-03-03,C001,张三,salesperson\n"
GOOD_EXECUTIVES = "executive_id,role,branch\nGM1,gm_office,\nBH1,branch_head,Jinan\n"
GOOD_BRANCHES = "branch,branch_class,silver_capacity\nJinan,B,20\nHefei,C,10\n"


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(folder.rglob("*"))}


# ----------------------------------------------------------------------------- the corpus
# (id, files {name: text or bytes}, arguments ({name} = path of that file, {out} = output),
#  substrings the message must contain)
CELL = "row 4, customer C003, column '{}': "
CASES = []


def case(id_, files, args, *expected):
    CASES.append(pytest.param(files, args, expected, id=id_))


def tier(book_text, *expected, extra=(), id_=None, name="book.csv"):
    case(id_, {name: book_text}, ["tier", "--portfolio", "{%s}" % name, "--out", "{out}/tiers.csv", *extra],
         "{%s}" % name, *expected)


# --- customer table: one bad cell, named by row, customer, column and rule
for col, value, rule in [
    ("health_premium", "1,234万", "'1,234万' is not a number"),
    ("long_term_std_premium", "12.5 million", "'12.5 million' is not a number"),
    ("health_loss_ratio", "六成", "'六成' is not a number"),
    ("non_health_loss_ratio", "low", "'low' is not a number"),
    ("effective_years", "two", "'two' is not a number"),
    ("health_premium", "N/A", "'N/A' is not a number"),
    ("health_premium", "1.234,5", "'1.234,5' is not a number"),
    ("long_term_std_premium", "12,34", "'12,34' is not a number"),
    ("health_loss_ratio", "nan", "'nan' is not a number"),
    ("health_premium", "45%", "'45%' is a percentage"),
    ("non_health_premium", "-1", "negative amount"),
    ("health_loss_ratio", "-0.01", "loss ratio out of range [0, 5]"),
    ("non_health_loss_ratio", "59", "loss ratio out of range [0, 5]"),
    ("non_health_loss_ratio", "-5%", "loss ratio out of range [0, 5]"),
    ("profit_margin", "1.5", "profit margin out of range [-10, 1]"),
    ("profit_margin", "150%", "profit margin out of range [-10, 1]"),
    ("profit_margin", "1e308", "profit margin out of range"),
    ("profit_margin", "-inf", "not a finite number"),
    ("branch_class", "E", "unknown branch class 'E'; must be one of A, B, C, D"),
    ("branch_class", "E类", "unknown branch class 'E类'"),
    ("effective_years", "0", "whole number ≥ 1"),
    ("effective_years", "-2", "whole number ≥ 1"),
    ("effective_years", "2.5", "whole number ≥ 1"),
    ("effective_years", "３.５", "whole number ≥ 1"),
    ("effective_years", "1e20", "at most 100"),
    ("effective_years", "101", "at most 100"),
    ("effective_years", "inf", "not a finite number"),
    ("branch", "", "required value is missing"),
    ("branch_class", "", "required value is missing"),
    ("health_premium", "", "required value is missing"),
    ("effective_years", "", "required value is missing"),
    ("non_health_loss_ratio", "", "required value is missing"),  # its premium is 50,000, not 0
    ("is_new", "maybe", "'maybe' is not a yes/no value"),
    ("is_new", "", "required value is missing"),
    ("profit_margin", "", "required value is missing"),
    ("first_service_objects", "3", "must be 1 or 2 persons (第16条)"),
    ("second_service_objects", "0", "must be 1 or 2 persons"),
    ("first_service_objects", "", "required value is missing"),
    ("long_term_std_premium", "inf", "not a finite number"),
    ("health_premium", "-inf", "not a finite number"),
    ("non_health_premium", "1e308", "implausible amount"),
    ("long_term_std_premium", "1e13", "implausible amount"),
    ("health_loss_ratio", "inf", "not a finite number"),
]:
    tier(book_with(col, value), CELL.format(col), rule, id_=f"customer-{col}-{value or 'blank'}")

WITH_STD = HEADER + ["standard_premium"]
STD_ROWS = [r + ["0"] for r in ROWS]
for value, rule in [("-5", "negative amount"), ("inf", "not a finite number"), ("1e300", "implausible amount")]:
    rows = [list(r) for r in STD_ROWS]
    rows[2][-1] = value
    tier(csv_text(WITH_STD, rows), CELL.format("standard_premium") + rule, id_=f"customer-standard_premium-{value}")

PROFIT = [h if h != "profit_margin" else "underwriting_profit" for h in HEADER]
for value, rule in [("", "required value is missing"), ("inf", "not a finite number"),
                    ("1e15", "implausible amount")]:
    tier(book_with("underwriting_profit", value, PROFIT), CELL.format("underwriting_profit") + rule,
         id_=f"customer-underwriting_profit-{value or 'blank'}")

tier(book_with("customer_id", ""), "row 4, column 'customer_id': required value is missing", id_="customer-id-blank")
tier(book_with("customer_id", "C001"), "row 4, customer C001, column 'customer_id': duplicate customer id (also at row 2)",
     id_="customer-id-duplicate")

# --- customer table: whole-file problems
tier(csv_text(rows=[]), "the table has a header but no customer rows", id_="customer-header-only")
tier("", "the file is empty", id_="customer-empty-file")
tier("\n\n   \n", "the file is empty", id_="customer-blank-lines-only")
tier(csv_text([h for h in HEADER if h != "health_loss_ratio"],
              [r[:8] + r[9:] for r in ROWS]), "column 'health_loss_ratio': required column is missing (健康险赔付率",
     id_="customer-missing-column")
tier(csv_text(["helth_premium" if h == "health_premium" else h for h in HEADER]),
     "column 'helth_premium': unexpected column; did you mean 'health_premium'?", id_="customer-misspelt-column")
tier(csv_text(HEADER + ["健康险实收保费"], [r + ["1"] for r in ROWS]), "column '健康险实收保费': column 'health_premium' appears twice",
     id_="customer-column-twice")
tier(csv_text([h for h in HEADER if h != "profit_margin"], [r[:11] + r[12:] for r in ROWS]),
     "column 'profit_margin': required column is missing: give profit_margin (利润率) or underwriting_profit",
     id_="customer-no-profit-column")
tier(csv_text([h for h in HEADER if h != "branch_class"], [r[:3] + r[4:] for r in ROWS]),
     "column 'branch_class': required column is missing (机构类别) and no branch table was given",
     id_="customer-no-class-no-branch-table")
tier(csv_text() + "C004,x,Jinan,B,1,1,0,0,0,0,0,0.1,1,1,EXTRA\n", "row 5: has 15 cells but the header has 14",
     id_="customer-ragged-row")
tier(csv_text().encode("utf-16"), "UTF-16", "save it as CSV UTF-8", id_="customer-utf16")
tier(bytes(range(128, 256)) * 4, "neither UTF-8 nor GB18030/GBK", "--encoding", id_="customer-binary")
tier(csv_text(["客户号"] + HEADER[1:]).encode("gbk"), "is not utf-8 text", "--encoding",
     extra=("--encoding", "utf-8"), id_="customer-gbk-read-as-utf8")
tier("报表\n说明：内部资料\n" + csv_text(), "row 4: has 14 cells but the header has 1", "--header-row",
     extra=("--header-row", "1"), id_="customer-wrong-header-row")
tier(csv_text(), "header row 50 is beyond", extra=("--header-row", "50"), id_="customer-header-row-beyond")
tier("a,b,c\n1,2,3\n", "no known column in the header (row 1)", "--header-row", id_="customer-unknown-table")
case("customer-unknown-suffix", {"book.txt": csv_text()},
     ["tier", "--portfolio", "{book.txt}", "--out", "{out}/t.csv"], "unknown file type '.txt'")
case("customer-missing-file", {}, ["tier", "--portfolio", "{in}/absent.csv", "--out", "{out}/t.csv"],
     "absent.csv", "file not found")
case("customer-folder", {"folder/x.csv": csv_text()}, ["tier", "--portfolio", "{in}/folder", "--out", "{out}/t.csv"],
     "is a folder, not a table file")
def _xlsx_bytes(rows) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


case("customer-xlsx-stray-column", {"book.xlsx": _xlsx_bytes([HEADER] + ROWS[:2] + [ROWS[2] + ["", "备注"]])},
     ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"], "row 1, column 'P': has values but no header")
case("customer-xlsx-header-only", {"book.xlsx": _xlsx_bytes([HEADER])},
     ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"], "the table has a header but no customer rows")
case("customer-xlsx-empty-sheet", {"book.xlsx": _xlsx_bytes([])},
     ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"], "is empty")
case("customer-not-xlsx", {"book.xlsx": csv_text()}, ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"],
     "book.xlsx", "cannot be read as an Excel workbook")
case("customer-not-parquet", {"book.parquet": csv_text()},
     ["tier", "--portfolio", "{book.parquet}", "--out", "{out}/t.csv"], "book.parquet", "cannot be read")

# --- branch table
def branches(text, *expected, id_, named="{branches.csv}"):
    case(id_, {"book.csv": csv_text(), "branches.csv": text},
         ["tier", "--portfolio", "{book.csv}", "--branches", "{branches.csv}", "--out", "{out}/t.csv"],
         named, *expected)


branches("branch,branch_class\nJinan,B\nHefei,X\n", "row 3, column 'branch_class': unknown branch class 'X' for branch Hefei",
         id_="branches-unknown-class")
branches("branch,branch_class\nJinan,B\nJinan,B\nHefei,C\n", "row 3, column 'branch': branch 'Jinan' listed twice",
         id_="branches-twice")
for value, rule in [("-1", "whole number ≥ 0"), ("many", "'many' is not a number"), ("inf", "whole number ≥ 0"),
                    ("1e308", "at most 10,000"), ("2.5", "whole number ≥ 0"), ("-inf", "whole number ≥ 0")]:
    branches(f"branch,branch_class,silver_capacity\nJinan,B,4\nHefei,C,{value}\n",
             "row 3, column 'silver_capacity': ", rule, id_=f"branches-capacity-{value}")
branches("branch\nJinan\nHefei\n", "column 'branch_class': required column is missing", id_="branches-no-class")
branches("branch,branch_class\n", "the table has a header but no branch rows", id_="branches-header-only")
branches("branch,branch_class\n,B\nHefei,C\nJinan,B\n", "row 2, column 'branch': required value is missing",
         id_="branches-blank-branch")
branches("branch,branch_class\nJinan,\nHefei,C\n", "row 2, column 'branch_class': required value is missing",
         id_="branches-blank-class")
branches("branch,branch_class\nJinan,B\n", "row 4, customer C003, column 'branch': branch 'Hefei' is not in the branch table",
         id_="branches-branch-unknown", named="{book.csv}")
branches("branch,branch_class\nJinan,A\nHefei,C\n",
         "row 2, customer C001, column 'branch_class': class B disagrees with the branch table (A)",
         id_="branches-class-disagrees", named="{book.csv}")

# --- scenario files
def scenario(text, *expected, id_, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    case(id_, {"s.yaml": data}, ["tier", "--scenario", "{s.yaml}", "--out", "{out}/t.csv"], "{s.yaml}", *expected)


scenario("value_index:\n  k1:\n    year_1: .inf\n", "value_index.k1.year_1: inf is not a finite number", id_="scenario-inf")
scenario("value_index:\n  k1:\n    year_2: .nan\n", "value_index.k1.year_2: nan is not a finite number", id_="scenario-nan")
scenario("eligibility:\n  gold:\n    long_term_std_premium_min: -.inf\n", "-inf is not a finite number",
         id_="scenario-minus-inf")
scenario("conversion_tables:\n  premium:\n    breaks: [1, .inf]\n", "conversion_tables.premium.breaks[1]",
         "not a finite number", id_="scenario-inf-in-list")
scenario("silver_selection:\n  capacity_per_class:\n    A: 100000000000000000000\n",
         "silver_selection.capacity_per_class.A: 1e+20 is beyond ±1e+15", id_="scenario-huge-capacity")
scenario("eligibility:\n  gold:\n    long_term_std_premium_min: 1e308\n",
         "eligibility.gold.long_term_std_premium_min: 1e+308 is beyond ±1e+15", id_="scenario-1e308-text")
scenario("value_index:\n  k2:\n    year_1: 1.0e+300\n", "value_index.k2.year_1: 1e+300 is beyond", id_="scenario-1e300")
scenario("description: 国内试行\nvalue_index:\n  k1:\n    year_1: 3\n", "is not UTF-8 text", encoding="gbk",
         id_="scenario-gbk")
scenario("value_index:\n  wieghts:\n    premium: 0.5\n", "wieghts", "did you mean 'weights'", id_="scenario-unknown-key")
scenario("value_index:\n  weights:\n    premium: 0.5\n", "weights must sum to 1", id_="scenario-weights-sum")
scenario("- a\n- b\n", "the file must hold a mapping of parameters", id_="scenario-list")
scenario("value_index: [\n", "not valid YAML", id_="scenario-bad-yaml")
scenario("conversion_tables:\n  premium:\n    coefficients: [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5]\n",
         "outside [0, 1]", id_="scenario-coefficient")
scenario("conversion_tables:\n  loyalty:\n    breaks: [2, 3, 3, 5, 6, 8, 10]\n", "strictly increasing",
         id_="scenario-breaks")
case("scenario-folder", {"scen.yaml/x": "a"}, ["tier", "--scenario", "{in}/scen.yaml", "--out", "{out}/t.csv"],
     "scen.yaml", "is a folder")
case("scenario-unknown-name", {}, ["tier", "--scenario", "weights-equl", "--out", "{out}/t.csv"],
     "no scenario 'weights-equl'", "did you mean 'weights-equal'")
case("scenario-empty", {}, ["tier", "--scenario", "", "--out", "{out}/t.csv"], "--scenario: is empty")


# --- event tables (assess)
def assess(kind, text, *expected, id_, extra=()):
    files = {"book.csv": csv_text(), "service.csv": GOOD_SERVICE, "survey.csv": GOOD_SURVEY,
             "complaints.csv": GOOD_COMPLAINTS, "executives.csv": GOOD_EXECUTIVES, f"{kind}.csv": text}
    case(id_, files, ["assess", "--portfolio", "{book.csv}", "--service-log", "{service.csv}",
                      "--survey", "{survey.csv}", "--complaints", "{complaints.csv}",
                      "--executives", "{executives.csv}", "--out", "{out}/a.xlsx", *extra],
         "{%s.csv}" % kind, *expected)


S = "customer_id,service_type,start_date,end_date\n"
assess("service", S + "C001,claim_ordinary,2025-03-05,2025-03-03\n",
       "row 2, customer C001, column 'end_date': end date 2025-03-03 is before the start date 2025-03-05",
       id_="service-end-before-start")
assess("service", S + "C001,massage,2025-03-03,2025-03-05\n", "row 2, customer C001, column 'service_type': unknown service type 'massage'",
       id_="service-unknown-type")
assess("service", S + "C009,claim_ordinary,2025-03-03,2025-03-05\n",
       "row 2, customer C009, column 'customer_id': unknown customer 'C009': not in the portfolio", id_="service-unknown-customer")
assess("service", S + "C001,claim_ordinary,03/04/2025,2025-03-05\n",
       "row 2, customer C001, column 'start_date': '03/04/2025' is ambiguous", "--date-format", id_="service-ambiguous-date")
assess("service", S + "C001,claim_ordinary,2025-02-30,2025-03-05\n",
       "row 2, customer C001, column 'start_date': '2025-02-30' is not a date (no such day)", id_="service-no-such-day")
assess("service", S + "C001,claim_ordinary,yesterday,2025-03-05\n",
       "column 'start_date': 'yesterday' is not a date (write YYYY-MM-DD)", id_="service-word-date")
assess("service", S + "C001,claim_ordinary,45720,2025-03-05\n", "'45720' is not a date", id_="service-serial-date")
assess("service", S + "C001,claim_ordinary,,2025-03-05\n",
       "row 2, customer C001, column 'start_date': required value is missing", id_="service-blank-date")
assess("service", S + "C001,claim_ordinary,2025-03-03,2025/3/5\nC001,claim_ordinary,2025-03-03,05/03/2025\n",
       "row 3, customer C001, column 'end_date': '05/03/2025' is ambiguous", id_="service-mixed-dates")
assess("service", S, "the table has a header but no rows", id_="service-header-only")
assess("service", "customer_id,start_date,end_date\nC001,2025-03-03,2025-03-05\n",
       "column 'service_type': required column is missing", id_="service-missing-column")
assess("service", S + "C001,claim_ordinary,2025-03-03,2025-13-05\n", "'2025-13-05' is not a date",
       id_="service-month-13")
assess("service", S + "C001,claim_ordinary,2025-03-03,31/12/2025\n",
       "'31/12/2025' is not a date in the format %m/%d/%Y", extra=("--date-format", "%m/%d/%Y"),
       id_="service-date-not-in-format")
assess("service", S + "C001,claim_ordinary,2025-03-03,2025-03-05,extra\n", "row 2: has 5 cells but the header has 4",
       id_="service-ragged")
assess("survey", "customer_id,answer\nC001,很好\n", "row 2, customer C001, column 'answer': unknown satisfaction level '很好'",
       id_="survey-unknown-answer")
assess("survey", "customer_id,answer\n,满意\n", "row 2, column 'customer_id': required value is missing",
       id_="survey-blank-customer")
assess("survey", "customer_id,answer,surveyed_by\nC001,满意,ceo\n", "column 'surveyed_by': unknown surveyor 'ceo'",
       id_="survey-unknown-surveyor")
assess("survey", "customer_id,answer\n", "the table has a header but no rows", id_="survey-header-only")
C = "complaint_date,customer_id,person,role"
assess("complaints", C + "\n2025-03-03,C001,张三,boss\n", "row 2, customer C001, column 'role': unknown role 'boss'",
       id_="complaints-unknown-role")
assess("complaints", C + "\n2025-13-03,C001,张三,salesperson\n", "column 'complaint_date': '2025-13-03' is not a date",
       id_="complaints-bad-date")
assess("complaints", C + ",verified\n2025-03-03,C001,张三,salesperson,perhaps\n",
       "column 'verified': 'perhaps' is not a yes/no value", id_="complaints-verified-word")
assess("complaints", C + "\n2025-03-03,C001,,salesperson\n", "row 2, customer C001, column 'person': required value is missing",
       id_="complaints-blank-person")
assess("executives", "executive_id,role,branch\nGM1,chairman,\n", "row 2, column 'role': unknown role 'chairman'",
       id_="executives-unknown-role")
assess("executives", "executive_id,role,branch\nGM1,gm_office,\nGM1,gm_office,\n",
       "row 3, column 'executive_id': executive 'GM1' listed twice", id_="executives-twice")
assess("executives", "executive_id,role,branch\nBH1,branch_head,\n",
       "row 2, column 'branch': a branch head needs the branch he or she runs", id_="executives-head-without-branch")
assess("executives", "executive_id,role,branch\nBH1,branch_head,Lhasa\n",
       "row 2, column 'branch': branch 'Lhasa' is not in the portfolio", id_="executives-unknown-branch")

# --- event tables: repeated rows, repeated ids, dates outside the log year, implausible costs
# (issue 25, item 5). --log-year is 2025 by default.
assess("complaints", C + "\n2025-03-03,C001,张三,salesperson\n2025-03-03,C001,张三,salesperson\n",
       "row 3, customer C001: the same row as row 2, cell for cell", "remove the repeat", id_="complaints-row-repeated")
assess("complaints", "complaint_id," + C + "\nK1,2025-03-03,C001,张三,salesperson\nK1,2025-04-03,C002,李四,salesperson\n",
       "row 3, customer C002, column 'complaint_id': complaint 'K1' listed twice (first at row 2)",
       id_="complaints-id-twice")
assess("complaints", C + "\n2024-12-30,C001,张三,salesperson\n",
       "row 2, customer C001, column 'complaint_date': 2024-12-30 is outside the year 2025 of the record",
       id_="complaints-date-outside-year")
assess("service", S + "C001,claim_ordinary,2025-03-03,2025-03-05\nC001,claim_ordinary,2025-03-03,2025-03-05\n",
       "row 3, customer C001: the same row as row 2, cell for cell", id_="service-row-repeated")
assess("service", "event_id," + S + "E1,C001,claim_ordinary,2025-03-03,2025-03-05\nE1,C002,policy_change,2025-04-03,2025-04-05\n",
       "row 3, customer C002, column 'event_id': event 'E1' listed twice (first at row 2)", id_="service-id-twice")
assess("service", S + "C001,claim_ordinary,2026-01-05,2026-01-07\n",
       "row 2, customer C001, column 'start_date': 2026-01-05 is outside the year 2025 of the record",
       id_="service-date-outside-year")
assess("survey", "customer_id,answer\nC001,满意\nC001,满意\n", "row 3, customer C001: the same row as row 2",
       id_="survey-row-repeated")
assess("executives", "executive_id,role,branch\nGM1,gm_office,\nGM1,department_head,\n",
       "row 3, column 'executive_id': executive 'GM1' listed twice (first at row 2)", id_="executives-id-twice")
D = "delivery_id,customer_id,service,date,cost_cny\n"
assess("delivery", D + "D1,C001,monthly_mailing,2025-03-01,10\nD1,C001,monthly_mailing,2025-04-01,10\n",
       "row 3, customer C001, column 'delivery_id': delivery 'D1' listed twice (first at row 2)",
       id_="delivery-id-twice", extra=("--delivery", "{delivery.csv}"))
assess("delivery", D + "D1,C001,monthly_mailing,2025-03-01,50000000\n",
       "row 2, customer C001, column 'cost_cny': cost 50,000,000 CNY is implausible for one service: above "
       "10,000,000 CNY", id_="delivery-cost-implausible", extra=("--delivery", "{delivery.csv}"))
assess("delivery", D + "D1,C001,monthly_mailing,2025-03-01,inf\n",
       "row 2, customer C001, column 'cost_cny': 'inf' is not an amount in CNY", id_="delivery-cost-infinite",
       extra=("--delivery", "{delivery.csv}"))
H = "customer_id,kind,received_date,answered_date\n"
assess("hotline", H + "C001,enquiry,2025-03-03,2025-03-03\nC001,enquiry,2025-03-03,2025-03-03\n",
       "row 3, customer C001: the same row as row 2, cell for cell", id_="hotline-row-repeated",
       extra=("--hotline", "{hotline.csv}"))
assess("hotline", "call_id," + H + "H1,C001,enquiry,2025-03-03,2025-03-03\nH1,C002,complaint,2025-05-03,2025-05-04\n",
       "row 3, customer C002, column 'call_id': call 'H1' listed twice (first at row 2)", id_="hotline-id-twice",
       extra=("--hotline", "{hotline.csv}"))
P = "policy_id,customer_id,expiry_date\n"
assess("policies", P + "P1,C001,2025-06-30\nP1,C002,2025-07-31\n",
       "row 3, customer C002, column 'policy_id': policy 'P1' listed twice (first at row 2)",
       id_="policies-id-twice", extra=("--policies", "{policies.csv}"))
assess("policies", P + "P1,C001,2026-06-30\n",
       "row 2, customer C001, column 'expiry_date': 2026-06-30 is outside the year 2025 of the record",
       id_="policies-expiry-outside-year", extra=("--policies", "{policies.csv}"))


# --- history and overrides (issue 25, item 6): `compare` for the service year 2026
def compare(kind, text, *expected, id_, option=None):
    files = {"book.csv": csv_text(), f"{kind}.csv": text}
    case(id_, files, ["compare", "--portfolio", "{book.csv}", "--year", "2026", f"--{option or kind}",
                      "{%s.csv}" % kind, "--out", "{out}/c.xlsx"], "{%s.csv}" % kind, *expected)


compare("history", "customer_id,year,tier\nC001,2026,gold\n",
        "row 2, customer C001, column 'year': year 2026 is not before the service year 2026", id_="history-year-is-service-year")
compare("history", "customer_id,year,tier\nC001,2027,gold\n",
        "row 2, customer C001, column 'year': year 2027 is not before the service year 2026", id_="history-year-after")
compare("history", "customer_id,year,tier,value_index\nC001,2025,gold,-0.5\n",
        "row 2, customer C001, column 'value_index': value index (第10条) must be ≥ 0 (got -0.5)",
        id_="history-negative-value-index")
compare("history", "customer_id,year,tier,approval_date\nC001,2025,gold,2024-12-20\n",
        "row 2, customer C001, column 'approval_date': 2024-12-20 is outside the list's year 2025",
        id_="history-approval-outside-year")
OV = "customer_id,action,tier,reason,approver,date\n"
compare("overrides", OV + "C002,in,silver,大客户,总经理室,2025-12-30\n",
        "row 2, customer C002, column 'date': 2025-12-30 is outside the approval window of the service year 2026",
        id_="overrides-date-outside-year")
compare("overrides", OV + "C002,out,gold,不合格,总经理室,2026-01-10\n",
        "row 2, customer C002, column 'action': customer is regular, not gold: nothing to force out",
        id_="overrides-out-of-a-tier-not-held")

# --- command-line arguments
OK = {"book.csv": csv_text()}
case("sample-customers-0", {}, ["sample", "--customers", "0", "--out", "{out}/s.csv"], "--customers: 0 is out of range")
case("sample-customers-negative", {}, ["sample", "--customers", "-5", "--out", "{out}/s.csv"],
     "--customers: -5 is out of range")
case("sample-customers-absurd", {}, ["sample", "--customers", "1000000000000", "--out", "{out}/s.csv"],
     "--customers: 1,000,000,000,000 is out of range", "between 1 and 10,000,000")
case("sample-seed-negative", {}, ["sample", "--seed", "-1", "--out", "{out}/s.csv"], "--seed: -1 is out of range")
case("sample-xlsx-too-many-rows", {}, ["sample", "--customers", "2000000", "--out", "{out}/s.xlsx"],
     "2,000,000 rows do not fit an .xlsx sheet", "write .csv or .parquet")
case("sample-out-json", {}, ["sample", "--out", "{out}/s.json"], "--out must end in .csv or .xlsx or .parquet")
case("budget-sims-0", {}, ["budget", "--sims", "0", "--out", "{out}/b.xlsx"], "--sims: 0 is out of range")
case("budget-sims-negative", {}, ["budget", "--sims", "-1", "--out", "{out}/b.xlsx"], "--sims: -1 is out of range")
case("budget-sims-absurd", {}, ["budget", "--sims", "10000000000", "--out", "{out}/b.xlsx"],
     "--sims: 10,000,000,000 is out of range")
case("budget-year-past", {}, ["budget", "--year", "1900", "--out", "{out}/b.xlsx"], "--year: 1,900 is out of range")
case("budget-year-absurd", {}, ["budget", "--year", "99999", "--out", "{out}/b.xlsx"], "--year: 99,999 is out of range")
case("budget-out-csv", {}, ["budget", "--out", "{out}/b.csv"], "--out must end in .xlsx")
case("assess-log-year", {}, ["assess", "--log-year", "1990", "--out", "{out}/a.xlsx"],
     "--log-year: 1990 is outside the working-day calendars")
case("assess-out-csv", {}, ["assess", "--out", "{out}/a.csv"], "--out must end in .xlsx")
case("sensitivity-out-csv", {}, ["sensitivity", "--out", "{out}/s.csv"], "--out must end in .xlsx")
case("tier-portfolio-empty", {}, ["tier", "--portfolio", "", "--out", "{out}/t.csv"],
     "--portfolio: is empty; give a file")
case("tier-branches-empty", {}, ["tier", "--branches", " ", "--out", "{out}/t.csv"], "--branches: is empty")
case("tier-out-is-input", OK, ["tier", "--portfolio", "{book.csv}", "--out", "{book.csv}", "--force"],
     "is an input of this run; an input is never overwritten")
case("tier-out-is-branch-table", {**OK, "b.csv": GOOD_BRANCHES},
     ["tier", "--portfolio", "{book.csv}", "--branches", "{b.csv}", "--out", "{b.csv}", "--force"],
     "is an input of this run")
case("tier-out-exists", {**OK, "old.csv": "x\n"}, ["tier", "--portfolio", "{book.csv}", "--out", "{old.csv}"],
     "exists; use --force to replace it")
case("tier-out-folder", {**OK, "sub/x": "x"}, ["tier", "--portfolio", "{book.csv}", "--out", "{in}/sub"],
     "is a folder; give a file name")
case("tier-out-under-a-file", {**OK, "plain": "x"}, ["tier", "--portfolio", "{book.csv}", "--out", "{in}/plain/t.csv"],
     "is a file, not a folder")
case("tier-out-json", OK, ["tier", "--portfolio", "{book.csv}", "--out", "{out}/t.json"],
     "--out must end in .xlsx or .csv or .parquet")
case("tier-header-row-0", OK, ["tier", "--portfolio", "{book.csv}", "--header-row", "0", "--out", "{out}/t.csv"],
     "--header-row: 0 is out of range")
case("tier-encoding-unknown", OK, ["tier", "--portfolio", "{book.csv}", "--encoding", "klingon", "--out", "{out}/t.csv"],
     "--encoding: unknown encoding 'klingon'")
case("tier-sheet-unknown", {"book.xlsx": None}, ["tier", "--portfolio", "{book.xlsx}", "--sheet", "nosuch",
                                                 "--out", "{out}/t.csv"], "no sheet 'nosuch'", "'data'")
case("tier-sheet-for-csv", OK, ["tier", "--portfolio", "{book.csv}", "--sheet", "data", "--out", "{out}/t.csv"],
     "--sheet 'data' is for Excel workbooks")
case("calibrate-out-is-policy", {}, ["calibrate", "--out", str(PARAMS_DIR / "policy-2003.yaml"), "--force"],
     "policy-2003.yaml", "is an input of this run")
case("calibrate-out-is-scenario", {}, ["calibrate", "--scenario", "weights-equal",
                                       "--out", str(PARAMS_DIR / "scenarios" / "weights-equal.yaml"), "--force"],
     "weights-equal.yaml", "is an input of this run")

# --- issue 25: every file a command writes follows --force; --years bounded
case("sample-history-exists", {"hb-history.csv": "mine\n"},
     ["sample", "--customers", "50", "--years", "3", "--out", "{in}/hb.csv"],
     "{hb-history.csv}", "already exists; use --force to replace it")
case("sample-history-is-a-folder", {"hb-history.csv/x": "x"},
     ["sample", "--customers", "50", "--years", "3", "--out", "{in}/hb.csv", "--force"],
     "{hb-history.csv}", "is a folder; give a file name")
case("sample-years-absurd", {}, ["sample", "--customers", "50", "--years", "100000", "--out", "{out}/hb.csv"],
     "--years: 100,000 is out of range", "between 1 and 20")
# 2026 - (25 - 1) = 2002: the earliest list would predate the 2003 policy
case("sample-years-before-2003", {}, ["sample", "--customers", "50", "--years", "20", "--year", "2010",
                                      "--out", "{out}/hb.csv"], "--years: 20 years back from 2010", "at most 8")
case("assess-out-is-delivery", {"dlv.xlsx": b"PK-not-read"},
     ["assess", "--delivery", "{dlv.xlsx}", "--out", "{dlv.xlsx}", "--force"], "{dlv.xlsx}", "is an input of this run")
case("compare-lists-is-out", OK, ["compare", "--portfolio", "{book.csv}", "--year", "2026", "--lists",
                                  "{out}/l.xlsx", "--out", "{out}/l.xlsx", "--force"], "is an input of this run")

# --- issue 25: report -p cannot override what the run checked; numbers within their bounds
for name, option in [("portfolio", "--portfolio"), ("output_dir", "--reports-dir"), ("complaints", "--complaints"),
                     ("service_log", "--service-log"), ("seed", "--seed"), ("log_year", "--log-year")]:
    case(f"report-p-{name}", OK, ["report", "--portfolio", "{book.csv}", "--reports-dir", "{out}/r",
                                  "-p", f"{name}={{book.csv}}"], f"-p {name}: is the run's own", f"use {option} instead")
case("report-p-sims-absurd", OK, ["report", "--reports-dir", "{out}/r", "-p", "sims=2000000000"],
     "-p sims: 2,000,000,000 is out of range", "between 1 and 1,000,000")
case("report-p-draws-zero", OK, ["report", "--reports-dir", "{out}/r", "-p", "draws=0"], "-p draws: 0 is out of range")
case("report-p-sims-text", OK, ["report", "--reports-dir", "{out}/r", "-p", "sims=many"],
     "-p sims: 'many' is not a whole number")

# --- issue 25: a bad event table stops a report before any run folder is made
case("report-bad-complaints", {**OK, "c.csv": "complaint_date,customer_id,person,role\n2025-03-03,C001,张三,boss\n"},
     ["report", "--portfolio", "{book.csv}", "--complaints", "{c.csv}", "--reports-dir", "{out}/r"],
     "{c.csv}", "row 2, customer C001, column 'role': unknown role 'boss'")

# --- issue 25: scenario files say what they mean
scenario("value_index:\n  weights:\n    premium: 0.34\n    premium: 0.30\n",
         "line 4: key 'premium' is given twice in one mapping (first on line 3)", id_="scenario-duplicate-key")
scenario("value_index:\n  k1:\n    year_1: yes\n", "line 3: 'yes' would be read as the boolean True",
         "write true or false", id_="scenario-yes-for-a-number")
scenario("silver_selection:\n  capacity_per_class:\n    A: off\n", "line 3: 'off' would be read as the boolean False",
         id_="scenario-off-for-a-number")
scenario("a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "uses a YAML alias",
         id_="scenario-alias")
scenario("description: " + "x" * (1 << 20) + "\n", "is larger than 1,024 KB", id_="scenario-too-large")
case("scenario-is-the-policy", {}, ["tier", "--scenario", str(PARAMS_DIR / "policy-2003.yaml"), "--out", "{out}/t.csv"],
     "policy-2003.yaml", "changes no parameter of policy-2003.yaml", "leave --scenario out")
case("scenario-copy-of-the-policy", {"mine.yaml": (PARAMS_DIR / "policy-2003.yaml").read_bytes()},
     ["tier", "--scenario", "{mine.yaml}", "--out", "{out}/t.csv"], "{mine.yaml}", "it is the policy as written")
scenario("description: nothing changed\nvalue_index:\n  weights:\n    premium: 0.30\n",
         "changes no parameter", id_="scenario-changes-nothing")

# --- issue 25: workbooks that are not what they say
case("customer-xlsx-named-csv", {"book.csv": _xlsx_bytes([HEADER] + ROWS)},
     ["tier", "--portfolio", "{book.csv}", "--out", "{out}/t.csv"], "{book.csv}",
     "is an Excel workbook (.xlsx) saved under a .csv name; rename it to .xlsx")
# an OLE compound file (magic D0 CF 11 E0 A1 B1 1A E1) with the EncryptedPackage stream Excel
# writes for a workbook with a password to open
ENCRYPTED = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
case("customer-xlsx-encrypted", {"book.xlsx": ENCRYPTED}, ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"],
     "{book.xlsx}", "is encrypted (password-protected)")
case("customer-xls", {"book.xlsx": ENCRYPTED.replace("EncryptedPackage".encode("utf-16-le"), bytes(32))},
     ["tier", "--portfolio", "{book.xlsx}", "--out", "{out}/t.csv"], "is an old Excel 97–2003 workbook (.xls)")


def _write_inputs(folder: Path, files: dict) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None and name.endswith(".xlsx"):  # a workbook with a notes sheet and the data
            import pandas as pd

            with pd.ExcelWriter(path) as w:
                pd.DataFrame({"说明": ["内部资料"]}).to_excel(w, sheet_name="notes", index=False)
                pd.DataFrame([r for r in ROWS], columns=HEADER).to_excel(w, sheet_name="data", index=False)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _fill(text: str, folder: Path, out: Path) -> str:
    text = text.replace("{out}", str(out)).replace("{in}", str(folder))
    while "{" in text and "}" in text:
        start, end = text.index("{"), text.index("}")
        text = text[:start] + str(folder / text[start + 1:end]) + text[end + 1:]
    return text


def test_an_input_under_another_name_is_not_overwritten(tmp_path, capsys):
    import os

    book = tmp_path / "book.csv"
    book.write_text(csv_text(), encoding="utf-8")
    os.link(book, tmp_path / "alias.csv")
    os.symlink(book, tmp_path / "link.csv")
    before = _snapshot(tmp_path)
    for alias in ("alias.csv", "link.csv"):
        assert main(["tier", "--portfolio", str(book), "--out", str(tmp_path / alias), "--force"]) == 2
        assert "is an input of this run" in capsys.readouterr().err
    assert _snapshot(tmp_path) == before


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 100


@pytest.mark.parametrize("files, args, expected", CASES)
def test_bad_input_is_refused(tmp_path, capsys, files, args, expected):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _write_inputs(folder, files)
    policy_before = _snapshot(PARAMS_DIR)
    before = _snapshot(tmp_path)
    argv = [_fill(a, folder, out) for a in args]
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.err
    assert code == 2, f"exit {code}; stderr: {err}"
    assert err.startswith("error: "), err
    assert "Traceback" not in err + captured.out
    for text in expected:
        assert _fill(text, folder, out) in err, f"{_fill(text, folder, out)!r} not in:\n{err}"
    assert _snapshot(tmp_path) == before  # nothing written, every input unchanged
    assert _snapshot(PARAMS_DIR) == policy_before


# ----------------------------------------------------------------------------- defects and interrupts
def test_each_history_problem_is_reported_once(tmp_path, capsys):
    """A history year at the service year is one problem of one row, said once, not again by the
    run's own check of the history's last year."""
    book, history = tmp_path / "book.csv", tmp_path / "h.csv"
    book.write_text(csv_text(), encoding="utf-8")
    history.write_text("customer_id,year,tier\nC001,2026,gold\nC002,2025,regular\n", encoding="utf-8")
    before = _snapshot(tmp_path)
    assert main(["compare", "--portfolio", str(book), "--year", "2026", "--history", str(history),
                 "--out", str(tmp_path / "c.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "1 problem(s)" in err and err.count("is not before the service year") == 1, err
    assert _snapshot(tmp_path) == before


def test_a_defect_is_one_line_and_a_crash_log(tmp_path, capsys, monkeypatch):
    import tiermodel.cli as cli

    def broken(args):
        raise RuntimeError("deliberate defect")

    monkeypatch.setitem(cli.COMMANDS, "params", (cli.COMMANDS["params"][0], broken))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["params", "show"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "internal error (RuntimeError: deliberate defect)" in err
    (log,) = list(tmp_path.glob("tiermodel-crash-*.log"))
    assert str(log) in err and "Traceback" in log.read_text(encoding="utf-8")


def test_ctrl_c_ends_quietly(capsys, monkeypatch):
    import tiermodel.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "params", (cli.COMMANDS["params"][0], interrupted))
    assert main(["params", "show"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("interrupted") and "Traceback" not in err


# ----------------------------------------------------------------------------- no input is an output
#: The input options of each command, written out here by hand: a new option naming a file
#: must be marked as an input where it is defined (cli._input), and added here.
INPUTS = {
    "params": {"scenario"},
    "sample": set(),
    "tier": {"scenario", "portfolio", "branches"},
    "report": {"scenario", "portfolio", "branches", "service_log", "delivery", "survey", "complaints",
               "hotline", "policies", "executives", "history", "nominations", "overrides"},
    "calibrate": {"scenario", "portfolio", "branches"},
    "assess": {"scenario", "portfolio", "branches", "service_log", "delivery", "survey", "complaints",
               "hotline", "policies", "executives"},
    "sensitivity": {"scenario", "portfolio", "branches"},
    "budget": {"scenario", "portfolio", "branches"},
    "compare": {"scenario", "portfolio", "branches", "base", "history", "nominations", "overrides"},
    "explore": {"portfolio", "branches", "history"},
}


def _commands():
    from tiermodel.cli import COMMANDS, build_parser

    return {name: build_parser().parse_args(_minimal(name)) for name in COMMANDS}


def _minimal(command: str) -> list[str]:
    return {"params": ["params", "show"], "calibrate": ["calibrate"], "report": ["report"], "explore": ["explore"]}.get(
        command, [command, "--out", "x"])


def test_every_file_option_is_marked_as_an_input():
    from tiermodel.cli import input_options

    assert {name: set(input_options(args)) for name, args in _commands().items()} == INPUTS


def _output_input_pairs():
    from tiermodel.cli import input_options

    for name, args in _commands().items():
        for dest, flag, suffixes in getattr(args, "output_options", ()):
            for source in input_options(args):
                yield pytest.param(name, flag, suffixes[0], source, id=f"{name}-{flag[2:]}-is-{source}")


@pytest.mark.parametrize("command, out_flag, suffix, source", list(_output_input_pairs()))
def test_no_output_is_ever_an_input(tmp_path, capsys, command, out_flag, suffix, source):
    # the input given under its option and as the output (with --force): refused, and unchanged
    target = tmp_path / f"input{suffix}"
    target.write_bytes(b"an input file, not to be replaced\n")
    before = _snapshot(tmp_path)
    argv = [command, f"--{source.replace('_', '-')}", str(target), out_flag, str(target), "--force"]
    if out_flag != "--out" and command != "calibrate":
        argv += ["--out", str(tmp_path / "other.xlsx")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {target}: is an input of this run"), err
    assert _snapshot(tmp_path) == before


def test_sample_history_that_would_not_fit_an_xlsx_is_refused_before_the_work(tmp_path, capsys):
    # 600,000 customers fit one sheet; their 2 earlier years' lists are 1,200,000 rows + header > 1,048,576
    assert main(["sample", "--customers", "600000", "--years", "3", "--out", str(tmp_path / "hb.xlsx")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'hb-history.xlsx'}: 1,200,000 rows do not fit an .xlsx sheet" in err
    assert list(tmp_path.iterdir()) == []


def test_the_override_date_window_is_a_flagged_reading(tmp_path, capsys):
    """readings.override_dates_within_service_year (assumed): true refuses an override dated
    before 1 January of the service year; a scenario setting it false accepts the same file."""
    (tmp_path / "book.csv").write_text(csv_text(), encoding="utf-8")
    # C001 is Gold (60,000,000 long-term ≥ 50,000,000, 第11条): taking it out on 30 December
    # 2025, two days before the 2026 service year
    (tmp_path / "ov.csv").write_text(OV + "C001,out,gold,服务不达标,总经理室,2025-12-30\n", encoding="utf-8")
    (tmp_path / "any-date.yaml").write_text("readings:\n  override_dates_within_service_year: false\n",
                                            encoding="utf-8")
    args = ["compare", "--portfolio", str(tmp_path / "book.csv"), "--year", "2026",
            "--overrides", str(tmp_path / "ov.csv")]
    assert main(args + ["--out", str(tmp_path / "a.xlsx")]) == 2
    assert "2025-12-30 is outside the approval window of the service year 2026" in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()
    assert main(args + ["--scenario", str(tmp_path / "any-date.yaml"), "--out", str(tmp_path / "b.xlsx")]) == 0
    assert (tmp_path / "b.xlsx").exists()
